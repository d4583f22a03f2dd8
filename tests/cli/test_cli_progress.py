"""Progress: one log line per step when stderr is not a terminal, a live display on one, nothing with -q."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from jhmatch._cli_progress import Steps
from jhmatch.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    folder = tmp_path_factory.mktemp("city")
    assert runner.invoke(app, ["scenario", str(folder), "-n", "200", "--seed", "4", "-q"]).exit_code == 0
    return folder


def _log_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("jhmatch [")]


def test_one_log_line_per_step_without_a_terminal(city, tmp_path):
    result = runner.invoke(app, ["allocate", str(city / "persons.csv"), str(city / "posts.csv"), "--out",
                                 str(tmp_path), "--no-report"])
    assert result.exit_code == 0, result.output
    lines = _log_lines(result.stderr)
    assert [re.match(r"jhmatch \[(\d)/5\] ([^:(]+)", line).groups() for line in lines] == [
        ("1", "reading and checking the tables"), ("2", "scoring compatibility"), ("3", "allocating posts"),
        ("4", "measuring the plan's targets"), ("5", "writing results")]
    assert "200 persons" in lines[0] and "candidate pairs" in lines[1] and re.search(r"placed \d+ of \d+", lines[2])
    assert all(re.search(r"\(\d+\.\d s\)$", line) for line in lines)
    assert _log_lines(result.stdout) == []  # the plan's output stays clean


def test_quiet_shows_no_progress(city, tmp_path):
    result = runner.invoke(app, ["recommend", str(city / "persons.csv"), str(city / "posts.csv"), "-k", "1",
                                 "--out", str(tmp_path / "r.csv"), "-q"])
    assert result.exit_code == 0 and _log_lines(result.stderr) == [] and result.stdout == ""


def test_steps_in_chinese_and_live_display(capsys):
    from jhmatch.i18n import language

    with language("zh"), Steps(2) as steps:
        steps("score", "start", {"seekers": 3, "posts": 2})
        steps("score", "done", {"seekers": 3, "posts": 2, "pairs": 5})
        steps.start("allocate", time_limit=30)
        steps.done("allocate", placed=2, seekers=3)
    err = capsys.readouterr().err
    assert "jhmatch [1/2] 计算人岗匹配度：3 名求职者 × 2 个岗位，5 个候选人岗组合" in err
    assert "jhmatch [2/2] 分配岗位：已安置 2/3 名求职者" in err
    with Steps(1, live=True) as steps:  # the rich display (a terminal) must not fail either
        steps.start("allocate", time_limit=5)
        steps.done("allocate", placed=1, seekers=1)
