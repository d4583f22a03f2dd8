"""The simulation scenario: years and every rate, each with its source or a PARAM flag.

A :class:`SimulationScenario` is frozen. Every rate has a default whose status follows the
policy parameters' marks (:data:`jhmatch.policy.parameters.STATUSES`): ``PLAN`` when the
action plan (金政办发〔2022〕50号) gives the number, ``PARAM`` when it is an assumption
not confirmed for Jinhua (an overridable default), ``OVERRIDE`` once a user sets it.
:meth:`SimulationScenario.parameters` lists them as
:class:`~jhmatch.policy.parameters.ParameterValue` records, the same records the policy
rules report, and :meth:`SimulationScenario.assumed` names the PARAM values for the top of
every output.

Units
    Population rates are shares of the register at the start (persons in the table) per
    year; exits are shares of the active persons per year; job losses are yearly
    probabilities by post group (:data:`JOB_GROUPS`) scaled by fit; posts opened are
    places per year **city-wide** (Jinhua), scaled to the table by the share of the city's
    working-age certificate holders the table holds (``city_holders``, PARAM 50,000,
    ``domain.md`` §2). Count targets are compared on the same city-wide scale.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from jhmatch.datasets.constants import CATEGORY_SHARES, GRADE_SHARES
from jhmatch.errors import ParameterError
from jhmatch.i18n import N_, language
from jhmatch.i18n import gettext as _
from jhmatch.policy.parameters import ParameterValue
from jhmatch.reserved import CITY_WORKING_AGE_HOLDERS
from jhmatch.taxonomy import post_kinds

__all__ = ["JOB_GROUPS", "OPENING_GROUPS", "RATES", "USER_ORIGIN", "RateSpec", "SimulationScenario", "source_text"]

JOB_GROUPS = ("existing", "welfare", "reserved", "public", "ecommerce", "craft", "rural", "sheltered", "enterprise")
"""Groups of jobs for the retention model: ``existing`` (jobs held at the start, outside the posts table)
and the post kinds' broad groups (:attr:`jhmatch.taxonomy.PostKind.group`)."""

OPENING_GROUPS: Mapping[str, str] = MappingProxyType({
    "welfare": "welfare_places", "reserved": "reserved_places", "public": "reserved_places",
    "ecommerce": "quota_places", "craft": "quota_places", "rural": "quota_places", "sheltered": "quota_places",
    "enterprise": "quota_places"})
"""Which yearly opening rate opens posts of each post group: welfare posts, reserved-post plans
(reserved outlets, agency and state-owned-enterprise posts) and employers' quota demand (the rest)."""


@dataclass(frozen=True)
class RateSpec:
    """One rate of the scenario: its kind, default, status, source and names.

    ``kind`` is ``"rate"`` (a share in [0, 1]), ``"count"`` (a number ≥ 0), ``"shares"`` (a
    mapping of non-negative weights), ``"group_rates"`` (a rate per job group) or ``"year"``.
    """

    name: str
    kind: str
    default: Any
    status: str
    source: str
    label: str
    aliases: tuple[str, ...] = ()
    sensitivity: bool = True


USER_ORIGIN = N_("set by the user")
"""The source of a rate set in code (:meth:`SimulationScenario.replace`)."""

