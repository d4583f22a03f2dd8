"""Planner-facing names of the plan's targets, measures, statuses and target bases.

The codes (``new_jobs``, ``not met``, ``population split (ASSUMPTION)`` ...) stay in the
tables; these functions give the name a county planner reads, in the current language
(:func:`jhmatch.i18n.language`). The Chinese names use the plan's own terms
(金政办发〔2022〕50号): 新增残疾人就业, 新增残疾人公益性岗位, 劳动年龄段持证残疾人就业率,
有就业意愿应届残疾人大学生就业率, 异地按比例就业, 辅助性就业, "四个一" ...

Examples
--------
>>> from jhmatch.i18n import language
>>> with language("zh"):
...     target_label("employment_rate"), status_label("not met")
('劳动年龄段持证残疾人就业率', '未完成')
>>> target_label("new_jobs")
'new disabled persons employed'
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from jhmatch.i18n import N_, format_number, format_percent
from jhmatch.i18n import gettext as _

__all__ = [
    "BASIS_LABELS",
    "COLUMN_LABELS",
    "MEASURE_LABELS",
    "PARAMETER_LABELS",
    "PHASE_LABELS",
    "STATUSES",
    "STATUS_LABELS",
    "TARGET_LABELS",
    "assumed_parameters",
    "basis_label",
    "column_label",
    "format_goal",
    "format_value",
    "measure_label",
    "parameter_label",
    "phase_label",
    "status_label",
    "target_assumptions",
    "target_label",
]

TARGET_LABELS: Mapping[str, str] = MappingProxyType({
    # PLAN §一 (到2025年)
    "new_jobs": N_("new disabled persons employed"),
    "welfare_posts": N_("new welfare posts for disabled persons"),
    "employment_rate": N_("employment rate of working-age certificate holders"),
    "graduate_rate": N_("employment rate of graduating disabled university students who want work"),
    # PLAN §二
    "agency_posts": N_("agency and public-institution posts for disabled persons, a year"),
    "tobacco_outlets": N_("tobacco retail outlets for disabled entrepreneurs"),
    "kiosk_reserve": N_("new community service points reserving at least 10% of posts for disabled persons"),
    "household_coverage": N_("households in difficulty with at least one member in stable employment"),
    "four_ones_info_check": N_("four ones: basic information check"),
    "four_ones_assessment": N_("four ones: vocational capacity assessment"),
    "four_ones_registration": N_("four ones: employment demand registration"),
    "four_ones_service": N_("four ones: employment service"),
})
"""English name of each built-in target (marked for translation; shown through :func:`target_label`)."""

MEASURE_LABELS: Mapping[str, str] = MappingProxyType({
    "soe_posts": N_("state-owned enterprise targeted posts"),
    "lottery_outlets": N_("lottery outlets for disabled persons"),
    "cross_county_quota": N_("cross-county quota employment"),
    "concentrated_employment": N_("concentrated employment"),
    "sheltered_work": N_("auxiliary employment"),
    "ecommerce": N_("e-commerce support for disabled persons: cloud customer service, cloud review, network maintenance"),
    "handicraft": N_("intangible cultural heritage and traditional handicrafts"),
    "prosperity_workshop": N_("common-prosperity workshops"),
    "welfare_filled": N_("welfare posts filled by disabled persons"),
    "rural": N_("rural disabled persons: planting, breeding, processing, rural tourism, rural e-commerce, "
                "rural parcel logistics"),
    "training": N_("vocational skills training"),
})
"""English name of each ledger measure that is not a target of :data:`TARGET_LABELS`."""

STATUSES = ("met", "not met", "no data", "no target")
"""Statuses of a progress or ledger row."""

STATUS_LABELS: Mapping[str, str] = MappingProxyType({
    "met": N_("met"),
    "not met": N_("not met"),
    "no data": N_("no data"),
    "no target": N_("no target"),
})
"""English name of each status (shown through :func:`status_label`)."""

_STATUS_ALIASES = {"short": "not met", "unmet": "not met", "not_met": "not met", "no_data": "no data",
                   "no_target": "no target"}

BASIS_LABELS: Mapping[str, str] = MappingProxyType({
    "plan": N_("the plan's target"),
    "supplied": N_("supplied by the user"),
    "population split (ASSUMPTION)": N_("split by resident population (assumption)"),
    "county_shares split (ASSUMPTION)": N_("split by the weights given (assumption)"),
    "city rate applied (ASSUMPTION)": N_("city-wide rate applied to the county (assumption)"),
    "none": N_("no county target: the plan's target is city-wide"),
    "plan (every county)": N_("the plan's rule, for every county"),
    "annual": N_("a yearly target"),
    "end-2025": N_("end-2025 target"),
    "linear path (ASSUMPTION)": N_("even yearly path to the end-2025 target (assumption)"),
    "end-2025 level": N_("end-2025 level (the plan gives no yearly path)"),
    "outside the plan period": N_("outside the plan period: end-2025 target for reference"),
    "plan (no number)": N_("the plan sets no number"),
})
"""English name of each target basis and milestone basis (shown through :func:`basis_label`)."""

COLUMN_LABELS: Mapping[str, str] = MappingProxyType({
    "employer_id": N_("unit id"),
    "person_id": N_("person's id"),
    "county": N_("county of the unit"),
    "staff_counted": N_("staff counted"),
    "disabled_counted": N_("disabled staff counted"),
    "severe_counted": N_("of whom severely disabled (counted twice)"),
    "weighted_count": N_("disabled staff counted, weighted"),
    "required": N_("disabled staff required (1.5%)"),
    "shortfall": N_("shortfall against the quota"),
    "excess": N_("above the threshold"),
    "ratio": N_("ratio of disabled staff"),
    "meets_quota": N_("meets the quota"),
    "exempt": N_("exempt (30 staff or fewer)"),
    "wage_base": N_("average annual wage"),
    "wage_capped": N_("wage counted (at most twice the local average)"),
    "fund_full": N_("fund before reduction"),
    "pay_share": N_("share payable (reduction tiers)"),
    "fund_due": N_("employment security fund due"),
    "basis": N_("reward basis"),
    "threshold": N_("reward threshold"),
    "eligible": N_("meets the reward conditions"),
    "reward_eligible": N_("eligible for the over-quota reward"),
    "reward": N_("over-quota placement reward"),
    "vat_paid": N_("VAT paid"),
    "entitlement": N_("VAT refund limit"),
    "vat_entitlement": N_("VAT refund limit"),
    "refund": N_("VAT refund"),
    "vat_refund": N_("VAT refund"),
    "unused_limit": N_("unused refund limit"),
    "months": N_("months assessed"),
    "eligible_months": N_("months meeting the conditions"),
    "employment_start": N_("date employment started"),
    "disregard_end": N_("end of the income disregard"),
    "phaseout_end": N_("end of the phase-out"),
    "phase": N_("dibao stage"),
    "counted_share": N_("share counted as household income"),
    "phaseout_month": N_("month of the phase-out"),
    "rule_basis": N_("basis of the rule (plan or assumption)"),
    "counted_income": N_("earnings counted as household income"),
    "explanation": N_("how it was computed"),
})
"""English header of each column of the policy rules' tables (shown through :func:`column_label`)."""

