"""The 一人一策 ledger of disabled graduates (jhmatch.training.graduate_ledger).

Outside facts (金政办发〔2022〕50号): §二(八) asks for a “一人一策”就业服务台账 of graduating
disabled university students — one plan per person, so every graduate is in it exactly
once — with 技能培训 and 岗位推介, and 百分百就业 for those who want work. §二(十) (“四个一”):
every unemployed person of working age gets one 基础信息核对 a year; those who want work
also one 职业能力评估, one 就业需求登记 and one 就业服务. §二(六): a dibao household member's
earnings from a first job are not counted for 3 years, then a 1-year phase-out. Quota
(残疾人就业条例; 财税〔2015〕72号): a grade 1–2 holder counts twice.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from jhmatch.datasets import make_jinhua
from jhmatch.errors import SchemaError
from jhmatch.training import graduate_ledger
from jhmatch.training.ledger import POLICIES, STATUSES

AS_OF = "2025-06-30"
ID = re.compile(r"\d{17}[\dXx]")


def _id(prefix17: str) -> str:
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return prefix17 + "10X98765432"[sum(int(a) * b for a, b in zip(prefix17, w)) % 11]


@pytest.fixture(scope="module")
def small():
    """Five graduates and one other person; posts: a cleaning post, a forklift post (licence needed)."""
    persons = pd.DataFrame({
        "person_id": ["g1", "g2", "g3", "g4", "g5", "x1"],
        "name": ["=HYPERLINK(\"http://x\")", "李四", "王五", "赵六", "钱七", "孙八"],
        "id_number": [_id("33078220030101123"), _id("33078320020203223"), None, None, None,
                      _id("33078219800101123")],
        "category": ["speech", "physical", "hearing", "speech", "physical", "physical"],
        "grade": [2, 3, 4, 4, 3, 3], "county": ["义乌", "东阳", None, "义乌", "东阳", "义乌"],
        "age": [22, 23, 22, 24, 22, 45], "graduate": [True, True, True, True, True, False],
        "willing": [True, True, True, False, True, True], "employed": [False, False, False, False, True, False],
        "low_income": [True, False, False, False, False, False],
    })
    posts = pd.DataFrame({"post_id": ["clean", "fork"], "title": ["保洁员", "叉车司机"],
                          "kind": ["企业一般岗位", "企业一般岗位"], "county": ["东阳", "义乌"], "capacity": [1, 1],
                          "required_certificates": ["", "叉车证"], "employer_id": ["e1", "e2"]})
    employers = pd.DataFrame({"employer_id": ["e1", "e2"], "name": ["东阳保洁公司", "义乌物流公司"]})
    courses = pd.DataFrame({"course_id": ["k1"], "name": ["叉车司机培训"], "grants_certificates": ["叉车证"],
                            "county": ["义乌"], "cost": [1800]})
    return persons, posts, employers, courses


def test_every_graduate_exactly_once_and_nobody_else(small):
    persons, posts, employers, courses = small
    led = graduate_ledger(persons, posts, courses=courses, employers=employers, as_of=AS_OF)
    assert sorted(led.table["person_id"]) == ["g1", "g2", "g3", "g4", "g5"]
    assert led.table["person_id"].is_unique
    missing = led.table.set_index("person_id").loc["g3"]
    assert pd.isna(missing["county"]) and missing["note"] == "county unknown"
    assert led.table["person_id"].iloc[-1] == "g3"  # no county: listed last, not dropped
    assert sum(led.counts().values()) == 5


def test_every_graduate_once_in_the_synthetic_city():
    s = make_jinhua(3000, seed=7, courses=True)
    p = s.persons.copy()
    grads = np.flatnonzero(p["graduate"].to_numpy(dtype=bool))
    p.loc[p.index[grads[:3]], "county"] = None  # graduates without a county stay in
    led = graduate_ledger(p, s.posts, courses=s.courses, employers=s.employers, as_of=AS_OF)
    assert len(led) == len(grads) and set(led.table["person_id"]) == set(p["person_id"].iloc[grads])
    assert int(led.table["county"].isna().sum()) == 3
    assert set(led.table["status"]) <= set(STATUSES)
    assert led.to_frame("zh").shape[0] == len(grads)


def test_statuses(small):
    persons, posts, employers, courses = small
    led = graduate_ledger(persons, posts, courses=courses, employers=employers, as_of=AS_OF,
                          allocation=pd.DataFrame({"person_id": ["g2"], "post_id": ["clean"]}))
    status = led.table.set_index("person_id")["status"].to_dict()
    assert status["g2"] == "placed"
    assert status["g4"] == "not seeking"
    assert status["g5"] == "employed"
    # g1 (义乌, speech) has no candidate without the forklift licence: the course opens the post
    assert status["g1"] == "needs training"
    row = led.table.set_index("person_id").loc["g1"]
    assert row["courses"] == "k1" and pd.isna(row["recommended"])
    f = led.to_frame("zh").set_index("人员编号")
    assert f.loc["g2", "状态"] == "已安置" and f.loc["g2", "已安置岗位"] == "保洁员（东阳保洁公司）"
    assert f.loc["g1", "建议培训课程"] == "叉车司机培训（可新增1个岗位）"
    assert f.loc["g1", "状态"] == "需技能培训"


def test_recommended_posts_are_named(small):
    persons, posts, employers, _courses = small
    led = graduate_ledger(persons, posts, employers=employers, as_of=AS_OF)
    f = led.to_frame("zh").set_index("人员编号")
    assert f.loc["g2", "状态"] == "已推荐岗位"
    assert f.loc["g2", "推荐岗位"] == "保洁员（东阳保洁公司，东阳市）"
    assert led.recommendations.loc[led.recommendations["person_id"] == "g2", "title"].tolist() == ["保洁员"]


def test_four_ones_follow_the_plan(small):
    persons, posts, _employers, _courses = small
    services = pd.DataFrame({"人员编号": ["g1", "g4"], "基础信息核对": ["是", "2025-02-01"],
                             "职业能力评估": ["2025-03-05", None], "就业需求登记": ["2024-12-01", None]})
    led = graduate_ledger(persons, posts, services=services, as_of=AS_OF)
    t = led.table.set_index("person_id")
    assert t.loc["g1", ["info_check", "capacity_assessment", "demand_registration", "employment_service"]].tolist() \
        == ["done", "done", "missing", "missing"]  # a registration of last year does not count this year
    assert t.loc["g4", ["info_check", "capacity_assessment"]].tolist() == ["done", "not required"]  # no wish to work
    assert t.loc["g5", "info_check"] == "not in scope"  # employed
    f = led.to_frame("zh").set_index("人员编号")
    assert f.loc["g4", "职业能力评估"] == "无需开展" and f.loc["g5", "基础信息核对"] == "不在服务范围"


def test_policies_come_from_their_rules(small):
    persons, posts, _employers, _courses = small
    led = graduate_ledger(persons, posts, as_of=AS_OF)
    t = led.table.set_index("person_id")
    assert t.loc["g1", "policies"].split(";") == ["graduate_guarantee", "four_ones", "dibao_disregard",
                                                  "quota_weight"]
    assert t.loc["g1", "dibao_disregard_end"] == "2028-06-30" and t.loc["g1", "dibao_phaseout_end"] == "2029-06-30"
    assert t.loc["g1", "quota_weight"] == 2.0 and t.loc["g2", "quota_weight"] == 1.0
    assert "graduate_guarantee" not in t.loc["g4", "policies"]  # 百分百就业 is for those who want work
    assert "four_ones" not in t.loc["g5", "policies"]
    assert np.isnan(t.loc["g3", "quota_weight"])  # no county: the local minimum wage is unknown
    assert set(led.policies_used) == {v[2] for v in POLICIES.values()}
    text = led.to_frame("zh").set_index("人员编号").loc["g1", "可享受政策"]
    assert "2028-06-30" in text and "按两人计入" in text


def test_excel_for_the_office(small, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    persons, posts, employers, courses = small
    led = graduate_ledger(persons, posts, courses=courses, employers=employers, as_of=AS_OF)
    path = led.write_excel(tmp_path / "台账.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["台账.xlsx"]  # no temporary file left
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    title = ws["A1"].value
    assert "一人一策" in title and "2025-06-30" in title and "全市" in title
    headers = [c.value for c in ws[2]]
    for h in ("序号", "姓名", "身份证号", "所在县市区", "状态", "推荐岗位", "建议培训课程", "可享受政策", "基础信息核对"):
        assert h in headers
    cells = [str(c.value) for sheet in wb.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not any(ID.search(v) for v in cells)
    assert "330*************" + _id("33078220030101123")[-2:] in cells
    assert "'=HYPERLINK(\"http://x\")" in cells  # formula guarded
    assert ws.max_row == 2 + 5
    assert [s.title for s in wb.worksheets] == ["一人一策台账", "推荐岗位", "培训课程", "政策依据"]
    policy = [[c.value for c in row] for row in wb["政策依据"].iter_rows()]
    assert policy[0] == ["政策", "政策依据", "适用条件"]
    assert all(re.search("[\u4e00-\u9fff]", str(cell)) for row in policy[1:] for cell in (row[0], row[2]))
    assert any("3年" in str(row[2]) and "渐退" in str(row[2]) for row in policy)  # PLAN §二(六), in words


def test_excel_of_one_county(small, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    persons, posts, _employers, _courses = small
    led = graduate_ledger(persons, posts, as_of=AS_OF)
    ws = openpyxl.load_workbook(led.write_excel(tmp_path / "yw.xlsx", county="义乌")).worksheets[0]
    assert "义乌市" in ws["A1"].value
    assert [ws.cell(r, 2).value for r in range(3, ws.max_row + 1)] == ["g1", "g4"]


def test_no_graduates(tmp_path):
    pytest.importorskip("openpyxl")
    p = pd.DataFrame({"person_id": ["a"], "category": [4], "grade": [3], "county": ["义乌"], "age": [30]})
    q = pd.DataFrame({"post_id": ["q"], "kind": ["保洁"], "county": ["义乌"], "capacity": [1]})
    led = graduate_ledger(p, q, as_of=AS_OF)
    assert len(led) == 0 and led.to_frame("zh").shape[0] == 0
    assert led.write_excel(tmp_path / "e.xlsx").exists()


def test_bad_inputs_name_row_column_value(small):
    persons, posts, _employers, _courses = small
    with pytest.raises(SchemaError) as e:
        graduate_ledger(persons, posts, services=pd.DataFrame({"人员编号": ["g1", "nobody"], "基础信息核对": ["是", "是"]}))
    assert e.value.problems[0].row == 2 and e.value.problems[0].value == "nobody"
    with pytest.raises(SchemaError) as e:
        graduate_ledger(persons, posts, allocation=pd.DataFrame({"person_id": ["g1"], "post_id": ["ghost"]}))
    assert e.value.problems[0].column == "post_id" and e.value.problems[0].value == "ghost"


def test_courses_unlock_the_same_posts_as_against_every_post():
    from jhmatch.matching import CompatibilityScorer
    from jhmatch.training import course_unlocks
    from jhmatch.training.ledger import _licensed_posts

    s = make_jinhua(3000, seed=12, courses=True)
    g = s.persons[s.persons["graduate"]]
    scorer = CompatibilityScorer(top_k=50, as_of=AS_OF)
    every = course_unlocks(g, s.posts, s.courses, scorer).table
    licensed = course_unlocks(g, _licensed_posts(s.posts), s.courses, scorer).table
    key = ["person_id", "course_id", "post_id"]
    assert len(every) and every[key].equals(licensed[key])
