"""Office headers: nothing dropped without a word, column maps, key columns, row numbers ignored."""

from __future__ import annotations

import copy
import pickle

import pandas as pd
import pytest

from jhmatch.data.ids import check_character
from jhmatch.data.io import read_table, write_table
from jhmatch.data.schema import (
    PERSONS,
    table_warnings,
    validate_employers,
    validate_persons,
    validate_posts,
)
from jhmatch.errors import SchemaError, SchemaWarning

ID = "33078219900101123" + check_character("33078219900101123")


def _office_persons() -> pd.DataFrame:
    """Headers as a county office exports them from the disabled-persons database."""
    return pd.DataFrame({
        "序号": ["1", "2"],
        "人员编号": ["p1", "p2"],
        "姓名": ["张三", "李四"],
        "身份证号码（18位）": [ID, None],
        "残疾类别": ["视力", "肢体"],
        "残疾等级": ["二级", "三级"],
        "所在地区": ["义乌", "东阳"],
        "是否低保": ["是", "否"],
        "是否应届毕业生": ["否", "是"],
        "是否有就业意愿": ["是", "是"],
        "家庭户号": ["h1", "h2"],
        "联系电话": ["13812345678", None],
        "户籍地址": ["稠城街道", "吴宁街道"],
    })


def test_office_headers_are_recognised():
    df = validate_persons(_office_persons())
    assert df["county"].tolist() == ["330782", "330783"]
    assert df["low_income"].tolist() == [True, False]
    assert df["graduate"].tolist() == [False, True]
    assert df["id_number"].iloc[0] == ID and df["phone"].iloc[0] == "13812345678"
    assert "序号" not in df.columns  # a row number is not kept as data
    notes = {w.column: w for w in table_warnings(df)}
    assert set(notes) == {"序号", "户籍地址"}
    assert notes["序号"].code == "ignored_column" and "row number" in str(notes["序号"])
    assert notes["户籍地址"].code == "unknown_column" and "not a known persons column" in str(notes["户籍地址"])
    assert df["户籍地址"].tolist() == ["稠城街道", "吴宁街道"]  # kept unchanged


@pytest.mark.parametrize(("header", "column"), [
    ("所在地区", "county"), ("身份证号码（18位）", "id_number"), ("是否低保", "low_income"),
    ("是否应届毕业生", "graduate"), ("残疾证号码", "certificate_number"), ("联系电话", "phone"),
    ("*姓名", "name"), ("出生年月日", "birth_date"), ("县（市、区）", "county"),
])
def test_person_header_variants(header, column):
    assert PERSONS.match_header(header) == column


def test_post_and_employer_office_headers():
    posts = validate_posts(pd.DataFrame({
        "岗位编号": ["q1"], "统一社会信用代码": ["91330782MA2XXXXX1K"], "单位名称": ["义乌某公司"],
        "岗位名称": ["客服"], "岗位类型": ["云客服"], "所在地区": ["义乌"], "招聘人数": ["2"], "月薪（元）": ["3500"],
    }))
    assert posts.loc[0, "employer_id"] == "91330782MA2XXXXX1K" and posts.loc[0, "employer_name"] == "义乌某公司"
    assert posts.loc[0, "wage"] == 3500.0 and table_warnings(posts) == ()
    emp = validate_employers(pd.DataFrame({"统一社会信用代码": ["91330782MA2XXXXX1K"], "单位名称": ["义乌某公司"],
                                           "所在地区": ["义乌"], "在职职工人数": ["120"]}))
    assert emp.loc[0, "name"] == "义乌某公司" and int(emp.loc[0, "staff"]) == 120


def test_unknown_column_names_the_closest_known_one():
    frame = _office_persons().rename(columns={"所在地区": "户籍所在区域"})
    df = validate_persons(frame)
    (note,) = [w for w in table_warnings(df) if w.column == "户籍所在区域"]
    assert note.suggestion == "county" and "--map 户籍所在区域=county" in note.message
    assert any(w.column == "county" and w.code == "key_column" for w in table_warnings(df))


def test_column_map_fixes_a_header_without_editing_the_file():
    frame = _office_persons().rename(columns={"所在地区": "所属街镇县区"})
    df = validate_persons(frame, column_map={"所属街镇县区": "county", "户籍地址": ""})
    assert df["county"].tolist() == ["330782", "330783"]
    assert "户籍地址" not in df.columns
    assert {w.column: w.code for w in table_warnings(df)} == {"序号": "ignored_column", "户籍地址": "ignored_column"}
    df = validate_persons(_office_persons(), column_map={"序号": "person_id", "人员编号": ""})
    assert df["person_id"].tolist() == ["1", "2"]


def test_column_map_to_an_unknown_column_is_an_error():
    with pytest.raises(SchemaError, match="a column of the persons table to map it to") as info:
        validate_persons(_office_persons(), column_map={"户籍地址": "adress"})
    assert "county" in str(info.value)


def test_key_columns_missing_or_empty_are_warnings():
    frame = pd.DataFrame({"person_id": ["a", "b"], "category": ["视力", "听力"], "grade": [2, 3],
                          "所在地区": [None, " "], "willing": ["是", "否"], "graduate": ["否", "否"],
                          "low_income": ["否", "是"]})
    notes = {w.column: w for w in table_warnings(validate_persons(frame))}
    assert set(notes) == {"county", "household_id"}
    assert "empty on every row" in notes["county"].message and "'所在地区'" in notes["county"].message
    assert "missing" in notes["household_id"].message and "household coverage" in notes["household_id"].message
    assert all(n.code == "key_column" for n in notes.values())


def test_warnings_survive_parquet_and_copies(tmp_path):
    df = validate_persons(_office_persons())
    assert len(table_warnings(df.copy())) == 2
    w = table_warnings(df)[0]
    assert isinstance(w, SchemaWarning)
    assert str(pickle.loads(pickle.dumps(w))) == str(w) == str(copy.deepcopy(w))
    write_table(df, tmp_path / "p.parquet")  # attrs are JSON: no serialisation warning, no error


def test_phone_is_masked_on_export(tmp_path):
    df = validate_persons(_office_persons())
    text = write_table(df, tmp_path / "p.csv").read_text(encoding="utf-8-sig")
    assert "13812345678" not in text and "138****5678" in text
    assert read_table(write_table(df, tmp_path / "raw.csv", raw_ids=True)).loc[0, "phone"] == "13812345678"
