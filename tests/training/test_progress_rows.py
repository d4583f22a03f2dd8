"""Issue 16 review: trained-file and targets-file messages name the file's line (header = line 1), in Chinese.

The rule is jhmatch.data's (Problem.row: the row a spreadsheet shows, the first data row under a
one-line header is 2), the one the persons and posts tables follow.
"""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from jhmatch.cli import app
from jhmatch.datasets import make_jinhua

runner = CliRunner()
_ASCII_WORDS = re.compile(r"[A-Za-z]{3,}")


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rows")
    s = make_jinhua(300, seed=1, courses=True)
    s.write(folder)
    ids = s.persons["person_id"].tolist()
    course = s.courses["course_id"].iloc[0]
    (folder / "trained.csv").write_text(f"人员编号,课程编号,结业日期\n{ids[0]},{course},2024-03-01\n"
                                        f"{ids[1]},C9999,2024-03-01\n", encoding="utf-8")
    return folder


def _progress(folder, *extra):
    return runner.invoke(app, ["--lang", "zh", "training-progress", str(folder / "trained.csv"),
                               str(folder / "persons.csv"), "--as-of", "2025-06-30", *extra])


def _message(result) -> str:
    assert result.exit_code == 2, result.output
    text = "\n".join(result.stderr.splitlines()[1:])  # the first line names the table (the shared rendering's)
    return re.sub(r"填的是 '[^']*'|\S*[/\\]\S*|\S+\.csv|'[^']*' 列（\w+）|'\w+' 列|\w+_\w+", " ", text)


def test_unknown_course_names_the_file_line_in_chinese(folder):
    result = _progress(folder, "--courses", str(folder / "courses.csv"))
    assert "第 3 行" in result.stderr and "C9999" in result.stderr
    assert "课程编号" in result.stderr and "应为a" not in result.stderr
    assert _ASCII_WORDS.findall(_message(result).replace("C9999", "")) == []


@pytest.mark.parametrize(("row", "line_no"), [
    ("培训总数,东阳,5", 2),
    ("培训人数,东洋,1300", 2),
    ("培训人数,东阳,abc", 2),
    ("培训人数,东阳,", 2),
])
def test_targets_file_messages_are_chinese_with_file_lines(folder, tmp_path, row, line_no):
    path = tmp_path / "targets.csv"
    path.write_text(f"指标,县市区,目标值\n{row}\n", encoding="utf-8")
    result = _progress(folder, "--targets", str(path))
    assert f"第 {line_no} 行" in result.stderr, result.stderr
    message = _message(result)
    assert _ASCII_WORDS.findall(message) == [], message


def test_unknown_target_lists_the_training_targets(folder, tmp_path):
    path = tmp_path / "targets.csv"
    path.write_text("指标,县市区,目标值\n培训人数,东阳,1300\n培训总数,东阳,5\n", encoding="utf-8")
    result = _progress(folder, "--targets", str(path))
    assert "第 3 行" in result.stderr
    for name in ("培训人数", "培训人次", "农村低收入残疾人培训占比", "新增残疾人就业"):
        assert name in result.stderr
