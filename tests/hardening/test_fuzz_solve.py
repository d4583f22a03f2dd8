"""Fuzzing `solve`: random small problems with random rules, every method; only jhmatch errors,
and every allocation that is returned as a solution is feasible."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from optimize_strategies import instances

from jhmatch.errors import JhmatchError
from jhmatch.optimize import (
    CategoryFloor,
    GraduateGuarantee,
    HouseholdCoverage,
    KindTarget,
    RegionCap,
    RegionFloor,
    solve,
)

RULES = st.lists(
    st.one_of(
        st.builds(RegionFloor, minimum=st.integers(0, 3), hard=st.booleans()),
        st.builds(RegionCap, maximum=st.integers(0, 3), hard=st.booleans()),
        st.builds(CategoryFloor, rate=st.sampled_from([0.0, 0.5, 1.0]), hard=st.booleans()),
        st.builds(GraduateGuarantee, hard=st.booleans()),
        st.builds(HouseholdCoverage, hard=st.booleans()),
        st.builds(KindTarget, targets=st.just({"kiosk": 1}), hard=st.booleans()),
    ),
    max_size=3,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inst=instances(max_persons=6, max_posts=4), rules=RULES,
       method=st.sampled_from(["auto", "flow", "milp", "greedy", "stable", "lap"]))
def test_solve_never_crashes_and_solutions_are_feasible(inst, rules, method):
    try:
        problem = inst.problem(constraints=tuple(rules))
        result = solve(problem, method=method, time_limit=10)
    except JhmatchError:
        return  # a method that cannot take these rules says so with a typed error
    assert result.status.value in ("optimal", "feasible", "infeasible", "time_limit", "error")
    if result.status.value == "error":  # a failing solver: a status with a message, nobody placed
        assert result.message and result.n_placed == 0
        return
    if result.status.value == "infeasible":
        assert result.diagnosis is not None and result.n_placed == 0
        return
    a = result.assignments
    assert a["person_id"].is_unique
    caps = inst.posts.set_index("post_id")["capacity"]
    used = a.groupby("post_id").size()
    assert (used <= caps.loc[used.index]).all()
    pairs = set(zip(*[inst.scores.to_frame()[c] for c in ("person_id", "post_id")], strict=True))
    assert all(p in pairs for p in zip(a["person_id"], a["post_id"], strict=True))
    hard = result.constraints[result.constraints["hard"]] if len(result.constraints) else result.constraints
    if len(hard):
        assert np.all(hard["violation"].to_numpy() <= 1e-6)
