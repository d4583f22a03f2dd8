"""The plan's rules as constraint objects, each hard or soft (penalised).

Every constraint compiles to a :class:`Block` of rows ``lb <= A x <= ub`` over the
pair variables ``x``. Most rules count placements within disjoint groups of one
side — persons of a county, members of a household, posts of a kind or site —
and say so with ``side`` and ``membership``: such group rows that form a laminar
family (any two groups nested or disjoint) compile into the min-cost-flow network
as arcs with lower/upper bounds (:mod:`jhmatch.optimize.network`); the others
(e.g. category floors across county floors, shares of the total) stay sparse rows
for the LP/MILP backends.

A soft constraint costs ``penalty`` (in objective units: weight × score) per unit
of violation. Sources of the rules: Jinhua's action plan (金政办发〔2022〕50号), see
``docs/domain.md``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import KW_ONLY, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from jhmatch.checks import non_negative_number, one_of, positive_number, rate
from jhmatch.errors import ParameterError, Problem, SchemaError
from jhmatch.optimize.blocks import (
    Block,
    _cap_bounds,
    _category,
    _column,
    _counts,
    _county,
    _flag,
    _floor_bounds,
    _has_candidate,
    _keys,
    _kinds_for,
    _per_key,
)

if TYPE_CHECKING:  # pragma: no cover
    from jhmatch.optimize.problem import AllocationProblem

__all__ = [
    "Block",
    "CategoryFloor",
    "Constraint",
    "GraduateGuarantee",
    "HouseholdCoverage",
    "KindTarget",
    "LinearRows",
    "PlacementGuarantee",
    "RegionCap",
    "RegionFloor",
    "ReservedShare",
]


@dataclass(frozen=True)
class Constraint:
    """Base class: a rule that compiles to a :class:`Block`.

    Parameters
    ----------
    hard : bool
        Must hold (default) or may be violated at ``penalty`` per unit.
    penalty : float
        Cost per unit of violation of a soft rule, in objective units.
    name : str, optional
        Name shown in results (default: the class name).

    Examples
    --------
    >>> from jhmatch.optimize import RegionFloor
    >>> RegionFloor(minimum=5, hard=False, penalty=2.0, name="county floor").label
    'county floor'
    """

    _: KW_ONLY
    hard: bool = True
    penalty: float = 10.0
    name: str | None = None

    @property
    def label(self) -> str:
        """Name shown in results."""
        return self.name or type(self).__name__

    def compile(self, problem: AllocationProblem) -> Block:
        """Rows of this rule for ``problem`` (a :class:`Block`).

        Examples
        --------
        >>> import pandas as pd
        >>> from jhmatch.matching.score_matrix import ScoreMatrix
        >>> from jhmatch.optimize import AllocationProblem
        >>> sm = ScoreMatrix.from_frame(pd.DataFrame(
        ...     {"person_id": ["a", "a", "b"], "post_id": ["x", "y", "x"], "score": [0.9, 0.5, 0.8]}))
        >>> from jhmatch.optimize import PlacementGuarantee
        >>> block = PlacementGuarantee(["b"]).compile(AllocationProblem(sm, [1, 1]))
        >>> block.labels.tolist(), block.lb.tolist(), block.pair_matrix(AllocationProblem(sm, [1, 1])).toarray().tolist()
        (['b'], [1.0], [[0.0, 0.0, 1.0]])
        """
        raise NotImplementedError

    def _check_penalty(self) -> None:
        if not isinstance(self.hard, (bool, np.bool_)):
            raise ParameterError(f"{self.label}: hard must be True or False, got {self.hard!r}")
        if not self.hard:
            positive_number(f"{self.label}: penalty", self.penalty)

    def _groups(self, problem: AllocationProblem, side: str, keys: np.ndarray, lb: Mapping[Any, float],
                ub: Mapping[Any, float]) -> Block:
        """Group rows: ``keys`` labels every element of ``side`` (None: no group)."""
        self._check_penalty()
        labels = sorted(set(lb) | set(ub), key=str)
        membership = pd.Index(labels, dtype=object).get_indexer(pd.Index(keys, dtype=object)).astype(np.int64)
        lbs = np.array([lb.get(k, -np.inf) for k in labels], dtype=float)
        ubs = np.array([ub.get(k, np.inf) for k in labels], dtype=float)
        return Block(self.label, np.array(labels, dtype=object), lbs, ubs, self.hard, float(self.penalty),
                     side, membership, None)


# ----------------------------------------------------------------------------- person side


@dataclass(frozen=True)
class PlacementGuarantee(Constraint):
    """Every listed person is placed (one row per person: ``placed >= 1``).

    Examples
    --------
    >>> PlacementGuarantee(["p1", "p2"]).label
    'PlacementGuarantee'
    """

    person_ids: Sequence[Any] = ()

    def compile(self, problem: AllocationProblem) -> Block:
        ids = pd.Index(np.asarray(problem.scores.person_ids, dtype=object))
        wanted = list(self.person_ids)
        pos = ids.get_indexer(pd.Index(np.asarray(wanted, dtype=object)))
        if (pos < 0).any():
            raise SchemaError([Problem(None, "person_id", np.asarray(wanted, dtype=object)[pos < 0][0],
                                       f"a person of the problem (in {self.label})")], "constraint")
        return self._singletons(problem, np.unique(pos))

    def _singletons(self, problem: AllocationProblem, members: np.ndarray) -> Block:
        self._check_penalty()
        membership = np.full(problem.n_persons, -1, dtype=np.int64)
        membership[members] = np.arange(members.size)
        k = members.size
        return Block(self.label, np.asarray(problem.scores.person_ids, dtype=object)[members], np.ones(k),
                     np.full(k, np.inf), self.hard, float(self.penalty), "person", membership, None)


@dataclass(frozen=True)
class GraduateGuarantee(PlacementGuarantee):
    """Every graduating student who wants work is placed (plan: 100% employment).

    Uses the persons columns ``graduate`` and ``willing`` (default: willing).

    Examples
    --------
    >>> GraduateGuarantee(hard=False, penalty=5).label
    'GraduateGuarantee'
    """

    def compile(self, problem: AllocationProblem) -> Block:
        members = _flag(problem, "graduate", self.label) & _flag(problem, "willing", self.label, default=True)
        return self._singletons(problem, np.flatnonzero(members))


@dataclass(frozen=True)
class HouseholdCoverage(Constraint):
    """Every household in difficulty with a member able and willing to work gets >= 1 placement.

    A member is *able* when they have at least one candidate post and *willing* per
    the ``willing`` column. Uses ``household_id`` and ``household_difficulty``.

    Examples
    --------
    >>> HouseholdCoverage().hard
    True
    """

    def compile(self, problem: AllocationProblem) -> Block:
        eligible = (_flag(problem, "household_difficulty", self.label)
                    & _flag(problem, "willing", self.label, default=True) & _has_candidate(problem))
        keys = _keys(_column(problem, "persons", "household_id", self.label), eligible)
        households = {k for k in keys if k is not None}
        return self._groups(problem, "person", keys, dict.fromkeys(households, 1.0), {})


@dataclass(frozen=True)
class RegionFloor(Constraint):
    """Per-county minimum placements, or minimum placement rate.

    Parameters
    ----------
    minimum : int or mapping county -> int, optional
        Minimum placements (a scalar applies to every county present).
    rate : float or mapping county -> float, optional
        Minimum share placed of the county's willing persons (``side="person"``)
        or of its posts' capacity (``side="post"``); rounded up.
    side : {"person", "post"}
        Count persons by their county, or placements by the post's county.

    Examples
    --------
    >>> RegionFloor(rate={"义乌": 0.5}).side
    'person'
    """

    minimum: Any = None
    rate: Any = None
    side: str = "person"

    def _setup(self, problem: AllocationProblem) -> tuple[np.ndarray, dict[Any, float]]:
        one_of(f"{self.label}: side", self.side, ("person", "post"))
        if self.side == "person":
            keys = _keys(_column(problem, "persons", "county", self.label),
                         _flag(problem, "willing", self.label, default=True))
            base = _counts(keys)
        else:
            keys = _keys(_column(problem, "posts", "county", self.label))
            base = _counts(keys, problem.capacities.astype(float))
        return keys, base

    def compile(self, problem: AllocationProblem) -> Block:
        keys, base = self._setup(problem)
        present = sorted(base)
        lb = _floor_bounds(self._counts_of(self.minimum, present, "minimum"), self._rates(present), base)
        return self._groups(problem, self.side, keys, lb, {})

    def _counts_of(self, value: Any, present: list[Any], what: str) -> dict[Any, float]:
        return _per_key(value, present, _county, non_negative_number, f"{self.label}: {what}")

    def _rates(self, present: list[Any]) -> dict[Any, float]:
        return _per_key(self.rate, present, _county, rate, f"{self.label}: rate")


@dataclass(frozen=True)
class RegionCap(RegionFloor):
    """Per-county maximum placements, or maximum placement rate.

    Parameters
    ----------
    maximum : int or mapping county -> int, optional
        Maximum placements (a scalar applies to every county present).
    rate : float or mapping county -> float, optional
        Maximum share placed of the county's willing persons (``side="person"``)
        or of its posts' capacity (``side="post"``); rounded down.
    side : {"person", "post"}
        Count persons by their county, or placements by the post's county.

    A cap takes ``maximum`` and/or ``rate``; ``minimum`` is refused (it would be
    ignored): a floor is :class:`RegionFloor`.

    Examples
    --------
    >>> RegionCap(maximum=10).maximum
    10
    >>> RegionCap(minimum=1)
    Traceback (most recent call last):
    ...
    jhmatch.errors.ParameterError: RegionCap: minimum=1 sets no cap; give maximum=1 for at most 1 per county, or use RegionFloor(minimum=1) for at least 1
    """

    maximum: Any = None

    def __post_init__(self) -> None:
        if self.minimum is not None:
            raise ParameterError(f"{self.label}: minimum={self.minimum!r} sets no cap; give maximum={self.minimum!r} "
                                 f"for at most {self.minimum!r} per county, or use RegionFloor(minimum="
                                 f"{self.minimum!r}) for at least {self.minimum!r}")
        if self.maximum is None and self.rate is None:
            raise ParameterError(f"{self.label}: give maximum= (placements) or rate= (share placed) per county")

    def compile(self, problem: AllocationProblem) -> Block:
        keys, base = self._setup(problem)
        present = sorted(base)
        ub = _cap_bounds(self._counts_of(self.maximum, present, "maximum"), self._rates(present), base)
        return self._groups(problem, self.side, keys, {}, ub)


@dataclass(frozen=True)
class CategoryFloor(Constraint):
    """No disability category left behind: minimum count, rate or share per category.

    Parameters
    ----------
    minimum : int or mapping category -> int, optional
        Minimum placements of persons of the category.
    rate : float or mapping, optional
        Minimum share placed of the category's willing persons (rounded up).
    share : float or mapping, optional
        Minimum share of *all placements* going to the category (a general row,
        never part of the flow network).

    Examples
    --------
    >>> CategoryFloor(rate=0.3).rate
    0.3
    """

    minimum: Any = None
    rate: Any = None
    share: Any = None

    def compile(self, problem: AllocationProblem) -> Block:
        keys = _keys(_column(problem, "persons", "category", self.label),
                     _flag(problem, "willing", self.label, default=True))
        base = _counts(keys)
        present = sorted(base)
        lb = _floor_bounds(_per_key(self.minimum, present, _category, non_negative_number, f"{self.label}: minimum"),
                           _per_key(self.rate, present, _category, rate, f"{self.label}: rate"), base)
        if self.share is None:
            return self._groups(problem, "person", keys, lb, {})
        self._check_penalty()
        shares = _per_key(self.share, present, _category, rate, f"{self.label}: share")
        labels = sorted(set(lb) | set(shares))
        cat_of_pair = keys.astype(str)[problem.pair_person]
        rows, cols, vals, lbs = [], [], [], []
        e_all = np.arange(problem.n_pairs)
        for r, k in enumerate(labels):
            inside = cat_of_pair == str(k)
            s = shares.get(k, 0.0)
            coef = inside.astype(float) - s
            rows.append(np.full(problem.n_pairs, r))
            cols.append(e_all)
            vals.append(coef)
            lbs.append(0.0 if k in shares else -np.inf)
        # count floors of the same categories become extra rows on the group counts
        matrix = sp.csr_array((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                              shape=(len(labels), problem.n_pairs))
        if lb:
            group = self._groups(problem, "person", keys, lb, {})
            matrix = sp.csr_array(sp.vstack([matrix, group.pair_matrix(problem)]))
            labels = [f"{k} (share)" for k in labels] + [f"{k} (count)" for k in group.labels]
            lbs = lbs + list(group.lb)
        lab = np.array(labels, dtype=object)
        return Block(self.label, lab, np.array(lbs, float), np.full(len(lbs), np.inf), self.hard,
                     float(self.penalty), None, None, matrix)


# ----------------------------------------------------------------------------- post side


@dataclass(frozen=True)
class KindTarget(Constraint):
    """Totals per post kind, e.g. ``{"tobacco_outlet": 300, "welfare": 500}``.

    Keys are kind codes, Chinese kind names, or a group prefix (``"welfare"``
    covers every ``welfare_*`` kind). ``maximum`` optionally caps kinds too.

    Examples
    --------
    >>> KindTarget({"welfare": 500}).targets
    {'welfare': 500}
    """

    targets: Mapping[str, float] | None = None
    maximum: Mapping[str, float] | None = None

    def compile(self, problem: AllocationProblem) -> Block:
        kinds = _keys(_column(problem, "posts", "kind", self.label))
        groups: dict[str, list[str]] = {str(k): _kinds_for(k) for k in {*(self.targets or {}), *(self.maximum or {})}}
        # one row per key; keys may overlap (e.g. "welfare" and "welfare_cleaning") -> general rows then
        members = [set(v) for v in groups.values()]
        disjoint = sum(len(m) for m in members) == len(set().union(*members)) if members else True
        lb = {k: non_negative_number(f"{self.label}: targets[{k!r}]", v) for k, v in (self.targets or {}).items()}
        ub = {k: non_negative_number(f"{self.label}: maximum[{k!r}]", v) for k, v in (self.maximum or {}).items()}
        if disjoint:
            kind_to_key = {kind: key for key, ks in groups.items() for kind in ks}
            keys = np.array([kind_to_key.get(k) for k in kinds], dtype=object)
            return self._groups(problem, "post", keys, lb, ub)
        self._check_penalty()
        labels = sorted(groups)
        post_kind_pair = kinds[problem.pair_post]
        rows = [np.flatnonzero(np.isin(post_kind_pair.astype(str), groups[k])) for k in labels]
        r = np.concatenate([np.full(x.size, i) for i, x in enumerate(rows)]) if rows else np.zeros(0, int)
        c = np.concatenate(rows) if rows else np.zeros(0, int)
        matrix = sp.csr_array((np.ones(c.size), (r, c)), shape=(len(labels), problem.n_pairs))
        return Block(self.label, np.array(labels, dtype=object), np.array([lb.get(k, -np.inf) for k in labels]),
                     np.array([ub.get(k, np.inf) for k in labels]), self.hard, float(self.penalty), None, None, matrix)


@dataclass(frozen=True)
class ReservedShare(Constraint):
    """At least ``share`` of the posts at each new community service point go to disabled persons.

    Parameters
    ----------
    share : float
        Minimum share (plan: 10% at new kiosk points).
    site_posts : mapping site_id -> int, optional
        Total posts at each site (all applicants). Default: the capacity listed
        at the site in the posts table. The floor is ``ceil(share * site_posts)``.
    kinds : sequence of str, optional
        Only posts of these kinds count (default ``("kiosk",)``; ``None`` for all).

    Examples
    --------
    >>> ReservedShare(share=0.1, site_posts={"s1": 30}).share
    0.1
    """

    share: float = 0.10
    site_posts: Mapping[Any, float] | None = None
    kinds: Sequence[str] | None = ("kiosk",)

    def compile(self, problem: AllocationProblem) -> Block:
        rate(f"{self.label}: share", self.share)
        mask = None
        if self.kinds is not None:
            codes = [c for k in self.kinds for c in _kinds_for(k)]
            mask = np.isin(_keys(_column(problem, "posts", "kind", self.label)).astype(str), codes)
        keys = _keys(_column(problem, "posts", "site_id", self.label), mask)
        base = ({k: non_negative_number(f"{self.label}: site_posts[{k!r}]", v) for k, v in self.site_posts.items()}
                if self.site_posts is not None else _counts(keys, problem.capacities.astype(float)))
        lb = {str(k): float(math.ceil(self.share * v - 1e-9)) for k, v in base.items()}
        keys = np.array([None if k is None else str(k) for k in keys], dtype=object)
        return self._groups(problem, "post", keys, lb, {})


@dataclass(frozen=True)
class LinearRows(Constraint):
    """User rows ``lb <= matrix @ x <= ub`` over the pair variables (row-major pair order).

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> LinearRows(sp.csr_array([[1.0, 1.0]]), lb=[1], ub=[2]).label
    'LinearRows'
    """

    matrix: Any = None
    lb: Any = None
    ub: Any = None
    labels: Sequence[str] | None = None

    def compile(self, problem: AllocationProblem) -> Block:
        self._check_penalty()
        m = sp.csr_array(self.matrix, dtype=float)
        k = m.shape[0]
        if m.shape[1] != problem.n_pairs:
            raise ParameterError(f"{self.label}: matrix has {m.shape[1]} columns, expected one per pair ({problem.n_pairs})")
        lb = np.full(k, -np.inf) if self.lb is None else np.broadcast_to(np.asarray(self.lb, float), (k,)).copy()
        ub = np.full(k, np.inf) if self.ub is None else np.broadcast_to(np.asarray(self.ub, float), (k,)).copy()
        labels = np.array(list(self.labels) if self.labels is not None else [f"row {i}" for i in range(k)], dtype=object)
        return Block(self.label, labels, lb, ub, self.hard, float(self.penalty), None, None, m)
