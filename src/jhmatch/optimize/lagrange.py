"""Lagrangian relaxation of the side rows around the min-cost-flow solver.

The rules that fit the network (capacities, laminar group rules) stay in the
flow; the few rows that do not (e.g. category floors across county floors) are
moved into the objective with multipliers ``mu`` (lower bounds) and ``nu``
(upper bounds)::

    L(mu, nu) = max over flow-feasible x of  f(x) + (mu - nu) @ A x - mu @ lb + nu @ ub

where ``f`` is the network's own objective (values minus the penalties of soft
network rules). For every ``mu, nu >= 0`` (capped at the penalty for soft rows),
``L`` is an upper bound on the optimum, and because the inner problem is a flow
(integral) it is as strong as the LP bound. Multipliers follow a Polyak
subgradient step; every flow solution that meets the hard side rows is a
feasible allocation. The loop stops at the target gap, the time budget or when
the step vanishes.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp  # noqa: F401 - used in the docstring example

from jhmatch.optimize.backends.flow import run_network
from jhmatch.optimize.constraints import Block
from jhmatch.optimize.evaluate import evaluate
from jhmatch.optimize.linear import LinearForm, linear_form
from jhmatch.optimize.mcf import integer_costs, scale_fits
from jhmatch.optimize.network import FlowNetwork, build_network
from jhmatch.optimize.problem import AllocationProblem

__all__ = ["LagrangeResult", "lagrangian_flow"]


@dataclass(frozen=True, eq=False)
class LagrangeResult:
    """Best feasible pair vector (or None), its objective, the best bound, iterations, and why it stopped.

    ``stopped == "network part infeasible"`` means the rules inside the network
    cannot hold even without the side rows: the whole problem is infeasible.
    """

    x: np.ndarray | None
    objective: float
    bound: float
    iterations: int
    stopped: str


def _priced(problem: AllocationProblem, blocks: list[Block], bonus: np.ndarray, cache: dict) -> FlowNetwork:
    """The network with pair values ``values + bonus``; rebuilt only when the cost scale must change."""
    values = problem.values + bonus
    vmax = float(np.abs(values).max()) if values.size else 0.0
    net = cache.get("net")
    if not isinstance(net, FlowNetwork) or not scale_fits(vmax, net.supplies.size, net.scale):
        net = build_network(problem, blocks, pair_bonus=bonus * 4)  # room for the multipliers to grow
        cache["net"] = net
    pair_costs, rounding = integer_costs(values, net.scale)
    costs = net.costs.copy()
    costs[net.pair_arcs] = -pair_costs
    return dataclasses.replace(net, costs=costs, rounding=rounding)


def lagrangian_flow(problem: AllocationProblem, network_blocks: list[Block], side_blocks: list[Block],
                    all_blocks: list[Block], gap: float, budget: float, max_iter: int = 60,
                    form: LinearForm | None = None) -> LagrangeResult:
    """Run the subgradient loop (``stopped == "network part infeasible"``: the flow part alone is infeasible).

    Parameters
    ----------
    gap : float
        Stop once ``(bound - objective) / |objective|`` is at most this.
    budget : float
        Seconds.
    form : LinearForm, optional
        The linear form of ``problem`` with ``all_blocks`` (:func:`~jhmatch.optimize.linear.linear_form`),
        whose rows of ``side_blocks`` are relaxed; built here when not given.

    Examples
    --------
    >>> import pandas as pd
    >>> from jhmatch.matching.score_matrix import ScoreMatrix
    >>> from jhmatch.optimize import AllocationProblem, LinearRows
    >>> from jhmatch.optimize.evaluate import compile_blocks
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame(
    ...     {"person_id": ["a", "a", "b"], "post_id": ["x", "y", "x"], "score": [0.9, 0.5, 0.8]}))
    >>> prob = AllocationProblem(sm, [1, 1], constraints=[LinearRows(sp.csr_array([[0.0, 1.0, 0.0]]), lb=[1])])
    >>> blocks = compile_blocks(prob)
    >>> res = lagrangian_flow(prob, [], blocks, blocks, gap=1e-9, budget=5.0)
    >>> round(res.objective, 6), round(res.bound, 6)
    (1.3, 1.3)
    """
    t0 = time.perf_counter()
    form = linear_form(problem, all_blocks) if form is None else form
    a, lb, ub, cap = form.rows_of(side_blocks)
    at = a.T.tocsr()
    has_lo, has_hi = np.isfinite(lb), np.isfinite(ub)
    lb0, ub0 = np.where(has_lo, lb, 0.0), np.where(has_hi, ub, 0.0)
    mu, nu = np.zeros(lb.size), np.zeros(ub.size)
    best_x, best_obj, bound = None, -np.inf, np.inf
    theta, stall, it, stopped = 1.0, 0, 0, "iteration limit"
    cache: dict[str, object] = {}
    for it in range(1, max_iter + 1):
        bonus = at @ (mu - nu)
        net = _priced(problem, network_blocks, bonus, cache)
        _, x = run_network(net)
        if x is None:
            return LagrangeResult(None, -np.inf, -np.inf, it, "network part infeasible")
        ev_net = evaluate(problem, x, network_blocks)
        ax = a @ x
        lagr = ev_net.objective + float(bonus @ x) - float(mu @ lb0) + float(nu @ ub0)
        lagr += 2 * float(x.sum()) * net.rounding  # integer rounding of the costs
        improved = lagr < bound - 1e-12
        bound = min(bound, lagr)
        ev = evaluate(problem, x, all_blocks)
        if ev.hard_ok and ev.objective > best_obj:
            best_x, best_obj, improved = x, ev.objective, True
        if best_x is not None and bound - best_obj <= gap * max(abs(best_obj), 1e-9):
            stopped = "gap reached"
            break
        if time.perf_counter() - t0 > budget:
            stopped = "time budget"
            break
        stall = 0 if improved else stall + 1
        if stall >= 4:
            theta, stall = theta / 2, 0
        g_lo = np.where(has_lo, ax - lb0, 0.0)  # dL/dmu
        g_hi = np.where(has_hi, ub0 - ax, 0.0)  # dL/dnu
        # only directions that can move (not pinned at 0 or at the soft cap)
        g_lo[((mu <= 0) & (g_lo > 0)) | ((mu >= cap) & (g_lo < 0))] = 0.0
        g_hi[((nu <= 0) & (g_hi > 0)) | ((nu >= cap) & (g_hi < 0))] = 0.0
        norm = float(g_lo @ g_lo + g_hi @ g_hi)
        if norm <= 1e-12 or theta < 1e-6:
            stopped = "subgradient vanished"
            break
        target = best_obj if best_x is not None else lagr - 0.01 * max(abs(lagr), 1.0)
        step = theta * max(lagr - target, 1e-6 * max(abs(lagr), 1.0)) / norm
        mu = np.clip(mu - step * g_lo, 0.0, cap)
        nu = np.clip(nu - step * g_hi, 0.0, cap)
    return LagrangeResult(best_x, float(best_obj), float(bound), it, stopped)
