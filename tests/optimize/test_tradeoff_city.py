"""The tradeoff on a small synthetic city built the way the command builds it, and the command itself.

Every point is re-checked from the allocation's assignments against the problem's rules (one post
each, capacities, candidate pairs only) and the fairness floor, counted from the persons table.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from typer.testing import CliRunner

from jhmatch._cli_tradeoff import tradeoff_problem
from jhmatch.cli import app
from jhmatch.datasets import make_jinhua
from jhmatch.optimize import Status
from jhmatch.optimize.tradeoff import lift_groups, tradeoff
from jhmatch.report.tradeoff import points_table


@pytest.fixture(scope="module")
def city_problem():
    city = make_jinhua(n_persons=500, n_posts=75, seed=3)
    return tradeoff_problem(city.persons, city.posts)


def check_plan(problem, allocation, floor: float | None, by: str) -> float:
    """Assignments keep the rules and the floor; returns the worst group's ratio (from the definition)."""
    a = allocation.assignments
    assert not a["person_id"].duplicated().any()
    pairs = set(zip(problem.scores.person_ids[problem.pair_person], problem.scores.post_ids[problem.pair_post]))
    assert all((p, q) in pairs for p, q in zip(a["person_id"], a["post_id"]))
    used = a["post_id"].value_counts()
    cap = pd.Series(problem.capacities, index=problem.scores.post_ids)
    assert (used <= cap.reindex(used.index)).all()
    persons = problem.persons.set_index("person_id")
    seekers = persons[persons["willing"].astype(bool)]
    placed = seekers.index.isin(a["person_id"])
    city = placed.sum() / len(seekers)
    rates = pd.Series(placed, index=seekers.index).groupby(seekers[by].astype(str)).mean()
    ratio = rates.min() / city
    if floor is not None and not math.isnan(floor):
        assert ratio >= floor - 1e-9
    return float(ratio)


def test_every_point_of_a_city_curve_is_feasible_and_proven(city_problem) -> None:
    gap = 1e-4
    curve = tradeoff(city_problem, points=10, gap=gap, time_limit=120)
    assert len(curve.points) == 11
    prev = math.inf
    for p in curve.points:
        assert p.status is Status.OPTIMAL, p.message
        assert p.bound >= p.objective - 1e-9 and p.gap <= gap
        assert check_plan(city_problem, p.allocation, p.floor, "county") == pytest.approx(p.ratio)
        assert p.objective <= prev + 1e-9
        prev = p.objective
    assert curve.points[-1].floor == pytest.approx(curve.r_max)
    assert curve.one_percent.point.objective >= 0.99 * curve.z0
    table = points_table(curve)
    assert len(table) == 11


def test_category_curve_and_mountain_lift(city_problem) -> None:
    curve = tradeoff(city_problem, by="category", points=3, gap=1e-4, time_limit=120)
    for p in curve.points:
        check_plan(city_problem, p.allocation, p.floor, "category")
    lift = lift_groups(city_problem, gap=1e-4, time_limit=60)
    assert lift.groups == ("330723", "330727")
    persons = city_problem.persons.set_index("person_id")
    seekers = persons[persons["willing"].astype(bool)]
    placed = seekers.index.isin(lift.lifted.allocation.assignments["person_id"])
    city = placed.mean()
    for code in lift.groups:
        assert placed[(seekers["county"] == code).to_numpy()].mean() >= city - 1e-9
    assert lift.lost_low - 1e-9 <= lift.lost <= lift.lost_high + 1e-9


def test_command_writes_table_and_report(tmp_path) -> None:
    result = CliRunner().invoke(app, ["tradeoff", "--demo", "--persons", "300", "--points", "3", "--lang", "zh",
                                      "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    lines = [x for x in result.output.splitlines() if not x.startswith("正在")]  # progress goes to stderr
    assert lines[0].startswith("共 4 个点"), lines[0]  # the status first: how many points, how many proven
    assert "下限" in result.output and "最差县" in result.output and "拐点" in result.output
    assert (tmp_path / "tradeoff.csv").exists()
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "均衡的代价" in html and "data:image/png" in html


def test_command_refuses_bad_options(tmp_path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["tradeoff", "--demo", "--by", "grade", "--out", str(tmp_path)]).exit_code == 2
    assert runner.invoke(app, ["tradeoff", "--out", str(tmp_path)]).exit_code == 2
    assert runner.invoke(app, ["tradeoff", "--demo", "--points", "0", "--out", str(tmp_path)]).exit_code == 2


def test_a_short_clock_never_claims_a_proof(city_problem) -> None:
    """Points cut short say so; a point called optimal is proven within the gap; every plan is feasible."""
    gap = 1e-6
    curve = tradeoff(city_problem, points=10, gap=gap, time_limit=1.0)
    for p in curve.points:
        if p.status is Status.OPTIMAL:
            assert p.gap <= gap and p.bound >= p.objective - 1e-9
        else:
            assert p.status in (Status.TIME_LIMIT, Status.FEASIBLE)
        if p.has_plan:
            check_plan(city_problem, p.allocation, p.floor, "county")
            if p.bound is not None:
                assert p.bound >= p.objective - 1e-9