RATES: Mapping[str, RateSpec] = MappingProxyType({s.name: s for s in (
    RateSpec("new_holders_rate", "rate", 0.03, "PARAM",
             N_("PARAM: an assumption not confirmed for Jinhua; set it in a scenario file (new certificate holders "
                "of working age a year, share of the register)"),
             N_("new certificate holders a year (share of the register)"), ("新增持证率", "新增持证残疾人比例")),
    RateSpec("holder_categories", "shares", MappingProxyType(dict(CATEGORY_SHARES)), "PARAM",
             N_("category shares of the 2006 second national sample survey on disability (all ages; "
                "jhmatch.datasets.constants.CATEGORY_SHARES), applied to new certificates: PARAM"),
             N_("categories of new certificate holders"), ("新增持证类别", "残疾类别构成"), False),
    RateSpec("holder_grades", "shares", MappingProxyType(dict(GRADE_SHARES)), "PARAM",
             N_("severe share 29.6% (grades 1-2, CDPF end-2010); the split within severe and mild is an "
                "ASSUMPTION (jhmatch.datasets.constants.GRADE_SHARES): PARAM"),
             N_("grades of new certificate holders"), ("新增持证等级", "残疾等级构成"), False),
    RateSpec("graduates_rate", "rate", 0.012, "PARAM",
             N_("PARAM: an assumption not confirmed for Jinhua; set it in a scenario file (graduating disabled "
                "university students a year, share of the register; 1.2% as in the synthetic city)"),
             N_("graduating university students a year (share of the register)"), ("应届毕业生比例", "毕业生比例")),
    RateSpec("youth_rate", "rate", 0.01, "PARAM",
             N_("PARAM: an assumption not confirmed for Jinhua; set it in a scenario file (persons reaching "
                "working age, 16, a year, share of the register)"),
             N_("persons reaching working age a year (share of the register)"), ("进入劳动年龄比例", "年满16岁比例")),
    RateSpec("death_rate", "rate", 0.008, "PARAM",
             N_("PARAM: an assumption not confirmed for Jinhua; set it in a scenario file; order of magnitude of "
                "China's crude death rate (about 8 per 1,000 a year, all ages, National Bureau of Statistics "
                "bulletins); working-age disabled persons: no figure found"),
             N_("deaths a year (share of the active persons)"), ("死亡率",)),
    RateSpec("move_rate", "rate", 0.005, "PARAM",
             N_("PARAM: an assumption not confirmed for Jinhua; set it in a scenario file (persons moving out of "
                "Jinhua a year)"),
             N_("moving out of the city a year (share of the active persons)"), ("迁出率", "外迁率")),
    RateSpec("job_loss", "group_rates", MappingProxyType({
        "existing": 0.05, "welfare": 0.08, "reserved": 0.08, "public": 0.03, "ecommerce": 0.25, "craft": 0.15,
        "rural": 0.15, "sheltered": 0.10, "enterprise": 0.20}), "PARAM",
             N_("PARAM: an assumption not confirmed for Jinhua; set it in a scenario file (share of jobs that end "
                "within a year, by post group, at average fit)"),
             N_("jobs that do not last a year, by post group"), ("岗位流失率", "离职率")),
    RateSpec("fit_effect", "rate", 0.5, "PARAM",
             N_("PARAM: an assumption not confirmed for Jinhua; set it in a scenario file (a job with fit s ends "
                "with probability rate x (1 + fit_effect x (1 - 2s)): better-fitting jobs last longer)"),
             N_("effect of fit on job loss"), ("匹配度影响",)),
    RateSpec("welfare_places", "count", 125.0, "PARAM",
             N_("PLAN §一: ≥ 500 new welfare posts by end-2025; PARAM: opened at an even pace, 125 places a "
                "year city-wide"),
             N_("welfare post places opened a year, city-wide"), ("公益性岗位年新增", "新增公益性岗位")),
    RateSpec("reserved_places", "count", 80.0, "PARAM",
             N_("PLAN §二(二): ≥ 300 tobacco outlets over 2021-2025 (60 a year) and §二(一) ≥ 1 agency post a "
                "year; PARAM: 80 reserved places a year city-wide with kiosks and state-owned-enterprise posts"),
             N_("reserved post places opened a year, city-wide"), ("预留岗位年新增", "新增预留岗位")),
    RateSpec("quota_places", "count", 1000.0, "PARAM",
             N_("PARAM: an assumption not confirmed for Jinhua; set it in a scenario file (places employers open a "
                "year to meet the 1.5% quota, city-wide)"),
             N_("places employers open a year for the quota, city-wide"), ("按比例就业岗位年新增", "用人单位岗位需求")),
    RateSpec("city_holders", "count", float(CITY_WORKING_AGE_HOLDERS), "PARAM",
             N_("working-age certificate holders in Jinhua, about 50,000: an estimate scaled from Dongyang "
                "(domain.md §2, jhmatch.reserved.CITY_WORKING_AGE_HOLDERS): PARAM"),
             N_("working-age certificate holders city-wide (scale of the table)"), ("全市劳动年龄段持证人数",),
             False),
)})
"""Every rate of a scenario, with its default, status, source, label and Chinese aliases.

Each source is a full English sentence marked with ``N_`` (its Chinese text is in the ``simulate``
catalogue); :func:`source_text` shows it in the current language."""


