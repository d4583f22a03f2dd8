"""Built-in scorer competitors: the rule-based scorer, the learned scorer and two baselines.

- ``rule``: :class:`~jhmatch.matching.CompatibilityScorer` (top 50 per person).
- ``rule, functional off``: the same scorer with its functional component replaced
  by a constant (weight 0 and no hard rules): what the functional part is worth.
- ``learned``: :class:`~jhmatch.matching.LearnedScorer` fitted on the rule-based
  component values of the training persons' past placements
  (:func:`~jhmatch.datasets.simulate_history`), then rescoring every candidate
  pair of the new persons.
- ``random``: 50 random posts per person with random scores (seeded).
- ``popularity``: the same 50 posts for everybody, ranked by their number of
  successful past placements (then total placements, then capacity).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from jhmatch.bench.registry import TrainingData
from jhmatch.errors import ParameterError
from jhmatch.matching import CompatibilityScorer, LearnedScorer, ScoreMatrix, pair_features

__all__ = ["LearnedRanker", "PopularityScorer", "RandomScorer", "RuleScorer", "functional_off", "register_builtins"]

TOP_K = 50


def _ids(frame: pd.DataFrame, column: str) -> np.ndarray:
    return frame[column].astype(str).to_numpy(dtype=object)


def _same_list(persons: pd.DataFrame, posts: pd.DataFrame, cols: np.ndarray, vals: np.ndarray) -> ScoreMatrix:
    """Every person gets the columns ``cols`` (sorted) with scores ``vals``."""
    n, k = len(persons), cols.size
    order = np.argsort(cols)
    indptr = np.arange(0, n * k + 1, k, dtype=np.int64) if k else np.zeros(n + 1, np.int64)
    data = np.tile(vals[order], n)
    scores = sp.csr_array((data, np.tile(cols[order], n), indptr), shape=(n, len(posts)))
    return ScoreMatrix(scores, _ids(persons, "person_id"), _ids(posts, "post_id"))


class RuleScorer:
    """The rule-based :class:`~jhmatch.matching.CompatibilityScorer`, dated by the training data.

    Examples
    --------
    >>> from jhmatch.datasets import make_jinhua
    >>> s = make_jinhua(n_persons=100, seed=0)
    >>> RuleScorer().score(s.persons, s.posts).shape
    (100, 30)
    """

    def __init__(self, top_k: int | None = TOP_K):
        self.top_k = top_k
        self.as_of: Any = None

    def fit(self, train: TrainingData) -> RuleScorer:
        """Only takes the scenario's reference date (nothing is learned)."""
        self.as_of = train.as_of
        return self

    def score(self, persons: pd.DataFrame, posts: pd.DataFrame) -> ScoreMatrix:
        """Score with :class:`~jhmatch.matching.CompatibilityScorer`."""
        return CompatibilityScorer(top_k=self.top_k, as_of=self.as_of).score(persons, posts)


def _constant(persons: pd.DataFrame, posts: pd.DataFrame) -> np.ndarray:
    return np.ones((len(persons), len(posts)), np.float32)


def functional_off(top_k: int | None = TOP_K, as_of: Any = None) -> CompatibilityScorer:
    """The rule-based scorer without its functional part (a constant, weight 0, no hard rules).

    Examples
    --------
    >>> from jhmatch.datasets import make_jinhua
    >>> s = make_jinhua(n_persons=100, seed=0)
    >>> functional_off().score(s.persons, s.posts).shape
    (100, 30)
    """
    from jhmatch.matching import DEFAULT_WEIGHTS

    weights = {**DEFAULT_WEIGHTS, "functional": 0.0}
    return CompatibilityScorer(weights=weights, components={"functional": _constant}, top_k=top_k, as_of=as_of)


class RuleWithoutFunction(RuleScorer):
    """:class:`RuleScorer` with the functional component switched off (:func:`functional_off`)."""

    def score(self, persons: pd.DataFrame, posts: pd.DataFrame) -> ScoreMatrix:
        """Score with :func:`functional_off`."""
        return functional_off(self.top_k, self.as_of).score(persons, posts)


