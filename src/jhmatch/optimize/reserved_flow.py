"""A fast plan and an upper bound for reserved-post planning: the min-cost-flow relaxation, repaired.

Dropping the kiosk reserve, the spacing rule and the opening costs leaves a
transportation problem on the aggregated model (:mod:`jhmatch.optimize.reserved_model`)::

    source -> person -> (county, kind) group -> group limit -> site -> kind target -> sink

solved exactly by the min-cost-flow kernel (:mod:`jhmatch.optimize.mcf`, OR-Tools)
in well under a second at 20,000 persons. Its optimum is an upper bound on the
plan's objective (opening costs are not negative). Soft targets are arcs worth the
penalty per unit up to the target; hard targets are lower bounds on the flow into
the sink, so when even the relaxation cannot reach them, no plan can (a proof of
infeasibility).

The flow's plan is then *repaired* into one that keeps every rule: within each
group the persons are spread again over sites that can take at least their
kiosk reserve, and of two sites too close together the emptier one is closed.
When nothing had to change, the plan is optimal (it reaches the bound).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jhmatch.errors import SolverError
from jhmatch.optimize.mcf import cost_scale, integer_costs, solve_min_cost_flow
from jhmatch.optimize.reserved_model import PlanModel

__all__ = ["FlowPlan", "flow_plan", "plan_objective"]


@dataclass(frozen=True, eq=False)
class FlowPlan:
    """The repaired plan (``x`` per (person, group) pair, ``fills`` and ``opened`` per site), its bound and flags."""

    x: np.ndarray
    fills: np.ndarray
    opened: np.ndarray
    bound: float
    repaired: bool
    targets_reachable: bool


def plan_objective(model: PlanModel, x: np.ndarray, fills: np.ndarray, opened: np.ndarray) -> tuple[float, np.ndarray]:
    """Objective of a plan (values - opening costs - soft-target penalties) and the shortfall per target kind.

    Examples
    --------
    >>> import pandas as pd
    >>> from jhmatch.optimize.reserved_model import build_plan_model
    >>> persons = pd.DataFrame({"person_id": ["a", "b"], "county": ["A", "A"]})
    >>> suit = pd.DataFrame({"person_id": ["a", "b"], "kind": ["kiosk", "kiosk"], "score": [0.5, 0.7]})
    >>> sites = pd.DataFrame({"site_id": ["s"], "county": ["A"], "kind": ["kiosk"], "max_posts": [1]})
    >>> m = build_plan_model(persons, suit, sites, np.ones(2), np.zeros(1), np.zeros((0, 2), int), {}, None, None)
    >>> plan_objective(m, np.array([False, True]), np.array([1.0]), np.array([True]))[0]
    0.7
    """
    achieved = np.array([fills[model.site_kind == k].sum() for k in model.target_kinds], dtype=float)
    short = np.maximum(model.targets - achieved, 0.0)
    value = float(model.pg_value[x].sum()) - float(model.cost[opened].sum())
    if model.penalty is not None:
        value -= float(model.penalty) * float(short.sum())
    return value, short


def _solve_flow(model: PlanModel) -> tuple[np.ndarray, np.ndarray, float, bool]:
    """The relaxation's plan (pairs, site fills), the worst effect of rounding its costs, and whether it is feasible.

    Soft targets: an arc worth the penalty per unit up to the target. Hard targets:
    a lower bound on the kind's arc into the sink (supplies moved by the target), so
    an infeasible flow proves that no plan reaches them.
    """
    e, s, g = model.n_pairs, model.n_sites, model.n_groups
    t = len(model.target_kinds)
    active = np.unique(model.pg_person)
    n = int(active.size)
    hard = model.penalty is None
    bonus = 0.0 if hard else float(model.penalty)
    n_nodes = 2 + n + 2 * g + s + t
    scale = cost_scale(max(float(model.pg_value.max(initial=0.0)), bonus, 1e-9), n_nodes)
    p_node = np.full(model.n_persons, -1, np.int64)
    p_node[active] = 2 + np.arange(n)
    g_in, g_out = 2 + n + np.arange(g), 2 + n + g + np.arange(g)
    s_node = 2 + n + 2 * g + np.arange(s)
    k_node = 2 + n + 2 * g + s + np.arange(t)
    big = n + 1
    g_cap = np.full(g, big, dtype=np.int64)
    if model.limits.size:
        np.minimum.at(g_cap, model.limit_groups, np.floor(model.limits + 1e-9).astype(np.int64))
    s_cap = np.where(model.need <= model.cap, np.floor(model.cap + 1e-9), 0).astype(np.int64)
    kind_row = {k: j for j, k in enumerate(model.target_kinds)}
    s_to = np.array([k_node[kind_row[k]] if k in kind_row else 1 for k in model.site_kind], dtype=np.int64)
    target = np.floor(model.targets + 1e-9).astype(np.int64)
    pair_cost, pair_err = integer_costs(model.pg_value, scale)
    bonus_cost, bonus_err = integer_costs(np.array([bonus]), scale)
    supplies = np.zeros(n_nodes, np.int64)
    supplies[0], supplies[1] = n, -n
    if hard:  # x = target + x' on kind -> sink
        supplies[k_node] -= target
        supplies[1] += int(target.sum())
    tails = [np.zeros(n, np.int64), p_node[model.pg_person], g_in, g_out[model.site_group], s_node,
             k_node, k_node, np.zeros(1, np.int64)]
    heads = [p_node[active], g_in[model.pg_group], g_out, s_node, s_to,
             np.ones(t, np.int64), np.ones(t, np.int64), np.ones(1, np.int64)]
    caps = [np.ones(n, np.int64), np.ones(e, np.int64), g_cap, s_cap, s_cap,
            np.zeros(t, np.int64) if hard else target, np.maximum(big - target * hard, 0),
            np.array([n], np.int64)]
    costs = [np.zeros(n, np.int64), -pair_cost, np.zeros(g, np.int64), np.zeros(s, np.int64),
             np.zeros(s, np.int64), np.full(t, -bonus_cost[0], np.int64), np.zeros(t, np.int64),
             np.zeros(1, np.int64)]
    status, flows = solve_min_cost_flow(*(np.concatenate(a) for a in (tails, heads, caps, costs)), supplies,
                                        arcs=np.arange(n + e + g + s))
    if flows is None:
        if status == "INFEASIBLE" and hard:  # even the relaxation cannot reach the hard targets
            return np.zeros(e, bool), np.zeros(s), 0.0, False
        raise SolverError(f"OR-Tools min-cost flow returned {status} for the planning relaxation")
    x = flows[n: n + e] > 0
    fills = flows[n + e + g: n + e + g + s].astype(float)
    # worst effect of rounding the costs on the objective: one pair per person, one bonus per target unit
    return x, fills, 2 * (n * pair_err + float(target.sum()) * bonus_err), True


def _spread(model: PlanModel, totals: np.ndarray, allowed: np.ndarray, groups: np.ndarray,
            fills: np.ndarray) -> np.ndarray:
    """Spread each group's total over its allowed sites (largest first), each taking its reserve or nothing."""
    fills = fills.copy()
    for grp in groups:
        members = np.flatnonzero((model.site_group == grp) & allowed)
        fills[model.site_group == grp] = 0.0
        left = totals[grp]
        for s in members[np.lexsort((members, -model.cap[members]))]:
            if left <= 0:
                break
            if model.need[s] <= min(left, model.cap[s]):
                fills[s] = min(model.cap[s], left)
                left -= fills[s]
    return fills


