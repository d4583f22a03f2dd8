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
