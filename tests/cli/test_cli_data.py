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


def _office_csv(path: Path) -> Path:
    path.write_text("序号,人员编号,残疾类别,残疾等级,所在县区,是否低保,是否应届毕业生,就业意愿,户号,备注\n"
                    "1,p1,视力,二级,义乌,是,否,是,h1,\n2,p2,肢体,三级,东阳,否,是,是,h2,复核\n", encoding="gbk")
    return path


def test_validate_lists_every_unused_column_with_the_closest_known_one(tmp_path, capsys):
    path = _office_csv(tmp_path / "求职人员.csv")
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "2 persons rows, valid, 4 warning(s)" in out
    assert "'所在县区': not a known persons column" in out and "--map 所在县区=county" in out
    assert "'序号': a row number, not an id" in out and "'备注'" in out
    assert "key column county (县市区) is missing" in out


def test_validate_map_option_assigns_a_column(tmp_path, capsys):
    path = _office_csv(tmp_path / "persons.csv")
    assert main(["validate", str(path), "--map", "所在县区=county", "--map", "备注=", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "2 行，校验通过，2 条提醒" in out and "所在县区" not in out
    toml = tmp_path / "columns.toml"
    toml.write_text('[columns]\n"所在县区" = "county"\n', encoding="utf-8")
    assert main(["validate", str(path), "--map", str(toml)]) == 0
    assert "county (县市区) is missing" not in capsys.readouterr().out


def test_validate_map_errors_are_readable(tmp_path, capsys):
    path = _office_csv(tmp_path / "persons.csv")
    assert main(["validate", str(path), "--map", "所在县区"]) == 2
    assert "expected HEADER=column" in capsys.readouterr().err
    assert main(["validate", str(path), "--map", "所在县区=countyy"]) == 2
    err = capsys.readouterr().err
    assert "a column of the persons table to map it to" in err and "Traceback" not in err


def test_unknown_table_kind_is_named(tmp_path, capsys):
    path = _office_csv(tmp_path / "persons.csv")
    assert main(["validate", "--table", "person", str(path)]) == 2
    err = capsys.readouterr().err
    assert "expected one of persons, posts" in err and "Traceback" not in err
