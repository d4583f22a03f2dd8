"""Quality: NDCG@10 of the rule-based scorer, the learned scorer, random and popularity rankers.

STAND-IN until ``jhmatch.datasets.make_jinhua`` lands: the hidden outcome model
here is this script's own, not the datasets module's. It is deliberately not the
scorer's formula: each person's *true* capacity is the category/grade default
plus a personal deviation the scorer cannot see (sd 0.15), success depends on the
true functional gaps, on exact skill-phrase overlap (the scorer sees character
n-grams), on commute and preference, plus a hidden per-post quality effect.

Protocol: "history" persons are placed at a random post among their rule-based
top-20 and the outcome drawn; LearnedScorer learns pair features -> outcome.
New persons are then evaluated: every ranker re-ranks the same pool (each new
person's rule-based top-100 candidates); gain = true success probability;
NDCG@10 against the ideal order of that pool. Popularity = the post's historical
success count (ties by id). Seeded; run from the repository root:

    PYTHONPATH=src python benchmarks/bench_matching_quality.py
"""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd

from jhmatch.data.schema import validate_persons, validate_posts
from jhmatch.matching import CompatibilityScorer, LearnedScorer, ndcg_at_k, pair_features
from jhmatch.matching._synthetic import synthetic_persons, synthetic_posts
from jhmatch.matching.demands import post_demands
from jhmatch.matching.profiles import person_capacities

SEED = 7


def true_probability(frame: pd.DataFrame, persons: pd.DataFrame, posts: pd.DataFrame,
                     true_cap: np.ndarray, quality: np.ndarray) -> np.ndarray:
    pi = pd.Index(persons["person_id"]).get_indexer(frame["person_id"])
    qi = pd.Index(posts["post_id"]).get_indexer(frame["post_id"])
    _, dem = post_demands(posts)
    gaps = np.clip(dem[qi] - true_cap[pi], 0, None).sum(axis=1)
    ps = persons["skills"].fillna("").str.split().to_numpy()
    qs = posts["required_skills"].fillna("").str.split().to_numpy()
    overlap = np.array([len(set(ps[i]) & set(qs[j])) / max(len(set(qs[j])), 1) for i, j in zip(pi, qi)])
    same = (persons["county"].to_numpy()[pi] == posts["county"].to_numpy()[qi]).astype(float)
    pref = np.array([posts["kind"].iloc[j] in str(persons["preferred_kinds"].iloc[i]).split(";") for i, j in zip(pi, qi)])
    logit = -0.5 - 4.0 * gaps + 1.5 * overlap + 0.5 * same + 0.7 * pref + quality[qi]
    return 1 / (1 + np.exp(-logit))


def main() -> None:
    t0 = time.perf_counter()
    rng = np.random.default_rng(SEED)
    posts = validate_posts(synthetic_posts(800, seed=SEED).assign(capacity=5))
    old = validate_persons(synthetic_persons(3000, seed=SEED + 1))
    new = validate_persons(synthetic_persons(2000, seed=SEED + 2).assign(
        person_id=lambda d: "N" + d["person_id"].str[1:]))
    quality = rng.normal(0, 0.5, len(posts))

    def truth_caps(persons: pd.DataFrame) -> np.ndarray:
        return np.clip(person_capacities(persons).values + rng.normal(0, 0.15, (len(persons), 8)), 0, 1)

    scorer = CompatibilityScorer(top_k=20, as_of="2025-06-30")
    hist = scorer.score(old, posts)
    frame = hist.to_frame()
    pick = frame.groupby("person_id").sample(1, random_state=SEED).index
    keep = np.zeros(len(frame), bool)
    keep[pick] = True
    p = true_probability(frame[keep], scorer.persons_, scorer.posts_, truth_caps(scorer.persons_), quality)
    outcome = (rng.random(p.size) < p).astype(int)
    X, names = pair_features(hist)
    learned = LearnedScorer(C=1.0).fit(X[keep], outcome)
    learned.feature_names_ = names
    post_success = pd.Series(outcome, index=frame.loc[keep, "post_id"].to_numpy()).groupby(level=0).sum()

    pool_scorer = CompatibilityScorer(top_k=100, as_of="2025-06-30")
    pool = pool_scorer.score(new, posts)
    pf = pool.to_frame()
    gain = true_probability(pf, pool_scorer.persons_, pool_scorer.posts_, truth_caps(pool_scorer.persons_), quality)
    relevant = pf[["person_id", "post_id"]].assign(gain=gain)
    rankers = {
        "rule_based": pf["score"].to_numpy(),
        "learned": learned.predict_proba(pair_features(pool, names)[0])[:, 1],
        "random": rng.random(len(pf)),
        "popularity": post_success.reindex(pf["post_id"]).fillna(0).to_numpy(),
    }
    results = {}
    for name, key in rankers.items():
        ranked = pf.assign(key=key).sort_values(["person_id", "key", "post_id"], ascending=[True, False, True])
        ranked["rank"] = ranked.groupby("person_id").cumcount() + 1
        results[name] = round(ndcg_at_k(ranked, relevant, 10), 4)
    out = {
        "benchmark": "matching quality, NDCG@10 (stand-in hidden outcome model; see docstring)",
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "command": "PYTHONPATH=src python benchmarks/bench_matching_quality.py",
        "history_persons": len(old), "new_persons": len(new), "posts": len(posts),
        "history_success_rate": round(float(outcome.mean()), 3),
        "ndcg_at_10": results, "seconds": round(time.perf_counter() - t0, 1),
    }
    path = Path(__file__).parent / "results" / "bench_matching_quality.json"
    path.write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
