"""``solve``: dispatch an :class:`AllocationProblem` to a backend."""

from __future__ import annotations

import dataclasses
import time
from typing import Any

from jhmatch.errors import ParameterError, SolverError
from jhmatch.optimize.backends import BACKENDS
from jhmatch.optimize.backends.base import SolveOptions
from jhmatch.optimize.evaluate import compile_blocks, make_allocation
from jhmatch.optimize.problem import AllocationProblem
from jhmatch.optimize.result import Allocation, Status

__all__ = ["choose_method", "solve"]


def choose_method(problem: AllocationProblem) -> tuple[str, str]:
    """The method ``"auto"`` picks for ``problem``, and why.

    ``"flow"`` when capacities and every rule fit one min-cost-flow network
    (exact and fastest); otherwise ``"milp"`` (exact, slower).

    Examples
    --------
    >>> import pandas as pd
    >>> from jhmatch.matching.score_matrix import ScoreMatrix
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a"], "post_id": ["x"], "score": [1.0]}))
    >>> choose_method(AllocationProblem(sm, [1]))[0]
    'flow'
    """
    blocks = compile_blocks(problem)
    reason = BACKENDS["flow"].supports(problem, blocks)
    if reason is None:
        return "flow", "capacities and rules form one min-cost-flow network"
    return "milp", f"not a pure flow: {reason}"


def solve(problem: AllocationProblem, method: str = "auto", time_limit: float | None = None,
          gap: float | None = None, client: Any = None, **options: Any) -> Allocation:
    """Solve an allocation problem.

    Parameters
    ----------
    problem : AllocationProblem
        What to solve.
    method : {"auto", "flow", "milp", "lap", "greedy", "stable", "decompose"}
        Backend. ``"auto"`` picks ``"flow"`` when the rules fit a flow network and
        ``"milp"`` otherwise, and says so in the message. ``"decompose"`` solves
        regions in parallel and coordinates shared posts by prices
        (:func:`jhmatch.distributed.allocate`, capacities only), reporting its gap.
    time_limit : float, optional
        Seconds (exact MILP only); TIME_LIMIT status with the gap reached.
    gap : float, optional
        Relative gap at which the MILP may stop (default 0: exact).
    client : distributed.Client, optional
        For ``"decompose"``: the Dask cluster (extra ``dask``); ``None`` runs the
        regions in this process (or on the client of ``use_client``).
    **options
        Backend-specific options, e.g. ``proposing="post"`` for ``"stable"``,
        ``regions="county"`` for ``"decompose"``.

    Returns
    -------
    Allocation
        Never raises for infeasible rules (status INFEASIBLE with a diagnosis) nor for
        a failing solver (status ERROR with the failure in the message).

    Raises
    ------
    ParameterError
        Unknown method, or a method that cannot handle the problem's rules.

    Examples
    --------
    >>> import pandas as pd
    >>> from jhmatch.matching.score_matrix import ScoreMatrix
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame(
    ...     {"person_id": ["a", "a", "b"], "post_id": ["x", "y", "x"], "score": [0.9, 0.5, 0.8]}))
    >>> result = solve(AllocationProblem(sm, [1, 1]))
    >>> result.status.value, round(result.objective, 6), result.assignments["post_id"].tolist()
    ('optimal', 1.3, ['y', 'x'])
    """
    if time_limit is not None and not time_limit > 0:
        raise ParameterError(f"time_limit must be > 0 seconds, got {time_limit!r}")
    if gap is not None and not 0 <= gap < 1:
        raise ParameterError(f"gap must be in [0, 1), got {gap!r}")
    if method == "decompose":
        from jhmatch.distributed import allocate

        return allocate(problem, client, **options).to_allocation(problem)
    note = ""
    if method == "auto":
        method, why = choose_method(problem)
        note = f" [auto picked {method!r}: {why}]"
    if method not in BACKENDS:
        raise ParameterError(f"unknown method {method!r}; expected one of auto, {', '.join(BACKENDS)}")
    t0 = time.perf_counter()
    try:
        result = BACKENDS[method].solve(problem, SolveOptions(time_limit, gap, dict(options)))
    except (SolverError, RuntimeError, MemoryError, OSError) as exc:  # a failing solver is a status, not a crash
        return make_allocation(problem, None, status=Status.ERROR, backend=method, solve_time=time.perf_counter() - t0,
                               message=f"{type(exc).__name__}: {exc}{note}",
                               unplaced_reason="the solver failed; nobody was allocated")
    return dataclasses.replace(result, message=result.message + note) if note else result