def source_text(origin: str) -> str:
    """A rate's source (a documented source, a scenario file, the user, a sensitivity run) in the current language.

    Examples
    --------
    >>> with language("zh"):
    ...     source_text("scenario file jinhua.toml"), source_text(USER_ORIGIN)
    ('情景文件 jinhua.toml', '由用户设定')
    >>> source_text("sensitivity x1.5")
    'sensitivity run: the value times 1.5'
    """
    found = re.fullmatch(r"scenario file (.+)", origin)
    if found:
        return _("scenario file {file}").format(file=found.group(1))
    found = re.fullmatch(r"sensitivity x(\S+)", origin)
    if found:
        return _("sensitivity run: the value times {factor}").format(factor=found.group(1))
    return _(origin)

_OPTIONS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "start_year": ("起始年份", "开始年份"), "end_year": ("终止年份", "结束年份", "目标年份"),
    "county_split": ("县市分解",), "retirement": ("退休退出",), "count_start_posts": ("计入起始岗位",),
    "start_employed_share": ("起始在业比例",), "start_open_years": ("起始岗位年数",),
})
_SPLITS = ("population", "none")


def _check_rate(spec: RateSpec, value: Any) -> Any:
    """The value checked and frozen for its kind; ParameterError names the rate and what was expected."""
    def number(v: Any) -> bool:
        return isinstance(v, (int, float)) and not isinstance(v, bool) and v == v and abs(v) != float("inf")

    if spec.kind in ("rate", "count"):
        if not number(value) or value < 0 or (spec.kind == "rate" and value > 1):
            expected = "a share between 0 and 1" if spec.kind == "rate" else "a number of 0 or more"
            raise ParameterError(f"{spec.name}: got {value!r}, expected {expected}")
        return float(value)
    if not isinstance(value, Mapping):
        raise ParameterError(f"{spec.name}: got {value!r}, expected a table of values")
    base = dict(spec.default)
    unknown = sorted(str(k) for k in value if (int(k) if spec.name == "holder_grades" and str(k).isdigit()
                                                 else k) not in base)
    if unknown:
        raise ParameterError(f"{spec.name}: unknown keys {unknown}, expected some of {sorted(map(str, base))}")
    out = {}
    for k, v in value.items():
        key = int(k) if spec.name == "holder_grades" else str(k)
        if not number(v) or v < 0 or (spec.kind == "group_rates" and v > 1):
            raise ParameterError(f"{spec.name}.{k}: got {v!r}, expected "
                                 + ("a share between 0 and 1" if spec.kind == "group_rates" else "a weight ≥ 0"))
        out[key] = float(v)
    if spec.kind == "group_rates":
        base.update(out)
        return MappingProxyType(base)
    if sum(out.values()) <= 0:
        raise ParameterError(f"{spec.name}: got {dict(value)!r}, expected weights with a positive sum")
    return MappingProxyType(out)


