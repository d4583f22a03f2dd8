"""AllocationProblem construction, weights, validation errors, time limits."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from jhmatch.data.schema import validate_persons, validate_posts
from jhmatch.errors import SchemaError, SolverError
from jhmatch.matching.score_matrix import ScoreMatrix
from jhmatch.optimize import AllocationProblem, PlacementGuarantee, PriorityWeights, Status, solve


def _sm() -> ScoreMatrix:
    return ScoreMatrix.from_frame(pd.DataFrame({
        "person_id": ["p1", "p1", "p2", "p3"], "post_id": ["q1", "q2", "q1", "q2"], "score": [0.9, 0.4, 0.7, 0.8]}))


def test_from_validated_frames_aligns_by_id() -> None:
    persons = validate_persons(pd.DataFrame({
        "编号": ["p3", "p2", "p1", "extra"], "残疾类别": ["视力", "肢体", "精神", "视力"], "等级": ["二级"] * 4,
        "县市区": ["义乌", "磐安", "婺城", "义乌"], "应届毕业生": ["否", "是", "否", "否"], "低保": ["是", "否", "否", "否"],
        "困难家庭": ["是", "否", "否", "否"]}))
    posts = validate_posts(pd.DataFrame({"post_id": ["q2", "q1"], "kind": ["云客服", "报刊亭"], "county": ["磐安", "义乌"],
                                         "capacity": [1, 2]}))
    prob = AllocationProblem.from_frames(_sm(), persons, posts)
    assert prob.persons["person_id"].tolist() == ["p1", "p2", "p3"]
    assert prob.capacities.tolist() == [2, 1]
    assert prob.weights.tolist() == pytest.approx([1.0, 1.2, 1.8])  # p2 graduate; p3 dibao + difficulty
    custom = AllocationProblem.from_frames(_sm(), persons, posts, priority=PriorityWeights(graduate=1.0))
    assert custom.weights.tolist() == pytest.approx([1.0, 2.0, 1.8])
    result = solve(prob)
    assert set(result.summaries) == {"county", "category", "kind"}
    assert result.summaries["category"]["persons"].sum() == 3


def test_missing_rows_and_bad_inputs_are_named() -> None:
    persons = pd.DataFrame({"person_id": ["p1", "p2"]})
    posts = pd.DataFrame({"post_id": ["q1", "q2"], "capacity": [1, 1]})
    with pytest.raises(SchemaError, match="p3"):
        AllocationProblem.from_frames(_sm(), persons, posts)
    with pytest.raises(SchemaError, match="capacities"):
        AllocationProblem(_sm(), [1, -1])
    with pytest.raises(SchemaError, match="one capacity per post"):
        AllocationProblem(_sm(), [1, 1, 1])
    with pytest.raises(SchemaError, match="whole number"):
        AllocationProblem(_sm(), [1.5, 1])
    with pytest.raises(SchemaError, match="weights"):
        AllocationProblem(_sm(), [1, 1], weights=[1, 0, 1])
    with pytest.raises(SchemaError, match="sparsity"):
        AllocationProblem(_sm(), [1, 1], usage=sp.csr_array(np.ones((3, 2))))
    with pytest.raises(SchemaError, match="p9"):
        solve(AllocationProblem(_sm(), [1, 1], constraints=[PlacementGuarantee(["p9"])]))


def _random_gap(seed: int, agents: int, jobs: int) -> AllocationProblem:
    rng = np.random.default_rng(seed)
    cost = rng.integers(10, 50, (agents, jobs))
    use = rng.integers(5, 25, (agents, jobs))
    cap = (0.8 * use.sum(axis=1) / agents).astype(float)
    sm = ScoreMatrix(sp.csr_array(cost.T / 50.0), np.arange(jobs), np.arange(agents))
    return AllocationProblem(sm, cap, usage=sp.csr_array(use.T.astype(float)),
                             constraints=(PlacementGuarantee(list(range(jobs))),))


def test_time_limit_is_a_status_not_optimal() -> None:
    result = solve(_random_gap(3, 20, 200), time_limit=0.2)
    assert result.status is Status.TIME_LIMIT  # never OPTIMAL without a proof
    if result.n_placed and result.bound is not None:  # a bound exists once HiGHS got that far
        assert result.bound >= result.objective - 1e-9 and result.gap >= 0
    if not result.n_placed:
        assert np.isnan(result.objective) and "before any plan" in result.message
    with pytest.raises(SolverError, match="time limit"):
        result.raise_for_status()


def test_weighted_capacity_respected_and_optimal_vs_brute_force() -> None:
    rng = np.random.default_rng(5)
    scores = np.round(rng.uniform(0.1, 1, (6, 2)), 2)
    use = rng.integers(1, 5, (6, 2)).astype(float)
    sm = ScoreMatrix(sp.csr_array(scores), np.arange(6), np.arange(2))
    prob = AllocationProblem(sm, [5.0, 4.0], usage=sp.csr_array(use))
    result = solve(prob)
    assert result.backend == "milp" and result.status is Status.OPTIMAL
    best = 0.0
    for code in range(3**6):
        c = np.array([(code // 3**k) % 3 - 1 for k in range(6)])
        load = [use[c == j, j].sum() for j in range(2)]
        if load[0] <= 5 and load[1] <= 4:
            best = max(best, sum(scores[i, c[i]] for i in range(6) if c[i] >= 0))
    assert result.objective == pytest.approx(best)


def test_unwilling_persons_are_not_placed() -> None:
    persons = pd.DataFrame({"person_id": ["p1", "p2", "p3"], "willing": [True, False, True]})
    posts = pd.DataFrame({"post_id": ["q1", "q2"], "capacity": [2, 2]})
    prob = AllocationProblem.from_frames(_sm(), persons, posts)
    assert prob.n_pairs == 3  # p2's pair dropped
    result = solve(prob)
    assert "p2" not in set(result.assignments["person_id"])
    assert result.unplaced.set_index("person_id")["reason"].to_dict() == {"p2": "not willing to work"}
    assert AllocationProblem.from_frames(_sm(), persons, posts, only_willing=False).n_pairs == 4
