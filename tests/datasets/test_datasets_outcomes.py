"""Tests of the hidden outcome model (simulate_outcomes) and the placement history."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import jhmatch.datasets as datasets
from jhmatch.data.schema import validate_persons, validate_posts
from jhmatch.datasets import make_jinhua, simulate_history, simulate_outcomes
from jhmatch.errors import ParameterError

R = 150  # replicates that average out the unobserved pair / person effects


def persons_frame(variants: dict[str, dict], replicates: int = 1) -> pd.DataFrame:
    base = {"category": "physical", "grade": 4, "limbs": "lower", "county": "330702", "lat": 29.0, "lon": 119.6,
            "education": 3, "age": 35, "sex": "M", "skills": "", "preferred_kinds": "", "willing": True,
            "remote_ok": True}
    rows = [{**base, **attrs, "person_id": f"{name}-{r}"} for name, attrs in variants.items() for r in range(replicates)]
    return validate_persons(pd.DataFrame(rows))


def posts_frame(variants: dict[str, dict], replicates: int = 1) -> pd.DataFrame:
    base = {"kind": "enterprise_post", "county": "330702", "capacity": 1, "lat": 29.0, "lon": 119.6,
            "employer_id": "E1"}
    rows = [{**base, **attrs, "post_id": f"{name}-{r}"} for name, attrs in variants.items() for r in range(replicates)]
    return validate_posts(pd.DataFrame(rows))


def mean_probability(persons: pd.DataFrame, posts: pd.DataFrame, person_prefix: str, post_prefix: str) -> float:
    pid = persons.loc[persons["person_id"].str.startswith(person_prefix + "-"), "person_id"]
    qid = posts.loc[posts["post_id"].str.startswith(post_prefix + "-"), "post_id"]
    pairs = pd.merge(pid.to_frame(), qid.to_frame(), how="cross")
    return float(simulate_outcomes(persons, posts, pairs, seed=1).probability.mean())


def test_incompatible_pair_is_less_likely_to_last() -> None:
    persons = persons_frame({"blind": {"category": "visual", "grade": 1, "limbs": None}})
    posts = posts_frame({"network": {"kind": "network_maintenance"}, "massage": {"kind": "blind_massage"}}, R)
    network = mean_probability(persons, posts, "blind", "network")
    massage = mean_probability(persons, posts, "blind", "massage")
    assert network < 0.2 < 0.5 < massage


def test_accommodation_relieves_the_demand() -> None:
    persons = persons_frame({"low-vision": {"category": "visual", "grade": 2, "limbs": None}})
    posts = posts_frame({"plain": {"kind": "cloud_review", "remote": True},
                         "reader": {"kind": "cloud_review", "remote": True, "accommodations": "screen_reader"}}, R)
    assert mean_probability(persons, posts, "low-vision", "reader") > mean_probability(persons, posts, "low-vision", "plain") + 0.2


def test_matching_skills_help() -> None:
    persons = persons_frame({"cleaner": {"skills": "保洁员"}})
    posts = posts_frame({"same": {"occupation": "4-09-08-01"}, "other": {"occupation": "6-05-01-03"}}, R)
    assert mean_probability(persons, posts, "cleaner", "same") > mean_probability(persons, posts, "cleaner", "other") + 0.05


def test_preference_and_willingness_help() -> None:
    persons = persons_frame({"keen": {"preferred_kinds": "enterprise_post"}, "elsewhere": {"preferred_kinds": "kiosk"},
                             "unwilling": {"willing": False}}, R)
    posts = posts_frame({"job": {}})
    keen = mean_probability(persons, posts, "keen", "job")
    elsewhere = mean_probability(persons, posts, "elsewhere", "job")
    unwilling = mean_probability(persons, posts, "unwilling", "job")
    assert keen > elsewhere + 0.05
    assert unwilling < elsewhere - 0.1


def test_distance_education_and_remote_refusal_hurt() -> None:
    persons = persons_frame({"local": {"education": 1}, "homebound": {"remote_ok": False}})
    posts = posts_frame({"near": {}, "far": {"county": "330727", "lat": 29.1, "lon": 120.6},
                         "degree": {"min_education": 5}, "remote": {"kind": "ecommerce", "remote": True}}, R)
    near = mean_probability(persons, posts, "local", "near")
    assert near > mean_probability(persons, posts, "local", "far") + 0.05
    assert near > mean_probability(persons, posts, "local", "degree") + 0.1
    assert mean_probability(persons, posts, "homebound", "remote") < mean_probability(persons, posts, "local", "remote") - 0.1


@pytest.fixture(scope="module")
def scenario() -> datasets.Scenario:
    return make_jinhua(n_persons=3000, seed=21)


@pytest.fixture(scope="module")
def random_pairs(scenario: datasets.Scenario) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    n = 20_000
    return pd.DataFrame({"person_id": scenario.persons["person_id"].to_numpy()[rng.integers(0, len(scenario.persons), n)],
                         "post_id": scenario.posts["post_id"].to_numpy()[rng.integers(0, len(scenario.posts), n)]})


def test_probabilities_and_draws(scenario: datasets.Scenario, random_pairs: pd.DataFrame) -> None:
    out = simulate_outcomes(scenario, pairs=random_pairs, seed=5)
    p = out.probability
    assert ((p >= 0) & (p <= 1)).all() and p.std() > 0.1
    assert abs(out.success.mean() - p.mean()) < 0.02  # Bernoulli draws follow the probabilities
    high, low = p > 0.8, p < 0.2
    assert out.success[high].mean() > 0.75 and out.success[low].mean() < 0.25
    assert list(out.table.columns) == ["person_id", "post_id", "probability", "success"]
    assert (out.table["person_id"].to_numpy() == random_pairs["person_id"].to_numpy()).all()


def test_same_seed_same_outcomes_and_other_seed_differs(scenario: datasets.Scenario, random_pairs: pd.DataFrame) -> None:
    pairs = random_pairs.head(3000)
    a = simulate_outcomes(scenario, pairs=pairs, seed=5).table
    b = simulate_outcomes(scenario, pairs=pairs, seed=5).table
    c = simulate_outcomes(scenario, pairs=pairs, seed=6).table
    pd.testing.assert_frame_equal(a, b)
    assert (a["success"] != c["success"]).mean() > 0.05


def test_outcome_of_a_pair_does_not_depend_on_the_other_pairs(scenario: datasets.Scenario,
                                                               random_pairs: pd.DataFrame) -> None:
    full = simulate_outcomes(scenario, pairs=random_pairs.head(2000), seed=9).table
    rows = np.arange(1999, -1, -7)
    part = simulate_outcomes(scenario, pairs=random_pairs.head(2000).iloc[rows], seed=9).table
    np.testing.assert_allclose(part["probability"].to_numpy(), full["probability"].to_numpy()[rows])
    assert (part["success"].to_numpy() == full["success"].to_numpy()[rows]).all()


def test_persons_and_posts_tables_give_the_same_result(scenario: datasets.Scenario, random_pairs: pd.DataFrame) -> None:
    pairs = random_pairs.head(500)
    a = simulate_outcomes(scenario, pairs=pairs, seed=2).table
    b = simulate_outcomes(scenario.persons, scenario.posts, pairs, seed=2).table
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: simulate_outcomes(s, pairs=pd.DataFrame({"person_id": ["nobody"], "post_id": [s.posts["post_id"][0]]})),
         "'person_id' has 1 id"),
        (lambda s: simulate_outcomes(s, pairs=pd.DataFrame({"person_id": [s.persons["person_id"][0]], "post_id": ["x"]})),
         "'post_id' has 1 id"),
        (lambda s: simulate_outcomes(s, pairs=pd.DataFrame({"who": ["a"]})), "columns 'person_id' and 'post_id'"),
        (lambda s: simulate_outcomes(s.persons, None, pd.DataFrame()), "needs a Scenario, or a persons and a posts"),
        (lambda s: simulate_history(s.persons, 10), "needs a Scenario"),
        (lambda s: simulate_history(s, -1), "non-negative integer"),
        (lambda s: simulate_history(s, 5, start="2024-01-01", end="2023-01-01"), "before start"),
    ],
)
def test_bad_input_raises(scenario: datasets.Scenario, call, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        call(scenario)


def test_history(scenario: datasets.Scenario) -> None:
    h = simulate_history(scenario, 5000, seed=3, start="2022-01-01", end="2024-06-30")
    pd.testing.assert_frame_equal(h, simulate_history(scenario, 5000, seed=3, start="2022-01-01", end="2024-06-30"))
    assert list(h.columns) == ["person_id", "post_id", "placed", "success"]
    assert h["placed"].between(pd.Timestamp("2022-01-01"), pd.Timestamp("2024-06-30")).all()
    assert h["placed"].is_monotonic_increasing
    assert h["person_id"].isin(scenario.persons["person_id"]).all()
    assert h["post_id"].isin(scenario.posts["post_id"]).all()
    willing = scenario.persons.set_index("person_id")["willing"]
    assert willing[h["person_id"]].all()
    assert 0.3 < h["success"].mean() < 0.95
    # caseworkers place people mostly in their own county or preferred kind
    p = scenario.persons.set_index("person_id")
    q = scenario.posts.set_index("post_id")
    same_county = (p.loc[h["person_id"], "county"].to_numpy() == q.loc[h["post_id"], "county"].to_numpy()).mean()
    assert same_county > 0.45
    outcome = simulate_outcomes(scenario, pairs=h[["person_id", "post_id"]], seed=3).success
    assert (outcome == h["success"].to_numpy()).all()
    assert len(simulate_history(scenario, 0)) == 0


def test_outcome_model_shares_no_code_with_the_scorers() -> None:
    folder = Path(datasets.__file__).parent
    for name in ("outcomes.py", "_truth.py"):
        tree = ast.parse((folder / name).read_text(encoding="utf-8"))
        modules = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        modules += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        assert modules and not any(m.startswith("jhmatch.matching") for m in modules), name
