"""Plausibility checks of the table engine: limits in one place, dates, ages, characters, sizes."""

from __future__ import annotations

import pandas as pd
import pytest

from jhmatch.data import plausibility
from jhmatch.data.io import read_table
from jhmatch.data.schema import validate_households, validate_persons, validate_posts
from jhmatch.errors import ParameterError, SchemaError


def _persons(**cols) -> pd.DataFrame:
    n = len(next(iter(cols.values())))
    base = {"person_id": [f"p{i}" for i in range(n)], "category": ["visual"] * n, "grade": ["2"] * n,
            "county": ["义乌"] * n}
    return pd.DataFrame({**base, **cols})


def _where(info) -> set[tuple[int | None, str | None]]:
    return {(p.row, p.column) for p in info.value.problems}


def test_limits_are_configurable_in_one_place():
    long = _persons(skills=["按摩" * 3000])
    with pytest.raises(SchemaError, match="max_cell_chars"):
        validate_persons(long)
    with plausibility.limits(max_cell_chars=10_000):
        assert validate_persons(long)["skills"].str.len().iloc[0] == 6000
    assert plausibility.current().max_cell_chars == 5_000  # restored after the block
    posts = pd.DataFrame({"post_id": ["q"], "kind": ["kiosk"], "county": ["义乌"], "capacity": [1], "wage": [2e6]})
    with pytest.raises(SchemaError, match="max_monthly_wage"):
        validate_posts(posts)
    with plausibility.limits(max_monthly_wage=5e6):
        assert validate_posts(posts)["wage"].iloc[0] == 2e6


@pytest.mark.parametrize("bad", [float("inf"), -1, "many", True])
def test_a_limit_must_be_a_finite_number(bad):
    with pytest.raises(ParameterError, match="max_columns"):
        with plausibility.limits(max_columns=bad):
            pass


def test_too_many_columns_refused_before_anything_else():
    frame = pd.DataFrame([["q1", "kiosk", "义乌", "1"] + ["x"] * 1200],
                         columns=["post_id", "kind", "county", "capacity"] + [f"c{i}" for i in range(1200)])
    with pytest.raises(SchemaError, match="1,204 columns") as info:
        validate_posts(frame)
    assert _where(info) == {(None, None)}
    with plausibility.limits(max_columns=2_000):
        assert validate_posts(frame).shape == (1, len(validate_posts(frame).columns))


def test_future_birth_dates_and_ages_that_contradict_them():
    with pytest.raises(SchemaError) as info:
        validate_persons(_persons(birth_date=["2090-05-05", "1990-03-01", "1990-03-01", "1990-03-01"],
                                  age=[None, "12", "90", None]))
    assert _where(info) == {(1, "birth_date"), (2, "age"), (3, "age")}
    assert "not in the future" in str(info.value) and "the birth date 1990-03-01 gives" in str(info.value)


def test_ages_recorded_a_while_ago_or_nominal_are_accepted():
    today = pd.Timestamp.today()
    born = f"{today.year - 40}-01-01"
    for age in (33, 37, 40, 41):  # a register of seven and of three years ago; exact; nominal (虚岁)
        assert int(validate_persons(_persons(birth_date=[born], age=[str(age)]))["age"].iloc[0]) == age
    for age in (28, 42):
        with pytest.raises(SchemaError, match="max_register_years"):
            validate_persons(_persons(birth_date=[born], age=[str(age)]))
    with plausibility.limits(max_register_years=20):
        validate_persons(_persons(birth_date=[born], age=["22"]))


def test_a_stale_register_is_judged_as_a_whole():
    """Ages recorded five years ago throughout: accepted; the one row that contradicts them is not."""
    today = pd.Timestamp.today()
    births = [f"{today.year - k}-01-01" for k in (30, 45, 60, 35)]
    ages = ["25", "40", "55", "12"]
    with pytest.raises(SchemaError) as info:
        validate_persons(_persons(birth_date=births, age=ages))
    assert _where(info) == {(4, "age")} and "5 year(s) ago" in str(info.value)


def test_control_characters_anywhere_tabs_and_line_breaks_allowed():
    frame = _persons(skills=["洗车\n保洁\t熨烫", "a\x00b"], 备注=["ok", "\x7f"])
    with pytest.raises(SchemaError) as info:
        validate_persons(frame)
    assert _where(info) == {(2, "skills"), (2, "备注")}


def test_repeated_header_is_a_problem_not_a_crash(tmp_path):
    frame = pd.DataFrame([["h1", "义乌", "2", "3"]], columns=["household_id", "county", "size", "size"])
    with pytest.raises(SchemaError, match="2 columns with this header") as info:
        validate_households(frame)
    assert _where(info) == {(None, "size")}
    path = tmp_path / "家庭.csv"
    path.write_text("户号,县市区,备注,备注\nh1,义乌,a,b\n", encoding="utf-8")
    with pytest.raises(SchemaError, match="备注"):
        validate_households(read_table(path))


def test_gbk_text_after_a_utf8_bom_is_read(tmp_path):
    path = tmp_path / "岗位.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "岗位编号,岗位类型,县市区,招聘人数\nq1,保洁,义乌,2\n".encode("gbk"))
    df = validate_posts(read_table(path))
    assert df.loc[0, "kind"] == "welfare_cleaning" and df.loc[0, "county"] == "330782"


def test_workbooks_that_are_not_workbooks(tmp_path):
    renamed = tmp_path / "岗位.xlsx"
    renamed.write_text("post_id,kind\nq1,kiosk\n", encoding="utf-8")
    with pytest.raises(SchemaError, match=r"renamed \.xlsx") as info:
        read_table(renamed)
    assert "岗位.xlsx" in str(info.value)
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(SchemaError, match="damaged, cut short"):
        read_table(cut)


def test_a_huge_bad_value_is_not_echoed():
    frame = pd.DataFrame({"post_id": ["q"], "kind": ["x" * 10_000_000], "county": ["义乌"], "capacity": [1]})
    with pytest.raises(SchemaError) as info:
        validate_posts(frame)
    assert len(str(info.value)) < 5_000 and "(10000000 characters)" in str(info.value)


def _wide_seconds(tmp_path, n: int) -> float:
    import time

    from jhmatch.data.io import read_table

    path = tmp_path / f"wide{n}.csv"
    path.write_text(",".join(["person_id", "category", "grade", "county"] + [f"列{i}" for i in range(n - 4)]) + "\n"
                    + ",".join(["p1", "visual", "1", "义乌"] + ["x"] * (n - 4)) + "\n", encoding="utf-8")
    start = time.perf_counter()
    with plausibility.limits(max_columns=n):
        validate_persons(read_table(path))
    return time.perf_counter() - start


def test_wide_tables_validate_in_linear_time(tmp_path):
    """A one-row CSV with 10,000 columns took 417 s (quadratic in columns); now it grows linearly."""
    small = min(_wide_seconds(tmp_path, 1_000) for _ in range(2))
    large = _wide_seconds(tmp_path, 8_000)
    assert large < 16 * small + 2.0, (small, large)  # quadratic would be 64 times
    assert large < 60
