"""CLI: policy and progress through the entry point."""

from __future__ import annotations

import pandas as pd
import pytest

from jhmatch.cli import main
from jhmatch.data.io import read_table


@pytest.fixture()
def city(tmp_path):
    assert main(["scenario", str(tmp_path), "-n", "400", "--seed", "4", "-q"]) == 0
    return tmp_path


def test_policy_per_employer_table(city, tmp_path, capsys):
    months = pd.DataFrame({"employer_id": ["e1"] * 2, "county": ["义乌"] * 2, "month": ["2025-01", "2025-02"],
                           "staff": [40, 40], "disabled_staff": [12, 12], "vat_paid": [50_000, 10_000]})
    months.to_csv(tmp_path / "vat.csv", index=False)
    employers = pd.DataFrame({"employer_id": ["e1", "e2"], "county": ["义乌", "磐安"], "staff": [40, 200],
                              "disabled_staff": [12, 1], "average_wage": [60_000, 80_000]})
    employers.to_csv(tmp_path / "emp.csv", index=False)
    out = tmp_path / "policy.csv"
    assert main(["policy", str(tmp_path / "emp.csv"), "--year", "2025", "--vat-months", str(tmp_path / "vat.csv"),
                 "--out", str(out)]) == 0
    table = read_table(out).set_index("employer_id")
    # e2: 200 staff need 3.0 disabled; 1 counted -> shortfall 2, ratio 0.5% < 1% -> 90% of 2 x 80,000
    assert float(table.loc["e2", "shortfall"]) == 2.0
    assert float(table.loc["e2", "fund_due"]) == pytest.approx(0.9 * 2 * 80_000)
    assert float(table.loc["e1", "vat_refund"]) == 60_000  # min(VAT paid, entitlement)
    assert "2 employers assessed for 2025" in capsys.readouterr().out


def test_policy_year_outside_parameters_is_bad_input(city, capsys):
    assert main(["policy", str(city / "employers.csv"), "--year", "2019"]) == 2
    assert "error:" in capsys.readouterr().err


def test_progress_lists_targets_and_strict_exit(city, capsys):
    assert main(["progress", str(city / "persons.csv"), str(city / "posts.csv"), "--year", "2025"]) == 0
    out = capsys.readouterr().out
    assert "new disabled persons employed" in out and "employment rate of working-age certificate holders" in out
    assert main(["progress", str(city / "persons.csv"), str(city / "posts.csv"), "--strict"]) == 1
    assert main(["progress", str(city / "persons.csv"), str(city / "posts.csv"), "--lang", "zh"]) == 0
    assert "新增残疾人就业" in capsys.readouterr().out


def test_policy_and_validate_speak_chinese(city, capsys):
    assert main(["policy", str(city / "employers.csv"), "--lang", "zh"]) == 0
    assert "家单位" in capsys.readouterr().out
    assert main(["validate", str(city / "posts.csv"), "--lang", "zh"]) == 0
    assert "校验通过" in capsys.readouterr().out


def test_policy_marks_every_figure_resting_on_an_assumed_parameter(city, tmp_path, capsys):
    """PARAM values (not confirmed for Jinhua) are named in the terminal and on each row that uses one."""
    out = tmp_path / "policy.csv"
    assert main(["policy", str(city / "employers.csv"), "--year", "2025", "--out", str(out), "--lang", "zh"]) == 0
    text = capsys.readouterr().out
    assert "假设参数" in text and "超比例安置奖励标准（每人） = 3,000" in text
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    rewarded = pd.to_numeric(table["超比例奖励"]) > 0
    assert rewarded.any()
    assert table.loc[rewarded, "所用假设参数"].str.contains("超比例安置奖励标准").all()
    assert (table.loc[~rewarded & (pd.to_numeric(table["应缴保障金"]) == 0), "所用假设参数"] == "").all()


def test_progress_marks_the_employment_rate_as_resting_on_assumed_working_ages(city, tmp_path, capsys):
    out = tmp_path / "targets.csv"
    assert main(["progress", str(city / "persons.csv"), str(city / "posts.csv"), "--lang", "zh",
                 "--out", str(out)]) == 0
    assert "劳动年龄段持证残疾人就业率所依据的假设参数" in capsys.readouterr().out
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    marked = table.loc[table["所用假设参数"] != "", "目标"].unique().tolist()
    assert marked == ["劳动年龄段持证残疾人就业率"]
