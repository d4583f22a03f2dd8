"""Who to train, in which course: one MILP over the allocation model and the training choices.

:func:`plan_training` chooses trainees and courses under a budget and seat limits to
maximise the (priority-weighted) placements after training. It is the allocation
model itself, extended (:mod:`jhmatch.training.model`): assignment variables for every
existing candidate pair and for every pair a course makes possible or raises, binary
training variables ``y[person, course]``, a course-made pair only with its training,
at most one course per person, seats per course, ``Σ cost·y ≤ budget``, post
capacities and one post per person. HiGHS (through scipy, as the project's MILP
backend) solves it by the time limit. The plan is then measured by the allocation
model: the counterfactual problem (persons with the granted certificates and skills)
is built and solved by :func:`jhmatch.optimize.solve` (:func:`~jhmatch.training.result.finish`),
so the placements reported are that solve's, not the MILP's claim.
"""

from __future__ import annotations

import dataclasses
import time
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.checks import rate
from jhmatch.errors import ParameterError
from jhmatch.i18n import gettext as _
from jhmatch.matching import CompatibilityScorer
from jhmatch.optimize import Status
from jhmatch.optimize.deadline import Deadline
from jhmatch.training.bound import lagrangian_bound
from jhmatch.training.counterfactual import prepare, union_model
from jhmatch.training.model import lp_prices, solve_union
from jhmatch.training.result import TrainingPlan, finish

__all__ = ["check_budget", "plan_training"]

DEFAULT_TRAINING_TIME = 120.0
"""Seconds ``plan_training`` takes by default (scoring, MILP and the allocation re-solves together)."""

EXACT_PAIRS = 400_000
"""Largest union model (existing and course-made pairs) solved over every pair; larger ones are pruned."""


def check_budget(budget: Any) -> float:
    """A budget in yuan: a finite number ≥ 0.

    Examples
    --------
    >>> check_budget(200_000)
    200000.0
    """
    try:
        value = float(budget)
    except (TypeError, ValueError):
        raise ParameterError(f"budget must be a number of yuan >= 0, got {budget!r}") from None
    if not np.isfinite(value) or value < 0:
        raise ParameterError(f"budget must be a number of yuan >= 0, got {budget!r}")
    return value


