"""`jhmatch scenario --courses` writes a course catalogue that `jhmatch train` reads."""

from __future__ import annotations

from jhmatch.cli import main
from jhmatch.data.io import read_table
from jhmatch.training import validate_courses


def test_scenario_writes_courses_only_when_asked(tmp_path, capsys):
    assert main(["--lang", "zh", "scenario", str(tmp_path / "a"), "--persons", "300", "--courses"]) == 0
    out = capsys.readouterr().out
    assert "培训课程表：" in out
    courses = validate_courses(read_table(tmp_path / "a" / "courses.csv"))
    assert len(courses) > 0
    assert main(["scenario", str(tmp_path / "b"), "--persons", "300", "-q"]) == 0
    assert not (tmp_path / "b" / "courses.csv").exists()
    persons_a = (tmp_path / "a" / "persons.csv").read_bytes()
    assert persons_a == (tmp_path / "b" / "persons.csv").read_bytes()  # the other tables do not change
