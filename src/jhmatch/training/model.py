"""The training MILP: the allocation model over the union of existing and course-made pairs, plus trainings.

The allocation part is the project's one linear form
(:func:`jhmatch.optimize.linear.linear_form`) of an :class:`~jhmatch.optimize.AllocationProblem`
whose rows are the persons as they are, followed by one *option* row per (person,
course) holding only the pairs that course makes possible or raises. Binary training
variables ``y[o]`` (one per option) join it::

    maximise    values @ x  -  tie * cost @ y
    subject to  A_post x                          <= capacity   post capacities (from the linear form)
                A_person[p] x + A_options(p) x    <= 1          one post per person, over all their rows
                A_option[o] x - y[o]              <= 0          a course-made pair needs its training
                sum_{o of person p} y[o]          <= 1          at most one course per person
                sum_{o of course c} y[o]          <= seats[c]
                cost @ y                          <= budget
                0 <= x <= 1;  y binary

A course never lowers a pair (:mod:`jhmatch.training.effects`), so a trained person
keeps their existing pairs and an option row holds only what the course adds. Given
``y``, the ``x`` rows are a bipartite b-matching (each pair is in one person-side row
and one post row), whose polytope is integral: ``x`` is left continuous and only
``y`` is branched on; the bound HiGHS proves is a bound of the integer problem.
``tie`` (a tiny price per yuan) makes equal plans prefer spending less; options
trained but not used by a placement are dropped from the answer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint

from jhmatch.optimize.deadline import Deadline, run_highs
from jhmatch.optimize.linear import linear_form
from jhmatch.optimize.problem import AllocationProblem
from jhmatch.optimize.result import Status

__all__ = ["UnionModel", "UnionSolution", "lp_prices", "solve_union"]


@dataclass(frozen=True, eq=False)
class UnionModel:
    """The union problem and its training options.

    Attributes
    ----------
    problem : AllocationProblem
        Rows ``0 .. n_persons-1`` are the persons; row ``n_persons + o`` is option ``o``.
    n_persons : int
    option_person, option_course : ndarray of int
        Person row and course position of each option.
    cost : ndarray of float
        Cost of each option (its course's cost per seat).
    seats : ndarray of float
        Seat limit of each course (``inf``: none).
    """

    problem: AllocationProblem
    n_persons: int
    option_person: np.ndarray
    option_course: np.ndarray
    cost: np.ndarray
    seats: np.ndarray

    @property
    def n_options(self) -> int:
        """Number of (person, course) options."""
        return int(self.option_person.size)


@dataclass(frozen=True)
class UnionSolution:
    """What the MILP chose.

    Attributes
    ----------
    trained : ndarray of bool, shape (n_options,)
        Options trained and used by a placement.
    option_post : ndarray of int, shape (n_options,)
        Post column each used option's row is placed on (-1: none).
    status : Status
    objective, bound, gap : float or None
        The MILP's objective (without the cost tie-break), best bound and relative gap.
    message : str
        HiGHS's message.
    """

    trained: np.ndarray
    option_post: np.ndarray
    status: Status
    objective: float
    bound: float | None
    gap: float | None
    message: str


def _arrays(model: UnionModel, budget: float, tie: float) -> tuple:
    form = linear_form(model.problem, [])
    e, k, n = form.n_pairs, model.n_options, model.n_persons
    rows = form.person_rows
    # the person-side rows: each person's own pairs plus the pairs of all their options
    owner = np.concatenate([np.arange(n), model.option_person]).astype(np.int64)
    merge = sp.csr_array((np.ones(owner.size), (owner, np.arange(owner.size))), shape=(n, owner.size))
    person = sp.hstack([merge @ rows, sp.csr_array((n, k))], format="csr")
    option = sp.hstack([rows[n:], -sp.eye_array(k, format="csr")], format="csr")
    post = sp.hstack([form.post_rows, sp.csr_array((form.post_rows.shape[0], k))], format="csr")
    course = sp.csr_array((np.ones(k), (model.option_course, np.arange(k))), shape=(model.seats.size, k))
    limited = np.flatnonzero(np.isfinite(model.seats))
    cons = [LinearConstraint(person, -np.inf, 1.0), LinearConstraint(post, -np.inf, form.capacities)]
    if k:
        cons.append(LinearConstraint(option, -np.inf, 0.0))
        once = sp.csr_array((np.ones(k), (model.option_person, np.arange(k))), shape=(n, k))
        cons.append(LinearConstraint(sp.hstack([sp.csr_array((n, e)), once], format="csr"), -np.inf, 1.0))
        cons.append(LinearConstraint(sp.hstack([sp.csr_array((1, e)), sp.csr_array(model.cost[None, :])],
                                               format="csr"), -np.inf, float(budget)))
        if limited.size:
            cons.append(LinearConstraint(sp.hstack([sp.csr_array((limited.size, e)), course[limited]], format="csr"),
                                         -np.inf, model.seats[limited]))
    c = np.concatenate([-form.values, tie * model.cost])
    integrality = np.concatenate([np.zeros(e), np.ones(k)])
    return c, integrality, Bounds(np.zeros(e + k), np.ones(e + k)), cons, form


def solve_union(model: UnionModel, budget: float, deadline: Deadline, gap: float = 0.0,
                tie: float = 1e-9) -> UnionSolution:
    """Solve the training MILP with HiGHS by ``deadline``.

    Parameters
    ----------
    model : UnionModel
    budget : float
        Yuan available for course seats.
    deadline : Deadline
        When to stop (status TIME_LIMIT with the best plan found, if any).
    gap : float
        HiGHS ``mip_rel_gap``.
    tie : float
        Objective cost of a yuan spent (breaks ties towards cheaper plans; tiny).

    Examples
    --------
    >>> import pandas as pd
    >>> from jhmatch.matching.score_matrix import ScoreMatrix
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a", "b", "a|k"], "post_id": ["x", "x", "y"],
    ...                                           "score": [1.0, 1.0, 1.0]}), person_ids=["a", "b", "a|k"])
    >>> m = UnionModel(AllocationProblem(sm, [1, 1]), 2, np.array([0]), np.array([0]), np.array([500.0]),
    ...                np.array([np.inf]))
    >>> sol = solve_union(m, 1000, Deadline(10))
    >>> sol.trained.tolist(), sol.option_post.tolist(), round(sol.objective, 6)
    ([True], [1], 2.0)
    >>> solve_union(m, 100, Deadline(10)).trained.tolist()
    [False]
    """
    c, integrality, bounds, cons, form = _arrays(model, budget, tie)
    k, e = model.n_options, form.n_pairs
    if c.size == 0:  # no candidate pair and no option: nothing to choose (HiGHS needs a variable)
        return UnionSolution(np.zeros(0, bool), np.zeros(0, np.int64), Status.OPTIMAL, 0.0, 0.0, 0.0, "empty model")
    res = run_highs(c, integrality=integrality, bounds=bounds, constraints=cons,
                    options={"disp": False, "presolve": True, "mip_rel_gap": float(gap)}, deadline=deadline)
    none = np.zeros(k, bool), np.full(k, -1, np.int64)
    if res.x is None:
        status = Status.TIME_LIMIT if res.status == 1 else Status.ERROR
        return UnionSolution(*none, status, float("nan"), None, None, str(res.message))
    x, y = res.x[:e], res.x[e:]
    objective = float(form.values @ x)
    dual = getattr(res, "mip_dual_bound", None)
    # HiGHS bounds values @ x - tie * cost @ y; the training costs at most the budget
    bound = None if dual is None or not np.isfinite(dual) else float(-dual + tie * budget)
    bound = objective if bound is None and res.status == 0 else bound
    if bound is not None:
        bound = max(bound, objective)
    gap_ = None if bound is None else (bound - objective) / max(abs(objective), 1e-9)
    # the option rows' placements: which post each used option takes
    n = model.n_persons
    r, col, _v = model.problem.scores.pairs()
    on = (x > 0.5) & (r >= n)
    option_post = np.full(k, -1, np.int64)
    option_post[r[on] - n] = col[on]
    trained = (y > 0.5) & (option_post >= 0)
    option_post[~trained] = -1
    status = Status.OPTIMAL if res.status == 0 else Status.TIME_LIMIT if res.status == 1 else Status.ERROR
    return UnionSolution(trained, option_post, status, objective, bound, gap_, str(res.message))


def lp_prices(model: UnionModel, budget: float, deadline: Deadline) -> tuple[float, np.ndarray] | None:
    """Prices of a yuan of budget and of a seat of each course: the duals of the model's LP relaxation.

    Returns ``(price per yuan, price per seat of each course)`` (0 for courses without a
    seat limit), or ``None`` when HiGHS gave no optimal LP by ``deadline``. Any
    non-negative prices give a valid bound (:func:`jhmatch.training.bound.lagrangian_bound`);
    these make it close to the LP's.

    Examples
    --------
    >>> import pandas as pd
    >>> from jhmatch.matching.score_matrix import ScoreMatrix
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a", "a|k"], "post_id": ["x", "y"],
    ...                                           "score": [0.5, 1.0]}), person_ids=["a", "a|k"])
    >>> m = UnionModel(AllocationProblem(sm, [1, 1]), 1, np.array([0]), np.array([0]), np.array([500.0]),
    ...                np.array([np.inf]))
    >>> mu, seats = lp_prices(m, 250.0, Deadline(10))
    >>> round(mu * 500, 6), seats.tolist()
    (0.5, [0.0])
    """
    from scipy.optimize import linprog

    c, _integrality, _bounds, cons, _form = _arrays(model, budget, 0.0)
    if c.size == 0 or model.n_options == 0:
        return 0.0, np.zeros(model.seats.size)
    a = sp.vstack([sp.csr_array(k.A) for k in cons], format="csr")
    ub = np.concatenate([np.broadcast_to(np.asarray(k.ub, float), (k.A.shape[0],)) for k in cons])
    left = deadline.left()
    options: dict[str, object] = {"presolve": True} if left is None else {"presolve": True, "time_limit": max(left, 0.01)}
    res = linprog(c, A_ub=a, b_ub=ub, bounds=(0.0, 1.0), method="highs",
                  options=options)
    if res.status != 0 or res.ineqlin is None:
        return None
    duals = -np.asarray(res.ineqlin.marginals, dtype=float)  # >= 0 for <= rows of a minimisation
    sizes = [k.A.shape[0] for k in cons]
    budget_row = int(sum(sizes[:4]))  # person, post, option and once rows come first, then the budget row
    limited = np.flatnonzero(np.isfinite(model.seats))
    seat_prices = np.zeros(model.seats.size)
    if len(cons) > 5:
        seat_prices[limited] = np.maximum(duals[budget_row + 1: budget_row + 1 + limited.size], 0.0)
    return max(float(duals[budget_row]), 0.0), seat_prices
