"""The action plan's targets: city-wide values, county targets, yearly goals and extra targets.

Targets (PLAN, 金政办发〔2022〕50号; ``domain.md`` §4):

- §一, by end-2025: ≥ 5,000 newly employed disabled persons (``new_jobs``), ≥ 500 new
  welfare posts (``welfare_posts``), an employment rate of working-age certificate holders
  ≥ 60% (``employment_rate``), 100% of graduating disabled university students who want
  work employed (``graduate_rate``; §二(八): 确保…百分百就业);
- §二(一): at least 1 agency / public-institution post a year (``agency_posts``);
- §二(二): ≥ 300 tobacco retail outlets for disabled entrepreneurs over the 14th Five-Year
  period 2021–2025 (``tobacco_outlets``); ≥ 10% of the posts at each new community service
  point (postal/newspaper kiosks …) reserved for disabled persons (``kiosk_reserve``: the
  share of new points that keep the rule, goal 100%; ``kiosk_share`` the 10%);
- §二(六): every household in difficulty with a member able and willing to work has at
  least 1 in stable employment (``household_coverage``);
- §二(十), every year ("四个一"): for every unemployed person of working age one basic
  information check (``four_ones_info_check``), and for those who want work one vocational
  capacity assessment, one demand registration and one employment service
  (``four_ones_assessment``, ``four_ones_registration``, ``four_ones_service``); goal 100%.

The counts and the employment rate are city-wide: the plan sets no county targets for
them. The rules for every person, household or point (graduates, households, kiosk points,
four ones) hold in every county as written. Otherwise a county has a target only when
the caller supplies one or asks for a split (``split="population"``/``county_shares``, an
ASSUMPTION flagged in every row); the agency-post target is never split.

Yearly goals (:meth:`PlanTargets.goal`): the plan gives no milestones for its cumulative
targets. Unless milestones are supplied, the goal of a year is an even path to the end
target — ``new_jobs`` and ``welfare_posts`` over 2022–2025 (a quarter a year: 1,250 new
jobs by end-2022, 2,500 by end-2023 …), ``tobacco_outlets`` over 2021–2025 (60 a year) —
flagged ``linear path (ASSUMPTION)``. The yearly targets (agency posts, graduates,
households, kiosks, four ones) hold every year; the employment rate has no yearly path in
the plan, so its end-2025 level is shown in every year (``end-2025 level``). Years outside
2022–2025 compare against the end-2025 target for reference only.

Extra targets (training, …) and published county targets are entered as a table or a
TOML file (:meth:`PlanTargets.from_table`, :meth:`PlanTargets.from_file`; format in
:mod:`jhmatch.policy.targetfile`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.errors import ParameterError
from jhmatch.i18n import N_
from jhmatch.i18n import gettext as _
from jhmatch.policy.labels import register_label
from jhmatch.taxonomy import REGIONS, normalize_label, region

__all__ = ["ANNUAL_TARGETS", "COUNT_TARGETS", "FOUR_ONES_TARGETS", "PLAN_YEARS", "RATE_TARGETS",
           "UNIVERSAL_TARGETS",
           "ExtraTarget", "PlanTargets"]

PLAN_YEARS = (2022, 2025)
"""First and last year of the plan (金政办发〔2022〕50号: targets "到2025年" / 2022–2025)."""

COUNT_TARGETS = ("new_jobs", "welfare_posts", "tobacco_outlets", "agency_posts")
FOUR_ONES_TARGETS = ("four_ones_info_check", "four_ones_assessment", "four_ones_registration", "four_ones_service")
RATE_TARGETS = ("employment_rate", "graduate_rate", "household_coverage", "kiosk_reserve", *FOUR_ONES_TARGETS)
ANNUAL_TARGETS = ("agency_posts", "graduate_rate", "household_coverage", "kiosk_reserve", *FOUR_ONES_TARGETS)
"""Targets that hold every year of the plan (每年 / 确保 in the plan's text)."""
UNIVERSAL_TARGETS = ("graduate_rate", "household_coverage", "kiosk_reserve", *FOUR_ONES_TARGETS)
"""Rules for every person, household or point (确保…百分百, 每户, 每个新增服务点, 每年对…): they hold in every
county as written, so each county has them as its target without any split."""
PATHS: Mapping[str, tuple[int, int]] = MappingProxyType(
    {"new_jobs": (2022, 2025), "welfare_posts": (2022, 2025), "tobacco_outlets": (2021, 2025)})
"""Cumulative targets and the years they are counted over (tobacco: the 14th Five-Year period 2021–2025)."""
_BUILTIN = COUNT_TARGETS + RATE_TARGETS
_SPLITS = (None, "population", "shares")
_NOT_SPLIT = ("agency_posts",)

SOURCES: Mapping[str, str] = MappingProxyType({
    "new_jobs": N_("PLAN §一: 新增残疾人就业5000人以上 (2022–2025)"),
    "welfare_posts": N_("PLAN §一: 新增残疾人公益性岗位500个以上"),
    "tobacco_outlets": N_("PLAN §二(二): 用于残疾人创业扶持的烟草制品零售点不少于300个 (十四五, 2021–2025)"),
    "agency_posts": N_("PLAN §二(一): 每年至少推出1个机关、事业单位的岗位用于安排残疾人就业"),
    "employment_rate": N_("PLAN §一: 劳动年龄段持证残疾人就业率达到60%以上"),
    "graduate_rate": N_("PLAN §一/§二(八): 有就业意愿应届残疾人大学生就业率达到100%"),
    "household_coverage": N_("PLAN §二(六): 困难残疾人家庭中有就业能力和就业意愿的至少有1人实现稳定就业"),
    "kiosk_reserve": N_("PLAN §二(二): 新增建设邮政报刊零售亭等社区公共服务点时，应当预留不低于10%的岗位专门安排残疾人就业"),
    "four_ones_info_check": N_("PLAN §二(十) 四个一: 每年对就业年龄段未就业残疾人至少进行一次基础信息核对"),
    "four_ones_assessment": N_("PLAN §二(十) 四个一: 对其中有就业需求的残疾人至少组织一次职业能力评估"),
    "four_ones_registration": N_("PLAN §二(十) 四个一: 对其中有就业需求的残疾人进行一次就业需求登记"),
    "four_ones_service": N_("PLAN §二(十) 四个一: 对其中有就业需求的残疾人开展一次就业服务"),
})
"""Where each built-in target is written in the plan (marked for translation: show with ``_()``)."""


@dataclass(frozen=True)
class ExtraTarget:
    """A target the plan's text does not count but a county or the city sets (e.g. training).

    Attributes
    ----------
    code : str
        Identifier (``"training"``).
    value : float
        City-wide target (NaN when only county targets are given).
    county : Mapping[str, float]
        County targets by county code.
    unit : {"count", "rate"}
        Counts add up over counties; rates (shares in [0, 1]) do not.
    period : {"cumulative", "annual"}
        Cumulative over 2022–2025 (yearly goals on an even path, an ASSUMPTION, unless
        milestones are supplied) or the same every year.
    label, label_zh : str
        Names shown to planners.
    source : str
        Where the target comes from (a county's published plan, ...).
    count_column : str, optional
        A yes/no (or date) column of the persons table; persons with yes are counted
        per county (e.g. ``trained``), added to ``achieved``.

    Examples
    --------
    >>> ExtraTarget("training", county={"330783": 1300.0}, label_zh="残疾人职业技能培训").unit
    'count'
    """

    code: str
    value: float = float("nan")
    county: Mapping[str, float] = field(default_factory=dict)
    unit: str = "count"
    period: str = "cumulative"
    label: str = ""
    label_zh: str = ""
    source: str = "supplied"
    count_column: str | None = None

    def __post_init__(self) -> None:
        if self.unit not in ("count", "rate"):
            raise ParameterError(f"extra target {self.code!r}: unit {self.unit!r}, expected 'count' or 'rate'")
        if self.period not in ("cumulative", "annual"):
            raise ParameterError(f"extra target {self.code!r}: period {self.period!r}, expected 'cumulative' or 'annual'")
        if self.code in _BUILTIN:
            raise ParameterError(f"extra target {self.code!r}: a built-in target of the plan")
        object.__setattr__(self, "county", MappingProxyType({region(k).code: float(v) for k, v in self.county.items()}))
        register_label(self.code, self.label or None, self.label_zh or None)


def _scope(value: Any) -> str:
    """``"city"`` for the whole city (empty, city, 全市, 金华市), else the county code."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "city"
    key = normalize_label(value)
    if key in ("", "city", "全市", "金华市", "金华", "jinhua", "市"):
        return "city"
    return region(value).code


def _freeze(per: Mapping[str, Mapping[Any, float]], key: Any) -> Mapping[str, Mapping[Any, float]]:
    out = {}
    for name, values in per.items():
        out[name] = MappingProxyType({key(k): float(v) for k, v in values.items()})
    return MappingProxyType(out)


@dataclass(frozen=True)
class PlanTargets:
    """City-wide targets, county targets only where supplied or a split is asked for, yearly goals.

    Attributes
    ----------
    new_jobs, welfare_posts, tobacco_outlets : float
        Cumulative counts by end-2025 (PLAN 5,000, 500, 300).
    agency_posts : float
        Agency / public-institution posts per year (PLAN 1).
    employment_rate, graduate_rate, household_coverage : float
        Shares in [0, 1] (PLAN 60%, 100%, 100%).
    kiosk_reserve : float
        Share of new community service points keeping the reserve rule (PLAN: every one, 1.0).
    kiosk_share : float
        Share of a new point's posts to reserve for disabled persons (PLAN 10%).
    four_ones_info_check, four_ones_assessment, four_ones_registration, four_ones_service : float
        Share of the persons in scope who had the service this year (PLAN: every one, 1.0).
    county_shares : Mapping[str, float] or None
        Weights of the counties for a split of the count targets; giving them asks for a split.
    county_targets : Mapping[str, Mapping[str, float]]
        County targets supplied, e.g. ``{"new_jobs": {"330783": 800}}`` (codes or names).
    split : {None, "population", "shares"}
        ``None`` (default): no county target unless supplied. ``"population"``: count targets
        times the county's resident population share (end-2024, :data:`jhmatch.taxonomy.REGIONS`)
        and the city rates applied in each county — an ASSUMPTION flagged in every row.
    milestones : Mapping[str, Mapping[int, float]]
        Supplied city-wide goals per year, e.g. ``{"new_jobs": {2023: 2500}}``.
    county_milestones : Mapping[str, Mapping[str, Mapping[int, float]]]
        Supplied county goals per year, ``{"new_jobs": {"东阳": {2023: 400}}}``.
    extra : Mapping[str, ExtraTarget]
        Targets beyond the plan's (training, …).
    achieved : Mapping[str, Mapping[str, float]]
        Counts reached outside the allocation per target and county (``"city"``: not
        attributed to a county), added by :func:`~jhmatch.policy.progress`.

    Examples
    --------
    >>> t = PlanTargets(county_targets={"new_jobs": {"义乌": 1400}})
    >>> t.county_target("new_jobs", "330782"), t.county_target("new_jobs", "330727")
    (1400.0, nan)
    >>> t.goal("new_jobs", "city", 2023)
    (2500.0, 'linear path (ASSUMPTION)')
    >>> PlanTargets(split="population").county_basis("new_jobs", "330727")
    'population split (ASSUMPTION)'
    """

    new_jobs: float = 5000
    welfare_posts: float = 500
    tobacco_outlets: float = 300
    agency_posts: float = 1
    employment_rate: float = 0.60
    graduate_rate: float = 1.0
    household_coverage: float = 1.0
    kiosk_reserve: float = 1.0
    four_ones_info_check: float = 1.0
    four_ones_assessment: float = 1.0
    four_ones_registration: float = 1.0
    four_ones_service: float = 1.0
    kiosk_share: float = 0.10
    county_shares: Mapping[str, float] | None = None
    county_targets: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    split: str | None = None
    milestones: Mapping[str, Mapping[int, float]] = field(default_factory=dict)
    county_milestones: Mapping[str, Mapping[str, Mapping[int, float]]] = field(default_factory=dict)
    extra: Mapping[str, ExtraTarget] = field(default_factory=dict)
    achieved: Mapping[str, Mapping[str, float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.split not in _SPLITS:
            raise ParameterError(f"split: got {self.split!r}, expected None, 'population' or 'shares'")
        if self.split == "shares" and self.county_shares is None:
            raise ParameterError("split='shares' needs county_shares")
        if self.county_shares is not None and self.split is None:
            object.__setattr__(self, "split", "shares")
        for name in (*_BUILTIN, "kiosk_share"):
            value = getattr(self, name)
            hi = np.inf if name in COUNT_TARGETS else 1.0
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= hi:
                raise ParameterError(f"target {name!r}: got {value!r}, expected a number between 0 and {hi}")
        if self.county_shares is not None:
            shares = {region(k).code: float(v) for k, v in self.county_shares.items()}
            if any(v < 0 for v in shares.values()) or sum(shares.values()) <= 0:
                raise ParameterError(f"county_shares: got {dict(self.county_shares)!r}, expected non-negative weights")
            object.__setattr__(self, "county_shares", MappingProxyType(shares))
        extra = dict(self.extra)
        for code, e in extra.items():
            if not isinstance(e, ExtraTarget) or e.code != code:
                raise ParameterError(f"extra: {code!r} must map to ExtraTarget({code!r}, ...)")
        object.__setattr__(self, "extra", MappingProxyType(extra))
        self._known(self.county_targets, "county_targets")
        self._known(self.milestones, "milestones")
        self._known(self.county_milestones, "county_milestones")
        self._known(self.achieved, "achieved")
        object.__setattr__(self, "county_targets", _freeze(self.county_targets, lambda k: region(k).code))
        object.__setattr__(self, "milestones", _freeze(self.milestones, int))
        object.__setattr__(self, "achieved", _freeze(self.achieved, _scope))
        cm = {name: MappingProxyType({region(c).code: MappingProxyType({int(y): float(v) for y, v in per.items()})
                                      for c, per in counties.items()})
              for name, counties in self.county_milestones.items()}
        object.__setattr__(self, "county_milestones", MappingProxyType(cm))

    def _known(self, per: Mapping[str, Any], what: str) -> None:
        for name in per:
            if name not in self.names():
                raise ParameterError(f"{what}: unknown target {name!r}; known: {', '.join(self.names())}")

    def names(self) -> tuple[str, ...]:
        """Every target code: the plan's, then the extra ones."""
        return (*_BUILTIN, *self.extra)

    def is_rate(self, name: str) -> bool:
        """Whether a target is a share (rates, coverage, the four ones) rather than a count."""
        return name in RATE_TARGETS or (name in self.extra and self.extra[name].unit == "rate")

    def city_target(self, name: str) -> float:
        """The city-wide target (NaN for an extra target given only per county)."""
        return float(self.extra[name].value) if name in self.extra else float(getattr(self, name))

    @classmethod
    def from_table(cls, table: pd.DataFrame, **kwargs: Any) -> PlanTargets:
        """Targets read from a table in the :data:`~jhmatch.policy.targetfile.TARGETS_TABLE` format.

        Chinese headers are accepted; keyword arguments set the other fields (``split=``, ...).

        Examples
        --------
        >>> t = PlanTargets.from_table(pd.DataFrame({"target": ["new_jobs", "welfare_posts", "training"],
        ...     "county": ["东阳", "东阳", "东阳"], "value": [800, 70, 1300], "label_zh": [None, None, "职业技能培训"]}))
        >>> t.county_target("welfare_posts", "330783"), t.county_basis("welfare_posts", "330783")
        (70.0, 'supplied')
        >>> t.county_target("training", "东阳"), t.extra["training"].unit
        (1300.0, 'count')
        """
        from jhmatch.policy.targetfile import targets_from_table

        return targets_from_table(cls, table, **kwargs)

    @classmethod
    def from_file(cls, path: str | Path, **kwargs: Any) -> PlanTargets:
        """Targets from a CSV/Excel file, or a TOML file of ``[[target]]`` tables (same keys as the columns).

        Examples
        --------
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "targets.toml"
        >>> _ = p.write_text('[[target]]\\ntarget = "new_jobs"\\ncounty = "东阳"\\nvalue = 800\\n', encoding="utf-8")
        >>> PlanTargets.from_file(p).county_target("new_jobs", "东阳")
        800.0
        """
        from jhmatch.policy.targetfile import read_targets_table

        return cls.from_table(read_targets_table(path), **kwargs)

    def shares(self) -> dict[str, float]:
        """Normalised county weights of a split (population unless ``county_shares``)."""
        raw = dict(self.county_shares) if self.county_shares is not None else {r.code: r.population for r in REGIONS}
        total = sum(raw.values())
        return {r.code: raw.get(r.code, 0.0) / total for r in REGIONS}

    def county_basis(self, name: str, county: Any) -> str:
        """Where a county's target comes from.

        ``supplied``; ``plan (every county)`` for the rules that hold for every person,
        household or point (:data:`UNIVERSAL_TARGETS`); a split marked ``(ASSUMPTION)``; or
        ``none`` (the plan's target is city-wide).
        """
        code = region(county).code
        if name in self.extra:
            return "supplied" if code in self.extra[name].county else "none"
        if name in self.county_targets and code in self.county_targets[name]:
            return "supplied"
        if name in UNIVERSAL_TARGETS:
            return "plan (every county)"
        if self.split is None or name in _NOT_SPLIT:
            return "none"
        if self.is_rate(name):
            return "city rate applied (ASSUMPTION)"
        return f"{'population' if self.split == 'population' else 'county_shares'} split (ASSUMPTION)"

    def county_target(self, name: str, county: Any) -> float:
        """The target of one county: supplied, else the split if asked for, else NaN (no target)."""
        code = region(county).code
        basis = self.county_basis(name, code)
        if basis == "supplied":
            per = self.extra[name].county if name in self.extra else self.county_targets[name]
            return float(per[code])
        if basis == "none":
            return float("nan")
        city = self.city_target(name)
        return city if self.is_rate(name) else city * self.shares()[code]

    def goal(self, name: str, scope: str, year: int) -> tuple[float, str]:
        """The goal of ``year`` for a target in a scope (``"city"`` or a county) and where it comes from.

        Returns ``(goal, basis)``; basis is ``supplied`` (a milestone given), ``annual`` (the
        target holds every year), ``end-2025``, ``linear path (ASSUMPTION)``, ``end-2025 level``
        (a level with no yearly path), ``outside the plan period``, or ``none`` (no county target).

        Examples
        --------
        >>> t = PlanTargets()
        >>> t.goal("tobacco_outlets", "city", 2022), t.goal("agency_posts", "city", 2023)
        ((120.0, 'linear path (ASSUMPTION)'), (1.0, 'annual'))
        >>> t.goal("employment_rate", "city", 2024)
        (0.6, 'end-2025 level')
        """
        year = int(year)
        target = self.city_target(name) if scope == "city" else self.county_target(name, scope)
        supplied = (self.milestones.get(name, {}) if scope == "city"
                    else self.county_milestones.get(name, {}).get(scope, {}))
        if year in supplied:
            return float(supplied[year]), "supplied"
        if math.isnan(target):
            return float("nan"), "none"
        if not PLAN_YEARS[0] <= year <= PLAN_YEARS[1]:
            return target, "outside the plan period"
        annual = name in ANNUAL_TARGETS or (name in self.extra and self.extra[name].period == "annual")
        if annual:
            return target, "annual"
        if year == PLAN_YEARS[1]:
            return target, "end-2025"
        if name in PATHS or (name in self.extra and not self.is_rate(name)):
            start, end = PATHS.get(name, PLAN_YEARS)
            return target * (year - start + 1) / (end - start + 1), "linear path (ASSUMPTION)"
        return target, "end-2025 level"

    def source(self, name: str) -> str:
        """Where a target is written (the plan's section, or the extra target's source)."""
        return self.extra[name].source if name in self.extra else _(SOURCES[name])
