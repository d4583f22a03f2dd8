"""The dated parameter file: each value with its period, status and source (see :mod:`jhmatch.policy.parameters`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np

from jhmatch.errors import ParameterError
from jhmatch.i18n import N_, get_language, language
from jhmatch.i18n import gettext as _
from jhmatch.taxonomy import REGIONS

if TYPE_CHECKING:
    from jhmatch.policy.parameters import PolicyParameters

__all__ = ["STATUSES", "ParameterBook", "ParameterValue", "as_date", "load_parameters"]

STATUSES = ("PLAN", "CONFIRMED", "PARAM", "OVERRIDE")
"""Status marks of a parameter value (``OVERRIDE``: set by the user)."""

# name -> (kind, min, max); kind is "float", "int", "choice:<a>|<b>", "tiers" or "county_tiers"
_SPEC: dict[str, tuple[str, float | None, float | None]] = {
    "quota_ratio": ("float", 0.0, 1.0),
    "severe_max_grade": ("int", 0, 4),
    "severe_weight": ("float", 1.0, 10.0),
    "veteran_severe_max_grade": ("int", 0, 10),
    "min_contract_months": ("float", 0.0, 600.0),
    "fund_wage_cap_multiple": ("float", 0.0, 100.0),
    "local_average_wage": ("float", 0.0, None),
    "small_enterprise_max_staff": ("int", 0, None),
    "fund_reduction_threshold": ("float", 0.0, 1.0),
    "fund_pay_share_mid": ("float", 0.0, 1.0),
    "fund_pay_share_low": ("float", 0.0, 1.0),
    "concentrated_min_share": ("float", 0.0, 1.0),
    "vat_min_share": ("float", 0.0, 1.0),
    "vat_min_disabled": ("int", 0, None),
    "vat_min_disabled_blind_massage": ("int", 0, None),
    "vat_min_wage_multiple": ("float", 0.0, None),
    "minimum_wage_tiers": ("tiers", 0.0, None),
    "county_wage_tier": ("county_tiers", 1, None),
    "reward_quota_threshold": ("float", 0.0, 1.0),
    "reward_concentrated_threshold": ("float", 0.0, 1.0),
    "reward_per_excess_person": ("float", 0.0, None),
    "reward_per_excess_person_concentrated": ("float", 0.0, None),
    "dibao_disregard_years": ("int", 0, 100),
    "dibao_phaseout_years": ("int", 0, 100),
    "dibao_phaseout_shape": ("choice:linear|step|none", None, None),
    "dibao_phaseout_step_share": ("float", 0.0, 1.0),
    "working_age_min": ("int", 0, 120),
    "retirement_age_male": ("int", 0, 120),
    "retirement_age_female": ("int", 0, 120),
}


def as_date(value: Any, what: str = "date") -> dt.date:
    """Coerce a date, datetime, pandas Timestamp or ISO string to ``datetime.date``.

    Examples
    --------
    >>> as_date("2025-06-30")
    datetime.date(2025, 6, 30)
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, np.datetime64):
        return dt.date.fromisoformat(str(value.astype("datetime64[D]")))
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime().date()
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ParameterError(f"{what}: got {value!r}, expected a date such as 2025-06-30") from None


@dataclass(frozen=True)
class ParameterValue:
    """One parameter value with its period, status and source.

    Attributes
    ----------
    name : str
        Parameter name (a field of :class:`PolicyParameters`).
    value : object
        The value (float, int, str, tuple of tiers, or a county → tier mapping).
    valid_from, valid_to : datetime.date
        First and last day in force (inclusive).
    status : str
        ``PLAN``, ``CONFIRMED``, ``PARAM`` or ``OVERRIDE``.
    source : str
        Where the value comes from (English).
    source_zh : str
        The same in Chinese, for planners ("" when not given: :meth:`source_text` then
        looks the English text up in the catalogues).
    """

    name: str
    value: Any
    valid_from: dt.date
    valid_to: dt.date
    status: str
    source: str
    source_zh: str = ""

    def covers(self, day: dt.date) -> bool:
        """Whether the value is in force on ``day``."""
        return self.valid_from <= day <= self.valid_to

    def source_text(self) -> str:
        """The source in the current language (:func:`jhmatch.i18n.get_language`).

        Examples
        --------
        >>> pv = load_parameters().periods("vat_min_disabled")[0]
        >>> with language("zh"):
        ...     pv.source_text()[:11]
        '财税〔2016〕52号'
        """
        if get_language() == "zh":
            return self.source_zh or _(self.source)
        return self.source

    def __str__(self) -> str:
        value = dict(self.value) if isinstance(self.value, Mapping) else self.value
        return f"{self.name} = {value} ({self.status}; {self.source_text()})"


