"""Sentences that explain a training recommendation, in the current language (:mod:`jhmatch.i18n`).

"placed on post q17 (电工 in Yiwu) after course T01 低压电工作业 (electrician), which makes
this post possible for them; score 0.00 → 0.71" — the post the allocation with training
places the trainee on, the course and what it grants, and what it did for that pair
(made it possible, raised its score, or nothing), with the pair's score before and after.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from jhmatch.i18n import get_language
from jhmatch.i18n import gettext as _
from jhmatch.requirements import Certificate
from jhmatch.taxonomy import region
from jhmatch.training.effects import skill_words

__all__ = ["county_name", "explain_row", "grant_label"]


def county_name(code: Any) -> str:
    """A county's name in the current language (the code itself when unknown).

    Examples
    --------
    >>> county_name("330782")
    'Yiwu'
    """
    try:
        r = region(code)
    except (LookupError, ValueError):
        return "" if code is None or (isinstance(code, float) and np.isnan(code)) else str(code)
    return r.zh if get_language() == "zh" else r.en


def grant_label(certificates: str, skills: str = "") -> str:
    """What a course grants, for a sentence: certificate names (Chinese names under zh), else its skills.

    Examples
    --------
    >>> grant_label("electrician;forklift"), grant_label("", "叉车驾驶 装卸")
    ('electrician, forklift', '叉车驾驶, 装卸')
    """
    codes = [c for c in str(certificates or "").split(";") if c]
    if codes:
        zh = get_language() == "zh"
        return "、".join(Certificate(c).zh for c in codes) if zh else ", ".join(codes)
    words = skill_words(skills)
    return ("、" if get_language() == "zh" else ", ").join(words)


def _missing(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, float) and np.isnan(value))


def explain_row(row: pd.Series | dict) -> str:
    """The sentence for one trainee row (keys ``course_id``, ``course``, ``grant``, ``post_id``, ``post``,
    ``post_county``, ``score_before``, ``score_after``, ``impossible_before``, ``placed_post_id``).

    It names the post the allocation with training places the trainee on and what the
    course did for that pair (made it possible, raised its score, or nothing); a trainee
    the allocation does not place is said to be not placed.

    Examples
    --------
    >>> print(explain_row({"course_id": "T01", "course": "低压电工作业", "grant": "electrician", "post_id": "q1",
    ...                    "post": "电工", "post_county": "330782", "score_before": 0.0, "score_after": 0.71,
    ...                    "impossible_before": True, "placed_post_id": "q1"}))
    placed on post q1 (电工 in Yiwu) after course T01 低压电工作业 (electrician), which makes this post possible for them; score 0.00 → 0.71
    """
    get = row.get
    course = f"{get('course_id')} {get('course')}".strip()
    post_id = get("post_id")
    if _missing(post_id):
        return _("course {course} ({grant}): no post in the plan depends on it").format(
            course=course, grant=get("grant"))
    before, after = float(get("score_before") or 0.0), float(get("score_after") or 0.0)
    fields = dict(course=course, grant=get("grant"), post=post_id, title=get("post") or "",
                  county=county_name(get("post_county")), before=f"{before:.2f}", after=f"{after:.2f}")
    placed = get("placed_post_id")
    if _missing(placed) or placed != post_id:
        if bool(get("impossible_before")):
            return _("after course {course} ({grant}), post {post} ({title} in {county}) becomes possible (score "
                     "{before} → {after}), but the allocation with training does not place them").format(**fields)
        return _("after course {course} ({grant}), the match with post {post} ({title} in {county}) rises (score "
                 "{before} → {after}), but the allocation with training does not place them").format(**fields)
    if bool(get("impossible_before")):
        return _("placed on post {post} ({title} in {county}) after course {course} ({grant}), which makes this post "
                 "possible for them; score {before} → {after}").format(**fields)
    if fields["after"] != fields["before"]:
        return _("placed on post {post} ({title} in {county}) after course {course} ({grant}), which raises this "
                 "pair's score from {before} to {after}").format(**fields)
    return _("placed on post {post} ({title} in {county}) after course {course} ({grant}), which does not change "
             "this pair (score {after}): they could take this post without the course").format(**fields)
