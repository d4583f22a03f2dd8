"""The starting register: is it all certificate holders, and making a seekers' register behave like one.

The simulation reads its persons table as **all** the city's certificate holders (employed or
not) and its posts as what is open on 1 January (:mod:`jhmatch.simulate.scaling`). A register of
**job seekers** — what ``jhmatch scenario`` and :func:`~jhmatch.datasets.make_jinhua` write: few
persons with a job, many open posts — read that way makes a city with a very low employment
rate and years of openings open at once, all filled in the first year.

:func:`start_check` measures the two signs on the table as simulated:

- the share of working-age persons with a job, against :data:`EMPLOYED_SHARE_FLOOR` (PARAM 25 %:
  half the start near 50 % that the plan's 60 % goal with 5,000 new jobs implies);
- the places open at the start in years of the scenario's city-wide openings scaled to the
  table, against :data:`OPEN_YEARS_CEILING` (PARAM 3 years).

:func:`adapt_start` applies the scenario's options ``start_employed_share`` (persons of working
age given a job at random among the willing without one, or jobs removed at random, until the
share is reached) and ``start_open_years`` (the posts kept in a seeded random order, per opening
class, until they hold that many years of openings; the last post keeps the places still
needed) — the same two adaptations the demo city makes (:func:`jhmatch.simulate.demo.simulation_demo`).

Examples
--------
>>> from jhmatch.datasets import make_jinhua
>>> from jhmatch.simulate.scenario import SimulationScenario
>>> city = make_jinhua(n_persons=300, seed=1)
>>> check = start_check(city.persons, city.posts, SimulationScenario())
>>> check.seekers_register, check.employed_share < 0.25, check.open_years > 3
(True, True, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.policy.workingage import working_age

__all__ = ["EMPLOYED_SHARE_FLOOR", "OPEN_YEARS_CEILING", "StartCheck", "adapt_start", "start_check", "with_employed_share"]

EMPLOYED_SHARE_FLOOR = 0.25
"""PARAM: below this share of working-age persons with a job, the table looks like a seekers' register."""
OPEN_YEARS_CEILING = 3.0
"""PARAM: above this many years of the scenario's openings open at the start, the posts look like a
seekers' register's vacancies."""


@dataclass(frozen=True)
class StartCheck:
    """What the starting tables look like against the scenario.

    Attributes
    ----------
    employed_share : float
        Working-age persons with a job ÷ working-age persons (NaN without working-age persons).
    open_places : int
        Places open at the start (the posts table's capacities).
    open_years : float
        ``open_places`` in years of the scenario's city-wide openings scaled to the table.
    adapted : bool
        Whether ``start_employed_share`` or ``start_open_years`` changed the tables.
    past_working_age : int
        Persons of the table already past their retirement age on 1 January of the first year:
        not of working age at the start, left out of the simulation (set by
        :func:`~jhmatch.simulate.model.build_model` when retirement is modelled).
    """

    employed_share: float
    open_places: int
    open_years: float
    adapted: bool = False
    past_working_age: int = 0

    @property
    def seekers_register(self) -> bool:
        """The table looks like a register of job seekers (either sign)."""
        return bool(self.employed_share < EMPLOYED_SHARE_FLOOR or self.open_years > OPEN_YEARS_CEILING)


def _working_age_mask(persons: pd.DataFrame, scenario: Any) -> np.ndarray:
    return working_age(persons, f"{scenario.start_year}-12-31")["working_age"].to_numpy(dtype=bool)


def _yearly_places(scenario: Any, scale: float) -> dict[str, float]:
    from jhmatch.simulate.model import OPENING_CLASSES
    from jhmatch.simulate.scaling import to_table

    return {c: to_table(scenario.rate(c), scale) for c in OPENING_CLASSES}


