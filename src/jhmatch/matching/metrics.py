"""Ranking metrics for recommendations, and exposure by group.

``recommendations`` is a table ``person_id, post_id, rank`` (rank 1 = best, as
returned by :func:`~jhmatch.matching.recommend.recommend_posts`); ``relevant`` is a
table ``person_id, post_id`` of the pairs known to be good (e.g. placements that
lasted), optionally with a ``gain`` column for graded relevance (default 1).
Per-person metrics are averaged over the persons that have at least one relevant
post (persons without any are skipped: nothing can be found for them).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jhmatch.errors import ParameterError, Problem, SchemaError

__all__ = ["catalogue_coverage", "exposure", "mrr", "ndcg_at_k", "precision_at_k", "recall_at_k"]


def _need(frame: pd.DataFrame, cols: tuple[str, ...], name: str) -> None:
    missing = [c for c in cols if c not in frame]
    if missing:
        raise SchemaError([Problem(None, c, "(missing column)", f"a column {c!r}") for c in missing], name)


def _joined(recommendations: pd.DataFrame, relevant: pd.DataFrame, k: int | None) -> tuple[pd.DataFrame, pd.Series]:
    _need(recommendations, ("person_id", "post_id", "rank"), "recommendations")
    _need(relevant, ("person_id", "post_id"), "relevant")
    if k is not None and (not isinstance(k, (int, np.integer)) or k < 1):
        raise ParameterError(f"k must be a positive integer, got {k!r}")
    rel = relevant[["person_id", "post_id"]].astype(str).assign(
        gain=relevant["gain"].to_numpy(dtype=float) if "gain" in relevant else 1.0)
    rel = rel.groupby(["person_id", "post_id"], as_index=False)["gain"].max()
    rec = recommendations[["person_id", "post_id", "rank"]].astype({"person_id": str, "post_id": str})
    if k is not None:
        rec = rec[rec["rank"] <= k]
    rec = rec[rec["person_id"].isin(rel["person_id"])]
    hit = rec.merge(rel, on=["person_id", "post_id"], how="left").fillna({"gain": 0.0})
    n_rel = rel.groupby("person_id").size()
    return hit, n_rel


def precision_at_k(recommendations: pd.DataFrame, relevant: pd.DataFrame, k: int) -> float:
    """Mean share of the top k that is relevant (divided by k).

    Examples
    --------
    >>> rec = pd.DataFrame({"person_id": ["a", "a"], "post_id": ["x", "y"], "rank": [1, 2]})
    >>> precision_at_k(rec, pd.DataFrame({"person_id": ["a"], "post_id": ["y"]}), 2)
    0.5
    """
    hit, n_rel = _joined(recommendations, relevant, k)
    hits = (hit["gain"] > 0).groupby(hit["person_id"]).sum().reindex(n_rel.index, fill_value=0)
    return float((hits / k).mean()) if len(n_rel) else float("nan")


def recall_at_k(recommendations: pd.DataFrame, relevant: pd.DataFrame, k: int) -> float:
    """Mean share of each person's relevant posts found in the top k.

    Examples
    --------
    >>> rec = pd.DataFrame({"person_id": ["a", "a"], "post_id": ["x", "y"], "rank": [1, 2]})
    >>> recall_at_k(rec, pd.DataFrame({"person_id": ["a", "a"], "post_id": ["y", "z"]}), 2)
    0.5
    """
    hit, n_rel = _joined(recommendations, relevant, k)
    hits = (hit["gain"] > 0).groupby(hit["person_id"]).sum().reindex(n_rel.index, fill_value=0)
    return float((hits / n_rel).mean()) if len(n_rel) else float("nan")


def ndcg_at_k(recommendations: pd.DataFrame, relevant: pd.DataFrame, k: int) -> float:
    """Mean normalised discounted cumulative gain at k (gain / log2(rank + 1)).

    Examples
    --------
    >>> rec = pd.DataFrame({"person_id": ["a", "a"], "post_id": ["x", "y"], "rank": [1, 2]})
    >>> round(ndcg_at_k(rec, pd.DataFrame({"person_id": ["a"], "post_id": ["y"]}), 2), 4)
    0.6309
    """
    hit, _ = _joined(recommendations, relevant, k)
    rel = relevant.astype({"person_id": str, "post_id": str}).assign(
        gain=relevant["gain"].to_numpy(dtype=float) if "gain" in relevant else 1.0)
    rel = rel.groupby(["person_id", "post_id"], as_index=False)["gain"].max()
    dcg = (hit["gain"] / np.log2(hit["rank"].to_numpy(dtype=float) + 1)).groupby(hit["person_id"]).sum()
    rel = rel.sort_values(["person_id", "gain"], ascending=[True, False])
    ideal_rank = rel.groupby("person_id").cumcount() + 1
    rel = rel[ideal_rank <= k]
    idcg = (rel["gain"] / np.log2(ideal_rank[ideal_rank <= k] + 1)).groupby(rel["person_id"]).sum()
    idcg = idcg[idcg > 0]
    if not len(idcg):
        return float("nan")
    return float((dcg.reindex(idcg.index, fill_value=0.0) / idcg).mean())


def mrr(recommendations: pd.DataFrame, relevant: pd.DataFrame, k: int | None = None) -> float:
    """Mean reciprocal rank of the first relevant post (0 when none is recommended).

    Examples
    --------
    >>> rec = pd.DataFrame({"person_id": ["a", "a", "b"], "post_id": ["x", "y", "x"], "rank": [1, 2, 1]})
    >>> mrr(rec, pd.DataFrame({"person_id": ["a", "b"], "post_id": ["y", "z"]}))
    0.25
    """
    hit, n_rel = _joined(recommendations, relevant, k)
    first = hit[hit["gain"] > 0].groupby("person_id")["rank"].min()
    return float((1.0 / first).reindex(n_rel.index, fill_value=np.inf).replace(np.inf, 0.0).mean()) \
        if len(n_rel) else float("nan")


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
    g = table.groupby("group")
    return pd.DataFrame({
        "persons": g.size(),
        "share_any": g["count"].apply(lambda c: float((c > 0).mean())),
        "share_good": g["top"].apply(lambda t: float((t >= good).mean())),
        "mean_top_score": g["top"].mean(),
        "mean_count": g["count"].mean(),
    })
