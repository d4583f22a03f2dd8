"""Safety of recommendations on the safety case suite (``tests/data/safety``).

Run from the repository root::

    python benchmarks/bench_safety.py [--out benchmarks/results/safety.json]

The suite's persons, posts and labels were written from occupational and legal
sources before the scorer's hazard rules (``tests/data/safety/README.md``). For the
rule scorer, and for the same scorer with its functional component replaced by a
constant (hazards, backstop and supervision rules off), it reports over all posts and
over the industrial job-fair posts alone:

* ``unsafe_in_top5`` — unsafe posts in the persons' top-5 lists, and how many persons
  have at least one;
* ``good_recall`` — share of the posts labelled good that remain candidates;
* ``good_in_top5`` — share of persons with at least one good post in their top 5;
* ``unsafe_excluded`` — share of unsafe pairs the scorer hard-excludes.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import numpy as np
import pandas as pd

from jhmatch.matching import CallableComponent, CompatibilityScorer

SUITE = Path(__file__).resolve().parents[1] / "tests" / "data" / "safety"


def _load() -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray, pd.DataFrame]:
    def read(name: str) -> pd.DataFrame:
        return pd.read_csv(SUITE / name, dtype=str, keep_default_na=False)

    persons = read("persons.csv").drop(columns=["note"]).replace("", None)
    posts = read("posts.csv")
    industrial = posts.pop("industrial").str.lower().eq("true").to_numpy()
    return persons, posts.replace("", None), industrial, read("expectations.csv")


def measure(scorer: CompatibilityScorer, persons: pd.DataFrame, posts: pd.DataFrame,
            labels: pd.DataFrame) -> dict[str, float]:
    """Safety figures of one scorer on one list of posts."""
    frame = scorer.score(persons, posts).to_frame()
    frame = frame.sort_values(["person_id", "score", "post_id"], ascending=[True, False, True])
    top = frame.groupby("person_id").head(5)
    kept = set(zip(frame["person_id"], frame["post_id"]))
    in_top = set(zip(top["person_id"], top["post_id"]))
    open_posts = set(posts["post_id"])
    lab = labels[labels["post_id"].isin(open_posts)]
    unsafe = set(zip(lab.loc[lab["label"] == "unsafe", "person_id"], lab.loc[lab["label"] == "unsafe", "post_id"]))
    good = set(zip(lab.loc[lab["label"] == "good", "person_id"], lab.loc[lab["label"] == "good", "post_id"]))
    bad = in_top & unsafe
    persons_with_good = {p for p, _ in good}
    return {
        "unsafe_in_top5": len(bad),
        "persons_with_unsafe_in_top5": len({p for p, _ in bad}),
        "good_recall": round(len(good & kept) / max(len(good), 1), 4),
        "good_in_top5": round(len({p for p, _ in in_top & good}) / max(len(persons_with_good), 1), 4),
        "unsafe_excluded": round(len(unsafe - kept) / max(len(unsafe), 1), 4),
        "unsafe_pairs": len(unsafe),
        "good_pairs": len(good),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="benchmarks/results/safety.json")
    args = parser.parse_args()
    persons, posts, industrial, labels = _load()
    constant = CallableComponent("functional", lambda p, q: np.ones((len(p), len(q))), zh="功能匹配")
    scorers = {"rule_scorer": CompatibilityScorer(top_k=None, as_of="2025-06-30"),
               "functional_off": CompatibilityScorer(top_k=None, as_of="2025-06-30",
                                                     components={"functional": constant})}
    start = time.perf_counter()
    results = {name: {"all_posts": measure(s, persons, posts, labels),
                      "industrial_posts": measure(s, persons, posts[industrial], labels)}
               for name, s in scorers.items()}
    out = {"suite": {"persons": len(persons), "posts": len(posts), "industrial_posts": int(industrial.sum())},
           "results": results, "seconds": round(time.perf_counter() - start, 2),
           "machine": {"python": platform.python_version(), "processor": platform.machine()}}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(args.out).with_suffix(".tmp")
    tmp.write_text(json.dumps(out, indent=2, ensure_ascii=False), encoding="utf-8")
    tmp.replace(args.out)
    print(json.dumps(out["results"], indent=2))


if __name__ == "__main__":
    main()
