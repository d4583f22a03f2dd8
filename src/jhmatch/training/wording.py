"""Sentences that explain a training recommendation, in the current language (:mod:`jhmatch.i18n`).

"after course T01 低压电工作业 (电工证), post q17 (电工 in 义乌市) becomes possible; score
0.00 → 0.71" — the course, what it grants, the post it unlocks (or whose match it
raises) and the pair's score before and after.
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


def explain_row(row: pd.Series | dict) -> str:
    """The sentence for one trainee row (keys ``course_id``, ``course``, ``grant``, ``post_id``, ``post``,
    ``post_county``, ``score_before``, ``score_after``, ``impossible_before``).

    Examples
    --------
    >>> print(explain_row({"course_id": "T01", "course": "低压电工作业", "grant": "electrician", "post_id": "q1",
    ...                    "post": "电工", "post_county": "330782", "score_before": 0.0, "score_after": 0.71,
    ...                    "impossible_before": True}))
    after course T01 低压电工作业 (electrician), post q1 (电工 in Yiwu) becomes possible; score 0.00 → 0.71
    """
    get = row.get
    course = f"{get('course_id')} {get('course')}".strip()
    post_id = get("post_id")
    if post_id is None or (isinstance(post_id, float) and np.isnan(post_id)) or post_id == "":
        return _("course {course} ({grant}): no post in the plan depends on it").format(
            course=course, grant=get("grant"))
    fields = dict(course=course, grant=get("grant"), post=post_id, title=get("post") or "",
                  county=county_name(get("post_county")), before=f"{float(get('score_before')):.2f}",
                  after=f"{float(get('score_after')):.2f}")
    if bool(get("impossible_before")):
        return _("after course {course} ({grant}), post {post} ({title} in {county}) becomes possible; "
                 "score {before} → {after}").format(**fields)
    return _("after course {course} ({grant}), the match with post {post} ({title} in {county}) rises; "
             "score {before} → {after}").format(**fields)
