"""LearnedScorer: scikit-learn conformance, calibration, JSON persistence, drop-in rescoring."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.utils.estimator_checks import parametrize_with_checks

from jhmatch.datasets.uniform import synthetic_persons, synthetic_posts
from jhmatch.errors import ParameterError
from jhmatch.matching import CompatibilityScorer
from jhmatch.matching.learned import LearnedScorer, pair_features


@parametrize_with_checks([LearnedScorer()])
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


def simulated_history(seed: int = 0):
    persons, posts = synthetic_persons(150, seed=seed), synthetic_posts(120, seed=seed + 1)
    sm = CompatibilityScorer(top_k=20, as_of="2025-06-30").score(persons, posts)
    X, names = pair_features(sm)
    rng = np.random.default_rng(seed)
    true_logit = -3 + 3.5 * X[:, names.index("functional")] + 2.5 * X[:, names.index("skills")]
    y = (rng.random(len(X)) < 1 / (1 + np.exp(-true_logit))).astype(int)
    return sm, X, y


def test_probabilities_match_sklearn_and_are_calibrated():
    _, X, y = simulated_history()
    model = LearnedScorer(C=10.0).fit(X, y)
    ref = LogisticRegression(C=10.0, max_iter=1000).fit(X, y)
    assert np.allclose(model.predict_proba(X), ref.predict_proba(X), atol=1e-8)
    p = model.predict_proba(X)[:, 1]
    bins = np.digitize(p, [0.2, 0.4, 0.6, 0.8])
    for b in np.unique(bins):
        sel = bins == b
        if sel.sum() >= 200:  # reliability: observed rate close to the mean prediction
            assert abs(y[sel].mean() - p[sel].mean()) < 0.08


def test_json_round_trip_and_rescore(tmp_path):
    sm, _, y = simulated_history(1)
    model = LearnedScorer().fit_pairs(sm, y)
    path = tmp_path / "model.json"
    model.save(path)
    assert json.loads(path.read_text())["format"].startswith("jhmatch.LearnedScorer")
    loaded = LearnedScorer.load(path)
    assert loaded.feature_names_ == tuple(sm.components) and loaded.get_params() == model.get_params()
    a, b = model.rescore(sm), loaded.rescore(sm)
    assert np.array_equal(a.scores.data, b.scores.data)
    assert np.array_equal(a.scores.indices, sm.scores.indices) and a.scores.data.min() > 0
    with pytest.raises(ParameterError):
        LearnedScorer.from_json(json.dumps({"format": "pickle"}))


def test_pair_features_errors():
    sm, _, _ = simulated_history(2)
    with pytest.raises(ParameterError):
        pair_features(sm, ("nonexistent",))
