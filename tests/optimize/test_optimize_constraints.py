"""Rules: hard ones hold and match brute force; soft ones are priced; infeasibility is diagnosed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from optimize_strategies import (
    Instance,
    all_of,
    brute_force,
    category_floor,
    choice_of,
    county_floor,
    graduates_placed,
    households_covered,
    instances,
    kind_target,
)

from jhmatch.errors import InfeasibleError, ParameterError
from jhmatch.matching.score_matrix import ScoreMatrix
from jhmatch.optimize import (
    BACKENDS,
    AllocationProblem,
    CategoryFloor,
    GraduateGuarantee,
    HouseholdCoverage,
    KindTarget,
    LinearRows,
    RegionCap,
    RegionFloor,
    ReservedShare,
    Status,
    choose_method,
    solve,
)
from jhmatch.optimize.evaluate import compile_blocks
from jhmatch.optimize.wording import rule_name

SETTINGS = settings(max_examples=25, deadline=None)


def _agree(inst: Instance, rules, check, methods=("flow", "milp")) -> None:
    prob = inst.problem(rules)
    best = brute_force(inst, check)
    for method in methods:
        if BACKENDS[method].supports(prob, compile_blocks(prob)) is not None:
            continue
        result = solve(prob, method=method)
        if best is None:
            assert result.status is Status.INFEASIBLE, method
            assert result.diagnosis is not None and result.diagnosis.conflicting
            with pytest.raises(InfeasibleError):
                result.raise_for_status()
        else:
            assert result.status is Status.OPTIMAL, (method, result.message)
            assert result.objective == pytest.approx(best, abs=1e-7), method
            assert check(choice_of(result, inst)), method
            assert not result.constraints["violation"].any()


@SETTINGS
@given(instances())
def test_laminar_rules_flow_and_milp_match_brute_force(inst: Instance) -> None:
    rules = [GraduateGuarantee(), RegionFloor(minimum=1), KindTarget({"kiosk": 1})]
    check = all_of(graduates_placed(inst), county_floor(inst, 1), kind_target(inst, "kiosk", 1))
    assert choose_method(inst.problem(rules))[0] == "flow"
    _agree(inst, rules, check)


@SETTINGS
@given(instances())
def test_household_coverage_matches_brute_force(inst: Instance) -> None:
    _agree(inst, [HouseholdCoverage(), GraduateGuarantee()], all_of(households_covered(inst), graduates_placed(inst)))


@SETTINGS
@given(instances())
def test_crossing_rules_go_to_milp_and_match_brute_force(inst: Instance) -> None:
    rules = [RegionFloor(minimum=1), CategoryFloor(minimum=1)]
    prob = inst.problem(rules)
    method, why = choose_method(prob)
    counties = inst.persons.loc[inst.persons["willing"], "county"]
    cats = inst.persons.loc[inst.persons["willing"], "category"]
    crossing = pd.crosstab(counties, cats).gt(0).sum().sum() > max(counties.nunique(), cats.nunique())
    if crossing:
        assert method == "milp" and rule_name("CategoryFloor") in why
    _agree(inst, rules, all_of(county_floor(inst, 1), category_floor(inst, 1)))


@SETTINGS
@given(instances())
def test_soft_floor_is_priced_by_its_penalty(inst: Instance) -> None:
    penalty = 0.6
    rules = [RegionFloor(minimum=2, hard=False, penalty=penalty)]
    will = inst.persons["willing"].to_numpy()
    county = inst.persons["county"].to_numpy()
    dense = inst.scores.scores.toarray()
    caps = inst.posts["capacity"].to_numpy()
    import itertools

    best = -np.inf
    options = [[-1, *np.flatnonzero(dense[i] > 0).tolist()] if will[i] else [-1] for i in range(dense.shape[0])]
    for choice in itertools.product(*options):
        c = np.array(choice)
        if (np.bincount(c[c >= 0], minlength=len(caps)) > caps).any():
            continue
        value = float((inst.weights[c >= 0] * dense[np.flatnonzero(c >= 0), c[c >= 0]]).sum())
        short = sum(max(0, 2 - int(((c >= 0) & will & (county == x)).sum())) for x in set(county[will]))
        best = max(best, value - penalty * short)
    for method in ("flow", "milp"):
        result = solve(inst.problem(rules), method=method)
        assert result.status is Status.OPTIMAL
        assert result.objective == pytest.approx(best, abs=1e-7), method


def _conflict_instance() -> tuple[ScoreMatrix, pd.DataFrame, pd.DataFrame]:
    sm = ScoreMatrix.from_frame(pd.DataFrame({
        "person_id": ["a", "b", "c", "c"], "post_id": ["x", "x", "y", "x"], "score": [0.5, 0.6, 0.9, 0.2]}))
    persons = pd.DataFrame({"person_id": ["a", "b", "c"], "county": ["330702", "330782", "330782"],
                            "category": ["visual", "visual", "physical"], "graduate": [False, True, False],
                            "willing": True})
    posts = pd.DataFrame({"post_id": ["x", "y"], "kind": ["kiosk", "tobacco_outlet"], "county": ["330702", "330702"],
                          "capacity": [1, 1], "site_id": ["s0", "s0"]})
    return sm, persons, posts


@pytest.mark.parametrize("method", ["flow", "milp"])
def test_diagnosis_names_the_smallest_conflicting_set(method: str) -> None:
    sm, persons, posts = _conflict_instance()
    rules = [KindTarget({"tobacco_outlet": 1}), RegionFloor(minimum={"婺城": 1}), GraduateGuarantee()]
    prob = AllocationProblem.from_frames(sm, persons, posts, constraints=rules)
    result = solve(prob, method=method)
    assert result.status is Status.INFEASIBLE and np.isnan(result.objective)
    assert set(result.diagnosis.conflicting) == {"RegionFloor", "GraduateGuarantee"}
    assert result.diagnosis.rows["violation"].sum() == 1
    assert rule_name("RegionFloor") in result.message and "KindTarget" not in result.diagnosis.conflicting
    assert result.diagnosis.proven
    with pytest.raises(InfeasibleError) as info:
        result.raise_for_status()
    assert info.value.diagnosis is result.diagnosis
    # each rule alone is feasible
    for rule in rules:
        assert solve(prob.replace_constraints([rule]), method=method).ok


def test_single_rule_infeasible_alone() -> None:
    sm, persons, posts = _conflict_instance()
    persons = persons.assign(graduate=[True, True, False])  # a and b both need x (capacity 1)
    prob = AllocationProblem.from_frames(sm, persons, posts, constraints=[GraduateGuarantee()])
    result = solve(prob)
    assert result.status is Status.INFEASIBLE
    assert result.diagnosis.conflicting == ("GraduateGuarantee",)
    assert "cannot hold even on its own" in result.diagnosis.message


def test_constraint_activity_and_slack() -> None:
    sm, persons, posts = _conflict_instance()
    rules = [RegionCap(maximum=1), KindTarget({"kiosk": 1}, maximum={"tobacco_outlet": 1}),
             ReservedShare(share=0.1, site_posts={"s0": 10}, kinds=None)]
    result = solve(AllocationProblem.from_frames(sm, persons, posts, constraints=rules))
    assert result.status is Status.OPTIMAL and result.backend == "flow"
    # without the cap b->x and c->y (1.5); one placement per county leaves a->x, c->y (1.4)
    assert result.assignments.set_index("person_id")["post_id"].to_dict() == {"a": "x", "c": "y"}
    assert result.objective == pytest.approx(1.4)
    c = result.constraints.set_index(["constraint", "label"])
    assert c.loc[("RegionCap", "330782"), ["activity", "slack"]].tolist() == [1, 0]
    assert c.loc[("KindTarget", "kiosk"), ["activity", "slack"]].tolist() == [1, 0]
    assert c.loc[("ReservedShare", "s0"), ["lb", "activity", "slack"]].tolist() == [1, 2, 1]
    assert result.summaries["county"].set_index("county")["placed"].to_dict() == {"330702": 1, "330782": 1}
    assert result.summaries["kind"].set_index("kind")["filled"].to_dict() == {"kiosk": 1, "tobacco_outlet": 1}
    assert result.unplaced.set_index("person_id")["reason"].to_dict() == {"b": "every candidate post is full"}


def test_kind_group_and_category_share_rows() -> None:
    sm = ScoreMatrix.from_frame(pd.DataFrame({
        "person_id": ["a", "a", "b", "c"], "post_id": ["w1", "k", "w2", "k"], "score": [0.1, 0.9, 0.2, 0.8]}))
    persons = pd.DataFrame({"person_id": ["a", "b", "c"], "category": ["visual", "visual", "mental"]})
    posts = pd.DataFrame({"post_id": ["w1", "w2", "k"], "kind": ["welfare_cleaning", "welfare_greening", "kiosk"],
                          "capacity": [1, 1, 1]})
    # at least 2 welfare placements (any welfare_* kind): a->w1, b->w2, c->k
    prob = AllocationProblem.from_frames(sm, persons, posts, constraints=[KindTarget({"welfare": 2})])
    result = solve(prob)
    assert result.objective == pytest.approx(1.1)
    # mental persons get at least half of all placements: c->k with a, b unplaced or only one of them
    prob = AllocationProblem.from_frames(sm, persons, posts, constraints=[CategoryFloor(share={"精神": 0.5})])
    assert choose_method(prob)[0] == "milp"
    result = solve(prob)
    placed = result.assignments.merge(persons, on="person_id")
    assert (placed["category"] == "mental").sum() >= 0.5 * len(placed)
    assert result.objective == pytest.approx(1.0)  # c->k (0.8) + b->w2 (0.2)


def test_user_rows_and_pulp_export_agree() -> None:
    sm, persons, posts = _conflict_instance()
    prob = AllocationProblem.from_frames(sm, persons, posts)
    # forbid b and c together: x[b,x] + x[c,y] + x[c,x] <= 1 over pairs (row-major: a-x, b-x, c-x, c-y)
    row = LinearRows(sp.csr_array([[0.0, 1.0, 1.0, 1.0]]), ub=[1], labels=["b or c"])
    milp = solve(prob.with_constraints(row))
    assert milp.backend == "milp" and milp.objective == pytest.approx(1.4)
    pm = prob.to_pulp()
    pm.model += (pm.x[1] + pm.x[2] + pm.x[3] <= 1, "user_row")
    via_pulp = pm.solve()
    assert via_pulp.status is Status.OPTIMAL and via_pulp.objective == pytest.approx(1.4)
    soft = prob.with_constraints(RegionFloor(minimum=2, hard=False, penalty=0.3))
    assert soft.to_pulp().solve().objective == pytest.approx(solve(soft).objective)


def test_bad_rule_parameters() -> None:
    sm, persons, posts = _conflict_instance()
    with pytest.raises(ParameterError, match="penalty"):
        solve(AllocationProblem.from_frames(sm, persons, posts, constraints=[RegionFloor(minimum=1, hard=False,
                                                                                         penalty=-1)]))
    with pytest.raises(ParameterError, match="share"):
        solve(AllocationProblem.from_frames(sm, persons, posts, constraints=[ReservedShare(share=2)]))
    with pytest.raises(ParameterError, match="flow"):
        solve(AllocationProblem.from_frames(sm, persons, posts, constraints=[CategoryFloor(share=0.5)]), method="flow")


@settings(max_examples=15, deadline=None)
@given(instances(max_persons=30, max_posts=6, density=0.4))
def test_nested_three_levels_flow_equals_milp(inst: Instance) -> None:
    persons = inst.persons.copy()
    persons["county"] = np.where(persons["household_id"].isin(["h0", "h1"]), "330702", "330782")  # households nest
    inst = Instance(inst.scores, persons, inst.posts, inst.weights)
    rules = [RegionFloor(minimum=1, hard=False, penalty=0.5), HouseholdCoverage(hard=False, penalty=0.7),
             GraduateGuarantee(hard=False, penalty=0.9), KindTarget({"kiosk": 1}, maximum={"tobacco_outlet": 2})]
    prob = inst.problem(rules)
    assert choose_method(prob)[0] == "flow"
    flow, milp = solve(prob, method="flow"), solve(prob, method="milp")
    assert flow.status is milp.status
    if flow.status is Status.OPTIMAL:
        assert flow.objective == pytest.approx(milp.objective, abs=1e-7)


def test_region_cap_with_a_minimum_is_refused_not_ignored() -> None:
    """Bug (issue 15): RegionCap(minimum=1) compiled to no row at all, so nothing was capped."""
    sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a", "b"], "post_id": ["x", "y"], "score": [0.9, 0.8]}))
    persons = pd.DataFrame({"person_id": ["a", "b"], "county": ["330782", "330782"]})
    posts = pd.DataFrame({"post_id": ["x", "y"], "capacity": [1, 1]})
    with pytest.raises(ParameterError, match=r"minimum=1 sets no cap.*maximum=1.*RegionFloor\(minimum=1\)"):
        RegionCap(minimum=1)
    with pytest.raises(ParameterError, match=r"maximum= .* or rate="):
        RegionCap()
    capped = solve(AllocationProblem.from_frames(sm, persons, posts, constraints=[RegionCap(maximum=1)]))
    assert capped.n_placed == 1 and capped.constraints["activity"].tolist() == [1.0]
    by_rate = solve(AllocationProblem.from_frames(sm, persons, posts, constraints=[RegionCap(rate=0.5)]))
    assert by_rate.n_placed == 1


def test_rule_parameters_use_the_shared_checks() -> None:
    """Booleans are not numbers; rates are in [0, 1]; counts are >= 0 (jhmatch.optimize.checks)."""
    sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a"], "post_id": ["x"], "score": [0.9]}))
    persons = pd.DataFrame({"person_id": ["a"], "county": ["330782"], "category": ["visual"]})
    posts = pd.DataFrame({"post_id": ["x"], "capacity": [1], "kind": ["kiosk"], "site_id": ["s"]})

    def build(rule):
        return compile_blocks(AllocationProblem.from_frames(sm, persons, posts, constraints=[rule]))

    for rule, match in [(RegionFloor(minimum=True), "minimum must be a finite number >= 0, got True"),
                        (RegionFloor(minimum=-1), "minimum must be a finite number >= 0"),
                        (RegionFloor(rate=1.5), "rate must be a number in \\[0, 1\\], got 1.5"),
                        (RegionCap(maximum={"义乌": True}), "maximum\\['义乌'\\] must be a finite number >= 0"),
                        (CategoryFloor(share=float("nan")), "share must be a number in \\[0, 1\\]"),
                        (KindTarget({"kiosk": True}), "targets\\['kiosk'\\] must be a finite number >= 0"),
                        (ReservedShare(share=True), "share must be a number in \\[0, 1\\], got True"),
                        (RegionFloor(minimum=1, hard=False, penalty=float("inf")), "penalty must be a finite number > 0"),
                        (RegionFloor(minimum=1, hard="yes"), "hard must be True or False")]:
        with pytest.raises(ParameterError, match=match):
            build(rule)
