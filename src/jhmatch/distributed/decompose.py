"""Allocation by regional decomposition with Lagrangian price coordination.

Model
    The allocation problem (each person at most one post, each post at most its
    capacity, maximise ``sum weight * score``) splits into independent regions
    (the persons' counties, the connected components of the candidate graph, or
    any labels) except for *shared posts*: posts with candidates in more than one
    region (remote posts, on-site posts within commuting distance of another
    county). Their capacity rows are relaxed with prices ``lambda_j >= 0``; every
    region then solves its own exact min-cost-flow subproblem (in parallel, on
    the Dask workers) with values ``v_ij - lambda_j`` on shared posts, keeping
    ``sum_{i in region} x_ij <= c_j`` (implied by the original problem, so it only
    tightens the bound). For any prices

        L(lambda) = sum_regions Z_r(lambda) + sum_shared lambda_j c_j

    is an upper bound on the monolithic optimum (weak duality). Prices follow a
    projected subgradient step of Polyak's size towards the best primal value,
    and jump to the LP-dual prices of every new best primal solution
    (:func:`dual_prices`).
    Because each subproblem is a network flow (integral LP), the best such bound
    converges to the LP relaxation, which equals the integer optimum.

Master problem (primal recovery)
    Placements on posts that are not shared are kept. The persons the regions
    placed on shared posts, and for each shared post its best ``capacity``
    candidates among the persons still unplaced, are re-allocated by one exact
    min-cost flow over the shared posts (full capacity) and the places left on
    the others, in the calling process (an outsider is taken only where the post
    has room or the outsider values it above its worst placed person). A shared
    post brings at most its capacity once per region sharing it plus once, so the
    master's size follows the coupling between regions, not their size. It runs on
    the first iteration and every ``master_every``; in between each post keeps its
    best ``capacity`` persons. Every result is feasible and its gap to the best
    bound is reported.

Choosing regions
    Good regions are nearly self-contained: cities of a province, which share
    only the remote posts open across city lines, give a small master and a small
    gap. Counties of one city are a poor choice where commuting across county
    lines is common: in the Jinhua demo a third of the optimal placements cross a
    county line and nearly every post is shared, so the master holds most
    persons. ``regions="components"`` shares nothing and is exact in one round.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from jhmatch.distributed._client import active_client, require_distributed, run_tasks
from jhmatch.distributed._flow import dual_prices, max_value_assignment
from jhmatch.errors import ParameterError, Problem, SchemaError, SolverError
from jhmatch.matching.score_matrix import ScoreMatrix  # noqa: F401 - used by the doctests
from jhmatch.optimize.evaluate import make_allocation
from jhmatch.optimize.problem import AllocationProblem
from jhmatch.optimize.result import Allocation, Status

__all__ = ["DecomposedAllocation", "allocate", "dual_prices", "regions_of"]


@dataclass(frozen=True, eq=False)
class DecomposedAllocation:
    """Result of :func:`allocate`.

    Attributes
    ----------
    status : Status
        ``OPTIMAL`` when the gap is within ``1e-6``, otherwise ``FEASIBLE``
        (always feasible: no person twice, capacities hold).
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
        return make_allocation(problem, x, status=self.status, backend="dask-decompose", message=self.message,
                               solve_time=self.solve_time, bound=self.bound)

    def __repr__(self) -> str:
        return (f"DecomposedAllocation(status={self.status.value}, placed={self.n_placed}, "
                f"objective={self.objective:.6g}, bound={self.bound:.6g}, gap={self.gap:.3g}, "
                f"regions={self.n_regions}, shared_posts={self.n_shared_posts}, iterations={self.iterations})")


def regions_of(problem: AllocationProblem, regions: Any = "county") -> np.ndarray:
    """Region code (0, 1, ...) of every person of ``problem``.

    Parameters
    ----------
    problem : AllocationProblem
    regions : "county", "components", str or array
        ``"county"`` (or any other column of ``problem.persons``): that column;
        ``"components"``: connected components of the candidate graph (no shared
        posts at all); an array: one label per person.

    Examples
    --------
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame(
    ...     {"person_id": ["a", "b", "c"], "post_id": ["x", "x", "y"], "score": [0.9, 0.5, 0.7]}))
    >>> regions_of(AllocationProblem(sm, [1, 1]), "components").tolist()
    [0, 0, 1]
    """
    n = problem.n_persons
    if isinstance(regions, str) and regions == "components":
        from scipy.sparse.csgraph import connected_components

        m = problem.n_posts
        adj = sp.coo_array((np.ones(problem.n_pairs), (problem.pair_person, n + problem.pair_post)),
                           shape=(n + m, n + m))
        _, labels = connected_components(adj, directed=False)
        return pd.factorize(labels[:n], sort=False)[0].astype(np.int64)
    if isinstance(regions, str):
        if problem.persons is None or regions not in problem.persons.columns:
            raise SchemaError([Problem(None, regions, "(missing column)",
                                       "a persons column naming each person's region (build the problem "
                                       "with AllocationProblem.from_frames, or pass regions='components')")],
                              "persons")
        labels = problem.persons[regions].astype("object").fillna("").astype(str).to_numpy()
    else:
        labels = np.asarray(regions, dtype=object).astype(str)
        if labels.shape != (n,):
            raise ParameterError(f"regions must have one label per person ({n}), got shape {labels.shape}")
    return pd.factorize(labels, sort=True)[0].astype(np.int64)