def flow_plan(model: PlanModel) -> FlowPlan:
    """Solve the relaxation, then repair its plan into one that keeps every rule (see the module docstring).

    Examples
    --------
    >>> import pandas as pd
    >>> from jhmatch.optimize.reserved_model import build_plan_model
    >>> persons = pd.DataFrame({"person_id": ["a", "b"], "county": ["A", "A"]})
    >>> suit = pd.DataFrame({"person_id": ["a", "b"], "kind": ["kiosk", "kiosk"], "score": [0.5, 0.7]})
    >>> sites = pd.DataFrame({"site_id": ["s"], "county": ["A"], "kind": ["kiosk"], "max_posts": [1]})
    >>> m = build_plan_model(persons, suit, sites, np.ones(2), np.zeros(1), np.zeros((0, 2), int), {}, None, None)
    >>> fp = flow_plan(m)
    >>> fp.x.tolist(), fp.fills.tolist(), round(fp.bound, 6), fp.repaired
    ([False, True], [1.0], 0.7, False)
    """
    x, fills, rounding, feasible = _solve_flow(model)
    objective, _short = plan_objective(model, x, fills, np.zeros(model.n_sites, bool))
    bound = objective + rounding - float(np.minimum(model.cost, 0.0).sum())
    achieved = np.array([fills[model.site_kind == k].sum() for k in model.target_kinds], dtype=float)
    reachable = feasible and bool(model.penalty is not None or np.all(achieved >= model.targets - 1e-9))
    totals = np.bincount(model.pg_group[x], minlength=model.n_groups).astype(float)
    allowed = model.need <= model.cap
    bad = (fills > 0) & (fills < model.need)
    repaired = bool(bad.any())
    if repaired:
        fills = _spread(model, totals, allowed, np.unique(model.site_group[bad]), fills)
    conf = model.conflicts
    while len(conf):
        both = (fills[conf[:, 0]] > 0) & (fills[conf[:, 1]] > 0)
        if not both.any():
            break
        a, b = conf[np.flatnonzero(both)[0]]
        close = a if (fills[a], -a) < (fills[b], -b) else b
        allowed[close] = False
        fills = _spread(model, totals, allowed, np.array([model.site_group[close]]), fills)
        repaired = True
    if repaired:  # keep each group's most valuable persons up to its new total
        placed = np.bincount(model.site_group, weights=fills, minlength=model.n_groups)
        sel = np.flatnonzero(x)
        order = sel[np.lexsort((model.pg_person[sel], -model.pg_value[sel], model.pg_group[sel]))]
        grp = model.pg_group[order]
        rank = np.arange(order.size) - np.searchsorted(grp, grp)
        x = np.zeros_like(x)
        x[order[rank < placed[grp]]] = True
    return FlowPlan(x, fills, fills > 0, bound, repaired, reachable)
