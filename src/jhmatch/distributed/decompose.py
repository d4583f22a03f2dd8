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
    projected subgradient step of Polyak's size towards the best primal value.
    Because each subproblem is a network flow (integral LP), the best such bound
    converges to the LP relaxation, which equals the integer optimum.

Master problem (primal recovery)
    Placements on posts that are not shared are kept; the persons placed on shared
    posts, and the unplaced persons with a candidate among the shared posts or the
    posts with places left, are re-allocated by one exact min-cost flow over those
    posts (shared posts at full capacity, others at their remaining places), in
    the calling process. The result is always feasible; its gap to the best bound
    is reported. The master is small only when few posts are shared: with
    counties as regions in Jinhua-like geography (short commutes across county
    lines, remote posts open to all) nearly every post is shared and the master
    re-solves most persons; regions that are far apart (cities) share only the
    remote posts, and connected components share none (the decomposition is then
    exact in one round).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from jhmatch.distributed._client import active_client, require_distributed, run_tasks
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
        Regions, posts coordinated by prices, persons in the last master problem,
        and price iterations run.
    history : DataFrame
        ``iteration, bound, objective, step`` per price iteration.
    solve_time : float
        Wall seconds.
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
    return _exact(payload["row"][keep], payload["col"][keep], vals[keep], payload["caps"], keep,
                  payload["n_rows"])


def _exact(row: np.ndarray, col: np.ndarray, vals: np.ndarray, caps: np.ndarray, pair: np.ndarray,
           n_rows: int) -> tuple[np.ndarray, float, float]:
    """Max-value assignment over the given pairs: one OR-Tools min-cost flow.

    Network: source -> person (1) -> post (1, cost ``-round(v * scale)``) -> sink
    (capacity), plus a free source -> sink arc so that nobody has to be placed.
    Returns the chosen pairs (entries of ``pair``), their exact value, and a
    proven upper bound that adds the worst-case effect of rounding the costs.
    """
    from ortools.graph.python import min_cost_flow

    n_cols = caps.size
    top = float(vals.max())
    # OR-Tools' cost scaling multiplies costs by the node count: keep that below 2**63
    scale = 2.0**58 / max(top, 1e-300) / (n_rows + n_cols + 3)
    cost = -np.rint(vals * scale).astype(np.int64)
    source, sink = n_rows + n_cols, n_rows + n_cols + 1
    persons = np.arange(n_rows, dtype=np.int64)
    posts = np.arange(n_cols, dtype=np.int64) + n_rows
    tails = np.concatenate([np.full(n_rows, source), row, posts, [source]]).astype(np.int64)
    heads = np.concatenate([persons, col + n_rows, np.full(n_cols, sink), [sink]]).astype(np.int64)
    capacity = np.concatenate([np.ones(n_rows + row.size, np.int64), caps.astype(np.int64), [n_rows]])
    costs = np.concatenate([np.zeros(n_rows, np.int64), cost, np.zeros(n_cols + 1, np.int64)])
    supplies = np.zeros(n_rows + n_cols + 2, np.int64)
    supplies[source], supplies[sink] = n_rows, -n_rows
    mcf = min_cost_flow.SimpleMinCostFlow()
    mcf.add_arcs_with_capacity_and_unit_cost(tails, heads, capacity, costs)
    mcf.set_nodes_supplies(np.arange(supplies.size, dtype=np.int64), supplies)
    status = mcf.solve()
    if status != mcf.OPTIMAL:  # pragma: no cover - this network is always feasible
        raise SolverError(f"OR-Tools min-cost flow returned {status} on a regional subproblem")
    flows = np.asarray(mcf.flows(np.arange(n_rows, n_rows + row.size, dtype=np.int64)))
    chosen = np.flatnonzero(flows > 0)
    value = float(vals[chosen].sum())
    # integer optimum within 0.5/scale per arc of the real one, on both sides
    return pair[chosen], value, value + (chosen.size + min(n_rows, int(caps.sum()))) / scale


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


def _master(problem: AllocationProblem, sel: np.ndarray, release: np.ndarray) -> tuple[np.ndarray, int]:
    """Feasible allocation from regional choices: keep placements on posts not in ``release``, re-solve the rest.

    ``release`` marks the overfilled posts (only shared posts can be overfilled:
    each region respects every capacity). Their persons, and the unplaced persons
    with a candidate among them or among the posts with places left, are
    re-allocated exactly over those posts.
    """
    rows, cols = problem.pair_person, problem.pair_post
    n, m = problem.n_persons, problem.n_posts
    fixed = sel[~release[cols[sel]]]
    left = problem.capacities - np.bincount(cols[fixed], minlength=m)
    placed = np.zeros(n, bool)
    placed[rows[fixed]] = True
    open_post = release | (left > 0)
    cand = np.flatnonzero(~placed[rows] & open_post[cols])
    if not cand.size:
        return np.sort(fixed), 0
    caps = np.where(release, problem.capacities, left)
    prow, lrow = np.unique(rows[cand], return_inverse=True)
    pcol, lcol = np.unique(cols[cand], return_inverse=True)
    chosen, _, _ = _exact(lrow.astype(np.int64), lcol.astype(np.int64), problem.values[cand], caps[pcol], cand,
                          prow.size)
    return np.sort(np.concatenate([fixed, chosen])), int(prow.size)


