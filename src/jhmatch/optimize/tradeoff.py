"""The price of fairness: total compatibility against the worst group's relative placement rate.

:func:`tradeoff` computes the curve by the epsilon-constraint method (issue 17):

1. the unconstrained optimum: its objective ``z0`` and the ratio ``r0`` it happens
   to reach (worst group's placement rate over the city's, :mod:`jhmatch.optimize.fairness`);
2. the largest ratio any plan reaches, ``r_max``: the largest common rate ``m`` of
   all groups (bisection over the candidate rates ``k / seekers_g``, each checked by
   an exact flow solve, :meth:`~jhmatch.optimize.fairness_model.FloorModel.max_common_rate`),
   then the best ratio ``m * S / sum ceil(m * s_g)`` over the rates up to it
   (:func:`~jhmatch.optimize.fairness.max_min_rate`: exact when no hard rule has a
   floor, since leaving a placed person out then keeps every rule);
3. ``points`` floors evenly spaced in ``(r0, r_max]``, each solved to the requested
   gap by :meth:`~jhmatch.optimize.floor_search.FloorSearch.solve_floor` (branch and
   bound on the number placed, exact flow solves, an LP cap), each reported with its
   status, objective, proven bound and gap, worst group and ratio reached.

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
from jhmatch.errors import ParameterError
from jhmatch.optimize.deadline import Deadline
from jhmatch.optimize.fairness import _parse_group, max_min_rate
from jhmatch.optimize.floor_search import FloorSearch, TradeoffPoint, better_above, unconstrained
from jhmatch.optimize.problem import AllocationProblem
from jhmatch.taxonomy import REGIONS

__all__ = ["MOUNTAIN_COUNTIES", "GroupLift", "OnePercent", "TradeoffCurve", "TradeoffPoint", "knee_index",
           "lift_groups", "tradeoff"]

MOUNTAIN_COUNTIES: tuple[str, ...] = tuple(r.code for r in REGIONS if r.mountain)
"""Codes of Jinhua's mountain counties (武义 330723, 磐安 330727), from :data:`jhmatch.taxonomy.REGIONS`."""


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


def _max_ratio(sweep: FloorSearch, base: TradeoffPoint) -> tuple[float, float, bool]:
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


def _one_percent(sweep: FloorSearch, points: list[TradeoffPoint], share: float = 0.99, steps: int = 6,
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
    sweep = FloorSearch(problem, by, gap, deadline)
    left = lambda k: None if deadline.left() is None else deadline.left() / k  # noqa: E731
    base = unconstrained(sweep, left(points + 3))
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
    result = better_above(result, sweep, floors_of)
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
    sweep = FloorSearch(problem, by, gap, deadline)
    codes = tuple(dict.fromkeys(_parse_group(by)(g) for g in groups))
    missing = [c for c in codes if c not in sweep.model.labels]
    if missing:
        raise ParameterError(f"lift_groups: no seeker of the problem is in {missing[0]}; groups present: "
                             f"{', '.join(sweep.model.labels)}")
    base = unconstrained(sweep, None if deadline.left() is None else deadline.left() / 3)
    floors = dict.fromkeys(codes, ratio)
    lifted = sweep.solve_floor(ratio, floors, hints=[base.placed], bound=base.bound)
    lost = base.objective - lifted.objective if lifted.has_plan else float("nan")
    low = max(0.0, base.objective - lifted.bound) if lifted.bound is not None else float("nan")
    high = (base.bound if base.bound is not None else math.inf) - lifted.objective
    return GroupLift(codes, ratio, base, lifted, lost, lost / base.objective if base.objective else float("nan"),
                     low, high)
