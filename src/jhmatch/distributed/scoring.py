"""Distributed scoring and recommendation: persons partitioned, posts broadcast.

Why the result is exactly the single-process one
    :meth:`CompatibilityScorer.score <jhmatch.matching.CompatibilityScorer.score>`
    cuts the persons into blocks *within a county* (grouped by county, home-work
    flag and whether coordinates are known, then ordered by latitude and id), and
    every value of a block depends only on the block's persons, the posts, and
    state fitted either on the posts alone (TF-IDF vocabulary and idf of the
    skills component) or per person (capacities, age, education, preferences).
    A partition made of whole counties therefore produces the very same blocks,
    the same candidate columns and the same float32 arithmetic as the full run,
    and the same top-k with the same tie order. Partitions are formed on the
    *validated* county (so ``义乌`` and ``330782`` land together) and reassembled
    in the scorer's own row order (ids sorted as strings).

    Cutting a county across partitions would change the blocks: the values would
    still agree, but the candidate columns of a block come from its commuting box,
    so equality is only guaranteed for whole counties; this module never cuts one.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from jhmatch.checks import optional_positive_int
from jhmatch.data.valid import ensure_valid
from jhmatch.distributed import executor as _executor  # noqa: F401 - registers the core's Dask adapter
from jhmatch.distributed._client import active_client, require_distributed, run_tasks
from jhmatch.errors import ParameterError, Problem, SchemaError
from jhmatch.matching.score_matrix import ScoreMatrix
from jhmatch.matching.scorer import CompatibilityScorer

__all__ = ["partition_persons", "recommend_posts", "score"]

_KEY = "_jhmatch_partition"


def _is_dask_frame(obj: Any) -> bool:
    return type(obj).__module__.split(".")[0] in {"dask", "dask_expr"} and hasattr(obj, "to_delayed")


def _validated(frame: Any, name: str) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise ParameterError(f"{name} must be a pandas DataFrame (or, for persons, a dask DataFrame); "
                             f"got {type(frame).__name__}")
    return ensure_valid(frame, name)


def partition_persons(persons: pd.DataFrame, partition_by: str | None = "county",
                      n_partitions: int | None = None) -> list[pd.DataFrame]:
    """Split validated persons into partitions made of whole ``partition_by`` groups.

    Parameters
    ----------
    persons : DataFrame
        Persons (validated or raw; validated here when raw).
    partition_by : str or None, default "county"
        Column whose groups are never cut; ``None``: one partition.
    n_partitions : int, optional
        Merge groups into at most this many partitions of similar size (largest
        group first onto the smallest partition); default one partition per group.

    Returns
    -------
    list of DataFrame
        Non-empty partitions (each marked validated), in a deterministic order.

    Examples
    --------
    >>> persons = pd.DataFrame({"person_id": ["a", "b", "c"], "category": ["visual"] * 3, "grade": [1, 2, 3],
    ...                         "county": ["义乌", "330782", "东阳"]})
    >>> [p["person_id"].tolist() for p in partition_persons(persons)]
    [['a', 'b'], ['c']]
    """
    persons = _validated(persons, "persons")
    optional_positive_int("n_partitions", n_partitions)
    if partition_by is None or not len(persons):
        groups = [np.arange(len(persons))]
    else:
        if partition_by not in persons.columns:
            raise SchemaError([Problem(None, partition_by, "(missing column)",
                                       "a column to partition the persons by (after validation)")], "persons")
        key = persons[partition_by].astype("object").fillna("").astype(str).to_numpy()
        codes, labels = pd.factorize(key, sort=True)
        order = np.argsort(codes, kind="stable")
        groups = np.split(order, np.flatnonzero(np.diff(codes[order])) + 1)
        del labels
    if n_partitions is not None and n_partitions < len(groups):
        sizes = np.zeros(n_partitions, np.int64)
        bins: list[list[np.ndarray]] = [[] for _ in range(n_partitions)]
        for g in sorted(groups, key=lambda g: (-g.size, g[0])):
            b = int(np.argmin(sizes))
            bins[b].append(g)
            sizes[b] += g.size
        groups = [np.sort(np.concatenate(b)) for b in bins if b]
    out = []
    for rows in groups:
        part = persons.iloc[rows].reset_index(drop=True)
        part.attrs = dict(persons.attrs)
        out.append(part)
    return out


def _score_part(part: pd.DataFrame, scorer: CompatibilityScorer, posts: pd.DataFrame,
                components: bool) -> dict[str, Any]:
    """Score one partition (runs on a worker); plain arrays back, small to send."""
    part = part.drop(columns=[_KEY], errors="ignore")
    sm = copy.deepcopy(scorer).score(part, posts)
    s = sm.scores
    return {"person_ids": sm.person_ids, "post_ids": sm.post_ids, "indptr": s.indptr, "indices": s.indices,
            "data": s.data, "components": {k: sp.csr_array(v).data for k, v in sm.components.items()}
            if components else {}}


def _recommend_part(part: pd.DataFrame, scorer: CompatibilityScorer, posts: pd.DataFrame, k: int,
                    options: dict[str, Any]) -> pd.DataFrame:
    part = part.drop(columns=[_KEY], errors="ignore")
    return copy.deepcopy(scorer).recommend_posts(part, posts, k, **options)


def _assemble(parts: Sequence[dict[str, Any]]) -> ScoreMatrix:
    parts = [p for p in parts if len(p["person_ids"])]
    post_ids = parts[0]["post_ids"]
    for p in parts[1:]:
        if not np.array_equal(p["post_ids"], post_ids):  # pragma: no cover - same posts everywhere
            raise SchemaError([Problem(None, "post_ids", "differs", "the same posts in every partition")], "posts")
    ids = np.concatenate([p["person_ids"] for p in parts]).astype(object)
    keys = ids.astype(str)
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    dup = np.flatnonzero(sorted_keys[1:] == sorted_keys[:-1])
    if dup.size:
        raise SchemaError([Problem(None, "person_id", "(a repeated id, masked)",
                                   f"unique ids across partitions; {dup.size} repeated")], "persons")
    lens = np.concatenate([np.diff(p["indptr"]) for p in parts]).astype(np.int64)
    offsets = np.cumsum([0] + [p["data"].size for p in parts])[:-1]
    starts = np.concatenate([p["indptr"][:-1].astype(np.int64) + off for p, off in zip(parts, offsets)])
    new_lens = lens[order]
    indptr = np.zeros(ids.size + 1, np.int64)
    np.cumsum(new_lens, out=indptr[1:])
    take = np.repeat(starts[order] - indptr[:-1], new_lens) + np.arange(int(indptr[-1]), dtype=np.int64)

    def cat(key: str) -> np.ndarray:
        return np.concatenate([p[key] for p in parts])[take]

    shape = (ids.size, post_ids.size)
    indices = cat("indices")

    def csr(data: np.ndarray) -> sp.csr_array:
        return sp.csr_array((data, indices, indptr), shape=shape)

    comps = {name: csr(np.concatenate([p["components"][name] for p in parts])[take])
             for name in parts[0]["components"]}
    return ScoreMatrix(csr(cat("data")), ids[order], post_ids, comps)


def _persons_partitions(persons: Any, partition_by: str | None, n_partitions: int | None,
                        client: Any) -> list[Any]:
    """Partitions as pandas frames, or (dask input with a client) futures of them."""
    if not _is_dask_frame(persons):
        return partition_persons(persons, partition_by, n_partitions)
    if client is None:
        return partition_persons(persons.compute(), partition_by, n_partitions)
    if partition_by is None:
        shuffled = persons
    else:
        # the key is the *validated* value (aliases and codes resolved), so a group is never cut
        key = persons.map_partitions(_partition_key, partition_by, meta=(_KEY, "object"))
        shuffled = persons.assign(**{_KEY: key}).shuffle(
            on=_KEY, npartitions=n_partitions or persons.npartitions)
    return list(client.compute(shuffled.to_delayed()))


def _partition_key(part: pd.DataFrame, partition_by: str) -> pd.Series:
    valid = ensure_valid(part, "persons") if len(part) else part
    if partition_by not in valid.columns:
        raise SchemaError([Problem(None, partition_by, "(missing column)", "a column to partition by")], "persons")
    return pd.Series(valid[partition_by].astype("object").fillna("").astype(str).to_numpy(dtype=object),
                     index=part.index, name=_KEY, dtype=object)


def score(persons: Any, posts: pd.DataFrame, scorer: CompatibilityScorer | None = None, client: Any = None,
          partition_by: str | None = "county", n_partitions: int | None = None,
          components: bool = True) -> ScoreMatrix:
    """Score persons against posts, partitioned by county, on a Dask cluster or locally.

    The result is exactly ``scorer.score(persons, posts)`` (same rows, columns,
    values and tie order; see the module notes), computed one partition at a time.

    Parameters
    ----------
    persons : DataFrame or dask.dataframe.DataFrame
        Persons, raw or validated; a dask frame (e.g. ``dd.read_parquet``) is
        reshuffled so that each partition holds whole counties.
    posts : DataFrame
        Posts; validated once and broadcast to every worker.
    scorer : CompatibilityScorer, optional
        The scorer (default ``CompatibilityScorer()``); each partition uses a copy.
    client : distributed.Client, optional
        Where to run; ``None`` runs the same partitions in this process.
    partition_by : str or None, default "county"
        Persons' column whose groups are never cut (``None``: one partition).
        Exact equality needs partitions of whole counties: keep ``"county"`` or a
        coarser column (e.g. a city).
    n_partitions : int, optional
        Merge groups into this many partitions (default one per group).
    components : bool, default True
        Keep the per-component matrices (``False`` sends less data).

    Returns
    -------
    ScoreMatrix

    Raises
    ------
    SolverError
        The cluster lost workers more often than Dask retries a task.

    Examples
    --------
    >>> persons = pd.DataFrame({"person_id": ["p1", "p2"], "category": ["visual", "physical"], "grade": [1, 3],
    ...                         "limbs": ["", "lower"], "county": ["义乌", "东阳"], "skills": ["按摩", "客服"]})
    >>> posts = pd.DataFrame({"post_id": ["q1", "q2"], "kind": ["blind_massage", "cloud_customer_service"],
    ...                       "county": ["义乌", "东阳"], "capacity": [2, 5], "required_skills": ["按摩", "客服"]})
    >>> scorer = CompatibilityScorer(as_of="2025-01-01")
    >>> sm = score(persons, posts, scorer)
    >>> ref = scorer.score(persons, posts)
    >>> bool((sm.scores != ref.scores).nnz == 0), sm.person_ids.tolist()
    (True, ['p1', 'p2'])
    """
    client = active_client(client)
    if client is not None:
        require_distributed("distributed scoring")
    scorer = CompatibilityScorer() if scorer is None else scorer
    posts = _validated(posts, "posts")
    parts = _persons_partitions(persons, partition_by, n_partitions, client)
    results = run_tasks(_score_part, parts, client, "scoring", scorer, posts, components, broadcast=(1,))
    if not any(len(r["person_ids"]) for r in results):
        empty_persons = persons.head(0) if isinstance(persons, pd.DataFrame) else persons._meta
        sm = copy.deepcopy(scorer).score(empty_persons.drop(columns=[_KEY], errors="ignore"), posts)
        return sm if components else ScoreMatrix(sm.scores, sm.person_ids, sm.post_ids)
    return _assemble(results)


def recommend_posts(persons: Any, posts: pd.DataFrame, k: int = 10, *, person_ids: Any = None,
                    min_score: float = 0.0, max_per_kind: int | None = None, exclude_full: bool = True,
                    reasons: bool = False, scorer: CompatibilityScorer | None = None, client: Any = None,
                    partition_by: str | None = "county", n_partitions: int | None = None,
                    out: Any = None) -> pd.DataFrame:
    """Top-k posts per person, computed per partition; equals ``scorer.recommend_posts``.

    The arguments up to ``reasons`` are those of
    :meth:`CompatibilityScorer.recommend_posts <jhmatch.matching.CompatibilityScorer.recommend_posts>`,
    in its order (and of :func:`jhmatch.matching.top_posts` over a ScoreMatrix); the rest say how
    the work is split.

    Parameters
    ----------
    persons, posts
        As for :func:`score`.
    k : int, default 10
        Posts per person.
    person_ids, min_score, max_per_kind, exclude_full, reasons
        As for :func:`jhmatch.matching.top_posts`.
    scorer, client, partition_by, n_partitions
        As for :func:`score`.
    out : path-like, optional
        Also write the table there (CSV, Excel or Parquet by suffix) atomically
        with :func:`jhmatch.data.io.write_table` (identity numbers masked): a
        failed run leaves no file, or the previous one, never half a file.

    Returns
    -------
    DataFrame
        ``person_id, rank, post_id, score`` (+ ``kind``), ordered by person (ids
        sorted as strings) then rank.

    Examples
    --------
    >>> persons = pd.DataFrame({"person_id": ["p1", "p2"], "category": ["visual", "physical"], "grade": [1, 3],
    ...                         "limbs": ["", "lower"], "county": ["义乌", "东阳"], "skills": ["按摩", "客服"]})
    >>> posts = pd.DataFrame({"post_id": ["q1", "q2"], "kind": ["blind_massage", "cloud_customer_service"],
    ...                       "county": ["义乌", "东阳"], "capacity": [2, 5], "required_skills": ["按摩", "客服"]})
    >>> recommend_posts(persons, posts, k=1, scorer=CompatibilityScorer(as_of="2025-01-01"))["post_id"].tolist()
    ['q1', 'q2']
    """
    client = active_client(client)
    if client is not None:
        require_distributed("distributed recommendation")
    scorer = CompatibilityScorer() if scorer is None else scorer
    posts = _validated(posts, "posts")
    options = {"person_ids": person_ids, "min_score": min_score, "max_per_kind": max_per_kind,
               "exclude_full": exclude_full, "reasons": reasons}
    parts = _persons_partitions(persons, partition_by, n_partitions, client)
    frames = run_tasks(_recommend_part, parts, client, "recommendation", scorer, posts, k, options,
                       broadcast=(1,))
    frames = [f for f in frames if len(f)]
    if frames:
        table = pd.concat(frames, ignore_index=True)
        order = np.argsort(table["person_id"].astype("object").astype(str).to_numpy(), kind="stable")
        table = table.iloc[order].reset_index(drop=True)
    else:
        local = copy.deepcopy(scorer)
        empty = persons.head(0) if isinstance(persons, pd.DataFrame) else persons._meta
        table = local.recommend_posts(empty.drop(columns=[_KEY], errors="ignore"), posts, k, **options)
    if out is not None:
        from jhmatch.data.io import write_table

        write_table(table, out)
    return table
