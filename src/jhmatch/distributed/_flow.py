"""Exact max-value assignment over a set of pairs, and LP-dual prices of an allocation.

The two kernels of the decomposition (:mod:`jhmatch.distributed.decompose`): every
regional subproblem and the master problem are solved by :func:`max_value_assignment`
(one OR-Tools min-cost flow), and :func:`dual_prices` turns any feasible
allocation into post prices and the upper bound they prove.
"""

from __future__ import annotations

import numpy as np
import pandas as pd  # noqa: F401 - used by the doctests

from jhmatch.errors import SolverError
from jhmatch.matching.score_matrix import ScoreMatrix  # noqa: F401 - used by the doctests
from jhmatch.optimize.problem import AllocationProblem

__all__ = ["dual_prices", "max_value_assignment"]


def max_value_assignment(row: np.ndarray, col: np.ndarray, vals: np.ndarray, caps: np.ndarray, pair: np.ndarray,
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
