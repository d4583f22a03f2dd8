"""The price of fairness: total compatibility against the worst group's relative placement rate.

:func:`tradeoff` computes the curve by the epsilon-constraint method (issue 17):

1. the unconstrained optimum: its objective ``z0`` and the ratio ``r0`` it happens
   to reach (worst group's placement rate over the city's, :mod:`jhmatch.optimize.fairness`);
2. the largest ratio any plan reaches, ``r_max``: the largest common rate ``m`` of
   all groups (an LP bound, then exact flow checks of the candidate rates
   ``k / seekers_g`` below it), then the best ratio ``m * S / sum ceil(m * s_g)`` over
   the rates up to it (:func:`~jhmatch.optimize.fairness.max_min_rate`: exact when no
   hard rule has a floor, since leaving a placed person out then keeps every rule);
3. ``points`` floors evenly spaced in ``(r0, r_max]``, each solved to the requested
   gap by :class:`~jhmatch.optimize.fairness_model.FloorModel` (an LP bound and
   exact plans at a fixed total), each reported with its status, objective, proven
   bound and gap, worst group and ratio reached.

Across points the bound of a lower floor bounds every higher floor (the plans
allowed only shrink), the previous point's number placed is tried first, and a
plan of a higher floor that beats a lower floor's replaces it (it meets the lower
floor too), so the curve is non-increasing. scipy's HiGHS interface takes no
starting solution, so these are the only warm starts.

The **knee** is the point farthest above the chord from the first to the last
point, both axes scaled to [0, 1] (ratio reached across, loss of total
compatibility down): the most fairness for the least loss. The **1 % answer**
is a solved plan, not an interpolation: the highest ratio reached by a plan
whose objective is at least ``0.99 * z0``, found by bisection on the floor, with
the lowest floor proven out of reach (its bound below ``0.99 * z0``).

:func:`lift_groups` is the minimum-cost way to bring a few groups (by default the
mountain counties 武义 and 磐安) to the city rate or to a given ratio of it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.checks import positive_int, positive_number, rate
from jhmatch.errors import ParameterError, SolverError
from jhmatch.i18n import gettext as _
from jhmatch.optimize.deadline import Deadline
from jhmatch.optimize.evaluate import make_allocation
from jhmatch.optimize.fairness import RelativeRateFloor, _parse_group, group_rates, max_min_rate, worst_group
from jhmatch.optimize.fairness_model import FloorModel
from jhmatch.optimize.problem import AllocationProblem
from jhmatch.optimize.result import Allocation, Status
from jhmatch.taxonomy import REGIONS

__all__ = ["MOUNTAIN_COUNTIES", "GroupLift", "OnePercent", "TradeoffCurve", "TradeoffPoint", "knee_index",
           "lift_groups", "tradeoff"]

MOUNTAIN_COUNTIES: tuple[str, ...] = tuple(r.code for r in REGIONS if r.mountain)
"""Codes of Jinhua's mountain counties (武义 330723, 磐安 330727), from :data:`jhmatch.taxonomy.REGIONS`."""

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


@dataclass(frozen=True, eq=False)
class OnePercent:
    """The highest ratio reached by a solved plan losing at most ``1 - share`` of total compatibility.

    ``point`` is that plan; ``limit`` the lowest floor proven out of reach (its bound
    below the threshold), ``None`` when none was proven (``ratio`` is then only what
    was reached); ``threshold`` is ``share * z0``.
    """

    ratio: float
    limit: float | None
    threshold: float
    point: TradeoffPoint