@dataclass(frozen=True)
class SimulationScenario:
    """Years and rates of a multi-year simulation (frozen; change with :meth:`replace`).

    Attributes
    ----------
    start_year, end_year : int
        First and last simulated year (default the plan's 2022-2025; any years allowed).
    rates : Mapping[str, object]
        Every rate of :data:`RATES` (defaults filled in).
    county_split : {"population", "none"}
        County goals of the city-wide count targets: split by resident population (an
        ASSUMPTION flagged in every row, :class:`~jhmatch.policy.PlanTargets`) or none.
    retirement : bool
        Persons leave at the statutory retirement age (:mod:`jhmatch.policy.retirement`).
    count_start_posts : bool
        Default false: the welfare posts of the starting table were open before the start and are not
        new. True counts them as new in the first year (as :func:`jhmatch.policy.progress` counts a
        posts table without creation dates), e.g. for a table of posts created since 2022.
    start_employed_share : float, optional
        PARAM option for a persons table that is a register of job seekers: the share of its
        working-age persons given a job at the start (:func:`jhmatch.simulate.register.adapt_start`);
        default none (the table as given).
    start_open_years : float, optional
        PARAM option for a posts table of a seekers' register: keep posts holding this many years of
        the scenario's city-wide openings, scaled to the table (e.g. 1: the start posts are one
        year's openings); default none (every post of the table).
    statuses, origins : Mapping[str, str]
        Status and source of each rate (``OVERRIDE`` and the file or "set by the user" once set).

    Examples
    --------
    >>> s = SimulationScenario()
    >>> s.years, s.rate("death_rate"), s.statuses["death_rate"]
    ((2022, 2023, 2024, 2025), 0.008, 'PARAM')
    >>> s2 = s.replace(death_rate=0.01)
    >>> s2.rate("death_rate"), s2.statuses["death_rate"]
    (0.01, 'OVERRIDE')
    """

    start_year: int = 2022
    end_year: int = 2025
    rates: Mapping[str, Any] = field(default_factory=dict)
    county_split: str = "population"
    retirement: bool = True
    count_start_posts: bool = False
    start_employed_share: float | None = None
    start_open_years: float | None = None
    statuses: Mapping[str, str] = field(default_factory=dict)
    origins: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("start_year", "end_year"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or not 1900 <= v <= 2200:
                raise ParameterError(f"{name}: got {v!r}, expected a year such as 2022")
        if self.end_year < self.start_year:
            raise ParameterError(f"end_year: got {self.end_year}, expected a year ≥ start_year {self.start_year}")
        if self.county_split not in _SPLITS:
            raise ParameterError(f"county_split: got {self.county_split!r}, expected one of {', '.join(_SPLITS)}")
        for name in ("retirement", "count_start_posts"):
            if not isinstance(getattr(self, name), bool):
                raise ParameterError(f"{name}: got {getattr(self, name)!r}, expected true or false")
        for name, top in (("start_employed_share", 1.0), ("start_open_years", float("inf"))):
            v = getattr(self, name)
            if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= top):
                raise ParameterError(f"{name}: got {v!r}, expected "
                                     + ("a share between 0 and 1" if top == 1.0 else "a number of 0 or more"))
        unknown = sorted(set(self.rates) - set(RATES))
        if unknown:
            raise ParameterError(f"rates: unknown {unknown}; known: {', '.join(RATES)}")
        rates = {n: _check_rate(s, self.rates[n]) if n in self.rates else s.default for n, s in RATES.items()}
        statuses = {n: self.statuses.get(n, "OVERRIDE" if n in self.rates else s.status) for n, s in RATES.items()}
        origins = {n: self.origins.get(n, USER_ORIGIN if n in self.rates else s.source)
                   for n, s in RATES.items()}
        object.__setattr__(self, "rates", MappingProxyType(rates))
        object.__setattr__(self, "statuses", MappingProxyType(statuses))
        object.__setattr__(self, "origins", MappingProxyType(origins))

    @property
    def years(self) -> tuple[int, ...]:
        """The simulated years, first to last."""
        return tuple(range(self.start_year, self.end_year + 1))

    def rate(self, name: str) -> Any:
        """The value of one rate (:data:`RATES`)."""
        if name not in RATES:
            raise ParameterError(f"unknown rate {name!r}; known: {', '.join(RATES)}")
        return self.rates[name]

    def replace(self, *, origin: str = USER_ORIGIN, **changes: Any) -> SimulationScenario:
        """A copy with options or rates changed; a changed rate is marked ``OVERRIDE`` with ``origin``.

        Examples
        --------
        >>> SimulationScenario().replace(end_year=2030, move_rate=0).years[-1]
        2030
        """
        options = {k: v for k, v in changes.items() if k in _OPTIONS}
        rates = {k: v for k, v in changes.items() if k not in _OPTIONS}
        unknown = sorted(set(rates) - set(RATES))
        if unknown:
            raise ParameterError(f"unknown scenario keys {unknown}; known: {', '.join([*_OPTIONS, *RATES])}")
        kept = {n: v for n, v in self.rates.items() if self.statuses[n] == "OVERRIDE"}
        statuses = {n: s for n, s in self.statuses.items() if s == "OVERRIDE"}
        origins = {n: self.origins[n] for n in statuses}
        for name, value in rates.items():
            if RATES[name].kind == "group_rates" and isinstance(value, Mapping):
                value = {**self.rates[name], **value}
            kept[name] = value
            statuses[name], origins[name] = "OVERRIDE", origin
        return dataclasses.replace(self, **options, rates=kept, statuses=statuses, origins=origins)

    def scaled(self, name: str, factor: float) -> SimulationScenario:
        """A copy with one rate multiplied by ``factor`` (shares capped at 1; a per-group rate scales every group).

        Examples
        --------
        >>> round(SimulationScenario().scaled("death_rate", 1.5).rate("death_rate"), 6)
        0.012
        """
        spec, value = RATES[name], self.rates[name]
        if spec.kind == "group_rates":
            new: Any = {k: min(1.0, v * factor) for k, v in value.items()}
        elif spec.kind in ("rate", "count"):
            new = min(1.0, value * factor) if spec.kind == "rate" else value * factor
        else:
            raise ParameterError(f"{name}: a table of shares cannot be scaled")
        return self.replace(origin=f"sensitivity x{factor:g}", **{name: new})

    def parameters(self) -> list[ParameterValue]:
        """Every rate as a :class:`~jhmatch.policy.parameters.ParameterValue` (value, years, status, source).

        The source is kept in English and in Chinese (``source_zh``);
        :meth:`~jhmatch.policy.parameters.ParameterValue.source_text` picks the current language.

        Examples
        --------
        >>> [p.status for p in SimulationScenario().parameters()][:2]
        ['PARAM', 'PARAM']
        >>> SimulationScenario().parameters()[1].source_zh[:19]
        '第二次全国残疾人抽样调查（2006年）'
        """
        start, end = dt.date(self.start_year, 1, 1), dt.date(self.end_year, 12, 31)
        with language("zh"):
            zh = {n: source_text(self.origins[n]) for n in RATES}
        return [ParameterValue(n, self.rates[n], start, end, self.statuses[n], self.origins[n], zh[n]) for n in RATES]

    def assumed(self) -> list[str]:
        """The PARAM (assumed) values, ``name = value`` in words in the current language.

        Examples
        --------
        >>> SimulationScenario().replace(death_rate=0.01).assumed()[0]
        'new certificate holders a year (share of the register) = 3.0%'
        """
        from jhmatch.simulate.labels import format_rate, rate_label

        return [f"{rate_label(p.name)} = {format_rate(p.name, p.value)}" for p in self.parameters()
                if p.status == "PARAM"]

    def opening_places(self) -> dict[str, float]:
        """City-wide places opened a year per post group (:data:`OPENING_GROUPS`)."""
        return {g: float(self.rates[r]) for g, r in OPENING_GROUPS.items()}

    def to_dict(self) -> dict[str, Any]:
        """Options and rates as plain values (a scenario file's content)."""
        rates = {n: (dict(v) if isinstance(v, Mapping) else v) for n, v in self.rates.items()}
        return {"start_year": self.start_year, "end_year": self.end_year, "county_split": self.county_split,
                "retirement": self.retirement, "count_start_posts": self.count_start_posts,
                **{k: getattr(self, k) for k in ("start_employed_share", "start_open_years")
                   if getattr(self, k) is not None}, **rates}


def kind_groups() -> dict[str, str]:
    """Post kind code → its group (:attr:`jhmatch.taxonomy.PostKind.group`).

    Examples
    --------
    >>> kind_groups()["welfare_cleaning"], kind_groups()["tobacco_outlet"]
    ('welfare', 'reserved')
    """
    return {k.code: k.group for k in post_kinds()}


OPTION_ALIASES = _OPTIONS
"""Options of a scenario file (not rates) and their Chinese aliases."""
