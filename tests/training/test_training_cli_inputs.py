"""``jhmatch train``: the packaged sample catalogue by name, and courses errors in Chinese on the right rows."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from jhmatch.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    folder = tmp_path_factory.mktemp("train_inputs")
    persons = pd.DataFrame({"person_id": ["p0", "p1"], "category": ["hearing", "physical"], "grade": [4, 4],
                            "county": ["义乌"] * 2, "age": [30, 40]})
    posts = pd.DataFrame({"post_id": ["q0", "q1"], "kind": ["企业一般岗位"] * 2, "title": ["叉车司机", "包装工"],
                          "county": ["义乌"] * 2, "capacity": [1, 1]})
    courses = pd.DataFrame({"course_id": ["T02", "T03", "T04"], "name": ["叉车司机", "电工", "焊工"],
                            "grants_certificates": ["叉车证", "电工证", "焊工证"], "cost": ["1800", "abc", "2000"]})
    persons.to_csv(folder / "persons.csv", index=False)
    posts.to_csv(folder / "posts.csv", index=False)
    courses.drop(columns="cost").to_csv(folder / "no_cost.csv", index=False)
    courses.to_csv(folder / "bad_cost.csv", index=False)
    courses.assign(cost=["1800", "", "2000"]).to_csv(folder / "empty_cost.csv", index=False)
    return folder


def _train(tables, courses, *extra):
    return runner.invoke(app, ["--lang", "zh", "train", str(tables / "persons.csv"), str(tables / "posts.csv"),
                               courses, "--budget", "5000", *extra])


def test_sample_means_the_packaged_catalogue(tables):
    result = _train(tables, "sample")
    assert result.exit_code == 0, result.output
    assert "T02 叉车司机" in result.output  # a course of the sample catalogue
    assert "sample" in runner.invoke(app, ["train", "--help"]).output


def test_a_courses_file_without_cost_is_one_line_naming_file_and_column(tables):
    result = _train(tables, str(tables / "no_cost.csv"))
    assert result.exit_code == 2
    problems = [line for line in result.output.splitlines() if line.strip().startswith("- ")]
    assert len(problems) == 1, result.output
    assert "no_cost.csv" in problems[0] and "cost" in problems[0] and "每个名额的费用" in problems[0]
    assert "培训课程表" in result.output and "courses" not in result.output.replace("no_cost", "")
    assert "<表格>" not in result.output and "needed for the budget" not in result.output


def test_an_empty_cost_is_named_on_the_row_the_file_shows(tables):
    result = _train(tables, str(tables / "empty_cost.csv"))
    assert result.exit_code == 2
    assert "empty_cost.csv" in result.output and "第 3 行" in result.output  # line 1 is the header
    assert "培训课程表" in result.output and "每个名额的费用" in result.output


def test_a_bad_cost_is_shown_with_the_chinese_table_name(tables):
    result = _train(tables, str(tables / "bad_cost.csv"))
    assert result.exit_code == 2
    assert "培训课程表" in result.output and "bad_cost.csv" in result.output and "第 3 行" in result.output


def test_written_tables_are_rounded_and_use_the_shared_county_label(tables, tmp_path):
    out = tmp_path / "out"
    result = _train(tables, "sample", "--out", str(out))
    assert result.exit_code == 0, result.output
    by_course = (out / "by_course.csv").read_text(encoding="utf-8-sig")
    by_county = (out / "by_county.csv").read_text(encoding="utf-8-sig")
    assert by_county.splitlines()[0].startswith("所在县市区,") and "所在县区" not in by_county
    frame = pd.read_csv(out / "by_course.csv", dtype=str).fillna("")
    seats, cost, per = frame.iloc[:, 2], frame.iloc[:, 1], frame.iloc[:, -1]
    assert not any(v.endswith(".0") for v in [*seats, *cost]), by_course  # whole numbers as integers
    assert all(len(v.partition(".")[2]) <= 2 for v in [*per, *by_county.replace("\n", ",").split(",")])
    assert "2.78" in by_course  # two forklift seats (3,600 yuan) add one placement: 10,000 / 3,600


def test_the_gap_is_one_figure_in_one_format(tables):
    import re

    result = _train(tables, "sample")
    lines = result.stdout.splitlines()[:2]
    gaps = {g for line in lines for g in re.findall(r"差距 ([0-9.]+%)", line)}
    assert len(gaps) == 1, lines
