"""The bad-input corpus through the command line: rules files, warnings that stop a placement.

``tests/data/bad/rules/`` holds rules files the engine refuses; each must stop
``allocate`` with exit 2, a message naming the file and the fragment the manifest
expects, and no traceback. ``tests/data/bad/warnings/`` holds tables that are valid
but name one person under two ids: ``validate`` passes with a warning, ``allocate``
stops unless ``--allow-duplicates``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from jhmatch.cli import app

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
RULES = pd.read_csv(BAD / "rules" / "manifest.csv", dtype=str, keep_default_na=False)
WARNINGS = pd.read_csv(BAD / "warnings" / "manifest.csv", dtype=str, keep_default_na=False)
runner = CliRunner()


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    folder = tmp_path_factory.mktemp("city")
    assert runner.invoke(app, ["scenario", str(folder), "-n", "120", "--seed", "8", "-q"]).exit_code == 0
    return folder


@pytest.mark.parametrize("case", RULES.to_dict("records"), ids=list(RULES["file"]))
def test_bad_rules_file_stops_allocate_with_its_message(case, city, tmp_path):
    rules = BAD / "rules" / case["file"]
    result = runner.invoke(app, ["allocate", str(city / "persons.csv"), str(city / "posts.csv"), "--rules",
                                 str(rules), "--out", str(tmp_path / "out"), "-q", "--lang", "en"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert rules.name in result.stderr
    assert case["fragment"] in result.stderr, result.stderr
    assert not (tmp_path / "out").exists(), "nothing is written when the rules are refused"


@pytest.mark.parametrize("case", WARNINGS.to_dict("records"), ids=list(WARNINGS["file"]))
def test_one_person_under_two_ids_warns_in_validate_and_stops_allocate(case, city, tmp_path):
    persons = tmp_path / case["file"]
    shutil.copy(BAD / "warnings" / case["file"], persons)
    checked = runner.invoke(app, ["validate", str(persons), "--table", "persons", "--lang", "en"])
    assert checked.exit_code == 0, checked.output
    assert case["fragment"] in checked.output
    args = ["allocate", str(persons), str(city / "posts.csv"), "--out", str(tmp_path / "out"), "-q", "--lang", "en",
            "--no-report", "--allow-missing", "willing", "--allow-missing", "graduate", "--allow-missing",
            "low_income", "--allow-missing", "household_id"]
    stopped = runner.invoke(app, args)
    assert stopped.exit_code == 2 and "--allow-duplicates" in stopped.stderr, stopped.output
    assert runner.invoke(app, [*args, "--allow-duplicates"]).exit_code in (0, 3)
