"""Plan targets and progress, employment-rate arithmetic, and the four-ones ledger (hand-computed)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pytest

from jhmatch.errors import ParameterError, SchemaError
from jhmatch.policy import (
    PlanTargets,
    PolicyParameters,
    employment_rate,
    four_ones_ledger,
    progress,
    working_age,
)

PANAN, YIWU, DONGYANG, YONGKANG = "330727", "330782", "330783", "330784"


def persons():
    rows = [
        # id, county, sex, age, employed, willing, graduate, household, difficulty
        ("a", "磐安", "M", 30, False, True, False, None, False),
        ("b", "磐安", "F", 40, True, True, False, None, False),
        ("c", "义乌", "F", 54, False, True, False, None, False),
        ("d", "义乌", "F", 55, False, True, False, None, False),
        ("e", "义乌", "M", 22, False, True, True, None, False),
        ("f", "义乌", "M", 23, False, False, True, None, False),
        ("g", "东阳", "M", 35, False, True, False, "h1", True),
        ("h", "东阳", "F", 30, False, True, False, "h1", True),
        ("i", "永康", "M", 45, False, True, False, "h2", True),
        ("j", "永康", "M", 70, False, True, False, "h3", True),
    ]
    cols = ["person_id", "county", "sex", "age", "employed", "willing", "graduate", "household_id", "household_difficulty"]
    df = pd.DataFrame(rows, columns=cols)
    df["category"], df["grade"] = "physical", 3
    return df


def posts():
    return pd.DataFrame({"post_id": ["q1", "q2", "q3", "q4"], "kind": ["保洁", "agency_post", "烟草零售点", "云客服"],
                         "county": ["磐安", "义乌", "东阳", "义乌"], "capacity": [1, 1, 1, 5]})


ASSIGN = pd.DataFrame({"person_id": ["a", "e", "h"], "post_id": ["q1", "q2", "q3"]})


@dataclass(frozen=True)
class FakeAllocation:
    assignments: pd.DataFrame


def row(pr, target, scope="city"):
    t = pr.table
    return t[(t["target"] == target) & (t["scope"] == scope)].iloc[0]


def test_progress_city_values_gaps_and_status():
    pr = progress(persons(), posts(), FakeAllocation(ASSIGN), 2025)
    assert row(pr, "new_jobs")[["value", "target_value", "gap", "status"]].tolist() == [3.0, 5000.0, 4997.0, "not met"]
    assert row(pr, "welfare_posts")["value"] == 1.0
    assert row(pr, "tobacco_outlets")["value"] == 1.0
    assert row(pr, "agency_posts")[["value", "status"]].tolist() == [1.0, "met"]
    er = row(pr, "employment_rate")
    assert er[["numerator", "denominator", "value", "status"]].tolist() == [4.0, 8.0, 0.5, "not met"]
    assert er["gap"] == pytest.approx(0.1)
    assert row(pr, "graduate_rate")[["numerator", "denominator", "status"]].tolist() == [1.0, 1.0, "met"]
    hh = row(pr, "household_coverage")
    assert hh[["numerator", "denominator", "status"]].tolist() == [1.0, 2.0, "not met"]
    assert "PLAN" in er["explanation"] and "4 of 8 = 50.00%" in er["explanation"]


def test_progress_per_county_population_split_is_flagged_and_no_data():
    # PLAN §一 sets city-wide targets only (新增残疾人就业5000人以上); the split by resident population
    # (磐安 17.9 of 720.9 万, domain.md §2) is jhmatch's assumption, asked for explicitly.
    pr = progress(persons(), posts(), ASSIGN, 2025, targets=PlanTargets(split="population"))
    nj = row(pr, "new_jobs", PANAN)
    assert nj["value"] == 1.0
    assert nj["target_value"] == pytest.approx(5000 * 17.9 / 720.9)  # 124.15
    assert nj["assumption"] and nj["target_basis"] == "population split (ASSUMPTION)"
    assert "ASSUMPTION" in nj["explanation"]
    assert not row(pr, "new_jobs")["assumption"] and row(pr, "new_jobs")["target_basis"] == "plan"
    assert row(pr, "employment_rate", PANAN)[["value", "status", "assumption"]].tolist() == [1.0, "met", True]
    assert row(pr, "employment_rate", YIWU)["value"] == pytest.approx(1 / 3)
    assert row(pr, "employment_rate", "330702")["status"] == "no data"
    assert row(pr, "household_coverage", DONGYANG)["status"] == "met"
    assert row(pr, "household_coverage", YONGKANG)["status"] == "not met"
    assert len(pr.county("磐安")) == 12 and len(pr.city()) == 12
    assert set(pr.unmet()["status"]) == {"not met"}
    assert pr.unmet()["assumption"].any()


def test_county_targets_only_when_given():
    # Default: the plan's counts and employment rate are city-wide (PLAN §一), so no county row of
    # them has a target or a "not met"; nothing in a county is an assumption.
    pr = progress(persons(), posts(), ASSIGN, 2025)
    counties = pr.table[pr.table["scope"] != "city"]
    split = counties[counties["target"].isin(["new_jobs", "welfare_posts", "tobacco_outlets", "agency_posts",
                                                "employment_rate"])]
    assert split["target_value"].isna().all() and set(split["status"]) <= {"no target", "no data"}
    assert set(split["target_basis"]) == {"none"} and not counties["assumption"].any()
    assert (pr.unmet()[pr.unmet()["target"].isin(split["target"])]["scope"] == "city").all()
    # Rules for every person, household or point hold in each county as written (§二(六)/(八)/(十)).
    every = counties[~counties.index.isin(split.index)]
    assert set(every["target_basis"]) == {"plan (every county)"} and (every["target_value"] == 1.0).all()
    assert row(pr, "new_jobs", PANAN)["value"] == 1.0  # the count is still shown
    assert "no county target" in row(pr, "new_jobs", PANAN)["explanation"]


def test_agency_target_is_never_split():
    # PLAN §二(一): 每年至少推出1个机关、事业单位岗位 — a city-wide count, not 0.025 a year for 磐安.
    pr = progress(persons(), posts(), ASSIGN, 2025, targets=PlanTargets(split="population"))
    ag = row(pr, "agency_posts", PANAN)
    assert ag["status"] == "no target" and pd.isna(ag["target_value"]) and not ag["assumption"]


def test_published_county_targets_from_a_table():
    # 东阳's published targets: 800 new jobs, 70 welfare posts (issue 14); entered as a table.
    table = pd.DataFrame({"target": ["new_jobs", "welfare_posts", "new_jobs"], "county": ["东阳", "东阳", "city"],
                          "value": [800, 70, 5000]})
    pr = progress(persons(), posts(), ASSIGN, 2025, targets=PlanTargets.from_table(table))
    nj = row(pr, "new_jobs", DONGYANG)
    assert nj[["value", "target_value", "gap", "status", "target_basis", "assumption"]].tolist() == [
        1.0, 800.0, 799.0, "not met", "supplied", False]
    assert row(pr, "welfare_posts", DONGYANG)["target_value"] == 70.0
    assert row(pr, "new_jobs", PANAN)["status"] == "no target"
    with pytest.raises(SchemaError, match="value"):
        PlanTargets.from_table(pd.DataFrame({"target": ["new_jobs"], "county": ["东阳"]}))
    with pytest.raises(ParameterError, match="split"):
        PlanTargets(split="area")


@pytest.mark.parametrize("year, inside", [(2021, False), (2022, True), (2025, True), (2026, False)])
def test_years_outside_the_plan_are_flagged(year, inside):
    # The plan runs 2022–2025 (金政办发〔2022〕50号, "到2025年"): other years are not silently compared.
    pr = progress(persons(), posts(), ASSIGN, year)
    assert pr.in_plan_period is inside
    assert (pr.table["in_plan_period"] == inside).all()
    assert all(("outside the plan period 2022–2025" in e) is not inside for e in pr.table["explanation"])


def test_progress_overrides_and_achieved():
    targets = PlanTargets(new_jobs=10, county_targets={"new_jobs": {"义乌": 1}}, county_shares={"磐安": 1, "义乌": 1})
    assert targets.split == "shares"
    pr = progress(persons(), posts(), ASSIGN, 2025, targets=targets, achieved={"new_jobs": {"义乌": 300}})
    assert row(pr, "new_jobs")["value"] == 303.0
    assert row(pr, "new_jobs", YIWU)[["value", "target_value", "status", "assumption"]].tolist() == [
        301.0, 1.0, "met", False]
    assert row(pr, "new_jobs", PANAN)[["target_value", "assumption"]].tolist() == [5.0, True]
    assert row(pr, "new_jobs", DONGYANG)["target_value"] == 0.0


def test_progress_without_allocation_and_configurable_working_age():
    pr = progress(persons(), posts(), None, 2025)
    assert row(pr, "new_jobs")["value"] == 0.0
    assert row(pr, "employment_rate")[["numerator", "denominator"]].tolist() == [1.0, 8.0]
    p = PolicyParameters.for_year(2025).replace(retirement_age_female=60)
    pr2 = progress(persons(), posts(), None, 2025, params=p)
    assert row(pr2, "employment_rate")["denominator"] == 9.0  # d (55, F) now of working age


def test_progress_bad_assignments():
    bad = pd.DataFrame({"person_id": ["a", "zz", "a"], "post_id": ["q1", "q2", "nope"]})
    with pytest.raises(SchemaError) as info:
        progress(persons(), posts(), bad, 2025)
    text = str(info.value)
    assert "row 2, column 'person_id': got 'zz', expected a person of the persons table" in text
    assert "row 3, column 'post_id': got 'nope'" in text
    assert "row 3, column 'person_id': got 'a', expected each person placed at most once" in text
    with pytest.raises(SchemaError, match="post_id"):
        progress(persons(), posts(), pd.DataFrame({"person_id": ["a"]}), 2025)
    with pytest.raises(TypeError):
        progress(persons(), posts(), [("a", "q1")], 2025)
    with pytest.raises(ParameterError, match="not a count target"):
        progress(persons(), posts(), ASSIGN, 2025, achieved={"employment_rate": {"义乌": 1}})


def test_plan_targets_validation():
    with pytest.raises(ParameterError, match="employment_rate"):
        PlanTargets(employment_rate=60)
    with pytest.raises(ParameterError, match="unknown target"):
        PlanTargets(county_targets={"jobs": {"义乌": 1}})


# ----------------------------------------------------------------------------- working age and rate

def test_working_age_boundaries_by_birth_date_and_sex():
    # 2025 reform (全国人大常委会 2024 决定, annex tables 1 and 2): men born from 1965-01 and women (base 55)
    # born from 1970-01 retire 1 month later per 4 months of birth. On 2025-12-31:
    # a (M, 1964-12-31): not delayed, 61 → out; b (M, 1965-12-31): 60 y 3 m → retires 2026-03-31 → in;
    # c (F, 1969-12-31): not delayed, 56 → out; d (F, 1970-12-31): 55 y 3 m → retires 2026-03-31 → in;
    # e/f: 16 in, 15 out; g: sex unknown at 35 → in for either sex.
    p = pd.DataFrame({"person_id": list("abcdefg"), "category": [1] * 7, "grade": [4] * 7, "county": ["武义"] * 7,
                      "sex": ["M", "M", "F", "F", "M", "M", None],
                      "birth_date": ["1964-12-31", "1965-12-31", "1969-12-31", "1970-12-31", "2009-12-31",
                                     "2010-01-01", "1990-05-05"]})
    wa = working_age(p, "2025-12-31")
    assert wa["age"].tolist() == [61, 60, 56, 55, 16, 15, 35]
    assert wa["working_age"].tolist() == [False, True, False, True, True, False, True]


def test_retirement_reform_man_born_1965_10_15_retires_at_60_years_3_months():
    # Annex table 1: men born 1965-09 … 1965-12 retire at 60 years 3 months (2026-01-15 for this man).
    p = pd.DataFrame({"person_id": ["m"], "category": [1], "grade": [4], "county": ["武义"], "sex": ["M"],
                      "birth_date": ["1965-10-15"]})
    assert working_age(p, "2025-10-15")["working_age"].tolist() == [True]  # 60: working age before the reform ended it
    assert working_age(p, "2026-01-14")["working_age"].tolist() == [True]
    assert working_age(p, "2026-01-15")["working_age"].tolist() == [False]


def test_retirement_age_months_reform_tables():
    from jhmatch.policy.retirement import retirement_age_months

    def ym(months):
        return [(int(m) // 12, int(m) % 12) for m in months]

    # men: 1965-01..04 +1, 1965-05 +2; 1976-08 is 139 months after 1965-01 → floor(139/4) + 1 = 35; 1976-09 → 36 = 63
    assert ym(retirement_age_months([1965, 1965, 1976, 1976], [4, 5, 8, 9], [True] * 4)) == [
        (60, 1), (60, 2), (62, 11), (63, 0)]
    # women base 55: 1981-08 → 57 y 11 m, 1981-09 → 58; women base 50: every 2 months, 1984-11 → 55
    assert ym(retirement_age_months([1981, 1981], [8, 9], [False] * 2)) == [(57, 11), (58, 0)]
    assert ym(retirement_age_months([1975, 1975, 1984, 1984], [1, 2, 10, 11], [False] * 4, base_female=50)) == [
        (50, 1), (50, 1), (54, 11), (55, 0)]
    # an override base without a reform schedule is used as given
    assert ym(retirement_age_months([1990], [1], [True], base_male=65)) == [(65, 0)]


def test_working_age_needs_sex_only_between_retirement_ages():
    p = pd.DataFrame({"person_id": ["a", "b"], "category": [1, 1], "grade": [4, 4], "county": ["武义"] * 2,
                      "age": [57, None]})
    with pytest.raises(SchemaError) as info:
        working_age(p, "2025-12-31")
    text = str(info.value)
    assert "row 1, column 'sex'" in text and "at age 57 working age depends on sex" in text
    assert "row 2, column 'birth_date'" in text and "person 'b'" in text


def test_employment_rate_arithmetic_city_and_county():
    r = employment_rate(persons(), year=2025)
    assert (r.employed, r.working_age) == (1, 8)
    assert r.rate == pytest.approx(0.125)
    by = r.by_county.set_index("county")
    assert by.loc[PANAN, ["employed", "working_age"]].tolist() == [1, 2]
    assert "1 employed of 8 working-age certificate holders = 12.50%" in r.explanation
    placed = persons()["person_id"].isin(["a", "e", "h"]).to_numpy() | persons()["employed"].to_numpy()
    assert employment_rate(persons(), year=2025, employed=placed).rate == pytest.approx(0.5)


# ----------------------------------------------------------------------------- four ones

def ledger_persons():
    p = pd.DataFrame({
        "person_id": ["x", "y", "z", "w", "v"], "category": [5] * 5, "grade": [2] * 5,
        "county": ["金东", "金东", "兰溪", "兰溪", "兰溪"], "sex": ["M"] * 5, "age": [30, 30, 30, 30, 70],
        "willing": [True, True, False, True, True], "employed": [False, False, False, True, False],
        "基础信息核对": ["2025-02-01", "2024-12-31", "是", None, None],
        "职业能力评估": ["2025-03-01", "2025-03-01", None, None, None],
        "就业需求登记": ["yes", None, None, None, None],
        "employment_service": ["2025-06-30", "2025-07-01", None, None, None],
    })
    return p


def test_four_ones_ledger_who_misses_what():
    led = four_ones_ledger(ledger_persons(), 2025)
    t = led.table.set_index("person_id")
    assert list(t.index) == ["x", "y", "z"]  # w employed, v not of working age
    assert t.loc["x", "complete"] and t.loc["z", "complete"]
    assert t.loc["y", "missing"] == "info_check;demand_registration"
    assert t.loc["z", "capacity_assessment"] == "not required"
    miss = led.missing()
    assert miss[["person_id", "service"]].values.tolist() == [["y", "info_check"], ["y", "demand_registration"]]
    by = led.by_county.set_index("county")
    assert by.loc["330703", ["persons", "complete", "missing_info_check"]].tolist() == [2, 1, 1]
    assert by.loc["330781", ["persons", "complete"]].tolist() == [1, 1]
    assert by.loc["330782", "persons"] == 0


def test_four_ones_bad_value_names_person():
    p = ledger_persons()
    p.loc[1, "就业需求登记"] = "maybe"
    with pytest.raises(SchemaError) as info:
        four_ones_ledger(p, 2025)
    assert "row 2, column 'demand_registration': got 'maybe'" in str(info.value)
    assert "yes/no or the date" in str(info.value)


def test_city_counts_are_the_sum_of_county_counts():
    pr = progress(persons(), posts(), ASSIGN, 2025, achieved={"welfare_posts": {"金东": 7}},
                  targets=PlanTargets(split="population"))
    t = pr.table
    for name in ("new_jobs", "welfare_posts", "tobacco_outlets", "employment_rate"):
        rows = t[t["target"] == name]
        city = rows[rows["scope"] == "city"].iloc[0]
        counties = rows[rows["scope"] != "city"]
        assert counties["numerator"].sum() == city["numerator"]
        if name != "employment_rate":
            assert counties["target_value"].sum() == pytest.approx(city["target_value"])
