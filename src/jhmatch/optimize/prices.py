"""LP-dual post prices of an allocation, and the upper bound on the optimum they prove.

Used by the decomposition backend (:mod:`jhmatch.optimize.backends.decompose`) to
turn every new best allocation into prices for the shared posts and a bound.
"""

from __future__ import annotations

import numpy as np
import pandas as pd  # noqa: F401 - used by the doctests

from jhmatch.matching.score_matrix import ScoreMatrix  # noqa: F401 - used by the doctests
from jhmatch.optimize.problem import AllocationProblem

__all__ = ["dual_prices"]


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
