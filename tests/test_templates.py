"""Excel templates: they validate unchanged and filled in from their own drop-down lists."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import pytest

pytest.importorskip("openpyxl")

import openpyxl

from jhmatch.data import schema as sch
from jhmatch.data.io import read_table
from jhmatch.data.table import table_warnings
from jhmatch.errors import MissingDependencyError, ParameterError
from jhmatch.i18n import language
from jhmatch.taxonomy import REGIONS, post_kinds
from jhmatch.templates import TABLES, TEMPLATE_FIELDS, template_lists, write_templates

SCHEMAS = {"persons": sch.PERSONS, "posts": sch.POSTS, "employers": sch.EMPLOYERS, "households": sch.HOUSEHOLDS}
VALIDATE = {"persons": sch.validate_persons, "posts": sch.validate_posts, "employers": sch.validate_employers,
            "households": sch.validate_households}


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = {}
    for lang in ("zh", "en"):
        out[lang] = write_templates(tmp_path_factory.mktemp(lang), lang=lang)
    return out


def _validated(path: Path, table: str):
    return VALIDATE[table](read_table(path))


def _dropdowns(path: Path) -> dict[str, list[str]]:
    """Header → the values of its drop-down list, read back from the workbook."""
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    headers = {cell.column_letter: cell.value for cell in sheet[1]}
    out = {}
    for check in sheet.data_validations.dataValidation:
        ref = str(check.sqref)
        letter = ref.rstrip("0123456789:").split(":")[0].rstrip("0123456789")
        assert ref == f"{letter}2:{letter}5001"
        source, cells = check.formula1.rsplit("!", 1)
        values = book[source.strip("'")]
        first, last = cells.replace("$", "").split(":")
        out[headers[letter]] = [c[0].value for c in values[first:last]]
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("table", TABLES)
def test_template_validates_unchanged(written, lang, table):
    path = written[lang][table]
    df = _validated(path, table)
    assert len(df) == 1  # the example row only
    assert not [w for w in table_warnings(df) if w.code == "unknown_column"]
    first = df.columns[0]
    assert str(df.loc[0, first]).startswith("示例" if lang == "zh" else "example")
    assert df.loc[0, "county"] == "330782"


def test_example_rows_read_as_meant(written):
    persons = _validated(written["zh"]["persons"], "persons")
    row = persons.iloc[0]
    assert (row["category"], int(row["grade"]), row["limbs"], row["sex"]) == ("physical", 3, "lower", "M")
    assert row["birth_date"] == dt.datetime(1990, 5, 1) and row["education"] == 3
    assert row["preferred_kinds"] == "cloud_customer_service" and row["household_id"] == "示例户-001"
    posts = _validated(written["zh"]["posts"], "posts")
    assert posts.loc[0, "kind"] == "cloud_customer_service" and posts.loc[0, "hazards"] == "telephone"
    assert posts.loc[0, "employer_id"] == "示例单位-001"
    assert _validated(written["zh"]["employers"], "employers").loc[0, "employer_id"] == "示例单位-001"


def test_chinese_headers_are_schema_aliases(written):
    for table in TABLES:
        header = read_table(written["zh"][table]).columns.tolist()
        assert header == [f.zh for f in TEMPLATE_FIELDS[table]]
        for raw, field in zip(header, TEMPLATE_FIELDS[table]):
            assert SCHEMAS[table].match_header(raw) == field.column, raw
    persons = read_table(written["zh"]["persons"]).columns.tolist()
    for name in ("身份证号", "残疾证号", "残疾类别", "残疾等级", "所在县市区", "文化程度", "是否低保"):
        assert name in persons
    assert read_table(written["en"]["posts"]).columns.tolist() == [f.column for f in TEMPLATE_FIELDS["posts"]]


@pytest.mark.parametrize("table", TABLES)
def test_every_required_and_key_column_is_in_the_template(table):
    schema = SCHEMAS[table]
    names = {f.column for f in TEMPLATE_FIELDS[table]}
    wanted = {c.name for c in schema.columns if c.required} | {name for name, _ in schema.key_columns}
    assert wanted <= names
    if table == "persons":
        assert {"category", "grade", "id_number", "certificate_number"} <= names


def test_dropdown_lists(written):
    lists = _dropdowns(written["zh"]["persons"])
    assert lists["残疾类别"] == ["视力", "听力", "言语", "肢体", "智力", "精神", "多重"]
    assert lists["残疾等级"] == ["一级", "二级", "三级", "四级"]
    assert lists["所在县市区"] == [r.zh for r in REGIONS] and len(REGIONS) == 9
    assert lists["文化程度"] == ["未上学", "小学", "初中", "高中", "大专", "本科", "研究生"]
    assert lists["是否低保"] == ["是", "否"] and lists["性别"] == ["男", "女"]
    assert lists["意向岗位类型"] == [k.zh for k in post_kinds()]
    assert "叉车司机证（特种设备N1）" in lists["持有证书"] and lists["持有证书"][-1] == "无"
    posts = _dropdowns(written["zh"]["posts"])
    assert posts["岗位类型"] == [k.zh for k in post_kinds()] and "云客服" in posts["岗位类型"]
    assert posts["学历要求"][0] == "不限" and "高处作业" in posts["危害因素"]
    assert posts["县市区"] == [r.zh for r in REGIONS]
    assert set(_dropdowns(written["zh"]["employers"])) == {"县市区", "是否企业"}
    en = _dropdowns(written["en"]["persons"])
    assert en["category"][0] == "visual" and en["grade"] == ["1", "2", "3", "4"] and en["county"][6] == "Yiwu"
    # the kinds of drop-down: several values where a cell may hold a list
    book = openpyxl.load_workbook(written["zh"]["posts"])
    styles = {str(c.sqref)[0]: c.errorStyle for c in book.worksheets[0].data_validations.dataValidation}
    assert styles["C"] == "warning" and styles["O"] == "information"  # 岗位类型, 危害因素
    assert book.worksheets[2].sheet_state == "hidden"


def _fill(path: Path, table: str, lang: str, n: int) -> None:
    """Fill rows 3.. with every value of every drop-down list in turn (the example row stays)."""
    zh = lang == "zh"
    lists = template_lists()
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    col = {f.column: i for i, f in enumerate(TEMPLATE_FIELDS[table], start=1)}
    for i in range(n):
        r = i + 3
        for f in TEMPLATE_FIELDS[table]:
            if f.values and f.column != "components":
                pairs = lists[f.values]
                value = pairs[i % len(pairs)][0 if zh else 1]
                if f.multi and i % 3 == 1:  # two values in one cell
                    value += ("、" if zh else ";") + pairs[(i + 1) % len(pairs)][0 if zh else 1]
                sheet.cell(row=r, column=col[f.column], value=value)
        first = TEMPLATE_FIELDS[table][0].column
        sheet.cell(row=r, column=1, value=f"{first[:1]}{i:03d}")
        if table == "persons":
            if sheet.cell(row=r, column=col["category"]).value in ("多重", "multiple"):
                sheet.cell(row=r, column=col["components"], value="视力、听力" if zh else "visual;hearing")
            sheet.cell(row=r, column=col["name"], value="测试")
            sheet.cell(row=r, column=col["household_id"], value=f"h{i % 4}")
            if i == 0:  # an ID typed into the text-formatted column: birth date and sex follow from it
                sheet.cell(row=r, column=col["id_number"], value="11010519491231002X")
                sheet.cell(row=r, column=col["sex"]).value = None
            else:
                sheet.cell(row=r, column=col["birth_date"], value=dt.datetime(1980, 1, 1 + i % 28))
        elif table == "posts":
            for name, value in (("capacity", 1 + i % 5), ("wage", 2800.5), ("min_age", 18), ("max_age", 50),
                                ("title", "保洁员"), ("employer_id", "91330782MA00000000")):
                sheet.cell(row=r, column=col[name], value=value)
        elif table == "employers":
            for name, value in (("staff", 40 + i), ("disabled_staff", 2), ("severe_disabled_staff", i % 3),
                                ("average_wage", 65000), ("name", "测试公司")):
                sheet.cell(row=r, column=col[name], value=value)
        else:
            for name, value in (("size", 1 + i % 6), ("monthly_income", 3000 + i)):
                sheet.cell(row=r, column=col[name], value=value)
    book.save(path)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("table", TABLES)
def test_filled_from_dropdowns_validates(tmp_path, lang, table):
    path = write_templates(tmp_path, lang=lang, tables=[table])[table]
    n = max(len(v) for v in template_lists().values())
    _fill(path, table, lang, n)
    df = _validated(path, table)
    assert len(df) == n + 1
    assert df["county"].iloc[1:10].tolist() == [r.code for r in REGIONS]
    if table == "persons":
        assert int(df.loc[1, "grade"]) == 1 and df.loc[1, "sex"] == "F"  # sex from the ID number
        assert df.loc[1, "birth_date"] == dt.datetime(1949, 12, 31)
        assert set(df["category"]) == {"visual", "hearing", "speech", "physical", "intellectual", "mental",
                                       "multiple"}
        assert df.loc[2, "certificates"].count("_") == 2  # two certificates in one cell
    if table == "posts":
        assert set(df["kind"]) == {k.code for k in post_kinds()}
        assert df["min_education"].isna().sum() >= 1  # 不限: no minimum


def test_headers_have_chinese_comments_and_text_formats(written):
    sheet = openpyxl.load_workbook(written["zh"]["persons"]).worksheets[0]
    comments = {c.value: c.comment.text for c in sheet[1]}
    assert comments["残疾等级"].startswith("残疾等级，一级（最重）至四级。")
    assert "必填" in comments["人员编号"] and "从以下选择：视力、听力" in comments["残疾类别"]
    assert "留空视为“是”" in comments["就业意愿"]
    letters = {c.value: c.column_letter for c in sheet[1]}
    for header in ("人员编号", "身份证号", "残疾证号", "联系电话", "家庭编号"):
        assert sheet.column_dimensions[letters[header]].number_format == "@"
    assert sheet["A1"].font.color.rgb.endswith("C00000") and not sheet["B1"].font.color.rgb.endswith("C00000")
    en = openpyxl.load_workbook(written["en"]["persons"]).worksheets[0]
    assert en["A1"].comment.text.startswith("Unique number of the job seeker")


def test_instructions_sheet(written):
    book = openpyxl.load_workbook(written["zh"]["posts"])
    assert book.sheetnames == ["岗位", "说明", "下拉选项"]
    rows = [[c.value for c in row] for row in book["说明"].iter_rows()]
    assert rows[0][0] == "岗位模板填写说明"
    assert any("jhmatch validate 岗位模板.xlsx" in str(r[0]) for r in rows)
    table = {r[0]: r for r in rows if r[0] in {f.zh for f in TEMPLATE_FIELDS["posts"]}}
    assert set(table) == {f.zh for f in TEMPLATE_FIELDS["posts"]}
    assert table["岗位类型"][2] == "必填" and table["月薪（元）"][2] == "可不填"
    assert "云客服" in table["岗位类型"][3] and table["招聘人数"][3] == "整数，0 至 100,000"
    persons = {r[0]: r for r in openpyxl.load_workbook(written["zh"]["persons"])["说明"].iter_rows(values_only=True)}
    assert persons["残疾类别"][2] == "必填（或填写残疾证号）"
    assert persons["所在县市区"][2].startswith("建议填写")
    employers = {r[0]: r for r in openpyxl.load_workbook(written["zh"]["employers"])["说明"].iter_rows(values_only=True)}
    assert employers["安排残疾人就业人数"][3] == "整数，不小于 0；留空视为“0”"


def test_file_names_tell_the_command_line_which_table(written):
    from jhmatch._cli_tables import guess_table

    assert {t: p.name for t, p in written["zh"].items()} == {
        "persons": "求职人员模板.xlsx", "posts": "岗位模板.xlsx", "employers": "用人单位模板.xlsx",
        "households": "家庭模板.xlsx"}
    for lang in ("zh", "en"):
        for table, path in written[lang].items():
            assert guess_table(path) == table


def test_existing_files_are_kept_and_writes_are_atomic(tmp_path):
    paths = write_templates(tmp_path, tables=["households", "employers"])
    paths["households"].write_bytes(b"filled in")
    with pytest.raises(ParameterError, match=r"家庭模板\.xlsx"), language("zh"):
        write_templates(tmp_path)
    assert paths["households"].read_bytes() == b"filled in"
    assert not (tmp_path / "求职人员模板.xlsx").exists()  # nothing written when one file is in the way
    write_templates(tmp_path, overwrite=True)
    assert _validated(paths["households"], "households").loc[0, "household_id"] == "示例户-001"
    assert sorted(os.listdir(tmp_path)) == sorted(f"{n}模板.xlsx" for n in ("求职人员", "岗位", "用人单位", "家庭"))


def test_bad_arguments_and_missing_openpyxl(tmp_path, monkeypatch):
    with pytest.raises(ParameterError, match="'jobs'"):
        write_templates(tmp_path, tables=["persons", "jobs"])
    with pytest.raises(ParameterError):
        write_templates(tmp_path, lang="fr")
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(MissingDependencyError, match=r"jhmatch\[excel\]"):
        write_templates(tmp_path)
    assert not os.listdir(tmp_path)