def plan_training(persons: pd.DataFrame, posts: pd.DataFrame, courses: pd.DataFrame, *, budget: float,
                  seats: Any = None, priorities: Any = None, time_limit: float | None = DEFAULT_TRAINING_TIME,
                  seed: int = 0, gap: float = 1e-4, scorer: CompatibilityScorer | None = None, min_gain: float = 0.05,
                  score_weight: float = 0.1, exact_pairs: int = EXACT_PAIRS, keep: int = 30) -> TrainingPlan:
    """Choose trainees and courses within the budget to maximise weighted placements after training.

    Parameters
    ----------
    persons, posts, courses : DataFrame
        Raw or validated tables; only seekers (willing and not employed) are allocated.
    budget : float
        Yuan available for course seats (``Σ cost`` of the chosen seats never exceeds it).
    seats : int, mapping of course id to int, or array, optional
        Seats per course; default the table's ``seats`` (0 there: no limit stated).
    priorities : TrainingPriorities, PriorityWeights or array, optional
        Weights of the persons (default :class:`~jhmatch.training.counterfactual.TrainingPriorities`:
        graduates, households in difficulty, rural low-income persons).
    time_limit : float, optional
        Seconds for the whole plan; the MILP stops by then with status TIME_LIMIT and
        its best plan, bound and gap. ``None``: no limit.
    seed : int
        The MILP is deterministic (HiGHS with the same model gives the same plan); ``seed``
        orders equal persons in the greedy fallback (used when the time limit ends the MILP
        before it has any plan; the message says so).
    gap : float
        Relative gap at which HiGHS may stop (HiGHS's default 1e-4; 0: exact, can take long).
    scorer : CompatibilityScorer, optional
        The scorer (every candidate pair kept); default ``CompatibilityScorer(as_of="2025-12-31")``.
    min_gain : float
        Smallest score rise counted as a course's effect on a pair.
    score_weight : float
        ``λ`` of the pair value ``weight × ((1 - λ) + λ score)``: placements first, scores break ties.
    exact_pairs, keep : int
        A union model with more than ``exact_pairs`` pairs is solved over each person's
        ``keep`` best existing pairs and each post's ``keep`` best persons (every
        course-made pair kept); its bound and gap then come from a Lagrangian bound over
        every pair (:mod:`jhmatch.training.bound`), and the status is OPTIMAL only when that
        gap is within ``gap``.

    Returns
    -------
    TrainingPlan
        Trainees with the post each course unlocks and a sentence, placements
        without and with training (solved by :func:`jhmatch.optimize.solve`), bound,
        gap, status, and placements per 10,000 yuan per course and per county
        (by withdrawal: :mod:`jhmatch.training.result`).

    Examples
    --------
    >>> from jhmatch.training import load_sample_courses
    >>> persons = pd.DataFrame({"person_id": ["p1", "p2"], "category": ["hearing", "physical"], "grade": [3, 4],
    ...                         "county": ["义乌", "义乌"]})
    >>> posts = pd.DataFrame({"post_id": ["q1", "q2"], "kind": ["企业一般岗位"] * 2, "title": ["叉车司机", "包装工"],
    ...                       "county": ["义乌"] * 2, "capacity": [1, 1]})
    >>> plan = plan_training(persons, posts, load_sample_courses(), budget=2000,
    ...                      scorer=CompatibilityScorer(as_of="2025-01-01"))
    >>> plan.placements_before, plan.placements_after, plan.trainees["course_id"].tolist()
    (1, 2, ['T02'])
    >>> plan.trainees["post_id"].tolist(), plan.budget_used
    (['q1'], 1800.0)
    """
    t0 = time.perf_counter()
    deadline = Deadline(time_limit)
    budget = check_budget(budget)
    gap = rate("gap", gap, below_one=True)
    setup = prepare(persons, posts, courses, seats=seats, priorities=priorities, scorer=scorer, min_gain=min_gain,
                    score_weight=score_weight)
    model = union_model(setup)
    pruned = model.problem.n_pairs > exact_pairs
    # leave a share of the time for the allocation re-solves that measure the plan
    left = deadline.left()
    milp_deadline = deadline if left is None else Deadline(max(0.7 * left, 1e-3))
    prices = None
    if pruned:
        model = union_model(setup, keep=keep)
        prices = lp_prices(model, budget, milp_deadline.cap(None if left is None else 0.3 * left))
    sol = solve_union(model, budget, milp_deadline, gap=gap)
    opts = setup.effects.options
    chosen = pd.DataFrame({"person_id": opts["person_id"].to_numpy()[sol.trained],
                           "course_id": opts["course_id"].to_numpy()[sol.trained],
                           "post_id": setup.base.post_ids[sol.option_post[sol.trained]]})
    if sol.status is Status.OPTIMAL:
        message = _("HiGHS MILP over {pairs} pairs and {options} training options: optimal").format(
            pairs=f"{model.problem.n_pairs:,}", options=f"{model.n_options:,}")
    elif sol.status is Status.TIME_LIMIT and not np.isnan(sol.objective):
        message = _("time limit reached: best training plan found so far, not proven optimal")
    elif sol.status is Status.TIME_LIMIT:
        # no plan from the MILP in time: the greedy baseline's trainees are the fallback plan, said so
        from jhmatch.training.greedy import greedy_choice

        chosen = greedy_choice(setup, budget, seed)
        message = _("time limit reached before the optimisation found a plan: the greedy baseline's trainees are "
                    "given instead (not optimised)")
    else:
        message = _("the solver gave no training plan: {message}").format(message=sol.message)
    status = sol.status
    plan = finish(setup, chosen, method="milp", budget=budget, status=status, message=message,
                  objective=None if np.isnan(sol.objective) else sol.objective,
                  bound=None if pruned else sol.bound, gap=None if pruned else sol.gap, deadline=deadline, t0=t0)
    return _bounded(plan, setup, prices, budget, gap, deadline, t0) if pruned else plan


def _bounded(plan: TrainingPlan, setup: Any, prices: Any, budget: float, gap: float, deadline: Deadline,
             t0: float) -> TrainingPlan:
    """A pruned model's plan with the Lagrangian bound over every pair, its gap and the status it earns."""
    bound = None
    if prices is not None and plan.allocation.ok and not deadline.expired:
        bound = lagrangian_bound(setup, prices[0], prices[1], budget, time_limit=deadline.left())
    if bound is None:
        note = _("pruned to each person's best posts; no bound over every pair in time, so not proven optimal")
        status = plan.status if plan.status is not Status.OPTIMAL else Status.FEASIBLE
        return dataclasses.replace(plan, status=status, message=f"{plan.message}; {note}",
                                   seconds=time.perf_counter() - t0)
    bound = max(bound, plan.value_after)
    rel = (bound - plan.value_after) / max(abs(plan.value_after), 1e-9)
    status = plan.status
    if status is Status.OPTIMAL and rel > max(gap, 1e-9):
        status = Status.FEASIBLE
    note = _("pruned to each person's best posts; gap {gap} by a Lagrangian bound over every pair").format(
        gap=f"{rel:.2e}")
    return dataclasses.replace(plan, status=status, bound=bound, gap=rel, message=f"{plan.message}; {note}",
                               seconds=time.perf_counter() - t0)
