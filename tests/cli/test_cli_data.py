"""CLI: validate and scenario through the entry point, exit codes, readable errors for every bad input."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest

from jhmatch.cli import main
from privacy_scan import leaked_ids

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
CASES = list(csv.DictReader((BAD / "manifest.csv").open(encoding="utf-8")))


def test_scenario_then_validate(tmp_path, capsys):
    assert main(["scenario", str(tmp_path), "--persons", "300", "--seed", "2"]) == 0
    files = sorted(tmp_path.glob("*.csv"))
    assert [f.name for f in files] == ["employers.csv", "households.csv", "persons.csv", "posts.csv"]
    assert main(["validate", *map(str, files)]) == 0
    out = capsys.readouterr().out
    assert "300 persons rows, valid" in out


def test_same_seed_gives_identical_files(tmp_path):
    assert main(["scenario", str(tmp_path / "a"), "-n", "200", "--seed", "9", "-q"]) == 0
    assert main(["scenario", str(tmp_path / "b"), "-n", "200", "--seed", "9", "-q"]) == 0
    for name in ("persons.csv", "posts.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_every_bad_input_exits_2_with_a_readable_message(case, capsys):
    code = main(["validate", "--table", case["table"], str(BAD / case["file"])])
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err and case["fragment"] in err and case["file"] in err
    assert leaked_ids(err) == []  # identity numbers in the bad files are masked in the message


def test_unknown_table_name_is_a_usage_error(tmp_path, capsys):
    p = tmp_path / "stuff.csv"
    p.write_text("a,b\n1,2\n")
    assert main(["validate", str(p)]) == 2
    assert "--table" in capsys.readouterr().err


def test_console_script_is_installed():
    exe = shutil.which("jhmatch")
    if exe is None:
        pytest.skip("the jhmatch console script is not on PATH (package not installed)")
    result = subprocess.run([exe, "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "scenario" in result.stdout and "validate" in result.stdout
