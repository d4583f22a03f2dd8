"""Compiled constraint rows (:class:`Block`) and the table helpers the rules share.

A :class:`Block` is what every constraint compiles to: rows ``lb <= A x <= ub``
over the pair variables, optionally described as disjoint groups of one side
(``side`` + ``membership``) so that laminar families can go into the flow network.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from jhmatch.checks import finite_number
from jhmatch.errors import Problem, SchemaError, UnknownLabelError
from jhmatch.taxonomy import DisabilityCategory, post_kinds, region

if TYPE_CHECKING:  # pragma: no cover
    from jhmatch.optimize.problem import AllocationProblem

__all__ = ["Block"]


@dataclass(frozen=True, eq=False)
class Block:
    """Compiled rows of one constraint: ``lb <= A x <= ub`` over the pair variables.

    Attributes
    ----------
    name : str
        Name of the constraint.
    labels : ndarray of object
        One label per row (county code, household id, kind, ...).
    lb, ub : ndarray of float
        Bounds per row (``-inf`` / ``inf`` when absent).
    hard : bool
        Hard (must hold) or soft (``penalty`` per unit of violation).
    penalty : float
        Cost of one unit of violation of a soft row.
    side : {"person", "post"} or None
        For group rows: the side whose elements the groups partition.
    membership : ndarray of int or None
        For group rows: the row of every person (or post), -1 outside every group.
    matrix : csr_array or None
        For general rows: the coefficients, shape (n_rows, n_pairs).

    Examples
    --------
    >>> block = Block("floor", np.array(["c1"], dtype=object), np.array([2.0]), np.array([np.inf]), True, 10.0,
    ...               "person", np.array([0, 0, -1]))
    >>> block.n_rows, block.is_group
    (1, True)
    """

    name: str
    labels: np.ndarray
    lb: np.ndarray
    ub: np.ndarray
    hard: bool
    penalty: float
    side: str | None = None
    membership: np.ndarray | None = None
    matrix: sp.csr_array | None = None

    @property
    def n_rows(self) -> int:
        """Number of rows."""
        return len(self.lb)

    @property
    def is_group(self) -> bool:
        """True for rows that count placements in disjoint groups of one side."""
        return self.side is not None

    def pair_matrix(self, problem: AllocationProblem) -> sp.csr_array:
        """Coefficients over the pair variables, shape (n_rows, n_pairs).

        Examples
        --------
        >>> import pandas as pd
        >>> from jhmatch.matching.score_matrix import ScoreMatrix
        >>> from jhmatch.optimize import AllocationProblem
        >>> sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a", "b"], "post_id": ["x", "x"], "score": [1.0, 0.5]}))
        >>> block = Block("b", np.array(["g"], dtype=object), np.ones(1), np.full(1, np.inf), True, 1.0,
        ...               "person", np.array([-1, 0]))
        >>> block.pair_matrix(AllocationProblem(sm, [1])).toarray().tolist()
        [[0.0, 1.0]]
        """
        if self.matrix is not None:
            return self.matrix
        assert self.membership is not None
        elem = problem.pair_person if self.side == "person" else problem.pair_post
        r = self.membership[elem]
        e = np.flatnonzero(r >= 0)
        return sp.csr_array((np.ones(e.size), (r[e], e)), shape=(self.n_rows, problem.n_pairs))



# ----------------------------------------------------------------------------- helpers for the rules


def _column(problem: AllocationProblem, table: str, column: str, who: str) -> pd.Series:
    frame = problem.persons if table == "persons" else problem.posts
    if frame is None or column not in frame.columns:
        raise SchemaError([Problem(None, column, "(missing column)", f"a {table} table with {column!r} (needed by {who})")],
                          table)
    return frame[column]


def _flag(problem: AllocationProblem, column: str, who: str, default: bool | None = None) -> np.ndarray:
    frame = problem.persons
    if default is not None and (frame is None or column not in frame.columns):
        return np.full(problem.n_persons, default)
    return _column(problem, "persons", column, who).astype("boolean").fillna(False).to_numpy(dtype=bool)


def _has_candidate(problem: AllocationProblem) -> np.ndarray:
    return np.diff(problem.scores.scores.indptr) > 0


def _keys(series: pd.Series, mask: np.ndarray | None = None) -> np.ndarray:
    values = series.astype("object").to_numpy().copy()
    values[pd.isna(values)] = None
    if mask is not None:
        values[~mask] = None
    return values


def _per_key(value: Any, keys: Sequence[Any], parse: Any = None,
             check: Callable[[str, Any], float] | None = None, name: str = "value") -> dict[Any, float]:
    """A scalar for every key, or a mapping whose keys are parsed with ``parse``; values checked with ``check``."""
    if value is None:
        return {}
    check = check or finite_number
    if isinstance(value, Mapping):
        return {(parse(k) if parse else k): check(f"{name}[{k!r}]", v) for k, v in value.items()}
    v = check(name, value)
    return dict.fromkeys(keys, v)


def _county(value: Any) -> str:
    return region(value).code


def _category(value: Any) -> str:
    return DisabilityCategory.parse(value).value


def _kinds_for(key: Any) -> list[str]:
    codes = [k.code for k in post_kinds()]
    text = str(key).strip()
    if text in codes:
        return [text]
    group = [c for c in codes if c.startswith(text + "_")]
    if group:
        return group
    from jhmatch.taxonomy import post_kind

    try:
        return [post_kind(key).code]
    except UnknownLabelError:
        raise UnknownLabelError("post kind or kind group", key, [*codes, "welfare", "rural", "cloud"]) from None


def _floor_bounds(minimum: Mapping[Any, float], rate: Mapping[Any, float], base: Mapping[Any, float]) -> dict[Any, float]:
    out: dict[Any, float] = {}
    for k in set(minimum) | set(rate):
        need = minimum.get(k, 0.0)
        if k in rate:
            need = max(need, math.ceil(rate[k] * base.get(k, 0.0) - 1e-9))
        out[k] = need
    return out


def _cap_bounds(maximum: Mapping[Any, float], rate: Mapping[Any, float], base: Mapping[Any, float]) -> dict[Any, float]:
    out: dict[Any, float] = {}
    for k in set(maximum) | set(rate):
        cap = maximum.get(k, np.inf)
        if k in rate:
            cap = min(cap, math.floor(rate[k] * base.get(k, 0.0) + 1e-9))
        out[k] = cap
    return out


def _counts(keys: np.ndarray, amount: np.ndarray | None = None) -> dict[Any, float]:
    present = np.array([k is not None for k in keys], dtype=bool)
    s = pd.Series(amount if amount is not None else np.ones(len(keys)))[present]
    return s.groupby(pd.Index(keys[present].astype(str))).sum().to_dict() if present.any() else {}


