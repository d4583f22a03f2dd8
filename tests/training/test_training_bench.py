"""The training case of the benchmark suite: both planners, same run, same budget, sane figures."""

from __future__ import annotations

from jhmatch.bench import CASES, SUITES
from jhmatch.bench.report import headlines
from jhmatch.bench.training_case import case_training


def test_the_training_case_runs_both_planners_at_the_same_budget():
    assert "training" in CASES
    case = case_training(SUITES["tiny"], seed=0)
    t = case.table
    assert set(t["status"]) == {"ok"}
    assert t["planner"].tolist() == ["greedy most common gap", "jhmatch plan_training (MILP)"]
    assert t["budget"].nunique() == 1 and (t["budget_used"] <= t["budget"]).all()
    assert t["placed_no_training"].nunique() == 1
    greedy, plan = t.iloc[0], t.iloc[1]
    assert plan["placed"] >= greedy["placed"] >= greedy["placed_no_training"]
    (_inst, summary), = case.summary.items()
    assert summary["optimised"] == plan["placed"] and summary["greedy"] == greedy["placed"]
    assert any(line.startswith("training at") for line in headlines({"training": case}))
