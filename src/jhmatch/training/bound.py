"""An upper bound on the best training plan over every pair, from prices of the budget and the seats.

On a large city the training MILP is solved over a pruned candidate set (each person's
best posts and each post's best persons, every course-made pair kept): its optimum is
then a plan, but its bound says nothing about the pairs left out. This module gives a
bound that does, by Lagrangian relaxation of the budget and seat rows::

    L(μ, π) = μ·budget + Σ_c π_c·seats_c + max over matchings of Σ (value − price) x

where a course-made pair of course ``c`` costs ``μ·cost_c + π_c`` (an existing pair
nothing). Without the budget and seat rows a person who trains uses one post through
one course, so the inner maximum is a plain allocation — each (person, post) at the
best of its existing value and its course-made values net of price — solved by the
min-cost-flow backend over *every* pair. For any ``μ, π ≥ 0``, ``L`` bounds the best
plan from above; the duals of the pruned model's LP relaxation
(:func:`~jhmatch.training.model.lp_prices`) make it close to the full LP bound.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from jhmatch.matching.score_matrix import ScoreMatrix
from jhmatch.optimize import AllocationProblem, solve
from jhmatch.training.counterfactual import TrainingSetup

__all__ = ["lagrangian_bound"]


def lagrangian_bound(setup: TrainingSetup, price: float, seat_prices: np.ndarray, budget: float,
                     time_limit: float | None = None) -> float | None:
    """``L(μ, π)`` over every candidate and course-made pair (module docstring); ``None`` if the flow failed.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> base = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a"], "post_id": ["x"], "score": [1.0]}),
    ...                               post_ids=["x", "y"])
    >>> effects = SimpleNamespace(table=pd.DataFrame({"person_id": ["a"], "course_id": ["k"], "post_id": ["y"],
    ...                                               "score_after": [1.0]}))
    >>> setup = SimpleNamespace(base=base, effects=effects, weights=np.array([1.0]), score_weight=0.1,
    ...                         courses=pd.DataFrame({"course_id": ["k"], "cost": [100.0]}),
    ...                         cost=np.array([100.0]), seats=np.array([np.inf]),
    ...                         posts=pd.DataFrame({"post_id": ["x", "y"], "capacity": [1, 1]}))
    >>> round(lagrangian_bound(setup, 0.0, np.zeros(1), 100.0), 6)   # one person: one placement at most
    1.0
    """
    lam, w = setup.score_weight, setup.weights
    rows, cols, data = setup.base.pairs()
    value = w[rows] * ((1.0 - lam) + lam * data)
    t = setup.effects.table
    if len(t):
        r = pd.Index(setup.base.person_ids).get_indexer(t["person_id"])
        k = pd.Index(setup.courses["course_id"].astype(object)).get_indexer(t["course_id"])
        q = pd.Index(setup.base.post_ids).get_indexer(t["post_id"])
        net = w[r] * ((1.0 - lam) + lam * t["score_after"].to_numpy(dtype=float)) - (
            price * setup.cost[k] + np.where(np.isfinite(setup.seats[k]), seat_prices[k], 0.0))
        rows, cols, value = np.r_[rows, r], np.r_[cols, q], np.r_[value, net]
    keep = value > 0
    top = float(value[keep].max()) if keep.any() else 1.0
    rows, cols, value = rows[keep], cols[keep], value[keep] / top
    # each (person, post) at the best of its values: sort by pair then value, keep the last of each pair
    key = rows.astype(np.int64) * setup.base.shape[1] + cols
    order = np.lexsort((value, key))
    last = np.r_[np.diff(key[order]) != 0, True] if order.size else np.zeros(0, bool)
    pick = order[last]
    best = sp.csr_array((value[pick], (rows[pick], cols[pick])), shape=setup.base.shape)
    sm = ScoreMatrix(best, setup.base.person_ids, setup.base.post_ids)
    problem = AllocationProblem(sm, setup.posts["capacity"].to_numpy(dtype=float), np.full(sm.shape[0], top))
    alloc = solve(problem, method="flow", time_limit=time_limit)
    if alloc.status.value != "optimal":
        return None
    flow = alloc.bound if alloc.bound is not None else alloc.objective
    limited = np.isfinite(setup.seats)
    return float(price * budget + seat_prices[limited] @ setup.seats[limited] + flow)