@dataclass(frozen=True, eq=False)
class TradeoffCurve:
    """Result of :func:`tradeoff`.

    Attributes
    ----------
    by : str
        The grouping (``county`` or ``category``).
    points : tuple of TradeoffPoint
        The unconstrained point first, then the floors in increasing order.
    z0, r0 : float
        Objective and ratio of the unconstrained optimum.
    r_max : float
        The largest ratio any plan reaches; ``r_max_proven`` says whether that is proven.
    knee : int
        Index in ``points`` of the knee (max distance above the chord, see the module).
    one_percent : OnePercent
        The ratio reachable at <= 1 % loss.
    seconds : float
        Wall time of the whole curve; ``timings`` splits it (``unconstrained``, ``r_max``,
        ``points``, ``one_percent``).
    """

    by: str
    points: tuple[TradeoffPoint, ...]
    z0: float
    r0: float
    r_max: float
    r_max_proven: bool
    knee: int
    one_percent: OnePercent
    gap: float
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)

    def table(self) -> pd.DataFrame:
        """One row per point: ``floor, objective, loss, worst, ratio, status, gap, bound, placed, seconds``.

        Examples
        --------
        >>> list(TradeoffCurve("county", (), 1.0, 1.0, 1.0, True, 0, None, 0.0, 0.0).table().columns)[:4]
        ['floor', 'objective', 'loss', 'worst']
        """
        return pd.DataFrame({
            "floor": [p.floor for p in self.points], "objective": [p.objective for p in self.points],
            "loss": [p.loss for p in self.points], "worst": [p.worst for p in self.points],
            "ratio": [p.ratio for p in self.points], "status": [p.status.value for p in self.points],
            "gap": [p.gap for p in self.points], "bound": [p.bound for p in self.points],
            "placed": [p.placed for p in self.points], "seconds": [p.seconds for p in self.points]})


@dataclass(frozen=True, eq=False)
class GroupLift:
    """Result of :func:`lift_groups`: the unconstrained point, the lifted point, and what the lift costs.

    ``lost`` is ``base.objective - lifted.objective`` and ``lost_share`` that over
    ``base.objective``; both plans carry their own status and gap, so the least loss
    itself is proven to lie in ``[lost_low, lost_high]`` = ``[max(0, base.objective -
    lifted.bound), base.bound - lifted.objective]``.
    """

    groups: tuple[str, ...]
    ratio: float
    base: TradeoffPoint
    lifted: TradeoffPoint
    lost: float
    lost_share: float
    lost_low: float = float("nan")
    lost_high: float = float("nan")


def knee_index(ratios: Sequence[float], objectives: Sequence[float]) -> int:
    """Index of the point farthest above the chord from the first to the last point.

    Both axes are scaled to [0, 1] (ratio from first to last; loss of objective from
    first to last); the distance above the chord is ``ratio_scaled - loss_scaled``.

    Examples
    --------
    >>> knee_index([0.8, 0.9, 0.95, 1.0], [100.0, 99.5, 98.0, 90.0])
    2
    """
    x = np.asarray(ratios, dtype=float)
    y = np.asarray(objectives, dtype=float)
    if x.size < 3 or not (np.isfinite(x).all() and np.isfinite(y).all()):
        return int(x.size - 1) if x.size else 0
    dx, dy = x[-1] - x[0], y[0] - y[-1]
    xs = (x - x[0]) / dx if dx > 0 else np.zeros_like(x)
    ys = (y[0] - y) / dy if dy > 0 else np.zeros_like(y)
    return int(np.argmax(xs - ys))


class _Sweep:
    """The shared state of one curve: the model, the clock, the requested gap, ``z0``."""

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


def _better_above(points: list[TradeoffPoint], sweep: _Sweep, floors_of: list[dict[str, float]]) -> list[TradeoffPoint]:
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


def _unconstrained(sweep: _Sweep, share: float | None) -> TradeoffPoint:
    from jhmatch.optimize.solve import solve

    t0 = time.perf_counter()
    alloc = solve(sweep.problem, time_limit=sweep.deadline.cap(share).left(), gap=sweep.gap or None)
    if not math.isfinite(alloc.objective):
        raise SolverError(f"no plan for the problem without a fairness floor: {alloc.message}")
    sweep.z0 = alloc.objective
    status = Status.OPTIMAL if alloc.status is Status.OPTIMAL else alloc.status
    return sweep.point_of(float("nan"), None, alloc, alloc.bound, status, alloc.message, time.perf_counter() - t0)