def _check_value(name: str, value: Any) -> Any:
    """Validate and normalise one value; raise ParameterError naming it."""
    if name not in _SPEC:
        raise ParameterError(f"unknown policy parameter {name!r}; known: {', '.join(sorted(_SPEC))}")
    kind, lo, hi = _SPEC[name]

    def bad(expected: str) -> ParameterError:
        return ParameterError(f"policy parameter {name!r}: got {value!r}, expected {expected}")

    def in_range(x: float) -> bool:
        return (lo is None or x >= lo) and (hi is None or x <= hi)

    bounds = f" between {lo} and {hi}" if hi is not None else f" of at least {lo}"
    if kind in ("float", "int"):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise bad(f"a number{bounds}")
        x = float(value)
        if not np.isfinite(x) or not in_range(x) or (kind == "int" and not x.is_integer()):
            raise bad(f"{'a whole number' if kind == 'int' else 'a number'}{bounds}")
        return int(x) if kind == "int" else x
    if kind.startswith("choice:"):
        choices = kind[7:].split("|")
        if value not in choices:
            raise bad("one of " + ", ".join(choices))
        return value
    if kind == "tiers":
        if not isinstance(value, (list, tuple)) or not value:
            raise bad("a non-empty list of monthly minimum wages, tier 1 first")
        tiers = tuple(_check_value("local_average_wage", v) for v in value)
        return tiers
    # county_tiers
    if not isinstance(value, Mapping):
        raise bad("a mapping of county code to minimum-wage tier")
    from jhmatch.taxonomy import region

    out: dict[str, int] = {}
    for key, tier in value.items():
        try:
            code = region(key).code
        except Exception:
            raise bad(f"county codes or names of Jinhua (not {key!r})") from None
        if isinstance(tier, bool) or not isinstance(tier, (int, np.integer)) or tier < 1:
            raise bad(f"a tier number 1, 2, ... for county {key!r}")
        out[code] = int(tier)
    missing = [r.code for r in REGIONS if r.code not in out]
    if missing:
        raise bad(f"a tier for every county (missing: {', '.join(missing)})")
    return MappingProxyType(out)


@dataclass(frozen=True)
class ParameterBook:
    """All dated values of every parameter (the packaged file, possibly overridden).

    Attributes
    ----------
    entries : Mapping[str, tuple of ParameterValue]
        Periods of each parameter, sorted by start date.
    origin : str
        Where the book came from (the packaged file or a path).
    """

    entries: Mapping[str, tuple[ParameterValue, ...]]
    origin: str = "jhmatch/policy/data/parameters.json"

    def periods(self, name: str) -> tuple[ParameterValue, ...]:
        """The dated values of parameter ``name``."""
        if name not in self.entries:
            raise ParameterError(f"unknown policy parameter {name!r}; known: {', '.join(sorted(self.entries))}")
        return self.entries[name]

    def coverage(self) -> tuple[dt.date, dt.date] | None:
        """First and last day on which every parameter has a value (``None`` if no such day)."""
        start = max(min(p.valid_from for p in ps) for ps in self.entries.values())
        end = min(max(p.valid_to for p in ps) for ps in self.entries.values())
        return (start, end) if start <= end else None

    def value_on(self, name: str, day: dt.date) -> ParameterValue:
        """The value of ``name`` in force on ``day``; :class:`ParameterError` if none."""
        hits = [p for p in self.periods(name) if p.covers(day)]
        if not hits:
            spans = ", ".join(f"{p.valid_from}…{p.valid_to}" for p in self.periods(name))
            raise ParameterError(
                f"policy parameter {name!r} has no value in force on {day} (periods: {spans}); "
                f"add a period with overrides or pick a date inside {self._coverage_text()}"
            )
        return hits[0]

    def _coverage_text(self) -> str:
        cov = self.coverage()
        return f"{cov[0]}…{cov[1]}" if cov else "(no common period)"

    def for_date(self, day: Any) -> PolicyParameters:
        """The :class:`PolicyParameters` in force on ``day``."""
        day = as_date(day)
        values: dict[str, Any] = {}
        used: dict[str, ParameterValue] = {}
        missing: list[str] = []
        for name in _SPEC:
            try:
                pv = self.value_on(name, day)
            except ParameterError:
                missing.append(name)
                continue
            values[name] = pv.value
            used[name] = pv
        if len(missing) == len(_SPEC):
            raise ParameterError(
                f"no policy parameters in force on {day}; "
                f"the parameter file covers {self._coverage_text()} ({self.origin})"
            )
        from jhmatch.policy.parameters import PolicyParameters

        # A rule whose parameters are outside their periods refuses when called (PolicyParameters.require);
        # the other rules still work on this date (e.g. the quota, in force since 2008).
        values.update(dict.fromkeys(missing))
        return PolicyParameters(date=day, **values, sources=MappingProxyType(used), book=self,
                                out_of_horizon=tuple(missing))

    def with_overrides(self, overrides: Mapping[str, Any] | str | Path) -> ParameterBook:
        """A copy with some parameters replaced.

        ``overrides`` maps a name to a plain value (replaces the value in every period,
        status ``OVERRIDE``) or to a list of period entries like the packaged file's
        (``{"value", "from", "to", "status", "source", "source_zh"}``), which replace the periods.
        A path is read as JSON (or TOML on Python 3.11+) with the same layout, either
        flat or under a ``"parameters"`` key.
        """
        origin = self.origin
        if isinstance(overrides, (str, Path)):
            origin = f"{self.origin} + {overrides}"
            overrides = _read_file(Path(overrides))
            overrides = overrides.get("parameters", overrides)
        entries = dict(self.entries)
        for name, spec in overrides.items():
            if name not in _SPEC:
                raise ParameterError(f"unknown policy parameter {name!r} in overrides; known: {', '.join(sorted(_SPEC))}")
            if isinstance(spec, list) and spec and isinstance(spec[0], Mapping) and "value" in spec[0]:
                entries[name] = _parse_periods(name, spec)
            else:
                value = _check_value(name, spec)
                source, source_zh = _both(_OVERRIDDEN, origin=origin)
                entries[name] = tuple(
                    dataclasses.replace(p, value=value, status="OVERRIDE", source=source, source_zh=source_zh)
                    for p in self.entries[name]
                )
        return ParameterBook(MappingProxyType(entries), origin)


