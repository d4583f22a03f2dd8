"""The result of a training plan (:class:`TrainingPlan`) and how every planner builds it (:func:`finish`).

Whatever chose the trainees (the MILP of :func:`~jhmatch.training.plan.plan_training`
or the greedy baseline of :func:`~jhmatch.training.greedy.greedy_training`), the
result is measured the same way: the allocation without training and the
counterfactual allocation with the trainees' certificates and skills, both solved by
:func:`jhmatch.optimize.solve` (:mod:`jhmatch.training.counterfactual`).

Marginal placements per 10,000 yuan (per course, per county of residence) are
measured by *withdrawal*: the counterfactual allocation is solved again with that
course's (county's) trainees untrained and everyone else's training kept; the
placements lost, divided by the yuan spent on them and multiplied by 10,000, are the
placements those 10,000 yuan buy in this plan. Courses and counties without trainees
have no figure (NaN). Withdrawal re-solves are flow problems (fast); when the time
limit has run out they are skipped (NaN) and the message says so.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd
import scipy.sparse as sp

from jhmatch.data.ids import scrub
from jhmatch.errors import NotFoundError
from jhmatch.i18n import N_, format_percent
from jhmatch.i18n import gettext as _
from jhmatch.matching.score_matrix import ScoreMatrix
from jhmatch.optimize import Allocation, Status
from jhmatch.optimize.deadline import Deadline
from jhmatch.training.counterfactual import TrainingSetup, after_scores, allocate
from jhmatch.training.wording import explain_row, grant_label

__all__ = ["PER", "STATUS_TEXT", "TRAINEE_COLUMNS", "TrainingPlan", "finish"]

PER = 10_000.0
"""Yuan per unit of the marginal figures."""

TRAINEE_COLUMNS = ("person_id", "county", "course_id", "course", "cost", "grant", "post_id", "post", "post_county",
                   "score_before", "score_after", "impossible_before", "placed_post_id", "explanation")
"""Columns of :attr:`TrainingPlan.trainees`."""

STATUS_TEXT: Mapping[Status, str] = MappingProxyType({
    Status.OPTIMAL: N_("plan proven optimal"), Status.FEASIBLE: N_("plan found, not proven optimal"),
    Status.TIME_LIMIT: N_("time limit reached, best plan so far"), Status.INFEASIBLE: N_("no plan possible"),
    Status.ERROR: N_("the solver failed")
})
"""How each status opens the status line (translated where shown)."""


@dataclass(frozen=True, eq=False)
class TrainingPlan:
    """Who to train in which course, and what it does to placements.

    Attributes
    ----------
    method : str
        ``"milp"`` (:func:`~jhmatch.training.plan.plan_training`) or ``"greedy"``.
    status : Status
        OPTIMAL only when the trainee choice is proven optimal (within ``gap``);
        TIME_LIMIT when the time limit cut the search short (the best plan found is
        given, with its bound and gap); FEASIBLE for the greedy baseline.
    message : str
        What happened.
    trainees : DataFrame
        One row per trainee (:data:`TRAINEE_COLUMNS`): the person and their county,
        the course, its cost and what it grants, the post the allocation with training
        places them on (``placed_post_id``; ``post_id`` is that post, or for a trainee
        it does not place the post the course opens for them) with the pair's score
        without and with the course, and a sentence naming that post and what the
        course did for the pair (``explanation``).
    budget, budget_used : float
        Yuan available and spent.
    placements_before, placements_after : int
        Placements of the allocation without training and with the trainees trained,
        both solved by :func:`jhmatch.optimize.solve`.
    value_before, value_after : float
        The same allocations' objectives (weighted placements, see
        :mod:`jhmatch.training.counterfactual`).
    objective, bound, gap : float or None
        The planner's own objective, its proven upper bound and relative gap (MILP;
        ``None`` for the greedy baseline).
    by_course, by_county : DataFrame
        Trainees, yuan spent, placements lost when they are withdrawn, and placements
        per 10,000 yuan (module docstring); ``by_course`` also lists seats.
    allocation_before, allocation : Allocation
        The two allocations.
    seconds : float
        Wall time of the whole plan.
    """

    method: str
    status: Status
    message: str
    trainees: pd.DataFrame
    budget: float
    budget_used: float
    placements_before: int
    placements_after: int
    value_before: float
    value_after: float
    objective: float | None
    bound: float | None
    gap: float | None
    by_course: pd.DataFrame
    by_county: pd.DataFrame
    allocation_before: Allocation
    allocation: Allocation
    seconds: float = field(default=0.0)

    @property
    def gain(self) -> int:
        """Placements added by the training."""
        return int(self.placements_after - self.placements_before)

    def explain(self, person_id: object) -> str:
        """The sentence for one trainee, in the current language.

        Raises
        ------
        NotFoundError
            ``person_id`` is not a trainee of the plan (also a :class:`KeyError`).
        """
        rows = self.trainees[self.trainees["person_id"].astype(str) == str(person_id)]
        if rows.empty:
            raise NotFoundError(_("{person} is not a trainee of this plan").format(person=scrub(str(person_id))))
        return explain_row(rows.iloc[0].to_dict())

    def status_line(self) -> str:
        """One line: status, placements without and with training, budget used, gap."""
        gap = "—" if self.gap is None else format_percent(self.gap, 1 if self.gap >= 0.001 else 3)
        return _("{status}: {before} placements without training, {after} with {n} trainees; {used} of {budget} "
                 "yuan used; gap {gap}").format(status=_(STATUS_TEXT[self.status]), before=self.placements_before,
                                                after=self.placements_after, n=len(self.trainees),
                                                used=f"{self.budget_used:,.0f}", budget=f"{self.budget:,.0f}", gap=gap)

    def __repr__(self) -> str:
        return (f"TrainingPlan(method={self.method!r}, status={self.status.value}, trainees={len(self.trainees)}, "
                f"placements {self.placements_before} -> {self.placements_after}, used={self.budget_used:,.0f}"
                f"/{self.budget:,.0f}, gap={self.gap if self.gap is None else round(self.gap, 6)})")


MEASURE_SECONDS = 5.0
"""Seconds the two measuring allocations get at least, even when the time limit has run out."""


def _at_least(deadline: Deadline, seconds: float) -> float | None:
    left = deadline.left()
    return None if left is None else max(left, seconds)


def _pair_scores(scores: ScoreMatrix, person_ids: pd.Series, post_ids: pd.Series) -> np.ndarray:
    """The score of each (person, post) in ``scores`` (0 where the pair is not a candidate or unknown)."""
    rows = pd.Index(scores.person_ids).get_indexer(person_ids.astype(object))
    cols = pd.Index(scores.post_ids).get_indexer(post_ids.astype(object))
    ok = (rows >= 0) & (cols >= 0)
    out = np.zeros(len(rows))
    if ok.any():
        out[ok] = np.asarray(sp.csr_array(scores.scores)[rows[ok], cols[ok]]).ravel()
    return out


def _trainee_table(setup: TrainingSetup, chosen: pd.DataFrame, allocation: Allocation,
                   after: ScoreMatrix | None = None) -> pd.DataFrame:
    """``chosen`` (person_id, course_id, post_id) completed with names, scores, placed post and sentence.

    The post of a row (and of its sentence) is the one the allocation with training
    places the trainee on; for a trainee it does not place, the planner's post, else
    the course's best new pair. Its scores are the pair's without and with the course.
    """
    courses = setup.courses.set_index("course_id")
    posts = setup.posts.set_index("post_id")
    persons = setup.persons.set_index("person_id")
    out = chosen.copy()
    out["post_id"] = out["post_id"].astype(object) if "post_id" in out else None
    placed = allocation.assignments.set_index("person_id")["post_id"] if allocation.n_placed else pd.Series(dtype=object)
    out["placed_post_id"] = out["person_id"].map(placed)
    out["post_id"] = out["placed_post_id"].astype(object).where(out["placed_post_id"].notna(), out["post_id"])
    eff = setup.effects.table
    # not placed and no post given: the course's best new pair for them
    missing = out["post_id"].isna()
    if missing.any():
        cand = eff.merge(out.loc[missing, ["person_id", "course_id"]], on=["person_id", "course_id"])
        cand = cand.sort_values(["person_id", "impossible_before", "score_after"],
                                ascending=[True, False, False], kind="stable").drop_duplicates("person_id")
        best = out["person_id"].map(cand.set_index("person_id")["post_id"]).astype(object)
        out["post_id"] = out["post_id"].where(~missing, best)
    out = out.merge(eff[["person_id", "course_id", "post_id", "score_before", "score_after", "impossible_before",
                         "certificates"]], on=["person_id", "course_id", "post_id"], how="left")
    # a pair the course leaves (nearly) unchanged: its scores from the score matrices
    plain = out["score_after"].isna() & out["post_id"].notna()
    if plain.any():
        base = _pair_scores(setup.base, out.loc[plain, "person_id"], out.loc[plain, "post_id"])
        trained = base if after is None else np.maximum(
            base, _pair_scores(after, out.loc[plain, "person_id"], out.loc[plain, "post_id"]))
        out.loc[plain, "score_before"] = base
        out.loc[plain, "score_after"] = trained
        out.loc[plain, "impossible_before"] = (base <= 0) & (trained > 0)
    out["county"] = out["person_id"].map(persons["county"])
    out["course"] = out["course_id"].map(courses["name"])
    out["cost"] = out["course_id"].map(courses["cost"]).astype(float)
    skills = out["course_id"].map(courses["grants_skills"]).fillna("")
    out["grant"] = [grant_label(c if isinstance(c, str) and c else g, "" if isinstance(c, str) and c else s)
                    for c, g, s in zip(out["certificates"], out["course_id"].map(courses["grants_certificates"]),
                                       skills, strict=True)]
    out["post"] = out["post_id"].map(posts["title"]) if "title" in posts else ""
    out["post_county"] = out["post_id"].map(posts["county"])
    out["impossible_before"] = out["impossible_before"].astype("boolean").fillna(False).astype(bool)
    out["explanation"] = [explain_row(r) for r in out.to_dict("records")]
    out = out[list(TRAINEE_COLUMNS)].sort_values(["course_id", "person_id"], kind="stable")
    return out.reset_index(drop=True)


def _withdrawal(setup: TrainingSetup, trainees: pd.DataFrame, after: ScoreMatrix, placed: int, group: str,
                deadline: Deadline) -> tuple[pd.DataFrame, bool]:
    """Per value of ``group``: its trainees untrained, everyone else's training kept (module docstring)."""
    rows, skipped = [], False
    for key, part in trainees.groupby(group, sort=True):
        spent = float(part["cost"].sum())
        if deadline.expired:
            lost, skipped = np.nan, True
        else:
            keep = set(trainees["person_id"]) - set(part["person_id"])
            alloc = allocate(setup, after, keep=keep, time_limit=_at_least(deadline, 0.01))
            lost = placed - alloc.n_placed if alloc.ok else np.nan
            skipped |= not alloc.ok
        rows.append({group: key, "trainees": len(part), "spent": spent, "placements_lost": lost,
                     "per_10k": lost / spent * PER if spent > 0 else np.nan})
    cols = [group, "trainees", "spent", "placements_lost", "per_10k"]
    return pd.DataFrame(rows, columns=cols), skipped


