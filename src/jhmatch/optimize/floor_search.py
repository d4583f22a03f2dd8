"""Solving the allocation under relative-rate floors, one point of the fairness curve at a time.

:class:`FloorSearch` holds what the points of one curve share (the problem, its
:class:`~jhmatch.optimize.fairness_model.FloorModel`, the clock, the requested gap,
the unconstrained optimum) and proves each point by a best-first branch and bound on
the number placed (:meth:`FloorSearch.solve_floor`); a point is a :class:`TradeoffPoint`.
:mod:`jhmatch.optimize.tradeoff` draws the curve with it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from jhmatch.errors import SolverError
from jhmatch.i18n import gettext as _
from jhmatch.optimize.deadline import Deadline
from jhmatch.optimize.evaluate import make_allocation
from jhmatch.optimize.fairness import RelativeRateFloor, group_rates, worst_group
from jhmatch.optimize.fairness_model import FloorModel
from jhmatch.optimize.problem import AllocationProblem
from jhmatch.optimize.result import Allocation, Status

__all__ = ["MAX_TRIES", "FloorSearch", "TradeoffPoint"]

MAX_TRIES = 12
"""Nodes of the branching on the number placed after which the LP bound is computed once (see ``solve_floor``)."""


@dataclass(frozen=True, eq=False)
class TradeoffPoint:
    """One solved point: a floor on the relative rate, and the best plan under it.

    Attributes
    ----------
    floor : float
        The floor asked for (NaN for the unconstrained point).
    status : Status
        OPTIMAL when proven within the requested gap; FEASIBLE when a plan was
        found but not proven; TIME_LIMIT when the time ran out (with or without a plan).
    objective, bound, gap : float
        Objective of the plan (NaN without one), proven upper bound, relative gap.
    ratio, worst : float, str
        The worst group's placement rate over the city's in the plan, and that group.
    placed : int
        Persons placed.
    loss : float
        ``1 - objective / z0`` (share of the unconstrained optimum's total compatibility lost).
    seconds : float
        Time spent on this point.
    message : str
        How it was solved.
    allocation : Allocation or None
        The plan, with the floor's rows in its constraint table.
    rates : DataFrame
        :func:`~jhmatch.optimize.fairness.group_rates` of the plan.
    """

    floor: float
    status: Status
    objective: float
    bound: float | None
    gap: float | None
    ratio: float
    worst: str | None
    placed: int
    loss: float
    seconds: float
    message: str
    allocation: Allocation | None = field(default=None, repr=False)
    rates: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)

    @property
    def has_plan(self) -> bool:
        """True when the point has a plan."""
        return self.allocation is not None and math.isfinite(self.objective)

class FloorSearch:
    """The shared state of one curve: the model, the clock, the requested gap, ``z0``, ``m_max``.

    Examples
    --------
    >>> from jhmatch.matching.score_matrix import ScoreMatrix
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a", "b"], "post_id": ["x", "x"],
    ...                                           "score": [0.9, 0.5]}))
    >>> persons = pd.DataFrame({"person_id": ["a", "b"], "county": ["330702", "330723"]})
    >>> search = FloorSearch(AllocationProblem(sm, [1], persons=persons), "county", 0.0, Deadline(None))
    >>> base = unconstrained(search, None)
    >>> point = search.solve_floor(1.0, {"330723": 1.0})
    >>> point.status.value, round(point.objective, 2), point.worst
    ('optimal', 0.5, '330723')
    """

    def __init__(self, problem: AllocationProblem, by: str, gap: float, deadline: Deadline):
        self.problem = problem
        self.by = by
        self.gap = gap
        self.deadline = deadline
        self.model = FloorModel(problem, by)
        self.z0 = float("nan")
        self.m_max: float | None = None


    def within(self, bound: float, objective: float) -> bool:
        """True when ``bound`` proves ``objective`` within the gap (solvers' rounding, 1e-9, forgiven)."""
        return bound - objective <= self.gap * max(abs(objective), 1e-9) + 1e-9 * max(1.0, abs(objective))

    def ratios(self, floors: dict[str, float]) -> np.ndarray:
        return np.array([floors.get(k, 0.0) for k in self.model.labels], dtype=float)

    def point_of(self, floor: float, floors: dict[str, float] | None, alloc: Allocation | None, bound: float | None,
                 status: Status, message: str, seconds: float) -> TradeoffPoint:
        """A point from a plan of the problem (``floors``: the floor's rows to add to its constraint table)."""
        if alloc is not None and floors:
            floor_rule = RelativeRateFloor(ratio=floors, by=self.by, name="RelativeRateFloor")
            blocks = [*self.model.blocks, floor_rule.compile(self.problem)]
            x = np.zeros(self.problem.n_pairs)
            x[alloc.selected] = 1.0
            alloc = make_allocation(self.problem.with_constraints(floor_rule), x, status=status, backend="tradeoff",
                                    message=message, solve_time=seconds, bound=bound, blocks=blocks)
        has = alloc is not None and math.isfinite(alloc.objective)
        rates = group_rates(self.problem, alloc.selected if has else None, self.by)  # type: ignore[union-attr]
        groups = [k for k, v in floors.items() if v > 0] if floors else None
        worst, ratio = worst_group(rates, groups) if has else (None, float("nan"))
        obj = alloc.objective if has else float("nan")  # type: ignore[union-attr]
        gap = None
        if has and bound is not None:
            gap = max(bound - obj, 0.0) / max(abs(obj), 1e-9)
            gap = 0.0 if gap < 1e-12 else gap
        loss = 1.0 - obj / self.z0 if has and self.z0 and math.isfinite(self.z0) else float("nan")
        return TradeoffPoint(floor, status, obj, bound, gap, ratio, worst, int(alloc.n_placed) if has else 0,  # type: ignore[union-attr]
                             loss, seconds, message, alloc if has else None, rates)

    def cap_for(self, floors: dict[str, float]) -> int | None:
        """Most seekers any plan meeting ``floors`` can place: ``m_max * S / r`` when every group has floor ``r``.

        (Each group then places at least ``r * seekers_g * placed / S``, so the worst-served
        group's rate, at most ``m_max``, is at least ``r * placed / S``.)
        """
        r = min(floors.get(k, 0.0) for k in self.model.labels)
        if self.m_max is None or r <= 0:
            return None
        return math.floor(self.m_max * self.model.total / r + 1e-9)

    def solve_floor(self, floor: float, floors: dict[str, float], *, hints: Sequence[int] = (),
                    bound: float | None = None, share: float | None = None,
                    target: float | None = None) -> TradeoffPoint:
        """The best plan under ``floors`` (group -> ratio), proven to the gap when time allows.

        *Branch and bound on the number placed.* A plan meeting the floors places an
        admissible number ``P`` (its groups' minimums fit: ``sum ceil(r_g s_g P / S) <= P``),
        at most :meth:`cap_for`. A node is an interval ``[a, b]`` of such numbers; its
        bound is the best plan with at most ``b`` placed and the group minimums of ``a``
        placed (one flow solve, :meth:`FloorModel.plan_at`), and that plan, when it meets
        the floors, is a candidate. Nodes are split at their middle, best bound first,
        until the best open bound proves the gap; a single ``P`` is exact. The LP bound
        of :class:`FloorModel` caps every node once the tree has grown past
        :data:`MAX_TRIES` nodes without a proof. With ``target``, the search also stops
        as soon as a plan reaches it or the bound falls below it (the 1 % question).
        """
        t0 = time.perf_counter()
        model, r = self.model, self.ratios(floors)
        clock = self.deadline.cap(share)
        cap = self.cap_for(floors)
        top_all = model.total if cap is None else min(cap, model.total)
        ok = np.arange(top_all + 1)
        ok = ok[model.admissible(r, ok)]  # admissible numbers placed, ascending (0 always is)
        best: Allocation | None = None
        cap_bound = math.inf if bound is None else bound
        how = _("proven within the gap {gap} by the bound of a lower floor")
        nodes = 0

        def offer(a: Allocation | None) -> None:
            nonlocal best
            if a is not None and model.meets(r, a) and (best is None or a.objective > best.objective):
                best = a

        def node(lo: int, hi: int) -> tuple[float, int, int] | None:
            """Evaluate the admissible numbers in [lo, hi]: (bound, a, b), or None when there are none."""
            nonlocal nodes
            inside = ok[(ok >= lo) & (ok <= hi)]
            if inside.size == 0:
                return None
            a, b = int(inside[0]), int(inside[-1])
            nodes += 1
            trial = model.plan_at(r, b, clock.left(), self.gap, low=a)
            offer(trial.allocation)
            if trial.allocation is None:
                return None if trial.infeasible else (math.inf, a, b)
            ub = trial.allocation.bound
            return (math.inf if ub is None else float(ub)), a, b

        for total in hints:
            if int(total) in set(ok.tolist()):
                offer(model.plan_at(r, int(total), clock.left(), self.gap).allocation)
        open_: list[tuple[float, int, int]] = []
        grown = not (best is not None and self.within(cap_bound, best.objective))
        if grown:
            root = node(0, top_all)
            open_ = [root] if root is not None else []
        used_lp = False
        while open_:
            open_.sort(key=lambda t: t[0])
            ub, a, b = open_[-1]
            if best is not None and self.within(min(ub, cap_bound), best.objective):
                how = (_("proven within the gap {gap} by the LP bound and branching on the number placed") if used_lp
                       else _("proven within the gap {gap} by branching on the number placed"))
                break
            if clock.expired or (target is not None and (
                    (best is not None and best.objective >= target) or min(ub, cap_bound) < target)):
                break
            if nodes >= MAX_TRIES and not used_lp:
                used_lp = True
                lp, _placed = model.lp_bound(r, None, clock)
                cap_bound = min(cap_bound, lp) if lp is not None else cap_bound
                continue
            if a == b:  # a single number placed: its solve was already exact (to its gap); nothing left to split
                break
            open_.pop()
            mid = (a + b) // 2
            for child in (node(mid + 1, b), node(a, mid)):
                if child is not None:
                    open_.append(child)
        final = min(cap_bound, max((t[0] for t in open_), default=-math.inf)) if grown else cap_bound
        if best is not None:
            final = max(final, best.objective)  # the solvers' own rounding
        seconds = time.perf_counter() - t0
        final_bound = None if not math.isfinite(final) else float(final)
        proven = best is not None and final_bound is not None and self.within(final_bound, best.objective)
        if proven:
            status = Status.OPTIMAL
            how = how.format(gap=f"{self.gap:g}")
        elif best is None and not open_ and not clock.expired:
            status = Status.INFEASIBLE
            how = _("no plan meets this floor and the problem's hard rules")
        elif clock.expired:
            status = Status.TIME_LIMIT
            how = _("time limit reached; best plan found so far, not proven within the gap")
        else:
            status = Status.FEASIBLE
            how = _("plan found, not proven within the gap after {n} plans at a fixed number placed").format(n=nodes)
        return self.point_of(floor, floors, best, final_bound, status, how, seconds)

def better_above(points: list[TradeoffPoint], sweep: FloorSearch, floors_of: list[dict[str, float]]) -> list[TradeoffPoint]:
    """Give a point the plan of a higher floor when that plan is better (it meets the lower floor too)."""
    out = list(points)
    for k in range(len(out) - 2, -1, -1):
        hi, lo = out[k + 1], out[k]
        if hi.has_plan and (not lo.has_plan or hi.objective > lo.objective + 1e-9):
            status = lo.status
            if lo.bound is not None and sweep.within(lo.bound, hi.objective):
                status = Status.OPTIMAL
            msg = _("the plan of the next higher floor is better and meets this floor too")
            out[k] = sweep.point_of(lo.floor, floors_of[k], hi.allocation, lo.bound, status, msg, lo.seconds)
    return out

def unconstrained(sweep: FloorSearch, share: float | None) -> TradeoffPoint:
    from jhmatch.optimize.solve import solve

    t0 = time.perf_counter()
    alloc = solve(sweep.problem, time_limit=sweep.deadline.cap(share).left(), gap=sweep.gap or None)
    if not math.isfinite(alloc.objective):
        raise SolverError(f"no plan for the problem without a fairness floor: {alloc.message}")
    sweep.z0 = alloc.objective
    status = Status.OPTIMAL if alloc.status is Status.OPTIMAL else alloc.status
    return sweep.point_of(float("nan"), None, alloc, alloc.bound, status, alloc.message, time.perf_counter() - t0)