class LearnedRanker:
    """:class:`~jhmatch.matching.LearnedScorer` on the rule-based components, as a scorer.

    ``fit`` scores the training persons with every candidate pair kept, takes the
    component values of the history's placements (placements that are not
    candidate pairs, i.e. excluded by a hard rule, are dropped) and fits the
    logistic model on their outcomes; ``score`` rescores every candidate pair.
    """

    def __init__(self, C: float = 1.0):
        self.C = C
        self.as_of: Any = None

    def fit(self, train: TrainingData) -> LearnedRanker:
        """Fit on the training persons' placement history."""
        self.as_of = train.as_of
        sm = CompatibilityScorer(top_k=None, as_of=self.as_of).score(train.persons, train.posts)
        X, names = pair_features(sm)
        rows, cols, _ = sm.pairs()
        keys = rows.astype(np.int64) * sm.shape[1] + cols
        r = pd.Index(sm.person_ids.astype(str)).get_indexer(train.history["person_id"].astype(str))
        c = pd.Index(sm.post_ids.astype(str)).get_indexer(train.history["post_id"].astype(str))
        want = r.astype(np.int64) * sm.shape[1] + c
        if not keys.size:
            raise ParameterError("the training persons have no candidate pairs to learn from")
        pos = np.minimum(np.searchsorted(keys, want), keys.size - 1)
        found = (r >= 0) & (c >= 0) & (keys[pos] == want)
        y = train.history["success"].to_numpy(dtype=bool)[found].astype(int)
        if np.unique(y).size < 2:
            raise ParameterError("the placement history needs both lasting and failed placements among candidate pairs")
        self.model_ = LearnedScorer(C=self.C).fit(X[pos[found]], y)
        self.model_.feature_names_ = names
        self.n_train_ = int(found.sum())
        return self

    def score(self, persons: pd.DataFrame, posts: pd.DataFrame) -> ScoreMatrix:
        """Every candidate pair, scored by the model's probability that the placement lasts."""
        if not hasattr(self, "model_"):
            raise ParameterError("LearnedRanker needs fit(train) before score()")
        return self.model_.rescore(CompatibilityScorer(top_k=None, as_of=self.as_of).score(persons, posts))


class RandomScorer:
    """``TOP_K`` random distinct posts per person with random scores (seeded).

    Examples
    --------
    >>> from jhmatch.datasets import make_jinhua
    >>> s = make_jinhua(n_persons=100, seed=0)
    >>> RandomScorer(seed=1).score(s.persons, s.posts).nnz
    3000
    """

    def __init__(self, seed: int = 0, k: int = TOP_K):
        self.seed = seed
        self.k = k

    def fit(self, train: TrainingData) -> RandomScorer:
        """Nothing to learn."""
        return self

    def score(self, persons: pd.DataFrame, posts: pd.DataFrame) -> ScoreMatrix:
        """Random candidate sets and scores."""
        n, m = len(persons), len(posts)
        k = min(self.k, m)
        rng = np.random.default_rng(self.seed)
        draws = np.sort(rng.integers(0, m - k + 1, (n, k)), axis=1) + np.arange(k)
        indptr = np.arange(0, n * k + 1, k, dtype=np.int64)
        scores = sp.csr_array((rng.uniform(0.01, 1.0, n * k), draws.ravel(), indptr), shape=(n, m))
        return ScoreMatrix(scores, _ids(persons, "person_id"), _ids(posts, "post_id"))


class PopularityScorer:
    """The same ``TOP_K`` posts for everybody: most successful past placements first.

    Without ``fit`` (or without history), posts rank by capacity.
    """

    def __init__(self, k: int = TOP_K):
        self.k = k
        self.counts_: pd.DataFrame | None = None

    def fit(self, train: TrainingData) -> PopularityScorer:
        """Count successful and total placements per post."""
        h = train.history.assign(post_id=train.history["post_id"].astype(str))
        self.counts_ = h.groupby("post_id").agg(success=("success", "sum"), total=("success", "size"))
        return self

    def score(self, persons: pd.DataFrame, posts: pd.DataFrame) -> ScoreMatrix:
        """Rank posts by popularity; scores fall linearly from 1 with the rank."""
        qid = _ids(posts, "post_id")
        cap = pd.to_numeric(posts["capacity"], errors="coerce").fillna(0).to_numpy(dtype=float)
        if self.counts_ is not None:
            counts = self.counts_.reindex(qid).fillna(0)
            success, total = counts["success"].to_numpy(float), counts["total"].to_numpy(float)
        else:
            success = total = np.zeros(len(qid))
        order = np.lexsort((np.arange(len(qid)), -cap, -total, -success))
        order = order[cap[order] > 0][: self.k]
        vals = 1.0 - np.arange(order.size) / max(order.size, 1) * 0.99
        return _same_list(persons, posts, order, vals)


def register_builtins() -> None:
    """Register the built-in scorers (called once by the registry)."""
    from jhmatch.bench.registry import register_scorer

    register_scorer("rule", RuleScorer, kind="model", source="jhmatch",
                    description="CompatibilityScorer (rule-based components, top 50 per person)")
    register_scorer("rule, functional off", RuleWithoutFunction, kind="ablation", source="jhmatch", throughput=False,
                    description="the rule-based scorer with the functional component a constant (weight 0, no hard rules)")
    register_scorer("learned", LearnedRanker, kind="model", source="jhmatch", throughput=False,
                    description="LearnedScorer (logistic) on the rule-based components, fitted on the history")
    register_scorer("random", RandomScorer, kind="baseline", source="jhmatch", throughput=False,
                    description="50 random posts per person, random order")
    register_scorer("popularity", PopularityScorer, kind="baseline", source="jhmatch", throughput=False,
                    description="the same 50 posts for all, by successful past placements")
