"""The safety case suite (tests/data/safety): written from occupational sources before the rules it tests.

Zero unsafe posts in any person's top 5, over all posts and over the industrial job-fair
posts alone; most posts a placement officer would call good stay candidates.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from jhmatch.matching import CompatibilityScorer

HERE = Path(__file__).resolve().parents[1] / "data" / "safety"


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(HERE / name, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def suite():
    persons = _read("persons.csv").drop(columns=["note"]).replace("", None)
    posts = _read("posts.csv")
    industrial = posts.pop("industrial").str.lower().eq("true").to_numpy()
    labels = _read("expectations.csv")
    return persons, posts.replace("", None), industrial, labels


def _top5(persons: pd.DataFrame, posts: pd.DataFrame) -> tuple[pd.DataFrame, CompatibilityScorer]:
    scorer = CompatibilityScorer(top_k=None, as_of="2025-06-30")
    frame = scorer.score(persons, posts).to_frame()
    frame = frame.sort_values(["person_id", "score", "post_id"], ascending=[True, False, True])
    return frame, scorer


@pytest.mark.parametrize("which", ["all posts", "industrial posts"])
def test_no_unsafe_post_in_any_top5(suite, which):
    persons, posts, industrial, labels = suite
    if which == "industrial posts":
        posts = posts[industrial]
    frame, _ = _top5(persons, posts)
    top = frame.groupby("person_id").head(5)
    unsafe = labels[labels["label"] == "unsafe"].set_index(["person_id", "post_id"])
    hits = [pair for pair in zip(top["person_id"], top["post_id"]) if pair in unsafe.index]
    detail = [f"{p} {q}: {unsafe.loc[(p, q), 'reason_en']}" for p, q in hits]
    assert not hits, f"{len(hits)} unsafe posts in top-5 lists over {which}:\n" + "\n".join(detail)
    assert top["person_id"].nunique() >= 0.9 * len(persons)  # nearly everyone still gets recommendations


def test_good_posts_stay_candidates(suite):
    persons, posts, _, labels = suite
    frame, _ = _top5(persons, posts)
    kept = set(zip(frame["person_id"], frame["post_id"]))
    good = list(zip(*labels.loc[labels["label"] == "good", ["person_id", "post_id"]].to_numpy().T))
    recall = sum(pair in kept for pair in good) / len(good)
    assert len(good) >= 200 and recall >= 0.9


def test_every_unsafe_exclusion_is_explained_in_both_languages(suite):
    persons, posts, _, labels = suite
    frame, scorer = _top5(persons, posts)
    kept = set(zip(frame["person_id"], frame["post_id"]))
    unsafe = labels[labels["label"] == "unsafe"]
    excluded = [(p, q) for p, q in zip(unsafe["person_id"], unsafe["post_id"]) if (p, q) not in kept]
    assert len(excluded) >= 0.8 * len(unsafe)
    for p, q in excluded[::25]:
        e = scorer.explain(p, q)
        assert e.status == "excluded" and e.rules
        assert all(r.en and r.zh for r in e.rules)


def test_must_not_exclude_cases(suite):
    persons, posts, _, _ = suite
    frame, _ = _top5(persons, posts)
    kept = set(zip(frame["person_id"], frame["post_id"]))
    title = dict(zip(posts["post_id"], posts["title"]))
    cases = {("SF21", "货车司机(B2)"), ("SF22", "手工编织"), ("SF61", "辅助性就业手工"), ("SF29", "保安")}
    for person, post_title in cases:
        post = next(q for q, t in title.items() if t == post_title)
        assert (person, post) in kept, (person, post_title)
