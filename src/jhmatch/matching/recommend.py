"""Batch top-k recommendations both ways, from a :class:`ScoreMatrix`.

One naming rule: ``top_posts`` / ``top_persons`` rank the pairs of a :class:`ScoreMatrix`
already computed; ``recommend_posts`` / ``recommend_persons`` take the two tables, score them
and then rank (:meth:`CompatibilityScorer.recommend_posts
<jhmatch.matching.CompatibilityScorer.recommend_posts>`, and
:func:`jhmatch.distributed.recommend_posts` per partition). All take the same keywords in the
same order (``k``, then ``person_ids``, ``min_score``, ``max_per_kind``, ``exclude_full``,
``reasons``) and return the same table for the same data (tests). The ScoreMatrix functions
were called ``recommend_posts`` / ``recommend_persons`` before; those names still work one
release with a :class:`DeprecationWarning`.

Both functions read the candidate pairs the ScoreMatrix holds. ``top_posts``
is exact for ``k`` up to the scorer's ``top_k``; ``top_persons`` is exact for
``k`` up to the scorer's ``top_k_persons`` (otherwise it ranks the persons that
kept the post among *their* top posts).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.checks import deprecated_alias, positive_int
from jhmatch.errors import ParameterError
from jhmatch.matching.reasons import main_factors
from jhmatch.matching.score_matrix import ScoreMatrix

__all__ = ["recommend_persons", "recommend_posts", "top_persons", "top_posts"]


def _check_k(k: Any, name: str = "k") -> int:
    return positive_int(name, k)


def _lookup(table: pd.DataFrame | None, key: str, ids: np.ndarray, column: str) -> np.ndarray | None:
    if table is None or column not in table:
        return None
    series = pd.Series(table[column].to_numpy(), index=table[key].astype(str).to_numpy())
    return series.reindex(ids.astype(str)).to_numpy()


def top_posts(scores: ScoreMatrix, k: int = 10, *, posts: pd.DataFrame | None = None,
              person_ids: Any = None, min_score: float = 0.0, max_per_kind: int | None = None,
              exclude_full: bool = True, reasons: bool = False,
              weights: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Top-k posts for each person, from a ScoreMatrix (formerly ``recommend_posts``).

    Parameters
    ----------
    scores : ScoreMatrix
    k : int, default 10
    posts : DataFrame, optional
        The posts table (needs ``post_id``; ``kind`` for the diversity cap and the
        output, ``capacity`` to drop full posts).
    person_ids : sequence, optional
        Only these persons.
    min_score : float, default 0
        Drop pairs scoring below it.
    max_per_kind : int, optional
        Diversity cap: at most this many posts of one kind per person.
    exclude_full : bool, default True
        Drop posts with capacity 0 (when ``posts`` has ``capacity``).
    reasons : bool, default False
        Add a ``reason`` column: the two components adding most to the score, with
        their values (:func:`~jhmatch.matching.reasons.main_factors`), in the current
        language (:func:`jhmatch.i18n.language`).
    weights : mapping of str to float, optional
        The scorer's component weights, for ``reasons`` (default: the default weights).

    Returns
    -------
    DataFrame
        ``person_id, rank, post_id, score`` (+ ``kind`` when known, + ``reason``),
        ranks from 1; order by person then rank; ties go to the post that sorts first.

    Examples
    --------
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a", "a", "a"], "post_id": ["x", "y", "z"],
    ...                                           "score": [0.9, 0.8, 0.7]}))
    >>> posts = pd.DataFrame({"post_id": ["x", "y", "z"], "kind": ["kiosk", "kiosk", "ecommerce"]})
    >>> top_posts(sm, 2, posts=posts, max_per_kind=1)["post_id"].tolist()
    ['x', 'z']
    """
    k = _check_k(k)
    if max_per_kind is not None:
        _check_k(max_per_kind, "max_per_kind")
    rows, cols, vals = scores.pairs()
    frame = pd.DataFrame({"row": rows, "col": cols, "score": vals})
    kinds = _lookup(posts, "post_id", scores.post_ids, "kind")
    capacity = _lookup(posts, "post_id", scores.post_ids, "capacity")
    if max_per_kind is not None and kinds is None:
        raise ParameterError("max_per_kind needs the posts table with a 'kind' column (posts=...)")
    keep = frame["score"].to_numpy() >= min_score
    if exclude_full and capacity is not None:
        keep &= np.asarray(pd.to_numeric(pd.Series(capacity), errors="coerce").fillna(0) > 0)[frame["col"].to_numpy()]
    if person_ids is not None:
        wanted = pd.Index(scores.person_ids.astype(str)).get_indexer(pd.Index(np.asarray(person_ids).astype(str)))
        keep &= np.isin(frame["row"].to_numpy(), wanted[wanted >= 0])
    frame = frame[keep]
    frame = frame.sort_values(["row", "score", "col"], ascending=[True, False, True], kind="stable")
    if kinds is not None:
        frame["kind"] = kinds[frame["col"].to_numpy()]
    if max_per_kind is not None:
        frame = frame[frame.groupby(["row", "kind"], sort=False).cumcount() < max_per_kind]
    frame = frame[frame.groupby("row", sort=False).cumcount() < k]
    out = pd.DataFrame({
        "person_id": scores.person_ids[frame["row"].to_numpy()],
        "rank": frame.groupby("row", sort=False).cumcount().to_numpy() + 1,
        "post_id": scores.post_ids[frame["col"].to_numpy()],
        "score": frame["score"].to_numpy(),
    })
    if kinds is not None:
        out["kind"] = frame["kind"].to_numpy()
    if reasons:
        out["reason"] = main_factors(scores, frame.index.to_numpy(), weights)  # index = position in the matrix
    return out.reset_index(drop=True)


