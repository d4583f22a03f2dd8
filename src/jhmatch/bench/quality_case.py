"""The matching-quality case: scorers against the hidden outcome model, safety included.

Every held-out person × post pair gets its hidden six-month probability from
:func:`jhmatch.datasets.simulate_outcomes` (a world model that shares nothing with
the scorers). Each scorer's recommendations are then measured on ranking (NDCG@k
and friends against the pairs whose probability reaches the relevance threshold),
on **safety** (``danger@5``: the share of recommended top-5 pairs whose hidden
probability is below :data:`jhmatch.datasets.outcomes.DANGER`, i.e. the job is
likely lost or someone gets hurt; ``persons_danger@5``: the share of persons with
at least one such post in their top 5; ``unsafe@5``: the share whose functional factor
alone, whatever the fit, is below that) and on **agreement** (Spearman's rank
correlation between the scorer's score and the hidden probability). The ablation
``rule, functional off`` shows what the functional component is worth.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from jhmatch.bench.config import CaseResult, SuiteConfig
from jhmatch.bench.registry import ScorerSpec, TrainingData
from jhmatch.matching.metrics import ranking_metrics  # the one home of the ranking metrics

__all__ = ["case_quality", "hidden_probabilities", "ranking_metrics"]

DANGER_K = 5
PEEK = "rule × hidden p_function (peeks)"


def hidden_probabilities(scen: Any, persons: pd.DataFrame, seed: int, max_pairs: int = 2_000_000
                         ) -> tuple[np.ndarray, np.ndarray]:
    """Hidden six-month probability, and its functional factor, of every person × post (persons × posts).

    Examples
    --------
    >>> from jhmatch.datasets import make_jinhua
    >>> s = make_jinhua(n_persons=100, seed=0)
    >>> p, p_function = hidden_probabilities(s, s.persons.head(3), seed=0)
    >>> p.shape, bool((p <= p_function + 1e-12).all())
    ((3, 30), True)
    """
    from jhmatch.datasets import simulate_outcomes

    pid = persons["person_id"].to_numpy()
    qid = scen.posts["post_id"].to_numpy()
    m = len(qid)
    chunk = max(1, max_pairs // max(m, 1))
    out, function = np.empty((len(pid), m)), np.empty((len(pid), m))
    for s in range(0, len(pid), chunk):
        who = pid[s:s + chunk]
        pairs = pd.DataFrame({"person_id": np.repeat(who, m), "post_id": np.tile(qid, who.size)})
        got = simulate_outcomes(scen, pairs=pairs, seed=seed, detail=True).table
        out[s:s + who.size] = got["probability"].to_numpy().reshape(who.size, m)
        function[s:s + who.size] = got["p_function"].to_numpy().reshape(who.size, m)
    return out, function


def _spearman(a: np.ndarray, b: np.ndarray) -> float:
    if a.size < 3 or np.ptp(a) == 0 or np.ptp(b) == 0:
        return float("nan")
    return float(spearmanr(a, b).statistic)


class _Truth:
    """The hidden probabilities of the held-out persons, with id lookups."""

    def __init__(self, scen: Any, test: pd.DataFrame, seed: int, k: int, threshold: float):
        self.p, self.p_function = hidden_probabilities(scen, test, seed)
        self.person_ids = test["person_id"].astype(str).to_numpy()
        self.post_ids = scen.posts["post_id"].astype(str).to_numpy()
        self.open = scen.posts["capacity"].to_numpy() > 0
        p = np.where(self.open, self.p, -1.0)
        self.relevant = p >= threshold
        kk = min(k, p.shape[1])
        top = np.argsort(-p, axis=1, kind="stable")[:, :kk]
        n = len(self.person_ids)
        self.oracle = pd.DataFrame({"person_id": np.repeat(self.person_ids, kk),
                                    "rank": np.tile(np.arange(1, kk + 1), n), "post_id": self.post_ids[top.ravel()]})

    def agreement(self, sm: Any) -> tuple[float, float]:
        """Spearman over the pairs a ScoreMatrix holds, and over all open pairs (absent pairs score 0)."""
        rows, cols, vals = sm.pairs()
        r = pd.Index(self.person_ids).get_indexer(np.asarray(sm.person_ids).astype(str))
        c = pd.Index(self.post_ids).get_indexer(np.asarray(sm.post_ids).astype(str))
        kept = _spearman(vals, self.p[r[rows], c[cols]])
        full = np.zeros(self.p.shape)
        full[r[rows], c[cols]] = vals
        return kept, _spearman(full[:, self.open].ravel(), self.p[:, self.open].ravel())


def _with_hidden_function(sm: Any, truth: _Truth) -> Any:
    """The ScoreMatrix with every score multiplied by the pair's hidden functional factor."""
    import scipy.sparse as sp

    from jhmatch.matching import ScoreMatrix

    rows, cols, vals = sm.pairs()
    r = pd.Index(truth.person_ids).get_indexer(np.asarray(sm.person_ids).astype(str))
    c = pd.Index(truth.post_ids).get_indexer(np.asarray(sm.post_ids).astype(str))
    scores = sp.csr_array((vals * truth.p_function[r[rows], c[cols]], (rows, cols)), shape=sm.shape)
    return ScoreMatrix(scores, sm.person_ids, sm.post_ids)