def start_check(persons: pd.DataFrame, posts: pd.DataFrame, scenario: Any, *, adapted: bool = False) -> StartCheck:
    """The employed share of the working-age persons and the years of openings open at the start.

    Examples
    --------
    >>> from jhmatch.simulate.demo import simulation_demo
    >>> start_check(simulation_demo(n_persons=300).persons, simulation_demo(n_persons=300).posts,
    ...             None).seekers_register
    False
    """
    from jhmatch.data import ensure_valid
    from jhmatch.simulate.scaling import table_scale
    from jhmatch.simulate.scenario import SimulationScenario

    scenario = scenario or SimulationScenario()
    persons = ensure_valid(persons, "persons")
    wa = _working_age_mask(persons, scenario)
    employed = persons["employed"].to_numpy(dtype=bool)
    share = float((employed & wa).sum() / wa.sum()) if wa.any() else float("nan")
    places = int(pd.to_numeric(posts["capacity"], errors="coerce").fillna(0).sum()) if len(posts) else 0
    yearly = sum(_yearly_places(scenario, table_scale(int(wa.sum()), scenario.rate("city_holders"))).values())
    return StartCheck(share, places, places / yearly if yearly > 0 else float("inf") if places else 0.0, adapted)


def with_employed_share(persons: pd.DataFrame, working_age: np.ndarray, share: float,
                        rng: np.random.Generator) -> pd.DataFrame:
    """A copy of ``persons`` where ``share`` of the working-age persons have a job.

    Jobs are added to willing working-age persons without one, or taken from working-age
    persons with one, chosen at random by ``rng``; nobody else changes.

    Examples
    --------
    >>> p = pd.DataFrame({"employed": [False] * 4, "willing": [True] * 4})
    >>> int(with_employed_share(p, np.ones(4, bool), 0.5, np.random.default_rng(0))["employed"].sum())
    2
    """
    persons = persons.copy()
    employed = persons["employed"].to_numpy(dtype=bool).copy()
    need = round(share * working_age.sum()) - int((employed & working_age).sum())
    if need > 0:
        pool = np.flatnonzero(working_age & ~employed & persons["willing"].to_numpy(dtype=bool))
        employed[rng.choice(pool, size=min(need, pool.size), replace=False)] = True
    elif need < 0:
        employed[rng.choice(np.flatnonzero(employed & working_age), size=-need, replace=False)] = False
    persons["employed"] = employed
    return persons


def adapt_start(persons: pd.DataFrame, posts: pd.DataFrame, scenario: Any, *, employed_share: float | None = None,
                open_years: float | None = None, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The tables with the working-age employed share and the places open at the start set (``None``: kept).

    Examples
    --------
    >>> from jhmatch.datasets import make_jinhua
    >>> from jhmatch.simulate.scenario import SimulationScenario
    >>> city = make_jinhua(n_persons=400, seed=2)
    >>> p, q = adapt_start(city.persons, city.posts, SimulationScenario(), employed_share=0.5, open_years=1)
    >>> c = start_check(p, q, SimulationScenario())
    >>> round(c.employed_share, 2), 0.8 < c.open_years < 1.3, len(q) < len(city.posts)  # places rounded per class
    (0.5, True, True)
    """
    from jhmatch.data import ensure_valid
    from jhmatch.simulate.model import OPENING_CLASSES
    from jhmatch.simulate.scaling import table_scale
    from jhmatch.simulate.scenario import OPENING_GROUPS, kind_groups

    persons = ensure_valid(persons, "persons")
    posts = ensure_valid(posts, "posts")
    wa = _working_age_mask(persons, scenario)
    rng = np.random.default_rng([int(seed), 41])
    if employed_share is not None:
        persons = with_employed_share(persons, wa, employed_share, rng)
    if open_years is not None and len(posts):
        yearly = _yearly_places(scenario, table_scale(int(wa.sum()), scenario.rate("city_holders")))
        groups = kind_groups()
        cls = posts["kind"].astype("object").map(lambda k: OPENING_GROUPS.get(groups.get(k, ""), "quota_places"))
        cap = pd.to_numeric(posts["capacity"], errors="coerce").fillna(0).to_numpy(dtype=np.int64).copy()
        keep = np.zeros(len(posts), dtype=bool)
        for c in OPENING_CLASSES:
            order = rng.permutation(np.flatnonzero(cls.to_numpy() == c))
            want = round(yearly[c] * open_years)
            if want <= 0 or order.size == 0:
                continue
            cum = np.cumsum(cap[order])
            k = min(int(np.searchsorted(cum, want)) + 1, order.size)
            keep[order[:k]] = True
            cap[order[k - 1]] -= max(0, int(cum[k - 1]) - want)
        posts = posts.assign(capacity=cap)[keep].reset_index(drop=True)
    return persons, posts
