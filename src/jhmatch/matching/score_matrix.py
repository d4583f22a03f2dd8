"""The :class:`ScoreMatrix`: the contract between matching and optimisation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from jhmatch.errors import Problem, SchemaError

__all__ = ["ScoreMatrix"]


@dataclass(frozen=True, eq=False, repr=False)
class ScoreMatrix:
    """Compatibility scores over candidate person–post pairs only.

    Attributes
    ----------
    scores : scipy.sparse.csr_array, shape (n_persons, n_posts)
        Score in (0, 1] of every candidate pair; a pair that is not stored is not a
        candidate (excluded by a hard rule or by blocking). Indices are sorted and
        there are no duplicates.
    person_ids, post_ids : ndarray
        Identifiers of the rows and columns, in order.
    components : mapping of str to csr_array
        Optional per-component scores with exactly the sparsity of ``scores``
        (for explanations); empty when not kept.

    Examples
    --------
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame(
    ...     {"person_id": ["a", "a", "b"], "post_id": ["x", "y", "y"], "score": [0.9, 0.4, 0.7]}))
    >>> sm.shape, sm.nnz
    ((2, 2), 3)
    >>> sm
    ScoreMatrix(2 persons x 2 posts, 3 candidate pairs)
    >>> sm.to_frame()["score"].tolist()
    [0.9, 0.4, 0.7]
    """

    scores: sp.csr_array
    person_ids: np.ndarray
    post_ids: np.ndarray
    components: Mapping[str, sp.csr_array] = field(default_factory=dict)

    def __post_init__(self) -> None:
        scores = sp.csr_array(self.scores)
        scores.sum_duplicates()
        scores.sort_indices()
        object.__setattr__(self, "scores", scores)
        object.__setattr__(self, "person_ids", np.asarray(self.person_ids))
        object.__setattr__(self, "post_ids", np.asarray(self.post_ids))
        n, m = scores.shape
        problems = []
        if len(self.person_ids) != n:
            problems.append(Problem(None, "person_ids", len(self.person_ids), f"{n} ids, one per row"))
        if len(self.post_ids) != m:
            problems.append(Problem(None, "post_ids", len(self.post_ids), f"{m} ids, one per column"))
        data = scores.data
        if data.size and (not np.all(np.isfinite(data)) or data.min() <= 0 or data.max() > 1):
            problems.append(Problem(None, "scores", f"[{data.min()}, {data.max()}]", "finite scores in (0, 1]"))
        for name, comp in self.components.items():
            c = sp.csr_array(comp)
            c.sort_indices()
            if c.shape != scores.shape or c.nnz != scores.nnz or not (
                np.array_equal(c.indptr, scores.indptr) and np.array_equal(c.indices, scores.indices)
            ):
                problems.append(Problem(None, f"components[{name!r}]", c.shape, "the sparsity of scores"))
        if problems:
            raise SchemaError(problems, "ScoreMatrix")

    def __repr__(self) -> str:  # one short line, never the arrays (they hold identifiers)
        n, m = self.shape
        comps = f"; components: {', '.join(self.components)}" if self.components else ""
        return f"ScoreMatrix({n:,} persons x {m:,} posts, {self.nnz:,} candidate pairs{comps})"

    @property
    def shape(self) -> tuple[int, int]:
        """(n_persons, n_posts)."""
        return self.scores.shape  # type: ignore[return-value]

    @property
    def nnz(self) -> int:
        """Number of candidate pairs."""
        return int(self.scores.nnz)

    def pairs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Row indices, column indices and scores of the candidate pairs (row-major)."""
        rows = np.repeat(np.arange(self.shape[0]), np.diff(self.scores.indptr))
        return rows, self.scores.indices.copy(), self.scores.data.copy()

    def to_frame(self, components: bool = False) -> pd.DataFrame:
        """Long table ``person_id, post_id, score`` (+ one column per component)."""
        rows, cols, data = self.pairs()
        out = pd.DataFrame({"person_id": self.person_ids[rows], "post_id": self.post_ids[cols], "score": data})
        if components:
            for name, comp in self.components.items():
                out[name] = sp.csr_array(comp).data
        return out

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        person_ids: Any = None,
        post_ids: Any = None,
        components: tuple[str, ...] = (),
    ) -> ScoreMatrix:
        """Build from a long table with ``person_id``, ``post_id`` and ``score`` columns.

        ``person_ids`` / ``post_ids`` fix the row and column order (and may include
        persons or posts without candidates); by default the sorted unique ids.
        """
        pid = np.asarray(person_ids) if person_ids is not None else np.unique(frame["person_id"].to_numpy())
        qid = np.asarray(post_ids) if post_ids is not None else np.unique(frame["post_id"].to_numpy())
        r = pd.Index(pid).get_indexer(frame["person_id"])
        c = pd.Index(qid).get_indexer(frame["post_id"])
        if (r < 0).any() or (c < 0).any():
            raise SchemaError([Problem(None, "person_id/post_id", "unknown id", "ids listed in person_ids/post_ids")], "ScoreMatrix")
        shape = (len(pid), len(qid))

        def build(values: np.ndarray) -> sp.csr_array:
            m = sp.coo_array((values, (r, c)), shape=shape).tocsr()
            m.sort_indices()
            return m

        comps = {name: build(frame[name].to_numpy(dtype=float)) for name in components}
        return cls(build(frame["score"].to_numpy(dtype=float)), pid, qid, comps)
