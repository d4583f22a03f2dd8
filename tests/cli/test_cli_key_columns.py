"""A key column (county, willing, graduate, low-income, household) absent or empty stops allocate, unless allowed."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from jhmatch.cli import app
from jhmatch.data.io import read_table

runner = CliRunner()


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    folder = tmp_path_factory.mktemp("city")
    assert runner.invoke(app, ["scenario", str(folder), "-n", "200", "--seed", "2", "-q"]).exit_code == 0
    persons = read_table(folder / "persons.csv")
    persons.drop(columns=["graduate"]).to_csv(folder / "no_graduate.csv", index=False)
    persons.assign(county="").to_csv(folder / "empty_county.csv", index=False)
    return folder


def _allocate(city, persons, out, *extra):
    return runner.invoke(app, ["allocate", str(city / persons), str(city / "posts.csv"), "--out", str(out),
                               "--no-report", "-q", *extra])


def test_missing_key_column_stops_allocate_with_a_clear_message(city, tmp_path):
    result = _allocate(city, "no_graduate.csv", tmp_path)
    assert result.exit_code == 2
    assert "key column graduating student (graduate)" in result.stderr
    assert "--allow-missing graduate" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "allocation.csv").exists()


def test_empty_key_column_stops_in_chinese(city, tmp_path, chinese_only):
    result = _allocate(city, "empty_county.csv", tmp_path, "--lang", "zh")
    assert result.exit_code == 2
    assert "缺少关键列“所在县市区”" in result.stderr and "--allow-missing county" in result.stderr
    chinese_only(result)


def test_allow_missing_goes_on_and_validate_only_warns(city, tmp_path):
    result = _allocate(city, "no_graduate.csv", tmp_path, "--allow-missing", "graduate")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "allocation.csv").exists()
    assert "graduate" in result.stderr  # the warning is still shown
    result = runner.invoke(app, ["validate", str(city / "no_graduate.csv"), "--table", "persons"])
    assert result.exit_code == 0 and "warning" in result.stdout and "graduate" in result.stdout


def test_allow_missing_names_only_key_columns(city, tmp_path):
    result = _allocate(city, "no_graduate.csv", tmp_path, "--allow-missing", "age")
    assert result.exit_code == 2 and "--allow-missing age" in result.stderr and "household_id" in result.stderr
    assert _allocate(city, "empty_county.csv", tmp_path, "--allow-missing", "County").exit_code == 0


def test_no_report_suggests_installing_nothing(city, tmp_path):
    result = _allocate(city, "persons.csv", tmp_path)
    assert result.exit_code == 0 and "pip install" not in result.output
