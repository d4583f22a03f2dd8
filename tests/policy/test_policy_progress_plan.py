"""The plan's targets that progress counts (金政办发〔2022〕50号), each hand-computed from the plan's text.

Posts targets count posts (新增…公益性岗位, 烟草制品零售点, 推出…岗位); the kiosk rule is per new point
(预留不低于10%); the four ones are per person per year (§二(十)); yearly goals are an even path to the
end-2025 totals unless given (an ASSUMPTION); extra targets come from a file.
"""

from __future__ import annotations

import pandas as pd
import pytest

from jhmatch.errors import SchemaError
from jhmatch.policy import ExtraTarget, PlanTargets, progress

YIWU, DONGYANG, JINDONG, LANXI = "330782", "330783", "330703", "330781"


def persons(**extra):
    df = pd.DataFrame({
        "person_id": ["a", "b", "c", "d"], "category": [4] * 4, "grade": [3] * 4,
        "county": ["义乌", "义乌", "东阳", "东阳"], "sex": ["M"] * 4, "age": [30] * 4,
        "employed": [False] * 4, "willing": [True] * 4})
    for k, v in extra.items():
        df[k] = v
    return df


def row(pr, target, scope="city"):
    t = pr.table
    return t[(t["target"] == target) & (t["scope"] == scope)].iloc[0]


# ----------------------------------------------------------------------------- posts created

def test_welfare_posts_tobacco_and_agency_count_posts_not_placements():
    # §一 新增残疾人公益性岗位500个: a welfare post created counts whether or not this allocation fills it.
    posts = pd.DataFrame({"post_id": ["w1", "w2", "t1", "g1"], "kind": ["保洁", "保绿", "烟草零售点", "机关"],
                          "county": ["义乌", "东阳", "东阳", "义乌"], "capacity": [3, 2, 1, 2]})
    assign = pd.DataFrame({"person_id": ["a"], "post_id": ["w1"]})
    pr = progress(persons(), posts, assign, 2025)
    assert row(pr, "welfare_posts")[["value", "placed"]].tolist() == [5.0, 1.0]
    assert row(pr, "welfare_posts", YIWU)[["value", "placed"]].tolist() == [3.0, 1.0]
    assert row(pr, "tobacco_outlets")[["value", "placed"]].tolist() == [1.0, 0.0]
    assert row(pr, "agency_posts")[["value", "status"]].tolist() == [2.0, "met"]  # ≥ 1 a year
    assert "1 placed in these posts" in row(pr, "welfare_posts")["explanation"]
    by_placement = progress(persons(), posts, assign, 2025, post_targets="placements")
    assert row(by_placement, "welfare_posts")["value"] == 1.0 and row(by_placement, "agency_posts")["status"] == "not met"


def test_created_year_limits_the_posts_counted():
    # welfare posts from 2022 (the plan), tobacco outlets from 2021 (十四五), agency posts in the year itself.
    posts = pd.DataFrame({"post_id": ["w1", "w2", "w3", "t1", "t2", "g1", "g2"],
                          "kind": ["保洁", "保洁", "保洁", "烟草零售点", "烟草零售点", "机关", "机关"],
                          "county": ["义乌"] * 7, "capacity": [1, 2, 4, 1, 1, 1, 1],
                          "新增年份": ["2021", "2023年", None, "2021-06-01", "2026", "2023", "2024"]})
    pr = progress(persons(), posts, None, 2024)
    assert row(pr, "welfare_posts")["value"] == 6.0      # w2 (2023) + w3 (no date: counted); not w1 (2021)
    assert row(pr, "tobacco_outlets")["value"] == 1.0    # t1 (2021 is in 十四五); not t2 (after 2024)
    assert row(pr, "agency_posts")["value"] == 1.0       # g2 only: the 2024 post
    bad = posts.assign(新增年份=["soon"] + [None] * 6)
    with pytest.raises(SchemaError, match="row 1, column '新增年份': got 'soon'"):
        progress(persons(), bad, None, 2024)


# ----------------------------------------------------------------------------- kiosks

def kiosk_posts(**extra):
    df = pd.DataFrame({"post_id": ["k1", "k2", "k3"], "kind": ["kiosk"] * 3, "county": ["义乌", "义乌", "东阳"],
                       "capacity": [5, 5, 4], "site_id": ["S1", "S1", "S2"]})
    for k, v in extra.items():
        df[k] = v
    return df


