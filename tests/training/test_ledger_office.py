"""Issue 16 review of ``jhmatch graduates``: the summary describes what was written; arguments checked first."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from jhmatch.cli import app
from jhmatch.datasets import make_jinhua

openpyxl = pytest.importorskip("openpyxl", reason="the ledger workbook needs the excel extra")
runner = CliRunner()


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ledger")
    s = make_jinhua(1500, seed=3, courses=True)
    s.write(folder)
    (folder / "trained.csv").write_text("人员编号,结业日期\nP000001,2024-03-01\n", encoding="utf-8")
    return folder


def _graduates(folder, *extra):
    return runner.invoke(app, ["--lang", "zh", "graduates", str(folder / "persons.csv"), str(folder / "posts.csv"),
                               *extra])


def test_county_summary_counts_the_rows_written(folder, tmp_path):
    out = tmp_path / "l.xlsx"
    result = _graduates(folder, "--county", "义乌", "--as-of", "2025-06-30", "--out", str(out))
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    rows = openpyxl.load_workbook(out).worksheets[0].max_row - 2  # title and header rows
    assert f"台账共有毕业生 {rows} 人" in first and "义乌市" in first and "2025 年" in first
    statuses = [int(line.rsplit("：", 1)[1]) for line in result.stdout.splitlines()[1:7]]
    assert sum(statuses) == rows
    csv = tmp_path / "l.csv"
    assert _graduates(folder, "--county", "义乌", "--as-of", "2025-06-30", "--out", str(csv)).exit_code == 0
    assert len(csv.read_text(encoding="utf-8-sig").strip().splitlines()) - 1 == rows  # CSV too: one county


def test_unknown_county_is_said_first_in_one_line(folder, tmp_path):
    result = _graduates(folder, "--county", "东洋", "--out", str(tmp_path / "l.xlsx"))
    assert result.exit_code == 2
    assert result.stdout == "" and not (tmp_path / "l.xlsx").exists()
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "--county" in lines[0] and "东洋" in lines[0] and lines[0].startswith("错误")


@pytest.mark.parametrize("command", ["graduates", "training-progress"])
def test_impossible_date_names_the_option_in_chinese(folder, tmp_path, command):
    if command == "graduates":
        result = _graduates(folder, "--as-of", "2025-02-30", "--out", str(tmp_path / "l.xlsx"))
    else:
        result = runner.invoke(app, ["--lang", "zh", command, str(folder / "trained.csv"),
                                     str(folder / "persons.csv"), "--as-of", "2025-02-30"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "--as-of" in lines[0] and "2025-02-30" in lines[0] and "不是有效日期" in lines[0]
    assert "out of range" not in result.stderr and result.stdout == ""


def test_the_year_assessed_is_said_and_a_year_after_the_plan_noted(folder, tmp_path):
    result = _graduates(folder, "--as-of", "2026-11-29", "--out", str(tmp_path / "l.xlsx"))
    assert result.exit_code == 0, result.output
    first, second = result.stdout.splitlines()[:2]
    assert "“四个一”服务按 2026 年统计" in first
    assert "2025" in second and "--as-of 2025-12-31" in second
    result = _graduates(folder, "--as-of", "2025-06-30", "--out", str(tmp_path / "l.xlsx"))
    assert "--as-of 2025-12-31" not in result.stdout
