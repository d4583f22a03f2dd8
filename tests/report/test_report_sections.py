"""Sections other layers add to a report: escaped, in order, atomic, status first."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jhmatch.errors import ParameterError
from jhmatch.report import ReportSection, figures, write_report, write_sections_report


def _png() -> bytes:
    with figures.figure_style():
        fig, ax = figures.pyplot().subplots()
        ax.plot([0, 1], [0, 1])
        return figures.to_png(fig)


def test_page_of_sections_in_order_with_status_table_and_figure(tmp_path):
    table = pd.DataFrame({"县": ["婺城区", "<b>磐安县</b>"], "人数": [1300, np.nan], "比例": [0.5, 0.25]})
    sections = [ReportSection("first", "培训计划", lead="一句话。", table=table, figure=_png(),
                              status="求解达到时间上限：结果可能不是最优。"),
                ReportSection("second", "第二节")]
    page = write_sections_report(tmp_path, sections, title="培训", status="状态句", lang="zh").read_text("utf-8")
    assert page.index('id="status"') < page.index('id="first"') < page.index('id="second"')
    assert "求解达到时间上限" in page and "一句话。" in page
    assert "&lt;b&gt;磐安县&lt;/b&gt;" in page and "<b>磐安县" not in page  # escaped
    assert "1,300" in page and "—" in page and "0.50" in page
    assert page.count("data:image/png;base64,") == 1
    assert 'lang="zh-CN"' in page and "身份证号、残疾证号已脱敏" in page


def test_sections_join_the_placement_report_before_solver_details(tmp_path):
    from jhmatch.datasets import make_jinhua
    from jhmatch.pipeline import run_plan

    sc = make_jinhua(200, seed=1)
    result = run_plan(sc.persons, sc.posts)
    extra = ReportSection("training", "Training", lead="after course X", table=pd.DataFrame({"a": [True]}))
    page = write_report(tmp_path, result.allocation, sc.persons, sc.posts, extra_sections=[extra]).read_text("utf-8")
    assert page.index('id="unplaced"') < page.index('id="training"') < page.index('id="solver"')
    assert "after course X" in page and "<td>yes</td>" in page


def test_ids_are_masked_and_write_is_whole(tmp_path):
    sec = ReportSection("ids", "ids", table=pd.DataFrame({"id": ["330702199001011234"]}))
    page = write_sections_report(tmp_path, [sec], title="t").read_text("utf-8")
    assert "330702199001011234" not in page
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]  # no temp file left behind


@pytest.mark.parametrize("bad", [dict(id="1x", title="t"), dict(id="a b", title="t"),
                                 dict(id="a", title="t", table=[1, 2]), dict(id="a", title="t", figure="x.png")])
def test_bad_sections_are_typed_errors(bad):
    with pytest.raises(ParameterError):
        ReportSection(**bad)


def test_duplicate_section_ids_are_refused(tmp_path):
    with pytest.raises(ParameterError, match="distinct"):
        write_sections_report(tmp_path, [ReportSection("a", "x"), ReportSection("a", "y")], title="t")