def top_persons(scores: ScoreMatrix, k: int = 10, *, persons: pd.DataFrame | None = None,
                post_ids: Any = None, min_score: float = 0.0, only_willing: bool = True,
                exclude_employed: bool = False, reasons: bool = False,
                weights: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Top-k persons for each post, from a ScoreMatrix (formerly ``recommend_persons``).

    Parameters
    ----------
    scores : ScoreMatrix
    k : int, default 10
    persons : DataFrame, optional
        The persons table (``person_id``; ``willing`` and ``employed`` for the filters).
    post_ids : sequence, optional
        Only these posts.
    min_score : float, default 0
    only_willing : bool, default True
        Drop persons whose ``willing`` is false (when known).
    exclude_employed : bool, default False
        Drop persons already employed (when known).
    reasons, weights
        As for :func:`top_posts`.

    Returns
    -------
    DataFrame
        ``post_id, rank, person_id, score`` (+ ``reason``); ties go to the person that sorts first.

    Examples
    --------
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a", "b", "c"], "post_id": ["x", "x", "x"],
    ...                                           "score": [0.5, 0.9, 0.7]}))
    >>> persons = pd.DataFrame({"person_id": ["a", "b", "c"], "willing": [True, False, True]})
    >>> top_persons(sm, 2, persons=persons)["person_id"].tolist()
    ['c', 'a']
    """
    k = _check_k(k)
    rows, cols, vals = scores.pairs()
    keep = vals >= min_score
    willing = _lookup(persons, "person_id", scores.person_ids, "willing")
    employed = _lookup(persons, "person_id", scores.person_ids, "employed")
    if only_willing and willing is not None:
        keep &= pd.Series(willing).fillna(True).astype(bool).to_numpy()[rows]
    if exclude_employed and employed is not None:
        keep &= ~pd.Series(employed).fillna(False).astype(bool).to_numpy()[rows]
    if post_ids is not None:
        wanted = pd.Index(scores.post_ids.astype(str)).get_indexer(pd.Index(np.asarray(post_ids).astype(str)))
        keep &= np.isin(cols, wanted[wanted >= 0])
    frame = pd.DataFrame({"row": rows[keep], "col": cols[keep], "score": vals[keep]}, index=np.flatnonzero(keep))
    frame = frame.sort_values(["col", "score", "row"], ascending=[True, False, True], kind="stable")
    frame = frame[frame.groupby("col", sort=False).cumcount() < k]
    out = pd.DataFrame({
        "post_id": scores.post_ids[frame["col"].to_numpy()],
        "rank": frame.groupby("col", sort=False).cumcount().to_numpy() + 1,
        "person_id": scores.person_ids[frame["row"].to_numpy()],
        "score": frame["score"].to_numpy(),
    })
    if reasons:
        out["reason"] = main_factors(scores, frame.index.to_numpy(), weights)  # index = position in the matrix
    return out


recommend_posts = deprecated_alias(top_posts, "recommend_posts")
recommend_persons = deprecated_alias(top_persons, "recommend_persons")
