"""``jhmatch tradeoff`` for planners: input checks before the scoring, messages, the CSV, the report section."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from jhmatch import _cli_tradeoff
from jhmatch.cli import app


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    """A small city as the planner's files: persons.csv and posts.csv."""
    folder = tmp_path_factory.mktemp("city")
    result = CliRunner().invoke(app, ["scenario", str(folder / "c"), "--persons", "300", "--posts", "45"])
    assert result.exit_code == 0, result.output
    return folder / "c", pd.read_csv(folder / "c" / "persons.csv", dtype=str)


def _no_scoring(*args, **kwargs):
    raise AssertionError("the command scored before checking its input")


def test_persons_without_a_county_stop_before_scoring(tables, tmp_path, monkeypatch):
    folder, city = tables
    by, column, word = "county", "county", "县市区"
    city.drop(columns=[column]).to_csv(tmp_path / "nogroup.csv", index=False)
    monkeypatch.setattr(_cli_tradeoff, "tradeoff_problem", _no_scoring)
    result = CliRunner().invoke(app, ["tradeoff", str(tmp_path / "nogroup.csv"), str(folder / "posts.csv"),
                                      "--by", by, "--lang", "zh", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    errors = [x for x in result.output.splitlines() if x.startswith("错误")]
    assert len(errors) == 1, result.output
    assert "nogroup.csv" in errors[0] and f"{column} 列" in errors[0] and word in errors[0], errors[0]
    assert "fairness" not in result.output and "正在" not in result.output


def test_seekers_without_a_county_are_counted_aloud(tables, tmp_path):
    folder, city = tables
    persons = city.copy()
    seekers = np.flatnonzero((persons["willing"] == "True") & (persons["employed"] == "False"))
    persons.loc[persons.index[seekers[:7]], "county"] = None
    persons.to_csv(tmp_path / "some.csv", index=False)
    result = CliRunner().invoke(app, ["tradeoff", str(tmp_path / "some.csv"), str(folder / "posts.csv"),
                                      "--points", "1", "--lang", "zh", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "有 7 位求职者没有县市区" in result.output, result.output
    assert "有 7 位求职者没有县市区" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")


def test_check_groups_counts_seekers_only():
    frame = pd.DataFrame({"willing": [True, True, False, True], "employed": [False, False, False, True],
                          "county": ["330723", None, None, None]})
    assert _cli_tradeoff.check_groups(frame, "county", "p.csv") == 1


def test_check_groups_names_the_file_and_the_category_column():
    from jhmatch.errors import ParameterError
    from jhmatch.i18n import language

    frame = pd.DataFrame({"willing": [True], "employed": [False], "category": [None]})
    with language("zh"), pytest.raises(ParameterError, match=r"p\.csv：.*残疾类别（category 列）.*--by county"):
        _cli_tradeoff.check_groups(frame, "category", "p.csv")


def test_csv_for_planners_reads_like_the_terminal_table(tables, tmp_path):
    folder, _city = tables
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["tradeoff", str(folder / "persons.csv"), str(folder / "posts.csv"),
                                      "--points", "2", "--lang", "zh", "--out", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "tradeoff.csv", dtype=str, encoding="utf-8-sig")
    assert list(table.columns) == ["下限", "总匹配度", "损失%", "最差县", "比值", "状态", "差距", "安置人数", "拐点"]
    assert table["下限"].iloc[0] == "无"
    assert set(table["状态"]) <= {"已证明", "未证明", "达到时间上限而停止"}
    assert table["最差县"].str.contains("[\u4e00-\u9fff]").all()  # county names, not codes
    assert (table["拐点"] == "*").sum() == 1
    for column, digits in (("下限", 1), ("总匹配度", 2), ("损失%", 3), ("比值", 2), ("差距", 4)):
        cells = table[column][table[column].str.match(r"^-?[0-9.e+-]+$")]
        assert len(cells), column
        assert all(len(c.split(".")[1]) <= digits if "." in c else True for c in cells), (column, list(cells))
    assert float(table["比值"].iloc[-1]) > 50  # a number of percent, as the terminal shows it


@pytest.mark.parametrize(("args", "option", "value", "others"), [
    (["--points", "0"], "--points", "0", ("--persons",)),
    (["--persons", "0"], "--persons", "0", ("--points",)),
    (["--time-limit", "0"], "--time-limit", "0", ("--gap",)),
    (["--gap", "-1"], "--gap", "-1", ("--time-limit",)),
    (["--gap", "1.5"], "--gap", "1.5", ("--time-limit",)),
])
def test_a_bad_option_is_named_alone_with_its_value(tmp_path, args, option, value, others):
    result = CliRunner().invoke(app, ["tradeoff", "--demo", *args, "--lang", "zh", "--out", str(tmp_path)])
    assert result.exit_code == 2, result.output
    line = next(x for x in result.output.splitlines() if x.startswith("错误"))
    assert line.startswith(f"错误：{option} {value}"), line
    assert not any(o in line for o in others), line
    assert "正在" not in result.output


def test_a_python_user_adds_the_tradeoff_to_the_placement_report(tmp_path):
    from jhmatch.datasets import make_jinhua
    from jhmatch.optimize import solve
    from jhmatch.optimize.tradeoff import lift_groups, tradeoff
    from jhmatch.report import write_report
    from jhmatch.report.tradeoff import tradeoff_sections

    city = make_jinhua(n_persons=200, n_posts=30, seed=2)
    problem = _cli_tradeoff.tradeoff_problem(city.persons, city.posts)
    curve = tradeoff(problem, points=2)
    allocation = solve(problem)
    page = write_report(tmp_path / "report", allocation, city.persons, city.posts, lang="zh",
                        extra_sections=tradeoff_sections(curve, lift_groups(problem), lang="zh"))
    html = page.read_text(encoding="utf-8") if page.is_file() else (page / "index.html").read_text(encoding="utf-8")
    assert "县际均衡的代价" in html and "最差县" in html and "山区县" in html
    section = html.split("县际均衡的代价", 1)[1].split("<h2", 1)[0]
    assert "已证明" in section and "optimal" not in section  # statuses as Chinese labels
