"""The Lagrangian flow phase of the MILP backend: valid bounds, feasible solutions, infeasibility."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from jhmatch.matching.score_matrix import ScoreMatrix
from jhmatch.optimize import AllocationProblem, CategoryFloor, GraduateGuarantee, RegionFloor, Status, solve
from jhmatch.optimize.backends.milp import MilpBackend


def _instance(seed: int, n: int = 300, m: int = 30) -> tuple[ScoreMatrix, pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    mask = rng.random((n, m)) < 0.2
    i, j = np.nonzero(mask)
    sm = ScoreMatrix(sp.csr_array((np.round(rng.uniform(0.05, 1, i.size), 3), (i, j)), shape=(n, m)),
                     np.arange(n).astype(str), np.arange(m).astype(str))
    persons = pd.DataFrame({"person_id": sm.person_ids, "county": rng.choice(["330702", "330782", "330727"], n),
                            "category": rng.choice(["visual", "mental", "physical"], n, p=[0.4, 0.2, 0.4]),
                            "graduate": rng.random(n) < 0.03, "willing": True})
    posts = pd.DataFrame({"post_id": sm.post_ids, "capacity": rng.integers(1, 9, m)})
    return sm, persons, posts


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_lagrangian_phase_bounds_and_feasibility(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    sm, persons, posts = _instance(seed)
    rules = [RegionFloor(rate=0.4), CategoryFloor(rate={"mental": 0.75}), GraduateGuarantee()]
    prob = AllocationProblem.from_frames(sm, persons, posts, constraints=rules)
    exact = solve(prob, method="milp")  # small: LP / branch and bound only
    assert exact.status is Status.OPTIMAL and "Lagrangian" not in exact.message
    monkeypatch.setattr(MilpBackend, "lagrange_min_pairs", 0)
    fast = solve(prob, method="milp", gap=0.01)
    assert fast.status is Status.OPTIMAL and "Lagrangian" in fast.message
    assert fast.bound >= exact.objective - 1e-6  # a valid upper bound
    assert fast.objective <= exact.objective + 1e-6
    assert fast.objective >= (1 - 0.01) * fast.bound - 1e-9
    placed = fast.assignments.merge(persons, on="person_id")
    mental = (persons["category"] == "mental").sum()
    assert (placed["category"] == "mental").sum() >= np.ceil(0.75 * mental)


def test_network_part_infeasible_is_diagnosed(monkeypatch: pytest.MonkeyPatch) -> None:
    sm, persons, posts = _instance(3)
    rules = [RegionFloor(rate=0.99), CategoryFloor(rate={"mental": 0.5})]
    prob = AllocationProblem.from_frames(sm, persons, posts, constraints=rules)
    monkeypatch.setattr(MilpBackend, "lagrange_min_pairs", 0)
    for gap in (0.01, None):  # flow-based diagnosis in the Lagrangian phase; MILP-based otherwise
        result = solve(prob, gap=gap)
        assert result.status is Status.INFEASIBLE
        assert result.diagnosis.conflicting == ("RegionFloor",)
        assert result.diagnosis.rows["violation"].sum() > 0


@pytest.mark.parametrize("seed", [0, 4])
def test_exact_request_may_stop_at_a_flow_proof(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    sm, persons, posts = _instance(seed)
    rules = [RegionFloor(rate=0.2, hard=False, penalty=5.0), CategoryFloor(rate=0.2, hard=False, penalty=5.0),
             GraduateGuarantee()]
    prob = AllocationProblem.from_frames(sm, persons, posts, constraints=rules)
    lp = solve(prob, method="milp")  # small: LP / branch and bound, the independent reference
    monkeypatch.setattr(MilpBackend, "lagrange_min_pairs", 0)
    flow_first = solve(prob, method="milp")
    assert flow_first.status is Status.OPTIMAL and lp.status is Status.OPTIMAL
    assert "Lagrangian" in flow_first.message and "Lagrangian" not in lp.message
    assert flow_first.objective == pytest.approx(lp.objective, rel=1e-8)
    assert flow_first.gap is not None and flow_first.gap <= 1e-8
    assert not flow_first.constraints.query("hard")["violation"].any()
