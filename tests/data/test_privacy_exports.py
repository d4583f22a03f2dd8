"""Every ID number planted anywhere in a table is masked in every written file (CSV, Excel, Parquet)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest

from jhmatch.data.ids import check_character, scrub
from jhmatch.data.io import read_table, write_table
from jhmatch.data.schema import validate_persons
from jhmatch.errors import SchemaError
from privacy_scan import leaked_ids


def _id(birth: str, seq: int, addr: str = "330782") -> str:
    first = f"{addr}{birth}{seq:03d}"
    return first + check_character(first)


IDS = [_id("19860412", 31, "330702"), _id("19790823", 44), _id("19920117", 15, "330727"), _id("19700101", 23)]


def _planted() -> pd.DataFrame:
    a, b, c, d = IDS
    frame = pd.DataFrame({
        "person_id": [a, "p2"],                                  # offices use the ID as the person id
        "household_id": [f"H{b}", "h2"],
        "id_number": [a, c],
        "certificate_number": [b + "42", None],
        "name": ["张三", f"李四{c}"],
        "skills": [f"持证 ID{a}abc", f"Y{b}0222 见附件"],        # glued to letters
        "备注": [f"{c}abc", f"身份证:{d}"],                     # an unknown column
        "kind": pd.Categorical([a, "kiosk"]),                    # a categorical column
        "数量": [int(next(i for i in IDS if i[-1] != "X")), 2],  # an ID stored as an integer
        f"核对{d}": ["=1+1", "@SUM(A1)"],                        # an ID and a formula-like value in a header row
    })
    frame["kind2"] = pd.Categorical(["=HYPERLINK(\"x\")", "ok"])
    return frame


def _text_of(path: Path) -> str:
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    if path.suffix == ".parquet":
        df = pd.read_parquet(path)
        return df.to_csv() + " ".join(map(str, df.columns))
    return path.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "parquet"])
@pytest.mark.parametrize("key", [None, "a long secret key for tests"])
def test_planted_ids_never_reach_a_written_file(tmp_path, suffix, key):
    frame = _planted()
    assert len(leaked_ids(frame.to_csv() + " ".join(frame.columns))) >= 8  # the scanner sees them before
    path = write_table(frame, tmp_path / f"out.{suffix}", key=key)
    text = _text_of(path)
    assert leaked_ids(text) == [], leaked_ids(text)
    for raw in IDS:
        assert raw not in text


def test_formulas_escaped_in_categorical_columns_and_headers(tmp_path):
    path = write_table(_planted(), tmp_path / "out.csv")
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert "'=HYPERLINK" in lines[1] and lines[0].count("核对") == 1
    frame = pd.DataFrame({"=cmd|' /C calc'!A0": ["x"], "ok": pd.Categorical(["+1"])})
    path = write_table(frame, tmp_path / "f.csv")
    head, row = path.read_text(encoding="utf-8-sig").splitlines()[:2]
    assert head.startswith("'=cmd") and row.endswith("'+1")
    back = read_table(path)
    assert list(back.columns) == ["=cmd|' /C calc'!A0", "ok"] and back.loc[0, "ok"] == "+1"  # a lossless round trip


def test_raw_ids_keeps_them_for_trusted_destinations(tmp_path):
    path = write_table(_planted(), tmp_path / "raw.csv", raw_ids=True)
    assert IDS[0] in path.read_text(encoding="utf-8-sig")


def test_scrub_catches_ids_glued_to_letters():
    a = IDS[0]
    for text in (f"Y{a}", f"ID{a}", f"{a}abc", f"编号{a}号", f"({a})", f"{a}42"):
        assert leaked_ids(scrub(text)) == [], text
    assert scrub("0." + a) == "0." + a  # a decimal is left alone
    assert leaked_ids(scrub("1" + a + "1234")) == []  # a longer run of digits holding an ID is masked


def test_schema_error_strings_hold_no_raw_id():
    frame = pd.DataFrame({"person_id": [f"{IDS[0]}", f"{IDS[0]}"], "category": ["视力", f"x{IDS[1]}"],
                          "grade": ["1", "2"], "county": ["义乌", f"Y{IDS[2]}0222"], "备注": [f"ID{IDS[3]}abc", "\x00"]})
    with pytest.raises(SchemaError) as info:
        validate_persons(frame)
    text = str(info.value) + repr(info.value) + "".join(str(p) for p in info.value.problems)
    assert leaked_ids(text) == [], text
