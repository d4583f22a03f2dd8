"""Each trainee's sentence names the post the allocation with training places them on.

Outside facts used: a forklift post requires 叉车证 (TSG Z6001), so a forklift course makes
both forklift posts possible for a hearing-impaired person without it.
"""

from __future__ import annotations

import pandas as pd

from jhmatch.data.schema import validate_persons, validate_posts
from jhmatch.i18n import language
from jhmatch.matching import CompatibilityScorer
from jhmatch.optimize import Status
from jhmatch.optimize.deadline import Deadline
from jhmatch.training import validate_courses
from jhmatch.training.counterfactual import prepare
from jhmatch.training.result import finish

SCORER = CompatibilityScorer(as_of="2025-01-01")


def _setup():
    persons = validate_persons(pd.DataFrame({"person_id": ["p0", "p1"], "category": ["hearing", "physical"],
                                             "grade": [4, 4], "county": ["义乌"] * 2, "age": [35, 35]}))
    posts = validate_posts(pd.DataFrame({
        "post_id": ["q0", "q1", "q2"], "kind": ["企业一般岗位"] * 3, "title": ["叉车司机", "仓库叉车工", "包装工"],
        "county": ["义乌"] * 3, "capacity": [1, 1, 1]}))
    courses = validate_courses(pd.DataFrame({"course_id": ["F"], "name": ["叉车司机"],
                                             "grants_certificates": ["叉车证"], "cost": [1800], "seats": [5]}))
    return prepare(persons, posts, courses, scorer=SCORER)


def _measure(setup, post):
    chosen = pd.DataFrame({"person_id": ["p0"], "course_id": ["F"], "post_id": [post]})
    return finish(setup, chosen, method="milp", budget=1800, status=Status.OPTIMAL, message="", objective=None,
                  bound=None, gap=None, deadline=Deadline(None), t0=0.0)


def test_the_sentence_names_the_placed_post_not_the_planners():
    setup = _setup()
    unlocked = set(setup.effects.table.query("person_id == 'p0'")["post_id"])
    assert {"q0", "q1"} <= unlocked
    placed = _measure(setup, "q0").trainees["placed_post_id"].iloc[0]
    other = "q1" if placed == "q0" else "q0"
    row = _measure(setup, other).trainees.iloc[0]  # the planner names the post the allocation does not choose
    assert row["placed_post_id"] == placed and row["post_id"] == placed
    assert placed in row["explanation"] and other not in row["explanation"]
    assert row["impossible_before"] and row["score_before"] == 0.0 and row["score_after"] > 0
    with language("zh"):
        from jhmatch.training.wording import explain_row

        zh = explain_row(row.to_dict())
    assert placed in zh and "安置到岗位" in zh and "成为可能" in zh


def test_a_trainee_the_allocation_does_not_place_is_said_so():
    from jhmatch.training.wording import explain_row

    row = {"course_id": "F", "course": "叉车司机", "grant": "forklift", "post_id": "q0", "post": "叉车司机",
           "post_county": "330782", "score_before": 0.0, "score_after": 0.8, "impossible_before": True,
           "placed_post_id": float("nan")}
    assert "does not place them" in explain_row(row)
    with language("zh"):
        assert "未安置" in explain_row(row)


def test_a_pair_the_course_does_not_change_is_said_so():
    from jhmatch.training.wording import explain_row

    row = {"course_id": "F", "course": "叉车司机", "grant": "forklift", "post_id": "q2", "post": "包装工",
           "post_county": "330782", "score_before": 0.6, "score_after": 0.6, "impossible_before": False,
           "placed_post_id": "q2"}
    assert "does not change" in explain_row(row) and "q2" in explain_row(row)
