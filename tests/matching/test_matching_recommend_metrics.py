"""Recommendations both ways and the ranking metrics, against brute-force oracles."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import ndcg_score

from jhmatch.datasets.uniform import synthetic_persons, synthetic_posts
from jhmatch.errors import ParameterError
from jhmatch.matching import (
    CompatibilityScorer,
    ScoreMatrix,
    catalogue_coverage,
    exposure,
    mrr,
    ndcg_at_k,
    precision_at_k,
    recall_at_k,
    top_persons,
    top_posts,
)
from jhmatch.matching.candidates import top_k_per_row


def random_matrix(seed: int, n: int = 8, m: int = 12) -> tuple[ScoreMatrix, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    pairs = [(f"p{i}", f"q{j:02d}") for i, j in itertools.product(range(n), range(m)) if rng.random() < 0.6]
    frame = pd.DataFrame(pairs, columns=["person_id", "post_id"])
    frame["score"] = rng.choice([0.2, 0.5, 0.7, 0.9], len(frame))  # many ties on purpose
    posts = pd.DataFrame({"post_id": [f"q{j:02d}" for j in range(m)], "kind": rng.choice(["a", "b", "c"], m),
                          "capacity": rng.integers(0, 3, m)})
    return ScoreMatrix.from_frame(frame), posts


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), k=st.integers(1, 6), cap=st.one_of(st.none(), st.integers(1, 3)))
def test_recommend_posts_matches_brute_force(seed, k, cap):
    sm, posts = random_matrix(seed)
    got = top_posts(sm, k, posts=posts, max_per_kind=cap)
    frame = sm.to_frame().merge(posts, on="post_id")
    rows = []
    for pid, g in frame[frame["capacity"] > 0].groupby("person_id"):
        taken: dict[str, int] = {}
        for _, r in g.sort_values(["score", "post_id"], ascending=[False, True]).iterrows():
            if cap is not None and taken.get(r["kind"], 0) >= cap:
                continue
            taken[r["kind"]] = taken.get(r["kind"], 0) + 1
            rows.append((pid, r["post_id"]))
            if sum(taken.values()) == k:
                break
    assert list(zip(got["person_id"], got["post_id"])) == rows
    assert (got.groupby("person_id")["rank"].apply(lambda s: list(s) == list(range(1, len(s) + 1)))).all()


def test_recommend_persons_filters_and_order():
    sm, _ = random_matrix(1)
    persons = pd.DataFrame({"person_id": [f"p{i}" for i in range(8)], "willing": [True] * 7 + [False],
                            "employed": [False, True] + [False] * 6})
    got = top_persons(sm, 3, persons=persons, exclude_employed=True)
    assert not got["person_id"].isin(["p7", "p1"]).any()
    for _, g in got.groupby("post_id"):
        assert list(g["score"]) == sorted(g["score"], reverse=True) and len(g) <= 3
    with pytest.raises(ParameterError):
        top_posts(sm, 0)
    with pytest.raises(ParameterError):
        top_posts(sm, 2, max_per_kind=1)


def test_scorer_recommend_methods():
    p, q = synthetic_persons(20, seed=9), synthetic_posts(30, seed=10)
    scorer = CompatibilityScorer(as_of="2025-06-30")
    rec = scorer.recommend_posts(p, q, k=3, max_per_kind=1)
    assert (rec.groupby("person_id").size() <= 3).all()
    assert not rec.duplicated(["person_id", "kind"]).any()
    back = scorer.recommend_persons(p, q, k=2)
    assert (back.groupby("post_id").size() <= 2).all()


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), k=st.integers(1, 10), b=st.integers(1, 5), m=st.integers(1, 60))
def test_top_k_per_row_matches_full_sort(seed, k, b, m):
    rng = np.random.default_rng(seed)
    v = rng.choice(np.array([0, 0.1, 0.5, 0.5, 0.9], np.float32), (b, m))
    r, c = top_k_per_row(v, k)
    for i in range(b):
        cols = [j for j in sorted(range(m), key=lambda j: (-v[i, j], j)) if v[i, j] > 0][:k]
        assert sorted(c[r == i].tolist()) == sorted(cols)


def test_metrics_by_hand_and_against_sklearn():
    rec = pd.DataFrame({"person_id": ["a"] * 4 + ["b"] * 2 + ["c"], "post_id": ["w", "x", "y", "z", "x", "y", "x"],
                        "rank": [1, 2, 3, 4, 1, 2, 1]})
    rel = pd.DataFrame({"person_id": ["a", "a", "b"], "post_id": ["x", "z", "q"]})
    assert precision_at_k(rec, rel, 2) == pytest.approx((1 / 2 + 0) / 2)
    assert recall_at_k(rec, rel, 4) == pytest.approx((2 / 2 + 0) / 2)
    assert mrr(rec, rel) == pytest.approx((1 / 2 + 0) / 2)
    # person a alone against sklearn's ndcg_score (binary relevance, scores = -rank)
    true = np.array([[0, 1, 0, 1]])
    expect = ndcg_score(true, -np.array([[1, 2, 3, 4]]), k=3)
    assert ndcg_at_k(rec[rec.person_id == "a"], rel[rel.person_id == "a"], 3) == pytest.approx(expect)
    assert catalogue_coverage(rec, ["w", "x", "y", "z", "v"], k=1) == pytest.approx(2 / 5)


def test_exposure_counts_persons_without_recommendations():
    rec = pd.DataFrame({"person_id": ["a", "a", "b"], "post_id": ["x", "y", "x"], "rank": [1, 2, 1],
                        "score": [0.9, 0.3, 0.4]})
    persons = pd.DataFrame({"person_id": ["a", "b", "c"], "county": ["330782", "330782", "330727"]})
    out = exposure(rec, persons, by="county")
    assert out.loc["330782", "share_good"] == 0.5 and out.loc["330727", "share_any"] == 0.0
    assert out.loc["330782", "mean_count"] == 1.5 and out.loc["330727", "persons"] == 1
