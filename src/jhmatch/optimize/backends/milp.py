"""MILP backend: HiGHS through ``scipy.optimize.milp``, built from sparse matrices.

Model: the linear form of :mod:`jhmatch.optimize.linear` (one binary per candidate
pair; rows ``sum_posts x <= 1`` per person, ``sum usage * x <= capacity`` per post,
and every constraint block's rows; a soft row gets non-negative slacks priced at its
penalty), built once per solve and shared with the Lagrangian phase.

Structure used, in this order:

1. When the problem is large (``lagrange_min_pairs``), there is no weighted
   capacity and the rules are a flow network plus a few side rows (e.g. category
   floors across county floors): Lagrangian relaxation of the side rows around the
   min-cost-flow solver (:mod:`jhmatch.optimize.lagrange`), at most
   ``lagrange_budget`` seconds (half the time limit with a gap > 0; three flow
   solves and a quarter of it for exact requests). It stops when its best feasible
   flow solution and its bound are within the requested gap (:data:`FLOW_TOL` when exact),
   which then is a proof; otherwise its best solution is the fallback incumbent.
2. The LP relaxation (skipped with weighted capacity). The person/post rows and
   laminar group rows form a network matrix, so the LP vertex is often integral already — then it is a proven
   optimum (LP bound = objective) and no branch-and-bound runs.
3. The MILP with the remaining time, ``mip_rel_gap`` = the requested gap. On a
   time limit the best solution found (by HiGHS or the Lagrangian phase) and the
   best bound are returned as TIME_LIMIT.

scipy's ``milp`` takes no starting solution, so the flow solution cannot warm
start HiGHS; it is kept as the fallback incumbent instead.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint

from jhmatch.errors import SolverError
from jhmatch.i18n import gettext as _
from jhmatch.limits import DEFAULT_TIME_LIMIT
from jhmatch.optimize.backends.base import SolveOptions
from jhmatch.optimize.constraints import Block
from jhmatch.optimize.deadline import Deadline, run_highs
from jhmatch.optimize.diagnose import diagnose
from jhmatch.optimize.evaluate import compile_blocks, make_allocation
from jhmatch.optimize.lagrange import LagrangeResult, lagrangian_flow
from jhmatch.optimize.linear import LinearForm, linear_form
from jhmatch.optimize.network import laminar_split
from jhmatch.optimize.problem import AllocationProblem
from jhmatch.optimize.quickcheck import counting_conflicts
from jhmatch.optimize.result import Allocation, Status

__all__ = ["FLOW_TOL", "MilpBackend", "MilpModel", "build_model", "run_model"]

FLOW_TOL = 1e-8
"""Relative gap accepted as optimal from the flow-based phase: its integer costs (values x 1e9,
rounded) leave a provable gap of about 1e-9 per placement, like the flow backend's."""


@dataclass(frozen=True, eq=False)
class MilpModel:
    """Arrays of the MILP: minimise ``c @ z`` with ``z = [x, slack_lo, slack_hi]`` (see :func:`build_model`)."""

    c: np.ndarray
    integrality: np.ndarray
    bounds: Bounds
    constraints: list[LinearConstraint]
    n_pairs: int


def build_model(problem: AllocationProblem, blocks: list[Block], use_values: bool = True,
                form: LinearForm | None = None) -> MilpModel:
    """Sparse MILP of ``problem`` with ``blocks`` (values off: feasibility / elastic), from its linear form.

    ``form`` is :func:`~jhmatch.optimize.linear.linear_form` of the same problem and
    blocks when the caller has it already.

    Examples
    --------
    >>> import pandas as pd
    >>> from jhmatch.matching.score_matrix import ScoreMatrix
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a", "b"], "post_id": ["x", "x"], "score": [0.4, 0.6]}))
    >>> model = build_model(AllocationProblem(sm, [1]), [])
    >>> model.c.tolist(), len(model.constraints)
    ([-0.4, -0.6], 2)
    """
    form = linear_form(problem, blocks) if form is None else form
    e, k = form.n_pairs, form.rule_rows.shape[0]
    lo, hi = form.shortfall_rows, form.excess_rows
    s_lo = sp.csr_array((np.ones(lo.size), (lo, np.arange(lo.size))), shape=(k, lo.size))
    s_hi = sp.csr_array((-np.ones(hi.size), (hi, np.arange(hi.size))), shape=(k, hi.size))
    n_s = form.n_slacks
    c = np.concatenate([-form.values if use_values else np.zeros(e), form.penalty[lo], form.penalty[hi]])
    cons = [
        LinearConstraint(sp.hstack([form.person_rows, sp.csr_array((form.person_rows.shape[0], n_s))], format="csr"),
                         -np.inf, 1.0),
        LinearConstraint(sp.hstack([form.post_rows, sp.csr_array((form.post_rows.shape[0], n_s))], format="csr"),
                         -np.inf, form.capacities),
    ]
    if k:
        cons.append(LinearConstraint(sp.hstack([form.rule_rows, s_lo, s_hi], format="csr"), form.lb, form.ub))
    integrality = np.concatenate([np.ones(e), np.zeros(n_s)])
    bounds = Bounds(np.zeros(e + n_s), np.concatenate([np.ones(e), np.full(n_s, np.inf)]))
    return MilpModel(c, integrality, bounds, cons, e)


