"""Schema validation: aliases, defaults, derived fields, and every error path with its message."""

from __future__ import annotations

import pandas as pd
import pytest

from jhmatch.data.ids import check_character
from jhmatch.data.schema import (
    PERSONS,
    Column,
    TableSchema,
    validate_employers,
    validate_households,
    validate_persons,
    validate_posts,
)
from jhmatch.errors import SchemaError

FIRST17 = "33078219900101001"
RID = FIRST17 + check_character(FIRST17)  # a man born 1990-01-01, registered in Yiwu


def persons(**cols):
    base = {"person_id": ["p1"], "category": ["physical"], "grade": [3], "county": ["330782"]}
    base.update(cols)
    return pd.DataFrame(base)


def problems_of(exc_info):
    return [(p.row, p.column) for p in exc_info.value.problems]


def test_chinese_headers_and_values_are_normalised():
    raw = pd.DataFrame({"编号": ["a", "b"], "残疾类别": ["视力残疾", "多重"], "多重残疾类别": [None, "听力、言语"],
                        "等级": ["一级", "4"], "县市区": ["义乌市", "Pan'an"], "学历": ["大专", "初中"],
                        "低保": ["是", "否"], "意向岗位": ["云客服;盲人按摩", ""]})
    df = validate_persons(raw)
    assert df["category"].tolist() == ["visual", "multiple"]
    assert df["components"].tolist()[1] == "hearing;speech"
    assert df["grade"].tolist() == [1, 4]
    assert df["county"].tolist() == ["330782", "330727"]
    assert df["education"].tolist() == [4, 2]
    assert df["low_income"].tolist() == [True, False]
    assert df["preferred_kinds"].tolist() == ["cloud_customer_service;blind_massage", ""]
    assert df["willing"].tolist() == [True, True]  # documented default


def test_unknown_columns_are_kept_after_canonical_ones():
    df = validate_persons(persons(备注=["note"]))
    assert df.columns[-1] == "备注" and df["备注"].tolist() == ["note"]
    assert list(df.columns[: len(PERSONS.columns)]) == [c.name for c in PERSONS.columns]


def test_certificate_fills_category_grade_birth_and_sex():
    df = validate_persons(pd.DataFrame({"person_id": ["p1"], "county": ["义乌"], "certificate_number": [RID + "52"]}))
    row = df.iloc[0]
    assert (row["category"], row["grade"], row["sex"]) == ("intellectual", 2, "M")
    assert row["birth_date"] == pd.Timestamp("1990-01-01")


def test_certificate_disagreeing_with_category_is_reported_masked():
    with pytest.raises(SchemaError) as info:
        validate_persons(persons(certificate_number=[RID + "13"], category=["hearing"], grade=[3]))
    msg = str(info.value)
    assert ("row 1, column 'category'" in msg) and "visual, as the certificate number says" in msg
    assert RID not in msg and "330***************13" in msg


def test_id_number_disagreeing_with_certificate_is_reported():
    other = "33078219900101003"
    other += check_character(other)
    with pytest.raises(SchemaError) as info:
        validate_persons(persons(certificate_number=[RID + "43"], id_number=[other]))
    assert (1, "id_number") in problems_of(info)
    assert other not in str(info.value)


def test_bad_check_character_names_row_and_masks():
    bad = RID[:-1] + ("0" if RID[-1] != "0" else "1")
    with pytest.raises(SchemaError) as info:
        validate_persons(persons(id_number=[bad]))
    assert "check character is" in str(info.value) and bad not in str(info.value)


def test_every_problem_is_listed_at_once():
    raw = pd.DataFrame({
        "person_id": ["p1", "p1", "p3", "p4"],
        "category": ["视力", "ghost", "肢体", "多重"],
        "components": [None, None, "visual;hearing", "visual"],
        "grade": [5, 2, 1, 2],
        "county": ["义乌", "Beijing", "东阳", "兰溪"],
        "age": [30, -1, 20.5, 40],
        "willing": ["yes", "maybe", "no", "1"],
    })
    with pytest.raises(SchemaError) as info:
        validate_persons(raw, file="seekers.csv")
    found = set(problems_of(info))
    assert found == {
        (1, "grade"), (1, "person_id"), (2, "person_id"), (2, "category"), (2, "county"), (2, "age"),
        (2, "willing"), (3, "age"), (3, "components"), (4, "components"),
    }
    msg = str(info.value)
    assert "seekers.csv, row 2, column 'county': got 'Beijing'" in msg
    assert "expected a value between 0 and 120" in msg
    assert "a whole number" in msg
    assert "a unique value" in msg
    assert "two or more component categories" in msg
    assert "no components unless the category is multiple" in msg
    assert "a yes/no value" in msg
    assert "(accepted: visual/视力/1" in msg


def test_missing_required_column_lists_aliases():
    with pytest.raises(SchemaError) as info:
        validate_posts(pd.DataFrame({"post_id": ["q"], "kind": ["kiosk"], "county": ["330702"]}))
    p = info.value.problems[0]
    assert (p.row, p.column) == (None, "capacity") and "招聘人数" in p.aliases
    assert "(missing column)" in str(info.value)


def test_two_headers_for_one_column_is_a_problem():
    with pytest.raises(SchemaError, match="maps to it too"):
        validate_persons(persons(残疾类别=["视力"]))


def test_missing_category_without_certificate():
    with pytest.raises(SchemaError, match="a certificate number to derive it from"):
        validate_persons(persons(category=[None]))


