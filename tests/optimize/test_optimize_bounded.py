"""Time limits bound the whole solve, diagnosis included; the diagnosis is checked against brute force."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from optimize_strategies import (
    Instance,
    all_of,
    brute_force,
    category_floor,
    county_floor,
    graduates_placed,
    households_covered,
    instances,
    kind_target,
)

import jhmatch.optimize.deadline as deadline_mod
from jhmatch.errors import ParameterError
from jhmatch.limits import TIME_LIMIT_SLACK
from jhmatch.matching.score_matrix import ScoreMatrix
from jhmatch.optimize import (
    BACKENDS,
    AllocationProblem,
    CategoryFloor,
    GraduateGuarantee,
    HouseholdCoverage,
    KindTarget,
    PlacementGuarantee,
    RegionFloor,
    Status,
    solve,
)
from jhmatch.optimize.deadline import HIGHS_GRACE, Deadline, run_highs
from jhmatch.optimize.diagnose import diagnose
from jhmatch.optimize.evaluate import (
    REASON_FULL,
    REASON_INFEASIBLE,
    REASON_NO_CANDIDATE,
    REASON_NO_PLAN_IN_TIME,
    REASON_UNWILLING,
    compile_blocks,
)

# rule name -> (rule, independent check on a choice vector)
RULES = {
    "grad": (lambda: GraduateGuarantee(name="grad"), graduates_placed),
    "county": (lambda: RegionFloor(minimum=1, name="county"), lambda inst: county_floor(inst, 1)),
    "cat": (lambda: CategoryFloor(minimum=1, name="cat"), lambda inst: category_floor(inst, 1)),
    "kiosk": (lambda: KindTarget({"kiosk": 1}, name="kiosk"), lambda inst: kind_target(inst, "kiosk", 1)),
    "house": (lambda: HouseholdCoverage(name="house"), households_covered),
}


def _feasible_by_brute_force(inst: Instance, names) -> bool:
    return brute_force(inst, all_of(*(RULES[n][1](inst) for n in names))) is not None


@settings(max_examples=40, deadline=None)
@given(inst=instances(max_persons=5, max_posts=3),
       names=st.lists(st.sampled_from(sorted(RULES)), min_size=1, max_size=4, unique=True),
       method=st.sampled_from(["flow", "milp"]))
def test_diagnosis_is_an_irreducible_conflict_by_brute_force(inst: Instance, names, method) -> None:
    problem = inst.problem([RULES[n][0]() for n in names])
    if BACKENDS[method].supports(problem, compile_blocks(problem)) is not None:
        return
    result = solve(problem, method=method, time_limit=30)
    if _feasible_by_brute_force(inst, names):
        assert result.status is Status.OPTIMAL
        return
    assert result.status is Status.INFEASIBLE and result.diagnosis is not None
    assert set(result.unplaced["reason"]) <= {REASON_INFEASIBLE, REASON_FULL, REASON_NO_CANDIDATE, REASON_UNWILLING}
    found = result.diagnosis.conflicting
    assert result.diagnosis.proven and set(found) <= set(names)
    assert not _feasible_by_brute_force(inst, found)  # the set conflicts ...
    for drop in found:  # ... and is irreducible
        assert _feasible_by_brute_force(inst, [n for n in found if n != drop]), (found, drop)


def _slow_milp(seconds: float):
    real = deadline_mod.milp

    def slow(*args, **kwargs):
        time.sleep(seconds)  # a HiGHS step that does not look at the clock
        return real(*args, **kwargs)
    return slow


def _crossing_problem(n: int = 40) -> AllocationProblem:
    rng = np.random.default_rng(1)
    sm = ScoreMatrix(sp.csr_array(rng.random((n, 6)) * (rng.random((n, 6)) < 0.5)),
                     np.array([f"p{i}" for i in range(n)]), np.array([f"q{j}" for j in range(6)]))
    persons = pd.DataFrame({"person_id": sm.person_ids, "county": rng.choice(["330702", "330782"], n),
                            "category": rng.choice(["visual", "physical"], n), "willing": True})
    posts = pd.DataFrame({"post_id": sm.post_ids, "kind": "kiosk", "county": "330702", "capacity": 3})
    return AllocationProblem.from_frames(sm, persons, posts,
                                         constraints=[RegionFloor(minimum=1), CategoryFloor(minimum=1)])


def test_run_highs_returns_by_the_deadline_when_highs_does_not(monkeypatch) -> None:
    monkeypatch.setattr(deadline_mod, "milp", _slow_milp(20))
    t0 = time.perf_counter()
    res = run_highs(np.array([-1.0]), integrality=np.ones(1), bounds=(0, 1), constraints=[], options={},
                    deadline=Deadline(1.0))
    assert time.perf_counter() - t0 < 1.0 + HIGHS_GRACE + 0.5
    assert res.status == 1 and res.x is None and res.abandoned


def test_solve_is_bounded_when_highs_overruns(monkeypatch) -> None:
    problem = _crossing_problem()
    monkeypatch.setattr(deadline_mod, "milp", _slow_milp(30))
    t0 = time.perf_counter()
    result = solve(problem, method="milp", time_limit=2)
    assert time.perf_counter() - t0 < 2 + TIME_LIMIT_SLACK
    assert result.status is Status.TIME_LIMIT and result.n_placed == 0
    assert "time limit" in result.message
    assert set(result.unplaced["reason"]) <= {REASON_NO_PLAN_IN_TIME, REASON_NO_CANDIDATE, REASON_FULL}


def test_diagnosis_is_bounded_and_says_when_it_is_not_complete(monkeypatch) -> None:
    problem = _crossing_problem()
    blocks = compile_blocks(problem)
    calls = []

    def never_sure(hard, deadline):  # every check runs out of time
        calls.append(len(hard))
        time.sleep(min(deadline.left() or 0.0, 0.3))
        return None

    t0 = time.perf_counter()
    diag = diagnose(problem, blocks, Deadline(1.0), feasible=never_sure, elastic=lambda soft, d: None)
    assert time.perf_counter() - t0 < 1.0 + 0.5
    assert not diag.proven and set(diag.conflicting) == {"RegionFloor", "CategoryFloor"}
    assert "stopped at the time limit" in diag.message and calls


def test_real_hard_milp_stops_at_its_limit() -> None:
    rng = np.random.default_rng(3)
    agents, jobs = 8, 120  # generalized assignment with every job guaranteed: hard for branch and bound
    cost, use = rng.integers(10, 50, (agents, jobs)), rng.integers(5, 25, (agents, jobs))
    cap = (0.8 * use.sum(axis=1) / agents).astype(float)
    sm = ScoreMatrix(sp.csr_array(cost.T / 50.0), np.arange(jobs), np.arange(agents))
    problem = AllocationProblem(sm, cap, usage=sp.csr_array(use.T.astype(float)),
                                constraints=(PlacementGuarantee(list(range(jobs))),))
    t0 = time.perf_counter()
    result = solve(problem, time_limit=1.5)
    assert time.perf_counter() - t0 < 1.5 + TIME_LIMIT_SLACK
    assert result.status in (Status.TIME_LIMIT, Status.INFEASIBLE, Status.OPTIMAL)


def test_counting_check_answers_without_a_solver() -> None:
    sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a", "b", "c"], "post_id": ["x", "x", "y"],
                                              "score": [0.5, 0.6, 0.9]}))
    persons = pd.DataFrame({"person_id": ["a", "b", "c"], "county": "330782", "willing": True})
    posts = pd.DataFrame({"post_id": ["x", "y"], "kind": ["kiosk", "tobacco_outlet"], "county": "330782",
                          "capacity": [1, 1]})
    rules = [RegionFloor(minimum=1), KindTarget({"kiosk": 2}), CategoryFloor(share=0.0, hard=False)]
    prob = AllocationProblem.from_frames(sm, persons.assign(category="visual"), posts, constraints=rules)
    result = solve(prob, method="milp", time_limit=5)
    assert result.status is Status.INFEASIBLE
    diag = result.diagnosis
    assert diag.conflicting == ("KindTarget",) and diag.proven
    assert diag.rows[["label", "lb", "activity", "violation"]].values.tolist() == [["kiosk", 2.0, 1.0, 1.0]]
    assert "needs at least 2 placement(s), but at most 1 are possible" in diag.message


def test_unlimited_solve_bounds_its_diagnosis_by_the_default(monkeypatch) -> None:
    import jhmatch.optimize.backends.milp as milp_mod
    import jhmatch.optimize.diagnose as diag_mod

    monkeypatch.setattr(milp_mod, "DEFAULT_TIME_LIMIT", 1.0)
    monkeypatch.setattr(diag_mod, "is_feasible", lambda problem, hard, d: time.sleep(min(d.left(), 0.3)) or None)
    sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a", "b"], "post_id": ["x", "x"], "score": [0.5, 0.6]}))
    prob = AllocationProblem(sm, [1], constraints=[PlacementGuarantee(["a"], name="A"),
                                                   PlacementGuarantee(["b"], name="B")])
    t0 = time.perf_counter()
    result = solve(prob, method="milp")  # no limit on the solve: the diagnosis stops after the default
    assert time.perf_counter() - t0 < 1.0 + TIME_LIMIT_SLACK
    assert result.status is Status.INFEASIBLE and not result.diagnosis.proven
    assert set(result.diagnosis.conflicting) == {"A", "B"}


@pytest.mark.parametrize("bad", [0, -1, float("inf"), float("nan"), "10"])
def test_bad_time_limits_are_refused(bad) -> None:
    with pytest.raises(ParameterError, match="time_limit"):
        solve(_crossing_problem(), time_limit=bad)


def _gap_instance(agents: int, jobs: int) -> AllocationProblem:
    rng = np.random.default_rng(3)
    cost, use = rng.integers(10, 50, (agents, jobs)), rng.integers(5, 25, (agents, jobs))
    cap = (0.8 * use.sum(axis=1) / agents).astype(float)
    sm = ScoreMatrix(sp.csr_array(cost.T / 50.0), np.arange(jobs), np.arange(agents))
    return AllocationProblem(sm, cap, usage=sp.csr_array(use.T.astype(float)))


def test_gap_shortens_a_milp_solve_and_keeps_its_promise() -> None:
    pytest.importorskip("pulp")
    small = _gap_instance(8, 60)
    exact = small.to_pulp().solve()  # CBC: an independent solver gives the true optimum
    assert exact.status is Status.OPTIMAL
    loose = solve(small, gap=0.2, time_limit=30)
    assert loose.status is Status.OPTIMAL and "within the requested gap 0.2" in loose.message
    assert loose.gap <= 0.2 + 1e-9 and loose.objective >= (1 - 0.2) * exact.objective - 1e-9
    assert loose.objective <= exact.objective + 1e-9

    big = _gap_instance(10, 200)  # HiGHS needs ~15 s to prove this one optimal
    t0 = time.perf_counter()
    strict = solve(big, time_limit=4)
    t_strict = time.perf_counter() - t0
    t0 = time.perf_counter()
    fast = solve(big, gap=0.05, time_limit=4)
    t_fast = time.perf_counter() - t0
    assert fast.status is Status.OPTIMAL and fast.gap <= 0.05 + 1e-9
    assert t_fast < t_strict, (t_fast, t_strict, strict.status)


def test_pulp_export_passes_time_limit_and_gap_to_cbc() -> None:
    pytest.importorskip("pulp")
    pm = _gap_instance(10, 200).to_pulp()
    t0 = time.perf_counter()
    result = pm.solve(time_limit=2, gap=0.5)
    assert time.perf_counter() - t0 < 2 + TIME_LIMIT_SLACK + 3  # CBC's own start-up and file exchange
    assert result.status in (Status.OPTIMAL, Status.TIME_LIMIT)


def test_reasons_and_diagnosis_speak_chinese() -> None:
    import re

    from jhmatch.i18n import gettext, language
    from jhmatch.optimize.evaluate import UNPLACED_REASONS

    with language("zh"):
        assert all(gettext(r) != r for r in UNPLACED_REASONS)
        sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a", "b", "c"], "post_id": ["x", "x", "y"],
                                                  "score": [0.5, 0.6, 0.9]}))
        persons = pd.DataFrame({"person_id": ["a", "b", "c"], "county": "330782", "willing": True,
                                "category": "visual", "graduate": [True, True, False]})
        posts = pd.DataFrame({"post_id": ["x", "y"], "kind": ["kiosk", "tobacco_outlet"], "county": "330782",
                              "capacity": [1, 1]})
        for rules in ([KindTarget({"kiosk": 2})], [GraduateGuarantee(), RegionFloor(minimum=3)]):
            result = solve(AllocationProblem.from_frames(sm, persons, posts, constraints=rules), time_limit=10)
            assert result.status is Status.INFEASIBLE
            text = re.sub(r"'[a-z]+'", "", result.diagnosis.message)  # method codes may stay
            assert not re.search(r"\b(?:the|and|of|to|is|not|rule|needs|short)\b", text), text
            assert "义乌" in text or "邮政" in text or "毕业生" in text
