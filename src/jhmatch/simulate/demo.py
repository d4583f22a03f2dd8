"""The demo city of a simulation, and a small cached result for the examples.

Examples
--------
>>> city = demo_city(n_persons=300, posts_per_person=0.15)
>>> len(city.persons), len(city.posts)
(300, 45)
"""

from __future__ import annotations

import functools
from typing import Any

from jhmatch.datasets import Scenario, make_jinhua

__all__ = ["demo_city", "demo_result"]


def demo_city(n_persons: int = 2000, posts_per_person: float | None = None, seed: int = 0) -> Scenario:
    """The synthetic Jinhua of :func:`~jhmatch.datasets.make_jinhua` (default size), optionally with fewer posts.

    ``posts_per_person`` sets ``n_posts = round(posts_per_person × n_persons)`` (at least 40), as
    ``jhmatch demo`` does with its ``DEMO_POSTS_PER_PERSON``; ``None`` keeps make_jinhua's default.

    Examples
    --------
    >>> len(demo_city(n_persons=200).posts)
    60
    """
    n_posts = None if posts_per_person is None else max(40, round(posts_per_person * n_persons))
    return make_jinhua(n_persons=n_persons, n_posts=n_posts, seed=seed)


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

    city = demo_city(n_persons=300, posts_per_person=0.15, seed=5)
    return simulate(city.persons, city.posts, SimulationScenario(end_year=2023), replications=4, seed=1)
