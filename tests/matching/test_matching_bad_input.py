"""Bad input: typed errors or documented defaults, never a silent wrong score."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jhmatch.datasets.uniform import synthetic_persons, synthetic_posts
from jhmatch.errors import ParameterError, SchemaError, UnknownLabelError
from jhmatch.matching import CallableComponent, CompatibilityScorer, Component

AS_OF = "2025-06-30"


@pytest.fixture
def persons():
    return synthetic_persons(12, seed=4)


@pytest.fixture
def posts():
    return synthetic_posts(15, seed=5)


def test_unknown_columns_are_ignored(persons, posts):
    base = CompatibilityScorer(as_of=AS_OF).score(persons, posts).to_frame(components=True)
    extra = CompatibilityScorer(as_of=AS_OF).score(persons.assign(favourite_colour="blue"),
                                                   posts.assign(notes="x")).to_frame(components=True)
    pd.testing.assert_frame_equal(base, extra)


def test_unknown_labels_and_missing_columns_raise_schema_error(persons, posts):
    with pytest.raises(SchemaError, match="category"):
        CompatibilityScorer().score(persons.assign(category="telepathic"), posts)
    with pytest.raises(SchemaError, match="capacity"):
        CompatibilityScorer().score(persons, posts.drop(columns="capacity"))
    with pytest.raises(ParameterError):
        CompatibilityScorer().score(persons.to_dict(), posts)


def test_nan_skills_read_as_none_listed(persons, posts):
    persons = persons.assign(skills=np.nan)
    scorer = CompatibilityScorer(top_k=None, as_of=AS_OF)
    frame = scorer.score(persons, posts).to_frame(components=True)
    asks = posts.set_index("post_id")["required_skills"].ne("") | posts.set_index("post_id")["title"].ne("")
    assert (frame.loc[frame["post_id"].map(asks), "skills"] == 0).all()
    row = frame[frame["post_id"].map(asks)].iloc[0]
    assert "no skills listed" in str(scorer.explain(row["person_id"], row["post_id"]))


def test_empty_tables_give_empty_matrices(persons, posts):
    sm = CompatibilityScorer().score(persons.iloc[:0], posts)
    assert sm.shape == (0, len(posts)) and sm.nnz == 0
    sm = CompatibilityScorer().score(persons, posts.iloc[:0])
    assert sm.shape == (len(persons), 0) and sm.nnz == 0
    assert set(sm.components) == {"functional", "skills", "location", "education", "preference", "age", "certificates"}


def test_zero_capacity_posts_have_no_candidates(persons, posts):
    posts = posts.assign(capacity=0)
    scorer = CompatibilityScorer(top_k=None, as_of=AS_OF)
    assert scorer.score(persons, posts).nnz == 0
    e = scorer.explain(scorer.person_index_[0], scorer.post_index_[0])
    assert e.status == "excluded" and any(r.component == "capacity" for r in e.rules)


def test_bad_parameters(persons, posts):
    for kwargs in ({"top_k": 0}, {"block_size": 0}, {"weights": {"nonsense": 1}}, {"weights": {"skills": -1}},
                   {"weights": {"skills": 0}}, {"components": {"x": 3}}, {"components": {"x": lambda p, q: 1}}):
        with pytest.raises(ParameterError):
            CompatibilityScorer(**kwargs).score(persons, posts)
    with pytest.raises(ParameterError):
        CompatibilityScorer().explain("a", "b")


def test_user_component_and_its_checks(persons, posts):
    def wage(p, q):
        return np.tile(np.linspace(0, 1, len(q)) if len(q) > 1 else np.ones(len(q)), (len(p), 1))

    scorer = CompatibilityScorer(top_k=None, as_of=AS_OF, components={"wage": wage},
                                 weights={"functional": 1, "wage": 1})
    frame = scorer.score(persons, posts).to_frame(components=True)
    assert "wage" in frame and np.allclose(frame["score"], 0.5 * frame["functional"] + 0.5 * frame["wage"], atol=1e-6)
    bad = CompatibilityScorer(components={"wage": lambda p, q: np.full((len(p), len(q)), 2.0)},
                              weights={"functional": 1, "wage": 1})
    with pytest.raises(ParameterError, match="outside"):
        bad.score(persons, posts)
    shape = CompatibilityScorer(components={"wage": CallableComponent("wage", lambda p, q: np.ones(3))},
                                weights={"functional": 1, "wage": 1})
    with pytest.raises(ParameterError, match="shape"):
        shape.score(persons, posts)
    assert issubclass(CallableComponent, Component)


def test_explain_unknown_ids_are_masked(persons, posts):
    scorer = CompatibilityScorer(as_of=AS_OF)
    scorer.score(persons, posts)
    with pytest.raises(UnknownLabelError) as info:
        scorer.explain("11010519491231002X", posts["post_id"].iloc[0])
    assert "11010519491231002X" not in str(info.value)
    with pytest.raises(UnknownLabelError):
        scorer.explain(persons["person_id"].iloc[0], "nope")


def test_multiple_without_components_uses_cautious_default(posts):
    persons = pd.DataFrame({"person_id": ["m"], "category": ["multiple"], "grade": [2], "county": ["义乌"]})
    scorer = CompatibilityScorer(top_k=None, as_of=AS_OF)
    sm = scorer.score(persons, posts)
    if sm.nnz:
        e = scorer.explain("m", sm.post_ids[sm.pairs()[1][0]])
        assert "without recorded components" in e.contributions[0].en


def test_person_without_county_only_gets_remote_or_nearby_posts(posts):
    persons = pd.DataFrame({"person_id": ["x", "y"], "category": ["hearing", "hearing"], "grade": [4, 4],
                            "county": [None, None], "remote_ok": [True, False]})
    scorer = CompatibilityScorer(top_k=None, as_of=AS_OF)
    frame = scorer.score(persons, posts).to_frame()
    remote = set(scorer.posts_.loc[scorer.posts_["remote"] & (scorer.posts_["capacity"] > 0), "post_id"])
    assert set(frame.loc[frame["person_id"] == "x", "post_id"]) <= remote
    assert not (frame["person_id"] == "y").any()


def test_explain_pair_outside_top_k(persons, posts):
    scorer = CompatibilityScorer(top_k=1, as_of=AS_OF)
    sm = scorer.score(persons, posts)
    full = CompatibilityScorer(top_k=None, as_of=AS_OF).score(persons, posts).to_frame()
    kept = set(zip(*[sm.to_frame()[c] for c in ("person_id", "post_id")]))
    extra = full[[(p, q) not in kept for p, q in zip(full["person_id"], full["post_id"])]]
    if len(extra):
        row = extra.iloc[0]
        e = scorer.explain(row["person_id"], row["post_id"])
        assert e.status == "not_in_top_k" and e.score == pytest.approx(row["score"], abs=1e-6) and not e.rules
