"""The planner's path in Chinese: every command's output, help, errors and output tables with ``--lang zh``."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from jhmatch.cli import app
from jhmatch.data.io import read_table
from privacy_scan import leaked_ids

runner = CliRunner()
COMMANDS = ("validate", "scenario", "policy", "progress", "allocate", "demo", "plan-posts", "recommend", "bench")


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    folder = tmp_path_factory.mktemp("city")
    result = runner.invoke(app, ["scenario", str(folder), "-n", "300", "--seed", "5", "-q"])
    assert result.exit_code == 0, result.output
    persons = read_table(folder / "persons.csv")
    persons["name"] = [f"张{i:03d}" for i in range(len(persons))]
    persons.to_csv(folder / "persons.csv", index=False, encoding="utf-8-sig")
    return folder


@pytest.fixture(scope="module")
def allocated(city, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = runner.invoke(app, ["allocate", str(city / "persons.csv"), str(city / "posts.csv"), "--employers",
                                 str(city / "employers.csv"), "--out", str(out), "--no-report", "--lang", "zh"])
    return result, out


def test_validate_in_chinese(city, chinese_only):
    result = run("validate", *(str(p) for p in sorted(city.glob("*.csv"))), "--lang", "zh")
    assert result.exit_code == 0
    assert "求职人员表 300 行，校验通过" in result.stdout
    chinese_only(result)


def test_allocate_prints_chinese_and_writes_tables_to_act_on(allocated, chinese_only):
    result, out = allocated
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "计划已求得最优方案"
    assert "已安置" in result.stdout and "义乌市" in result.stdout
    chinese_only(result)
    table = read_table(out / "allocation.csv")
    for header in ("人员编号", "姓名", "身份证号（已遮盖）", "岗位名称", "用人单位", "所在县区", "岗位类型"):
        assert header in table.columns, header
    assert table["姓名"].str.startswith("张").all()
    assert set(table["所在县区"]) <= {"婺城区", "金东区", "武义县", "浦江县", "磐安县", "兰溪市", "义乌市", "东阳市", "永康市"}
    assert not table["用人单位"].str.match(r"^E\d+$").any()  # names from the employers table, not ids
    assert not table["岗位类型"].str.contains("_").any()  # labels, not codes
    assert "原因" in read_table(out / "unplaced.csv").columns
    for path in out.iterdir():
        if path.is_file():
            assert leaked_ids(path.read_text(encoding="utf-8-sig", errors="ignore")) == [], path


def test_progress_reads_a_chinese_allocation(city, allocated, chinese_only):
    _, out = allocated
    result = run("progress", str(city / "persons.csv"), str(city / "posts.csv"), "--allocation",
                 str(out / "allocation.csv"), "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert "新增残疾人就业" in result.stdout and "全市" in result.stdout
    chinese_only(result)


def test_policy_in_chinese_with_employer_names(city, tmp_path, chinese_only):
    result = run("policy", str(city / "employers.csv"), "--lang", "zh", "--out", str(tmp_path / "p.xlsx"))
    assert result.exit_code == 0, result.output
    assert "家单位" in result.stdout
    chinese_only(result)
    table = pd.read_excel(tmp_path / "p.xlsx", engine="openpyxl")
    assert {"单位编号", "用人单位", "所在县区", "应缴保障金"} <= set(table.columns)


def test_plan_posts_in_chinese(city, tmp_path, chinese_only):
    result = run("plan-posts", str(city / "persons.csv"), str(city / "posts.csv"), "--tobacco", "2", "--out",
                 str(tmp_path), "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("预留岗位规划已求得最优方案")
    chinese_only(result)
    assert {"所在县区", "岗位类型", "开设点数"} <= set(read_table(tmp_path / "reserved_posts.csv").columns)


def test_recommend_writes_a_chinese_workbook(city, tmp_path, chinese_only):
    result = run("recommend", str(city / "persons.csv"), str(city / "posts.csv"), "-k", "2", "--format", "xlsx",
                 "--out", str(tmp_path / "rec.csv"), "--lang", "zh")
    assert result.exit_code == 0, result.output
    chinese_only(result)
    table = pd.read_excel(tmp_path / "rec.xlsx", sheet_name="推荐名单", engine="openpyxl")
    assert {"姓名", "推荐顺序", "岗位名称", "用人单位", "所在县区", "岗位类型", "匹配度"} <= set(table.columns)


def test_demo_xlsx_has_one_sheet_per_table_with_chinese_headers(tmp_path, chinese_only):
    result = run("demo", "-n", "300", "--out", str(tmp_path), "--format", "xlsx", "--lang", "zh")
    assert result.exit_code == 0, result.output
    chinese_only(result)
    sheets = pd.read_excel(tmp_path / "results.xlsx", sheet_name=None, engine="openpyxl")
    assert list(sheets)[:5] == ["安置名单", "未安置", "各县市区汇总", "计划目标", "规则"]
    assert {"预留岗位", "跨区域安置"} <= set(sheets)
    assert {"岗位名称", "用人单位", "所在县区", "岗位类型"} <= set(sheets["安置名单"].columns)
    assert "原因" in sheets["未安置"].columns
    assert not (tmp_path / "allocation.csv").exists() and (tmp_path / "summary.md").exists()


@pytest.mark.parametrize("name", [None, *COMMANDS])
def test_help_is_chinese(name):
    result = run(*([name] if name else []), "--help", "--lang", "zh")
    assert result.exit_code == 0
    assert "用法：" in result.stdout and "显示本帮助并退出" in result.stdout
    for word in ("Usage", "Options", "Arguments", "Show this message", "[default", "<path>", "[OPTIONS]"):
        assert word not in result.stdout


def test_help_of_allocate_names_the_default_time_limit():
    text = " ".join(run("allocate", "--help").stdout.split())
    assert "--time-limit" in text and "120" in text


def test_usage_errors_are_one_chinese_line(chinese_only):
    for args in (["validate"], ["allocat"], ["demo", "-n", "abc"], ["demo", "--bogus"]):
        result = run(*args, "--lang", "zh")
        assert result.exit_code == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("错误："), result.stderr
        chinese_only(result)


def test_unknown_language_is_refused(city):
    result = run("validate", str(city / "persons.csv"), "--lang", "xx")
    assert result.exit_code == 2 and "--lang xx" in result.stderr and "zh" in result.stderr


def test_default_language_comes_from_the_environment(city, monkeypatch):
    monkeypatch.setenv("JHMATCH_LANG", "zh")
    result = run("validate", str(city / "posts.csv"))
    assert "校验通过" in result.stdout
    monkeypatch.setenv("JHMATCH_LANG", "fr")
    result = run("validate", str(city / "posts.csv"))
    assert result.exit_code == 2 and "JHMATCH_LANG" in result.stderr
