"""The allocation problem: who may take which post, at what value, under which rules.

An :class:`AllocationProblem` holds the candidate pairs of a
:class:`~jhmatch.matching.score_matrix.ScoreMatrix`, the posts' capacities, the
persons' priority weights, an optional weighted capacity (generalized assignment)
and the plan's rules as constraint objects (:mod:`jhmatch.optimize.constraints`).
Each person takes at most one post; each post at most its capacity. The objective
is to maximise ``sum(weight[person] * score[person, post])`` over the chosen pairs,
minus the penalties of violated soft constraints.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from jhmatch.errors import Problem, SchemaError
from jhmatch.matching.score_matrix import ScoreMatrix

if TYPE_CHECKING:  # pragma: no cover
    from jhmatch.optimize.constraints import Constraint

__all__ = ["AllocationProblem", "PriorityWeights"]


@dataclass(frozen=True)
class PriorityWeights:
    """Documented priority weights of persons (additive bonuses on a base of 1).

    The action plan names priority groups without numbers: households in
    difficulty (困难残疾人家庭, "every such household with a member able and willing
    to work has at least one stable earner"), low-income (dibao, 低保) households and
    graduating students (应届高校毕业生, "100% employment of those who want work").
    A person's weight is ``base`` plus the bonus of every group they belong to; the
    default bonuses below are jhmatch's choice (a placement of a person in a
    difficult household counts 1.5 times a plain one), not figures from the plan —
    set your own.

    Attributes
    ----------
    base : float
        Weight of every person.
    household_difficulty, low_income, graduate : float
        Bonus added for a member of a household in difficulty, of a low-income
        household, and for a graduating student.

    Examples
    --------
    >>> persons = pd.DataFrame({"household_difficulty": [True, False], "low_income": [True, False],
    ...                         "graduate": [False, True]})
    >>> PriorityWeights().of(persons).tolist()
    [1.8, 1.2]
    """

    base: float = 1.0
    household_difficulty: float = 0.5
    low_income: float = 0.3
    graduate: float = 0.2

    def of(self, persons: pd.DataFrame) -> np.ndarray:
        """Weight of every row of a (validated) persons table; missing flags count as no.

        Examples
        --------
        >>> PriorityWeights(base=2.0).of(pd.DataFrame({"graduate": [True, None]})).tolist()
        [2.2, 2.0]
        """
        w = np.full(len(persons), float(self.base))
        for col in ("household_difficulty", "low_income", "graduate"):
            if col in persons.columns:
                flag = persons[col].astype("boolean").fillna(False).to_numpy(dtype=bool)
                w += float(getattr(self, col)) * flag
        return w


def _align(frame: pd.DataFrame, key: str, ids: np.ndarray, table: str) -> pd.DataFrame:
    if key not in frame.columns:
        raise SchemaError([Problem(None, key, "(missing column)", f"a {key!r} column to align with the ScoreMatrix")], table)
    index = pd.Index(frame[key].astype("object").to_numpy())
    if index.has_duplicates:
        dup = index[index.duplicated()][0]
        raise SchemaError([Problem(None, key, dup, "unique ids")], table)
    pos = index.get_indexer(pd.Index(np.asarray(ids, dtype=object)))
    if (pos < 0).any():
        missing = np.asarray(ids)[pos < 0][0]
        raise SchemaError([Problem(None, key, missing, f"every id of the ScoreMatrix to have a row in {table}")], table)
    return frame.iloc[pos].reset_index(drop=True)


def _keep_pairs(matrix: sp.csr_array, keep: np.ndarray) -> sp.csr_array:
    """The stored entries of ``matrix`` where ``keep`` (row-major order) is true; same shape."""
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    out = sp.csr_array((matrix.data[keep], (rows[keep], matrix.indices[keep])), shape=matrix.shape)
    out.sort_indices()
    return out


@dataclass(frozen=True, eq=False)
class AllocationProblem:
    """Persons × posts over candidate pairs, with capacities, weights and rules.

    Parameters
    ----------
    scores : ScoreMatrix
        Candidate pairs and their scores in (0, 1].
    capacities : array of int or float, shape (n_posts,)
        How many persons each post takes; with ``usage`` given, the budget of each
        post (e.g. job-coach hours) instead.
    weights : array of float, shape (n_persons,), optional
        Priority weight of each person (default 1); see :class:`PriorityWeights`.
    usage : csr_array, optional
        Weighted capacity (the generalized assignment problem): the amount of its
        post's budget a pair consumes, with exactly the sparsity of ``scores``.
    constraints : sequence of Constraint
        The plan's rules (hard or soft).
    persons, posts : DataFrame, optional
        Attribute tables aligned row by row with ``scores.person_ids`` and
        ``scores.post_ids`` (constraints and summaries read them).

    Examples
    --------
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame(
    ...     {"person_id": ["a", "a", "b"], "post_id": ["x", "y", "y"], "score": [0.9, 0.4, 0.7]}))
    >>> prob = AllocationProblem(sm, capacities=[1, 1])
    >>> prob.n_persons, prob.n_posts, prob.n_pairs
    (2, 2, 3)
    >>> prob.values.tolist()
    [0.9, 0.4, 0.7]
    """

    scores: ScoreMatrix
    capacities: np.ndarray
    weights: np.ndarray | None = None
    usage: sp.csr_array | None = None
    constraints: tuple[Constraint, ...] = ()
    persons: pd.DataFrame | None = None
    posts: pd.DataFrame | None = None
    _pairs: tuple[np.ndarray, np.ndarray, np.ndarray] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        n, m = self.scores.shape
        problems: list[Problem] = []
        cap = np.asarray(self.capacities, dtype=float).ravel()
        if cap.shape != (m,):
            problems.append(Problem(None, "capacities", cap.shape, f"one capacity per post ({m})"))
        elif not np.all(np.isfinite(cap)) or (cap < 0).any():
            bad = int(np.flatnonzero(~np.isfinite(cap) | (cap < 0))[0])
            problems.append(Problem(bad + 1, "capacities", cap[bad], "a finite capacity >= 0"))
        elif self.usage is None and not np.array_equal(cap, np.round(cap)):
            bad = int(np.flatnonzero(cap != np.round(cap))[0])
            problems.append(Problem(bad + 1, "capacities", cap[bad], "a whole number of places (or give usage)"))
        w = np.ones(n) if self.weights is None else np.asarray(self.weights, dtype=float).ravel()
        if w.shape != (n,):
            problems.append(Problem(None, "weights", w.shape, f"one weight per person ({n})"))
        elif not np.all(np.isfinite(w)) or (w <= 0).any():
            bad = int(np.flatnonzero(~np.isfinite(w) | (w <= 0))[0])
            problems.append(Problem(bad + 1, "weights", w[bad], "a finite weight > 0"))
        usage = None
        if self.usage is not None:
            usage = sp.csr_array(self.usage, dtype=float)
            usage.sort_indices()
            s = self.scores.scores
            if usage.shape != s.shape or usage.nnz != s.nnz or not (
                np.array_equal(usage.indptr, s.indptr) and np.array_equal(usage.indices, s.indices)
            ):
                problems.append(Problem(None, "usage", usage.shape, "the sparsity of the scores"))
            elif usage.nnz and (not np.all(np.isfinite(usage.data)) or usage.data.min() < 0):
                problems.append(Problem(None, "usage", usage.data.min(), "finite amounts >= 0"))
        if problems:
            raise SchemaError(problems, "AllocationProblem")
        object.__setattr__(self, "capacities", cap if usage is not None else cap.astype(np.int64))
        object.__setattr__(self, "weights", w)
        object.__setattr__(self, "usage", usage)
        object.__setattr__(self, "constraints", tuple(self.constraints))
        if self.persons is not None:
            object.__setattr__(self, "persons", _align(self.persons, "person_id", self.scores.person_ids, "persons"))
        if self.posts is not None:
            object.__setattr__(self, "posts", _align(self.posts, "post_id", self.scores.post_ids, "posts"))
        rows, cols, data = self.scores.pairs()
        object.__setattr__(self, "_pairs", (rows.astype(np.int64), cols.astype(np.int64), data))

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_frames(
        cls,
        scores: ScoreMatrix,
        persons: pd.DataFrame,
        posts: pd.DataFrame,
        constraints: Sequence[Constraint] = (),
        priority: PriorityWeights | None = None,
        weights: Any = None,
        usage: sp.csr_array | None = None,
        capacity_column: str = "capacity",
        only_willing: bool = True,
    ) -> AllocationProblem:
        """Build from validated persons and posts tables, aligned by id.

        Parameters
        ----------
        scores : ScoreMatrix
            Candidate pairs.
        persons, posts : DataFrame
            Validated tables (``jhmatch.data.schema``); every id of ``scores`` must
            have a row, extra rows are ignored.
        constraints : sequence of Constraint
            The rules to apply.
        priority : PriorityWeights, optional
            How the persons' weights are derived (default :class:`PriorityWeights()`).
        weights : array, optional
            Explicit weights (override ``priority``).
        usage : csr_array, optional
            Weighted capacity (see the class).
        capacity_column : str
            Column of ``posts`` holding capacities (or budgets with ``usage``).
        only_willing : bool
            Drop the candidate pairs of persons whose ``willing`` is false (they
            stay in the problem, unplaced, with that reason).

        Examples
        --------
        >>> sm = ScoreMatrix.from_frame(pd.DataFrame(
        ...     {"person_id": ["a", "b"], "post_id": ["x", "x"], "score": [0.5, 0.5]}))
        >>> persons = pd.DataFrame({"person_id": ["b", "a"], "graduate": [True, False]})
        >>> posts = pd.DataFrame({"post_id": ["x"], "capacity": [1]})
        >>> AllocationProblem.from_frames(sm, persons, posts).weights.tolist()
        [1.0, 1.2]
        """
        persons_a = _align(persons, "person_id", scores.person_ids, "persons")
        if only_willing and "willing" in persons_a.columns:
            willing = persons_a["willing"].astype("boolean").fillna(True).to_numpy(dtype=bool)
            if not willing.all():
                keep = willing[np.repeat(np.arange(scores.shape[0]), np.diff(scores.scores.indptr))]
                if usage is not None:
                    usage = _keep_pairs(sp.csr_array(usage), keep)
                scores = ScoreMatrix(_keep_pairs(scores.scores, keep), scores.person_ids, scores.post_ids,
                                     {k: _keep_pairs(sp.csr_array(v), keep) for k, v in scores.components.items()})
        posts_a = _align(posts, "post_id", scores.post_ids, "posts")
        if capacity_column not in posts_a.columns:
            raise SchemaError([Problem(None, capacity_column, "(missing column)", "post capacities")], "posts")
        cap = posts_a[capacity_column].to_numpy(dtype=float, na_value=np.nan)
        if weights is None:
            weights = (priority or PriorityWeights()).of(persons_a)
        return cls(scores, cap, weights, usage, tuple(constraints), persons_a, posts_a)

    # ------------------------------------------------------------------ views
    @property
    def n_persons(self) -> int:
        """Number of persons (rows)."""
        return int(self.scores.shape[0])

    @property
    def n_posts(self) -> int:
        """Number of posts (columns)."""
        return int(self.scores.shape[1])

    @property
    def n_pairs(self) -> int:
        """Number of candidate pairs (decision variables)."""
        return self.scores.nnz

    @property
    def pair_person(self) -> np.ndarray:
        """Person (row) index of every pair, row-major order."""
        return self._pairs[0]

    @property
    def pair_post(self) -> np.ndarray:
        """Post (column) index of every pair."""
        return self._pairs[1]

    @property
    def pair_score(self) -> np.ndarray:
        """Score of every pair."""
        return self._pairs[2]

    @property
    def values(self) -> np.ndarray:
        """Objective value of every pair: ``weight[person] * score``."""
        return self.weights[self._pairs[0]] * self._pairs[2]  # type: ignore[index]

    @property
    def pair_usage(self) -> np.ndarray | None:
        """Budget used by every pair (weighted capacity), or ``None``."""
        return None if self.usage is None else self.usage.data

    def with_constraints(self, *constraints: Constraint) -> AllocationProblem:
        """A copy with ``constraints`` added.

        Examples
        --------
        >>> sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a"], "post_id": ["x"], "score": [1.0]}))
        >>> from jhmatch.optimize.constraints import PlacementGuarantee
        >>> len(AllocationProblem(sm, [1]).with_constraints(PlacementGuarantee(["a"])).constraints)
        1
        """
        return AllocationProblem(self.scores, self.capacities, self.weights, self.usage,
                                 (*self.constraints, *constraints), self.persons, self.posts)

    def replace_constraints(self, constraints: Sequence[Constraint]) -> AllocationProblem:
        """A copy with exactly ``constraints``.

        Examples
        --------
        >>> sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a"], "post_id": ["x"], "score": [1.0]}))
        >>> from jhmatch.optimize.constraints import PlacementGuarantee
        >>> prob = AllocationProblem(sm, [1], constraints=[PlacementGuarantee(["a"])])
        >>> prob.replace_constraints([]).constraints
        ()
        """
        return AllocationProblem(self.scores, self.capacities, self.weights, self.usage,
                                 tuple(constraints), self.persons, self.posts)

    def to_pulp(self, name: str = "jhmatch_allocation") -> Any:
        """Export as a PuLP model (binary ``x`` per pair, slacks for soft rules).

        Returns an :class:`~jhmatch.optimize.pulp_export.PulpModel` holding the
        ``pulp.LpProblem`` and its variables, so that users can add rows and solve
        with any PuLP solver, then read the result back.

        Examples
        --------
        >>> sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a", "b"], "post_id": ["x", "x"], "score": [1.0, 0.5]}))
        >>> pm = AllocationProblem(sm, [1]).to_pulp()
        >>> pm.model += (pm.x[0] == 0, "not_a")
        >>> pm.solve().assignments["person_id"].tolist()
        ['b']
        """
        from jhmatch.optimize.pulp_export import to_pulp

        return to_pulp(self, name)