PHASE_LABELS: Mapping[str, str] = MappingProxyType({
    "not_dibao": N_("not a dibao household member"),
    "not_started": N_("job not yet started"),
    "disregarded": N_("earnings not counted (3 years)"),
    "phase_out": N_("phase-out year"),
    "counted": N_("earnings counted"),
})
"""English name of each dibao stage of :func:`~jhmatch.policy.dibao_disregard` (shown through :func:`phase_label`)."""

_EXTRA: dict[str, tuple[str | None, str | None]] = {}


def register_label(code: str, label: str | None = None, label_zh: str | None = None) -> None:
    """Record the names of a user-defined target (from a targets file); used by :func:`target_label`.

    Examples
    --------
    >>> register_label("training", "persons trained", "残疾人职业技能培训")
    >>> target_label("training")
    'persons trained'
    """
    if label or label_zh:
        _EXTRA[str(code)] = (label or None, label_zh or None)


def target_label(code: str) -> str:
    """The planner-facing name of a target (or ledger measure) code, in the current language.

    User-defined targets show their own label (``label_zh`` under Chinese when given,
    registered by :class:`~jhmatch.policy.ExtraTarget`); unknown codes are shown as they are.

    Examples
    --------
    >>> from jhmatch.i18n import language
    >>> with language("zh"):
    ...     target_label("welfare_posts"), target_label("four_ones_service")
    ('新增残疾人公益性岗位', '“四个一”：就业服务')
    """
    code = str(code)
    if code in TARGET_LABELS:
        return _(TARGET_LABELS[code])
    if code in _EXTRA:
        from jhmatch.i18n import get_language

        en, zh = _EXTRA[code]
        return (zh or en or code) if get_language() == "zh" else (en or zh or code)
    if code in MEASURE_LABELS:
        return _(MEASURE_LABELS[code])
    return code


def measure_label(code: str) -> str:
    """Alias of :func:`target_label` for ledger measures.

    Examples
    --------
    >>> measure_label("sheltered_work")
    'auxiliary employment'
    """
    return target_label(code)


def status_label(status: str) -> str:
    """The planner-facing name of a status (``met`` → 已完成 under Chinese).

    Examples
    --------
    >>> from jhmatch.i18n import language
    >>> with language("zh"):
    ...     [status_label(s) for s in ("met", "short", "no data", "no target")]
    ['已完成', '未完成', '无数据', '未设目标']
    """
    key = _STATUS_ALIASES.get(str(status), str(status))
    return _(STATUS_LABELS[key]) if key in STATUS_LABELS else str(status)


