"""Working age and the employment rate of working-age certificate holders.

Definition (``domain.md`` §1 and §4): a person is of working age on a date when
``working_age_min`` (16) ≤ age < the statutory retirement age of their sex and birth
cohort: the base ages ``retirement_age_male`` 60 and ``retirement_age_female`` 55 (PARAM)
delayed by the 2025 reform (:mod:`jhmatch.policy.retirement`; a man born 1965-10-15
retires at 60 years 3 months). Age is counted in months completed on that date. The employment rate is employed
working-age certificate holders ÷ working-age certificate holders, so the persons
table must list all holders (employed or not) for the rate to mean anything.
"""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.checks import renamed_keyword
from jhmatch.data import ensure_valid
from jhmatch.errors import ArgumentError, ParameterError, Problem, SchemaError
from jhmatch.policy.parameters import PolicyParameters, as_date
from jhmatch.policy.retirement import working_age_arrays

_AGE_PARAMS = ("working_age_min", "retirement_age_male", "retirement_age_female")

__all__ = ["EmploymentRate", "employment_rate", "persons_table", "working_age"]


def persons_table(persons: pd.DataFrame) -> pd.DataFrame:
    """``persons`` validated by :func:`jhmatch.data.schema.validate_persons` (once)."""
    return ensure_valid(persons, "persons")


def working_age(persons: pd.DataFrame, as_of: Any = None, params: PolicyParameters | None = None, *,
                on: Any = None) -> pd.DataFrame:
    """Age on the reference date ``as_of`` and whether each person is of working age.

    Age comes from ``birth_date`` when present, else from ``age`` (taken as the age on
    ``as_of``, the person assumed ``age`` years and 6 months old). Sex is needed only when
    the age lies between the two retirement ages of the person's cohort.

    Parameters
    ----------
    persons : DataFrame
        Certificate holders (persons schema).
    as_of : date or str
        Reference date of the ages (formerly ``on=``, still accepted with a
        :class:`DeprecationWarning`).
    params : PolicyParameters, optional
        For the working ages (overrides kept).

    Returns
    -------
    DataFrame
        person_id, county, age, working_age (bool), in input order.

    Raises
    ------
    SchemaError
        Naming the rows that lack both birth date and age, or the sex where it matters.

    Examples
    --------
    >>> p = pd.DataFrame({"person_id": ["a", "b", "c"], "category": [4] * 3, "grade": [3] * 3,
    ...     "county": ["金东"] * 3, "sex": ["M", "F", "F"], "birth_date": ["1965-10-15", "1969-12-31", "2009-12-31"]})
    >>> working_age(p, "2025-12-31")[["age", "working_age"]].values.tolist()
    [[60, True], [56, False], [16, True]]
    """
    as_of = renamed_keyword("as_of", as_of, "on", on)
    if as_of is None:
        raise ArgumentError("give as_of=, the reference date of the ages")
    df = persons_table(persons)
    day = as_date(as_of, "as_of")
    p = (params.at(day) if params is not None else PolicyParameters.for_date(day)).require("working_age", *_AGE_PARAMS)
    r = working_age_arrays(df["birth_date"], df["age"], df["sex"], day, p.working_age_min,
                           p.retirement_age_male, p.retirement_age_female)
    age = r["age"]
    problems = [Problem(int(i) + 1, "birth_date", "", f"a birth date or an age (working age on {day}) "
                        f"[person {df['person_id'].iloc[i]!r}]") for i in np.flatnonzero(np.isnan(age))]
    problems += [Problem(int(i) + 1, "sex", "", f"M or F: at age {int(age[i])} working age depends on sex "
                         f"[person {df['person_id'].iloc[i]!r}]") for i in np.flatnonzero(r["needs_sex"])]
    if problems:
        raise SchemaError(problems, "persons (working age)")
    return pd.DataFrame({"person_id": df["person_id"], "county": df["county"],
                         "age": age.astype("int64"), "working_age": r["working_age"]})


