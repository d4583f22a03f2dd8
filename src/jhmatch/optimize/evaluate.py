"""Turn a 0/1 choice of pairs into an :class:`~jhmatch.optimize.result.Allocation`.

Every backend returns the chosen pairs; the objective, constraint activity,
summaries and unplaced reasons are computed here once, the same way for all of
them, from the problem itself (not from the solver's own report).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from jhmatch.errors import SolverError
from jhmatch.i18n import N_
from jhmatch.optimize.constraints import Block
from jhmatch.optimize.result import Allocation, Diagnosis, Status

if TYPE_CHECKING:  # pragma: no cover - the problem module is not imported here: pulp_export, which it
    # imports for AllocationProblem.to_pulp, reads this module (no import circle)
    from jhmatch.optimize.problem import AllocationProblem

__all__ = [
    "REASON_FULL",
    "REASON_INFEASIBLE",
    "REASON_NOT_CHOSEN",
    "REASON_NO_CANDIDATE",
    "REASON_NO_PLAN_IN_TIME",
    "REASON_REJECTED",
    "REASON_SOLVER_FAILED",
    "REASON_UNWILLING",
    "UNPLACED_REASONS",
    "Evaluation",
    "compile_blocks",
    "evaluate",
    "make_allocation",
]

# Why a person has no post: English in the ``reason`` column (data keeps English);
# the output layer shows them in the planner's language with ``gettext(reason)``.
REASON_NO_CANDIDATE = N_("no candidate post")
REASON_FULL = N_("every candidate post is full")
REASON_UNWILLING = N_("not willing to work")
REASON_NOT_CHOSEN = N_("not chosen: placing them would lower the objective or break a rule")
REASON_SOLVER_FAILED = N_("the solver failed; nobody was allocated")
REASON_INFEASIBLE = N_("no plan: the hard rules cannot all hold (see the diagnosis)")
REASON_NO_PLAN_IN_TIME = N_("no plan: the time limit was reached before a plan was found")
REASON_REJECTED = N_("rejected by every candidate post (stable matching)")
UNPLACED_REASONS = (REASON_NO_CANDIDATE, REASON_FULL, REASON_UNWILLING, REASON_NOT_CHOSEN, REASON_SOLVER_FAILED,
                    REASON_INFEASIBLE, REASON_NO_PLAN_IN_TIME, REASON_REJECTED)
"""Every reason the ``unplaced`` table can give (English msgids; translate with ``jhmatch.i18n.gettext``)."""


def compile_blocks(problem: AllocationProblem) -> list[Block]:
    """Compile every constraint of ``problem`` (in order).

    Examples
    --------
    >>> from jhmatch.matching.score_matrix import ScoreMatrix
    >>> from jhmatch.optimize.problem import AllocationProblem
    >>> from jhmatch.optimize import PlacementGuarantee
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a"], "post_id": ["x"], "score": [1.0]}))
    >>> [b.name for b in compile_blocks(AllocationProblem(sm, [1], constraints=[PlacementGuarantee(["a"])]))]
    ['PlacementGuarantee']
    """
    return [c.compile(problem) for c in problem.constraints]


@dataclass(frozen=True, eq=False)
class Evaluation:
    """Value of a choice of pairs: placement value, penalties, row activity, feasibility (see :func:`evaluate`)."""

    value: float
    penalty: float
    objective: float
    activity: list[np.ndarray]
    violation: list[np.ndarray]
    hard_ok: bool
    basic_ok: bool


def evaluate(problem: AllocationProblem, x: np.ndarray, blocks: list[Block], tol: float = 1e-6) -> Evaluation:
    """Evaluate a 0/1 vector over pairs against ``problem`` and its compiled ``blocks``.

    Examples
    --------
    >>> from jhmatch.matching.score_matrix import ScoreMatrix
    >>> from jhmatch.optimize.problem import AllocationProblem
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a", "b"], "post_id": ["x", "x"], "score": [0.5, 0.25]}))
    >>> ev = evaluate(AllocationProblem(sm, [1]), np.array([1, 1]), [])
    >>> ev.value, ev.basic_ok
    (0.75, False)
    """
    x = np.asarray(x, dtype=float)
    value = float(problem.values @ x) if x.size else 0.0
    per_person = np.bincount(problem.pair_person, weights=x, minlength=problem.n_persons)
    use = x if problem.pair_usage is None else x * problem.pair_usage
    per_post = np.bincount(problem.pair_post, weights=use, minlength=problem.n_posts)
    basic_ok = bool((per_person <= 1 + tol).all() and (per_post <= problem.capacities + tol).all())
    activity, violation = [], []
    penalty = 0.0
    hard_ok = True
    for b in blocks:
        act = b.pair_matrix(problem) @ x if b.n_rows else np.zeros(0)
        vio = np.maximum(np.maximum(b.lb - act, act - b.ub), 0.0)
        vio[vio < tol] = 0.0
        activity.append(act)
        violation.append(vio)
        if b.hard:
            hard_ok &= not vio.any()
        else:
            penalty += b.penalty * float(vio.sum())
    return Evaluation(value, penalty, value - penalty, activity, violation, hard_ok, basic_ok)


def _constraint_frame(blocks: list[Block], ev: Evaluation) -> pd.DataFrame:
    if not blocks:
        return pd.DataFrame({"constraint": pd.Series(dtype="string"), "label": pd.Series(dtype="string"),
                             "hard": pd.Series(dtype=bool), "lb": pd.Series(dtype=float), "ub": pd.Series(dtype=float),
                             "activity": pd.Series(dtype=float), "slack": pd.Series(dtype=float),
                             "violation": pd.Series(dtype=float)})
    parts = []
    for b, act, vio in zip(blocks, ev.activity, ev.violation):
        slack = np.minimum(act - b.lb, b.ub - act)
        parts.append(pd.DataFrame({"constraint": b.name, "label": b.labels.astype(str), "hard": b.hard, "lb": b.lb,
                                   "ub": b.ub, "activity": act, "slack": slack, "violation": vio}))
    out = pd.concat(parts, ignore_index=True)
    out["constraint"] = out["constraint"].astype("string")
    out["label"] = out["label"].astype("string")
    return out


def _unplaced(problem: AllocationProblem, x: np.ndarray, reason_default: str) -> pd.DataFrame:
    placed = np.bincount(problem.pair_person, weights=x, minlength=problem.n_persons) > 0.5
    n_cand = np.diff(problem.scores.scores.indptr)
    use = x if problem.pair_usage is None else x * problem.pair_usage
    used = np.bincount(problem.pair_post, weights=use, minlength=problem.n_posts)
    need = np.ones(problem.n_pairs) if problem.pair_usage is None else problem.pair_usage
    fits = used[problem.pair_post] + need <= problem.capacities[problem.pair_post] + 1e-9
    any_fit = np.bincount(problem.pair_person, weights=fits.astype(float), minlength=problem.n_persons) > 0
    idx = np.flatnonzero(~placed)
    reason = np.where(n_cand[idx] == 0, REASON_NO_CANDIDATE,
                      np.where(~any_fit[idx], REASON_FULL, reason_default)).astype(object)
    persons = problem.persons
    if persons is not None and "willing" in persons.columns:
        unwilling = ~persons["willing"].astype("boolean").fillna(True).to_numpy(dtype=bool)
        reason[unwilling[idx] & (n_cand[idx] == 0)] = REASON_UNWILLING
    return pd.DataFrame({"person_id": problem.scores.person_ids[idx], "reason": pd.array(reason, dtype="string")})


def _summaries(problem: AllocationProblem, x: np.ndarray) -> dict[str, pd.DataFrame]:
    out: dict[str, pd.DataFrame] = {}
    placed = np.bincount(problem.pair_person, weights=x, minlength=problem.n_persons) > 0.5
    persons, posts = problem.persons, problem.posts
    for col in ("county", "category"):
        if persons is not None and col in persons.columns:
            key = persons[col].astype("string").fillna("(missing)").to_numpy()
            frame = pd.DataFrame({col: key, "persons": 1, "placed": placed.astype(int)})
            s = frame.groupby(col, sort=True)[["persons", "placed"]].sum()
            s["rate"] = s["placed"] / s["persons"]
            out[col] = s.reset_index()
    if posts is not None and "kind" in posts.columns:
        filled = np.bincount(problem.pair_post, weights=x, minlength=problem.n_posts)
        key = posts["kind"].astype("string").fillna("(missing)").to_numpy()
        frame = pd.DataFrame({"kind": key, "posts": 1, "capacity": problem.capacities.astype(float), "filled": filled})
        s = frame.groupby("kind", sort=True)[["posts", "capacity", "filled"]].sum()
        out["kind"] = s.reset_index()
    return out


def make_allocation(
    problem: AllocationProblem,
    x: np.ndarray | None,
    *,
    status: Status,
    backend: str,
    message: str,
    solve_time: float,
    bound: float | None = None,
    blocks: list[Block] | None = None,
    diagnosis: Diagnosis | None = None,
    unplaced_reason: str | None = None,
    details: Mapping[str, Any] | None = None,
) -> Allocation:
    """Build the :class:`Allocation` of a 0/1 pair vector ``x`` (``None``: no solution).

    ``unplaced_reason`` is the reason given to persons with a free candidate post
    who were not placed (default :data:`REASON_NOT_CHOSEN`, or, without a solution,
    :data:`REASON_INFEASIBLE` / :data:`REASON_NO_PLAN_IN_TIME` by ``status``).
    ``details`` are the backend's own figures (:attr:`Allocation.details`).

    Examples
    --------
    >>> from jhmatch.matching.score_matrix import ScoreMatrix
    >>> from jhmatch.optimize.problem import AllocationProblem
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a", "b"], "post_id": ["x", "x"], "score": [1.0, 0.5]}))
    >>> a = make_allocation(AllocationProblem(sm, [1]), np.array([0, 1]), status=Status.FEASIBLE, backend="hand",
    ...                     message="by hand", solve_time=0.0)
    >>> a.objective, a.unplaced["reason"].tolist()
    (0.5, ['every candidate post is full'])
    """
    blocks = compile_blocks(problem) if blocks is None else blocks
    has_solution = x is not None and status is not Status.INFEASIBLE
    if unplaced_reason is None:
        unplaced_reason = (REASON_NOT_CHOSEN if has_solution else REASON_INFEASIBLE if status is Status.INFEASIBLE
                           else REASON_NO_PLAN_IN_TIME if status is Status.TIME_LIMIT else REASON_SOLVER_FAILED)
    x = np.zeros(problem.n_pairs) if x is None else (np.asarray(x, dtype=float) > 0.5).astype(float)
    ev = evaluate(problem, x, blocks)
    objective = float("nan")
    if has_solution:
        objective = ev.objective
        if not (ev.hard_ok and ev.basic_ok):  # a backend bug must never pass as a solution
            raise SolverError(f"backend {backend!r} returned a solution that breaks capacities or hard rules")
    gap = None
    if bound is not None and has_solution:
        gap = max(bound - objective, 0.0) / max(abs(objective), 1e-9)
        if gap < 1e-12:
            gap = 0.0
    sel = np.flatnonzero(x > 0.5)
    assignments = pd.DataFrame({
        "person_id": problem.scores.person_ids[problem.pair_person[sel]],
        "post_id": problem.scores.post_ids[problem.pair_post[sel]],
        "score": problem.pair_score[sel],
        "weight": problem.weights[problem.pair_person[sel]],  # type: ignore[index]
    })
    return Allocation(
        status=status, message=message, backend=backend, objective=objective, bound=bound, gap=gap,
        solve_time=solve_time, assignments=assignments, constraints=_constraint_frame(blocks, ev),
        unplaced=_unplaced(problem, x, unplaced_reason), summaries=_summaries(problem, x), diagnosis=diagnosis,
        selected=sel, details=details or {},
    )


def stack_rows(problem: AllocationProblem, blocks: list[Block]) -> tuple[sp.csr_array, np.ndarray, np.ndarray]:
    """All block rows stacked: ``(A, lb, ub)`` over the pair variables."""
    if not blocks:
        return sp.csr_array((0, problem.n_pairs)), np.zeros(0), np.zeros(0)
    a = sp.csr_array(sp.vstack([b.pair_matrix(problem) for b in blocks], format="csr"))
    return a, np.concatenate([b.lb for b in blocks]), np.concatenate([b.ub for b in blocks])