def allocate(problem: Any, client: Any = None, *, regions: Any = "county", max_iter: int = 30, tol: float = 1e-4,
             master_every: int = 5, master: str = "shared", scorer: Any = None,
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
        Recover a primal solution (master problem) every this many iterations
        (and on the first and last).
    master : {"shared", "overfilled"}, default "shared"
        Placements re-solved by the master: those on every shared post (better
        solutions, larger master), or only on the posts the regions overfilled
        (smaller master, larger gap).
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
    if master not in ("shared", "overfilled"):
        raise ParameterError(f"master must be 'shared' or 'overfilled', got {master!r}")
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
        out = _regional(payloads, prices, client, stored)
        sel = np.concatenate([o[0] for o in out]) if out else np.empty(0, np.int64)
        bound = float(sum(o[2] for o in out) + prices[shared_idx] @ cap[shared_idx])
        if bound < best_bound:
            best_bound, stall = bound, 0
        else:
            stall += 1
        usage = np.bincount(cols[sel], minlength=m).astype(float)
        g = cap[shared_idx] - usage[shared_idx]  # subgradient of L on the shared prices
        feasible_now = not (g < 0).any()
        if feasible_now or it == 1 or it % master_every == 0 or it == max_iter:
            release = usage > cap if master == "overfilled" else shared
            cand, size = (np.sort(sel), 0) if feasible_now else _master(problem, sel, release)
            obj = float(vals[cand].sum())
            if obj > best_obj:
                best_obj, best_sel, master_size = obj, cand, size
                dual, dual_bound = dual_prices(problem, cand)
                best_bound = min(best_bound, dual_bound)
                pending = dual
        gap = max(best_bound - best_obj, 0.0) / max(abs(best_obj), 1e-9)
        step = 0.0
        if gap <= tol or not shared_idx.size:
            history.append((it, bound, best_obj, step))
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
        history.append((it, bound, best_obj, step))
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
        iterations=it, history=pd.DataFrame(history, columns=["iteration", "bound", "objective", "step"]),
        solve_time=time.perf_counter() - t0)


def dual_prices(problem: AllocationProblem, selected: np.ndarray, sweeps: int = 50) -> tuple[np.ndarray, float]:
    """Post prices recovered from an allocation, and the LP-dual upper bound they prove.

    For any prices ``p >= 0``, ``sum_i max(0, max_j v_ij - p_j) + sum_j c_j p_j`` bounds
    the optimum from above (LP duality; the assignment LP is integral). Prices
    start at the best value of an unplaced candidate of each post and rise along
    exchange chains ``p_j >= v_ij - v_i,a(i) + p_a(i)`` (vectorised Bellman-Ford
    sweeps); for an optimal allocation they converge to complementary dual prices
    and the bound equals its objective. For a sub-optimal one, prices climb along
    improving cycles, so the best prices over the sweeps are kept.

    Examples
    --------
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a", "a", "b"],
    ...     "post_id": ["x", "y", "x"], "score": [0.9, 0.5, 0.8]}))
    >>> prob = AllocationProblem(sm, [1, 1])
    >>> p, bound = dual_prices(prob, np.array([1, 2]))
    >>> round(bound, 6)
    1.3
    """
    rows, cols, vals = problem.pair_person, problem.pair_post, problem.values
    n, m = problem.n_persons, problem.n_posts
    cap = problem.capacities.astype(float)
    a = np.full(n, -1, np.int64)
    a[rows[selected]] = cols[selected]
    va = np.zeros(n)
    va[rows[selected]] = vals[selected]

    def col_max(c: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Per-post maximum of ``v`` over pairs with post ``c`` (0 where none), by sorted segments."""
        out = np.zeros(m)
        if c.size:
            order = np.argsort(c, kind="stable")
            cs = c[order]
            starts = np.flatnonzero(np.r_[True, cs[1:] != cs[:-1]])
            out[cs[starts]] = np.maximum(np.maximum.reduceat(v[order], starts), 0.0)
        return out

    unplaced = a[rows] < 0
    base = col_max(cols[unplaced], vals[unplaced])
    top = col_max(cols, vals)
    chain = (a[rows] >= 0) & (a[rows] != cols)
    order = np.argsort(cols[chain], kind="stable")
    cr, cv = rows[chain][order], vals[chain][order]
    cs = cols[chain][order]
    starts = np.flatnonzero(np.r_[True, cs[1:] != cs[:-1]]) if cs.size else np.empty(0, np.int64)
    heads = cs[starts] if cs.size else np.empty(0, np.int64)
    counts = np.diff(problem.scores.scores.indptr)
    rstarts = problem.scores.scores.indptr[:-1][counts > 0]

    def bound_of(p: np.ndarray) -> float:
        best = np.maximum.reduceat(vals - p[cols], rstarts) if rstarts.size else np.zeros(0)
        return float(np.maximum(best, 0.0).sum() + p @ cap)

    p = base
    best_p, best_b = p, bound_of(p)
    for _ in range(sweeps):
        new = base.copy()
        if cs.size:
            new[heads] = np.maximum(new[heads], np.maximum.reduceat(cv - va[cr] + p[a[cr]], starts))
        np.minimum(new, top, out=new)  # a price above every candidate's value only adds c_j p_j
        if np.array_equal(new, p):
            break
        p = new
        b = bound_of(p)
        if b < best_b:
            best_p, best_b = p, b
    return best_p, best_b


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
