"""Ranking metrics for recommendations, and exposure by group.

``recommendations`` is a table ``person_id, post_id, rank`` (rank 1 = best, as
returned by :func:`~jhmatch.matching.recommend.top_posts`); ``relevant`` is a
table ``person_id, post_id`` of the pairs known to be good (e.g. placements that
lasted), optionally with a ``gain`` column for graded relevance (default 1).
Per-person metrics are averaged over the persons that have at least one relevant
post (persons without any are skipped: nothing can be found for them); a pair is
relevant when its gain is positive.

All four ranking metrics come from one vectorised function on integer indices,
:func:`ranking_metrics` (no Python loop over persons or pairs); the table
functions factorise the identifiers once and call it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from jhmatch.checks import optional_positive_int, positive_int
from jhmatch.errors import Problem, SchemaError

__all__ = ["catalogue_coverage", "exposure", "mrr", "ndcg_at_k", "precision_at_k", "ranking_metrics", "recall_at_k"]


def _need(frame: pd.DataFrame, cols: tuple[str, ...], name: str) -> None:
    missing = [c for c in cols if c not in frame]
    if missing:
        raise SchemaError([Problem(None, c, "(missing column)", f"a column {c!r}") for c in missing], name)


def _check_k(k: Any, allow_none: bool = False) -> int | None:
    return optional_positive_int("k", k) if allow_none else positive_int("k", k)


def ranking_metrics(person: np.ndarray, post: np.ndarray, rank: np.ndarray, relevant: Any,
                    k: int | None) -> dict[str, float]:
    """NDCG@k, precision@k, recall@k and MRR at once, on integer indices (the one implementation).

    Parameters
    ----------
    person, post : ndarray of int
        Row and column (in ``relevant``) of each recommendation.
    rank : ndarray of int
        Its rank, 1 = best; one recommendation per (person, post).
    relevant : ndarray or scipy sparse matrix, shape (n_persons, n_posts)
        Gain of each pair (bool or float; > 0 means relevant). Sparse input costs
        memory for the relevant pairs only.
    k : int or None
        Ranks counted; ``None``: all (precision then divides by the longest list).

    Returns
    -------
    dict
        ``ndcg@k``, ``precision@k``, ``recall@k`` and ``mrr`` (NaN when no person has
        a relevant post), means over the persons with a relevant post; NDCG uses
        ``gain / log2(rank + 1)``, the others count relevant pairs.

    Examples
    --------
    >>> rel = np.array([[False, True], [True, True]])
    >>> m = ranking_metrics(np.array([0, 0, 1]), np.array([0, 1, 1]), np.array([1, 2, 1]), rel, 2)
    >>> round(m["ndcg@2"], 4), m["precision@2"], m["mrr"]
    (0.622, 0.5, 0.75)
    """
    k = _check_k(k, allow_none=True)
    person, post = np.asarray(person, np.int64), np.asarray(post, np.int64)
    rank = np.asarray(rank, np.float64)
    rel = sp.csr_array(relevant, dtype=np.float64)
    rel.eliminate_zeros()
    n = rel.shape[0]
    label = "" if k is None else f"@{k}"
    if k is not None:
        keep = rank <= k
        person, post, rank = person[keep], post[keep], rank[keep]
    rel_rows = np.repeat(np.arange(n), np.diff(rel.indptr))
    positive = rel.data > 0
    n_rel = np.bincount(rel_rows[positive], minlength=n)
    has = n_rel > 0
    if not has.any():
        return {f"ndcg{label}": float("nan"), f"precision{label}": float("nan"), f"recall{label}": float("nan"),
                "mrr": float("nan")}
    gain = np.asarray(rel[person, post]).ravel() if person.size else np.empty(0)
    hit = gain > 0
    hits = np.bincount(person[hit], minlength=n)
    dcg = np.bincount(person[hit], weights=gain[hit] / np.log2(rank[hit] + 1.0), minlength=n)
    # ideal DCG: each person's gains sorted descending, the first k counted
    order = np.lexsort((-rel.data, rel_rows))
    sorted_rows, sorted_gain = rel_rows[order], rel.data[order]
    counts = np.bincount(sorted_rows, minlength=n)
    place = np.arange(sorted_rows.size) - (np.cumsum(counts) - counts)[sorted_rows]
    top = (place < k) if k is not None else np.ones(place.size, bool)
    top &= sorted_gain > 0
    idcg = np.bincount(sorted_rows[top], weights=sorted_gain[top] / np.log2(place[top] + 2.0), minlength=n)
    first = np.full(n, np.inf)
    np.minimum.at(first, person[hit], rank[hit])
    longest = k if k is not None else max(int(np.bincount(person, minlength=n).max(initial=0)), 1)
    return {f"ndcg{label}": float((dcg[has] / idcg[has]).mean()),
            f"precision{label}": float((hits[has] / longest).mean()),
            f"recall{label}": float((hits[has] / n_rel[has]).mean()),
            "mrr": float((1.0 / first[has]).mean())}


def _metrics(recommendations: pd.DataFrame, relevant: pd.DataFrame, k: int | None) -> dict[str, float]:
    """:func:`ranking_metrics` of two id tables: ids factorised once, relevance as a sparse matrix."""
    _need(recommendations, ("person_id", "post_id", "rank"), "recommendations")
    _need(relevant, ("person_id", "post_id"), "relevant")
    k = _check_k(k, allow_none=True)
    nr = len(relevant)
    p_codes, _ = pd.factorize(pd.concat([relevant["person_id"], recommendations["person_id"]], ignore_index=True)
                              .astype(str))
    q_codes, q_ids = pd.factorize(pd.concat([relevant["post_id"], recommendations["post_id"]], ignore_index=True)
                                  .astype(str))
    r, c, p, q = p_codes[:nr], q_codes[:nr], p_codes[nr:], q_codes[nr:]
    gain = relevant["gain"].to_numpy(dtype=float) if "gain" in relevant else np.ones(nr)
    # a pair listed twice keeps its largest gain
    order = np.lexsort((-gain, c, r))
    first = np.ones(order.size, bool)
    first[1:] = (np.diff(r[order]) != 0) | (np.diff(c[order]) != 0)
    keep = order[first]
    n_persons = int(r.max()) + 1 if nr else 0  # persons with a relevant row come first in the codes
    matrix = sp.csr_array((gain[keep], (r[keep], c[keep])), shape=(n_persons, len(q_ids)))
    ranks = recommendations["rank"].to_numpy(dtype=float)
    known = p < n_persons  # persons without any relevant row are left out
    return ranking_metrics(p[known], q[known], ranks[known], matrix, k)


def precision_at_k(recommendations: pd.DataFrame, relevant: pd.DataFrame, k: int) -> float:
    """Mean share of the top k that is relevant (divided by k).

    Examples
    --------
    >>> rec = pd.DataFrame({"person_id": ["a", "a"], "post_id": ["x", "y"], "rank": [1, 2]})
    >>> precision_at_k(rec, pd.DataFrame({"person_id": ["a"], "post_id": ["y"]}), 2)
    0.5
    """
    return _metrics(recommendations, relevant, _check_k(k))[f"precision@{k}"]


def recall_at_k(recommendations: pd.DataFrame, relevant: pd.DataFrame, k: int) -> float:
    """Mean share of each person's relevant posts found in the top k.

    Examples
    --------
    >>> rec = pd.DataFrame({"person_id": ["a", "a"], "post_id": ["x", "y"], "rank": [1, 2]})
    >>> recall_at_k(rec, pd.DataFrame({"person_id": ["a", "a"], "post_id": ["y", "z"]}), 2)
    0.5
    """
    return _metrics(recommendations, relevant, _check_k(k))[f"recall@{k}"]


def ndcg_at_k(recommendations: pd.DataFrame, relevant: pd.DataFrame, k: int) -> float:
    """Mean normalised discounted cumulative gain at k (gain / log2(rank + 1)).

    Examples
    --------
    >>> rec = pd.DataFrame({"person_id": ["a", "a"], "post_id": ["x", "y"], "rank": [1, 2]})
    >>> round(ndcg_at_k(rec, pd.DataFrame({"person_id": ["a"], "post_id": ["y"]}), 2), 4)
    0.6309
    """
    return _metrics(recommendations, relevant, _check_k(k))[f"ndcg@{k}"]


def mrr(recommendations: pd.DataFrame, relevant: pd.DataFrame, k: int | None = None) -> float:
    """Mean reciprocal rank of the first relevant post (0 when none is recommended).

    Examples
    --------
    >>> rec = pd.DataFrame({"person_id": ["a", "a", "b"], "post_id": ["x", "y", "x"], "rank": [1, 2, 1]})
    >>> mrr(rec, pd.DataFrame({"person_id": ["a", "b"], "post_id": ["y", "z"]}))
    0.25
    """
    return _metrics(recommendations, relevant, k)["mrr"]


def catalogue_coverage(recommendations: pd.DataFrame, post_ids: pd.Series | np.ndarray | list,
                       k: int | None = None) -> float:
    """Share of the catalogue's posts recommended to at least one person (within the top k).

    Examples
    --------
    >>> rec = pd.DataFrame({"person_id": ["a", "b"], "post_id": ["x", "x"], "rank": [1, 1]})
    >>> catalogue_coverage(rec, ["x", "y", "z", "w"])
    0.25
    """
    _need(recommendations, ("post_id", "rank"), "recommendations")
    ids = pd.Index(np.asarray(post_ids).astype(str)).unique()
    if not len(ids):
        return float("nan")
    rec = recommendations if k is None else recommendations[recommendations["rank"] <= k]
    return float(ids.isin(rec["post_id"].astype(str)).mean())


def exposure(recommendations: pd.DataFrame, persons: pd.DataFrame, by: str = "category",
             k: int | None = None, good: float = 0.6) -> pd.DataFrame:
    """Who gets recommended what: per group (e.g. disability ``category`` or ``county``).

    Parameters
    ----------
    recommendations : DataFrame
        ``person_id, post_id, rank, score``.
    persons : DataFrame
        Must have ``person_id`` and the ``by`` column; persons without any
        recommendation count too.
    by : str, default "category"
    k : int, optional
        Only ranks up to k.
    good : float, default 0.6
        Score from which a recommendation counts as good.

    Returns
    -------
    DataFrame
        Indexed by group: ``persons``, ``share_any`` (with at least one
        recommendation), ``share_good`` (best score >= good), ``mean_top_score``
        (0 for persons without recommendations), ``mean_count``.

    Examples
    --------
    >>> rec = pd.DataFrame({"person_id": ["a"], "post_id": ["x"], "rank": [1], "score": [0.8]})
    >>> ppl = pd.DataFrame({"person_id": ["a", "b"], "category": ["visual", "visual"]})
    >>> exposure(rec, ppl).loc["visual", "share_good"].item()
    0.5
    """
    _need(recommendations, ("person_id", "rank", "score"), "recommendations")
    _need(persons, ("person_id", by), "persons")
    rec = recommendations if k is None else recommendations[recommendations["rank"] <= k]
    per = rec.groupby(rec["person_id"].astype(str))["score"].agg(["max", "size"])
    ids = persons["person_id"].astype(str).to_numpy()
    top = per["max"].reindex(ids).fillna(0.0).to_numpy()
    count = per["size"].reindex(ids).fillna(0).to_numpy()
    table = pd.DataFrame({"group": persons[by].astype("object").fillna("(missing)").to_numpy(), "top": top,
                          "count": count})
    table["any"], table["good"] = table["count"] > 0, table["top"] >= good
    g = table.groupby("group")
    return pd.DataFrame({
        "persons": g.size(),
        "share_any": g["any"].mean().astype(float),
        "share_good": g["good"].mean().astype(float),
        "mean_top_score": g["top"].mean(),
        "mean_count": g["count"].mean(),
    })
