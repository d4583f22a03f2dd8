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
