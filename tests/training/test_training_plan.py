"""Who to train: the training MILP checked against brute force and against the allocation model.

Outside facts used: an electrician's post requires 电工证 and a forklift post 叉车证
(special-operation and special-equipment certificates, 安监总局令第30号, TSG Z6001);
a course costs its seats' price and cannot take more trainees than it has seats.
The brute force enumerates every choice of trainees and courses within the budget and
seats, solves each allocation with :func:`jhmatch.optimize.solve`, and keeps the best.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from jhmatch.data.schema import validate_persons, validate_posts
from jhmatch.i18n import language
from jhmatch.matching import CompatibilityScorer
from jhmatch.optimize import Status
from jhmatch.training import greedy_training, plan_training, validate_courses
from jhmatch.training.counterfactual import after_scores, allocate, prepare

AS_OF = "2025-01-01"
SCORER = CompatibilityScorer(as_of=AS_OF)
TITLES = ["电工", "叉车司机", "包装工", "仓库叉车工", "焊工"]


def _persons(certs, categories=None):
    n = len(certs)
    return validate_persons(pd.DataFrame({
        "person_id": [f"p{i}" for i in range(n)], "category": categories or ["hearing"] * n, "grade": [4] * n,
        "certificates": certs, "county": ["义乌"] * n, "age": [35] * n}))


def _posts(titles, capacity):
    return validate_posts(pd.DataFrame({
        "post_id": [f"q{j}" for j in range(len(titles))], "kind": ["企业一般岗位"] * len(titles), "title": titles,
        "county": ["义乌"] * len(titles), "capacity": capacity}))


def _courses(seats=(2, 2, 2), costs=(1500, 1800, 2000)):
    return validate_courses(pd.DataFrame({
        "course_id": ["E", "F", "W"], "name": ["低压电工作业", "叉车司机", "焊接与热切割作业"],
        "grants_certificates": ["电工证", "叉车证", "焊工证"], "cost": list(costs), "seats": list(seats)}))


def _brute_force(persons, posts, courses, budget, seats):
    """Best allocation objective and placements over every trainee/course choice within budget and seats."""
    setup = prepare(persons, posts, courses, scorer=SCORER, seats=seats)
    ids = list(setup.persons["person_id"])
    cids = list(courses["course_id"])
    cost = dict(zip(cids, courses["cost"], strict=True))
    cap = dict(zip(cids, setup.seats, strict=True))
    best = (-np.inf, -1)
    for choice in itertools.product([None, *cids], repeat=len(ids)):
        taken = [(p, c) for p, c in zip(ids, choice, strict=True) if c is not None]
        if sum(cost[c] for _p, c in taken) > budget + 1e-9:
            continue
        if any(sum(1 for _p, c in taken if c == k) > cap[k] for k in cids):
            continue
        trainees = pd.DataFrame(taken, columns=["person_id", "course_id"])
        alloc = allocate(setup, after_scores(setup, trainees))
        best = max(best, (round(alloc.objective, 9), alloc.n_placed))
    return best


@pytest.fixture(scope="module")
def market():
    persons = _persons(["", "", "", "electrician", ""], ["hearing", "physical", "speech", "hearing", "visual"])
    posts = _posts(["电工", "叉车司机", "包装工", "焊工"], [2, 2, 1, 1])
    return persons, posts, _courses()


def test_the_licence_makes_one_person_a_candidate_and_nobody_else_changes(market):
    persons, posts, courses = market
    setup = prepare(persons, posts, courses, scorer=SCORER)
    after = after_scores(setup, pd.DataFrame({"person_id": ["p1"], "course_id": ["F"]}))
    from jhmatch.training.effects import trained_scores

    before = setup.base.to_frame().set_index(["person_id", "post_id"])["score"]
    trained = trained_scores(setup.base, after).to_frame().set_index(["person_id", "post_id"])["score"]
    assert ("p1", "q1") not in before.index and ("p1", "q1") in trained.index
    assert trained.index.difference(before.index).tolist() == [("p1", "q1")]
    common = before.index.intersection(trained.index)
    assert (trained[common] == before[common]).all()  # nobody else's pairs, nor p1's others, change
    row = setup.effects.table.query("person_id == 'p1' and course_id == 'F' and post_id == 'q1'")
    assert bool(row["impossible_before"].iloc[0]) and row["score_before"].iloc[0] == 0.0
    assert row["score_after"].iloc[0] == pytest.approx(trained[("p1", "q1")])


def test_a_course_that_teaches_the_asked_skill_raises_the_pair():
    persons = _persons([""])
    posts = validate_posts(pd.DataFrame({"post_id": ["q0"], "kind": ["企业一般岗位"], "title": ["包装工"],
                                         "county": ["义乌"], "capacity": [1], "required_skills": ["打包 装箱"]}))
    courses = validate_courses(pd.DataFrame({"course_id": ["S"], "name": ["包装"], "grants_skills": ["打包 装箱"],
                                             "cost": [500]}))
    plan_setup = prepare(persons, posts, courses, scorer=SCORER)
    row = plan_setup.effects.table.iloc[0]
    assert not row["impossible_before"] and row["score_after"] > row["score_before"] + 0.05
    direct = SCORER.score(persons.assign(skills="打包;装箱"), posts).to_frame()["score"].iloc[0]
    assert row["score_after"] == pytest.approx(direct)


def test_zero_budget_is_the_allocation_without_training(market):
    persons, posts, courses = market
    plan = plan_training(persons, posts, courses, budget=0, scorer=SCORER)
    assert plan.trainees.empty and plan.budget_used == 0
    assert plan.placements_after == plan.placements_before
    assert plan.value_after == pytest.approx(plan.value_before)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(certs=st.lists(st.sampled_from(["", "", "forklift", "electrician"]), min_size=3, max_size=4),
       caps=st.lists(st.integers(0, 2), min_size=4, max_size=4),
       budget=st.sampled_from([0, 1500, 1800, 3300, 3600, 6000]),
       seats=st.tuples(st.integers(0, 2), st.integers(1, 2), st.integers(0, 1)))
def test_plan_matches_brute_force(certs, caps, budget, seats):
    persons = _persons(certs, (["hearing", "physical", "speech", "hearing"])[: len(certs)])
    posts = _posts(["电工", "叉车司机", "包装工", "焊工"], caps)
    courses = _courses()
    seat_map = dict(zip(["E", "F", "W"], seats, strict=True))
    plan = plan_training(persons, posts, courses, budget=budget, seats=seat_map, gap=0.0, scorer=SCORER)
    value, placed = _brute_force(persons, posts, courses, budget, seat_map)
    assert plan.status is Status.OPTIMAL
    assert plan.value_after == pytest.approx(value, abs=1e-6)
    assert plan.placements_after == placed
    # budget, seats and one course per person hold
    assert plan.budget_used <= budget
    counts = plan.trainees["course_id"].value_counts()
    assert all(counts.get(c, 0) <= s for c, s in seat_map.items())
    assert plan.trainees["person_id"].is_unique


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(budget=st.integers(0, 8000), seats=st.tuples(*[st.integers(0, 3)] * 3))
def test_budget_and_seats_are_never_exceeded(market, budget, seats):
    persons, posts, _ = market
    courses = _courses(seats=seats)
    for planner in (plan_training, greedy_training):
        plan = planner(persons, posts, courses, budget=budget, scorer=SCORER)
        assert plan.budget_used <= budget
        counts = plan.trainees["course_id"].value_counts()
        limit = dict(zip(["E", "F", "W"], seats, strict=True))
        assert all(n <= (limit[c] if limit[c] > 0 else np.inf) for c, n in counts.items())
        assert plan.trainees["person_id"].is_unique


def test_the_plan_is_at_least_the_greedy_baseline_and_deterministic():
    from jhmatch.datasets import make_jinhua
    from jhmatch.training import load_sample_courses

    city = make_jinhua(300, n_posts=40, seed=1)
    kw = dict(budget=30_000, scorer=SCORER, seed=3)
    plan = plan_training(city.persons, city.posts, load_sample_courses(), **kw)
    greedy = greedy_training(city.persons, city.posts, load_sample_courses(), **kw)
    assert plan.placements_before == greedy.placements_before
    assert plan.value_after >= greedy.value_after - 1e-6 * abs(plan.value_after)
    assert plan.placements_after >= greedy.placements_after
    again = plan_training(city.persons, city.posts, load_sample_courses(), **kw)
    pd.testing.assert_frame_equal(plan.trainees, again.trainees)
    greedy2 = greedy_training(city.persons, city.posts, load_sample_courses(), **kw)
    pd.testing.assert_frame_equal(greedy.trainees, greedy2.trainees)


def test_each_explanation_names_the_course_and_the_post(market):
    persons, posts, courses = market
    plan = plan_training(persons, posts, courses, budget=10_000, scorer=SCORER)
    assert len(plan.trainees) >= 2
    for row in plan.trainees.itertuples():
        assert row.course_id in row.explanation and row.post_id in row.explanation
        assert row.post_id in {"q0", "q1", "q3"}  # a licensed post
    pid = plan.trainees["person_id"].iloc[0]
    with language("zh"):
        zh = plan.explain(pid)
    course = plan.trainees["course"].iloc[0]
    assert course in zh and "成为可能" in zh and plan.trainees["post_id"].iloc[0] in zh
    with pytest.raises(KeyError):
        plan.explain("nobody")


def test_a_time_limit_that_runs_out_says_so(market):
    persons, posts, courses = market
    plan = plan_training(persons, posts, courses, budget=5000, scorer=SCORER, time_limit=1e-3)
    assert plan.status is Status.TIME_LIMIT
    assert plan.budget_used <= 5000
    assert "greedy" in plan.message  # no MILP plan in time: the fallback is named


def test_with_one_seat_the_priority_person_is_trained():
    """Two persons near-miss the one forklift place; the graduate (a plan priority) gets the seat."""
    persons = validate_persons(pd.DataFrame({
        "person_id": ["a", "b"], "category": ["hearing", "hearing"], "grade": [4, 4], "county": ["义乌"] * 2,
        "age": [30, 30], "graduate": [False, True]}))
    posts = _posts(["叉车司机"], [1])
    plan = plan_training(persons, posts, _courses(seats=(0, 1, 0)), budget=10_000, scorer=SCORER)
    assert plan.trainees["person_id"].tolist() == ["b"]
    assert plan.placements_before == 0 and plan.placements_after == 1


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(choice=st.lists(st.sampled_from([None, "E", "F", "W"]), min_size=5, max_size=5))
def test_training_changes_only_the_trainees_rows(market, choice):
    """Rescoring the whole counterfactual persons table changes the trainees' rows only, never downwards."""
    persons, posts, courses = market
    setup = prepare(persons, posts, courses, scorer=SCORER)
    ids = list(setup.persons["person_id"])
    trainees = pd.DataFrame([(p, c) for p, c in zip(ids, choice, strict=True) if c is not None],
                            columns=["person_id", "course_id"])
    from jhmatch.training.effects import trained_persons, trained_scores

    base = setup.base.to_frame().set_index(["person_id", "post_id"])["score"]
    after = trained_scores(setup.base, after_scores(setup, trainees)).to_frame()
    after = after.set_index(["person_id", "post_id"])["score"]
    # the whole table rescored at once, trainees replaced by their trained rows: same pairs, same scores
    at = pd.Index(ids).get_indexer(trainees["person_id"])
    whole = setup.persons.copy()
    if len(at):
        changed = trained_persons(setup.persons, setup.courses, at,
                                  pd.Index(setup.courses["course_id"]).get_indexer(trainees["course_id"]))
        whole.loc[at, ["certificates", "skills"]] = changed[["certificates", "skills"]].to_numpy()
    direct = SCORER.score(whole, posts).to_frame().set_index(["person_id", "post_id"])["score"]
    direct = pd.concat([direct, base]).groupby(level=[0, 1]).max()  # a course never lowers a pair
    pd.testing.assert_series_equal(after.sort_index(), direct.sort_index(), check_names=False, check_dtype=False)
    others = ~after.index.get_level_values(0).isin(trainees["person_id"])
    pd.testing.assert_series_equal(after[others].sort_index(),
                                   base[~base.index.get_level_values(0).isin(trainees["person_id"])].sort_index(),
                                   check_dtype=False)
    assert (after.reindex(base.index) >= base).all()


