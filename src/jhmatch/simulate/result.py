"""What a simulation gives: each plan target per year, city and county, with an interval and a probability.

The four targets of the plan's §一 are measured every simulated year, with their names and
goals from their one home (:class:`jhmatch.policy.PlanTargets`, :mod:`jhmatch.policy.labels`):

- ``new_jobs``: placements of persons without a job, summed from the first simulated year,
  by the person's county (a person placed again after a job ended counts again);
- ``welfare_posts``: places of welfare posts opened, summed (with the starting table's
  welfare posts in the first year only with ``count_start_posts``: they were open before the start), by the
  post's county;
- ``employment_rate``: employed ÷ working-age persons in the register on 31 December;
- ``graduate_rate``: that year's graduating students who want work, employed on 31 December
  (a year and county without such students has no value and is left out of the probability).

Counts are **city-wide equivalents**: the table's counts ÷
:attr:`~SimulationResult.scale` (its share of the city's working-age certificate holders; the
one rule, :mod:`jhmatch.simulate.scaling`), so they compare with the plan's 5,000 and 500 and
move the employment rate as they would in the city. The interval is the 5 % and 95 % quantiles over
the replications, widened to include the mean when the distribution is so lopsided that the
mean falls outside them (the row says so in ``widened``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.policy.targets import PlanTargets
from jhmatch.simulate.engine import FLOWS
from jhmatch.simulate.scaling import to_city
from jhmatch.simulate.scenario import SimulationScenario
from jhmatch.taxonomy import REGIONS

__all__ = ["SIM_TARGETS", "SimulationResult"]

SIM_TARGETS = ("new_jobs", "welfare_posts", "employment_rate", "graduate_rate")
"""The plan's targets the simulation follows (codes of :class:`jhmatch.policy.PlanTargets`)."""
LOW, HIGH = 0.05, 0.95
_F = {name: i for i, name in enumerate(FLOWS)}
UNKNOWN = "unknown"
"""Scope of the persons and posts without a (known) county: in the city's figures, no goal of its own."""
_SCOPES = ("city", *(r.code for r in REGIONS), UNKNOWN)


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """The replications of a simulation and the tables planners read.

    Attributes
    ----------
    scenario : SimulationScenario
    counts : ndarray of int, shape (replications, years, counties, len(FLOWS))
        Every flow per replication, year and county (:data:`jhmatch.simulate.engine.FLOWS`).
    objective : ndarray, shape (replications, years)
        Objective of each year's allocation (sum of priority weight × score).
    scale : float
        Working-age persons of the table ÷ the city's (``city_holders``).
    pool_shortfall : int
        Entrants or places the pools could not provide (0 unless the rates are far above the
        scenario's; then the counts are a little low).
    seed : int
    start : StartCheck, optional
        The starting tables against the scenario (:mod:`jhmatch.simulate.register`).
    """

    scenario: SimulationScenario
    counts: np.ndarray
    objective: np.ndarray
    scale: float
    pool_shortfall: int = 0
    seed: int = 0
    start: Any = None

    @property
    def years(self) -> tuple[int, ...]:
        """Simulated years."""
        return self.scenario.years

    @property
    def replications(self) -> int:
        """Number of replications."""
        return int(self.counts.shape[0])

    def goals(self) -> PlanTargets:
        """The plan's targets with the scenario's county split (:class:`~jhmatch.policy.PlanTargets`)."""
        return PlanTargets(split="population" if self.scenario.county_split == "population" else None)

    @property
    def has_unknown_county(self) -> bool:
        """Whether persons or posts without a county were simulated (the ``unknown`` scope)."""
        return bool(self.counts[:, :, -1, :].any())

    def scopes(self) -> tuple[str, ...]:
        """The scopes shown: ``city``, the county codes, and ``unknown`` when any person or post has no county."""
        return _SCOPES if self.has_unknown_county else _SCOPES[:-1]

    def values(self, target: str) -> np.ndarray:
        """A target per replication, year and scope (city, the counties of ``REGIONS``, ``unknown``): ``(R, years, 11)``.

        Examples
        --------
        >>> from jhmatch.simulate import demo_result
        >>> demo_result().values("new_jobs").shape[1:]
        (2, 11)
        """
        c = self.counts.astype(float)
        with_city = np.concatenate([c.sum(axis=2, keepdims=True), c], axis=2)

        def f(name: str) -> np.ndarray:
            return with_city[..., _F[name]]

        if target == "new_jobs":
            return to_city(np.cumsum(f("placed"), axis=1), self.scale)
        if target == "welfare_posts":
            return to_city(np.cumsum(f("welfare_opened"), axis=1), self.scale)
        num, den = {"employment_rate": ("emp_num", "emp_den"), "graduate_rate": ("grad_num", "grad_den")}[target]
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(f(den) > 0, f(num) / np.where(f(den) > 0, f(den), 1), np.nan)

    def targets(self) -> pd.DataFrame:
        """Each target per year and scope: mean, interval, goal, its basis and the probability of meeting it.

        Columns: target, scope (``city``, a county code, or ``unknown`` — persons and posts without a county,
        shown only when there are any, without a goal), year, mean, low, high, widened, goal, basis (of
        the year's goal), county_basis (where a county's target comes from: ``plan`` for the city, else
        :meth:`~jhmatch.policy.PlanTargets.county_basis`, e.g. ``population split (ASSUMPTION)``), p_meet
        (share of the replications with a value at least the year's goal; NaN without a goal).

        Examples
        --------
        >>> from jhmatch.simulate import demo_result
        >>> t = demo_result().targets()
        >>> list(t.columns)[:6]
        ['target', 'scope', 'year', 'mean', 'low', 'high']
        """
        goals = self.goals()
        rows = []
        for name in SIM_TARGETS:
            v = self.values(name)
            for y, year in enumerate(self.years):
                for s, scope in enumerate(self.scopes()):
                    x = v[:, y, s]
                    ok = x[~np.isnan(x)]
                    mean = float(ok.mean()) if ok.size else np.nan
                    lo, hi = (np.quantile(ok, [LOW, HIGH]) if ok.size else (np.nan, np.nan))
                    widened = bool(ok.size and (mean < lo or mean > hi))
                    if scope == UNKNOWN:  # no county, no county goal: counted in the city's figures
                        goal, basis, split = np.nan, "none", "none"
                    else:
                        goal, basis = goals.goal(name, scope, year)
                        split = "plan" if scope == "city" else goals.county_basis(name, scope)
                    p = float(np.mean(ok >= goal - 1e-9)) if ok.size and goal == goal else np.nan
                    rows.append((name, scope, year, mean, min(float(lo), mean), max(float(hi), mean), widened,
                                 goal, basis, split, p))
        return pd.DataFrame(rows, columns=["target", "scope", "year", "mean", "low", "high", "widened", "goal",
                                           "basis", "county_basis", "p_meet"])

    def horizon(self) -> pd.DataFrame:
        """The last year's rows of :meth:`targets`: the probability of meeting each target by the horizon."""
        t = self.targets()
        return t[t["year"] == self.years[-1]].reset_index(drop=True)

    def flows(self, *, city_wide: bool = True) -> pd.DataFrame:
        """Mean persons in and out per year and county (and the city): the conservation and employment accounts.

        City-wide equivalents (:func:`~jhmatch.simulate.scaling.to_city`) unless ``city_wide=False``
        (persons of the table). Columns: scope, year, the persons' account (start + new holders +
        graduates + youth = died + moved + retired + end), placed, lost, opened, and the employment
        account (emp_start + emp_in + placed − lost − emp_out = emp_end).

        Examples
        --------
        >>> from jhmatch.simulate import demo_result
        >>> f = demo_result().flows()
        >>> bool(((f["start"] + f["new_holders"] + f["graduates"] + f["youth"])
        ...       - (f["died"] + f["moved"] + f["retired"] + f["end"])).abs().max() < 1e-9)
        True
        """
        c = self.counts.astype(float).mean(axis=0)
        if city_wide:
            c = to_city(c, self.scale)
        names = ["start", "new_holders", "graduates", "youth", "died", "moved", "retired", "end", "placed", "lost",
                 "opened", "emp_start", "emp_in", "emp_out", "emp_end", "placed_again"]
        rows = []
        for y, year in enumerate(self.years):
            rows.append(("city", year, *(c[y, :, _F[n]].sum() for n in names)))
            rows += [(code, year, *(c[y, i, _F[n]] for n in names)) for i, code in enumerate(self.scopes()[1:])]
        return pd.DataFrame(rows, columns=["scope", "year", *names])

    def to_frame(self) -> pd.DataFrame:
        """:meth:`targets` (the main table)."""
        return self.targets()

    def __repr__(self) -> str:
        return (f"SimulationResult({self.years[0]}-{self.years[-1]}, replications={self.replications}, "
                f"scale={self.scale:.4f})")
