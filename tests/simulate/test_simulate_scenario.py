"""The scenario: defaults with statuses and sources, replace, and scenario files with typed errors."""

from __future__ import annotations

import pytest

from jhmatch.errors import ParameterError, SchemaError
from jhmatch.i18n import language
from jhmatch.simulate import RATES, SimulationScenario, read_scenario


def test_every_rate_has_a_status_and_a_source():
    for p in SimulationScenario().parameters():
        assert p.status in ("PLAN", "CONFIRMED", "PARAM") and p.source
        assert p.status != "PARAM" or "PARAM" in p.source or "ASSUMPTION" in p.source or "PARAM" in p.status


def test_assumed_values_are_named():
    lines = SimulationScenario().assumed()
    assert len(lines) == sum(s.status == "PARAM" for s in RATES.values())
    with language("zh"):
        assert any(line.startswith("年死亡率") for line in SimulationScenario().assumed())
    assert len(SimulationScenario().replace(death_rate=0.01).assumed()) == len(lines) - 1


def test_replace_marks_overrides_and_keeps_them():
    s = SimulationScenario().replace(death_rate=0.01).replace(move_rate=0.02)
    assert s.statuses["death_rate"] == s.statuses["move_rate"] == "OVERRIDE"
    assert s.rate("death_rate") == 0.01 and s.statuses["youth_rate"] == "PARAM"
    assert s.replace(job_loss={"enterprise": 0.5}).rate("job_loss")["welfare"] == RATES["job_loss"].default["welfare"]


@pytest.mark.parametrize("changes", [dict(death_rate=1.5), dict(death_rate=-0.1), dict(welfare_places=-1),
                                     dict(job_loss={"nowhere": 0.1}), dict(end_year=2020), dict(county_split="x"),
                                     dict(unknown_rate=1), dict(holder_grades={1: 0, 2: 0, 3: 0, 4: 0})])
def test_bad_values_are_refused(changes):
    with pytest.raises(ParameterError):
        SimulationScenario().replace(**changes)


def test_any_years_allowed():
    assert SimulationScenario(start_year=2024, end_year=2030).years == tuple(range(2024, 2031))


def test_toml_with_chinese_keys_and_sections(tmp_path):
    p = tmp_path / "s.toml"
    p.write_text('[scenario]\n"起始年份" = 2023\n"终止年份" = 2026\n[rates]\n"迁出率" = 0.02\n'
                 '["岗位流失率"]\nwelfare = 0.1\n', encoding="utf-8")
    s = read_scenario(p)
    assert s.years == (2023, 2024, 2025, 2026) and s.rate("move_rate") == 0.02
    assert s.rate("job_loss")["welfare"] == 0.1 and s.origins["move_rate"] == "scenario file s.toml"


def test_toml_errors_name_file_key_value_and_expectation(tmp_path):
    p = tmp_path / "bad.toml"
    p.write_text('death_rate = 8\nnonsense = 1\nend_year = "soon"\n[job_loss]\nmarket = 0.2\n', encoding="utf-8")
    with pytest.raises(SchemaError) as err:
        read_scenario(p)
    problems = {pr.column: pr for pr in err.value.problems}
    assert set(problems) == {"death_rate", "nonsense", "end_year", "job_loss.market"}
    assert problems["death_rate"].value == 8 and "between 0 and 1" in problems["death_rate"].expected
    assert all(pr.file == str(p) for pr in problems.values())
    assert "end_year" in problems["nonsense"].aliases


def test_toml_that_does_not_parse(tmp_path):
    p = tmp_path / "broken.toml"
    p.write_text("death_rate = = 1\n", encoding="utf-8")
    with pytest.raises(SchemaError, match=r"broken\.toml"):
        read_scenario(p)


def test_end_before_start_is_a_schema_error(tmp_path):
    p = tmp_path / "years.toml"
    p.write_text("start_year = 2025\nend_year = 2022\n", encoding="utf-8")
    with pytest.raises(SchemaError, match="end_year"):
        read_scenario(p)


def test_csv_table_with_percent_and_rows(tmp_path):
    p = tmp_path / "s.csv"
    p.write_text("参数,取值\n死亡率,1%\njob_loss.enterprise,0.3\nend_year,2024\n", encoding="utf-8")
    s = read_scenario(p)
    assert s.rate("death_rate") == pytest.approx(0.01) and s.rate("job_loss")["enterprise"] == 0.3
    assert s.end_year == 2024
    p.write_text("key,value\ndeath_rate,0.01\nmove_rate,5\n", encoding="utf-8")
    with pytest.raises(SchemaError) as err:
        read_scenario(p)
    (problem,) = err.value.problems
    assert (problem.row, problem.column, problem.value) == (3, "move_rate", 5.0)


def test_csv_without_key_column(tmp_path):
    p = tmp_path / "s.csv"
    p.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(SchemaError, match="key"):
        read_scenario(p)


def test_excel_table(tmp_path):
    import pandas as pd

    p = tmp_path / "s.xlsx"
    pd.DataFrame({"参数": ["死亡率", "welfare_places"], "取值": [0.01, 200]}).to_excel(p, index=False)
    s = read_scenario(p)
    assert s.rate("death_rate") == 0.01 and s.rate("welfare_places") == 200


def test_missing_file_and_other_suffix(tmp_path):
    with pytest.raises(ParameterError):
        read_scenario(tmp_path / "none.toml")
    p = tmp_path / "s.json"
    p.write_text("{}", encoding="utf-8")
    with pytest.raises(ParameterError, match="toml"):
        read_scenario(p)


def test_persons_without_age_are_named():
    import pandas as pd

    from jhmatch.simulate import build_model

    persons = pd.DataFrame({"person_id": ["a", "b"], "category": ["physical"] * 2, "grade": [4, 4],
                            "county": ["婺城"] * 2, "sex": ["M", "F"], "age": [30, None]})
    posts = pd.DataFrame({"post_id": ["q"], "kind": ["保洁"], "county": ["婺城"], "capacity": [1]})
    with pytest.raises(SchemaError, match="birth date or an age"):
        build_model(persons, posts, SimulationScenario(end_year=2022).replace(new_holders_rate=0))
