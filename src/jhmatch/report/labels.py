"""Names a planner reads in place of codes: counties, categories, post kinds, targets,
statuses, unplaced reasons, solver methods and the nodes of the cross-county chain.

Every function answers in the current language (:mod:`jhmatch.i18n`); a code it
does not know is shown as it is rather than dropped.

Examples
--------
>>> from jhmatch.i18n import language
>>> with language("zh"):
...     county_name("330782"), target_name("new_jobs"), chain_node("employers Yiwu")
('义乌市', '新增残疾人就业', '义乌市用人单位')
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from jhmatch.i18n import N_, get_language
from jhmatch.i18n import gettext as _
from jhmatch.taxonomy import REGIONS, DisabilityCategory, post_kinds, region

__all__ = ["RATE_TARGETS", "backend_name", "category_name", "chain_node", "chain_stage", "county_name", "is_missing",
           "kind_name", "reason_text", "solver_status", "target_name", "target_status"]

RATE_TARGETS = ("employment_rate", "graduate_rate", "household_coverage")
"""Targets whose value and goal are ratios, shown as percentages."""
SOLVER_STATUS = {"optimal": N_("optimal"), "feasible": N_("feasible, not proven optimal"),
                 "time_limit": N_("stopped at the time limit"), "infeasible": N_("infeasible"),
                 "error": N_("solver failed")}
BACKENDS = {"flow": N_("min-cost network flow"), "milp": N_("mixed-integer programming (HiGHS)"),
            "greedy": N_("greedy heuristic"), "lap": N_("assignment algorithm"), "stable": N_("stable matching"),
            "pulp": N_("external solver through PuLP"), "decompose": N_("solved county by county"),
            "dask": N_("distributed solve (Dask)"), "hand": N_("by hand")}
STAGES = (N_("employers → labour-dispatch agencies"), N_("labour-dispatch agencies → employment bases"))

_NAMES = {r.code: r for r in REGIONS}


def is_missing(value: Any) -> bool:
    """True for ``None``, NaN, ``pd.NA`` and empty text.

    Examples
    --------
    >>> is_missing(float("nan")), is_missing(""), is_missing("330782")
    (True, True, False)
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return True
    except ImportError:  # pragma: no cover - pandas is a base dependency
        pass
    return isinstance(value, str) and not value.strip()


def _zh() -> bool:
    return get_language() == "zh"


def county_name(code: Any) -> str:
    """A county's name from its code (or name); unknown values as given, a missing one said so.

    Examples
    --------
    >>> county_name("330727"), county_name(None)
    ("Pan'an", 'county not given')
    """
    if is_missing(code):
        return _("county not given")
    r = _NAMES.get(str(code))
    if r is None:
        try:
            r = region(code)
        except (ValueError, KeyError, LookupError):
            return str(code)
    return r.zh if _zh() else r.en


def category_name(value: Any) -> str:
    """A disability category's name (``visual`` → 视力残疾 in Chinese).

    Examples
    --------
    >>> category_name("physical")
    'physical'
    """
    if is_missing(value):
        return _("category not given")
    try:
        c = DisabilityCategory(str(value))
    except ValueError:
        return str(value)
    return c.zh if _zh() else c.value


def kind_name(code: Any) -> str:
    """A post kind's name from its code.

    Examples
    --------
    >>> kind_name("cloud_review") != ""
    True
    """
    if is_missing(code):
        return _("kind not given")
    for k in post_kinds():
        if k.code == str(code):
            return k.zh if _zh() else k.en
    return str(code)


def target_name(code: Any) -> str:
    """A plan target's name (``new_jobs`` → new jobs / 新增就业).

    Examples
    --------
    >>> target_name("welfare_posts")
    'new welfare posts for disabled persons'
    """
    from jhmatch.policy.labels import target_label  # the plan's wording has one home: jhmatch.policy

    return target_label(str(code))


def target_status(value: Any) -> str:
    """A target's status in words (``met``, ``not met``, ...).

    Examples
    --------
    >>> target_status("short")
    'not met'
    """
    from jhmatch.policy.labels import status_label

    return status_label(str(value))


def solver_status(value: Any) -> str:
    """The solver's status in words.

    Examples
    --------
    >>> solver_status("time_limit")
    'stopped at the time limit'
    """
    code = str(getattr(value, "value", value))
    label = SOLVER_STATUS.get(code)
    return _(label) if label else code


def backend_name(value: Any) -> str:
    """The solving method in words (``milp`` → mixed-integer programming (HiGHS)).

    Examples
    --------
    >>> backend_name("flow")
    'min-cost network flow'
    """
    label = BACKENDS.get(str(value))
    return _(label) if label else str(value)


def reason_text(value: Any) -> str:
    """Why a person was not placed, in the current language (the wording is :data:`jhmatch.optimize.evaluate.UNPLACED_REASONS`).

    Examples
    --------
    >>> reason_text("no candidate post")
    'no candidate post'
    """
    return _("reason not given") if is_missing(value) else _(str(value))


def chain_stage(stage: Any) -> str:
    """What a stage of the cross-county chain links (0: employers → agencies, 1: agencies → bases).

    Examples
    --------
    >>> chain_stage(1)
    'labour-dispatch agencies → employment bases'
    """
    try:
        return _(STAGES[int(stage)])
    except (ValueError, TypeError, IndexError):
        return str(stage)


def _region_or_none(text: str):
    try:
        return region(text)
    except (ValueError, KeyError, LookupError):
        return None


def _place(text: str) -> str:
    r = _region_or_none(text)
    if r is not None:
        return county_name(r.code)
    return county_name(None) if text.strip() in ("", "?", "nan", "None") else text


def chain_node(node: Any, names: Mapping[str, str] | None = None) -> str:
    """A readable name for a node of the cross-county chain.

    ``names`` maps node ids to names (an intermediary's ``name``, say) and wins.
    Otherwise the node ids of :func:`jhmatch.pipeline.chain_flows` are read:
    ``employers <county>`` (employers of a county), ``base <county>`` or ``B<code>``
    (the employment base of a county), a county code or name, and any other id as
    a labour-dispatch agency.

    Examples
    --------
    >>> chain_node("base Pan'an"), chain_node("D1"), chain_node("D1", {"D1": "Agency One"})
    ("employment base in Pan'an", 'labour-dispatch agency D1', 'Agency One')
    """
    text = str(node)
    if names and text in names and not is_missing(names[text]):
        return str(names[text])
    m = re.fullmatch(r"employers\s+(.+)", text)
    if m:
        return _("employers in {county}").format(county=_place(m.group(1)))
    m = re.fullmatch(r"base\s+(.+)", text) or re.fullmatch(r"B(\d{6})", text)
    if m:
        return _("employment base in {county}").format(county=_place(m.group(1)))
    if (r := _region_or_none(text)) is not None:
        return county_name(r.code)
    return _("labour-dispatch agency {id}").format(id=text)
