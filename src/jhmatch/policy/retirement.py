"""Statutory retirement age by birth cohort, under the 2025 gradual reform (one home for the rule).

Source: 全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定 (13 September 2024, in
force 1 January 2025) and its annex 国务院关于渐进式延迟法定退休年龄的办法 (tables 1–3). From
2025 the statutory retirement age rises gradually over 15 years:

============================  ==========  ===================  =======================  ==========
group                         old age     first cohort delayed  delay                    new age
============================  ==========  ===================  =======================  ==========
men                           60          born January 1965    +1 month / 4 months born  63
women, base 55 (管理技术岗位)  55          born January 1970    +1 month / 4 months born  58
women, base 50 (workers)      50          born January 1975    +1 month / 2 months born  55
============================  ==========  ===================  =======================  ==========

So a man born in January–April 1965 retires at 60 years 1 month, one born 1965-10-15 at
60 years 3 months (on 2026-01-15), and men born from September 1976 at 63. The base ages are
the parameters ``retirement_age_male`` and ``retirement_age_female`` (PARAM, 60 and 55); a
base without a schedule here (an override such as 65) is used as given, without delay. The
voluntary early/late option of the decision (up to 3 years, 弹性退休) is not modelled.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["REFORM_SCHEDULES", "retirement_age_months", "working_age_arrays"]

REFORM_SCHEDULES: Mapping[tuple[str, int], tuple[int, int, int, int]] = MappingProxyType({
    # (sex, base age) -> (first delayed birth year, month, months of birth per month of delay, max delay in months)
    ("M", 60): (1965, 1, 4, 36),
    ("F", 55): (1970, 1, 4, 36),
    ("F", 50): (1975, 1, 2, 60),
})
"""The reform's schedules (全国人大常委会 2024 决定, annex tables 1–3)."""


def retirement_age_months(birth_year: np.ndarray, birth_month: np.ndarray, male: np.ndarray,
                          base_male: int = 60, base_female: int = 55) -> np.ndarray:
    """Statutory retirement age in months for each birth month and sex (vectorised).

    Parameters
    ----------
    birth_year, birth_month : array-like of float
        Year and month (1–12) of birth; NaN gives NaN.
    male : array-like of bool
        True for men, False for women.
    base_male, base_female : int
        Pre-reform ages (parameters ``retirement_age_male`` / ``retirement_age_female``).

    Returns
    -------
    ndarray of float
        Months of age at which the person retires (working age ends before it).

    Examples
    --------
    >>> ages = retirement_age_months([1964, 1965, 1965, 1976, 1980], [12, 1, 10, 9, 1], [True] * 5)
    >>> [(int(m) // 12, int(m) % 12) for m in ages]
    [(60, 0), (60, 1), (60, 3), (63, 0), (63, 0)]
    >>> [(int(m) // 12, int(m) % 12) for m in retirement_age_months([1975, 1984], [3, 11], [False] * 2, base_female=50)]
    [(50, 2), (55, 0)]
    """
    by = np.asarray(birth_year, dtype="float64")
    bm = np.asarray(birth_month, dtype="float64")
    male = np.asarray(male, dtype=bool)
    out = np.where(male, base_male * 12.0, base_female * 12.0)
    for (sex, base), (y0, m0, per, cap) in REFORM_SCHEDULES.items():
        if base != (base_male if sex == "M" else base_female):
            continue
        months_after = (by - y0) * 12 + (bm - m0)
        delay = np.where(months_after >= 0, np.minimum(np.floor(months_after / per) + 1, cap), 0.0)
        rows = male if sex == "M" else ~male
        out = np.where(rows, base * 12.0 + delay, out)
    return np.where(np.isnan(by) | np.isnan(bm), np.nan, out)


def working_age_arrays(birth: Any, age: Any, sex: Any, day: dt.date, working_age_min: int,
                       base_male: int, base_female: int) -> dict[str, np.ndarray]:
    """Age and working age on ``day`` (vectorised), with the reform's retirement ages.

    ``birth`` are birth dates (NaT where unknown); ``age`` whole years (used where the birth date
    is unknown: the person is taken as ``age`` years and 6 months old — an assumption, the birth
    month being unknown). ``sex`` is ``"M"``/``"F"``/missing.

    Returns
    -------
    dict
        ``age`` (whole years, NaN if unknown), ``age_months``, ``retire_months`` (NaN where sex is
        unknown), ``working_age`` (bool), ``known`` (False where age is missing, or where sex is
        missing and the age lies between the two retirement ages), ``needs_sex``.

    Examples
    --------
    >>> r = working_age_arrays(pd.to_datetime(["1965-10-15", "1965-10-15"]), [None, None], ["M", "M"],
    ...                        dt.date(2026, 1, 14), 16, 60, 55)
    >>> r["working_age"].tolist()
    [True, True]
    >>> working_age_arrays(pd.to_datetime(["1965-10-15"]), [None], ["M"], dt.date(2026, 1, 15), 16, 60, 55)[
    ...     "working_age"].tolist()
    [False]
    """
    birth = pd.to_datetime(pd.Series(birth))
    by = birth.dt.year.to_numpy(dtype="float64", na_value=np.nan)
    bm = birth.dt.month.to_numpy(dtype="float64", na_value=np.nan)
    bd = birth.dt.day.to_numpy(dtype="float64", na_value=np.nan)
    before_day = day.day < bd
    months_from_birth = (day.year - by) * 12 + (day.month - bm) - before_day
    given = pd.to_numeric(pd.Series(age, dtype="object"), errors="coerce").to_numpy(dtype="float64")
    approx = given * 12 + 6  # birth month unknown: assume the middle of the year of age
    has_birth = ~np.isnan(by)
    age_months = np.where(has_birth, months_from_birth, approx)
    now = day.year * 12 + (day.month - 1)
    by = np.where(has_birth, by, np.floor((now - approx) / 12))
    bm = np.where(has_birth, bm, (now - approx) % 12 + 1)
    sex = pd.Series(sex, dtype="object").astype("string")
    male = (sex == "M").fillna(False).to_numpy(dtype=bool)
    female = (sex == "F").fillna(False).to_numpy(dtype=bool)
    ret_m = retirement_age_months(by, bm, np.ones(len(by), dtype=bool), base_male, base_female)
    ret_f = retirement_age_months(by, bm, np.zeros(len(by), dtype=bool), base_male, base_female)
    retire = np.where(male, ret_m, np.where(female, ret_f, np.nan))
    lo, hi = np.fmin(ret_m, ret_f), np.fmax(ret_m, ret_f)
    needs_sex = ~male & ~female & (age_months >= lo) & (age_months < hi)
    limit = np.where(male | female, retire, hi)  # unknown sex: same verdict for both sexes outside [lo, hi)
    known = ~np.isnan(age_months) & ~needs_sex
    in_age = known & (age_months >= working_age_min * 12) & (age_months < limit)
    return {"age": np.floor(age_months / 12), "age_months": age_months, "retire_months": retire,
            "working_age": in_age, "known": known, "needs_sex": needs_sex}