def _ranking_row(truth: _Truth, rec: pd.DataFrame, k: int) -> dict[str, Any]:
    from jhmatch.datasets.outcomes import DANGER

    rec = rec[rec["rank"] <= k]
    n_test = len(truth.person_ids)
    r = pd.Index(truth.person_ids).get_indexer(rec["person_id"].astype(str).to_numpy())
    c = pd.Index(truth.post_ids).get_indexer(rec["post_id"].astype(str).to_numpy())
    p, p_function = truth.p[r, c], truth.p_function[r, c]
    top = (rec["rank"] <= DANGER_K).to_numpy()
    bad = top & (p < DANGER)
    unsafe = top & (p_function < DANGER)
    return {**ranking_metrics(r, c, rec["rank"].to_numpy(), truth.relevant, k),
            f"mean_true_p@{k}": float(np.mean(p)) if len(rec) else float("nan"),
            f"danger@{DANGER_K}": float(bad.sum() / top.sum()) if top.any() else float("nan"),
            f"persons_danger@{DANGER_K}": float(np.unique(r[bad]).size / max(n_test, 1)),
            f"unsafe@{DANGER_K}": float(unsafe.sum() / top.sum()) if top.any() else float("nan"),
            "persons_with_list": np.unique(r).size / max(n_test, 1)}


