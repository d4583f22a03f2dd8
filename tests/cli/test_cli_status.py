"""Honest statuses: the first output line and the exit code say whether there is a plan and how good it is."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from jhmatch.cli import main
from jhmatch.optimize import Status


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    folder = tmp_path_factory.mktemp("city")
    assert main(["scenario", str(folder), "-n", "400", "--seed", "11", "-q"]) == 0
    return folder


def _allocate(city, out, *args):
    return main(["allocate", str(city / "persons.csv"), str(city / "posts.csv"), "--out", str(out),
                 "--no-report", "-q", *args])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_time_limited_allocation_says_so_first_and_exits_non_zero(city, tmp_path, capsys, lang):
    code = _allocate(city, tmp_path, "--method", "milp", "--time-limit", "0.01", "--lang", lang)
    first = capsys.readouterr().out.splitlines()[0]
    assert code in (3, 4)
    if code == 4:  # stopped before any feasible allocation: nothing is presented as a plan
        assert first.startswith("no plan: time limit reached" if lang == "en" else "未得到计划：达到时间上限")
    else:
        assert first.startswith("plan not solved to optimality: time limit reached" if lang == "en"
                                else "计划未完成求解：达到时间上限")


def test_heuristic_plan_is_not_called_optimal(city, tmp_path, capsys):
    assert _allocate(city, tmp_path, "--method", "greedy") == 3
    assert capsys.readouterr().out.splitlines()[0].startswith("plan not proven optimal")


def test_optimal_plan_exits_0_and_says_optimal(city, tmp_path, capsys):
    assert _allocate(city, tmp_path, "--lang", "zh") == 0
    assert capsys.readouterr().out.splitlines()[0] == "计划已求得最优方案"


def test_exit_codes_are_documented_in_help(capsys):
    assert main(["allocate", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "3 feasible plan not proven optimal" in text and "4 no plan" in text


def test_demo_never_writes_an_all_zero_reserved_plan(tmp_path, capsys, monkeypatch):
    import jhmatch.pipeline

    def stopped(persons, posts, scores=None, **kw):
        zeros = pd.DataFrame({"county": ["330782"], "kind": ["tobacco_outlet"], "sites_opened": [0],
                              "posts_filled": [0]})
        return SimpleNamespace(status=Status.TIME_LIMIT, message="time limit reached in 60.00s",
                               objective=float("nan"), bound=None, gap=None, by_county=zeros,
                               sites=zeros, assignments=zeros.iloc[:0], targets=zeros.iloc[:0])

    monkeypatch.setattr(jhmatch.pipeline, "plan_posts", stopped)
    code = main(["demo", "--out", str(tmp_path), "-n", "300", "-q"])
    lines = capsys.readouterr().out.splitlines()
    assert code == 4
    assert lines[0] == "plan: optimal"
    assert lines[1].startswith("no reserved-post plan: time limit reached")
    assert not (tmp_path / "reserved_posts.csv").exists() and not (tmp_path / "reserved_sites.csv").exists()
