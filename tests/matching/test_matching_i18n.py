"""Explanations in the planner's language (issue 13): under ``language("zh")`` no English sentence, no code."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from jhmatch.data.schema import validate_persons, validate_posts
from jhmatch.datasets.uniform import synthetic_persons, synthetic_posts
from jhmatch.i18n import language
from jhmatch.matching import CallableComponent, CompatibilityScorer
from jhmatch.matching.messages import Joined, Label, Text, as_text

AS_OF = "2025-06-30"
ENGLISH_RUN = re.compile(r"[A-Za-z]{2,}(?:[ ,;:]+[A-Za-z]{2,})+")  # two English words in a row
CODE = re.compile(r"\b[a-z]+_[a-z_0-9]+\b")  # snake_case codes (kinds, hazards, accommodations)
QUOTED = re.compile(r"“[^”]*”")  # the planner's own words (titles, required skills) are quoted as given


def english_left(text: str) -> list[str]:
    text = QUOTED.sub("", text)
    return ENGLISH_RUN.findall(text) + CODE.findall(text)


@pytest.fixture(scope="module")
def scored():
    persons = pd.DataFrame({
        "person_id": ["blind", "wheel", "young", "deaf", "old", "limbs", "intel", "nosign", "unread", "far", "multi"],
        "category": ["visual", "physical", "hearing", "hearing", "speech", "physical", "intellectual", "hearing",
                     "physical", "physical", "multiple"],
        "grade": [1, 1, 4, 2, 4, 2, 2, 1, 4, 4, 2], "limbs": ["", "lower", "", "", "", "", "", "", "upper", "lower", ""],
        "county": ["义乌"] * 9 + ["婺城", "义乌"], "age": [40, 35, 15, 30, 62, 44, 25, 33, 50, 41, 38],
        "sex": ["M", "F", "M", "F", "M", "M", "F", "M", "F", "M", "F"],
        "education": ["高中", "本科", "初中", None, "小学", "大专", "小学", "高中", "未上学", "高中", "初中"],
        "wheelchair": [None, True, None, None, None, None, None, None, None, None, None],
        "hearing_aid": [None, None, None, True, None, None, None, None, None, None, None],
        "sign_language": [None, None, None, None, None, None, None, False, None, None, None],
        "certificates": ["", "", "", "", "C1驾照", "", "", "", "", "", ""],
        "preferred_kinds": ["blind_massage", "", "", "cloud_customer_service;ecommerce", "", "", "", "", "", "", ""],
        "skills": ["按摩", "电脑 客服", "保洁", "打字", "驾驶", "电工", "包装", "刺绣", "", "客服", "保洁"],
        "lat": [None] * 9 + [29.08, None], "lon": [None] * 9 + [119.65, None]})
    posts = pd.DataFrame({
        "post_id": ["massage", "truck", "phone", "elec", "night", "green_ok", "read", "full", "remote", "line"],
        "kind": ["blind_massage", "企业一般岗位", "企业一般岗位", "企业一般岗位", "企业一般岗位", "welfare_greening",
                 "企业一般岗位", "企业一般岗位", "cloud_customer_service", "企业一般岗位"],
        "title": ["盲人按摩师", "货车司机（B2）", "电话回访专员", "电工", "夜班保安", "绿化养护", "资料审核录入员",
                  "包装工", "在线客服", "流水线操作工"],
        "county": ["义乌"] * 10, "capacity": [1, 2, 1, 1, 1, 1, 1, 0, 3, 2],
        "accommodations": ["", "", "", "", "", "step_free;adapted_workstation", "screen_reader", "", "remote",
                           "job_coach"],
        "min_education": [None, None, None, None, None, None, "高中", None, None, None],
        "min_age": [None, 18, None, None, None, None, None, None, None, None],
        "max_age": [None, 55, None, None, None, None, None, None, None, None],
        "remote": [False] * 8 + [True, False], "required_skills": ["按摩", "驾驶", "电话", "电工", "", "", "录入", "",
                                                                    "客服 打字", ""],
        "lat": [29.31] * 10, "lon": [120.08] * 10})
    scorer = CompatibilityScorer(top_k=3, as_of=AS_OF)
    sm = scorer.score(validate_persons(persons), validate_posts(posts))
    return scorer, sm


def all_explanations(scorer):
    return [scorer.explain(p, q) for p in scorer.person_index_ for q in scorer.post_index_]


def test_every_explanation_reads_in_chinese(scored):
    scorer, _ = scored
    explanations = all_explanations(scorer)
    assert {e.status for e in explanations} == {"candidate", "excluded", "not_in_top_k"}
    assert {r.component for e in explanations for r in e.rules} >= {"functional", "certificates", "age",
                                                                     "education", "location", "capacity"}
    bad = []
    for e in explanations:
        with language("zh"):
            text = e.text()
        assert text == e.text("zh") and text != e.text("en")
        bad += [(e.person, e.post, word) for word in english_left(text)]
    assert not bad, bad[:20]


def test_english_keeps_codes_and_reasons(scored):
    scorer, _ = scored
    e = scorer.explain("wheel", "green_ok")
    assert "relieved by the post's adapted workstation" in e.text("en")
    assert "已由岗位提供的无障碍工位消除" in e.text("zh")
    truck = scorer.explain("blind", "truck")
    assert "drives_vehicle" in truck.text("en") and "drives_vehicle" not in truck.text("zh")
    assert "驾驶车辆" in truck.text("zh") and "依据" in truck.text("zh")


def test_str_and_reasons_follow_the_current_language(scored):
    scorer, _ = scored
    e = scorer.explain("young", "massage")
    assert e.status == "excluded"
    with language("zh"):
        assert str(e).startswith("人员") and "低于最低就业年龄16岁" in e.rules[0].text
    assert str(e).startswith("person") and "below the minimum working age 16" in e.rules[0].text
    assert e.rules[0].zh == e.rules[0].reason.render("zh") and e.rules[0].en == e.rules[0].reason.render("en")
    assert scorer.explain("young", "full").rules[-1].zh == "岗位无空余名额（名额为0）"


def test_custom_components_old_and_new_contract():
    persons = validate_persons(synthetic_persons(5, seed=1))
    posts = validate_posts(synthetic_posts(4, seed=1001))
    scorer = CompatibilityScorer(top_k=None, as_of=AS_OF, weights={"functional": 1, "wage": 1},
                                 components={"wage": CallableComponent("wage", lambda p, q: 0.5 + 0 * (
                                     p["grade"].to_numpy()[:, None] + q["capacity"].to_numpy()[None, :]), zh="工资")})
    sm = scorer.score(persons, posts)
    e = scorer.explain(sm.person_ids[0], sm.post_ids[sm.scores.indices[0]])
    assert "工资 = 0.50" in e.text("zh") and "wage = 0.50" in e.text("en")
    assert as_text(("fine", "合适")).render("zh") == "合适" and isinstance(as_text(Text("x")), Text)
    assert Joined([Label("a", "甲"), Label("b", "乙")]).render("zh") == "甲、乙"


def test_recommendations_carry_reasons_in_the_current_language(scored):
    scorer, sm = scored
    posts = scorer.posts_
    with language("zh"):
        table = scorer.recommend_posts(scorer.persons_, posts, k=2, reasons=True)
        by_post = scorer.recommend_persons(scorer.persons_, posts, k=2, reasons=True)
    assert len(table) and table["reason"].str.contains("功能匹配|技能匹配|地点与通勤|求职意向").all()
    assert not any(english_left(r) for r in table["reason"]) and by_post["reason"].str.len().gt(0).all()
    # the two largest weight x value, checked pair by pair
    full = sm.to_frame(components=True).set_index(["person_id", "post_id"])
    labels = {"functional": "功能匹配", "skills": "技能匹配", "location": "地点与通勤", "education": "学历",
              "preference": "求职意向", "age": "年龄"}
    for row in table.itertuples():
        values = full.loc[(row.person_id, row.post_id)]
        share = sorted(((scorer.weights_[c] * values[c], -i, c) for i, c in enumerate(labels)), reverse=True)
        first = share[0][2]
        assert row.reason.startswith(f"{labels[first]} {values[first]:.2f}"), (row.reason, share[:2])
    plain = scorer.recommend_posts(scorer.persons_, posts, k=2)
    assert "reason" not in plain and plain["post_id"].tolist() == table["post_id"].tolist()