@dataclass(frozen=True)
class EmploymentRate:
    """Employment rate of working-age certificate holders, city-wide and per county.

    Attributes
    ----------
    as_of : datetime.date
        Reference date of the ages (``on`` is its old name, deprecated).
    employed, working_age : int
        Numerator and denominator, city-wide.
    rate : float
        ``employed / working_age`` (NaN when nobody is of working age).
    by_county : DataFrame
        county, employed, working_age, rate.
    explanation : str
        The arithmetic in words, with the ages used.
    """

    as_of: dt.date
    employed: int
    working_age: int
    rate: float
    by_county: pd.DataFrame
    explanation: str

    @property
    def on(self) -> dt.date:
        """Deprecated name of :attr:`as_of`."""
        warnings.warn("EmploymentRate.on is deprecated; use as_of", DeprecationWarning, stacklevel=2)
        return self.as_of


def employment_rate(persons: pd.DataFrame, as_of: Any = None, *, year: int | None = None,
                    params: PolicyParameters | None = None, employed: Any = None, on: Any = None) -> EmploymentRate:
    """Employed working-age holders ÷ working-age holders on a date.

    Parameters
    ----------
    persons : DataFrame
        All certificate holders (persons schema); ``employed`` says who works.
    as_of : date, optional
        Reference date of the ages and of employment; default 31 December of ``year``
        (formerly ``on=``, still accepted with a :class:`DeprecationWarning`).
    year : int, optional
        The year assessed (as in :func:`~jhmatch.policy.progress`): its 31 December is the
        reference date when ``as_of`` is not given.
    params : PolicyParameters, optional
        For the working ages (overrides kept).
    employed : array-like of bool, optional
        Employment status to use instead of the ``employed`` column (e.g. after an allocation).

    Examples
    --------
    >>> p = pd.DataFrame({"person_id": list("abcd"), "category": [1] * 4, "grade": [4] * 4, "county": ["武义"] * 4,
    ...     "sex": ["M", "M", "F", "F"], "age": [30, 40, 50, 70], "employed": [1, 0, 1, 1]})
    >>> r = employment_rate(p, year=2025)
    >>> r.employed, r.working_age, round(r.rate, 4)
    (2, 3, 0.6667)
    """
    as_of = renamed_keyword("as_of", as_of, "on", on)
    if as_of is None:
        if year is None:
            raise ArgumentError("give as_of= (the reference date) or year= (the year assessed)")
        as_of = dt.date(int(year), 12, 31)
    day = as_date(as_of, "as_of")
    df = persons_table(persons)
    wa = working_age(df, day, params)
    emp = df["employed"].to_numpy(dtype=bool) if employed is None else np.asarray(employed, dtype=bool)
    if emp.shape != (len(df),):
        raise ParameterError(f"employed must have one value per person ({len(df)}), got shape {emp.shape}")
    mask = wa["working_age"].to_numpy()
    frame = pd.DataFrame({"county": df["county"].astype("object"), "employed": (emp & mask).astype(np.int64),
                          "working_age": mask.astype(np.int64)})
    by = frame.groupby("county", sort=True).sum().reset_index()
    with np.errstate(invalid="ignore", divide="ignore"):
        by["rate"] = by["employed"] / by["working_age"].where(by["working_age"] > 0)
    num, den = int(frame["employed"].sum()), int(frame["working_age"].sum())
    rate = num / den if den else float("nan")
    p = (params.at(day) if params is not None else PolicyParameters.for_date(day)).require("working_age", *_AGE_PARAMS)
    text = (f"employment rate on {day}: {num} employed of {den} working-age certificate holders = "
            f"{rate * 100:.2f}% (working age: {p.working_age_min} ≤ age < retirement age, base {p.retirement_age_male} men, "
            f"{p.retirement_age_female} women [{p.sources['retirement_age_male'].status}], delayed by birth cohort "
            "under the 2025 reform)")
    return EmploymentRate(day, num, den, rate, by, text)
