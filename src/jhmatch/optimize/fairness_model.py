"""Solving an allocation under relative-rate floors: an LP bound and exact flow solves at a fixed total.

Branch and bound on the MILP with :class:`~jhmatch.optimize.fairness.RelativeRateFloor`
rows is slow on a city-sized problem (measured on the demo city, 167,000 pairs:
HiGHS finds no plan in 30 s), because every floor row touches every seeker's
pairs. The floors only count placements, though, and once the number placed is
fixed at most ``P`` they become plain group minimums::

    placed <= P  and  placed_g >= ceil(r_g * seekers_g * P / seekers)   for every group g

which imply the floors (``placed_g >= r_g * seekers_g * P / seekers >= r_g * seekers_g *
placed / seekers``) and fit the min-cost-flow network (laminar groups on the
persons' side). :class:`FloorModel` therefore proves a point with two of
jhmatch's solvers:

- an **upper bound**: the LP relaxation of the linear form
  (:mod:`jhmatch.optimize.linear`, built once per problem by the MILP backend's
  :func:`~jhmatch.optimize.backends.milp.build_model`) plus one column ``placed``
  and one sparse row per floored group (``placed_g - r_g * seekers_g / seekers *
  placed >= 0``), re-solved per floor with only those rows rebuilt;
- **plans**: :func:`jhmatch.optimize.solve` on the problem with the group minimums
  and the total for a few ``P`` (the LP's ``placed`` rounded down, the previous
  point's, then smaller admissible values). Each is exact for its ``P``.

A point is proven when its best plan is within the requested gap of the bound.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint

from jhmatch.errors import ParameterError
from jhmatch.optimize.backends.milp import MilpModel, build_model, run_model
from jhmatch.optimize.blocks import Block
from jhmatch.optimize.constraints import Constraint
from jhmatch.optimize.deadline import Deadline
from jhmatch.optimize.evaluate import compile_blocks
from jhmatch.optimize.fairness import _seekers, group_keys
from jhmatch.optimize.result import Allocation, Status

if TYPE_CHECKING:  # pragma: no cover
    from jhmatch.optimize.problem import AllocationProblem

__all__ = ["FloorModel", "GroupMinimum"]


@dataclass(frozen=True, eq=False)
class GroupMinimum(Constraint):
    """Hard group rows on the persons' side: ``placed_g >= minimum[g]`` and, optionally, ``placed <= total``.

    ``keys`` gives every person's group (``None``: none); ``seekers`` marks who counts in
    the total. Used by :class:`FloorModel`; the rows are laminar, so they fit the flow.

    Examples
    --------
    >>> GroupMinimum(np.array(["a", None], dtype=object), np.ones(2, bool), {"a": 1}).label
    'GroupMinimum'
    """

    keys: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=object))
    seekers: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    minimum: dict[str, int] = field(default_factory=dict)
    total: int | None = None

    def compile(self, problem: AllocationProblem) -> Block:
        labels = sorted(self.minimum)
        text = np.array([None if k is None else str(k) for k in self.keys], dtype=object)
        membership = np.full(problem.n_persons, -1, dtype=np.int64)
        for i, k in enumerate(labels):
            membership[text == k] = i
        lb = np.array([float(self.minimum[k]) for k in labels])
        return Block(self.label, np.array(labels, dtype=object), lb, np.full(len(labels), np.inf), True, 1.0,
                     "person", membership, None)


@dataclass(frozen=True, eq=False)
class _Total(Constraint):
    seekers: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    total: int = 0

    def compile(self, problem: AllocationProblem) -> Block:
        membership = np.where(self.seekers, 0, -1).astype(np.int64)
        return Block(self.label, np.array(["placed"], dtype=object), np.array([-np.inf]), np.array([float(self.total)]),
                     True, 1.0, "person", membership, None)


def _limit(seconds: float | None) -> float | None:
    """A time limit ``solve`` accepts: a clock that has run out still gets a hundredth of a second."""
    return None if seconds is None else max(float(seconds), 0.01)


@dataclass(frozen=True, eq=False)
class Trial:
    """One plan tried at a fixed total: ``total``, the allocation (None when it has no plan), and whether
    the solver proved that there is none."""

    total: int
    allocation: Allocation | None
    infeasible: bool = False


class FloorModel:
    """A problem's LP with a ``placed`` column, and its plans at a fixed total (see the module docstring).

    Parameters
    ----------
    problem : AllocationProblem
        The problem (its persons table has the ``by`` column).
    by : {"county", "category"}
        The grouping of the floors.

    Examples
    --------
    >>> import pandas as pd
    >>> from jhmatch.matching.score_matrix import ScoreMatrix
    >>> from jhmatch.optimize import AllocationProblem
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a", "b"], "post_id": ["x", "x"], "score": [1.0, 0.5]}))
    >>> persons = pd.DataFrame({"person_id": ["a", "b"], "county": ["330702", "330723"]})
    >>> model = FloorModel(AllocationProblem(sm, [1], persons=persons), "county")
    >>> model.labels, model.counts.tolist(), model.total
    (['330702', '330723'], [1, 1], 2)
    """

    def __init__(self, problem: AllocationProblem, by: str):
        self.problem = problem
        self.by = by
        keys = group_keys(problem, by)
        self.keys = np.array([None if k is None else str(k) for k in keys], dtype=object)
        self.seekers = _seekers(problem)
        self.labels: list[str] = sorted({k for k in self.keys if k is not None})
        if not self.labels:
            raise ParameterError(f"fairness by {by}: no seeker has a {by}")
        self.counts = np.array([int(np.sum(self.keys == k)) for k in self.labels], dtype=np.int64)
        self.total = int(self.seekers.sum())
        self.blocks = compile_blocks(problem)
        # downward closure (leaving a placed person out keeps every rule) holds unless a hard rule has a floor
        self.downward_closed = not any(b.hard and np.isfinite(b.lb).any() for b in self.blocks)
        self._base: MilpModel | None = None
        row = np.full(problem.n_persons, -1, dtype=np.int64)
        for i, k in enumerate(self.labels):
            row[self.keys == k] = i
        self._pair_row = row[problem.pair_person]
        self._pair_seeker = self.seekers[problem.pair_person]

    # ------------------------------------------------------------------ the LP
    def _model(self) -> tuple[MilpModel, list[LinearConstraint], int]:
        if self._base is None:
            self._base = build_model(self.problem, self.blocks)
            n = self._base.c.size
            self._cons = [LinearConstraint(sp.hstack([c.A, sp.csr_array((c.A.shape[0], 1))], format="csr"), c.lb, c.ub)
                          for c in self._base.constraints]
            seek = np.flatnonzero(self._pair_seeker)
            self._total_row = LinearConstraint(sp.csr_array(
                (np.r_[-np.ones(seek.size), 1.0], (np.zeros(seek.size + 1, np.int64), np.r_[seek, n])),
                shape=(1, n + 1)), 0.0, 0.0)
            inside = np.flatnonzero(self._pair_row >= 0)
            self._member = sp.csr_array((np.ones(inside.size), (self._pair_row[inside], inside)),
                                        shape=(len(self.labels), n + 1))
        return self._base, self._cons, self._base.c.size

    def lp_bound(self, ratios: np.ndarray, cap: int | None, deadline: Deadline) -> tuple[float | None, float | None]:
        """LP bound on the objective under floors ``ratios`` (one per label; 0: none) with at most ``cap``
        placed, and the LP's number placed; ``(None, None)`` when the LP did not finish by ``deadline``."""
        base, cons, n = self._model()
        scale = np.asarray(ratios, float) * self.counts / self.total
        rows = np.flatnonzero(scale > 0)
        col = sp.csr_array((-scale[rows], (np.arange(rows.size), np.full(rows.size, n))), shape=(rows.size, n + 1))
        extra = [LinearConstraint(sp.csr_array(self._member[rows] + col), 0.0, np.inf)] if rows.size else []
        bounds = Bounds(np.r_[base.bounds.lb, 0.0], np.r_[base.bounds.ub, np.inf if cap is None else float(cap)])
        model = MilpModel(np.r_[base.c, 0.0], np.zeros(n + 1), bounds, [*cons, *extra, self._total_row], base.n_pairs)
        res = run_model(model, True, deadline, None)
        if res.status != 0 or res.x is None:
            return None, None
        return float(-res.fun), float(res.x[-1])

    # ------------------------------------------------------------------ plans at a fixed total
    def minimums(self, ratios: np.ndarray, total: int) -> np.ndarray:
        """Group minimums ``ceil(r_g * seekers_g * total / seekers)`` for ``ratios``."""
        return np.ceil(np.asarray(ratios, float) * self.counts * total / self.total - 1e-9).astype(np.int64)

    def admissible(self, ratios: np.ndarray, totals: np.ndarray) -> np.ndarray:
        """Which ``totals`` leave room for their own minimums (``sum of minimums <= total``)."""
        totals = np.asarray(totals, dtype=np.int64)
        need = np.ceil(np.outer(totals, np.asarray(ratios, float) * self.counts / self.total) - 1e-9).sum(axis=1)
        return need <= totals

    def plan_at(self, ratios: np.ndarray, total: int, time_limit: float | None, gap: float | None = None,
                low: int | None = None) -> Trial:
        """The best plan with at most ``total`` placed and the group minimums of ``ratios`` at ``low`` placed
        (default ``total``), by ``solve`` within ``gap``; its proven bound is the allocation's.

        Every plan meeting the floors and placing between ``low`` and ``total`` keeps these
        rows, so the solve's bound bounds them all.
        """
        from jhmatch.optimize.solve import solve

        mins = self.minimums(ratios, total if low is None else low)
        floor = GroupMinimum(self.keys, self.seekers, {k: int(v) for k, v in zip(self.labels, mins) if v > 0})
        rules = [floor, _Total(self.seekers, int(total))] if floor.minimum else [_Total(self.seekers, int(total))]
        # first, so that these hard rows join the flow network and the problem's own crossing rules go to the side
        alloc = solve(self.problem.replace_constraints([*rules, *self.problem.constraints]),
                      time_limit=_limit(time_limit), gap=gap or None)
        has = alloc.status in (Status.OPTIMAL, Status.FEASIBLE) or (alloc.status is Status.TIME_LIMIT
                                                                     and alloc.n_placed > 0)
        return Trial(int(total), alloc if has else None, alloc.status is Status.INFEASIBLE)

    def meets(self, ratios: np.ndarray, allocation: Allocation) -> bool:
        """Whether a plan meets the floors ``ratios`` (counted from its placements, with a 1e-9 tolerance)."""
        placed = np.zeros(self.problem.n_persons, dtype=bool)
        placed[self.problem.pair_person[allocation.selected]] = True
        placed &= self.seekers
        n = np.array([np.sum(placed & (self.keys == k)) for k in self.labels], dtype=float)
        return bool(np.all(n * self.total >= np.asarray(ratios, float) * self.counts * placed.sum() - 1e-9))

    def rates_feasible(self, rate: float, time_limit: float | None) -> bool | None:
        """Can every group reach ``rate`` together (``placed_g >= ceil(rate * seekers_g)``)? ``None``: unknown.

        Only the hard rules matter here: soft ones can always be broken.
        """
        from jhmatch.optimize.solve import solve

        mins = np.ceil(rate * self.counts - 1e-9).astype(np.int64)
        floor = GroupMinimum(self.keys, self.seekers, {k: int(v) for k, v in zip(self.labels, mins) if v > 0})
        hard = [c for c in self.problem.constraints if c.hard]
        alloc = solve(self.problem.replace_constraints([floor, *hard]), time_limit=_limit(time_limit))
        if alloc.status is Status.INFEASIBLE:
            return False
        if alloc.status in (Status.OPTIMAL, Status.FEASIBLE) or alloc.n_placed > 0:
            return True
        return None

    def rate_upper(self) -> float:
        """A cheap upper bound on the common rate: no group places more of its seekers than have a candidate."""
        reach = np.diff(self.problem.scores.scores.indptr) > 0
        return float(min(np.sum(reach & (self.keys == k)) / s for k, s in zip(self.labels, self.counts)))

    def max_common_rate(self, known: float, deadline: Deadline) -> tuple[float, bool]:
        """The largest rate ``m`` every group reaches together in some plan, and whether that is proven.

        ``known`` is a rate known reachable (e.g. the worst group's rate in any plan).
        The candidates ``k / seekers_g`` between it and :meth:`rate_upper` are checked
        by exact flow solves (bisection).
        """
        upper = self.rate_upper()
        cands = np.unique(np.concatenate([np.arange(0, math.floor(upper * s + 1e-9) + 1) / s for s in self.counts]))
        cands = cands[cands >= known - 1e-12]
        if cands.size == 0:
            return float(known), True
        proven = True

        def ok(i: int) -> bool:
            nonlocal proven
            left = deadline.left()
            res = self.rates_feasible(float(cands[i]), None if left is None else max(left, 1.0))
            if res is None:
                proven = False
            return bool(res)

        lo, hi = 0, cands.size  # cands[lo] reachable (known), cands[hi:] not
        if ok(cands.size - 1):
            return float(cands[-1]), proven
        hi = cands.size - 1
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if ok(mid):
                lo = mid
            else:
                hi = mid
        return float(cands[lo]), proven
