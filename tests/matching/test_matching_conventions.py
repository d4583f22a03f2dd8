"""The scorer follows scikit-learn's estimator conventions; public defaults are read-only; reprs are short."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest

import jhmatch.matching as matching
from jhmatch.data.schema import validate_persons, validate_posts
from jhmatch.datasets.uniform import synthetic_persons, synthetic_posts
from jhmatch.errors import ParameterError
from jhmatch.matching import CompatibilityScorer
from jhmatch.matching.functional import BACKSTOP, SUPERVISION_BELOW

sklearn_base = pytest.importorskip("sklearn.base")

AS_OF = "2025-06-30"
TABLES = ("DEFAULT_WEIGHTS", "CAPACITY_TABLE", "HAZARD_RULES", "HAZARD_RELIEF", "KIND_ADJUSTMENTS",
          "ACCOMMODATION_EFFECTS", "COLLOQUIAL_SYNONYMS")


def test_params_stored_as_given_and_round_trip():
    weights = {"functional": 1.0, "skills": 1.0}
    scorer = CompatibilityScorer(weights=weights, top_k=7, as_of=AS_OF)
    params = scorer.get_params()
    assert params["weights"] is weights and params["top_k"] == 7 and set(params) == {
        "weights", "components", "top_k", "block_size", "max_commute_km", "as_of", "top_k_persons", "n_jobs"}
    assert scorer.set_params(top_k=3, n_jobs=1) is scorer and scorer.top_k == 3
    with pytest.raises(ParameterError, match="topk"):
        scorer.set_params(topk=3)


def test_sklearn_clone_gives_an_unfitted_equal_scorer():
    persons = validate_persons(synthetic_persons(40, seed=2))
    posts = validate_posts(synthetic_posts(30, seed=1002))
    scorer = CompatibilityScorer(top_k=4, as_of=AS_OF, weights=matching.DEFAULT_WEIGHTS,
                                 components={"extra": lambda p, q: np.full((len(p), len(q)), 0.5)})
    scorer.set_params(weights={**matching.DEFAULT_WEIGHTS, "extra": 0.1})
    fitted = scorer.score(persons, posts)
    twin = sklearn_base.clone(scorer)
    assert twin is not scorer and not hasattr(twin, "result_") and repr(twin) == repr(scorer)
    again = twin.score(persons, posts)
    assert np.array_equal(again.scores.data, fitted.scores.data)


@pytest.mark.parametrize("name", TABLES)
def test_public_defaults_are_read_only(name):
    table = getattr(matching, name)
    key = next(iter(table))
    with pytest.raises(TypeError):
        table[key] = table[key]
    assert not hasattr(table, "update") and copy.deepcopy(table) == table == pickle.loads(pickle.dumps(table))


def test_nested_defaults_are_read_only_too():
    for nested in (matching.HAZARD_RULES["reading"].minimum, matching.HAZARD_RELIEF["screen_reader"],
                   matching.ACCOMMODATION_EFFECTS[next(iter(matching.ACCOMMODATION_EFFECTS))], BACKSTOP,
                   SUPERVISION_BELOW):
        with pytest.raises(TypeError):
            nested["x"] = 1  # type: ignore[index]


def test_reprs_are_one_short_line():
    persons = validate_persons(synthetic_persons(1000, seed=4))
    posts = validate_posts(synthetic_posts(300, seed=1004))
    scorer = CompatibilityScorer(as_of=AS_OF, top_k=20)
    sm = scorer.score(persons, posts)
    e = scorer.explain(sm.person_ids[0], sm.post_ids[sm.scores.indices[0]])
    objects = [scorer, sm, e, *scorer.components_.values(), matching.post_facts(posts),
               matching.person_capacities(persons), matching.post_demands(posts),
               matching.normalize_titles(["保洁", "收银员"])]
    for obj in objects:
        text = repr(obj)
        assert "\n" not in text and len(text) < 200, (type(obj).__name__, len(text))
    assert repr(sm).startswith("ScoreMatrix(1,000 persons x 300 posts") and repr(scorer) == \
        "CompatibilityScorer(top_k=20, as_of='2025-06-30')"
    assert "P000" not in repr(sm)  # no identifiers