def _max_ratio(sweep: _Sweep, base: TradeoffPoint) -> tuple[float, float, bool]:
    """``(r_max, m, proven)``: the largest ratio, the common rate reaching it, whether proven."""
    model = sweep.model
    rates = base.rates.set_index("group")["rate"] if base.has_plan else pd.Series(dtype=float)
    known = float(rates.reindex(model.labels).fillna(0.0).min()) if len(rates) else 0.0
    m_max, proven = model.max_common_rate(known, sweep.deadline)
    sweep.m_max = m_max if proven else None
    r_max, m = max_min_rate(model.counts, model.total, m_max)
    if m_max <= 0 and base.placed > 0:  # some group can place nobody: every plan that places anyone has ratio 0
        r_max = 0.0
    return r_max, m, proven and model.downward_closed


def _one_percent(sweep: _Sweep, points: list[TradeoffPoint], share: float = 0.99, steps: int = 6,
                 tol: float = 1e-3) -> OnePercent:
    threshold = share * sweep.z0
    good = [p for p in points if p.has_plan and p.objective >= threshold - 1e-9]
    best = max(good, key=lambda p: (p.ratio, p.objective))
    out = [p.floor for p in points[1:] if p.bound is not None and p.bound < threshold]
    limit = min(out) if out else None
    hint = [best.placed]
    for _step in range(steps):
        hi = limit if limit is not None else max(p.floor for p in points[1:]) if len(points) > 1 else best.ratio
        if limit is None or hi - best.ratio <= tol or sweep.deadline.expired:
            break
        mid = (best.ratio + hi) / 2
        p = sweep.solve_floor(mid, dict.fromkeys(sweep.model.labels, mid), hints=hint,
                              share=max((sweep.deadline.left() or 60.0) / (steps - _step), 0.5), target=threshold)
        if p.has_plan and p.objective >= threshold - 1e-9:
            best, hint = (p if p.ratio > best.ratio else best), [p.placed]
        elif p.bound is not None and p.bound < threshold:
            limit = mid
        else:
            break  # neither reached nor proven out of reach: stop honestly
    return OnePercent(best.ratio, limit, threshold, best)


def tradeoff(problem: AllocationProblem, *, by: str = "county", points: int = 10, time_limit: float | None = 60.0,
             gap: float = 1e-4) -> TradeoffCurve:
    """The curve of total compatibility against the worst group's relative placement rate.

    Parameters
    ----------
    problem : AllocationProblem
        The allocation (its persons table has the ``by`` column); its own rules stay.
    by : {"county", "category"}
        Fairness between counties or between disability categories.
    points : int
        Floors above the unconstrained point (at least 1; the issue asks for 10).
    time_limit : float or None
        Seconds for the whole curve; a point cut short says so (TIME_LIMIT).
    gap : float
        Relative gap to which each point is proven.

    Returns
    -------
    TradeoffCurve

    Examples
    --------
    >>> from jhmatch.matching.score_matrix import ScoreMatrix
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a", "b", "c"], "post_id": ["x", "x", "y"],
    ...                                           "score": [0.9, 0.5, 0.8]}))
    >>> persons = pd.DataFrame({"person_id": ["a", "b", "c"], "county": ["330702", "330723", "330702"]})
    >>> curve = tradeoff(AllocationProblem(sm, [1, 1], persons=persons), points=2, gap=0.0)
    >>> [round(p.objective, 2) for p in curve.points], round(curve.r_max, 3)
    ([1.7, 1.3, 1.3], 0.75)
    """
    from jhmatch.optimize.fairness import GROUPINGS

    t0 = time.perf_counter()
    if by not in GROUPINGS:
        raise ParameterError(f"by={by!r}: expected one of {', '.join(GROUPINGS)}")
    points = positive_int("points", points)
    gap = rate("gap", gap, below_one=True)
    deadline = Deadline(None if time_limit is None else positive_number("time_limit", time_limit))
    sweep = _Sweep(problem, by, gap, deadline)
    left = lambda k: None if deadline.left() is None else deadline.left() / k  # noqa: E731
    base = _unconstrained(sweep, left(points + 3))
    timings = {"unconstrained": time.perf_counter() - t0}
    r_max, m_rate, proven = _max_ratio(sweep, base)
    timings["r_max"] = time.perf_counter() - t0 - timings["unconstrained"]
    r0 = base.ratio
    lo = r0 if math.isfinite(r0) else 0.0
    floors = [lo + (r_max - lo) * k / points for k in range(1, points + 1)] if r_max > lo + 1e-9 else []
    result = [base]
    floors_of: list[dict[str, float]] = [{}]
    bound = base.bound
    hint = [base.placed]
    for i, f in enumerate(floors):
        extra = [int(np.ceil(m_rate * sweep.model.counts - 1e-9).sum())] if i == len(floors) - 1 else []
        p = sweep.solve_floor(f, dict.fromkeys(sweep.model.labels, f), hints=hint + extra, bound=bound,
                              share=left(len(floors) - i + 1))
        result.append(p)
        floors_of.append(dict.fromkeys(sweep.model.labels, f))
        bound = p.bound if p.bound is not None else bound
        hint = [p.placed] if p.has_plan else hint
    result = _better_above(result, sweep, floors_of)
    plans = [p for p in result if p.has_plan]
    knee_at = knee_index([p.ratio for p in plans], [p.objective for p in plans])
    knee = result.index(plans[knee_at])
    timings["points"] = sum(p.seconds for p in result[1:])
    t1 = time.perf_counter()
    one = _one_percent(sweep, result)
    timings["one_percent"] = time.perf_counter() - t1
    return TradeoffCurve(by, tuple(result), sweep.z0, r0, r_max, proven, knee, one, gap, time.perf_counter() - t0,
                         timings)


