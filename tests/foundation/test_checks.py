"""One set of parameter checks (jhmatch.checks, issue 15): the same rule and message in every layer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jhmatch import checks
from jhmatch.errors import ParameterError
from jhmatch.matching import CompatibilityScorer, metrics
from jhmatch.matching.recommend import top_persons, top_posts
from jhmatch.matching.score_matrix import ScoreMatrix


def test_old_import_path_still_works():
    from jhmatch.optimize import checks as old

    assert old.positive_int is checks.positive_int


@pytest.mark.parametrize("name", ["top_k", "top_k_persons", "n_jobs", "block_size"])
@pytest.mark.parametrize("bad", [True, 0, 2.0, "3"])
def test_scorer_refuses_booleans_and_non_integers(name, bad):
    with pytest.raises(ParameterError, match=f"{name} must be a positive integer"):
        CompatibilityScorer(**{name: bad})._check()


def test_scorer_accepts_numpy_integers_and_none():
    CompatibilityScorer(top_k=np.int64(5), top_k_persons=None, n_jobs=None, block_size=np.int32(10))._check()


def test_top_k_true_refused_by_recommend_and_metrics():
    sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a"], "post_id": ["x"], "score": [0.5]}))
    rec = pd.DataFrame({"person_id": ["a"], "post_id": ["x"], "rank": [1]})
    for call in (lambda: top_posts(sm, True), lambda: top_persons(sm, True),
                 lambda: metrics.precision_at_k(rec, rec, True), lambda: metrics.mrr(rec, rec, True)):
        with pytest.raises(ParameterError, match="k must be a positive integer"):
            call()