def run_model(model: MilpModel, relax: bool, deadline: Deadline | None, gap: float | None) -> Any:
    """Solve ``model`` (or its LP relaxation) with HiGHS, returning by ``deadline`` whatever HiGHS does.

    ``gap`` is HiGHS's ``mip_rel_gap``: branch-and-bound stops once the incumbent is
    within that relative distance of the best bound (scipy passes it through as is).

    Examples
    --------
    >>> import pandas as pd
    >>> from jhmatch.matching.score_matrix import ScoreMatrix
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a", "b"], "post_id": ["x", "x"], "score": [0.4, 0.6]}))
    >>> res = run_model(build_model(AllocationProblem(sm, [1]), []), False, Deadline(5), None)
    >>> res.status, res.x.round().tolist()
    (0, [0.0, 1.0])
    """
    if model.c.size == 0:  # no variables: feasible iff 0 satisfies every row (HiGHS needs >= 1 variable)
        ok = all(np.all(np.asarray(c.lb) <= 1e-9) and np.all(np.asarray(c.ub) >= -1e-9) for c in model.constraints)
        return SimpleNamespace(status=0 if ok else 2, x=np.zeros(0) if ok else None, fun=0.0,
                               mip_dual_bound=0.0, message="empty model")
    options: dict[str, object] = {"disp": False, "presolve": True}
    if not relax:
        options["mip_rel_gap"] = float(gap or 0.0)
    integrality = np.zeros_like(model.integrality) if relax else model.integrality
    return run_highs(model.c, integrality=integrality, bounds=model.bounds, constraints=model.constraints,
                     options=options, deadline=deadline)