@pytest.mark.parametrize(
    ("capacity", "expected"),
    [(-1, "a value between 0 and 100,000"), (1.5, "a whole number"), ("many", "a whole number"), (float("inf"), "a whole number")],
)
def test_bad_capacities(capacity, expected):
    with pytest.raises(SchemaError, match=expected) as info:
        validate_posts(pd.DataFrame({"post_id": ["q"], "kind": ["kiosk"], "county": ["330702"], "capacity": [capacity]}))
    assert problems_of(info) == [(1, "capacity")]


def test_posts_defaults_and_codes():
    df = validate_posts(pd.DataFrame({
        "岗位编号": ["q1", "q2"], "岗位类型": ["烟草零售点", "cloud_review"], "县市区": ["武义", "330723"],
        "招聘人数": ["0", "3"], "职业代码": ["4100402", "4-10-04-02"], "无障碍支持": ["手语;读屏", None],
    }))
    assert df["kind"].tolist() == ["tobacco_outlet", "cloud_review"]
    assert df["capacity"].tolist() == [0, 3]
    assert df["occupation"].tolist() == ["4-10-04-02", "4-10-04-02"]
    assert df["accommodations"].tolist() == ["screen_reader;sign_language", ""]
    assert df["remote"].tolist() == [False, True]  # from the kind


def test_post_unknown_kind_and_bad_occupation_and_age_range():
    with pytest.raises(SchemaError) as info:
        validate_posts(pd.DataFrame({"post_id": ["q1", "q2"], "kind": ["astronaut", "kiosk"], "county": ["东阳", "东阳"],
                                     "capacity": [1, 1], "occupation": [None, "41004"], "min_age": [None, 50],
                                     "max_age": [None, 30]}))
    assert set(problems_of(info)) == {(1, "kind"), (2, "occupation"), (2, "max_age")}
    assert "a CSCO 2022 code" in str(info.value)


def test_employers_disabled_more_than_staff():
    with pytest.raises(SchemaError) as info:
        validate_employers(pd.DataFrame({"employer_id": ["e1", "e2"], "county": ["义乌", "义乌"], "staff": [10, -3],
                                         "disabled_staff": [11, 0], "severe_disabled_staff": [12, 0]}))
    assert set(problems_of(info)) == {(1, "disabled_staff"), (1, "severe_disabled_staff"), (2, "staff")}
    assert "at most staff (10)" in str(info.value)


def test_households():
    df = validate_households(pd.DataFrame({"户号": ["h1"], "县市区": ["永康"], "困难家庭": ["是"], "家庭人口": [3]}))
    assert df.loc[0, "difficulty"] and df.loc[0, "size"] == 3
    with pytest.raises(SchemaError, match="between 1 and 30"):
        validate_households(pd.DataFrame({"household_id": ["h1"], "county": ["永康"], "size": [0]}))


def test_dates_in_several_formats():
    df = validate_persons(persons(person_id=["a", "b", "c", "d"], category=["visual"] * 4, grade=[1] * 4,
                                  county=["义乌"] * 4,
                                  birth_date=["1990-01-02", "1990/1/2", "19900102", "1990年1月2日"]))
    assert (df["birth_date"] == pd.Timestamp("1990-01-02")).all()
    with pytest.raises(SchemaError, match="a date such as"):
        validate_persons(persons(birth_date=["02.01.1990"]))


def test_blank_and_whitespace_cells_are_missing():
    df = validate_persons(persons(education=["  "], household_id=[" "]))
    assert pd.isna(df.loc[0, "education"]) and pd.isna(df.loc[0, "household_id"])


def test_not_a_dataframe():
    with pytest.raises(SchemaError, match="a pandas DataFrame"):
        validate_persons([{"person_id": "a"}])  # type: ignore[arg-type]


def test_generic_schema_is_reusable():
    schema = TableSchema("things", (Column("thing_id", "id", required=True, unique=True),
                                    Column("weight", "float", min=0, description="kg")))
    with pytest.raises(SchemaError, match=r"(?s)things.*row 1, column 'weight'"):
        schema.validate(pd.DataFrame({"thing_id": ["a"], "weight": [-2]}))


def test_error_is_picklable():
    import pickle

    with pytest.raises(SchemaError) as info:
        validate_posts(pd.DataFrame({"post_id": ["q"]}))
    again = pickle.loads(pickle.dumps(info.value))
    assert str(again) == str(info.value)


def test_datetime_birth_dates_are_accepted():
    dates = pd.Series(pd.to_datetime(["1990-01-02", "1985-05-06"]))
    for column in (dates, dates.to_numpy(), dates.dt.date):
        df = validate_persons(persons(person_id=["a", "b"], category=["visual"] * 2, grade=[1, 1], county=["义乌"] * 2,
                                      birth_date=list(column)))
        assert df["birth_date"].tolist() == list(pd.to_datetime(["1990-01-02", "1985-05-06"]))


def test_empty_frames_validate_to_empty_canonical_tables():
    df = validate_posts(pd.DataFrame({"post_id": [], "kind": [], "county": [], "capacity": []}))
    assert len(df) == 0 and df["capacity"].dtype == "int64" and "remote" in df.columns


@pytest.mark.parametrize(("value", "expected"), [("000111", "between 1900 and 2100"), ("18991231", "between 1900 and 2100")])
def test_dates_outside_1900_2100_are_refused(value, expected):
    with pytest.raises(SchemaError, match=expected):
        validate_persons(persons(birth_date=[value]))


def test_whole_numbers_beyond_float_precision_are_refused():
    with pytest.raises(SchemaError, match="a whole number"):
        validate_posts(pd.DataFrame({"post_id": ["q"], "kind": ["kiosk"], "county": ["东阳"], "capacity": [2.0**63]}))