def test_kiosk_rule_per_new_point():
    # §二(二): each new point reserves ≥ 10% of its posts. S1 has 25 posts → ceil(2.5) = 3 disabled persons
    # needed, 2 placed: breaks the rule. S2's total is not given: its 4 listed posts → ceil(0.4) = 1, 1 placed.
    assign = pd.DataFrame({"person_id": ["a", "b", "c"], "post_id": ["k1", "k2", "k3"]})
    pr = progress(persons(), kiosk_posts(), assign, 2025, kiosk_site_posts={"S1": 25})
    k = row(pr, "kiosk_reserve")
    assert k[["numerator", "denominator", "value", "status"]].tolist() == [1.0, 2.0, 0.5, "not met"]
    assert "1 point(s) without a total of posts" in k["explanation"]
    assert row(pr, "kiosk_reserve", DONGYANG)["status"] == "met"
    assert row(pr, "kiosk_reserve", YIWU)["status"] == "not met"
    assert row(pr, "kiosk_reserve", YIWU)["target_basis"] == "plan (every county)"
    # the same totals from a site_posts column; a 30% share asked for makes S2 need ceil(1.2) = 2
    pr2 = progress(persons(), kiosk_posts(site_posts=[25, 25, 4]), assign, 2025)
    assert row(pr2, "kiosk_reserve")["numerator"] == 1.0
    pr3 = progress(persons(), kiosk_posts(site_posts=[20, 20, 4]), assign, 2025,
                   targets=PlanTargets(kiosk_share=0.3))
    assert row(pr3, "kiosk_reserve")["numerator"] == 0.0  # S1 needs 6, S2 needs 2
    assert row(progress(persons(), kiosk_posts(), None, 2025), "kiosk_reserve")["value"] == 0.0


def test_no_kiosk_points_is_no_data():
    posts = pd.DataFrame({"post_id": ["w1"], "kind": ["保洁"], "county": ["义乌"], "capacity": [1]})
    k = row(progress(persons(), posts, None, 2025), "kiosk_reserve")
    assert k["status"] == "no data" and "no community service point" in k["explanation"]


# ----------------------------------------------------------------------------- four ones

def four_ones_persons():
    return pd.DataFrame({
        "person_id": ["x", "y", "z", "w", "v"], "category": [5] * 5, "grade": [2] * 5,
        "county": ["金东", "金东", "兰溪", "兰溪", "兰溪"], "sex": ["M"] * 5, "age": [30, 30, 30, 30, 70],
        "willing": [True, True, False, True, True], "employed": [False, False, False, True, False],
        "基础信息核对": ["2025-02-01", "2024-12-31", "是", None, None],
        "职业能力评估": ["2025-03-01", "2025-03-01", None, None, None],
        "就业需求登记": ["yes", None, None, None, None],
        "employment_service": ["2025-06-30", "2025-07-01", None, None, None],
    })


def test_four_ones_targets_in_progress():
    # §二(十): every unemployed person of working age (x, y, z; w is employed, v is 70) gets an information
    # check this year: x and z (y's was in 2024) → 2 of 3. The other three are for those who want work (x, y):
    # assessment 2 of 2, registration 1 of 2 (x), service 2 of 2.
    posts = pd.DataFrame({"post_id": ["q"], "kind": ["保洁"], "county": ["金东"], "capacity": [1]})
    pr = progress(four_ones_persons(), posts, None, 2025)
    got = {t: row(pr, t)[["numerator", "denominator", "status"]].tolist() for t in
           ("four_ones_info_check", "four_ones_assessment", "four_ones_registration", "four_ones_service")}
    assert got == {"four_ones_info_check": [2.0, 3.0, "not met"], "four_ones_assessment": [2.0, 2.0, "met"],
                   "four_ones_registration": [1.0, 2.0, "not met"], "four_ones_service": [2.0, 2.0, "met"]}
    assert row(pr, "four_ones_info_check", LANXI)[["numerator", "denominator", "status"]].tolist() == [1.0, 1.0, "met"]
    assert row(pr, "four_ones_info_check", JINDONG)["value"] == 0.5


def test_four_ones_without_records_is_no_data_not_zero():
    posts = pd.DataFrame({"post_id": ["q"], "kind": ["保洁"], "county": ["金东"], "capacity": [1]})
    pr = progress(persons(), posts, None, 2025)
    rows = pr.table[pr.table["target"].str.startswith("four_ones")]
    assert set(rows["status"]) == {"no data"} and "no column for this service" in rows["explanation"].iloc[0]


# ----------------------------------------------------------------------------- yearly goals

POSTS = pd.DataFrame({"post_id": ["q"], "kind": ["保洁"], "county": ["义乌"], "capacity": [1]})


@pytest.mark.parametrize("year, jobs, welfare, tobacco", [(2022, 1250, 125, 120), (2023, 2500, 250, 180),
                                                           (2024, 3750, 375, 240), (2025, 5000, 500, 300)])
