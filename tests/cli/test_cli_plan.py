"""The office commands: ``template`` (blank forms), ``ledger`` (台账) and ``progress --targets``."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from jhmatch.cli import app

pytest.importorskip("openpyxl", reason="templates and workbooks need the excel extra")

runner = CliRunner()


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    folder = tmp_path_factory.mktemp("city")
    assert runner.invoke(app, ["scenario", str(folder), "-n", "300", "--seed", "4", "-q"]).exit_code == 0
    out = folder / "out"
    result = runner.invoke(app, ["allocate", str(folder / "persons.csv"), str(folder / "posts.csv"), "--out", str(out),
                                 "-q", "--no-report", "--lang", "en"])
    assert result.exit_code == 0, result.output
    return folder


def test_template_writes_forms_that_validate_and_never_overwrites(tmp_path):
    forms = tmp_path / "forms"
    result = runner.invoke(app, ["template", str(forms), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    files = sorted(forms.glob("*.xlsx"))
    assert [f.name for f in files] == sorted(["求职人员模板.xlsx", "岗位模板.xlsx", "用人单位模板.xlsx", "家庭模板.xlsx"])
    checked = runner.invoke(app, ["validate", *map(str, files), "--lang", "zh"])
    assert checked.exit_code == 0, checked.output
    assert checked.output.count("校验通过") == 4
    again = runner.invoke(app, ["template", str(forms), "--lang", "zh", "--table", "persons"])
    assert again.exit_code == 2 and "Traceback" not in again.output
    assert runner.invoke(app, ["template", str(forms), "--table", "persons", "--force"]).exit_code == 0


def test_ledger_lists_the_plans_measures_in_chinese_and_writes_a_workbook(city, tmp_path):
    book = tmp_path / "台账.xlsx"
    result = runner.invoke(app, ["ledger", str(city / "persons.csv"), str(city / "posts.csv"), "--allocation",
                                 str(city / "out" / "allocation.csv"), "--employers", str(city / "employers.csv"),
                                 "--lang", "zh", "--out", str(book)])
    assert result.exit_code == 0, result.output
    for measure in ("新增残疾人就业", "残疾人异地按比例就业", "残疾人辅助性就业", "“四个一”：就业服务"):
        assert measure in result.stdout
    sheets = pd.read_excel(book, sheet_name=None, engine="openpyxl")
    assert list(sheets) == ["行动计划台账"]
    table = sheets["行动计划台账"]
    assert {"措施", "完成情况", "完成状态"} <= set(table.columns)
    assert table.notna().all().all(), "a ledger cell is empty: every row must say why"


def test_progress_takes_published_county_targets(city, tmp_path):
    goals = tmp_path / "targets.csv"
    pd.DataFrame({"target": ["new_jobs"], "county": ["东阳"], "value": [800],
                  "source": ["东阳市行动计划"]}).to_csv(goals, index=False)
    result = runner.invoke(app, ["progress", str(city / "persons.csv"), str(city / "posts.csv"), "--allocation",
                                 str(city / "out" / "allocation.csv"), "--targets", str(goals), "--county",
                                 "--lang", "zh"])
    assert result.exit_code == 0, result.output
    dongyang = [line for line in result.stdout.splitlines() if "东阳" in line and "新增残疾人就业" in line]
    assert dongyang and "800" in dongyang[0], result.stdout
    assert "nan" not in result.stdout.lower()
