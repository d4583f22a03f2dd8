"""Issue 16 review of ``jhmatch training-progress``: county goals shown, numbers as numbers, unknown persons said.

The targets file example (培训人数, 东阳, 1300) is the project's (docs/training-office.md).
"""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from jhmatch.cli import app
from jhmatch.training import training_progress

openpyxl = pytest.importorskip("openpyxl", reason="the progress workbook needs the excel extra")
runner = CliRunner()


@pytest.fixture()
def files(tmp_path):
    persons = pd.DataFrame({"person_id": ["P000001", "P000002", "P000003"], "category": ["physical"] * 3,
                            "grade": [3, 3, 2], "county": ["东阳", "东阳", "义乌"], "age": [30, 40, 35],
                            "rural": [True, False, True], "low_income": [True, False, True]})
    persons.to_csv(tmp_path / "persons.csv", index=False)
    pd.DataFrame({"人员编号": ["P000001", "P000002", "P000003", "P999999"],
                  "结业日期": ["2024-03-01", "2024-04-01", "2024-05-01", "2024-06-01"]}).to_csv(
        tmp_path / "trained.csv", index=False)
    (tmp_path / "targets.csv").write_text("指标,县市区,目标值\n培训人数,东阳,1300\n", encoding="utf-8")
    return tmp_path


def _run(folder, *extra):
    return runner.invoke(app, ["--lang", "zh", "training-progress", str(folder / "trained.csv"),
                               str(folder / "persons.csv"), "--as-of", "2025-06-30", *extra])


def test_county_goals_are_shown_without_the_county_option(files):
    result = _run(files, "--targets", str(files / "targets.csv"))
    assert result.exit_code == 0, result.output
    head = result.stdout.splitlines()[:3]
    assert any("东阳市" in line and "--county" in line for line in head), head
    dongyang = [line for line in result.output.splitlines() if "东阳市" in line and "1,300" in line]
    assert dongyang and "未完成" in dongyang[0]
    assert "义乌市" not in result.output  # no goal there: not listed without --county


def test_workbook_numbers_are_numbers(files):
    out = files / "p.xlsx"
    result = _run(files, "--targets", str(files / "targets.csv"), "--out", str(out))
    assert result.exit_code == 0, result.output
    rows = list(openpyxl.load_workbook(out).worksheets[0].iter_rows(values_only=True))
    dy = next(r for r in rows if r[0] == "残疾人职业技能培训人数" and r[1] == "东阳市")
    assert dy[3] == 2 and dy[5] == 1300 and dy[6] == 1298
    share = next(r for r in rows if r[0] == "农村低收入残疾人培训占比" and r[1] == "全市")
    assert share[2] == "%" and share[3] == pytest.approx(66.7)  # 2 of the 3 known persons
    assert not any(isinstance(v, str) and v.replace(",", "").replace(".", "").isdigit() for r in rows for v in r)


def test_unknown_person_is_said_with_a_masked_id(files):
    result = _run(files)
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if "不在求职人员表" in x)
    assert "1" in line and "P9***99" in line and "P999999" not in result.output
    pr = training_progress(pd.read_csv(files / "trained.csv"), pd.read_csv(files / "persons.csv"),
                           as_of="2025-06-30")
    city = pr.city().set_index("target")
    assert city.loc["training", "value"] == 4  # counted: the trained table is the office's record
    assert city.loc["training_rural_low_income", "denominator"] == 3  # but not in the share: status unknown
    assert (pr.unknown_persons, pr.unknown_examples) == (1, ("P9***99",))
