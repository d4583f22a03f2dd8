"""Dated, sourced, overridable policy parameters.

The packaged file ``jhmatch/policy/data/parameters.json`` lists every value the
policy rules use, each with the period it is in force, its status (``PLAN``: stated
in the Jinhua action plan; ``CONFIRMED``: national or provincial rule; ``PARAM``:
not confirmed for Jinhua, an overridable default) and its source.
:meth:`PolicyParameters.for_date` picks the values in force on a date and refuses a
date for which any value has no period.

Overrides come from a file (JSON, or TOML on Python 3.11+) or from code::

    params = PolicyParameters.for_date("2025-06-30").replace(reward_per_excess_person=5000)
    params = PolicyParameters.for_date("2025-06-30", overrides="jinhua-2025.json")
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

from jhmatch.errors import ParameterError
from jhmatch.policy.book import (
    _SPEC,
    SET_IN_CODE,
    STATUSES,
    ParameterBook,
    ParameterValue,
    _both,
    _check_value,
    _default_book,
    as_date,
    load_parameters,
)

__all__ = ["STATUSES", "ParameterBook", "ParameterValue", "PolicyParameters", "as_date", "load_parameters"]


@dataclass(frozen=True)
class PolicyParameters:
    """Every policy parameter in force on one date.

    Build with :meth:`for_date` (or :meth:`for_year`); change values with
    :meth:`replace`. Each field's period, status and source is in :attr:`sources`.
    Field meanings are the ``source`` texts of the packaged file
    (``PolicyParameters.for_date(d).table()`` lists them).

    Examples
    --------
    >>> p = PolicyParameters.for_date("2025-06-30")
    >>> p.quota_ratio, p.minimum_wage_tiers
    (0.015, (2490.0, 2260.0, 2010.0))
    >>> p.sources["minimum_wage_tiers"].valid_from
    datetime.date(2024, 1, 1)
    >>> p.replace(reward_per_excess_person=5000).sources["reward_per_excess_person"].status
    'OVERRIDE'
    """

    date: dt.date
    quota_ratio: float
    severe_max_grade: int
    severe_weight: float
    veteran_severe_max_grade: int
    min_contract_months: float
    fund_wage_cap_multiple: float
    local_average_wage: float
    small_enterprise_max_staff: int
    fund_reduction_threshold: float
    fund_pay_share_mid: float
    fund_pay_share_low: float
    concentrated_min_share: float
    vat_min_share: float
    vat_min_disabled: int
    vat_min_disabled_blind_massage: int
    vat_min_wage_multiple: float
    minimum_wage_tiers: tuple[float, ...]
    county_wage_tier: Mapping[str, int]
    reward_quota_threshold: float
    reward_concentrated_threshold: float
    reward_per_excess_person: float
    reward_per_excess_person_concentrated: float
    dibao_disregard_years: int
    dibao_phaseout_years: int
    dibao_phaseout_shape: str
    dibao_phaseout_step_share: float
    working_age_min: int
    retirement_age_male: int
    retirement_age_female: int
    sources: Mapping[str, ParameterValue] = field(default_factory=dict, repr=False, compare=False)
    book: ParameterBook | None = field(default=None, repr=False, compare=False)
    overrides: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    out_of_horizon: tuple[str, ...] = field(default=(), repr=False, compare=False)

    def __hash__(self) -> int:
        return hash(tuple(
            tuple(sorted(v.items())) if isinstance(v, Mapping) else v
            for f in dataclasses.fields(self) if f.compare for v in (getattr(self, f.name),)
        ))

    def __post_init__(self) -> None:
        for name in self.overrides:
            _check_value(name, getattr(self, name))
        if self.minimum_wage_tiers is None or self.county_wage_tier is None:
            return
        top = len(self.minimum_wage_tiers)
        bad = {c: t for c, t in self.county_wage_tier.items() if t > top}
        if bad:
            raise ParameterError(f"county_wage_tier names tiers {bad} but minimum_wage_tiers has only {top}")

    @classmethod
    def for_date(cls, day: Any, overrides: Mapping[str, Any] | str | Path | None = None) -> PolicyParameters:
        """The packaged parameters in force on ``day``, with optional overrides.

        Each rule has its own horizon: a parameter with no period covering ``day`` is
        ``None`` and listed in :attr:`out_of_horizon`, and a rule that needs it refuses
        with :class:`ParameterError` (:meth:`require`); the other rules work. So the quota
        (in force since 2008) can be assessed for 2019, the fund's 50 % / 90 % tiers (from
        2020) cannot.

        Raises
        ------
        ParameterError
            If no parameter at all has a value in force on ``day``.

        Examples
        --------
        >>> PolicyParameters.for_date("2023-05-01").minimum_wage_tiers[0]
        2280.0
        >>> p = PolicyParameters.for_date("2019-12-31")
        >>> p.quota_ratio, "fund_pay_share_low" in p.out_of_horizon
        (0.015, True)
        >>> PolicyParameters.for_date("2030-01-01")
        Traceback (most recent call last):
        ...
        jhmatch.errors.ParameterError: no policy parameters in force on 2030-01-01; ...
        """
        book = _default_book()
        if overrides is not None:
            book = book.with_overrides(overrides)
        return book.for_date(day)

    @classmethod
    def for_year(cls, year: int, overrides: Mapping[str, Any] | str | Path | None = None) -> PolicyParameters:
        """The parameters in force on 31 December of ``year``.

        Examples
        --------
        >>> PolicyParameters.for_year(2024).date
        datetime.date(2024, 12, 31)
        """
        return cls.for_date(dt.date(int(year), 12, 31), overrides)

    def replace(self, **changes: Any) -> PolicyParameters:
        """A copy with some values changed (status ``OVERRIDE``); kept by :meth:`at`.

        Raises
        ------
        ParameterError
            For an unknown name or an invalid value.
        """
        checked = {name: _check_value(name, value) for name, value in changes.items()}
        sources = dict(self.sources)
        source, source_zh = _both(SET_IN_CODE)
        for name, value in checked.items():
            old = sources.get(name)
            sources[name] = ParameterValue(
                name, value, old.valid_from if old else self.date, old.valid_to if old else self.date,
                "OVERRIDE", source, source_zh,
            )
        overrides = {**self.overrides, **checked}
        return dataclasses.replace(self, **checked, sources=MappingProxyType(sources), overrides=MappingProxyType(overrides),
                                   out_of_horizon=tuple(n for n in self.out_of_horizon if n not in checked))

    with_overrides = replace

    def at(self, day: Any) -> PolicyParameters:
        """The parameters in force on another date, keeping the in-code overrides.

        Examples
        --------
        >>> p = PolicyParameters.for_date("2023-12-31").replace(reward_per_excess_person=1.0)
        >>> q = p.at("2024-01-01")
        >>> q.minimum_wage_tiers[0], q.reward_per_excess_person
        (2490.0, 1.0)
        """
        day = as_date(day)
        if day == self.date:
            return self
        fresh = (self.book or _default_book()).for_date(day)
        return fresh.replace(**self.overrides) if self.overrides else fresh

    def require(self, rule: str, *names: str) -> PolicyParameters:
        """Refuse a rule whose parameters have no value in force on :attr:`date`.

        Raises
        ------
        ParameterError
            Naming the rule, the date and each missing parameter with its periods.

        Examples
        --------
        >>> PolicyParameters.for_date("2019-12-31").require("fund", "quota_ratio", "fund_pay_share_low")
        Traceback (most recent call last):
        ...
        jhmatch.errors.ParameterError: rule 'fund' has no parameters in force on 2019-12-31: fund_pay_share_low (periods: 2020-01-01…2027-12-31); ...
        """
        missing = [n for n in names if n in self.out_of_horizon]
        if missing:
            book = self.book or _default_book()
            spans = "; ".join(f"{n} (periods: " + (", ".join(f"{p.valid_from}…{p.valid_to}" for p in book.periods(n))
                                                   or "none") + ")" for n in missing)
            raise ParameterError(f"rule {rule!r} has no parameters in force on {self.date}: {spans}; the date is "
                                 "outside this rule's horizon — add a period with overrides or pick another date")
        return self

    def minimum_wage(self, counties: Any) -> np.ndarray:
        """Monthly minimum wage of each county code (vectorised).

        Examples
        --------
        >>> PolicyParameters.for_date("2024-03-01").minimum_wage(["330727", "330782"]).tolist()
        [2010.0, 2260.0]
        """
        codes = np.asarray(counties, dtype=object)
        uniq, inverse = np.unique(codes.astype(str), return_inverse=True)
        wages = np.empty(len(uniq))
        for i, code in enumerate(uniq):
            if code not in self.county_wage_tier:
                raise ParameterError(f"county {code!r} has no minimum-wage tier (county_wage_tier)")
            wages[i] = self.minimum_wage_tiers[self.county_wage_tier[code] - 1]
        return wages[inverse].reshape(codes.shape)

    def cite(self, *names: str) -> str:
        """Short ``name=value [STATUS]`` list of the given parameters, for explanations.

        Examples
        --------
        >>> PolicyParameters.for_date("2025-01-01").cite("quota_ratio", "local_average_wage")
        'quota_ratio=0.015 [CONFIRMED]; local_average_wage=100000.0 [PARAM]'
        """
        parts = []
        for name in names:
            status = self.sources[name].status if name in self.sources else "?"
            value = getattr(self, name)
            value = dict(value) if isinstance(value, Mapping) else value
            parts.append(f"{name}={value} [{status}]")
        return "; ".join(parts)

    def used(self, *names: str) -> tuple[ParameterValue, ...]:
        """The :class:`ParameterValue` records of the given parameters."""
        return tuple(self.sources[n] for n in names if n in self.sources)

    def table(self) -> Any:
        """All values with period, status and source (in the current language) as a DataFrame.

        Examples
        --------
        >>> from jhmatch.i18n import language
        >>> with language("zh"):
        ...     t = PolicyParameters.for_year(2025).table()
        >>> t.set_index("name").loc["quota_ratio", "source"][:9]
        '《残疾人就业条例》'
        """
        import pandas as pd

        rows = []
        for name in _SPEC:
            pv = self.sources.get(name)
            value = getattr(self, name)
            rows.append({
                "name": name,
                "value": dict(value) if isinstance(value, Mapping) else value,
                "valid_from": pv.valid_from if pv else None,
                "valid_to": pv.valid_to if pv else None,
                "status": pv.status if pv else "?",
                "source": pv.source_text() if pv else "",
            })
        return pd.DataFrame(rows)
