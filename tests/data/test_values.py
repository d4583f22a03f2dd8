"""Values as people write them: everyday post kinds, 不限, and messages that list what is accepted."""

from __future__ import annotations

import pandas as pd
import pytest

from jhmatch.data.schema import table_warnings, validate_persons, validate_posts
from jhmatch.errors import SchemaError
from jhmatch.taxonomy import post_kinds


def _posts(**cols) -> pd.DataFrame:
    n = len(next(iter(cols.values())))
    base = {"post_id": [f"q{i}" for i in range(n)], "kind": ["保洁"] * n, "county": ["义乌"] * n, "capacity": [1] * n}
    return pd.DataFrame({**base, **cols})


@pytest.mark.parametrize(("value", "code"), [
    ("企业岗位", "enterprise_post"), ("福利企业", "enterprise_post"), ("公益性岗位", "welfare_convenience"),
    ("居家就业", "ecommerce"), ("彩票销售", "lottery_outlet"),
])
def test_everyday_post_kinds_are_accepted(value, code):
    df = validate_posts(_posts(kind=[value]))
    assert df.loc[0, "kind"] == code


def test_vague_kinds_say_how_they_were_read():
    df = validate_posts(_posts(kind=["公益性岗位", "公益性岗位", "居家就业", "企业岗位"]))
    notes = [w for w in table_warnings(df) if w.code == "value_read_as"]
    assert [w.column for w in notes] == ["kind", "kind"]
    assert "2 rows with '公益性岗位': read as welfare_convenience 村社便民服务" in notes[0].message
    assert "居家就业" in notes[1].message and bool(df.loc[2, "remote"])


@pytest.mark.parametrize("value", ["不限", "无要求", "学历不限"])
def test_no_minimum_education(value):
    assert pd.isna(validate_posts(_posts(min_education=[value])).loc[0, "min_education"])


def test_unknown_kind_lists_every_kind_with_its_chinese_name():
    with pytest.raises(SchemaError) as info:
        validate_posts(_posts(kind=["保安员"]))
    msg = str(info.value)
    assert "taxonomy" not in msg and "post_kinds()" not in msg
    for kind in post_kinds():
        assert f"{kind.code} {kind.zh}" in msg


def test_unknown_preferred_kind_lists_the_kinds():
    with pytest.raises(SchemaError, match="tobacco_outlet 烟草制品零售点"):
        validate_persons(pd.DataFrame({"person_id": ["a"], "category": ["视力"], "grade": [2], "意向岗位": ["保安"]}))


def test_unknown_education_and_accommodation_list_accepted_values_in_chinese():
    with pytest.raises(SchemaError) as info:
        validate_posts(_posts(min_education=["幼儿园"], accommodations=["电梯"]))
    msg = str(info.value)
    assert "0 none 未上学" in msg and "6 postgraduate 研究生" in msg and "不限/无要求 = no minimum" in msg
    assert "step_free 无障碍通道" in msg and "screen_reader 读屏软件" in msg
