"""One vectorised home for the ranking metrics: ``ranking_metrics`` on indices, the table functions on ids."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from jhmatch.errors import ParameterError
from jhmatch.matching import mrr, ndcg_at_k, precision_at_k, recall_at_k
from jhmatch.matching.metrics import ranking_metrics


def oracle(lists: dict[int, list[int]], gains: dict[tuple[int, int], float], k: int) -> dict[str, float]:
    """Person by person, as the definitions read."""
    out = {"ndcg": [], "precision": [], "recall": [], "mrr": []}
    for p in sorted({p for p, _ in gains if gains[(p, _)] > 0}):
        mine = sorted((g for (q, _), g in gains.items() if q == p and g > 0), reverse=True)
        ranked = lists.get(p, [])[:k]
        got = [gains.get((p, post), 0.0) for post in ranked]
        dcg = sum(g / math.log2(i + 2) for i, g in enumerate(got))
        idcg = sum(g / math.log2(i + 2) for i, g in enumerate(mine[:k]))
        hits = sum(g > 0 for g in got)
        first = next((i + 1 for i, g in enumerate(got) if g > 0), None)
        out["ndcg"].append(dcg / idcg)
        out["precision"].append(hits / k)
        out["recall"].append(hits / len(mine))
        out["mrr"].append(0.0 if first is None else 1.0 / first)
    return {name: float(np.mean(v)) if v else float("nan") for name, v in out.items()}


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 12), m=st.integers(1, 10), k=st.integers(1, 6),
       graded=st.booleans())
def test_vectorised_metrics_equal_the_definitions(seed, n, m, k, graded):
    rng = np.random.default_rng(seed)
    gain = (rng.random((n, m)) < 0.3) * (rng.integers(1, 4, (n, m)) if graded else 1)
    lists = {p: list(rng.permutation(m)[:rng.integers(0, m + 1)]) for p in range(n)}
    person = np.array([p for p, posts in lists.items() for _ in posts], np.int64)
    post = np.array([q for posts in lists.values() for q in posts], np.int64)
    rank = np.array([i + 1 for posts in lists.values() for i in range(len(posts))], np.int64)
    want = oracle(lists, {(p, q): float(gain[p, q]) for p in range(n) for q in range(m)}, k)
    for relevant in (gain.astype(float), sp.csr_array(gain.astype(float))):
        got = ranking_metrics(person, post, rank, relevant, k)
        for name in want:
            key = name if name == "mrr" else f"{name}@{k}"
            assert got[key] == pytest.approx(want[name], nan_ok=True), name
    ids_p, ids_q = np.array([f"p{i}" for i in range(n)]), np.array([f"q{j}" for j in range(m)])
    rec = pd.DataFrame({"person_id": ids_p[person], "post_id": ids_q[post], "rank": rank})
    r, c = np.nonzero(gain)
    rel = pd.DataFrame({"person_id": ids_p[r], "post_id": ids_q[c], "gain": gain[r, c].astype(float)})
    assert ndcg_at_k(rec, rel, k) == pytest.approx(want["ndcg"], nan_ok=True)
    assert precision_at_k(rec, rel, k) == pytest.approx(want["precision"], nan_ok=True)
    assert recall_at_k(rec, rel, k) == pytest.approx(want["recall"], nan_ok=True)
    assert mrr(rec, rel, k) == pytest.approx(want["mrr"], nan_ok=True)


def test_k_is_checked_and_duplicates_keep_the_largest_gain():
    rec = pd.DataFrame({"person_id": ["a"], "post_id": ["x"], "rank": [1]})
    for bad in (0, True, 1.5):
        with pytest.raises(ParameterError):
            ndcg_at_k(rec, pd.DataFrame({"person_id": ["a"], "post_id": ["x"]}), bad)
    rel = pd.DataFrame({"person_id": ["a", "a", "a"], "post_id": ["x", "x", "y"], "gain": [1.0, 3.0, 3.0]})
    assert ndcg_at_k(rec, rel, 2) == pytest.approx(3.0 / (3.0 + 3.0 / math.log2(3)))


def test_table_functions_are_fast_on_many_persons():
    import time

    rng = np.random.default_rng(0)
    n, m, per = 60_000, 5_000, 10
    rec = pd.DataFrame({"person_id": np.repeat([f"P{i:07d}" for i in range(n)], per),
                        "post_id": [f"Q{j:06d}" for j in rng.integers(0, m, n * per)],
                        "rank": np.tile(np.arange(1, per + 1), n)})
    rel = rec.sample(frac=0.05, random_state=1)[["person_id", "post_id"]]
    start = time.perf_counter()
    value = ndcg_at_k(rec, rel, 5)
    assert 0 < value <= 1 and time.perf_counter() - start < 5.0
