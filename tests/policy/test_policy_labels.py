"""Planner-facing names of targets, measures and statuses, in the plan's own words (金政办发〔2022〕50号)."""

from __future__ import annotations

import pandas as pd
import pytest

from jhmatch.i18n import language
from jhmatch.policy import PlanTargets, basis_label, column_label, phase_label, progress, status_label, target_label
from jhmatch.policy.labels import MEASURE_LABELS, TARGET_LABELS

# The plan's wording for each target (quoted from the plan text; whitespace removed).
PLAN_WORDS = {
    "new_jobs": "新增残疾人就业",                          # §一 全市新增残疾人就业5000人以上
    "welfare_posts": "新增残疾人公益性岗位",                 # §一 新增残疾人公益性岗位500个以上
    "employment_rate": "劳动年龄段持证残疾人就业率",          # §一 劳动年龄段持证残疾人就业率达到60%以上
    "graduate_rate": "有就业意愿应届残疾人大学生就业率",       # §一 其中有就业意愿应届残疾人大学生就业率达到100%
    "agency_posts": "机关、事业单位",                       # §二(一) 每年至少推出1个机关、事业单位的岗位
    "tobacco_outlets": "用于残疾人创业扶持的烟草制品零售点",   # §二(二)
    "kiosk_reserve": "预留不低于10%的岗位",                  # §二(二) 应当预留不低于10%的岗位专门安排残疾人就业
    "household_coverage": "困难残疾人家庭",                  # §二(六) 确保困难残疾人家庭中…至少有1人实现稳定就业
    "four_ones_info_check": "基础信息核对",                  # §二(十) "四个一"
    "four_ones_assessment": "职业能力评估",
    "four_ones_registration": "就业需求登记",
    "four_ones_service": "就业服务",
}
MEASURE_WORDS = {
    "cross_county_quota": "异地按比例就业",   # §二(三) 残疾人异地按比例就业
    "concentrated_employment": "集中就业",    # §二(三) 加强残疾人集中就业服务指导监督
    "sheltered_work": "辅助性就业",           # §二(三) 进一步推进残疾人辅助性就业
    "prosperity_workshop": "共富",           # §二(五) 共富车间、共富生产线、共富岗位 ("共富工坊")
    "handicraft": "传统手工艺",               # §二(四) 非物质文化遗产传承、传统手工艺推广
    "rural": "农村寄递物流",                  # §二(七)
    "ecommerce": "云客服",                   # §二(四) 电商助残计划: 云客服、云审核
    "welfare_filled": "公益性岗位",
    "training": "职业技能培训",               # §二(九)
}


@pytest.fixture(autouse=True)
def _no_user_labels(monkeypatch):
    """User targets register their names process-wide (targets files, doctests): start from none."""
    from jhmatch.policy import labels

    monkeypatch.setattr(labels, "_EXTRA", {})


@pytest.mark.parametrize("code, words", sorted({**PLAN_WORDS, **MEASURE_WORDS}.items()))
def test_chinese_names_use_the_plan_s_words(code, words):
    with language("zh"):
        assert words in target_label(code)
    assert target_label(code) == (TARGET_LABELS.get(code) or MEASURE_LABELS[code])  # English by default


def test_four_ones_are_named_as_the_plan_names_the_campaign():
    with language("zh"):
        assert all(target_label(c).startswith("“四个一”") for c in PLAN_WORDS if c.startswith("four_ones"))


@pytest.mark.parametrize("status, zh", [("met", "已完成"), ("not met", "未完成"), ("short", "未完成"),
                                        ("no data", "无数据"), ("no target", "未设目标")])
def test_status_names(status, zh):
    with language("zh"):
        assert status_label(status) == zh
    assert status_label("met") == "met"


def test_assumptions_say_so_in_chinese():
    with language("zh"):
        assert "假设" in basis_label("population split (ASSUMPTION)")
        assert "假设" in basis_label("linear path (ASSUMPTION)")
        assert basis_label("none") == "无县级目标（方案目标为全市总量）"


def test_unknown_codes_pass_through():
    assert target_label("something_else") == "something_else" and status_label("odd") == "odd"


def _tables():
    persons = pd.DataFrame({"person_id": ["a", "b"], "category": [4, 2], "grade": [3, 4], "county": ["磐安", "义乌"],
                            "sex": ["M", "F"], "age": [30, 40], "employed": [False, True]})
    posts = pd.DataFrame({"post_id": ["q"], "kind": ["保洁"], "county": ["磐安"], "capacity": [1]})
    return persons, posts


def test_progress_rows_carry_names_and_never_a_nan_goal():
    persons, posts = _tables()
    with language("zh"):
        pr = progress(persons, posts, pd.DataFrame({"person_id": ["a"], "post_id": ["q"]}), 2025)
    t = pr.table
    nj = t[(t["target"] == "new_jobs") & (t["scope"] == "330727")].iloc[0]
    assert (nj["label"], nj["status_label"], nj["goal_text"]) == ("新增残疾人就业", "未设目标",
                                                                  "无县级目标（方案目标为全市总量）")
    assert t["goal_text"].notna().all() and not t["goal_text"].isin(["nan", "NaN", ""]).any()
    city = t[(t["target"] == "new_jobs") & (t["scope"] == "city")].iloc[0]
    assert (city["goal_text"], city["status_label"]) == ("5,000", "未完成")


def test_display_is_the_planner_s_table_in_either_language():
    persons, posts = _tables()
    pr = progress(persons, posts, None, 2025, targets=PlanTargets(split="population"))
    zh = pr.display("zh")
    assert list(zh.columns) == ["方案指标", "区域", "完成情况", "本年度目标", "差距", "完成状态", "年度目标依据", "目标来源"]
    assert not zh.isna().any().any()
    row = zh[(zh["方案指标"] == "新增残疾人就业") & (zh["区域"] == "磐安县")].iloc[0]
    assert row["本年度目标"] == "124.2" and "假设" in row["目标来源"]
    en = pr.display("en", counties=False)
    assert len(en) == 12 and en.iloc[0]["plan target"] == "new disabled persons employed"
    assert set(en["area"]) == {"city-wide"}


@pytest.mark.parametrize("column, words", [
    ("fund_due", "残疾人就业保障金"),          # 财税〔2015〕72号 残疾人就业保障金征收使用管理办法
    ("reward", "超比例安置奖励"),              # PLAN §二(三) 给予超比例安置奖励
    ("vat_refund", "即征即退"),               # 财税〔2016〕52号 限额即征即退增值税
    ("exempt", "30人以下"),                   # 财政部公告2019年第98号: 在职职工人数在30人（含）以下的企业暂免征收
    ("wage_capped", "2倍"),                   # 不超过当地社会平均工资2倍
    ("phase", "低保"),
])
def test_policy_table_headers_use_the_rules_words(column, words):
    with language("zh"):
        assert words in column_label(column)
    assert column_label("not_a_column") == "not_a_column"


def test_dibao_stages_use_the_plan_s_words():
    # PLAN §二(六): 3年内所获得的就业收入可不计入家庭收入，3年后给予1年渐退期
    with language("zh"):
        assert phase_label("phase_out") == "渐退期"
        assert "不计入家庭收入" in phase_label("disregarded") and "3年" in phase_label("disregarded")
    assert phase_label("counted") == "earnings counted"
