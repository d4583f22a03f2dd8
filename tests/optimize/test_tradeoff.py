"""The price of fairness: every point of the curve checked against the definition and brute force.

The checks here do not read the model: a plan is a post index (or -1) per person, its ratio is
the worst group's placement rate over the city's, counted directly from the persons table
(seekers are the willing persons), and the brute force enumerates every plan of a tiny problem.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from tests.optimize.optimize_strategies import Instance, choice_of, instances

from jhmatch.errors import ParameterError, SchemaError
from jhmatch.matching.score_matrix import ScoreMatrix
from jhmatch.optimize import AllocationProblem, RelativeRateFloor, Status, solve
from jhmatch.optimize.fairness import max_min_rate
from jhmatch.optimize.tradeoff import knee_index, lift_groups, tradeoff  # the functions, not the module

TOL = 1e-9


# ----------------------------------------------------------------------------- the definition, written out


def ratio_of(inst: Instance, c: np.ndarray, by: str = "county", groups=None) -> float:
    """Worst group's placement rate over the city's (NaN when nobody is placed)."""
    will = inst.persons["willing"].to_numpy(dtype=bool)
    key = inst.persons[by].to_numpy()
    placed = (c >= 0) & will
    if placed.sum() == 0:
        return math.nan
    city = placed.sum() / will.sum()
    keep = set(key[will]) if groups is None else set(groups)
    return min((placed & (key == g)).sum() / (will & (key == g)).sum() / city for g in keep)


def meets(inst: Instance, c: np.ndarray, floors: dict, by: str = "county") -> bool:
    """placed_g / seekers_g >= r_g * placed / seekers for every floored group."""
    will = inst.persons["willing"].to_numpy(dtype=bool)
    key = inst.persons[by].to_numpy()
    placed = (c >= 0) & will
    city = placed.sum() / will.sum()
    return all((placed & (key == g)).sum() / (will & (key == g)).sum() >= r * city - TOL
               for g, r in floors.items() if (will & (key == g)).any())


def plans(inst: Instance):
    """Every plan of a tiny instance: (choice, value) fitting one post each and the capacities."""
    dense = inst.scores.scores.toarray()
    n, m = dense.shape
    will = inst.persons["willing"].to_numpy(dtype=bool)
    caps = inst.posts["capacity"].to_numpy()
    options = [[-1, *np.flatnonzero(dense[i] > 0).tolist()] if will[i] else [-1] for i in range(n)]
    for choice in itertools.product(*options):
        c = np.array(choice)
        ok = c >= 0
        if (np.bincount(c[ok], minlength=m) > caps).any():
            continue
        yield c, float((inst.weights[ok] * dense[np.flatnonzero(ok), c[ok]]).sum())


def valid(inst: Instance, c: np.ndarray) -> bool:
    dense = inst.scores.scores.toarray()
    ok = c >= 0
    will = inst.persons["willing"].to_numpy(dtype=bool)
    return bool((np.bincount(c[ok], minlength=dense.shape[1]) <= inst.posts["capacity"].to_numpy()).all()
                and (dense[np.flatnonzero(ok), c[ok]] > 0).all() and will[ok].all())


def best_under(inst: Instance, floors: dict, by: str = "county") -> float:
    return max(v for c, v in plans(inst) if meets(inst, c, floors, by))


def max_ratio(inst: Instance, by: str = "county") -> float:
    rs = [ratio_of(inst, c, by) for c, _ in plans(inst)]
    rs = [r for r in rs if not math.isnan(r)]
    return max(rs) if rs else math.nan


def seekers_somewhere(inst: Instance) -> bool:
    return bool(inst.persons["willing"].any())


# ----------------------------------------------------------------------------- the constraint in solve


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inst=instances(max_persons=5, max_posts=3), r=st.sampled_from([0.5, 0.8, 1.0]),
       by=st.sampled_from(["county", "category"]))
def test_floor_in_solve_matches_brute_force(inst: Instance, r: float, by: str) -> None:
    assume(seekers_somewhere(inst))
    groups = sorted(set(inst.persons.loc[inst.persons["willing"], by]))
    result = solve(inst.problem([RelativeRateFloor(ratio=r, by=by)]), method="milp")
    assert result.status is Status.OPTIMAL
    c = choice_of(result, inst)
    assert valid(inst, c) and meets(inst, c, dict.fromkeys(groups, r), by)
    assert result.objective == pytest.approx(best_under(inst, dict.fromkeys(groups, r), by), abs=1e-7)


def test_floor_rows_count_the_city_and_the_group() -> None:
    sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a", "b", "c"], "post_id": ["x", "x", "x"],
                                              "score": [1.0, 0.9, 0.8]}))
    persons = pd.DataFrame({"person_id": ["a", "b", "c"], "county": ["330702", "330702", "330723"]})
    prob = AllocationProblem(sm, [2], persons=persons)
    block = RelativeRateFloor(ratio=1.0).compile(prob)
    # row 330723: x_c - 1 * (1/3) * (x_a + x_b + x_c) >= 0
    assert block.labels.tolist() == ["330702", "330723"]
    assert block.matrix.toarray()[1].tolist() == pytest.approx([-1 / 3, -1 / 3, 2 / 3])
    result = solve(prob.with_constraints(RelativeRateFloor(ratio=1.0, groups=["武义"])), method="milp")
    assert set(result.assignments["person_id"]) == {"a", "c"}


def test_floor_refuses_a_bad_grouping_and_a_missing_column() -> None:
    sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a"], "post_id": ["x"], "score": [1.0]}))
    prob = AllocationProblem(sm, [1], persons=pd.DataFrame({"person_id": ["a"], "county": ["330702"]}))
    with pytest.raises(ParameterError):
        RelativeRateFloor(by="grade").compile(prob)
    with pytest.raises(ParameterError):
        RelativeRateFloor(ratio=-1).compile(prob)
    with pytest.raises(SchemaError):
        RelativeRateFloor(by="category").compile(prob)
    with pytest.raises(ParameterError):
        tradeoff(prob, by="grade")


# ----------------------------------------------------------------------------- the curve


def check_curve(inst: Instance, curve, by: str, gap: float) -> None:
    """Every point feasible by the definition, its gap proven, exact against brute force; monotone."""
    prev = math.inf
    for k, p in enumerate(curve.points):
        assert p.has_plan, p.message
        c = choice_of(p.allocation, inst)
        assert valid(inst, c)
        floors = {} if k == 0 else dict.fromkeys(set(inst.persons.loc[inst.persons["willing"], by]), p.floor)
        assert meets(inst, c, floors, by)
        assert p.status is Status.OPTIMAL, p.message
        assert p.bound is not None and p.bound >= p.objective - 1e-9
        assert p.gap <= gap + 1e-9
        assert p.objective == pytest.approx(best_under(inst, floors, by), abs=1e-7)
        r = ratio_of(inst, c, by)
        assert (math.isnan(r) and math.isnan(p.ratio)) or p.ratio == pytest.approx(r)
        assert p.objective <= prev + 1e-9  # non-increasing as the floor rises
        prev = p.objective
    floors_asked = [p.floor for p in curve.points[1:]]
    assert floors_asked == sorted(floors_asked)
    assert 0 <= curve.knee < len(curve.points)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inst=instances(max_persons=5, max_posts=3), by=st.sampled_from(["county", "category"]))
def test_curve_is_exact_on_tiny_problems(inst: Instance, by: str) -> None:
    assume(seekers_somewhere(inst))
    curve = tradeoff(inst.problem(), by=by, points=3, time_limit=None, gap=0.0)
    check_curve(inst, curve, by, 0.0)
    best = max_ratio(inst, by)
    if math.isnan(best):
        assert math.isnan(curve.r_max) or len(curve.points) == 1
    else:
        assert curve.r_max == pytest.approx(best)  # r_max is truly the largest ratio of any plan
        assert curve.r_max_proven
    one = curve.one_percent
    assert one.point.objective >= 0.99 * curve.z0 - 1e-9
    reach = [ratio_of(inst, c, by) for c, v in plans(inst) if v >= 0.99 * curve.z0 - 1e-9]
    reach = [r for r in reach if not math.isnan(r)]
    if reach:
        assert one.ratio <= max(reach) + 1e-9
        if one.limit is not None:
            assert max(reach) < one.limit + 1e-9


def test_curve_of_a_small_city_has_ten_proven_points() -> None:
    sm = ScoreMatrix.from_frame(pd.DataFrame({
        "person_id": ["a", "b", "c", "d", "e", "f"], "post_id": ["x", "x", "y", "y", "x", "y"],
        "score": [0.9, 0.8, 0.7, 0.3, 0.2, 0.6]}))
    persons = pd.DataFrame({"person_id": list("abcdef"), "county": ["330702"] * 3 + ["330727"] * 3,
                            "willing": True})
    inst = Instance(sm, persons, pd.DataFrame({"post_id": ["x", "y"], "capacity": [2, 1]}), np.ones(6))
    curve = tradeoff(inst.problem(), points=10, gap=0.0)
    assert len(curve.points) == 11
    check_curve(inst, curve, "county", 0.0)
    assert curve.r_max == pytest.approx(max_ratio(inst))
    table = curve.table()
    assert list(table.columns[:6]) == ["floor", "objective", "loss", "worst", "ratio", "status"]


def test_knee_is_farthest_above_the_chord() -> None:
    assert knee_index([0.0, 0.5, 1.0], [10.0, 9.9, 0.0]) == 1
    assert knee_index([0.0, 1.0], [10.0, 0.0]) == 1


def test_max_min_rate_matches_enumeration() -> None:
    counts = np.array([3, 5, 7])
    for m_max in (0.2, 0.5, 0.75, 1.0):
        best = 0.0
        for n in itertools.product(*(range(s + 1) for s in counts)):
            n = np.array(n)
            if n.sum() == 0 or (n / counts).min() > m_max + 1e-12:
                continue
            best = max(best, (n / counts).min() / (n.sum() / counts.sum()))
        assert max_min_rate(counts, int(counts.sum()), m_max)[0] == pytest.approx(best)


# ----------------------------------------------------------------------------- the mountain counties


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inst=instances(max_persons=5, max_posts=3), ratio=st.sampled_from([0.5, 1.0]))
def test_lift_is_the_least_loss(inst: Instance, ratio: float) -> None:
    will = inst.persons["willing"].to_numpy(dtype=bool)
    assume((will & (inst.persons["county"] == "330702").to_numpy()).any())
    lift = lift_groups(inst.problem(), ["婺城"], ratio=ratio, gap=0.0, time_limit=None)
    assert lift.groups == ("330702",)
    c = choice_of(lift.lifted.allocation, inst)
    assert valid(inst, c) and meets(inst, c, {"330702": ratio})
    assert lift.lifted.status is Status.OPTIMAL
    assert lift.lifted.objective == pytest.approx(best_under(inst, {"330702": ratio}), abs=1e-7)
    assert lift.lost == pytest.approx(best_under(inst, {}) - best_under(inst, {"330702": ratio}), abs=1e-7)


def test_lift_names_a_county_without_seekers() -> None:
    sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a"], "post_id": ["x"], "score": [1.0]}))
    prob = AllocationProblem(sm, [1], persons=pd.DataFrame({"person_id": ["a"], "county": ["330702"]}))
    with pytest.raises(ParameterError, match="330723"):
        lift_groups(prob)


# ----------------------------------------------------------------------------- honesty with a gap, a cap, a clock


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inst=instances(max_persons=5, max_posts=3), gap=st.sampled_from([0.02, 0.2]))
def test_a_requested_gap_is_honest(inst: Instance, gap: float) -> None:
    """With a gap, each point's bound is at least the true optimum of its floor, and the gap holds."""
    assume(seekers_somewhere(inst))
    curve = tradeoff(inst.problem(), points=3, time_limit=None, gap=gap)
    groups = set(inst.persons.loc[inst.persons["willing"], "county"])
    for k, p in enumerate(curve.points):
        floors = {} if k == 0 else dict.fromkeys(groups, p.floor)
        truth = best_under(inst, floors)
        c = choice_of(p.allocation, inst)
        assert valid(inst, c) and meets(inst, c, floors)
        assert p.objective <= truth + 1e-9 <= p.bound + 2e-9
        assert p.status is Status.OPTIMAL and p.gap <= gap + 1e-9


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inst=instances(max_persons=5, max_posts=3))
def test_a_hard_cap_of_the_problem_is_kept(inst: Instance) -> None:
    """The problem's own hard rules stay: a cap of one placement per county, checked by brute force."""
    from jhmatch.optimize import RegionCap

    assume(seekers_somewhere(inst))
    curve = tradeoff(inst.problem([RegionCap(maximum=1)]), points=2, time_limit=None, gap=0.0)
    county = inst.persons["county"].to_numpy()
    will = inst.persons["willing"].to_numpy(dtype=bool)

    def capped(c: np.ndarray) -> bool:
        return all(((c >= 0) & will & (county == g)).sum() <= 1 for g in set(county))

    groups = set(inst.persons.loc[inst.persons["willing"], "county"])
    for k, p in enumerate(curve.points):
        floors = {} if k == 0 else dict.fromkeys(groups, p.floor)
        c = choice_of(p.allocation, inst)
        assert capped(c) and meets(inst, c, floors)
        truth = max(v for c2, v in plans(inst) if capped(c2) and meets(inst, c2, floors))
        assert p.objective == pytest.approx(truth, abs=1e-7)
    rs = [ratio_of(inst, c2) for c2, _ in plans(inst) if capped(c2)]
    rs = [r for r in rs if not math.isnan(r)]
    if rs:
        assert curve.r_max == pytest.approx(max(rs))
