"""``jhmatch train``: status line first, Chinese headers and explanations, ID numbers masked, files written."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from jhmatch.cli import app

runner = CliRunner()
ID_NUMBER = "11010519491231002X"  # a well-formed (check digit) ID number used as a person id


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    folder = tmp_path_factory.mktemp("train")
    persons = pd.DataFrame({
        "person_id": [ID_NUMBER, "p1", "p2"], "category": ["hearing", "physical", "speech"], "grade": [4, 4, 3],
        "county": ["义乌"] * 3, "age": [30, 40, 35]})
    posts = pd.DataFrame({"post_id": ["q0", "q1"], "kind": ["企业一般岗位"] * 2, "title": ["叉车司机", "包装工"],
                          "county": ["义乌"] * 2, "capacity": [2, 1]})
    courses = pd.DataFrame({"课程编号": ["T02"], "课程名称": ["叉车司机"], "可获证书": ["叉车证"], "培训费用": [1800],
                            "名额": [5]})
    for name, frame in (("persons", persons), ("posts", posts), ("courses", courses)):
        frame.to_csv(folder / f"{name}.csv", index=False)
    return folder


def test_train_in_chinese_writes_the_plan_and_masks_ids(tables, tmp_path):
    out = tmp_path / "out"
    args = ["train", *(str(tables / f"{n}.csv") for n in ("persons", "posts", "courses")), "--budget", "5000",
            "--out", str(out), "--lang", "zh"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("培训方案")  # the status line comes first
    assert "培训后岗位" in result.output and "成为可能" in result.output and "叉车司机" in result.output
    assert ID_NUMBER not in result.output
    for name in ("trainees.csv", "by_course.csv", "by_county.csv", "index.html"):
        text = (out / name).read_text(encoding="utf-8-sig")
        assert ID_NUMBER not in text
    trainees = pd.read_csv(out / "trainees.csv")
    assert len(trainees) == 2 and "每 1 万元安置人数" in (out / "by_course.csv").read_text(encoding="utf-8-sig")
    assert "培训谁、参加哪门课程" in (out / "index.html").read_text(encoding="utf-8")


def test_train_rejects_a_negative_budget(tables):
    args = ["train", *(str(tables / f"{n}.csv") for n in ("persons", "posts", "courses")), "--budget", "-1"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2


def test_training_sections_fit_the_placement_report(tables):
    from jhmatch.report.sections import ReportSection
    from jhmatch.training import load_sample_courses, plan_training
    from jhmatch.training.report import training_sections

    persons = pd.read_csv(tables / "persons.csv")
    posts = pd.read_csv(tables / "posts.csv")
    plan = plan_training(persons, posts, load_sample_courses(), budget=5000)
    sections = training_sections(plan, "zh")
    assert [s.id for s in sections] == ["trainees", "courses", "counties"]
    assert all(isinstance(s, ReportSection) for s in sections)
    assert sections[0].title == "培训谁、参加哪门课程" and ID_NUMBER not in sections[0].table.to_csv()
    assert sections[1].figure is not None and sections[1].figure[:4] == b"\x89PNG"


def test_the_greedy_method_is_not_called_optimal(tables):
    args = ["train", *(str(tables / f"{n}.csv") for n in ("persons", "posts", "courses")), "--budget", "5000",
            "--method", "greedy", "--lang", "en"]
    result = runner.invoke(app, args)
    assert result.exit_code == 3, result.output
    assert "not" in result.stdout.splitlines()[0]
