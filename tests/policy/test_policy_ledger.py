"""The plan's ledger (台账): one row per measure of 金政办发〔2022〕50号 and per county, hand-computed."""

from __future__ import annotations

import pandas as pd
import pytest

from jhmatch.errors import SchemaError
from jhmatch.policy import LEDGER_MEASURES, PlanTargets, plan_ledger, progress

YIWU, LANXI, PANAN = "330782", "330781", "330727"


def persons():
    n = 9
    return pd.DataFrame({"person_id": [f"p{i}" for i in range(n)], "category": [4] * n, "grade": [3] * n,
                         "county": ["磐安"] * 5 + ["义乌"] * 4, "sex": ["M"] * n, "age": [30] * n})


def posts():
    # one post of each kind the plan names without a number, in 磐安 unless said
    kinds = ["国企", "彩票", "辅助性就业", "云客服", "网络维护", "手工艺", "共富工坊", "养殖", "保洁"]
    return pd.DataFrame({"post_id": [f"q{i}" for i in range(len(kinds))], "kind": kinds,
                         "county": ["磐安"] * 8 + ["义乌"], "capacity": [2] * len(kinds)})


ASSIGN = pd.DataFrame({"person_id": [f"p{i}" for i in range(9)], "post_id": [f"q{i}" for i in range(9)]})


def cell(led, measure, scope="city", col="achieved"):
    t = led.table
    return t[(t["measure"] == measure) & (t["scope"] == scope)].iloc[0][col]


def test_measures_without_a_number_count_placements_by_kind():
    # §二(二) 国有企业…定向招聘, 彩票网点; §二(三) 辅助性就业; §二(四) 电商助残 (云客服、网络系统维护: 2 persons),
    # 非遗、传统手工艺; §二(五) 共富; §二(七) 养殖; §二(六) 公益性岗位 (保洁, in 义乌).
    led = plan_ledger(persons(), posts(), ASSIGN, 2025)
    expected = {"soe_posts": 1, "lottery_outlets": 1, "sheltered_work": 1, "ecommerce": 2, "handicraft": 1,
                "prosperity_workshop": 1, "rural": 1, "welfare_filled": 1}
    assert {m: cell(led, m) for m in expected} == expected
    assert cell(led, "welfare_filled", YIWU) == 1 and cell(led, "welfare_filled", PANAN) == 0
    assert cell(led, "ecommerce", PANAN) == 2
    rows = led.table[led.table["measure"].isin(expected)]
    assert set(rows["status"]) == {"no target"} and rows["target"].isna().all()
    assert set(rows["figure_source"]) == {"placements"}


def test_plan_targets_come_from_progress_unchanged():
    led = plan_ledger(persons(), posts(), ASSIGN, 2025)
    pr = progress(persons(), posts(), ASSIGN, 2025)
    for target in ("new_jobs", "welfare_posts", "employment_rate", "four_ones_service"):
        p = pr.city().set_index("target").loc[target]
        assert (cell(led, target), cell(led, target, col="status")) == (p["value"], p["status"]) or (
            pd.isna(cell(led, target)) and pd.isna(p["value"]))
    assert cell(led, "welfare_posts") == 2  # the 保洁 post's capacity: posts created (§一)
    assert cell(led, "new_jobs", col="target") == 5000 and cell(led, "new_jobs", col="unit") == "persons"
    assert [m for m, _ in LEDGER_MEASURES][:2] == ["new_jobs", "welfare_posts"]
    assert list(led.city()["measure"]) == [m for m, _ in LEDGER_MEASURES]
    assert len(led.county("磐安")) == len(LEDGER_MEASURES)


def test_cross_county_chain_by_the_person_s_county():
    # §二(三) 异地按比例就业: two persons of 磐安 and one of 义乌 placed through the chain.
    chain = pd.DataFrame({"employer_id": ["e1"] * 3, "person_id": ["p0", "p1", "p6"]})
    led = plan_ledger(persons(), posts(), None, 2025, chain=chain)
    assert (cell(led, "cross_county_quota"), cell(led, "cross_county_quota", PANAN),
            cell(led, "cross_county_quota", YIWU)) == (3, 2, 1)
    assert cell(plan_ledger(persons(), posts(), None, 2025), "cross_county_quota", col="status") == "no data"
    with pytest.raises(SchemaError, match="'zz'"):
        plan_ledger(persons(), posts(), None, 2025, chain=pd.DataFrame({"person_id": ["zz"]}))


def test_concentrated_employment_and_reward_from_employers():
    # A (兰溪): 10 disabled of 40 staff = 25% → a concentrated-employment unit, but not *above* 25% → no reward.
    # B (义乌): 4 of 200 = 2% > 1.5% → reward (an enterprise). C: the same, not an enterprise → none (PLAN: 企业).
    emp = pd.DataFrame({"employer_id": ["A", "B", "C"], "county": ["兰溪", "义乌", "义乌"], "staff": [40, 200, 200],
                        "disabled_staff": [10, 4, 4], "is_enterprise": [True, True, False]})
    led = plan_ledger(persons(), posts(), None, 2025, employers=emp)
    assert (cell(led, "concentrated_employment"), cell(led, "concentrated_employment", LANXI)) == (1, 1)
    assert (cell(led, "over_quota_reward"), cell(led, "over_quota_reward", YIWU)) == (1, 1)
    assert cell(led, "over_quota_reward", col="unit") == "units"


def test_to_frame_is_the_office_ledger_without_nan():
    targets = PlanTargets.from_table(pd.DataFrame({"target": ["training"], "county": ["磐安"], "value": [30],
                                                   "achieved": [12], "label_zh": ["残疾人职业技能培训"]}))
    led = plan_ledger(persons(), posts(), ASSIGN, 2025, targets=targets)
    assert cell(led, "training", PANAN) == 12 and cell(led, "training", PANAN, "section") == "supplied"
    zh = led.to_frame("zh")
    assert list(zh.columns) == ["方案条目", "措施", "区域", "目标", "本年度目标", "完成情况", "数据来源", "完成状态"]
    assert not zh.isna().any().any()
    r = zh[(zh["措施"] == "残疾人异地按比例就业") & (zh["区域"] == "全市")].iloc[0]
    assert (r["目标"], r["完成情况"], r["完成状态"]) == ("方案未设数量目标", "无数据", "无数据")
    r = zh[(zh["措施"] == "新增残疾人就业") & (zh["区域"] == "磐安县")].iloc[0]
    assert r["目标"] == "无县级目标（方案目标为全市总量）"
    r = zh[(zh["措施"] == "残疾人职业技能培训") & (zh["区域"] == "磐安县")].iloc[0]
    assert (r["目标"], r["完成情况"], r["完成状态"]) == ("30", "12", "未完成")
    en = led.to_frame("en", counties=False)
    assert en.iloc[0]["plan measure"] == "new disabled persons employed"
