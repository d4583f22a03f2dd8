"""The courses table: aliases, validation errors, and the packaged sample catalogue."""

from __future__ import annotations

import pandas as pd
import pytest

from jhmatch.errors import SchemaError
from jhmatch.training import COURSES, load_sample_courses, validate_courses


def test_sample_catalogue_is_valid_and_names_its_sources():
    c = load_sample_courses()
    assert 10 <= len(c) <= 20
    assert c["course_id"].is_unique
    assert (c["source"].str.len() > 0).all()
    assert COURSES.is_canonical(c)


def test_sample_licences_follow_their_rules():
    c = load_sample_courses().set_index("course_id")
    electric = c[c["grants_certificates"] == "electrician"]
    assert len(electric) == 1
    # the electrician's certificate is a special-operation certificate (安监总局令第30号), occupation 电工 6-31-01-03
    assert "特种作业" in electric["source"].iloc[0]
    assert "6-31-01-03" in electric["occupations"].iloc[0]
    # 盲人医疗按摩 qualification is for blind persons only (盲人医疗按摩管理办法)
    massage = c[c["grants_certificates"] == "blind_medical_massage"]
    assert massage["accessible_categories"].tolist() == ["visual"]
    assert set(c["format"]) == {"order_based", "apprenticeship", "incubation", "classroom"}


def test_chinese_and_english_headers_and_values():
    zh = validate_courses(pd.DataFrame({"课程编号": ["c1"], "课程名称": ["叉车司机"], "可获证书": ["叉车证"],
                                        "培训费用": ["1800"], "名额": [15], "培训天数": [10], "培训形式": ["师带徒"],
                                        "县市区": ["义乌"], "适合残疾类别": ["听力、言语"]}))
    en = validate_courses(pd.DataFrame({"course_id": ["c1"], "name": ["叉车司机"], "certificates": ["forklift"],
                                        "cost_per_seat": [1800.0], "seats": [15], "days": [10],
                                        "format": ["apprenticeship"], "county": ["330782"],
                                        "accessible_categories": ["hearing;speech"]}))
    cols = ["grants_certificates", "cost", "seats", "duration_days", "format", "county", "accessible_categories"]
    assert zh[cols].to_dict("records") == en[cols].to_dict("records")
    assert zh.loc[0, "county"] == "330782" and zh.loc[0, "grants_certificates"] == "forklift"


def test_a_higher_driving_class_is_parsed_like_posts():
    df = validate_courses(pd.DataFrame({"course_id": ["c"], "name": ["货车驾驶"], "grants_certificates": ["B2驾照"]}))
    assert df.loc[0, "grants_certificates"] == "driving_b2"


def test_every_problem_is_reported_with_row_and_column():
    raw = pd.DataFrame({"course_id": ["a", "b", "c"], "name": ["x", "y", "z"],
                        "grants_certificates": ["飞行执照", "电工证", ""], "grants_skills": ["", "", ""],
                        "format": ["订单式", "网课", "集中培训"], "cost": [100, -5, 0]})
    with pytest.raises(SchemaError) as err:
        validate_courses(raw)
    found = {(p.row, p.column) for p in err.value.problems}
    assert (1, "grants_certificates") in found      # unknown certificate
    assert (2, "format") in found                   # unknown format
    assert (2, "cost") in found                     # negative cost
    assert (3, "grants_certificates") in found      # grants nothing at all


def test_course_id_is_required_and_unique():
    with pytest.raises(SchemaError):
        validate_courses(pd.DataFrame({"course_id": ["a", "a"], "name": ["x", "y"], "grants_skills": ["s", "t"]}))
