"""Outputs a planner can act on: names and labels, masked IDs, workbooks, and folders written as a whole."""

from __future__ import annotations

import json
import sys
import threading

import pandas as pd
import pytest

from jhmatch.i18n import language
from jhmatch.outputs import (
    MANIFEST,
    OutputFolder,
    allocation_table,
    read_pairs,
    unplaced_table,
    write_output,
    write_workbook,
)
from privacy_scan import leaked_ids

ID = "11010519491231002X"  # a valid resident ID (GB 11643 check character)


def _tables():
    persons = pd.DataFrame({"person_id": [ID, "p2"], "name": ["=HYPERLINK(1)", "李四"], "id_number": [ID, None],
                            "county": ["330782", "330727"], "graduate": [True, False], "low_income": [True, False]})
    posts = pd.DataFrame({"post_id": ["q1"], "title": [f"保洁 {ID}"], "kind": ["tobacco_outlet"],
                          "county": ["330783"], "employer_id": ["e1"]})
    employers = pd.DataFrame({"employer_id": ["e1"], "name": ["东阳烟草"]})
    assignments = pd.DataFrame({"person_id": [ID], "post_id": ["q1"], "score": [0.71234]})
    return persons, posts, employers, assignments


def test_allocation_table_has_names_labels_and_no_raw_id():
    persons, posts, employers, assignments = _tables()
    with language("zh"):
        table = allocation_table(assignments, persons, posts, employers)
    row = table.iloc[0]
    assert row["姓名"] == "=HYPERLINK(1)" and row["用人单位"] == "东阳烟草" and row["所在县区"] == "东阳市"
    assert row["人员所在县区"] == "义乌市" and row["岗位类型"] == "烟草制品零售点"
    assert row["优先对象"] == "应届毕业生；低保" and row["匹配度"] == 0.712
    assert leaked_ids(table.to_csv()) == []


def test_unplaced_reasons_are_translated_where_a_translation_exists():
    persons, *_ = _tables()
    unplaced = pd.DataFrame({"person_id": ["p2"], "reason": ["no candidate post"]})
    with language("zh"):
        table = unplaced_table(unplaced, persons)
    assert list(table.columns) == ["人员编号", "姓名", "身份证号（已遮盖）", "人员所在县区", "优先对象", "原因"]
    assert table.loc[0, "姓名"] == "李四"


def test_workbook_one_sheet_per_table_escapes_formulas_and_masks_ids(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    persons, posts, employers, assignments = _tables()
    with language("zh"):
        table = allocation_table(assignments, persons, posts, employers)
    frame = pd.DataFrame({"=cmd": ["@SUM(A1)", f"x {ID} y", "\x01bad"], "rate": [0.5, float("nan"), float("inf")]})
    path = write_workbook({"安置名单": table, "其他": frame}, tmp_path / "out.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["安置名单", "其他"]
    ws = wb["安置名单"]
    assert [c.value for c in ws[1]][:4] == ["人员编号", "姓名", "身份证号（已遮盖）", "人员所在县区"]
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "'=HYPERLINK(1)" in values
    other = wb["其他"]
    assert other["A1"].value == "'=cmd" and other["A2"].value == "'@SUM(A1)" and other["A4"].value == "?bad"
    assert other["B2"].number_format == "0.0%" and other["B3"].value is None and other["B4"].value == "inf"
    text = "\n".join(str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row)
    assert leaked_ids(text) == []


def test_csv_output_escapes_headers_and_categoricals(tmp_path):
    frame = pd.DataFrame({"=x": pd.Categorical(["=1+1"]), "note": [f"id {ID}"]})
    text = write_output(frame, tmp_path / "t.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("'=x") and "'=1+1" in text and leaked_ids(text) == []


def test_missing_openpyxl_names_the_extra(tmp_path, monkeypatch):
    from jhmatch.errors import MissingDependencyError

    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(MissingDependencyError, match=r"jhmatch\[excel\]"):
        write_workbook({"a": pd.DataFrame({"x": [1]})}, tmp_path / "a.xlsx")
    with pytest.raises(MissingDependencyError), OutputFolder(tmp_path / "o", format="xlsx"):
        pass


def test_read_pairs_reads_both_languages(tmp_path):
    for lang in ("en", "zh"):
        persons, posts, employers, assignments = _tables()
        with language(lang):
            table = allocation_table(assignments.assign(person_id="p2"), persons, posts, employers)
        write_output(table, tmp_path / f"{lang}.csv")
        assert read_pairs(tmp_path / f"{lang}.csv").values.tolist() == [["p2", "q1"]]


def test_folder_appears_only_when_complete(tmp_path):
    with OutputFolder(tmp_path) as out:
        out.table("allocation", pd.DataFrame({"person_id": ["p1"]}))
        out.text("summary", "summary.md", "old")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with pytest.raises(RuntimeError), OutputFolder(tmp_path) as out:  # a run that fails half way
        out.table("allocation", pd.DataFrame({"person_id": ["p2"]}))
        raise RuntimeError("killed")
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # nothing changed, no temp left


def test_stale_files_of_the_previous_run_are_removed_others_kept(tmp_path):
    (tmp_path / "mine.txt").write_text("a planner's own file")
    with OutputFolder(tmp_path, run="demo") as out:
        out.table("reserved_posts", pd.DataFrame({"a": [1]}))
        out.table("allocation", pd.DataFrame({"a": [1]}))
    with OutputFolder(tmp_path, run="plan-posts") as out:
        out.table("reserved_sites", pd.DataFrame({"a": [1]}))
    with OutputFolder(tmp_path, run="demo") as out:  # this time no reserved-post plan
        out.table("allocation", pd.DataFrame({"a": [2]}))
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [".jhmatch-demo.json", ".jhmatch-plan-posts.json", "allocation.csv", "mine.txt",
                     "reserved_sites.csv"]
    assert json.loads((tmp_path / ".jhmatch-demo.json").read_text())["files"] == ["allocation.csv"]
    assert MANIFEST == ".jhmatch-run.json"


def test_concurrent_runs_into_one_folder_do_not_collide(tmp_path):
    errors: list[BaseException] = []

    def write(i: int) -> None:
        try:
            for _ in range(5):
                with OutputFolder(tmp_path) as out:
                    out.table("allocation", pd.DataFrame({"run": [i]}))
                    out.text("summary", "summary.md", f"run {i}")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(p.name for p in tmp_path.iterdir()) == [".jhmatch-run.json", "allocation.csv", "summary.md"]


def test_plan_run_writes_one_workbook(tmp_path):
    pytest.importorskip("openpyxl")
    from jhmatch.datasets import make_jinhua
    from jhmatch.pipeline import run_plan

    city = make_jinhua(n_persons=200, seed=1)
    run = run_plan(city.persons, city.posts)
    paths = run.write(tmp_path, report=False, format="xlsx", lang="zh", employers=city.employers)
    assert paths["allocation"] == paths["targets"] == tmp_path / "results.xlsx"
    sheets = pd.read_excel(tmp_path / "results.xlsx", sheet_name=None, engine="openpyxl")
    assert list(sheets) == ["安置名单", "未安置", "各县市区汇总", "计划目标", "规则"]
    assert len(sheets["安置名单"]) == run.allocation.n_placed
