"""The report opens with the plan's status and the headline results; solver details come last."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pandas as pd
import pytest

pytest.importorskip("matplotlib")
pytest.importorskip("jinja2")

from jhmatch.optimize import Status
from jhmatch.report import write_report


def _case(status, objective, gap):
    persons = pd.DataFrame({"person_id": ["p1", "p2", "p3", "p4"], "county": ["330782"] * 4,
                            "category": ["physical"] * 4, "willing": [True, True, True, False],
                            "employed": [False, False, False, False]})
    posts = pd.DataFrame({"post_id": ["q1"], "kind": ["cloud_review"], "capacity": [3]})
    placed = ["p1", "p2"] if objective == objective else []
    allocation = SimpleNamespace(
        assignments=pd.DataFrame({"person_id": placed, "post_id": ["q1"] * len(placed)}),
        unplaced=pd.DataFrame({"person_id": ["p3"], "reason": ["capacity taken"]}),
        status=status, backend="milp", objective=objective, bound=2.5, gap=gap, solve_time=155.86,
        message="time limit reached")
    return allocation, persons, posts


def _first_paragraph(html):
    return re.search(r"<p[^>]*>(.*?)</p>", html, re.S).group(1)


def test_time_limited_plan_says_so_in_the_first_paragraph(tmp_path):
    allocation, persons, posts = _case(Status.TIME_LIMIT, 2.0, 0.25)
    html = write_report(tmp_path, allocation, persons, posts, lang="zh").read_text(encoding="utf-8")
    assert _first_paragraph(html) == "计划未完成求解：达到时间上限（155.9 秒），以下为可行但非最优的方案（差距 25.0%）"


def test_no_plan_is_not_presented_as_a_plan(tmp_path):
    allocation, persons, posts = _case(Status.TIME_LIMIT, float("nan"), None)
    html = write_report(tmp_path, allocation, persons, posts).read_text(encoding="utf-8")
    assert _first_paragraph(html).startswith("no plan: time limit reached (155.9 s) before any feasible allocation")


def test_headline_first_solver_details_last_seekers_only(tmp_path):
    allocation, persons, posts = _case(Status.OPTIMAL, 2.0, 0.0)
    targets = pd.DataFrame({"target": ["new_jobs", "welfare_posts"], "value": [2, 0], "goal": [1, 1],
                            "status": ["met", "not met"]})
    html = write_report(tmp_path, allocation, persons, posts, targets=targets).read_text(encoding="utf-8")
    assert _first_paragraph(html) == "plan: optimal"
    # p4 does not want work: 2 placed of 3 seekers, not of 4 persons
    assert "Placed 2 of 3 seekers (66.7%). Plan targets met: 1 of 2." in html
    order = [html.index(s) for s in ("Placed 2 of 3", "<h2>Placements by county", "<h2>Plan targets",
                                     "<h2>Persons not placed", "<h2>Solver details")]
    assert order == sorted(order)
