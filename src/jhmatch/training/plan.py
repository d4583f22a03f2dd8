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
from jhmatch.training.counterfactual import prepare, union_model
from jhmatch.training.model import solve_union
from jhmatch.training.result import TrainingPlan, finish

__all__ = ["check_budget", "plan_training"]

DEFAULT_TRAINING_TIME = 120.0
"""Seconds ``plan_training`` takes by default (scoring, MILP and the allocation re-solves together)."""


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
                  score_weight: float = 0.1) -> TrainingPlan:
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
        Accepted for a common signature with :func:`~jhmatch.training.greedy.greedy_training`;
        the MILP is deterministic (HiGHS with the same model gives the same plan).
    gap : float
        Relative gap at which HiGHS may stop (HiGHS's default 1e-4; 0: exact, can take long).
    scorer : CompatibilityScorer, optional
        The scorer (every candidate pair kept); default ``CompatibilityScorer(as_of="2025-12-31")``.
    min_gain : float
        Smallest score rise counted as a course's effect on a pair.
    score_weight : float
        ``λ`` of the pair value ``weight × ((1 - λ) + λ score)``: placements first, scores break ties.

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
    del seed  # the MILP is deterministic
    setup = prepare(persons, posts, courses, seats=seats, priorities=priorities, scorer=scorer, min_gain=min_gain,
                    score_weight=score_weight)
    model = union_model(setup)
    # leave a share of the time for the allocation re-solves that measure the plan
    left = deadline.left()
    milp_deadline = deadline if left is None else Deadline(max(0.75 * left, 1e-3))
    sol = solve_union(model, budget, milp_deadline, gap=gap)
    opts = setup.effects.options
    chosen = pd.DataFrame({"person_id": opts["person_id"].to_numpy()[sol.trained],
                           "course_id": opts["course_id"].to_numpy()[sol.trained],
                           "post_id": setup.base.post_ids[sol.option_post[sol.trained]]})
    if sol.status is Status.OPTIMAL:
        message = _("HiGHS MILP over {pairs} pairs and {options} training options: optimal").format(
            pairs=f"{model.problem.n_pairs:,}", options=f"{model.n_options:,}")
    elif sol.status is Status.TIME_LIMIT:
        message = _("time limit reached: best training plan found so far, not proven optimal")
    else:
        message = _("the solver gave no training plan: {message}").format(message=sol.message)
    status = sol.status if sol.status is not Status.ERROR else Status.ERROR
    return finish(setup, chosen, method="milp", budget=budget, status=status, message=message,
                  objective=None if np.isnan(sol.objective) else sol.objective, bound=sol.bound, gap=sol.gap,
                  deadline=deadline, t0=t0)
