"""Excel as it is: row numbers as the spreadsheet shows them, sheets, .xls, IDs stored as numbers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from jhmatch.cli import main
from jhmatch.data.ids import check_character
from jhmatch.data.io import read_table, source_rows
from jhmatch.data.schema import validate_persons
from jhmatch.errors import SchemaError

openpyxl = pytest.importorskip("openpyxl")
OFFICE = Path(__file__).parent / "office"
ID = "33078219900101123" + check_character("33078219900101123")


def _workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "求职登记"
    ws["A1"] = "金华市残疾人求职登记表"  # a title row above the header
    ws.append(["人员编号", "身份证号码", "残疾类别", "残疾等级", "所在地区"])
    ws.append(["p1", ID, "视力", "二级", "义乌"])
    ws.append([])  # a blank row in the middle
    ws.append(["p2", 330782199001011239, "肢体", "三级", "北京"])  # an ID typed into a number cell
    notes = wb.create_sheet("说明")
    notes.append(["填表说明"])
    notes.append(["身份证号码请设为文本格式"])
    wb.save(path)
    return path


def test_rows_are_numbered_as_excel_shows_them(tmp_path):
    frame = read_table(_workbook(tmp_path / "persons.xlsx"))
    assert source_rows(frame).tolist() == [3, 5]
    with pytest.raises(SchemaError) as info:
        validate_persons(frame)
    found = {(p.row, p.column) for p in info.value.problems}
    assert found == {(5, "county"), (5, "id_number")}
    assert "persons.xlsx, row 5, column 'county'" in str(info.value)


def test_csv_rows_count_the_header_and_blank_lines(tmp_path):
    p = tmp_path / "persons.csv"
    p.write_text("\n人员编号,残疾类别,残疾等级,所在地区\np1,视力,二级,义乌\n\np2,视力,二级,火星\n", encoding="gbk")
    with pytest.raises(SchemaError, match=r"persons\.csv, row 5, column 'county'"):
        validate_persons(read_table(p))


def test_filtered_tables_fall_back_to_data_rows(tmp_path):
    frame = read_table(_workbook(tmp_path / "persons.xlsx"))
    assert source_rows(frame.iloc[1:]) is None
    assert source_rows(frame.iloc[::-1].reset_index(drop=True)) is not None  # same shape: trusted as is


def test_id_stored_as_a_number_is_explained(tmp_path):
    with pytest.raises(SchemaError) as info:
        validate_persons(read_table(_workbook(tmp_path / "persons.xlsx")))
    (problem,) = [p for p in info.value.problems if p.column == "id_number"]
    assert "Excel stored this ID as a number and lost digits" in problem.expected
    assert "format the column as text" in problem.expected and "文本" in problem.expected
    assert "check character" not in problem.expected


def test_id_in_scientific_notation_in_a_csv_is_explained(tmp_path):
    p = tmp_path / "persons.csv"
    p.write_text(f"person_id,id_number,category,grade\na,{ID},visual,2\nb,3.30782199001011E+17,visual,2\n")
    with pytest.raises(SchemaError, match=r"row 3, column 'id_number'.*Excel stored this ID as a number"):
        validate_persons(read_table(p))


def test_integer_ids_in_memory():
    base = {"person_id": ["a"], "category": ["visual"], "grade": [2]}
    assert validate_persons(pd.DataFrame({**base, "id_number": [int(ID)]})).loc[0, "id_number"] == ID
    with pytest.raises(SchemaError, match="stored as a number"):
        validate_persons(pd.DataFrame({**base, "id_number": [int(ID[:-1] + "0")]}))


def test_sheet_by_name_and_a_readable_error_for_a_wrong_one(tmp_path):
    path = _workbook(tmp_path / "persons.xlsx")
    assert read_table(path, sheet="说明").columns.tolist() == ["填表说明"]
    with pytest.raises(SchemaError, match="a sheet of the workbook: 求职登记, 说明"):
        read_table(path, sheet="Sheet1")


def test_cli_sheet_option(tmp_path, capsys):
    path = _workbook(tmp_path / "persons.xlsx")
    assert main(["validate", str(path), "--sheet", "求职登记"]) == 2
    err = capsys.readouterr().err
    assert "row 5, column 'county'" in err and "Traceback" not in err
    assert main(["validate", str(path), "--sheet", "没有这张表"]) == 2
    assert "a sheet of the workbook" in capsys.readouterr().err


def test_xls_files_are_read():
    pytest.importorskip("python_calamine")
    path = OFFICE / "persons.xls"  # written with xlwt (BIFF8): a notes sheet first, a title row, an ID as a number
    frame = read_table(path, sheet="求职登记")
    with pytest.raises(SchemaError) as info:
        validate_persons(frame)
    found = {(p.row, p.column) for p in info.value.problems}
    assert found == {(4, "id_number"), (5, "county")}
    assert "persons.xls, row 4" in str(info.value)


BAD = Path(__file__).parent / "bad"


def test_first_visible_sheet_by_default_with_a_note():
    from jhmatch.data.excel import sheet_names
    from jhmatch.data.table import table_warnings

    path = BAD / "x05_hidden_first_sheet.xlsx"
    assert sheet_names(path) == [("旧版", False), ("2025年登记", True)]
    frame = read_table(path)
    assert frame["编号"].tolist() == ["n1", "n2"]
    assert read_table(path, sheet=0)["编号"].tolist() == ["o1"]  # asked for by position: the hidden one
    ok = validate_persons(frame.iloc[:1].copy())
    notes = [w for w in table_warnings(ok) if w.code == "read"]
    assert len(notes) == 1 and "'旧版'" in str(notes[0]) and "--sheet" in str(notes[0])


def test_header_of_two_rows_with_merged_cells_is_combined():
    frame = read_table(BAD / "x06_merged_two_row_header_bad_id.xlsx")
    assert list(frame.columns) == ["编号", "身份证号", "类别", "等级", "县市区"]
    assert frame.attrs["header_rows"] == [2, 3] and source_rows(frame).tolist() == [4, 5]


def test_repeated_child_names_keep_their_group(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "编号"
    ws.merge_cells("A1:A2")
    ws["B1"] = "本人"
    ws.merge_cells("B1:C1")
    ws["D1"] = "监护人"
    ws.merge_cells("D1:E1")
    ws["B2"], ws["C2"], ws["D2"], ws["E2"] = "姓名", "电话", "姓名", "电话"
    ws.append(["p1", "张", "1", "李", "2"])
    wb.save(tmp_path / "h.xlsx")
    assert list(read_table(tmp_path / "h.xlsx").columns) == ["编号", "本人姓名", "本人电话", "监护人姓名", "监护人电话"]


def test_merged_data_cells_are_read_as_excel_shows_them_with_a_note():
    from jhmatch.data.schema import validate_posts

    frame = read_table(BAD / "x08_merged_county_over_rows.xlsx")
    assert frame["县市区"].tolist() == ["杭州", "杭州", "杭州", "义乌"]
    assert any("merged cells in row(s) 2" in n for n in frame.attrs["read_notes"])
    ok = frame.assign(县市区=["东阳"] * 4)
    assert validate_posts(ok)["county"].tolist() == ["330783"] * 4


def test_many_rows_above_the_header_and_a_table_not_at_a1():
    frame = read_table(BAD / "x07_seven_rows_above_header_bad_grade.xlsx")
    assert list(frame.columns)[:2] == ["*人员编号", "*残疾类别"] and source_rows(frame).tolist() == [9, 10]
    frame = read_table(BAD / "x09_table_starts_at_c4_bad_category.xlsx")
    assert list(frame.columns) == ["人员编号", "残疾类别", "残疾等级", "县市区"] and source_rows(frame).tolist() == [5, 6]