def test_a_pruned_model_is_bounded_over_every_pair():
    """Pruned to a few posts per person, the plan's Lagrangian bound still bounds the exact optimum."""
    from jhmatch.datasets import make_jinhua
    from jhmatch.training import load_sample_courses

    city = make_jinhua(300, n_posts=40, seed=1)
    kw = dict(budget=30_000, scorer=SCORER, gap=0.0)
    exact = plan_training(city.persons, city.posts, load_sample_courses(), **kw)
    pruned = plan_training(city.persons, city.posts, load_sample_courses(), exact_pairs=100, keep=3, **kw)
    assert "Lagrangian" in pruned.message and pruned.bound is not None
    assert pruned.bound >= exact.value_after - 1e-6 >= pruned.value_after - 1e-6
    assert pruned.gap == pytest.approx((pruned.bound - pruned.value_after) / pruned.value_after)
    assert pruned.status in (Status.OPTIMAL, Status.FEASIBLE) and pruned.budget_used <= 30_000


def test_bad_inputs_are_named(market):
    from jhmatch.errors import ParameterError, SchemaError

    persons, posts, _ = market
    no_cost = validate_courses(pd.DataFrame({"course_id": ["E"], "name": ["电工"], "grants_certificates": ["电工证"]}))
    with pytest.raises(SchemaError) as err:
        plan_training(persons, posts, no_cost, budget=1000, scorer=SCORER)
    assert "cost" in str(err.value)
    with pytest.raises(ParameterError):
        plan_training(persons, posts, _courses(), budget=-1, scorer=SCORER)
    with pytest.raises(ParameterError):
        plan_training(persons, posts, _courses(), budget=1000, seats={"nope": 1}, scorer=SCORER)
