"""One signature story for recommendations (issue 15).

``top_posts`` ranks a ScoreMatrix; ``CompatibilityScorer.recommend_posts`` and
``jhmatch.distributed.recommend_posts`` score the tables first. Same keywords, same order,
same table on the same data; the old ScoreMatrix names warn and still work.
"""

from __future__ import annotations

import copy
import inspect
import warnings

import pandas as pd
import pytest

from jhmatch.datasets.uniform import synthetic_persons, synthetic_posts
from jhmatch.distributed import recommend_posts as distributed_recommend_posts
from jhmatch.matching import CompatibilityScorer, recommend_persons, recommend_posts, top_persons, top_posts

RANKING = ["person_ids", "min_score", "max_per_kind", "exclude_full", "reasons"]


def _keywords(func) -> list[str]:
    return [p.name for p in inspect.signature(func).parameters.values() if p.kind is p.KEYWORD_ONLY]


def test_the_three_take_the_same_keywords_in_the_same_order():
    assert _keywords(top_posts)[1:6] == RANKING  # after posts=, which the other two read from the tables
    assert _keywords(CompatibilityScorer.recommend_posts) == RANKING
    assert _keywords(distributed_recommend_posts)[:5] == RANKING
    positional = [p for p in inspect.signature(CompatibilityScorer.recommend_posts).parameters if p != "self"]
    assert positional[:3] == list(inspect.signature(distributed_recommend_posts).parameters)[:3] == \
        ["persons", "posts", "k"]
    assert list(inspect.signature(top_posts).parameters)[:3] == ["scores", "k", "posts"]


@pytest.mark.parametrize("options", [{}, {"max_per_kind": 1, "min_score": 0.2}, {"reasons": True}])
def test_the_three_agree_on_the_same_data(options):
    persons, posts = synthetic_persons(60, seed=3), synthetic_posts(40, seed=4)
    scorer = CompatibilityScorer(as_of="2025-06-30")
    by_method = copy.deepcopy(scorer).recommend_posts(persons, posts, 4, **options)
    local = copy.deepcopy(scorer)
    by_matrix = top_posts(local.score(persons, posts), 4, posts=local.posts_, weights=local.weights_, **options)
    by_partition = distributed_recommend_posts(persons, posts, 4, scorer=scorer, n_partitions=3, **options)
    assert len(by_method) > 0
    pd.testing.assert_frame_equal(by_method, by_matrix)
    key = by_method.assign(pid=by_method["person_id"].astype(str)).sort_values(["pid", "rank"], kind="stable")
    pd.testing.assert_frame_equal(by_partition, key.drop(columns="pid").reset_index(drop=True))


def test_old_names_warn_and_give_the_same_table():
    persons, posts = synthetic_persons(20, seed=5), synthetic_posts(15, seed=6)
    scorer = CompatibilityScorer(as_of="2025-06-30")
    sm = scorer.score(persons, posts)
    with pytest.warns(DeprecationWarning, match="recommend_posts is deprecated; use top_posts"):
        old = recommend_posts(sm, 3, posts=scorer.posts_)
    pd.testing.assert_frame_equal(old, top_posts(sm, 3, posts=scorer.posts_))
    with pytest.warns(DeprecationWarning, match="use top_persons"):
        old = recommend_persons(sm, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pd.testing.assert_frame_equal(old, top_persons(sm, 2))