def test_even_path_to_the_end_targets_is_an_assumption(year, jobs, welfare, tobacco):
    # 5,000 and 500 over 2022–2025 (four years); 300 outlets over 十四五 2021–2025 (five years).
    pr = progress(persons(), POSTS, None, year)
    assert [row(pr, t)["year_goal"] for t in ("new_jobs", "welfare_posts", "tobacco_outlets")] == [jobs, welfare, tobacco]
    assert row(pr, "new_jobs")["target_value"] == 5000
    linear = row(pr, "new_jobs")["goal_basis"] == "linear path (ASSUMPTION)"
    assert linear == (year < 2025) and bool(row(pr, "new_jobs")["assumption"]) == (year < 2025)


def test_yearly_rules_and_the_rate_level():
    pr = progress(persons(), POSTS, None, 2023)
    assert row(pr, "agency_posts")[["year_goal", "goal_basis"]].tolist() == [1.0, "annual"]      # 每年至少1个
    assert row(pr, "graduate_rate")["goal_basis"] == "annual"                                      # 确保百分百
    assert row(pr, "employment_rate")[["year_goal", "goal_basis"]].tolist() == [0.6, "end-2025 level"]


def test_supplied_milestones_and_county_paths():
    table = pd.DataFrame({"target": ["new_jobs", "new_jobs", "new_jobs", "new_jobs"],
                          "county": ["city", "东阳", "东阳", "义乌"], "year": [2023, None, None, 2023],
                          "value": [2600, 800, None, 300], "achieved": [None, None, 350, None]})
    t = PlanTargets.from_table(table)
    pr = progress(persons(), POSTS, pd.DataFrame({"person_id": ["c"], "post_id": ["q"]}), 2023, targets=t)
    assert row(pr, "new_jobs")[["year_goal", "goal_basis"]].tolist() == [2600.0, "supplied"]
    dy = row(pr, "new_jobs", DONGYANG)  # 800 by end-2025, an even path: 400 by end-2023 (ASSUMPTION)
    assert dy[["value", "target_value", "year_goal", "status", "assumption"]].tolist() == [351.0, 800.0, 400.0,
                                                                                           "not met", True]
    yw = row(pr, "new_jobs", YIWU)  # a 2023 milestone without an end target
    assert yw[["year_goal", "goal_basis", "target_basis", "status"]].tolist() == [300.0, "supplied", "supplied",
                                                                                 "not met"]


# ----------------------------------------------------------------------------- extra targets

def test_training_target_from_a_toml_file(tmp_path):
    # 东阳 trains 1,300 (issue 14): a target the plan's text has no number for (§二(九)).
    path = tmp_path / "targets.toml"
    path.write_text('[[target]]\ntarget = "training"\nlabel_zh = "残疾人职业技能培训"\ncounty = "东阳"\nvalue = 1300\n'
                    'achieved = 640\ncount_column = "trained"\n\n[[target]]\ntarget = "new_jobs"\ncounty = "东阳"\n'
                    'value = 800\n', encoding="utf-8")
    t = PlanTargets.from_file(path)
    assert t.extra["training"].unit == "count" and t.county_target("new_jobs", "东阳") == 800
    pr = progress(persons(trained=["是", "否", "2025-04-01", None]), POSTS, None, 2025, targets=t)
    dy = row(pr, "training", DONGYANG)
    assert dy[["value", "target_value", "gap", "status"]].tolist() == [641.0, 1300.0, 659.0, "not met"]
    assert row(pr, "training", YIWU)["value"] == 1.0 and row(pr, "training", YIWU)["status"] == "no target"
    city = row(pr, "training")
    assert city["status"] == "no target" and city["goal_text"] == "no target" and city["value"] == 642.0


def test_extra_targets_from_a_csv_and_their_errors(tmp_path):
    path = tmp_path / "targets.csv"
    path.write_text("指标,县市区,目标值,名称,单位\ninterviews,,0.9,share interviewed,比例\n", encoding="utf-8")
    t = PlanTargets.from_file(path)
    assert t.is_rate("interviews") and t.city_target("interviews") == 0.9
    pr = progress(persons(), POSTS, None, 2025, targets=t)
    assert row(pr, "interviews")["status"] == "no data"  # nobody gave a figure
    t2 = PlanTargets(extra={"interviews": t.extra["interviews"]}, achieved={"interviews": {"city": 0.95}})
    assert row(progress(persons(), POSTS, None, 2025, targets=t2), "interviews")["status"] == "met"
    with pytest.raises(SchemaError) as info:
        PlanTargets.from_table(pd.DataFrame({"target": ["new_job", "employment_rate"], "value": [10, 60]}))
    text = str(info.value)
    assert "row 1, column 'target': got 'new_job'" in text and "a label / label_zh for a new target" in text
    assert "row 2, column 'value': got 60" in text and "60% as 0.6" in text
    with pytest.raises(SchemaError, match="trained"):
        progress(persons(), POSTS, None, 2025,
                 targets=PlanTargets(extra={"training": ExtraTarget("training", 10, label="trained",
                                                                    count_column="trained")}))
