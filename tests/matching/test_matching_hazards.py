"""Hazard rules: each one rules out whom its source says, and a person it must NOT rule out.

The "must not" cases come from the same sources read the other way: the driving
licence has no speech condition (a mute person may drive a truck), GBZ 188-2014 lists
no hearing condition for work at height or electrical work, the telephone needs no
sight (blind telephone operators), and so on.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jhmatch.data.schema import validate_persons, validate_posts
from jhmatch.i18n import gettext as _
from jhmatch.i18n import language
from jhmatch.matching import CompatibilityScorer
from jhmatch.matching.hazard_rules import HAZARD_RULES, HAZARDS, hazard_failures
from jhmatch.matching.post_facts import CERTIFICATES, post_facts
from jhmatch.matching.profiles import capacity_profile
from jhmatch.requirements import Certificate, Hazard, parse_certificates, parse_hazards

# hazard -> (ruled out: category, grade, limbs), (must NOT be ruled out: category, grade, limbs)
CASES = {
    "drives_vehicle": (("visual", 4, "unknown"), ("speech", 1, "unknown")),
    "works_at_height": (("physical", 4, "lower"), ("hearing", 1, "unknown")),
    "electrical_work": (("visual", 4, "unknown"), ("hearing", 1, "unknown")),
    "hot_work": (("visual", 2, "unknown"), ("speech", 1, "unknown")),
    "moving_machinery": (("intellectual", 2, "unknown"), ("hearing", 1, "unknown")),
    "heavy_lifting": (("physical", 2, "lower"), ("hearing", 1, "unknown")),
    "prolonged_standing": (("physical", 1, "lower"), ("physical", 3, "upper")),
    "telephone": (("hearing", 2, "unknown"), ("visual", 1, "unknown")),
    "reading": (("visual", 1, "unknown"), ("hearing", 1, "unknown")),
    "hazardous_substances": (("visual", 1, "unknown"), ("physical", 2, "lower")),
    "night_shift": (("mental", 2, "unknown"), ("physical", 1, "lower")),
    "machine_paced": (("physical", 2, "upper"), ("hearing", 1, "unknown")),
    "sight": (("visual", 4, "unknown"), ("hearing", 1, "unknown")),
    "manual_work": (("physical", 2, "upper"), ("physical", 3, "upper")),
    "safety_responsibility": (("intellectual", 3, "unknown"), ("physical", 3, "upper")),
}


def test_every_hazard_has_a_case_a_source_and_reasons():
    assert set(CASES) == set(HAZARDS) == {h.value for h in Hazard}
    for code, rule in HAZARD_RULES.items():
        with language("zh"):
            assert rule.source and rule.why and _(rule.why) != rule.why, code  # the reasoning has Chinese text


@pytest.mark.parametrize("hazard", sorted(CASES))
def test_rule_excludes_whom_its_source_says_and_not_the_other(hazard):
    k = HAZARDS.index(hazard)
    (bad_cat, bad_grade, bad_limbs), (ok_cat, ok_grade, ok_limbs) = CASES[hazard]
    caps = np.array([capacity_profile(bad_cat, bad_grade, bad_limbs)[0], capacity_profile(ok_cat, ok_grade, ok_limbs)[0]])
    plain, _ = hazard_failures(caps, np.zeros(2, bool))
    assert plain[:, k].tolist() == [True, False]


def _pair(person: dict, post: dict) -> tuple[CompatibilityScorer, bool]:
    p = pd.DataFrame([{"person_id": "p", "county": "义乌", **person}])
    q = pd.DataFrame([{"post_id": "q", "county": "义乌", "capacity": 1, "kind": "企业一般岗位", **post}])
    scorer = CompatibilityScorer(top_k=None)
    return scorer, scorer.score(p, q).nnz == 1


@pytest.mark.parametrize(("person", "post"), [
    ({"category": "speech", "grade": 1, "certificates": "B2"}, {"title": "货车司机（B2）"}),           # mute truck driver
    ({"category": "speech", "grade": 1}, {"title": "手工编织", "kind": "handicraft"}),                   # mute knitter
    ({"category": "multiple", "components": "visual;hearing", "grade": 1},
     {"title": "辅助性就业手工", "kind": "sheltered_work", "accommodations": "job_coach"}),           # deaf-blind tactile work
    ({"category": "physical", "grade": 3, "limbs": "upper"}, {"title": "保安"}),                       # one-armed guard
    ({"category": "physical", "grade": 1, "limbs": "lower", "wheelchair": True},
     {"title": "电商客服（在线文字）", "kind": "cloud_customer_service"}),                            # wheelchair, text chat
    ({"category": "hearing", "grade": 1, "sign_language": True}, {"title": "流水线质检"}),              # deaf signer, line QC
    ({"category": "visual", "grade": 1}, {"title": "盲人医疗按摩", "kind": "blind_massage",
                                           "required_certificates": "无"}),                            # blind massage
])
def test_must_not_exclude(person, post):
    scorer, kept = _pair(person, post)
    assert kept, scorer.explain("p", "q").text("en")


@pytest.mark.parametrize(("person", "post", "words"), [
    ({"category": "visual", "grade": 1}, {"title": "电工（持证）"}, ("electrical_work", "电工作业")),
    ({"category": "hearing", "grade": 1}, {"title": "电话回访专员", "kind": "云客服"}, ("telephone", "电话沟通")),
    ({"category": "visual", "grade": 1}, {"title": "高空外墙清洗（蜘蛛人）"}, ("works_at_height", "高处作业")),
    ({"category": "physical", "grade": 1, "limbs": "lower"}, {"title": "装卸搬运工"}, ("heavy_lifting", "重体力")),
    ({"category": "speech", "grade": 1}, {"title": "叉车工"}, ("forklift", "叉车")),
])
def test_unsafe_pairs_are_excluded_with_the_hazard_named(person, post, words):
    scorer, kept = _pair(person, post)
    assert not kept
    e = scorer.explain("p", "q")
    en, zh = " ".join(r.en for r in e.rules), " ".join(r.zh for r in e.rules)
    assert words[0] in en and words[1] in zh


def test_accommodation_relief_is_explained():
    scorer, kept = _pair({"category": "visual", "grade": 1}, {"title": "数据录入员", "accommodations": "读屏软件"})
    assert kept
    assert "relieved by the post's screen reader" in scorer.explain("p", "q").text("en")
    scorer, kept = _pair({"category": "visual", "grade": 1}, {"title": "数据录入员"})
    assert not kept


def test_missing_certificate_only_is_trainable():
    scorer, kept = _pair({"category": "hearing", "grade": 4}, {"title": "焊工"})
    e = scorer.explain("p", "q")
    assert not kept and e.trainable and "welder" in e.rules[0].en
    scorer, _ = _pair({"category": "visual", "grade": 1}, {"title": "焊工"})
    assert not scorer.explain("p", "q").trainable  # the hazard, not only the certificate, rules this out


def test_planner_none_switches_inference_off_and_lists_add():
    q = validate_posts(pd.DataFrame({"post_id": ["a", "b", "c"], "kind": ["企业一般岗位"] * 3, "county": ["义乌"] * 3,
                                     "capacity": [1] * 3, "title": ["电工", "电工", "包装工"],
                                     "hazards": ["无", "夜班", ""], "required_certificates": ["无", "", "叉车证"]}))
    f = post_facts(q)
    assert not f.hazards[0].any() and not f.certificates[0].any()
    assert f.hazards[1, HAZARDS.index("night_shift")] and f.hazards[1, HAZARDS.index("electrical_work")]
    assert f.certificates[1, CERTIFICATES.index("electrician")]
    assert f.certificates[2, CERTIFICATES.index("forklift")]


def test_text_overrules_occupation_words():
    q = validate_posts(pd.DataFrame({"post_id": ["a", "b"], "kind": ["企业一般岗位"] * 2, "county": ["义乌"] * 2,
                                     "capacity": [1] * 2, "title": ["电商客服（在线文字）", "小车司机（C1）"]}))
    f = post_facts(q)
    assert not f.hazards[0, HAZARDS.index("telephone")]
    assert [CERTIFICATES[k] for k in np.flatnonzero(f.certificates[1])] == ["driving_c1"]


@pytest.mark.parametrize(("person", "changed"), [
    ({"category": "hearing", "grade": 3, "hearing_aid": True}, "hearing_aid"),
    ({"category": "physical", "grade": 3, "limbs": "lower", "wheelchair": True}, "wheelchair"),
])
def test_recorded_details_change_the_verdict(person, changed):
    post = {"title": "电话客服" if changed == "hearing_aid" else "导购员"}
    _, kept_with = _pair(person, post)
    _, kept_without = _pair({k: v for k, v in person.items() if k != changed}, post)
    assert kept_with != kept_without


def test_vocabularies_parse_chinese_and_cover_driving_classes():
    assert parse_hazards("高处作业、电话沟通") == "telephone;works_at_height"
    assert parse_certificates("A2驾照；电工证") == "driving_a2;electrician"
    assert Certificate.parse("B2").covers(Certificate.parse("C1")) and not Certificate.parse("C1").covers(
        Certificate.parse("B2"))
    p = validate_persons(pd.DataFrame({"person_id": ["a"], "category": ["视力"], "grade": [1], "county": ["义乌"],
                                       "证书": ["盲人医疗按摩人员资格证"], "识字": ["否"]}))
    assert p["certificates"].iloc[0] == "blind_medical_massage" and not p["literate"].iloc[0]


@pytest.mark.parametrize(("person", "post", "kept"), [
    # supervised-work rule: a severe mental disability fits sheltered work or a job coach, not open work alone
    ({"category": "mental", "grade": 2}, {"title": "辅助性就业手工", "kind": "sheltered_work"}, True),
    ({"category": "mental", "grade": 2}, {"title": "包装工", "accommodations": "job_coach"}, True),
    ({"category": "mental", "grade": 2}, {"title": "包装工"}, False),
    ({"category": "mental", "grade": 4}, {"title": "包装工"}, True),
    # backstop: a wheelchair user at a desk is not ruled out by the occupation's O*NET mobility demand
    ({"category": "physical", "grade": 1, "limbs": "lower", "wheelchair": True}, {"title": "数据录入员"}, True),
])
def test_supervision_and_backstop_rules_both_ways(person, post, kept):
    scorer, got = _pair(person, post)
    assert got == kept, scorer.explain("p", "q").text("en")
