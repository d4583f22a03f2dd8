"""The demo city of a simulation, and a small cached result for the examples.

:func:`make_jinhua`'s persons are a register of **job seekers** (85 % willing, 15 % employed)
and its posts a single-year allocation's vacancies (about 0.4 places a person). A simulation
reads its persons table as a sample of **all** the city's certificate holders and its posts
as what is open on 1 January (:mod:`jhmatch.simulate.scaling`), so the demo of a simulation,
:func:`simulation_demo`, adapts both to the scenario:

- persons of working age have a job at the start with the share :data:`DEMO_EMPLOYED_SHARE`
  (PARAM 50 %: the plan's 60 % goal for 2025 with 5,000 new jobs — about 10 % of the city's
  50,000 working-age holders — implies a start near 50 %; no published figure for Jinhua was
  found); the persons given a job are drawn at random among the willing persons without one;
- the posts open at the start hold :data:`DEMO_OPEN_YEARS` (PARAM 1) year of the scenario's
  city-wide openings, scaled to the table, in the mix of the three opening classes — the
  vacancies of a city are a flow, not a stock of 17 years of openings (the 840 places of
  ``make_jinhua``'s 300 posts are 22,000 places city-wide against 1,205 opened a year).

Examples
--------
>>> city = demo_city(n_persons=300, posts_per_person=0.15)
>>> len(city.persons), len(city.posts)
(300, 45)
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

import numpy as np

from jhmatch.datasets import Scenario, make_jinhua
from jhmatch.policy.workingage import working_age

__all__ = ["DEMO_EMPLOYED_SHARE", "DEMO_OPEN_YEARS", "demo_city", "demo_notes", "demo_result", "simulation_demo"]

DEMO_EMPLOYED_SHARE = 0.5
"""PARAM: share of the demo's working-age persons with a job at the start (see the module docstring)."""
DEMO_OPEN_YEARS = 1.0
"""PARAM: places open at the start of the demo, in years of the scenario's city-wide openings."""


def demo_city(n_persons: int = 2000, posts_per_person: float | None = None, seed: int = 0) -> Scenario:
    """The synthetic Jinhua of :func:`~jhmatch.datasets.make_jinhua` (default size), optionally with fewer posts.

    ``posts_per_person`` sets ``n_posts = round(posts_per_person × n_persons)`` (at least 40), as
    ``jhmatch demo`` does with its ``DEMO_POSTS_PER_PERSON``; ``None`` keeps make_jinhua's default.
    A seekers' register: for a simulation use :func:`simulation_demo`.

    Examples
    --------
    >>> len(demo_city(n_persons=200).posts)
    60
    """
    n_posts = None if posts_per_person is None else max(40, round(posts_per_person * n_persons))
    return make_jinhua(n_persons=n_persons, n_posts=n_posts, seed=seed)


def simulation_demo(scenario: Any = None, n_persons: int = 2000, seed: int = 0, *,
                    employed_share: float = DEMO_EMPLOYED_SHARE, open_years: float = DEMO_OPEN_YEARS) -> Scenario:
    """The demo city of ``jhmatch simulate --demo``: all certificate holders, posts sized from the scenario.

    Parameters
    ----------
    scenario : SimulationScenario, optional
        Its start year dates the ages; its yearly openings and ``city_holders`` size the posts.
    n_persons : int, default 2000
    seed : int, default 0
    employed_share : float
        Share of the working-age persons with a job at the start (PARAM, :data:`DEMO_EMPLOYED_SHARE`).
    open_years : float
        Places open at the start in years of city-wide openings (PARAM, :data:`DEMO_OPEN_YEARS`).

    Examples
    --------
    >>> city = simulation_demo(n_persons=400, seed=1)
    >>> wa = city.persons["age"].between(20, 50)
    >>> bool(0.4 < city.persons.loc[wa, "employed"].mean() < 0.6)
    True
    >>> int(city.posts["capacity"].sum())  # 1,205 places a year city-wide x about 390 of 50,000, per class rounded
    10
    """
    from jhmatch.simulate.model import OPENING_CLASSES, posts_with_places
    from jhmatch.simulate.register import with_employed_share
    from jhmatch.simulate.scaling import table_scale, to_table
    from jhmatch.simulate.scenario import SimulationScenario

    scenario = scenario or SimulationScenario()
    city = make_jinhua(n_persons=n_persons, seed=seed, as_of=f"{scenario.start_year}-01-01")
    persons = city.persons.copy()
    wa = working_age(persons, f"{scenario.start_year}-12-31")["working_age"].to_numpy(dtype=bool)
    persons = with_employed_share(persons, wa, employed_share, np.random.default_rng([int(seed), 41]))
    scale = table_scale(int(wa.sum()), scenario.rate("city_holders"))
    places = {c: round(to_table(scenario.rate(c) * open_years, scale)) for c in OPENING_CLASSES}
    posts = posts_with_places(places, int(seed) + 7, scenario.start_year, prefix="S")
    posts = posts if len(posts) else city.posts.iloc[:0]
    return dataclasses.replace(city, persons=persons, posts=posts)


def demo_notes(scenario: Any = None) -> list[str]:
    """The demo's own assumptions in words (current language), for the top of every output.

    Examples
    --------
    >>> demo_notes()[0]
    'working-age persons with a job at the start = 50.0%'
    """
    from jhmatch.i18n import format_number, format_percent
    from jhmatch.i18n import gettext as _

    return [_("working-age persons with a job at the start = {share}").format(
                share=format_percent(DEMO_EMPLOYED_SHARE)),
            _("places open at the start = {years} year(s) of the city's yearly openings").format(
                years=format_number(DEMO_OPEN_YEARS, 1))]


@functools.lru_cache(maxsize=1)
def demo_result() -> Any:
    """A small simulation (300 persons, 2022-2023, 4 replications), cached, for the examples.

    Examples
    --------
    >>> demo_result().replications
    4
    """
    from jhmatch.simulate.engine import simulate
    from jhmatch.simulate.scenario import SimulationScenario

    scenario = SimulationScenario(end_year=2023)
    city = simulation_demo(scenario, n_persons=300, seed=5)
    return simulate(city.persons, city.posts, scenario, replications=4, seed=1)
