"""The bad-input corpus (tests/data/bad/): each file raises the exact error at the exact place."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from jhmatch import errors
from jhmatch.data.io import read_table
from jhmatch.data.schema import validate_employers, validate_households, validate_persons, validate_posts
from jhmatch.i18n import language
from jhmatch.rules import load_rules

BAD = Path(__file__).parent / "bad"
VALIDATORS = {"persons": validate_persons, "posts": validate_posts, "employers": validate_employers,
              "households": validate_households}
RULES_DIR = BAD / "rules"  # rules files: refused by load_rules, every line naming the file
TABLES = list(csv.DictReader((BAD / "manifest.csv").open(encoding="utf-8")))
RULES = list(csv.DictReader((RULES_DIR / "manifest.csv").open(encoding="utf-8")))
CASES = TABLES + RULES


def _loc(text: str) -> tuple[int | None, str | None]:
    row, col = text.split(":")
    return (None if row == "None" else int(row), None if col == "None" else col)


def test_corpus_is_large_and_complete():
    assert len(TABLES) >= 80 and len(RULES) >= 10
    assert {c["file"] for c in TABLES} == {p.name for p in BAD.iterdir() if p.is_file() and p.name != "manifest.csv"}
    assert {c["file"] for c in RULES} == {p.name for p in RULES_DIR.iterdir() if p.name != "manifest.csv"}




def _path(case) -> Path:
    return (RULES_DIR if case["table"] == "rules" else BAD) / case["file"]


def _run(case):
    if case["table"] == "rules":
        return load_rules(_path(case))
    return VALIDATORS[case["table"]](read_table(_path(case)))


@pytest.mark.parametrize("case", TABLES, ids=[c["file"] for c in TABLES])
def test_bad_input_raises_exact_error_at_exact_place(case):
    path = BAD / case["file"]
    error = getattr(errors, case["error"])
    with pytest.raises(error) as info:
        _run(case)
    assert type(info.value) is error
    found = {(p.row, p.column) for p in info.value.problems}
    assert found == {_loc(x) for x in case["locations"].split(";")}
    message = str(info.value)
    assert case["fragment"] in message
    assert path.name in message  # the file is named
    assert len(message) < 20_000  # a huge bad value is not echoed whole


@pytest.mark.parametrize("case", RULES, ids=[c["file"] for c in RULES])
def test_bad_rules_file_is_refused_naming_the_file_on_every_line(case):
    path = _path(case)
    with pytest.raises(getattr(errors, case["error"])) as info:
        _run(case)
    message = str(info.value)
    assert case["fragment"] in message
    assert all(path.name in line for line in message.splitlines())
    assert "Traceback" not in message and "__init__" not in message


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_every_bad_input_is_refused_in_chinese_too(case):
    with language("zh"), pytest.raises(errors.JhmatchError) as info:
        _run(case)
    with language("zh"):
        message = str(info.value)
    assert case["file"] in message
    assert "expected" not in message and "got" not in message


WARN_DIR = BAD / "warnings"  # accepted with a warning naming the rows: one person under two person ids
WARNINGS = list(csv.DictReader((WARN_DIR / "manifest.csv").open(encoding="utf-8")))


def test_warning_corpus_is_complete():
    assert {c["file"] for c in WARNINGS} == {p.name for p in WARN_DIR.iterdir() if p.name != "manifest.csv"}


@pytest.mark.parametrize("case", WARNINGS, ids=[c["file"] for c in WARNINGS])
def test_same_person_under_two_ids_is_reported_with_its_rows(case):
    from jhmatch.data.table import table_warnings

    path = WARN_DIR / case["file"]
    df = VALIDATORS[case["table"]](read_table(path))
    notes = [w for w in table_warnings(df) if w.code == case["code"]]
    assert len(notes) == 1 and notes[0].column == case["column"]
    text = str(notes[0])
    assert case["fragment"] in text and path.name in text
    assert f"(rows {', '.join(case['rows'].split(';'))})" in text
    with language("zh"):
        zh = str(VALIDATORS[case["table"]](read_table(path)).pipe(table_warnings)[-1])
    assert "同一身份证号" in zh and "330" in zh and "*" in zh