def basis_label(basis: str) -> str:
    """The planner-facing name of where a target or a yearly goal comes from.

    Examples
    --------
    >>> from jhmatch.i18n import language
    >>> with language("zh"):
    ...     basis_label("population split (ASSUMPTION)")
    '按常住人口分解（假设）'
    """
    return _(BASIS_LABELS[basis]) if basis in BASIS_LABELS else str(basis)


def column_label(name: str) -> str:
    """The planner-facing header of a policy table column (``fund_due`` → 应缴残疾人就业保障金 under Chinese).

    Use it to rename a table's headers: ``table.rename(columns=column_label)``.

    Examples
    --------
    >>> from jhmatch.i18n import language
    >>> with language("zh"):
    ...     column_label("fund_due"), column_label("other")
    ('应缴残疾人就业保障金', 'other')
    """
    return _(COLUMN_LABELS[name]) if name in COLUMN_LABELS else str(name)


def phase_label(phase: str) -> str:
    """The planner-facing name of a dibao stage (``phase_out`` → 渐退期 under Chinese).

    Examples
    --------
    >>> from jhmatch.i18n import language
    >>> with language("zh"):
    ...     phase_label("phase_out")
    '渐退期'
    """
    return _(PHASE_LABELS[phase]) if phase in PHASE_LABELS else str(phase)


def format_value(value: Any, rate: bool) -> str:
    """A progress value for planners: a percentage for rates, a whole number for counts; NaN as a dash.

    Examples
    --------
    >>> format_value(0.5, True), format_value(1250.0, False), format_value(float("nan"), False)
    ('50.0%', '1,250', '—')
    """
    v = float(value)
    if rate:
        return format_percent(v)
    return format_number(v, 0 if v != v or float(v).is_integer() else 1)


def format_goal(goal: Any, rate: bool, basis: str = "plan") -> str:
    """A goal for planners; a row without a goal says why instead of showing NaN.

    Examples
    --------
    >>> format_goal(float("nan"), False, "none")
    "no county target: the plan's target is city-wide"
    >>> format_goal(0.6, True)
    '60.0%'
    """
    g = float(goal)
    if g != g:
        return basis_label(basis) if basis in ("none", "plan (no number)") else _("no target")
    return format_value(g, rate)


PARAMETER_LABELS: Mapping[str, str] = MappingProxyType({
    "local_average_wage": N_("local average annual wage (caps the fund's wage base)"),
    "county_wage_tier": N_("minimum-wage tier of each county"),
    "reward_per_excess_person": N_("over-quota reward per person"),
    "reward_per_excess_person_concentrated": N_("over-quota reward per person (concentrated employment)"),
    "dibao_phaseout_shape": N_("shape of the dibao phase-out"),
    "dibao_phaseout_step_share": N_("share kept in a stepped dibao phase-out"),
    "working_age_min": N_("lowest working age"),
    "retirement_age_male": N_("retirement age, men"),
    "retirement_age_female": N_("retirement age, women"),
})
"""Planner-facing names of the parameters whose value is an assumption (PARAM) somewhere."""


def parameter_label(name: str) -> str:
    """A policy parameter's planner-facing name (its code when it has none).

    Examples
    --------
    >>> parameter_label("reward_per_excess_person")
    'over-quota reward per person'
    """
    return _(PARAMETER_LABELS[name]) if name in PARAMETER_LABELS else str(name)


def assumed_parameters(parameters: Any) -> list[str]:
    """The PARAM values among ``parameters`` (ParameterValue records), as ``name = value`` in words.

    PARAM marks a value not confirmed for Jinhua: an overridable default. Every output that
    rests on one says so with these lines.

    Examples
    --------
    >>> from jhmatch.policy import PolicyParameters
    >>> p = PolicyParameters.for_year(2025)
    >>> assumed_parameters(p.used("quota_ratio", "local_average_wage"))
    ["local average annual wage (caps the fund's wage base) = 100,000"]
    """
    out, seen = [], set()
    for pv in parameters:
        if getattr(pv, "status", "") != "PARAM" or pv.name in seen:
            continue
        seen.add(pv.name)
        value = pv.value
        shown = format_number(float(value)) if isinstance(value, (int, float)) and not isinstance(value, bool) \
            else str(dict(value) if hasattr(value, "items") else value)
        out.append(f"{parameter_label(pv.name)} = {shown}")
    return out


def target_assumptions(year: int) -> dict[str, list[str]]:
    """Per plan target, the assumed (PARAM) parameter values its figure rests on, in words.

    The employment rate counts working-age certificate holders, so it rests on the working-age
    parameters; the other targets count posts or placements and rest on none.

    Examples
    --------
    >>> sorted(target_assumptions(2025))
    ['employment_rate']
    """
    from jhmatch.policy.parameters import PolicyParameters

    params = PolicyParameters.for_year(min(max(int(year), 2022), 2027))
    used = assumed_parameters(params.used("working_age_min", "retirement_age_male", "retirement_age_female"))
    return {"employment_rate": used} if used else {}
