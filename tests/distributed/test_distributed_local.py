"""jhmatch.distributed without a cluster: exact scoring, decomposed allocation against the monolithic solve."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from jhmatch.datasets import make_jinhua
from jhmatch.distributed import allocate, dual_prices, partition_persons, recommend_posts, regions_of, score
from jhmatch.errors import ParameterError, SchemaError
from jhmatch.matching import CompatibilityScorer, ScoreMatrix
from jhmatch.optimize import AllocationProblem, PlacementGuarantee, solve


def assert_same(a: ScoreMatrix, b: ScoreMatrix, components: bool = True) -> None:
    assert a.shape == b.shape
    assert np.array_equal(a.person_ids, b.person_ids)
    assert np.array_equal(a.post_ids, b.post_ids)
    assert np.array_equal(a.scores.indptr, b.scores.indptr)
    assert np.array_equal(a.scores.indices, b.scores.indices)
    assert np.array_equal(a.scores.data, b.scores.data)  # bitwise: float32 values, same tie order
    if components:
        assert sorted(a.components) == sorted(b.components)
        for name in b.components:
            assert np.array_equal(sp.csr_array(a.components[name]).data, sp.csr_array(b.components[name]).data)


@pytest.fixture(scope="module")
def scenario():
    return make_jinhua(1000, 300, seed=11)


@pytest.fixture(scope="module")
def scorer():
    return CompatibilityScorer(as_of="2025-01-01", top_k=8, block_size=97)


@pytest.fixture(scope="module")
def reference(scenario, scorer):
    import copy

    local = copy.deepcopy(scorer)
    return local.score(scenario.persons, scenario.posts), local


def test_score_equals_single_process(scenario, scorer, reference):
    assert_same(score(scenario.persons, scenario.posts, scorer), reference[0])


def test_score_shuffled_aliased_and_merged_partitions(scenario, scorer, reference):
    persons = scenario.persons.sample(frac=1.0, random_state=3).reset_index(drop=True)
    # county given as names for some rows and codes for others: partitions use the validated county
    names = {"330782": "义乌", "330702": "婺城", "330783": "东阳"}
    persons["county"] = [names.get(c, c) if i % 2 else c for i, c in enumerate(persons["county"].astype(str))]
    persons = persons.rename(columns={"county": "县市区"})
    persons.attrs = {}  # a raw table: validated again
    for n_partitions in (None, 2, 50):
        assert_same(score(persons, scenario.posts, scorer, n_partitions=n_partitions), reference[0])


def test_score_without_components_and_one_partition(scenario, scorer, reference):
    sm = score(scenario.persons, scenario.posts, scorer, partition_by=None, components=False)
    assert_same(sm, reference[0], components=False)
    assert dict(sm.components) == {}


def test_partitions_hold_whole_counties(scenario):
    parts = partition_persons(scenario.persons, n_partitions=4)
    counties = [set(p["county"].astype(str)) for p in parts]
    assert len(parts) == 4
    assert sum(len(p) for p in parts) == len(scenario.persons)
    for i in range(4):
        for j in range(i + 1, 4):
            assert not counties[i] & counties[j]


def test_recommend_equals_single_process(scenario, scorer, reference, tmp_path):
    import copy

    want = copy.deepcopy(scorer).recommend_posts(scenario.persons, scenario.posts, k=3, max_per_kind=2)
    out = tmp_path / "rec.csv"
    got = recommend_posts(scenario.persons, scenario.posts, k=3, scorer=scorer, max_per_kind=2, out=out)
    pd.testing.assert_frame_equal(got, want)
    assert out.exists() and len(pd.read_csv(out)) == len(want)


def test_duplicate_ids_across_partitions_refused(scenario, scorer):
    persons = scenario.persons.head(40).copy()
    other = persons.head(1).copy()
    other["county"] = "330727" if other["county"].iloc[0] != "330727" else "330782"
    with pytest.raises(SchemaError):
        score(pd.concat([persons, other], ignore_index=True), scenario.posts, scorer)


# ---------------------------------------------------------------------- allocation
@pytest.fixture(scope="module")
def problem(reference):
    sm, local = reference
    return AllocationProblem.from_frames(sm, local.persons_, local.posts_)


def check_feasible(problem: AllocationProblem, selected: np.ndarray) -> None:
    rows, cols = problem.pair_person[selected], problem.pair_post[selected]
    assert np.unique(rows).size == rows.size, "a person placed twice"
    assert (np.bincount(cols, minlength=problem.n_posts) <= problem.capacities).all(), "a capacity exceeded"


@pytest.mark.parametrize("regions", ["county", "components"])
def test_allocate_gap_against_monolithic(problem, regions):
    mono = solve(problem, method="flow")
    res = allocate(problem, regions=regions, max_iter=40, tol=1e-5)
    check_feasible(problem, res.selected)
    opt = mono.objective
    assert res.objective <= opt + 1e-6
    assert res.bound >= opt - 1e-6 * opt, "the Lagrangian bound must bound the optimum"
    true_gap = (opt - res.objective) / opt
    assert res.gap >= true_gap - 1e-9
    assert res.gap <= 1e-3
    assert np.isclose(res.objective, problem.values[res.selected].sum())
    assert len(res.assignments) == res.selected.size
    if regions == "components":
        assert res.n_shared_posts == 0 and res.gap <= 1e-6


@pytest.fixture(scope="module")
def province_problem():
    from jhmatch.data.schema import validate_persons, validate_posts
    from jhmatch.datasets import make_province

    province = make_province(3000, 900, n_cities=3, seed=4)
    sm = province.score(CompatibilityScorer(as_of="2025-01-01", top_k=10))
    return AllocationProblem.from_frames(sm, validate_persons(province.persons), validate_posts(province.posts))


def test_province_by_city_has_a_small_master(province_problem):
    problem = province_problem
    mono = solve(problem, method="flow")
    res = allocate(problem, regions="city", max_iter=20, tol=1e-5)
    check_feasible(problem, res.selected)
    opt = mono.objective
    assert res.bound >= opt * (1 - 1e-9) and res.gap >= (opt - res.objective) / opt - 1e-9
    assert res.gap <= 2e-3
    # shared posts: exactly the posts with candidates in two cities (remote posts open across a city line)
    city = problem.persons["city"].to_numpy()[problem.pair_person]
    per_post = pd.DataFrame({"post": problem.pair_post, "city": city}).groupby("post")["city"].nunique()
    shared = per_post.index[per_post > 1].to_numpy()
    assert res.n_shared_posts == shared.size > 0
    assert problem.posts["remote"].to_numpy()[shared].all()
    # the master holds the shared posts' persons and their best outside candidates: with two cities
    # sharing each post, at most three times its capacity
    assert 0 < res.n_master_persons <= 3 * problem.capacities[shared].sum()
    assert res.n_master_persons < 0.4 * problem.n_persons
    assert res.history["master_persons"].max() == res.n_master_persons
    assert (res.history["master_persons"] > 0).sum() >= 2
    assert 0 < res.region_time < res.solve_time


def test_to_allocation_matches(problem):
    res = allocate(problem, max_iter=10)
    alloc = res.to_allocation(problem)
    assert alloc.n_placed == res.n_placed
    assert np.isclose(alloc.objective, res.objective)
    assert alloc.bound == res.bound and alloc.backend == "decompose"
    assert alloc.unplaced["person_id"].nunique() == problem.n_persons - res.n_placed


def test_allocate_is_the_decompose_backend(problem):
    """allocate wraps solve(method="decompose"): the same placements, bound, history and status."""
    res = allocate(problem, max_iter=12, tol=1e-5)
    via_solve = solve(problem, method="decompose", regions="county", max_iter=12, gap=1e-5)
    assert np.array_equal(res.selected, via_solve.selected) and res.bound == via_solve.bound
    assert res.status is via_solve.status and res.objective == via_solve.objective
    pd.testing.assert_frame_equal(res.history, via_solve.details["history"])
    assert res.n_master_persons == via_solve.details["master_persons"] and via_solve.backend == "decompose"


def test_allocate_from_frames(scenario, scorer, problem):
    res = allocate((scenario.persons, scenario.posts), scorer=scorer)
    mono = solve(problem, method="flow")
    assert res.bound >= mono.objective - 1e-6 * mono.objective
    assert res.objective >= (1 - 1e-3) * mono.objective


def test_allocate_refuses_rules_and_bad_regions(problem):
    ruled = problem.with_constraints(PlacementGuarantee([problem.scores.person_ids[0]]))
    with pytest.raises(ParameterError, match=r"'decompose' cannot solve this problem.*PlacementGuarantee"):
        allocate(ruled)
    with pytest.raises(ParameterError, match="one label per person"):
        allocate(problem, regions=["a", "b"])
    with pytest.raises(ParameterError, match="max_iter"):
        allocate(problem, max_iter=0)
    bare = AllocationProblem(problem.scores, problem.capacities)
    with pytest.raises(SchemaError):
        regions_of(bare, "county")


@st.composite
def small_problems(draw):
    n = draw(st.integers(1, 9))
    m = draw(st.integers(1, 5))
    mask = np.array(draw(st.lists(st.booleans(), min_size=n * m, max_size=n * m))).reshape(n, m)
    scores = np.array(draw(st.lists(st.sampled_from([0.25, 0.5, 0.75, 1.0, 0.3]), min_size=n * m,
                                    max_size=n * m))).reshape(n, m)
    caps = draw(st.lists(st.integers(0, 3), min_size=m, max_size=m))
    regions = draw(st.lists(st.integers(0, 2), min_size=n, max_size=n))
    r, c = np.nonzero(mask)
    frame = pd.DataFrame({"person_id": [f"p{i}" for i in r], "post_id": [f"q{j}" for j in c],
                          "score": scores[r, c]})
    sm = ScoreMatrix.from_frame(frame, person_ids=[f"p{i}" for i in range(n)], post_ids=[f"q{j}" for j in range(m)])
    return AllocationProblem(sm, caps), regions


@settings(max_examples=40, deadline=None)
@given(small_problems())
def test_allocate_small_problems_against_flow(case):
    problem, regions = case
    res = allocate(problem, regions=regions, max_iter=30, tol=0.0)
    mono = solve(problem, method="flow")
    check_feasible(problem, res.selected)
    assert res.objective <= mono.objective + 1e-9
    assert res.bound >= mono.objective - 1e-9
    p, bound = dual_prices(problem, mono.selected)
    assert (p >= 0).all()
    assert bound >= mono.objective - 1e-9
    assert bound <= mono.objective + 1e-6  # prices of an optimal allocation certify it
