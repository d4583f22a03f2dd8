"""Planner-facing names of the simulation's rates, flows and columns (English, translated where shown).

The plan's targets keep their one home, :mod:`jhmatch.policy.labels` (``target_label``,
``status_label``, ``basis_label``); this module names only what the simulation adds.

Examples
--------
>>> from jhmatch.i18n import language
>>> with language("zh"):
...     flow_label("retired"), rate_label("death_rate")
('达到退休年龄退出', '年死亡率（占在册人员）')
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from jhmatch.i18n import N_, format_number, format_percent
from jhmatch.i18n import gettext as _

__all__ = ["COLUMN_LABELS", "FLOW_LABELS", "GROUP_LABELS", "column_label", "flow_label", "format_rate",
           "group_label", "rate_label"]

FLOW_LABELS: Mapping[str, str] = MappingProxyType({
    "start": N_("persons at the start of the year"),
    "new_holders": N_("new certificate holders"),
    "graduates": N_("new graduates"),
    "youth": N_("persons reaching working age"),
    "died": N_("deaths"),
    "moved": N_("moved out of the city"),
    "retired": N_("reached retirement age"),
    "end": N_("persons at the end of the year"),
    "placed": N_("placed this year"),
    "lost": N_("jobs that ended"),
    "opened": N_("post places opened"),
    "emp_start": N_("with a job at the start of the year"),
    "emp_in": N_("entrants with a job"),
    "emp_out": N_("leaving with a job (death, move, retirement)"),
    "emp_end": N_("with a job at the end of the year"),
    "placed_again": N_("placed again (a job found in the simulation ended)"),
})
"""English name of each flow of :meth:`~jhmatch.simulate.SimulationResult.flows`."""

GROUP_LABELS: Mapping[str, str] = MappingProxyType({
    "existing": N_("jobs held at the start"),
    "welfare": N_("welfare posts"),
    "reserved": N_("reserved outlets and kiosks"),
    "public": N_("agency and state-owned-enterprise posts"),
    "ecommerce": N_("e-commerce"),
    "craft": N_("crafts and blind massage"),
    "rural": N_("rural work"),
    "sheltered": N_("auxiliary employment"),
    "enterprise": N_("enterprise posts"),
})
"""English name of each job group of the retention model."""

COLUMN_LABELS: Mapping[str, str] = MappingProxyType({
    "target": N_("target"),
    "scope": N_("city or county"),
    "year": N_("year"),
    "mean": N_("mean"),
    "low": N_("low (5%)"),
    "high": N_("high (95%)"),
    "goal": N_("goal"),
    "basis": N_("basis of the goal"),
    "p_meet": N_("probability of meeting the goal"),
    "parameter": N_("parameter"),
    "value": N_("value"),
    "base_value": N_("base value"),
    "low_value": N_("value set low"),
    "high_value": N_("value set high"),
    "p_low": N_("probability with the value low"),
    "p_base": N_("probability at the base value"),
    "p_high": N_("probability with the value high"),
    "effect": N_("largest change in probability"),
    "end_low": N_("end value with the value low"),
    "end_high": N_("end value with the value high"),
    "flow": N_("flow"),
    "status": N_("status"),
})
"""English header of each column of the simulation's tables."""


def rate_label(name: str) -> str:
    """A rate's planner-facing name (its code when unknown).

    Examples
    --------
    >>> rate_label("move_rate")
    'moving out of the city a year (share of the active persons)'
    """
    from jhmatch.simulate.scenario import RATES

    return _(RATES[name].label) if name in RATES else str(name)


def flow_label(name: str) -> str:
    """A flow's planner-facing name.

    Examples
    --------
    >>> flow_label("died")
    'deaths'
    """
    return _(FLOW_LABELS[name]) if name in FLOW_LABELS else str(name)


def group_label(name: str) -> str:
    """A job group's planner-facing name.

    Examples
    --------
    >>> group_label("sheltered")
    'auxiliary employment'
    """
    return _(GROUP_LABELS[name]) if name in GROUP_LABELS else str(name)


def column_label(name: str) -> str:
    """A column's planner-facing header (use with ``frame.rename(columns=column_label)``).

    Examples
    --------
    >>> column_label("p_meet")
    'probability of meeting the goal'
    """
    return _(COLUMN_LABELS[name]) if name in COLUMN_LABELS else str(name)


def _key_label(name: str, key: Any) -> str:
    """A key of a rate by group or share: a job group, a category or a grade as planners name it."""
    from jhmatch.i18n import get_language
    from jhmatch.taxonomy import DisabilityCategory, Grade

    if name == "job_loss":
        return group_label(str(key))
    if get_language() != "zh":
        return str(key)
    try:
        return DisabilityCategory.parse(key).zh if name == "holder_categories" else Grade.parse(key).zh
    except (ValueError, LookupError):
        return str(key)


def format_rate(name: str, value: Any) -> str:
    """A rate's value for planners: a percentage for shares, a number for counts, ``key: value`` for tables.

    Examples
    --------
    >>> format_rate("death_rate", 0.008), format_rate("welfare_places", 125.0)
    ('0.8%', '125')
    """
    from jhmatch.simulate.scenario import RATES

    kind = RATES[name].kind if name in RATES else "count"
    if isinstance(value, Mapping):
        shown = [f"{_key_label(name, k)}: "
                 f"{format_percent(float(v)) if kind == 'group_rates' else format_number(float(v), 3)}"
                 for k, v in value.items()]
        return "; ".join(shown)
    if kind == "rate":
        return format_percent(float(value))
    return format_number(float(value))