def _solve_region(payload: dict[str, Any], prices: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Exact regional subproblem at ``prices`` (runs on a worker).

    Returns the chosen pairs (positions in the payload), the subproblem's
    objective and its proven upper bound, both in reduced values ``v - price``.
    """
    vals = payload["values"] - prices[payload["col"]]
    keep = np.flatnonzero(vals > 0)
    if not keep.size:
        return np.empty(0, np.int64), 0.0, 0.0
    return max_value_assignment(payload["row"][keep], payload["col"][keep], vals[keep], payload["caps"], keep,
                                payload["n_rows"])


def _payloads(problem: AllocationProblem, preg: np.ndarray) -> list[dict[str, Any]]:
    rows, cols, vals = problem.pair_person, problem.pair_post, problem.values
    pair_reg = preg[rows]
    order = np.argsort(pair_reg, kind="stable")
    bounds = np.searchsorted(pair_reg[order], np.arange(int(preg.max(initial=-1)) + 2))
    out = []
    for r in range(bounds.size - 1):
        idx = order[bounds[r]:bounds[r + 1]]
        if not idx.size:
            continue
        prow, lrow = np.unique(rows[idx], return_inverse=True)
        pcol, lcol = np.unique(cols[idx], return_inverse=True)
        # the global pair indices stay here: workers answer with positions in their payload
        out.append({"region": r, "pair": idx, "row": lrow.astype(np.int32), "col": lcol.astype(np.int32),
                    "values": vals[idx], "caps": problem.capacities[pcol], "posts": pcol,
                    "n_rows": prow.size})
    return out


def _rank_within(group: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Rank (0 = largest ``key``) of every element within its ``group``; ties by position."""
    order = np.lexsort((-key, group))
    g = group[order]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]]) if g.size else np.empty(0, np.int64)
    rank = np.arange(g.size) - np.repeat(starts, np.diff(np.r_[starts, g.size]))
    out = np.empty_like(rank)
    out[order] = rank
    return out


def _repair(problem: AllocationProblem, sel: np.ndarray) -> np.ndarray:
    """Feasible allocation from regional choices at no cost: each post keeps its best ``capacity`` persons."""
    cols = problem.pair_post[sel]
    return np.sort(sel[_rank_within(cols, problem.values[sel]) < problem.capacities[cols]])


def _master(problem: AllocationProblem, sel: np.ndarray, shared: np.ndarray) -> tuple[np.ndarray, int]:
    """Feasible allocation from regional choices: the shared posts are re-allocated exactly.

    Placements on posts that are not shared are kept (each region respects every
    capacity, so only shared posts can be overfilled). The master problem takes
    the persons the regions placed on shared posts, and for every shared post its
    best ``capacity`` outsiders (unplaced persons; only where the post has room or
    the outsider values it above its worst placed person); it allocates them
    exactly over the shared posts (full capacity) and the places left on the
    others. A shared post brings at most its capacity once per region sharing it,
    plus once more, whatever the size of the regions.
    """
    rows, cols, vals = problem.pair_person, problem.pair_post, problem.values
    n, m = problem.n_persons, problem.n_posts
    on_shared = shared[cols[sel]]
    fixed, on = sel[~on_shared], sel[on_shared]
    left = problem.capacities - np.bincount(cols[fixed], minlength=m)
    placed = np.zeros(n, bool)
    placed[rows[fixed]] = True
    free = np.zeros(n, bool)
    free[rows[on]] = True
    worst = np.full(m, np.inf)
    np.minimum.at(worst, cols[on], vals[on])
    worst[np.bincount(cols[on], minlength=m) < problem.capacities] = 0.0
    outside = np.flatnonzero(shared[cols] & ~placed[rows] & ~free[rows] & (vals > worst[cols]))
    best = _rank_within(cols[outside], vals[outside]) < problem.capacities[cols[outside]]
    free[rows[outside[best]]] = True
    cand = np.flatnonzero(free[rows] & (shared[cols] | (left[cols] > 0)))
    if not cand.size:
        return np.sort(fixed), 0
    caps = np.where(shared, problem.capacities, left)
    prow, lrow = np.unique(rows[cand], return_inverse=True)
    pcol, lcol = np.unique(cols[cand], return_inverse=True)
    chosen, _, _ = max_value_assignment(lrow.astype(np.int64), lcol.astype(np.int64), vals[cand], caps[pcol],
                                        cand, prow.size)
    return np.sort(np.concatenate([fixed, chosen])), int(prow.size)