def case_quality(cfg: SuiteConfig, seed: int, scorers: Mapping[str, ScorerSpec]) -> CaseResult:
    """NDCG@k, danger@5 and Spearman against the hidden outcome model, for every scorer, side by side."""
    from jhmatch.datasets import make_jinhua, simulate_history
    from jhmatch.datasets.outcomes import DANGER
    from jhmatch.matching import top_posts

    t_case = time.perf_counter()
    k = cfg.quality_k
    scen = make_jinhua(n_persons=cfg.quality_persons, seed=seed)
    rng = np.random.default_rng(seed)
    is_test = np.zeros(len(scen.persons), bool)
    is_test[rng.choice(len(scen.persons), round(cfg.quality_test_share * len(scen.persons)), replace=False)] = True
    train_p = scen.persons[~is_test].reset_index(drop=True)
    test_p = scen.persons[is_test].reset_index(drop=True)
    history = simulate_history(dataclasses.replace(scen, persons=train_p), cfg.quality_history, seed=seed)
    train = TrainingData(train_p, scen.posts, history, scen.as_of)
    truth = _Truth(scen, test_p, seed, k, cfg.relevance_threshold)
    peek = None
    base = {"persons_train": len(train_p), "persons_test": len(test_p), "posts": len(scen.posts)}
    rows = [{**base, "scorer": "oracle (hidden model)", "source": "reference", "kind": "upper bound",
             "status": "ok", "reason": "", "seconds": None, **_ranking_row(truth, truth.oracle, k)}]
    for name, spec in scorers.items():
        row = {**base, "scorer": name, "source": spec.source, "kind": spec.kind}
        missing = spec.missing()
        if missing:
            rows.append({**row, "status": "skipped", "reason": missing})
            continue
        try:
            t0 = time.perf_counter()
            scorer = spec.factory()
            if hasattr(scorer, "fit"):
                scorer.fit(train)
            sm = scorer.score(test_p, scen.posts)
            rec = top_posts(sm, k, posts=scen.posts)
            seconds = time.perf_counter() - t0
            kept, _ = truth.agreement(sm)
            every = float("nan")
            if getattr(scorer, "top_k", None) is not None:  # rescore every candidate pair for the agreement
                scorer.top_k = None
                everything = scorer.score(test_p, scen.posts)
                every = truth.agreement(everything)[1]
                if name == "rule":
                    peek = _with_hidden_function(everything, truth)
            rows.append({**row, "status": "ok", "reason": "", "seconds": seconds, **_ranking_row(truth, rec, k),
                         "spearman_kept": kept, "spearman_all": every})
        except Exception as exc:
            from jhmatch.bench.cases import _error

            rows.append({**row, "status": "failed", "reason": _error(exc)})
    if peek is not None:  # what a functional part that knew the world could add (a check of the benchmark)
        rows.insert(1, {**base, "scorer": PEEK, "source": "reference", "kind": "peeks at the truth", "status": "ok",
                        "reason": "", "seconds": None, **_ranking_row(truth, top_posts(peek, k, posts=scen.posts), k),
                        "spearman_kept": truth.agreement(peek)[0], "spearman_all": truth.agreement(peek)[1]})
    table = pd.DataFrame(rows)
    ok = table[table["status"] == "ok"].set_index("scorer")
    summary: dict[str, Any] = {f"ndcg@{k}": {str(s): float(v) for s, v in ok[f"ndcg@{k}"].items()}}
    summary[f"danger@{DANGER_K}"] = {str(s): float(v) for s, v in ok[f"danger@{DANGER_K}"].items()}
    summary[f"unsafe@{DANGER_K}"] = {str(s): float(v) for s, v in ok[f"unsafe@{DANGER_K}"].items()}
    if "spearman_all" in ok:
        summary["spearman_all"] = {str(s): float(v) for s, v in ok["spearman_all"].dropna().items()}
    n_rel = pd.Series(truth.relevant.sum(axis=1))
    n_rel = n_rel[n_rel > 0]
    dangerous = float((truth.p[:, truth.open] < DANGER).mean())
    unsafe = float((truth.p_function[:, truth.open] < DANGER).mean())
    notes = (f"make_jinhua(n_persons={cfg.quality_persons}, seed={seed}); {len(test_p)} persons held out as new "
             f"persons; the other {len(train_p)} have a history of {cfg.quality_history} placements "
             "(simulate_history) that scorers with fit() learn from.",
             f"Ground truth: the hidden outcome model (simulate_outcomes, seed={seed}; its own world model, sharing "
             f"no table, formula or vocabulary with the scorer) over every held-out person × post; a post is "
             f"relevant when P(placement lasts 6 months) ≥ {cfg.relevance_threshold} ({len(n_rel)} of {len(test_p)} "
             f"persons have one; median {float(n_rel.median()) if len(n_rel) else 0:g} relevant posts each). "
             "Persons without a relevant post are left out of the ranking means.",
             f"danger@{DANGER_K}: share of the recommended top-{DANGER_K} pairs whose hidden probability is below "
             f"{DANGER} (job lost or an accident is likely); persons_danger@{DANGER_K}: share of held-out persons "
             f"with at least one such post in their top {DANGER_K}. unsafe@{DANGER_K}: the share whose functional "
             f"factor alone (p_function: the function, licence and access risks, whatever the fit) is below "
             f"{DANGER}. Of all held-out person × post pairs, {dangerous:.1%} are dangerous and {unsafe:.1%} unsafe.",
             "spearman_kept: Spearman's rho between the scorer's score and the hidden probability over the pairs it "
             "returned; spearman_all: over every held-out person × post pair, rescored with every candidate pair "
             "kept (top_k=None) and excluded pairs scored 0 (scorers with a top_k only).",
             "rule, functional off: the rule-based scorer with the functional component replaced by a constant "
             "(weight 0, no hard rules).",
             f"{PEEK}: every candidate pair of the rule-based scorer, its score multiplied by the hidden functional "
             "factor p_function — not a competitor but a check that the benchmark sees function: what a functional "
             "component that knew the world could gain.",
             f"mean_true_p@{k}: mean hidden probability of the recommended top {k} (threshold-free). "
             "The oracle ranks by the hidden probability itself (an upper bound).",
             "seconds: fit + score + top-k of the held-out persons.")
    return CaseResult("quality", "Matching quality and safety", table, notes, summary, time.perf_counter() - t_case)
