"""Researchers' own competitors, missing peers, failing peers, and the independent solution check."""

from __future__ import annotations

import sys
from types import MappingProxyType

import numpy as np
import pandas as pd
import pytest

from jhmatch.bench import (
    SuiteConfig,
    check_solution,
    measure,
    random_problem,
    register_scorer,
    register_solver,
    registered_scorers,
    registered_solvers,
    run_suite,
    unregister_scorer,
    unregister_solver,
)
from jhmatch.errors import ParameterError
from jhmatch.matching import CompatibilityScorer

SMALL = SuiteConfig("small", throughput_sizes=(150,), quality_persons=300, quality_history=600,
                    solver_sizes=((60, 6, 3),), scaling_sizes=(200,))


def person_greedy(problem):
    """Each person in turn takes their best post with room left (a hand-written heuristic)."""
    left = problem.capacities.copy()
    chosen = []
    for i in range(problem.n_persons):
        idx = np.flatnonzero(problem.pair_person == i)
        for k in idx[np.argsort(-problem.values[idx])]:
            if left[problem.pair_post[k]] > 0:
                left[problem.pair_post[k]] -= 1
                chosen.append(k)
                break
    pid, qid = problem.scores.person_ids, problem.scores.post_ids
    return pd.DataFrame({"person_id": pid[problem.pair_person[chosen]], "post_id": qid[problem.pair_post[chosen]]})


@pytest.fixture
def registered():
    names: list[tuple[str, str]] = []
    yield names
    for kind, name in names:
        (unregister_solver if kind == "solver" else unregister_scorer)(name)


def test_custom_solver_appears_as_a_row(registered) -> None:
    register_solver("my greedy", person_greedy, kind="heuristic", scaling=True)
    registered.append(("solver", "my greedy"))
    result = run_suite(SMALL, out=None, cases=["solvers", "scaling"], solvers=["jhmatch flow", "my greedy"])
    row = result.table("solvers").set_index("solver").loc["my greedy"]
    assert row["status"] == "ok" and row["valid"] and row["source"] == "user"
    best = result.table("solvers").set_index("solver").loc["jhmatch flow", "objective"]
    assert 0 < row["objective"] <= best + 1e-9
    assert "my greedy" in set(result.table("scaling")["solver"])


def test_custom_solver_breaking_capacity_is_reported_invalid(registered) -> None:
    def everyone_first_choice(problem):
        return np.unique(problem.pair_person, return_index=True)[1]

    register_solver("cheat", everyone_first_choice)
    registered.append(("solver", "cheat"))
    t = run_suite(SMALL, out=None, cases=["solvers"], solvers=["jhmatch flow", "cheat"]).table("solvers")
    row = t.set_index("solver").loc["cheat"]
    assert row["status"] == "invalid" and "over capacity" in row["reason"]
    assert t.set_index("solver").loc["jhmatch flow", "optimal"]  # an invalid row never becomes the best


def test_crashing_solver_is_failed_not_fatal(registered) -> None:
    def deep(problem):
        raise RecursionError("maximum recursion depth exceeded")

    register_solver("deep", deep, kind="stable")
    registered.append(("solver", "deep"))
    t = run_suite(SMALL, out=None, cases=["solvers"], solvers=["deep", "jhmatch stable"]).table("solvers")
    row = t.set_index("solver").loc["deep"]
    assert row["status"] == "failed" and row["reason"].startswith("RecursionError")
    assert t.set_index("solver").loc["jhmatch stable", "status"] == "ok"


@pytest.mark.parametrize("module, solver", [("networkx", "networkx network simplex"),
                                            ("matching", "matching HospitalResident"),
                                            ("pulp", "CBC MILP (PuLP, plain)")])
def test_missing_peer_is_skipped_with_reason(monkeypatch: pytest.MonkeyPatch, module: str, solver: str) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # import now raises ImportError
    t = run_suite(SMALL, out=None, cases=["solvers"], solvers=["jhmatch flow", solver]).table("solvers")
    row = t.set_index("solver").loc[solver]
    assert row["status"] == "skipped"
    assert module in row["reason"] and "jhmatch[bench]" in row["reason"]
    assert t.set_index("solver").loc["jhmatch flow", "status"] == "ok"


def test_custom_scorer_appears_in_throughput_and_quality(registered) -> None:
    register_scorer("skills heavy", lambda: CompatibilityScorer(
        weights={"functional": 1, "skills": 3, "location": 1, "education": 1, "preference": 1, "age": 1}))
    registered.append(("scorer", "skills heavy"))
    result = run_suite(SMALL, out=None, cases=["throughput", "quality"], scorers=["rule", "skills heavy", "random"])
    th = result.table("throughput").set_index("scorer")
    assert th.loc["skills heavy", "status"] == "ok" and th.loc["skills heavy", "persons_per_s"] > 0
    assert "random" not in th.index  # baselines are not timed
    q = result.table("quality").set_index("scorer")
    assert q.loc["skills heavy", "status"] == "ok" and 0 <= q.loc["skills heavy", "ndcg@10"] <= 1


