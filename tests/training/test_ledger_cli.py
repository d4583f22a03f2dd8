"""The office commands ``jhmatch graduates`` (一人一策 ledger) and ``jhmatch training-progress``, in Chinese."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from typer.testing import CliRunner

from jhmatch.cli import app
from jhmatch.datasets import make_jinhua

openpyxl = pytest.importorskip("openpyxl", reason="the ledger workbook needs the excel extra")
runner = CliRunner()
_ENGLISH = re.compile(r"\b(the|and|of|to|is|are|not|no|placed|written|error|warning|rows|status|plan|file|column|"
                      r"expected|missing|targets?|met|persons|posts|graduates?|trained|trainings|county|courses?)\b",
                      re.IGNORECASE)


@pytest.fixture(autouse=True)
def _english_by_default(monkeypatch):
    monkeypatch.setenv("JHMATCH_LANG", "en")


@pytest.fixture()
def chinese_only():
    """Fail when a command's output holds a traceback or English words (paths, options and ids removed)."""

    def check(result) -> None:
        text = result.stdout + "\n" + result.stderr
        assert "Traceback" not in text
        text = re.sub(r"\S*[/\\]\S*", " ", text)
        text = re.sub(r"--?[a-zA-Z][\w-]*", " ", text)
        text = re.sub(r"\S+\.(?:csv|xlsx)\b", " ", text)
        assert _ENGLISH.findall(text) == [], text

    return check


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    folder = tmp_path_factory.mktemp("city")
    s = make_jinhua(1500, seed=3, courses=True, id_share=0.5)
    s.write(folder)
    grads = s.persons.loc[s.persons["graduate"], "person_id"].tolist()
    post = s.posts["post_id"].iloc[0]
    pd.DataFrame({"person_id": grads[:1], "post_id": [post]}).to_csv(folder / "allocation.csv", index=False)
    pd.DataFrame({"人员编号": grads[:2], "基础信息核对": ["是", "2025-03-01"]}).to_csv(folder / "services.csv",
                                                                                 index=False)
    persons = s.persons.assign(county=s.persons["county"].astype(object))
    trained = pd.DataFrame({"人员编号": persons["person_id"].iloc[:40].tolist(),
                            "课程编号": s.courses["course_id"].iloc[[i % len(s.courses) for i in range(40)]].tolist(),
                            "结业日期": ["2024-05-01"] * 20 + ["2025-03-01"] * 20})
    trained.to_csv(folder / "trained.csv", index=False)
    dongyang = persons.loc[persons["person_id"].iloc[:40].index][persons["county"].iloc[:40] == "330783"]
    pd.DataFrame({"指标": ["培训人数"], "县市区": ["东阳"], "目标值": [1300]}).to_csv(folder / "targets.csv", index=False)
    return folder, s, grads, len(dongyang)


def test_graduates_writes_the_ledger_in_chinese(city, tmp_path, chinese_only):
    folder, _s, grads, _n = city
    out = tmp_path / "台账.xlsx"
    result = runner.invoke(app, ["graduates", str(folder / "persons.csv"), str(folder / "posts.csv"),
                                 "--courses", str(folder / "courses.csv"), "--allocation", str(folder / "allocation.csv"),
                                 "--services", str(folder / "services.csv"), "--employers", str(folder / "employers.csv"),
                                 "--as-of", "2025-06-30", "--out", str(out), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    chinese_only(result)
    assert f"台账共有毕业生 {len(grads)} 人" in result.output
    wb = openpyxl.load_workbook(out)
    ws = wb.worksheets[0]
    assert "一人一策" in ws["A1"].value and "2025-06-30" in ws["A1"].value
    headers = [c.value for c in ws[2]]
    ids = [ws.cell(r, headers.index("人员编号") + 1).value for r in range(3, ws.max_row + 1)]
    assert sorted(ids) == sorted(grads)  # every graduate once
    status = dict(zip(ids, [ws.cell(r, headers.index("状态") + 1).value for r in range(3, ws.max_row + 1)]))
    assert status[grads[0]] == "已安置"
    cells = [str(c.value) for sh in wb.worksheets for row in sh.iter_rows() for c in row if c.value is not None]
    assert not any(re.search(r"\d{17}[\dXx]", v) for v in cells)
    assert any("*" * 10 in v for v in cells)  # ID numbers there, masked


def test_graduates_csv_and_bad_services(city, tmp_path):
    folder, _s, _grads, _n = city
    out = tmp_path / "ledger.csv"
    ok = runner.invoke(app, ["graduates", str(folder / "persons.csv"), str(folder / "posts.csv"), "--out", str(out),
                             "--as-of", "2025-06-30"])
    assert ok.exit_code == 0, ok.output and out.exists()
    bad = tmp_path / "bad.csv"
    pd.DataFrame({"人员编号": ["nobody"], "基础信息核对": ["是"]}).to_csv(bad, index=False)
    result = runner.invoke(app, ["graduates", str(folder / "persons.csv"), str(folder / "posts.csv"), "--services",
                                 str(bad), "--out", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2 and "nobody" in result.output and "Traceback" not in result.output


def test_training_progress_against_dongyang_1300(city, tmp_path, chinese_only):
    folder, _s, _grads, n_dongyang = city
    out = tmp_path / "进度.xlsx"
    result = runner.invoke(app, ["training-progress", str(folder / "trained.csv"), str(folder / "persons.csv"),
                                 "--targets", str(folder / "targets.csv"), "--courses", str(folder / "courses.csv"),
                                 "--as-of", "2025-06-30", "--county", "--out", str(out), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    chinese_only(result)
    wb = openpyxl.load_workbook(out)
    assert [w.title for w in wb.worksheets] == ["培训目标", "各县市区汇总", "分残疾类别", "分培训形式"]
    rows = list(wb["培训目标"].iter_rows(values_only=True))
    dy = next(r for r in rows if r[0] == "残疾人职业技能培训人数" and r[1] == "东阳市")
    assert dy[2:7] == ("人", n_dongyang, "未完成", 1300, 1300 - n_dongyang)  # numbers, not text


@pytest.mark.parametrize("name", ["graduates", "training-progress"])
def test_help_is_chinese(name):
    result = runner.invoke(app, [name, "--help", "--lang", "zh"])
    assert result.exit_code == 0 and "用法：" in result.stdout
    for word in ("Usage", "Options", "Arguments", "Show this message", "[default", "[OPTIONS]"):
        assert word not in result.stdout