class MilpBackend:
    """Exact MILP (HiGHS) for every rule, weighted capacity included.

    Examples
    --------
    >>> import pandas as pd
    >>> from jhmatch.matching.score_matrix import ScoreMatrix
    >>> from jhmatch.optimize import AllocationProblem
    >>> from jhmatch.optimize.backends.base import SolveOptions
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame(
    ...     {"person_id": ["a", "a", "b"], "post_id": ["x", "y", "x"], "score": [0.9, 0.5, 0.8]}))
    >>> prob = AllocationProblem(sm, [1, 1])
    >>> backend = MilpBackend()
    >>> backend.available(), backend.supports(prob, [])
    (True, None)
    >>> result = backend.solve(prob, SolveOptions())
    >>> result.status.value, round(result.objective, 6)
    ('optimal', 1.3)
    """

    name = "milp"
    options: tuple[str, ...] = ()  # backend-specific options it accepts (none)
    max_side_rows = 500
    lagrange_budget = 20.0
    lagrange_min_pairs = 20_000

    def available(self) -> bool:
        """True (scipy >= 1.9 is a core dependency)."""
        return True

    def supports(self, problem: AllocationProblem, blocks: list[Block]) -> str | None:
        """Every problem is supported."""
        return None

    def solve(self, problem: AllocationProblem, options: SolveOptions) -> Allocation:
        """Counting checks, the Lagrangian flow phase (gap > 0), the LP relaxation, then the MILP if needed.

        Everything, the infeasibility diagnosis included, ends by ``options``' deadline.
        """
        t0 = time.perf_counter()
        deadline = options.clock()
        blocks = compile_blocks(problem)
        done = lambda **kw: make_allocation(problem, blocks=blocks, backend=self.name,  # noqa: E731
                                            solve_time=time.perf_counter() - t0, **kw)
        if any(b.hard for b in blocks) and counting_conflicts(problem, blocks, limit=1):
            return self._infeasible(problem, blocks, t0, deadline)
        target = float(options.gap or 0.0)
        form = linear_form(problem, blocks)  # the model's arrays, built once for every phase below
        lagr = self._lagrange(problem, form, target, deadline)
        if lagr is not None and lagr.stopped == "network part infeasible":
            return self._infeasible(problem, blocks, t0, deadline, network_only=True)
        if lagr is not None and lagr.x is not None and lagr.bound - lagr.objective <= max(target, FLOW_TOL) * max(
                abs(lagr.objective), 1e-9):
            return done(x=lagr.x, status=Status.OPTIMAL, bound=lagr.bound,
                        message=_("Lagrangian relaxation of the side rules around the min-cost flow: proven within "
                                  "the gap {gap} after {n} flow solves").format(gap=f"{max(target, FLOW_TOL):g}",
                                                                                n=lagr.iterations))
        model = build_model(problem, blocks, form=form)
        # weighted capacity (GAP) breaks the network structure: its LP is practically never integral
        lp = (run_model(model, True, deadline, None) if problem.usage is None
              else SimpleNamespace(status=-1, x=None, fun=0.0))
        if lp.status == 2:
            return self._infeasible(problem, blocks, t0, deadline)
        if lp.status == 0 and lp.x is not None:
            x = lp.x[: model.n_pairs]
            if np.all(np.abs(x - np.round(x)) < 1e-7):
                return done(x=np.round(x), status=Status.OPTIMAL, bound=-lp.fun,
                            message=_("the LP relaxation (HiGHS) was integral: proven optimal without branching"))
        lp_bound = -lp.fun if lp.status == 0 else None
        res = run_model(model, False, deadline, options.gap)
        bound = -res.mip_dual_bound if getattr(res, "mip_dual_bound", None) is not None else lp_bound
        if lp_bound is not None and bound is not None:
            bound = min(bound, lp_bound)
        if res.status == 0 and res.x is not None:
            msg = (_("HiGHS MILP optimal (branch and bound)") if not options.gap
                   else _("HiGHS MILP optimal within the requested gap {gap}").format(gap=f"{options.gap:g}"))
            return done(x=res.x[: model.n_pairs], status=Status.OPTIMAL, bound=bound, message=msg)
        if res.status == 1:
            x = None if res.x is None else res.x[: model.n_pairs]
            msg = (_("time limit reached; best plan found so far, not proven optimal") if x is not None else
                   _("time limit reached before any plan that keeps every hard rule was found"))
            if lagr is not None and lagr.x is not None:
                bound = lagr.bound if bound is None else min(bound, lagr.bound)
                if x is None or -float(model.c[: model.n_pairs] @ x) < lagr.objective:
                    x = lagr.x
                    msg = _("time limit reached; best plan from the Lagrangian flow phase, not proven optimal")
            return done(x=x, status=Status.TIME_LIMIT, bound=bound, message=msg)
        if res.status == 2:
            return self._infeasible(problem, blocks, t0, deadline)
        raise SolverError(f"HiGHS returned status {res.status}: {res.message}")

    def _lagrange(self, problem: AllocationProblem, form: LinearForm, target: float,
                  deadline: Deadline) -> LagrangeResult | None:
        """Lagrangian phase when the rules are a flow plus a few side rows (no weighted capacity)."""
        blocks = form.blocks
        if problem.usage is not None or problem.n_pairs < self.lagrange_min_pairs:
            return None  # small models: the LP/MILP is faster
        inside, rest = laminar_split(blocks)
        n_side = sum(blocks[i].n_rows for i in rest)
        if not rest or n_side > self.max_side_rows:
            return None
        left = deadline.left()
        # exact requests: a few flow solves, which prove optimality (to 1e-9) when the side rows are slack
        # or priced right (the plan's soft category floors, usually), else leave an incumbent for the MILP
        share, max_iter = (0.5, 60) if target > 0 else (0.25, 3)
        budget = self.lagrange_budget if left is None else min(self.lagrange_budget, share * left)
        return lagrangian_flow(problem, [blocks[i] for i in inside], [blocks[i] for i in rest], blocks,
                               max(target, FLOW_TOL), budget, max_iter=max_iter, form=form)

    def _infeasible(self, problem: AllocationProblem, blocks: list[Block], t0: float, deadline: Deadline,
                    network_only: bool = False) -> Allocation:
        """INFEASIBLE with a diagnosis found by the deadline (by the default limit when the solve has none)."""
        if deadline.time_limit is None:
            deadline = Deadline(DEFAULT_TIME_LIMIT)
        if network_only:  # the laminar rules alone conflict: their checks are fast flow re-solves
            inside, _rest = laminar_split(blocks)
            blocks_seen = [blocks[i] for i in inside]
        else:
            blocks_seen = blocks
        diag = diagnose(problem, blocks_seen, deadline)
        return make_allocation(problem, None, status=Status.INFEASIBLE, backend=self.name, blocks=blocks,
                               message=_("infeasible: {reason}").format(reason=diag.message), diagnosis=diag,
                               solve_time=time.perf_counter() - t0)
