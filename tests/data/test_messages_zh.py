"""Messages in the planner's language: a bad Chinese office file validated under ``language("zh")``
produces no English sentence; English messages stay as they were."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from jhmatch.data.ids import parse_certificate, parse_resident_id
from jhmatch.data.io import read_table
from jhmatch.data.schema import validate_employers, validate_households, validate_persons, validate_posts
from jhmatch.data.table import table_warnings
from jhmatch.errors import IdNumberError, ParameterError, SchemaError, UnknownLabelError
from jhmatch.i18n import language
from jhmatch.rules import load_rules
from jhmatch.taxonomy import DisabilityCategory, education_level, post_kind, region

# Product names and format names a Chinese message may keep in Latin letters.
ALLOWED = {"excel", "wps", "csv", "toml", "gbk", "utf", "jhmatch", "pip", "true", "false", "map", "xlsx", "xls",
           "txt", "tsv", "parquet", "csco", "pandas", "dataframe", "person", "post", "a", "b"}


def english_words(text: str, allowed: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """Latin words left once quoted values, file paths, options and bracketed canonical names are removed."""
    text = re.sub(r"'[^'\n]*'|\"[^\"\n]*\"", " ", text)           # values and headers as written
    text = re.sub(r"\S*[/\\]\S*\.(csv|xlsx|toml|txt|parquet)", " ", text)  # file paths
    text = re.sub(r"\S+\.(csv|xlsx|toml|parquet)", " ", text)
    text = re.sub(r"--map \S+", " ", text)                       # an option to type as it is
    text = re.sub(r"[（(][A-Za-z0-9_ ,./-]+[）)]", " ", text)   # canonical names in brackets
    text = re.sub(r"\b\w+\s*=\s*\S+", " ", text)                  # a TOML entry quoted from the file
    words = re.findall(r"[A-Za-z][A-Za-z_]+", text)
    return [w for w in words if w.lower() not in ALLOWED | {a.lower() for a in allowed} and "_" not in w]


OFFICE_PERSONS = pd.DataFrame({
    "序号": ["1", "2", "3", "4", "5"],
    "人员编号": ["p1", "p1", "p3", "p4", "p5"],
    "姓名": ["张三", "李四", "王五", "赵六", "钱七"],
    "身份证号码（18位）": ["330782199001011232", "33078219900101123X", "330782199001011", "330782203001011238",
                     "330782199001011232"],
    "残疾类别": ["肢体", "火星", "视力", "", "精神"],
    "残疾等级": ["二级", "五级", "一级", "三级", "二级"],
    "所在地区": ["义乌", "北京", "东阳", "兰溪", "义乌"],
    "年龄": ["35", "abc", "200", "30", "1.5"],
    "出生日期": ["1990-01-01", "2024-13-01", "1990/1/1", "1990-01-01", "1990-01-01"],
    "是否低保": ["是", "也许", "否", "否", "否"],
    "文化程度": ["大专", "博士后", "本科", "初中", "初中"],
    "意向岗位": ["云客服", "飞行员", "", "", ""],
    "多重残疾类别": ["", "", "", "", "视力"],
    "肢体部位": ["左手", "", "", "", ""],
    "性别": ["男", "未知", "男", "男", "男"],
    "户籍地址": ["稠城街道", "", "", "", ""],
})


def _problems_zh(validate, frame: pd.DataFrame, file: str) -> str:
    with language("zh"), pytest.raises(SchemaError) as info:
        validate(frame, file=file)
    with language("zh"):
        return str(info.value)


def test_bad_office_persons_file_has_no_english_sentence():
    text = _problems_zh(validate_persons, OFFICE_PERSONS, "求职登记.csv")
    assert "求职人员表" in text and "第 2 行" in text and "'所在地区' 列（county）" in text
    assert "婺城区、金东区" in text  # accepted counties by name
    assert "视力、听力、言语、肢体" in text  # accepted categories in Chinese
    assert "一级、二级、三级、四级" in text
    assert english_words(text) == [], text


def test_bad_office_posts_employers_households_have_no_english_sentence():
    posts = pd.DataFrame({"岗位编号": ["q1", "=q2"], "岗位类型": ["宇航员", "公益性岗位"], "县市区": ["义乌", "火星"],
                          "招聘人数": ["-3", "2.5"], "合理便利": ["飞毯", ""], "学历要求": ["x", "不限"],
                          "月薪（元）": ["abc", "inf"], "职业代码": ["12", ""], "最低年龄": ["40", ""],
                          "最高年龄": ["30", ""], "危害因素": ["魔法", ""], "证书要求": ["飞行执照", ""]})
    employers = pd.DataFrame({"单位编号": ["e1", "e1"], "县市区": ["义乌", "东阳"], "在职职工人数": ["10", "x"],
                              "残疾职工人数": ["20", "1"], "重度残疾职工人数": ["30", "0"], "是否企业": ["maybe", "是"]})
    households = pd.DataFrame({"户号": ["h1", "h1"], "县市区": ["义乌", ""], "家庭人口": ["0", "2"]})
    for validate, frame, name in ((validate_posts, posts, "岗位.csv"), (validate_employers, employers, "单位.csv"),
                                  (validate_households, households, "家庭.csv")):
        text = _problems_zh(validate, frame, name)
        assert english_words(text) == [], text


def test_warnings_in_chinese():
    frame = pd.DataFrame({"序号": ["1"], "编号": ["p1"], "残疾类别": ["视力"], "残疾等级": ["二级"], "户籍地址": ["x"]})
    with language("zh"):
        df = validate_persons(frame, file="求职.csv")
        notes = [str(w) for w in table_warnings(df)]
        posts = validate_posts(pd.DataFrame({"岗位编号": ["q1"], "岗位类型": ["公益性岗位"], "县市区": ["义乌"],
                                             "招聘人数": ["1"]}))
        notes += [str(w) for w in table_warnings(posts)]
    assert any("未使用" in n for n in notes) and any("序号为行号" in n for n in notes)
    assert any("缺少关键列 县市区（county）" in n or "缺少关键列 县市区 (county)" in n for n in notes)
    assert any("1 行填的是 '公益性岗位'" in n for n in notes)
    for note in notes:
        assert english_words(note) == [], note


def test_unknown_labels_list_accepted_values_in_chinese():
    with language("zh"):
        with pytest.raises(UnknownLabelError) as cat:
            DisabilityCategory.parse("火星")
        with pytest.raises(UnknownLabelError) as reg:
            region("北京")
        with pytest.raises(UnknownLabelError) as kind:
            post_kind("宇航员")
        with pytest.raises(UnknownLabelError) as edu:
            education_level("博士后")
        texts = [str(e.value) for e in (cat, reg, kind, edu)]
    assert texts[0].startswith("无法识别的残疾类别：'火星'；可填：视力、听力、言语、肢体")
    assert "义乌市" in texts[1] and "330782" not in texts[1]
    assert "烟草制品零售点" in texts[2] and "研究生" in texts[3]
    for t in texts:
        assert english_words(t) == [], t
    with pytest.raises(UnknownLabelError, match="unknown region: '北京'; accepted: 330702 婺城"):
        region("北京")  # English as before


def test_id_number_errors_in_chinese_and_masked():
    with language("zh"):
        with pytest.raises(IdNumberError) as rid:
            parse_resident_id("330782199001011233")
        with pytest.raises(IdNumberError) as cert:
            parse_certificate("33078219900101123299")
    assert str(rid.value) == "身份证号 '330*************33' 无效：校验位是 3，应为 9"
    assert "残疾证号" in str(cert.value) and "330782199001011232" not in str(cert.value)


def test_rules_file_errors_in_chinese(tmp_path):
    p = tmp_path / "规则.toml"
    p.write_text('[priority]\ngraduates = 0.2\n\n[[constraint]]\ntype = "RegionFloors"\n\n'
                 '[[constraint]]\ntype = "RegionFloor"\nrate = 30\nhard = "false"\npenalty = inf\n', encoding="utf-8")
    with language("zh"), pytest.raises(ParameterError) as info:
        load_rules(p)
    with language("zh"):
        text = str(info.value)
    assert text.startswith("规则文件") and "是否想写 0.30（即 30%）？" in text and "是否想写 'graduate'" in text
    assert all("规则.toml" in line for line in text.splitlines())
    from jhmatch.rules import _constraint_classes

    accepted = {*_constraint_classes(), "RegionFloors", "priority", "constraint",
                "base", "graduate", "household", "low", "income", "difficulty", "type", "rate", "hard", "penalty",
                "name"}
    assert english_words(text, accepted) == [], text


def test_file_level_errors_in_chinese(tmp_path):
    empty = tmp_path / "空.csv"
    empty.write_bytes(b"")
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"PK\x03\x04 cut short")
    for path in (empty, broken, tmp_path / "无.csv"):
        with language("zh"), pytest.raises(SchemaError) as info:
            read_table(path)
        with language("zh"):
            text = str(info.value)
        assert "文件" in text and path.name in text
        assert english_words(text) == [], text


def test_the_whole_bad_input_corpus_in_chinese_keeps_only_names_in_latin_letters():
    """Every bad file (tables and rules) refused in Chinese: Latin letters only for names a planner types.

    What may stay: TOML keys, sections and constraint types (they are typed as they are), encodings and
    the English aliases listed among the accepted headers.
    """
    import sys
    from pathlib import Path

    import jhmatch.optimize as opt
    from jhmatch.errors import JhmatchError
    from jhmatch.rules import _constraint_classes, _fields

    sys.path.insert(0, str(Path(__file__).parent))
    from test_bad_inputs import CASES, _run

    names = {"priority", "constraint", "type", "targets", "person", "seeker", "id", "gb", "utf"}
    names |= set(_constraint_classes()) | {f for c in _constraint_classes().values() for f in _fields(c)}
    names |= set(_fields(opt.PriorityWeights)) | {"maximun"}
    for case in CASES:
        with language("zh"), pytest.raises(JhmatchError) as info:
            _run(case)
        with language("zh"):
            text = str(info.value)
        assert english_words(text, names) == [], text


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_bad_office_file_from_disk_in_chinese(tmp_path, suffix):
    """A GBK CSV and a workbook with a title row, as offices send them, refused in Chinese with Excel's rows."""
    path = tmp_path / f"求职登记.{suffix}"
    if suffix == "csv":
        title = "金华市残疾人求职登记表" + "," * (OFFICE_PERSONS.shape[1] - 1) + "\n"
        path.write_bytes((title + OFFICE_PERSONS.to_csv(index=False)).encode("gbk"))
    else:
        openpyxl = pytest.importorskip("openpyxl")
        wb = openpyxl.Workbook()
        ws = wb.active
        ws["A1"] = "金华市残疾人求职登记表"
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=OFFICE_PERSONS.shape[1])
        ws.append(list(OFFICE_PERSONS.columns))
        for row in OFFICE_PERSONS.itertuples(index=False):
            ws.append(list(row))
        wb.save(path)
    with language("zh"), pytest.raises(SchemaError) as info:
        validate_persons(read_table(path))
    with language("zh"):
        text = str(info.value)
    assert "第 3 行" in text and "'所在地区' 列（county）" in text  # the rows Excel shows: title, header, data
    assert "北京" in text and "330782199001011232" not in text
    assert english_words(text) == [], text