_OVERRIDDEN = N_("overridden ({origin})")
SET_IN_CODE = N_("set in code")


def _both(message: str, **fields: Any) -> tuple[str, str]:
    """A catalogue message in English and in Chinese, formatted with ``fields``."""
    with language("zh"):
        zh = _(message).format(**fields)
    return message.format(**fields), zh


def _parse_periods(name: str, items: list[Any]) -> tuple[ParameterValue, ...]:
    out: list[ParameterValue] = []
    for item in items:
        try:
            status = str(item.get("status", "OVERRIDE")).upper()
            if status not in STATUSES:
                raise ParameterError(f"policy parameter {name!r}: status {status!r}, expected one of {', '.join(STATUSES)}")
            pv = ParameterValue(
                name=name,
                value=_check_value(name, item["value"]),
                valid_from=as_date(item["from"], f"{name}: 'from'"),
                valid_to=as_date(item["to"], f"{name}: 'to'"),
                status=status,
                source=str(item.get("source", "")),
                source_zh=str(item.get("source_zh", "")),
            )
        except KeyError as exc:
            raise ParameterError(f"policy parameter {name!r}: a period lacks the key {exc.args[0]!r}") from None
        if pv.valid_to < pv.valid_from:
            raise ParameterError(f"policy parameter {name!r}: period ends ({pv.valid_to}) before it starts ({pv.valid_from})")
        out.append(pv)
    out.sort(key=lambda p: p.valid_from)
    for a, b in itertools.pairwise(out):
        if b.valid_from <= a.valid_to:
            raise ParameterError(f"policy parameter {name!r}: periods {a.valid_from}…{a.valid_to} and {b.valid_from}…{b.valid_to} overlap")
    return tuple(out)


def _read_file(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ParameterError(f"parameter file not found: {path}")
    if path.suffix.lower() == ".toml":
        if sys.version_info >= (3, 11):
            import tomllib
        else:  # pragma: no cover - Python 3.10
            try:
                import tomli as tomllib
            except ImportError:
                raise ParameterError(f"{path}: TOML needs Python 3.11+ or the 'tomli' package; or use JSON") from None
        with path.open("rb") as fh:
            return tomllib.load(fh)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ParameterError(f"{path}: not valid JSON ({exc})") from None


def load_parameters(path: str | Path | None = None) -> ParameterBook:
    """Read a parameter file (default: the packaged one) into a :class:`ParameterBook`.

    Examples
    --------
    >>> book = load_parameters()
    >>> [str(d) for d in book.coverage()]
    ['2021-08-01', '2027-12-31']
    """
    if path is None:
        text = resources.files("jhmatch.policy").joinpath("data/parameters.json").read_text(encoding="utf-8")
        raw, origin = json.loads(text), "jhmatch/policy/data/parameters.json"
    else:
        raw, origin = _read_file(Path(path)), str(path)
    params = raw.get("parameters")
    if not isinstance(params, Mapping):
        raise ParameterError(f"{origin}: expected a 'parameters' object mapping names to lists of periods")
    entries = {name: _parse_periods(name, list(items)) for name, items in params.items()}
    missing = [n for n in _SPEC if n not in entries]
    if missing:
        raise ParameterError(f"{origin}: parameters missing: {', '.join(missing)}")
    return ParameterBook(MappingProxyType(entries), origin)


_DEFAULT_BOOK: list[ParameterBook] = []


def _default_book() -> ParameterBook:
    if not _DEFAULT_BOOK:
        _DEFAULT_BOOK.append(load_parameters())
    return _DEFAULT_BOOK[0]
