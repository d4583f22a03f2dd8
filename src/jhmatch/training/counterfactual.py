"""The counterfactual allocation: who is placed once some persons have taken some courses.

:func:`prepare` sets up what every training decision is measured against: the seekers
(persons willing to work and not employed, as in :func:`jhmatch.pipeline.run_plan`),
their candidate pairs scored by the scorer with every pair kept, their priority
weights, the courses' seats and costs, and what each course changes
(:func:`~jhmatch.training.effects.course_effects`). :func:`allocate` then builds the
allocation problem of the persons *with* the granted certificates and skills — the
trainees' rows rescored by the scorer, each pair at the higher of before and after —
and solves it with :func:`jhmatch.optimize.solve`: the placements a plan reports are
the allocation model's, not a count.

The value of a pair in every problem here is ``weight × ((1 - λ) + λ × score)`` with
``λ = score_weight``: with the default 0.1 a placement is worth at least 0.9 and its
score breaks ties (placements first, then their quality); ``score_weight=1`` is the
allocation model's own objective (weight × score).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from jhmatch.data.valid import ensure_valid
from jhmatch.errors import ParameterError
from jhmatch.matching import CompatibilityScorer
from jhmatch.matching.score_matrix import ScoreMatrix
from jhmatch.optimize import Allocation, AllocationProblem, PriorityWeights, solve
from jhmatch.training.courses import COURSES, require_costs
from jhmatch.training.effects import CourseEffects, course_effects, full_scorer, trained_persons, trained_scores
from jhmatch.training.model import UnionModel

__all__ = ["TrainingPriorities", "TrainingSetup", "after_scores", "allocate", "kept_pairs", "prepare",
           "union_model"]


@dataclass(frozen=True)
class TrainingPriorities(PriorityWeights):
    """The allocation's priority weights (:class:`~jhmatch.optimize.PriorityWeights`) plus rural low-income persons.

    The plan names graduates (八: 一人一策 for every disabled graduate), households in
    difficulty and, for training, rural low-income persons (七: 农村实用技术培训 leaning
    towards 农村低收入残疾人). A person's weight is the allocation's (base plus a bonus
    per group, computed by ``PriorityWeights.of``) plus ``rural_low_income`` for a rural
    person of a low-income household; for training the plain low-income bonus is 0 by
    default, so the lean goes to rural low-income persons. The bonuses are jhmatch's
    choice, not figures of the plan. A column the persons table lacks counts as no.

    Examples
    --------
    >>> p = pd.DataFrame({"graduate": [True, False], "household_difficulty": [False, True],
    ...                   "rural": [False, True], "low_income": [True, True]})
    >>> TrainingPriorities().of(p).tolist()
    [1.2, 1.8]
    """

    low_income: float = 0.0
    rural_low_income: float = 0.3

    def of(self, persons: pd.DataFrame) -> np.ndarray:
        """Weight of every row of ``persons``."""
        def flag(col: str) -> np.ndarray:
            if col not in persons:
                return np.zeros(len(persons), bool)
            return persons[col].astype("boolean").fillna(False).to_numpy(dtype=bool)

        return super().of(persons) + self.rural_low_income * (flag("rural") & flag("low_income"))


@dataclass(frozen=True, eq=False)
class TrainingSetup:
    """Everything a training decision is measured against (see :func:`prepare`).

    Attributes
    ----------
    persons : DataFrame
        The seekers, validated, sorted by id (row ``i`` is row ``i`` of ``base``).
    posts, courses : DataFrame
        Validated; posts sorted by id.
    scorer : CompatibilityScorer
        The scorer, every candidate pair kept.
    base : ScoreMatrix
        The seekers' candidate pairs without training.
    weights : ndarray
        Priority weight of each seeker.
    effects : CourseEffects
        What each course changes for each seeker.
    seats : ndarray of float
        Seat limit per course (``inf``: none).
    score_weight : float
        ``λ`` of the pair value (module docstring).
    """

    persons: pd.DataFrame
    posts: pd.DataFrame
    courses: pd.DataFrame
    scorer: CompatibilityScorer
    base: ScoreMatrix
    weights: np.ndarray
    effects: CourseEffects
    seats: np.ndarray
    score_weight: float

    @property
    def cost(self) -> np.ndarray:
        """Cost per seat of each course."""
        return self.courses["cost"].to_numpy(dtype=float)

    def values(self, scores: ScoreMatrix) -> ScoreMatrix:
        """``scores`` with each score ``s`` replaced by ``(1 - λ) + λ s`` (in (0, 1])."""
        m = sp.csr_array(scores.scores, copy=True)
        m.data = (1.0 - self.score_weight) + self.score_weight * m.data
        return ScoreMatrix(m, scores.person_ids, scores.post_ids)


def _seats(courses: pd.DataFrame, seats: Any) -> np.ndarray:
    k = len(courses)
    if seats is None:
        raw = courses["seats"].to_numpy(dtype=float, na_value=0.0)
        return np.where(raw > 0, raw, np.inf)  # 0 or missing: the table states no limit
    if isinstance(seats, Mapping):
        ids = courses["course_id"].astype(str).tolist()
        unknown = sorted(set(map(str, seats)) - set(ids))
        if unknown:
            raise ParameterError(f"seats: unknown course id(s) {unknown}; courses are {ids}")
        return np.array([float(seats.get(i, np.inf)) for i in ids])
    if np.isscalar(seats):
        return np.full(k, float(seats))
    arr = np.asarray(seats, dtype=float).ravel()
    if arr.shape != (k,):
        raise ParameterError(f"seats: one number per course ({k}), got {arr.shape}")
    return arr


def _by_id(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    out = frame.sort_values(key, kind="stable", ignore_index=True)
    out.attrs = dict(frame.attrs)
    return out


def prepare(persons: pd.DataFrame, posts: pd.DataFrame, courses: pd.DataFrame, *, seats: Any = None,
            priorities: Any = None, scorer: CompatibilityScorer | None = None, min_gain: float = 0.05,
            score_weight: float = 0.1) -> TrainingSetup:
    """Validate the tables, score the seekers and find what each course changes.

    ``priorities`` is a :class:`TrainingPriorities` (default), anything with an
    ``of(persons)`` method (e.g. :class:`jhmatch.optimize.PriorityWeights`), or an
    array of weights aligned with ``persons``' rows.

    Raises
    ------
    SchemaError
        A course without a cost per seat.
    ParameterError
        ``seats``, ``priorities`` or ``score_weight`` out of range.

    Examples
    --------
    >>> persons = pd.DataFrame({"person_id": ["p1", "p2"], "category": ["hearing", "physical"], "grade": [3, 4],
    ...                         "county": ["义乌", "义乌"]})
    >>> posts = pd.DataFrame({"post_id": ["q1", "q2"], "kind": ["企业一般岗位"] * 2, "title": ["叉车司机", "包装工"],
    ...                       "county": ["义乌"] * 2, "capacity": [1, 1]})
    >>> courses = pd.DataFrame({"course_id": ["k"], "name": ["叉车"], "grants_certificates": ["叉车证"], "cost": [1800]})
    >>> setup = prepare(persons, posts, courses, scorer=CompatibilityScorer(as_of="2025-01-01"))
    >>> allocate(setup).n_placed, union_model(setup).n_options
    (1, 2)
    >>> trained = after_scores(setup, pd.DataFrame({"person_id": ["p1"], "course_id": ["k"]}))
    >>> allocate(setup, trained).n_placed
    2
    """
    if not 0.0 < float(score_weight) <= 1.0:
        raise ParameterError(f"score_weight must be in (0, 1], got {score_weight!r}")
    persons = ensure_valid(persons, "persons")
    if priorities is not None and not hasattr(priorities, "of"):
        w = np.asarray(priorities, dtype=float).ravel()
        if w.shape != (len(persons),) or not np.all(np.isfinite(w)) or (w <= 0).any():
            raise ParameterError(f"priorities: one finite weight > 0 per person ({len(persons)})")
        persons = persons.assign(_weight=w)
    posts = _by_id(ensure_valid(posts, "posts"), "post_id")
    courses = courses if COURSES.is_canonical(courses) else COURSES.validate(courses)
    require_costs(courses)
    seeker = persons["willing"].to_numpy(dtype=bool) & ~persons["employed"].to_numpy(dtype=bool)
    seekers = _by_id(persons[seeker], "person_id")
    if "_weight" in seekers:
        weights = seekers.pop("_weight").to_numpy(dtype=float)
    else:
        weights = np.asarray((priorities or TrainingPriorities()).of(seekers), dtype=float)
    scorer = full_scorer(scorer)
    base = scorer.score(seekers, posts)
    effects = course_effects(seekers, posts, courses, scorer, min_gain=min_gain, before=base)
    return TrainingSetup(seekers, posts, courses, scorer, base, weights, effects, _seats(courses, seats),
                         float(score_weight))


def kept_pairs(scores: ScoreMatrix, per_person: int, per_post: int) -> np.ndarray:
    """Mask (row-major pair order) of each person's ``per_person`` best pairs and each post's ``per_post`` best.

    Examples
    --------
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a", "a", "a", "b"], "post_id": ["x", "y", "z", "z"],
    ...                                           "score": [0.9, 0.5, 0.7, 0.2]}))
    >>> kept_pairs(sm, 1, 0).tolist(), kept_pairs(sm, 0, 1).tolist()
    ([True, False, False, True], [True, True, True, False])
    """
    rows, cols, data = scores.pairs()
    keep = np.zeros(data.size, bool)
    for owner in (rows, cols):
        order = np.lexsort((-data, owner))  # by owner, best first
        first = np.r_[0, np.flatnonzero(np.diff(owner[order])) + 1]
        rank = np.arange(order.size) - np.repeat(first, np.diff(np.r_[first, order.size]))
        limit = per_person if owner is rows else per_post
        keep[order[rank < limit]] = True
    return keep


def union_model(setup: TrainingSetup, keep: int | None = None) -> UnionModel:
    """The training MILP's union problem: the seekers' rows, then one row per (person, course) option.

    With ``keep``, the existing pairs are pruned to each person's ``keep`` best posts and
    each post's best ``keep`` persons (every course-made pair is kept); the model is then
    smaller and its optimum a lower bound only (see :func:`jhmatch.training.bound.lagrangian_bound`).
    """
    t = setup.effects.table
    opts = setup.effects.options[["person_id", "course_id"]]
    base = setup.base
    if keep is not None:
        mask = kept_pairs(base, keep, keep)
        rows, cols, data = base.pairs()
        base = ScoreMatrix(sp.csr_array((data[mask], (rows[mask], cols[mask])), shape=base.shape),
                           base.person_ids, base.post_ids)
    n = base.shape[0]
    person_at = pd.Index(base.person_ids).get_indexer(opts["person_id"])
    course_at = pd.Index(setup.courses["course_id"].astype(object)).get_indexer(opts["course_id"])
    option_ids = (opts["person_id"].astype(str) + "\x1f" + opts["course_id"].astype(str)).to_numpy(dtype=object)
    key = (t["person_id"].astype(str) + "\x1f" + t["course_id"].astype(str)).to_numpy(dtype=object)
    rows = np.concatenate([np.repeat(np.arange(n), np.diff(base.scores.indptr)),
                           n + pd.Index(option_ids).get_indexer(key)])
    cols = np.concatenate([base.scores.indices, pd.Index(base.post_ids).get_indexer(t["post_id"])])
    data = np.concatenate([base.scores.data, t["score_after"].to_numpy(dtype=float)])
    shape = (n + len(option_ids), base.shape[1])
    sm = ScoreMatrix(sp.csr_array((data, (rows, cols)), shape=shape),
                     np.concatenate([base.person_ids.astype(object), option_ids]), base.post_ids)
    weights = np.concatenate([setup.weights, setup.weights[person_at]])
    problem = AllocationProblem(setup.values(sm), setup.posts["capacity"].to_numpy(dtype=float), weights)
    return UnionModel(problem, n, person_at.astype(np.int64), course_at.astype(np.int64),
                      setup.cost[course_at], setup.seats)


def after_scores(setup: TrainingSetup, trainees: pd.DataFrame) -> ScoreMatrix:
    """The trainees' rows rescored with their course's certificates and skills (``person_id``, ``course_id``)."""
    person_at = pd.Index(setup.persons["person_id"].astype(object)).get_indexer(trainees["person_id"])
    course_at = pd.Index(setup.courses["course_id"].astype(object)).get_indexer(trainees["course_id"])
    if (person_at < 0).any() or (course_at < 0).any():
        raise ParameterError("trainees: every person must be a seeker and every course in the courses table")
    if not len(trainees):
        return ScoreMatrix(sp.csr_array((0, len(setup.posts))), np.empty(0, object), setup.base.post_ids)
    return setup.scorer.score(trained_persons(setup.persons, setup.courses, person_at, course_at), setup.posts)


def allocate(setup: TrainingSetup, after: ScoreMatrix | None = None, keep: Any = None,
             time_limit: float | None = None) -> Allocation:
    """Solve the allocation of the seekers, the persons of ``after`` (rows of :func:`after_scores`) trained.

    ``keep`` (person ids) limits the trained persons to a subset of ``after``'s rows.
    """
    scores = setup.base
    if after is not None and after.shape[0]:
        if keep is not None:
            sel = np.flatnonzero(pd.Index(after.person_ids).isin(pd.Index(list(keep))))
            frame = after.to_frame()
            frame = frame[frame["person_id"].isin(after.person_ids[sel])]
            after = ScoreMatrix.from_frame(frame, after.person_ids[sel], after.post_ids)
        scores = trained_scores(setup.base, after)
    problem = AllocationProblem(setup.values(scores), setup.posts["capacity"].to_numpy(dtype=float), setup.weights,
                                persons=setup.persons, posts=setup.posts)
    return solve(problem, time_limit=time_limit)
