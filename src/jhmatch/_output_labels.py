"""Names shown to planners instead of codes: column headers, counties, post kinds, targets and statuses.

Every label is an English message translated where it is shown (:func:`jhmatch.i18n.gettext`);
column headers use the canonical column name as their English text, so English
outputs keep the names the API uses (``person_id``) and Chinese ones read ``人员编号``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.data.ids import scrub
from jhmatch.i18n import N_
from jhmatch.i18n import gettext as _

__all__ = ["COLUMN_LABELS", "county_name", "display_table", "kind_label", "masked_text",
           "priority_text", "status_label", "target_label"]

COLUMN_LABELS: Mapping[str, str] = MappingProxyType({
    # persons and posts
    "person_id": N_("person_id"), "name": N_("name"), "id_number": N_("id_number"),
    "person_county": N_("person_county"), "priority": N_("priority"), "post_id": N_("post_id"),
    "title": N_("title"), "employer": N_("employer"), "employer_id": N_("employer_id"), "county": N_("county"),
    "kind": N_("kind"), "score": N_("score"), "reason": N_("reason"), "rank": N_("rank"), "code": N_("code"),
    # per county
    "persons": N_("persons"), "seekers": N_("seekers"), "placed": N_("placed"), "rate": N_("rate"),
    # plan targets
    "target": N_("target"), "scope": N_("scope"), "year": N_("year"), "value": N_("value"),
    "numerator": N_("numerator"), "denominator": N_("denominator"), "target_value": N_("target_value"),
    "gap": N_("gap"), "status": N_("status"), "target_basis": N_("target_basis"), "assumption": N_("assumption"),
    "year_goal": N_("year_goal"), "goal_basis": N_("goal_basis"), "source": N_("source"),
    "in_plan_period": N_("in_plan_period"), "explanation": N_("explanation"),
    # rules
    "constraint": N_("constraint"), "label": N_("label"), "hard": N_("hard"), "lb": N_("lb"), "ub": N_("ub"),
    "activity": N_("activity"), "slack": N_("slack"), "violation": N_("violation"),
    # reserved posts
    "sites_opened": N_("sites_opened"), "posts_filled": N_("posts_filled"), "site_id": N_("site_id"),
    "max_posts": N_("max_posts"), "lat": N_("lat"), "lon": N_("lon"), "site_posts": N_("site_posts"),
    "opened": N_("opened"), "filled": N_("filled"), "achieved": N_("achieved"), "shortfall": N_("shortfall"),
    "city_total": N_("city_total"), "scale": N_("scale"), "basis": N_("basis"),
    # cross-county chain
    "intermediary_id": N_("intermediary_id"), "base_id": N_("base_id"), "severe": N_("severe"),
    "exempt": N_("exempt"), "steps": N_("steps"), "shortfall_before": N_("shortfall_before"),
    "fund_due_before": N_("fund_due_before"), "placed_severe": N_("placed_severe"),
    "shortfall_after": N_("shortfall_after"), "fund_due_after": N_("fund_due_after"), "fund_saved": N_("fund_saved"),
    # employer policy
    "staff_counted": N_("staff_counted"), "disabled_counted": N_("disabled_counted"),
    "severe_counted": N_("severe_counted"), "weighted_count": N_("weighted_count"), "required": N_("required"),
    "excess": N_("excess"), "ratio": N_("ratio"), "meets_quota": N_("meets_quota"), "fund_due": N_("fund_due"),
    "reward_eligible": N_("reward_eligible"), "reward": N_("reward"), "vat_paid": N_("vat_paid"),
    "vat_entitlement": N_("vat_entitlement"), "vat_refund": N_("vat_refund"),
    "assumed_parameters": N_("assumed_parameters"),
})
"""Output column → header (the canonical name in English; translated where shown)."""

_BOOLS = {True: N_("True"), False: N_("False")}
_PRIORITY = (("graduate", N_("graduating student")), ("low_income", N_("low-income (dibao)")),
             ("household_difficulty", N_("household in difficulty")))


def masked_text(values: pd.Series) -> pd.Series:
    """Text with every ID-shaped number masked (applied to the distinct values only).

    With a key in ``JHMATCH_ID_KEY``, a cell that is a whole ID number (an office's person or
    household id) becomes a stable keyed pseudonym instead, so the output can be read back.
    """
    from jhmatch.data.privacy import id_key, pseudonymous_ids

    s = values.astype("object")
    key = id_key()
    if key is not None:
        s = pseudonymous_ids(s, key)
    uniq = pd.unique(s[s.notna()])
    safe = {v: scrub(str(v)) for v in uniq}
    return s.map(safe).where(s.notna(), None)


def _missing(code: Any) -> bool:
    return code is None or code is pd.NA or (isinstance(code, float) and code != code)


def county_name(code: Any) -> Any:
    """The county's name in the current language (:func:`jhmatch.report.labels.county_name`); missing as ``None``.

    Examples
    --------
    >>> county_name("330782"), county_name("city"), county_name(None)
    ('Yiwu', 'city', None)
    """
    from jhmatch.report.labels import county_name as name

    return None if _missing(code) else name(code)


def kind_label(code: Any) -> Any:
    """The post kind's name in the current language (:func:`jhmatch.report.labels.kind_name`).

    Examples
    --------
    >>> kind_label("tobacco_outlet")
    'Tobacco retail outlet'
    """
    from jhmatch.report.labels import kind_name

    return None if _missing(code) else kind_name(code)


def target_label(code: Any) -> Any:
    """A plan target's name in the current language (:func:`jhmatch.policy.labels.target_label`).

    Examples
    --------
    >>> from jhmatch.i18n import language
    >>> with language("zh"):
    ...     target_label("new_jobs")
    '新增残疾人就业'
    """
    from jhmatch.policy.labels import target_label as label

    return None if _missing(code) else label(str(code))


def status_label(status: Any) -> Any:
    """A target status in the current language (:func:`jhmatch.policy.labels.status_label`).

    Examples
    --------
    >>> status_label("not met")
    'not met'
    """
    from jhmatch.policy.labels import status_label as label

    return None if _missing(status) else label(str(status))


def priority_text(persons: pd.DataFrame) -> pd.Series:
    """Per person, the priority groups they belong to (graduating student, low-income, household in difficulty).

    Examples
    --------
    >>> priority_text(pd.DataFrame({"graduate": [True, False], "low_income": [True, False]})).tolist()
    ['graduating student; low-income (dibao)', '']
    """
    sep = _("; ")
    acc = np.full(len(persons), "", dtype=object)
    for col, label in _PRIORITY:
        if col in persons:
            flag = persons[col].astype("boolean").fillna(False).to_numpy(dtype=bool)
            text = _(label)
            acc = np.where(flag, np.where(acc == "", text, acc + sep + text), acc)
    return pd.Series(acc, index=persons.index, dtype=object)


def display_table(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` as a planner sees it: headers and yes/no values in the current language, ID numbers masked.

    Examples
    --------
    >>> from jhmatch.i18n import language
    >>> with language("zh"):
    ...     display_table(pd.DataFrame({"name": ["张三"], "opened": [True]})).columns.tolist()
    ['姓名', '是否开设']
    """
    out = frame.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_float_dtype(s.dtype):
            # no "inf" and no binary noise (2.6399999999999997) for planners
            out[col] = s.where(np.isfinite(s.to_numpy(dtype=float, na_value=np.nan))).round(6)
        elif pd.api.types.is_bool_dtype(s.dtype):
            out[col] = s.astype("object").map(lambda v: _(_BOOLS[bool(v)]) if v is not None and v is not pd.NA
                                              else None)
        elif s.dtype == object or isinstance(s.dtype, pd.CategoricalDtype | pd.StringDtype):
            out[col] = _text(s)
    out.columns = [_(COLUMN_LABELS[c]) if c in COLUMN_LABELS else c for c in out.columns]
    return out


_text = masked_text  # the old private name, for branches in flight
