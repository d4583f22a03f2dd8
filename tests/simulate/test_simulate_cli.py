"""``jhmatch simulate``: Chinese first, files and report written, typed errors with exit code 2."""

from __future__ import annotations

import pytest

from jhmatch.cli import main


@pytest.fixture(autouse=True)
def _english_by_default(monkeypatch):
    monkeypatch.setenv("JHMATCH_LANG", "en")


def test_demo_in_chinese_writes_tables_and_report(tmp_path, capsys):
    out = tmp_path / "sim"
    code = main(["simulate", "--demo", "--persons", "300", "--replications", "4", "--sensitivity-replications", "2",
                 "--workers", "1", "--out", str(out), "--lang", "zh", "-q"])
    text = capsys.readouterr().out
    assert code == 0
    first, second = text.splitlines()[:2]
    assert first.startswith("【演示】本结果基于合成的演示数据") and "假设值" in first  # before any figure
    assert second.startswith("假设值（PARAM，尚未经金华确认）：") and "演示数据起始时劳动年龄段人员在业比例" in second
    assert "到2025年达成的概率" in text and "劳动年龄段持证残疾人就业率" in text
    assert "在业持证残疾人（全市折算）" in text
    sens = text[text.index("对结果影响最大的因素"):]
    assert "每次运行 2 次" in sens.splitlines()[0] and "参数" in sens.splitlines()[1]
    assert "安置率" not in sens
    assert {p.name for p in out.iterdir()} == {"targets.csv", "flows.csv", "scenario.csv", "sensitivity.csv",
                                               "index.html"}
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "data:image/png;base64" in page and "能否完成目标" in page
    status = page.index('id="status"')
    assert "（演示数据，参数为假设值）" in page[:status] and page.index("【演示】") < page.index("<img")
    assert status < page.index("<img") and status < page.index("<table")
    assert "达成概率" in (out / "targets.csv").read_text(encoding="utf-8-sig")


def test_tables_with_a_scenario_file(tmp_path, capsys):
    from jhmatch.simulate import demo_city

    paths = demo_city(n_persons=200, posts_per_person=0.15, seed=2).write(tmp_path / "city")
    scenario = tmp_path / "s.toml"
    scenario.write_text('end_year = 2023\n"死亡率" = 0.01\n', encoding="utf-8")
    code = main(["simulate", str(paths["persons"]), str(paths["posts"]), "--scenario", str(scenario),
                 "--replications", "3", "--sensitivity-replications", "0", "--workers", "1", "--out",
                 str(tmp_path / "out"), "-q"])
    text = capsys.readouterr().out
    assert code == 0 and "probability of meeting it by 2023" in text
    assert text.startswith("Simulation of the tables given, with 12 of 13 rates assumed (PARAM")
    assert "SYNTHETIC" not in text
    assert not (tmp_path / "out" / "sensitivity.csv").exists()


def test_bad_scenario_file_exits_2_naming_file_and_key(tmp_path, capsys):
    scenario = tmp_path / "bad.toml"
    scenario.write_text("move_rate = 5\n", encoding="utf-8")
    code = main(["simulate", "--demo", "--persons", "100", "--scenario", str(scenario), "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2 and "bad.toml" in err and "move_rate" in err


@pytest.mark.parametrize("args", [[], ["persons.csv", "--demo"], ["--demo", "--replications", "0"]])
def test_usage_errors_exit_2(tmp_path, args):
    assert main(["simulate", *args, "--out", str(tmp_path)]) == 2
