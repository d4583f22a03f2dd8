"""OR-Library reference instances with published optima, reproduced exactly.

Assignment (Beasley): all 12 instances, as minimum-cost perfect assignments.
Costs c become scores (K - c) / K in (0, 1] with K = max(c) + 1 and every person
must be placed, so the optimal cost is ``K * (n - objective)``.

GAP type c (OR-Library gap1..gap12, 60 instances, maximisation): jobs are
persons, agents are posts with budget b(i); a job uses r(i, j) of its agent's
budget (weighted capacity); every job must be placed; scores are c / max(c).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from jhmatch.matching.score_matrix import ScoreMatrix
from jhmatch.optimize import AllocationProblem, PlacementGuarantee, Status, solve

ASSIGN = {"assign100": 305, "assign200": 475, "assign300": 626, "assign400": 804, "assign500": 991,
          "assign600": 1176, "assign700": 1362, "assign800": 1552, "assignp800": 2239, "assignp1500": 5839,
          "assignp3000": 18696, "assignp5000": 48533}
GAP_SIZES = ["c0515", "c0520", "c0525", "c0530", "c0824", "c0832", "c0840", "c0848",
             "c1030", "c1040", "c1050", "c1060"]


def _read_assign(path: Path) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    tokens = np.array(path.read_text().split(), dtype=np.int64)
    n = int(tokens[0])
    if path.name.startswith("assignp"):
        t = tokens[1:].reshape(-1, 3)
        return n, t[:, 0] - 1, t[:, 1] - 1, t[:, 2]
    cost = tokens[1:1 + n * n].reshape(n, n)
    i, j = np.indices((n, n))
    return n, i.ravel(), j.ravel(), cost.ravel()


def _assign_problem(path: Path) -> tuple[AllocationProblem, int]:
    n, i, j, c = _read_assign(path)
    k = int(c.max()) + 1
    scores = sp.csr_array(((k - c) / k, (i, j)), shape=(n, n))
    sm = ScoreMatrix(scores, np.arange(n), np.arange(n))
    return AllocationProblem(sm, np.ones(n), constraints=(PlacementGuarantee(list(range(n))),)), k


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(ASSIGN))
def test_orlib_assignment_flow(shared_file, name: str) -> None:
    problem, k = _assign_problem(shared_file("benchmarks", "orlib-assign", f"{name}.txt"))
    result = solve(problem, method="flow")
    assert result.status is Status.OPTIMAL
    assert result.n_placed == problem.n_persons
    assert round(k * (problem.n_persons - result.objective)) == ASSIGN[name]


@pytest.mark.parametrize("name", ["assign100", "assign400"])
def test_orlib_assignment_lap_without_guarantee(shared_file, name: str) -> None:
    # dense complete instances: a maximum-value assignment with positive values is perfect anyway
    problem, k = _assign_problem(shared_file("benchmarks", "orlib-assign", f"{name}.txt"))
    result = solve(problem.replace_constraints(()), method="lap")
    assert result.n_placed == problem.n_persons
    assert round(k * (problem.n_persons - result.objective)) == ASSIGN[name]


def _read_gap_file(path: Path) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    tokens = np.array(path.read_text().split(), dtype=np.int64)
    count, pos, out = int(tokens[0]), 1, []
    for _ in range(count):
        m, n = int(tokens[pos]), int(tokens[pos + 1])
        pos += 2
        cost = tokens[pos:pos + m * n].reshape(m, n)
        pos += m * n
        use = tokens[pos:pos + m * n].reshape(m, n)
        pos += m * n
        cap = tokens[pos:pos + m]
        pos += m
        out.append((cost, use, cap))
    return out


def _gap_optima(shared_dir: Path) -> dict[str, int]:
    table = pd.read_csv(shared_dir / "benchmarks" / "orlib-gap" / "bounds.txt", sep="\t", header=None,
                        names=["name", "lb", "ub"])
    exact = table[table["lb"] == table["ub"]]
    return dict(zip(exact["name"], exact["lb"].astype(int)))


def _gap_problem(cost: np.ndarray, use: np.ndarray, cap: np.ndarray) -> tuple[AllocationProblem, int]:
    m, n = cost.shape
    top = int(cost.max())
    scores = sp.csr_array(cost.T / top)  # persons = jobs (rows), posts = agents
    usage = sp.csr_array(use.T.astype(float))
    sm = ScoreMatrix(scores, np.arange(n), np.arange(m))
    return AllocationProblem(sm, cap.astype(float), usage=usage,
                             constraints=(PlacementGuarantee(list(range(n))),)), top


@pytest.mark.slow
@pytest.mark.parametrize("k", range(1, 13))
def test_orlib_gap_type_c(shared_dir: Path, shared_file, k: int) -> None:
    optima = _gap_optima(shared_dir)
    instances = _read_gap_file(shared_file("benchmarks", "orlib-gap", "raw", f"gap{k}.txt"))
    assert len(instances) == 5
    for idx, (cost, use, cap) in enumerate(instances, start=1):
        problem, top = _gap_problem(cost, use, cap)
        result = solve(problem)  # auto: weighted capacity -> milp
        assert result.backend == "milp" and result.status is Status.OPTIMAL
        assert result.n_placed == problem.n_persons
        used = np.bincount(problem.pair_post[result.selected], weights=problem.pair_usage[result.selected],
                           minlength=problem.n_posts)
        assert (used <= cap).all()
        assert round(top * result.objective) == optima[f"{GAP_SIZES[k - 1]}_{idx}_Max"]
