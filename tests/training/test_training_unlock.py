"""What a course unlocks, checked against the scorer itself (the counterfactual of issue 16).

Outside facts used: an electrician's post requires the special-operation certificate
(电工证, 安监总局令第30号); a forklift post requires the N1 operator's certificate
(叉车证); a lorry driver's post requires a driving licence and its driving hazard
excludes a blind person whatever licence is written down.
"""

from __future__ import annotations

import pandas as pd
import pytest

from jhmatch.data.schema import validate_persons, validate_posts
from jhmatch.matching import CompatibilityScorer
from jhmatch.training import course_unlocks, load_sample_courses, validate_courses

AS_OF = "2025-01-01"


@pytest.fixture(scope="module")
def persons():
    rows = [("p0", "physical", 4, "lower", ""), ("p1", "hearing", 4, "", ""), ("p2", "speech", 4, "", "叉车证"),
            ("p3", "visual", 1, "", ""), ("p4", "intellectual", 4, "", ""), ("p5", "hearing", 3, "", "")]
    return validate_persons(pd.DataFrame({
        "person_id": [r[0] for r in rows], "category": [r[1] for r in rows], "grade": [r[2] for r in rows],
        "limbs": [r[3] for r in rows], "certificates": [r[4] for r in rows], "county": ["义乌"] * len(rows),
        "age": [35] * len(rows)}))


@pytest.fixture(scope="module")
def posts():
    return validate_posts(pd.DataFrame({
        "post_id": ["electric", "forklift", "lorry", "packing", "forklift2"],
        "kind": ["企业一般岗位"] * 5, "title": ["电工", "叉车司机", "货车司机", "包装工", "仓库叉车工"],
        "county": ["义乌"] * 5, "capacity": [2] * 5}))


def _scores(persons, posts):
    sm = CompatibilityScorer(top_k=None, as_of=AS_OF).score(persons, posts)
    return sm.to_frame().set_index(["person_id", "post_id"])["score"]


def _course(cert, categories=""):
    return validate_courses(pd.DataFrame({"course_id": ["k"], "name": ["course"], "grants_certificates": [cert],
                                          "accessible_categories": [categories]}))


def test_the_licence_makes_one_person_a_candidate_and_nobody_else_changes(persons, posts):
    before = _scores(persons, posts)
    trained = persons.copy()
    trained.loc[trained["person_id"] == "p1", "certificates"] = "electrician"
    after = _scores(trained, posts)
    assert ("p1", "electric") not in before.index and ("p1", "electric") in after.index
    joined = pd.concat([before.rename("before"), after.rename("after")], axis=1)
    changed = joined[~((joined["before"] == joined["after"]) | (joined["before"].isna() & joined["after"].isna()))]
    assert changed.index.tolist() == [("p1", "electric")]
    # course_unlocks finds exactly that pair for p1, with the score the scorer gives it
    out = course_unlocks(persons, posts, _course("电工证"), CompatibilityScorer(as_of=AS_OF)).table
    mine = out[out["person_id"] == "p1"]
    assert mine["post_id"].tolist() == ["electric"]
    assert mine["score_after"].iloc[0] == pytest.approx(after[("p1", "electric")])
    assert set(out["post_id"]) == {"electric"}


def test_a_forklift_course_unlocks_forklift_posts_only(persons, posts):
    out = course_unlocks(persons, posts, _course("叉车证"), CompatibilityScorer(as_of=AS_OF)).table
    assert set(out["post_id"]) == {"forklift", "forklift2"}
    assert (out["certificates"] == "forklift").all()
    # p2 already holds the certificate: nothing to unlock for them
    assert "p2" not in set(out["person_id"])
    assert {"p0", "p1"} <= set(out["person_id"])


def test_a_driving_course_does_not_unlock_driving_for_a_blind_person(persons, posts):
    out = course_unlocks(persons, posts, _course("C1"), CompatibilityScorer(as_of=AS_OF)).table
    assert "p3" not in set(out["person_id"])  # the driving hazard still excludes them
    assert "lorry" in set(out.loc[out["person_id"] == "p1", "post_id"])


def test_a_higher_class_covers_the_post_class(persons, posts):
    out = course_unlocks(persons, posts, _course("B2"), CompatibilityScorer(as_of=AS_OF)).table
    assert "lorry" in set(out["post_id"])


def test_a_course_closed_to_the_category_unlocks_nothing_for_it(persons, posts):
    out = course_unlocks(persons, posts, _course("电工证", "visual"), CompatibilityScorer(as_of=AS_OF))
    # only the blind person may take it, and the electrical-work hazard still excludes them
    assert out.pairs_considered == 1 and len(out) == 0


def test_unlocks_agree_with_scoring_each_trained_person(persons, posts):
    """Every unlocked pair is new in the scorer's output once that person holds the course's certificates."""
    courses = load_sample_courses()
    out = course_unlocks(persons, posts, courses, CompatibilityScorer(as_of=AS_OF))
    before = _scores(persons, posts)
    grants = courses.set_index("course_id")["grants_certificates"]
    for (pid, cid), rows in out.table.groupby(["person_id", "course_id"]):
        trained = persons.copy()
        own = trained.loc[trained["person_id"] == pid, "certificates"].iloc[0]
        codes = sorted({c for c in f"{own};{grants[cid]}".split(";") if c})
        trained.loc[trained["person_id"] == pid, "certificates"] = ";".join(codes)
        after = _scores(trained, posts)
        new = {q for (p, q) in after.index.difference(before.index) if p == pid}
        assert set(rows["post_id"]) == new, (pid, cid)


def test_summary_by_course(persons, posts):
    out = course_unlocks(persons, posts, load_sample_courses(), CompatibilityScorer(as_of=AS_OF))
    summary = out.by_course().set_index("course_id")
    assert summary.loc["T02", "posts"] == 2  # the sample forklift course: both forklift posts
    assert list(out.table.columns[:4]) == ["person_id", "course_id", "post_id", "score_after"]