def allocate(problem: Any, client: Any = None, *, regions: Any = "county", max_iter: int = 30, tol: float = 1e-4,
             master_every: int = 5, scorer: Any = None,
             **frames_options: Any) -> DecomposedAllocation:
    """Allocate by regions in parallel, coordinating shared posts by prices.

    Parameters
    ----------
    problem : AllocationProblem or (persons, posts)
        The problem; a pair of tables is scored first (:func:`jhmatch.distributed.score`
        with ``scorer`` on the same ``client``) and built with
        :meth:`AllocationProblem.from_frames` (``frames_options`` go there).
        Only capacities and priority weights are decomposed: a problem with rules
        (constraints) or weighted capacity raises :class:`~jhmatch.errors.ParameterError`
        (solve those with :func:`jhmatch.optimize.solve`).
    client : distributed.Client, optional
        Where the regional subproblems run; ``None``: in this process, same result.
    regions : "county", "components", str or array, default "county"
        See :func:`regions_of`.
    max_iter : int, default 30
        Price iterations at most.
    tol : float, default 1e-4
        Stop when the relative gap to the best bound is at most ``tol``.
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
    t0 = time.perf_counter()
    region_time = 0.0
    client = active_client(client)
    if client is not None:
        require_distributed("distributed allocation")
    if isinstance(problem, tuple) and len(problem) == 2:
        from jhmatch.distributed.scoring import score

        persons, posts = problem
        sm = score(persons, posts, scorer, client=client, components=False)
        persons_df = persons.compute() if hasattr(persons, "compute") else persons
        from jhmatch.data.schema import validate_persons, validate_posts

        problem = AllocationProblem.from_frames(sm, validate_persons(persons_df), validate_posts(posts),
                                                **frames_options)
    if not isinstance(problem, AllocationProblem):
        raise ParameterError(f"problem must be an AllocationProblem or a (persons, posts) pair, "
                             f"got {type(problem).__name__}")
    if problem.constraints:
        names = sorted({type(c).__name__ for c in problem.constraints})
        raise ParameterError(f"decomposition handles capacities and priority weights only; the problem has rules "
                             f"{names}: solve it with jhmatch.optimize.solve")
    if problem.usage is not None:
        raise ParameterError("decomposition does not handle weighted capacity (usage); use jhmatch.optimize.solve")
    if not isinstance(max_iter, (int, np.integer)) or max_iter < 1:
        raise ParameterError(f"max_iter must be a positive integer, got {max_iter!r}")
    if not isinstance(master_every, (int, np.integer)) or master_every < 1:
        raise ParameterError(f"master_every must be a positive integer, got {master_every!r}")
    if not (isinstance(tol, (int, float)) and tol >= 0):
        raise ParameterError(f"tol must be a number >= 0, got {tol!r}")

    preg = regions_of(problem, regions)
    rows, cols, vals = problem.pair_person, problem.pair_post, problem.values
    m = problem.n_posts
    cap = problem.capacities.astype(float)
    # a post is shared when its candidates come from more than one region
    k = int(preg.max(initial=0)) + 1
    shared = np.bincount(np.unique(cols * k + preg[rows]) // k, minlength=m) > 1
    shared_idx = np.flatnonzero(shared)
    payloads = _payloads(problem, preg)
    stored: list[Any] = []  # the payloads, scattered once over the workers (refreshed if a worker is lost)
    prices = np.zeros(m)
    best_bound, best_obj = np.inf, -np.inf
    best_sel, master_size = np.empty(0, np.int64), 0
    history = []
    theta, stall, it, gap = 1.0, 0, 0, np.inf
    pending: np.ndarray | None = None  # dual prices recovered from a new best primal, tried next
    for it in range(1, max_iter + 1):
        t_region = time.perf_counter()
        out = _regional(payloads, prices, client, stored)
        region_time += time.perf_counter() - t_region
        sel = np.concatenate([o[0] for o in out]) if out else np.empty(0, np.int64)
        bound = float(sum(o[2] for o in out) + prices[shared_idx] @ cap[shared_idx])
        if bound < best_bound:
            best_bound, stall = bound, 0
        else:
            stall += 1
        usage = np.bincount(cols[sel], minlength=m).astype(float)
        g = cap[shared_idx] - usage[shared_idx]  # subgradient of L on the shared prices
        # a cheap feasible allocation every round; the master problem every ``master_every`` rounds
        overfilled = bool((g < 0).any())
        solved = overfilled and (it == 1 or it % master_every == 0 or it == max_iter)
        size = 0
        if solved:
            cand, size = _master(problem, sel, shared)
            master_size = max(master_size, size)
        else:
            cand = _repair(problem, sel)
        obj = float(vals[cand].sum())
        if obj > best_obj:
            best_obj, best_sel = obj, cand
            if solved or not overfilled:
                dual, dual_bound = dual_prices(problem, cand)
                best_bound = min(best_bound, dual_bound)
                pending = dual
        gap = max(best_bound - best_obj, 0.0) / max(abs(best_obj), 1e-9)
        step = 0.0
        if gap <= tol or not shared_idx.size:
            history.append((it, bound, best_obj, step, size))
            break
        if pending is not None:
            prices = np.where(shared, pending, 0.0)
            pending = None
        else:
            if stall >= 3:
                theta, stall = theta / 2, 0
            active = (g != 0) & ~((prices[shared_idx] <= 0) & (g > 0))
            norm = float(g[active] @ g[active])
            if norm > 0:
                step = theta * max(bound - best_obj, 1e-12 * abs(bound)) / norm
                prices[shared_idx] = np.maximum(prices[shared_idx] - step * g, 0.0)
        history.append((it, bound, best_obj, step, size))
    for future in stored:
        future.release()
    gap = max(best_bound - best_obj, 0.0) / max(abs(best_obj), 1e-9)
    if gap < 1e-12:
        gap = 0.0
    status = Status.OPTIMAL if gap <= 1e-6 else Status.FEASIBLE
    assignments = pd.DataFrame({
        "person_id": problem.scores.person_ids[rows[best_sel]],
        "post_id": problem.scores.post_ids[cols[best_sel]],
        "score": problem.pair_score[best_sel],
        "weight": problem.weights[rows[best_sel]],  # type: ignore[index]
    })
    where = "on a Dask cluster" if client is not None else "in this process"
    message = (f"{len(payloads)} regions solved {where}, {shared_idx.size} shared posts priced, "
               f"{it} iteration(s); gap to the Lagrangian bound {gap:.3g}")
    return DecomposedAllocation(
        status=status, message=message, objective=best_obj,
        bound=float(best_bound), gap=float(gap), assignments=assignments, selected=best_sel,
        n_regions=len(payloads), n_shared_posts=int(shared_idx.size), n_master_persons=master_size,
        iterations=it, history=pd.DataFrame(history, columns=["iteration", "bound", "objective", "step",
                                                                  "master_persons"]),
        solve_time=time.perf_counter() - t0, region_time=region_time)


def _solve_one(payload: dict[str, Any], prices: np.ndarray) -> tuple[np.ndarray, float, float]:
    return _solve_region(payload, prices[payload["posts"]])


def _regional(payloads: list[dict[str, Any]], prices: np.ndarray, client: Any,
              stored: list[Any]) -> list[tuple[np.ndarray, float, float]]:
    """All regional subproblems at ``prices``; on a cluster the payloads stay on the workers.

    Workers get the payloads without the global pair indices and answer with
    positions in their payload; they are mapped back here.
    """
    def back(out: list[tuple[np.ndarray, float, float]]) -> list[tuple[np.ndarray, float, float]]:
        return [(p["pair"][o[0]], o[1], o[2]) for p, o in zip(payloads, out)]

    light = [{k: v for k, v in p.items() if k != "pair"} for p in payloads]
    if client is None:
        return back([_solve_one(p, prices) for p in light])
    for attempt in range(2):
        if not stored:
            stored.extend(client.scatter(light, hash=False))
        try:
            return back(run_tasks(_solve_one, stored, client, "allocation", prices, broadcast=(0,)))
        except SolverError:
            if attempt:
                raise
            for future in stored:  # a worker holding payloads was lost: scatter them again once
                future.release()
            stored.clear()
    raise AssertionError("unreachable")  # pragma: no cover