def test_missing_scorer_dependency_is_skipped(registered) -> None:
    register_scorer("needs torch", lambda: None, requires=("surely_not_installed_xyz",))
    registered.append(("scorer", "needs torch"))
    result = run_suite(SMALL, out=None, cases=["quality"], scorers=["needs torch"])
    row = result.table("quality").set_index("scorer").loc["needs torch"]
    assert row["status"] == "skipped" and "surely_not_installed_xyz" in row["reason"]


def test_registration_errors() -> None:
    with pytest.raises(ParameterError, match="already registered"):
        register_solver("jhmatch flow", person_greedy)
    with pytest.raises(ParameterError, match="kind"):
        register_solver("x", person_greedy, kind="fast")
    with pytest.raises(ParameterError, match="callable"):
        register_scorer("y", 42)  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="no solver"):
        unregister_solver("never registered")
    assert "x" not in registered_solvers() and "y" not in registered_scorers()


def test_check_solution_against_hand_counts() -> None:
    prob = random_problem(30, 3, 2, seed=2)
    # the pairs of person 0 and person 1 (each person's first candidate)
    first = np.unique(prob.pair_person, return_index=True)[1][:2]
    check = check_solution(prob, first)
    assert check.valid and check.placed == 2
    assert check.objective == pytest.approx(float(prob.pair_score[first].sum()))
    frame = pd.DataFrame({"person_id": ["p0"], "post_id": ["q-none"]})
    bad = check_solution(prob, frame)
    assert not bad.valid and "not a candidate" in bad.problem
    # fill one post beyond its capacity
    j = int(np.argmin(prob.capacities))
    on_j = np.flatnonzero(prob.pair_post == j)
    if on_j.size > prob.capacities[j]:
        over = check_solution(prob, on_j[: prob.capacities[j] + 1])
        assert not over.valid and "over capacity" in over.problem
    with pytest.raises(ParameterError):
        check_solution(prob, pd.DataFrame({"who": [1]}))


def test_measure_falls_back_to_tracemalloc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psutil", None)
    got = measure(lambda: np.ones(2_000_000))
    assert got.memory_method == "tracemalloc" and got.peak_mib >= 15  # 16 MB of float64
    assert got.value.size == 2_000_000 and got.seconds > 0


def test_random_problem_is_seeded_and_distinct_per_row() -> None:
    a, b = random_problem(500, 40, 7, seed=3), random_problem(500, 40, 7, seed=3)
    assert np.array_equal(a.values, b.values) and np.array_equal(a.pair_post, b.pair_post)
    assert a.n_pairs == 500 * 7  # k distinct posts per person (no duplicates merged)
    assert not np.array_equal(a.values, random_problem(500, 40, 7, seed=4).values)
    with pytest.raises(ParameterError):
        random_problem(0, 1, 1)


def test_isolated_solver_past_its_deadline_is_killed(registered, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    import jhmatch.bench.cases as cases

    def stubborn(problem, time_limit=None):
        time.sleep(30)  # ignores its time limit

    monkeypatch.setattr(cases, "hard_deadline", lambda time_limit: 0.5)
    register_solver("stubborn", stubborn, isolate=True, time_limit=True)
    registered.append(("solver", "stubborn"))
    t0 = time.perf_counter()
    t = run_suite(SMALL, out=None, cases=["solvers"], solvers=["jhmatch flow", "stubborn"]).table("solvers")
    assert time.perf_counter() - t0 < 20
    row = t.set_index("solver").loc["stubborn"]
    assert row["status"] == "timeout" and "killed after 0.5 s" in row["reason"]


def test_isolated_solver_result_comes_back(registered) -> None:
    register_solver("greedy in a child", person_greedy, kind="heuristic", isolate=True)
    registered.append(("solver", "greedy in a child"))
    t = run_suite(SMALL, out=None, cases=["solvers"], solvers=["greedy in a child"])
    row = t.table("solvers").iloc[0]
    direct = check_solution(random_problem(60, 6, 3, seed=0), person_greedy(random_problem(60, 6, 3, seed=0)))
    assert row["status"] == "ok" and row["objective"] == pytest.approx(direct.objective)


def test_rules_peer_past_its_deadline_is_killed(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    import jhmatch.bench.rules_case as cases

    def stuck(problem, time_limit, gap):
        time.sleep(30)

    monkeypatch.setattr(cases, "hard_deadline", lambda time_limit: 0.5)
    peers = {**cases.RULES_COMPETITORS, "HiGHS MILP (scipy, plain)": (stuck, (), None, True)}
    monkeypatch.setattr(cases, "RULES_COMPETITORS", MappingProxyType(peers))  # the table itself is read-only
    cfg = SuiteConfig("rules-small", rules_sizes=((100, 10, 4),))
    t = run_suite(cfg, out=None, cases=["rules"]).table("rules").set_index("solver")
    assert t.loc["HiGHS MILP (scipy, plain)", "status"] == "timeout"
    assert t.loc["jhmatch auto", "status"] == "ok" and t.loc["jhmatch auto", "rules_hold"]