def lift_groups(problem: AllocationProblem, groups: Sequence[Any] = MOUNTAIN_COUNTIES, *, by: str = "county",
                ratio: float = 1.0, time_limit: float | None = 60.0, gap: float = 1e-4) -> GroupLift:
    """The least loss of total compatibility that lifts ``groups`` to ``ratio`` times the city rate.

    Floors go on those groups only (:class:`~jhmatch.optimize.fairness.RelativeRateFloor`
    with a mapping); the other groups are free.

    Parameters
    ----------
    problem : AllocationProblem
        The allocation.
    groups : sequence
        Groups to lift; default the mountain counties 武义 and 磐安 (codes or names).
    by : {"county", "category"}
        The grouping.
    ratio : float
        The floor (1.0: the city rate).
    time_limit, gap
        As in :func:`tradeoff`.

    Examples
    --------
    >>> from jhmatch.matching.score_matrix import ScoreMatrix
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a", "b"], "post_id": ["x", "x"],
    ...                                           "score": [0.9, 0.5]}))
    >>> persons = pd.DataFrame({"person_id": ["a", "b"], "county": ["330702", "330723"]})
    >>> lift = lift_groups(AllocationProblem(sm, [1], persons=persons), ["武义"], gap=0.0)
    >>> lift.groups, round(lift.lost, 2), lift.lifted.worst
    (('330723',), 0.4, '330723')
    """
    ratio = positive_number("ratio", ratio)
    gap = rate("gap", gap, below_one=True)
    deadline = Deadline(None if time_limit is None else positive_number("time_limit", time_limit))
    sweep = _Sweep(problem, by, gap, deadline)
    codes = tuple(dict.fromkeys(_parse_group(by)(g) for g in groups))
    missing = [c for c in codes if c not in sweep.model.labels]
    if missing:
        raise ParameterError(f"lift_groups: no seeker of the problem is in {missing[0]}; groups present: "
                             f"{', '.join(sweep.model.labels)}")
    base = _unconstrained(sweep, None if deadline.left() is None else deadline.left() / 3)
    floors = dict.fromkeys(codes, ratio)
    lifted = sweep.solve_floor(ratio, floors, hints=[base.placed], bound=base.bound)
    lost = base.objective - lifted.objective if lifted.has_plan else float("nan")
    low = max(0.0, base.objective - lifted.bound) if lifted.bound is not None else float("nan")
    high = (base.bound if base.bound is not None else math.inf) - lifted.objective
    return GroupLift(codes, ratio, base, lifted, lost, lost / base.objective if base.objective else float("nan"),
                     low, high)
