"""Planner-facing words for the optimiser: rule names and row labels in plain language.

Constraint blocks carry the class name of their rule (``RegionFloor``) unless the
user named the rule; messages show the plain name in the current language
(:func:`rule_name`) and county codes, post kinds and categories by their names
(:func:`label_name`). The data columns (``Diagnosis.conflicting``, the
``constraint`` and ``label`` columns) keep the codes.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from jhmatch.i18n import N_, get_language
from jhmatch.i18n import gettext as _

__all__ = ["RULE_NAMES", "label_name", "rule_name", "rule_names"]

RULE_NAMES: Mapping[str, str] = MappingProxyType({
    "PlacementGuarantee": N_("the placement guarantee for listed persons"),
    "GraduateGuarantee": N_("the guarantee that every graduate who wants work is placed"),
    "HouseholdCoverage": N_("the rule that every household in difficulty gets a placement"),
    "RegionFloor": N_("the minimum placements per county"),
    "RegionCap": N_("the maximum placements per county"),
    "CategoryFloor": N_("the minimum placements per disability category"),
    "KindTarget": N_("the targets per post kind"),
    "ReservedShare": N_("the reserved share at community service points"),
    "LinearRows": N_("the user-defined rows"),
})
"""Plain names of the built-in rules (English; translated where shown)."""


def rule_name(name: str) -> str:
    """The plain name of rule ``name`` in the current language (a user's own name is kept).

    Examples
    --------
    >>> rule_name("RegionFloor")
    'the minimum placements per county'
    >>> rule_name("my floor")
    'my floor'
    """
    plain = RULE_NAMES.get(str(name))
    return _(plain) if plain is not None else str(name)


def rule_names(names: Any) -> str:
    """Several rule names joined for a sentence (``；`` in Chinese, ``; `` in English).

    Examples
    --------
    >>> rule_names(["RegionFloor", "GraduateGuarantee"]).split("; ")[0]
    'the minimum placements per county'
    """
    sep = "；" if get_language() == "zh" else "; "
    return sep.join(rule_name(n) for n in names)


def label_name(label: Any) -> str:
    """A row label as a planner reads it: county and post-kind codes and categories by their names.

    Examples
    --------
    >>> label_name("330782"), label_name("tobacco_outlet"), label_name("h17")
    ('Yiwu', 'tobacco_outlet', 'h17')
    """
    from jhmatch.errors import UnknownLabelError
    from jhmatch.taxonomy import DisabilityCategory, post_kind, region

    text = str(label)
    zh = get_language() == "zh"
    if text.isdigit() and len(text) == 6:
        try:
            r = region(text)
            return r.zh if zh else r.en
        except UnknownLabelError:
            return text
    if not zh:
        return text
    try:
        return DisabilityCategory(text).zh
    except ValueError:
        pass
    try:
        return post_kind(text).zh if "_" in text or text.isalpha() else text
    except UnknownLabelError:
        return text
