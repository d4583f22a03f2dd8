"""Training progress against targets (jhmatch.training.training_progress).

Outside facts: the plan (金政办发〔2022〕50号) runs 2022–2025; §二(七) asks that farmers'
practical training lean towards rural low-income disabled persons (no number); §二(九)
names the formats 订单式, 孵化式, 师带徒. 东阳's goal of 1,300 persons trained is the
example target of the project's targets file (docs/decisions.md, jhmatch.policy.targetfile).
The counts below are computed by hand from the eight rows of the fixture.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from jhmatch.errors import SchemaError
from jhmatch.policy import PlanTargets
from jhmatch.training import training_progress, training_targets, validate_trained

AS_OF = "2025-06-30"
DONGYANG, YIWU, LANXI = "330783", "330782", "330781"


@pytest.fixture(scope="module")
def persons():
    return pd.DataFrame({
        "person_id": ["a", "b", "c", "d", "e"],
        "category": ["physical", "hearing", "visual", "intellectual", "physical"], "grade": [3, 2, 1, 3, 4],
        "county": ["东阳", "东阳", "义乌", "东阳", None], "age": [30, 40, 35, 28, 50],
        "rural": [True, True, False, True, False], "low_income": [True, False, False, True, False]})


@pytest.fixture(scope="module")
def courses():
    return pd.DataFrame({"course_id": ["k1", "k2", "k3"], "name": ["叉车", "面点", "电商"],
                         "grants_skills": ["叉车", "面点", "电商"], "培训形式": ["订单式", "集中培训", "孵化"]})


@pytest.fixture(scope="module")
def trained():
    return pd.DataFrame({
        "人员编号": ["a", "a", "b", "c", "d", "d", "e", "z"],
        "课程编号": ["k1", "k2", "k1", "k2", "k1", "k3", "k3", "k1"],
        "结业日期": ["2023-03-01", "2024-05-01", "2024-06-01", "2025-02-01", "2021-12-31", "2025-07-01",
                 "2025-03-01", "2025-04-01"],
        "培训县市区": [None, None, None, None, None, None, "义乌", "兰溪"],
        "培训形式": [None, "师带徒", None, None, None, None, None, None]})


def _row(pr, target, scope):
    return pr.table.set_index(["target", "scope"]).loc[(target, scope)]


def test_counts_equal_hand_computed(trained, persons, courses):
    pr = training_progress(trained, persons, as_of=AS_OF, courses=courses)
    assert (pr.counted, pr.not_counted) == (6, 2)  # d's rows: before 2022 and after as_of
    assert _row(pr, "training", "city")["value"] == 5  # a, b, c, e, z
    assert _row(pr, "training_sessions", "city")["value"] == 6
    assert _row(pr, "training", DONGYANG)["value"] == 2 and _row(pr, "training_sessions", DONGYANG)["value"] == 3
    assert _row(pr, "training", YIWU)["value"] == 2  # c lives there, e was trained there
    assert _row(pr, "training", LANXI)["value"] == 1  # z: not in the persons table, the row's county
    # a of a, b, c, e; z is not in the persons table: counted above, left out of the share (status unknown)
    assert _row(pr, "training_rural_low_income", "city")["value"] == pytest.approx(1 / 4)
    assert _row(pr, "training_rural_low_income", DONGYANG)["value"] == pytest.approx(1 / 2)
    by_county = pr.by_county.set_index("county")
    assert by_county.loc[DONGYANG, ["persons", "trainings", "rural_low_income"]].tolist() == [2, 3, 1]
    assert by_county.loc["330702", "persons"] == 0  # every county listed
    by_cat = pr.by_category.set_index("category")
    assert by_cat.loc["physical", ["persons", "trainings"]].tolist() == [2, 3]
    assert by_cat.loc["unknown", "persons"] == 1 and by_cat.loc["intellectual", "persons"] == 0
    by_fmt = pr.by_format.set_index("format")
    assert by_fmt["trainings"].to_dict() == {"order_based": 3, "apprenticeship": 1, "incubation": 1, "classroom": 1}
    assert by_fmt.loc["order_based", "persons"] == 3
    assert any("not in the persons table" in n for n in pr.notes)


def test_dongyang_1300_from_a_targets_file(tmp_path, trained, persons):
    path = tmp_path / "targets.csv"
    pd.DataFrame({"指标": ["培训人数"], "县市区": ["东阳"], "目标值": [1300]}).to_csv(path, index=False)
    pr = training_progress(trained, persons, path, as_of=AS_OF)
    r = _row(pr, "training", DONGYANG)
    assert (r["target_value"], r["year_goal"], r["status"], r["gap"]) == (1300, 1300, "not met", 1298)
    earlier = _row(training_progress(trained, persons, path, as_of="2023-12-31"), "training", DONGYANG)
    assert earlier["year_goal"] == 650 and earlier["assumption"]  # an even path 2022–2025, flagged
    d = pr.display("zh")
    assert len(d) == 30 and d.iloc[0, 0] == "残疾人职业技能培训人数"


def test_a_missing_target_says_no_target(trained, persons):
    targets = training_targets(pd.DataFrame({"target": ["training"], "county": ["东阳"], "value": [1300]}))
    pr = training_progress(trained, persons, targets, as_of=AS_OF)
    assert _row(pr, "training", YIWU)["status"] == "no target"
    assert _row(pr, "training", "city")["status"] == "no target"
    assert _row(pr, "training_sessions", DONGYANG)["status"] == "no target"
    assert math.isnan(_row(pr, "training", YIWU)["gap"])
    shown = pr.display("zh")
    assert "未设目标" in set(shown.iloc[:, 3]) and not shown.isna().any().any()
    assert _row(pr, "training_rural_low_income", "330727")["status"] == "no data"  # nobody trained in 磐安


def test_toml_example_of_the_targets_file(tmp_path, trained, persons):
    path = tmp_path / "t.toml"
    path.write_text('[[target]]\ntarget = "training"\nlabel_zh = "残疾人职业技能培训"\ncounty = "东阳"\n'
                    'value = 1300\nachieved = 1298\n', encoding="utf-8")
    r = _row(training_progress(trained, persons, PlanTargets.from_file(path), as_of=AS_OF), "training", DONGYANG)
    assert (r["value"], r["status"]) == (1300, "met")  # 1,298 achieved earlier + 2 in the table


def test_annual_and_rate_targets(trained, persons):
    targets = training_targets(pd.DataFrame({
        "指标": ["培训人次", "农村低收入残疾人培训占比"], "县市区": ["全市", "全市"], "目标值": [3, 0.3],
        "周期": ["每年", None]}))
    pr = training_progress(trained, persons, targets, as_of=AS_OF)
    r = _row(pr, "training_sessions", "city")
    assert (r["value"], r["status"], r["goal_basis"]) == (3, "met", "annual")  # c, e, z in 2025
    r = _row(pr, "training_rural_low_income", "city")
    assert (r["value"], r["year_goal"], r["status"]) == (pytest.approx(0.25), 0.3, "not met")  # z: status unknown


def test_trained_table_errors_name_row_column_value(persons, courses):
    bad = pd.DataFrame({"人员编号": ["a", "b"], "结业日期": ["2024-01-01", "someday"], "培训形式": ["师带徒", "网课"]})
    with pytest.raises(SchemaError) as e:
        validate_trained(bad, "trained.csv")
    found = {(p.row, p.column) for p in e.value.problems}
    assert (2, "date") in found and (2, "format") in found
    assert "trained.csv" in str(e.value)
    with pytest.raises(SchemaError) as e:
        training_progress(pd.DataFrame({"人员编号": ["a"], "课程编号": ["k9"], "结业日期": ["2024-01-01"]}), persons,
                          courses=courses, as_of=AS_OF)
    assert e.value.problems[0].value == "k9" and e.value.problems[0].column == "course_id"