def finish(setup: TrainingSetup, chosen: pd.DataFrame, *, method: str, budget: float, status: Status, message: str,
           objective: float | None, bound: float | None, gap: float | None, deadline: Deadline,
           t0: float) -> TrainingPlan:
    """Measure ``chosen`` (``person_id``, ``course_id``, ``post_id`` or NaN) with the allocation model.

    Solves the allocation without training and with the trainees trained, the
    withdrawal re-solves of every course and county, and builds the trainee table.
    """
    before = allocate(setup, time_limit=_at_least(deadline, MEASURE_SECONDS))
    after = after_scores(setup, chosen)
    allocation = allocate(setup, after, time_limit=_at_least(deadline, MEASURE_SECONDS))
    trainees = _trainee_table(setup, chosen, allocation, after)
    by_course, skip_c = _withdrawal(setup, trainees, after, allocation.n_placed, "course_id", deadline)
    courses = setup.courses[["course_id", "name", "cost"]].rename(columns={"name": "course"})
    courses = courses.assign(seats=setup.seats)
    by_course = courses.merge(by_course, on="course_id", how="left")
    by_course["trainees"] = by_course["trainees"].fillna(0).astype(int)
    by_course["spent"] = by_course["spent"].fillna(0.0)
    by_county, skip_r = _withdrawal(setup, trainees, after, allocation.n_placed, "county", deadline)
    if skip_c or skip_r:
        message += "; " + _("time limit reached: some marginal figures were not computed")
    if not allocation.ok:
        status = allocation.status if allocation.status is not Status.OPTIMAL else status
        message += "; " + _("the allocation with training: {message}").format(message=allocation.message)
    return TrainingPlan(method=method, status=status, message=message, trainees=trainees, budget=float(budget),
                        budget_used=float(trainees["cost"].sum()), placements_before=before.n_placed,
                        placements_after=allocation.n_placed, value_before=float(before.objective),
                        value_after=float(allocation.objective), objective=objective, bound=bound, gap=gap,
                        by_course=by_course, by_county=by_county, allocation_before=before, allocation=allocation,
                        seconds=time.perf_counter() - t0)
