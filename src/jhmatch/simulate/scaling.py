"""The one scaling rule between the persons table and the city (Jinhua).

The persons table is read as a **sample of all the city's certificate holders**, employed or
not (the employment rate needs them all). Its share of the city is

    scale = working-age persons of the table at the start ÷ ``city_holders``

(``city_holders``: the city's working-age certificate holders, PARAM 50,000, ``domain.md`` §2;
a register of the whole city sets it to its own working-age count, scale 1). Then, and only
through the functions of this module:

- every **count** of the table (placements, jobs ended, persons in and out, employed persons)
  is shown as a city-wide equivalent, ``count ÷ scale`` (:func:`to_city`), so it compares with
  the plan's 5,000 new jobs and 500 welfare posts;
- every **city-wide number of places** of the scenario (places opened a year) becomes places
  of the table, ``places × scale`` (:func:`to_table`);
- **rates** (shares of persons: inflows, exits, job losses, the employment rate) are the same
  for the table and the city and are not scaled.

The rate and the counts therefore describe the same city: ``Δ employed = new jobs − jobs
ended − employed persons leaving + employed entrants`` holds in the table and, divided by the
same ``scale``, city-wide.

Examples
--------
>>> s = table_scale(1900, 50000.0)
>>> s, to_city(76, s), to_table(1000.0, s)
(0.038, 2000.0, 38.0)
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["table_scale", "to_city", "to_table"]


def table_scale(working_age_persons: int, city_holders: float) -> float:
    """The table's share of the city: its working-age persons ÷ the city's working-age certificate holders.

    A table without working-age persons, or ``city_holders`` of 0, counts as one person of one.

    Examples
    --------
    >>> table_scale(500, 50000.0)
    0.01
    """
    return max(int(working_age_persons), 1) / float(city_holders or 1.0)


def to_city(count: Any, scale: float) -> Any:
    """Counts of the table as city-wide equivalents (``count ÷ scale``; arrays element-wise).

    Examples
    --------
    >>> to_city(5, 0.01)
    500.0
    """
    return np.asarray(count, dtype=float) / scale if np.ndim(count) else float(count) / scale


def to_table(city_places: Any, scale: float) -> Any:
    """City-wide places (or persons) as numbers of the table (``places × scale``).

    Examples
    --------
    >>> to_table(125.0, 0.04)
    5.0
    """
    return np.asarray(city_places, dtype=float) * scale if np.ndim(city_places) else float(city_places) * scale
