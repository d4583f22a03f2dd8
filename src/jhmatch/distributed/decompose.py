"""Allocation by regions on a Dask cluster: a thin wrapper of the decomposition backend.

The decomposition itself (regions solved side by side, shared posts coordinated by
Lagrangian prices, a master problem for the shared posts) is an optimize backend,
:class:`jhmatch.optimize.backends.decompose.DecomposeBackend`
(``jhmatch.optimize.solve(problem, method="decompose")``), which runs the regions
through any executor. :func:`allocate` runs it on a Dask client, keeping each
region's data on the workers across the price iterations (sent again once if a
worker holding them is lost), also takes ``(persons, posts)`` tables (scored on the
cluster first), and returns a :class:`DecomposedAllocation` with the backend's
figures as attributes. Its results equal ``solve(problem, method="decompose")``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.distributed._client import active_client, require_distributed
from jhmatch.distributed.executor import DaskExecutor
from jhmatch.errors import ParameterError, SolverError
from jhmatch.matching.score_matrix import ScoreMatrix  # noqa: F401 - used by the doctests
from jhmatch.optimize.evaluate import make_allocation
from jhmatch.optimize.prices import dual_prices
from jhmatch.optimize.problem import AllocationProblem
from jhmatch.optimize.regions import regions_of
from jhmatch.optimize.result import Allocation, Status
from jhmatch.optimize.solve import solve

__all__ = ["DecomposedAllocation", "allocate", "dual_prices", "regions_of"]


@dataclass(frozen=True, eq=False)
class DecomposedAllocation:
    """Result of :func:`allocate`.

    Attributes
    ----------
    status : Status
        ``OPTIMAL`` when the gap is within the requested ``tol`` (within ``1e-6``
        when none was given), otherwise ``FEASIBLE`` (always feasible: no person
        twice, capacities hold).
    message : str
        What happened.
    objective : float
        ``sum weight * score`` of the placements.
    bound : float
        Best Lagrangian upper bound on the monolithic optimum.
    gap : float
        ``(bound - objective) / max(objective, 1e-9)``: an upper bound on the
        relative distance to the monolithic optimum.
    assignments : DataFrame
        ``person_id, post_id, score, weight`` of every placement, by person row.
    selected : ndarray of int
        Indices (row-major pair order of the problem) of the chosen pairs.
    n_regions, n_shared_posts, n_master_persons, iterations : int
        Regions, posts coordinated by prices, persons in the largest master
        problem solved, and price iterations run.
    history : DataFrame
        ``iteration, bound, objective, step, master_persons`` per price
        iteration: the Lagrangian bound at that iteration's prices, the best
        objective so far, the price step, and the persons in that iteration's
        master problem (0: none solved).
    solve_time : float
        Wall seconds.
    region_time : float
        Of which: waiting for the regional subproblems (on the workers when a
        client is given); the rest is spent in this process (master problem,
        repairs, dual prices).
    allocation : Allocation
        The same result as :func:`jhmatch.optimize.solve` gives it (summaries,
        unplaced reasons, ``details``).
    """

    status: Status
    message: str
    objective: float
    bound: float
    gap: float
    assignments: pd.DataFrame
    selected: np.ndarray
    n_regions: int
    n_shared_posts: int
    n_master_persons: int
    iterations: int
    history: pd.DataFrame = field(repr=False)
    solve_time: float = 0.0
    region_time: float = 0.0
    allocation: Allocation | None = field(default=None, repr=False)

    @classmethod
    def from_allocation(cls, allocation: Allocation) -> DecomposedAllocation:
        """The figures of a ``method="decompose"`` :class:`~jhmatch.optimize.Allocation` as attributes."""
        d = allocation.details
        return cls(status=allocation.status, message=allocation.message, objective=allocation.objective,
                   bound=float(allocation.bound if allocation.bound is not None else np.nan),
                   gap=float(allocation.gap if allocation.gap is not None else np.nan),
                   assignments=allocation.assignments, selected=allocation.selected, n_regions=d["regions"],
                   n_shared_posts=d["shared_posts"], n_master_persons=d["master_persons"],
                   iterations=d["iterations"], history=d["history"], solve_time=allocation.solve_time,
                   region_time=d["region_time"], allocation=allocation)

    @property
    def n_placed(self) -> int:
        """Number of placements."""
        return len(self.assignments)

    def to_allocation(self, problem: AllocationProblem) -> Allocation:
        """The same solution as an :class:`~jhmatch.optimize.Allocation` of ``problem`` (summaries included).

        ``problem`` must be the one that was allocated; capacities are checked again.

        Examples
        --------
        >>> sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a", "b"], "post_id": ["x", "x"],
        ...                                           "score": [0.9, 0.4]}))
        >>> prob = AllocationProblem(sm, [1])
        >>> allocate(prob, regions=[1, 2]).to_allocation(prob).assignments["person_id"].tolist()
        ['a']
        """
        x = np.zeros(problem.n_pairs)
        x[self.selected] = 1.0
        return make_allocation(problem, x, status=self.status, backend="decompose", message=self.message,
                               solve_time=self.solve_time, bound=self.bound,
                               details=self.allocation.details if self.allocation is not None else None)

    def __repr__(self) -> str:
        return (f"DecomposedAllocation(status={self.status.value}, placed={self.n_placed}, "
                f"objective={self.objective:.6g}, bound={self.bound:.6g}, gap={self.gap:.3g}, "
                f"regions={self.n_regions}, shared_posts={self.n_shared_posts}, iterations={self.iterations})")


KeepingDaskExecutor = DaskExecutor
"""Former name of the retaining Dask executor; :class:`DaskExecutor` retains items itself now (issue 15)."""


def allocate(problem: Any, client: Any = None, *, regions: Any = "county", max_iter: int = 30,
             tol: float | None = None, master_every: int = 5, scorer: Any = None,
             **frames_options: Any) -> DecomposedAllocation:
    """Allocate by regions in parallel, coordinating shared posts by prices.

    Parameters
    ----------
    problem : AllocationProblem or (persons, posts)
        A problem without rules (capacities and priority weights only), or raw
        tables (pandas or Dask DataFrames), scored on the cluster first and turned
        into a problem with ``AllocationProblem.from_frames(**frames_options)``.
    client : distributed.Client, optional
        Where the regional subproblems run; ``None``: the client of
        :func:`use_client`, else in this process, same result.
    regions : "county", "components", str or array, default "county"
        See :func:`regions_of`.
    max_iter : int, default 30
        Price iterations at most.
    tol : float, optional
        Stop when the relative gap to the best bound is at most ``tol`` (default
        1e-4, then OPTIMAL only within 1e-6).
    master_every : int, default 5
        Solve the master problem on the first iteration, every this many
        iterations and on the last; the other iterations keep each post's best
        ``capacity`` persons (a free repair).
    scorer : CompatibilityScorer, optional
        Scorer for a ``(persons, posts)`` input.

    Returns
    -------
    DecomposedAllocation

    Raises
    ------
    ParameterError
        Rules or weighted capacity, or bad options.
    SolverError
        The cluster lost workers more often than Dask retries a task.

    Examples
    --------
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a", "a", "b", "c"],
    ...     "post_id": ["x", "r", "r", "y"], "score": [0.6, 0.9, 0.8, 0.5]}))
    >>> prob = AllocationProblem(sm, [1, 1, 1])
    >>> res = allocate(prob, regions=["east", "west", "west"])
    >>> res.status.value, round(res.objective, 6), res.assignments["post_id"].tolist()
    ('optimal', 1.9, ['x', 'r', 'y'])
    """
    client = active_client(client)
    if client is not None:
        require_distributed("distributed allocation")
    if isinstance(problem, tuple) and len(problem) == 2:
        from jhmatch.data.valid import ensure_valid
        from jhmatch.distributed.scoring import score

        persons, posts = problem
        sm = score(persons, posts, scorer, client=client, components=False)
        persons_df = persons.compute() if hasattr(persons, "compute") else persons
        problem = AllocationProblem.from_frames(sm, ensure_valid(persons_df, "persons"), ensure_valid(posts, "posts"),
                                                **frames_options)
    if not isinstance(problem, AllocationProblem):
        raise ParameterError(f"problem must be an AllocationProblem or a (persons, posts) pair, "
                             f"got {type(problem).__name__}")
    executor = DaskExecutor(client, "allocation") if client is not None else None
    result = solve(problem, method="decompose", gap=tol, executor=executor, regions=regions, max_iter=max_iter,
                   master_every=master_every)
    if result.status is Status.ERROR:
        raise SolverError(result.message)
    return DecomposedAllocation.from_allocation(result)
