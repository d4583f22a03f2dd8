"""Export an :class:`AllocationProblem` to PuLP, so users can add rows and use any PuLP solver.

Large models are built with ``LpAffineExpression`` from the sparse rows (never
``lpSum`` in loops). After solving, read the *solution* status
(``LpProblem.sol_status``), not ``LpStatus``: CBC reports "Optimal" after a time
limit; :meth:`PulpModel.to_allocation` does this for you.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from jhmatch.errors import require
from jhmatch.i18n import gettext as _
from jhmatch.optimize.constraints import Block
from jhmatch.optimize.evaluate import make_allocation
from jhmatch.optimize.linear import linear_form
from jhmatch.optimize.result import Allocation, Status

if TYPE_CHECKING:  # pragma: no cover - problem.py imports this module (AllocationProblem.to_pulp)
    from jhmatch.optimize.problem import AllocationProblem

__all__ = ["PulpModel", "to_pulp"]


@dataclass(eq=False)
class PulpModel:
    """A PuLP model of an allocation problem (mutable: ``pm.model += row`` adds a row).

    Attributes
    ----------
    model : pulp.LpProblem
        The model (maximise); add your own rows to it.
    x : list of pulp.LpVariable
        One binary per candidate pair, in row-major pair order.
    problem : AllocationProblem
        The source problem.
    blocks : list of Block
        Its compiled rules.

    Examples
    --------
    See :meth:`PulpModel.solve`.
    """

    model: Any
    x: list[Any]
    problem: AllocationProblem
    blocks: list[Block]

    def solve(self, solver: Any = None, time_limit: float | None = None, gap: float | None = None) -> Allocation:
        """Solve with ``solver`` (default CBC, quiet) and return the :class:`Allocation`.

        ``time_limit`` (wall-clock seconds) and ``gap`` (relative) configure the default
        CBC solver (PuLP's ``timeLimit``, ``gapRel`` with ``timeMode="elapsed"``); give
        your own ``solver`` to set anything else.

        Examples
        --------
        >>> import pandas as pd
        >>> from jhmatch.matching.score_matrix import ScoreMatrix
        >>> from jhmatch.optimize.problem import AllocationProblem
        >>> sm = ScoreMatrix.from_frame(pd.DataFrame(
        ...     {"person_id": ["a", "a", "b"], "post_id": ["x", "y", "x"], "score": [0.9, 0.5, 0.8]}))
        >>> pm = AllocationProblem(sm, [1, 1]).to_pulp()
        >>> result = pm.solve()
        >>> result.status.value, round(result.objective, 6)
        ('optimal', 1.3)
        """
        pulp = require("pulp", "pulp", "PuLP export")
        t0 = time.perf_counter()
        if solver is None:
            with warnings.catch_warnings():  # PuLP 3 deprecates its bundled CBC; it is still the default
                warnings.simplefilter("ignore", DeprecationWarning)
                solver = pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit, gapRel=gap, timeMode="elapsed")
        self.model.solve(solver)
        return self.to_allocation(time.perf_counter() - t0)

    def to_allocation(self, solve_time: float = 0.0) -> Allocation:
        """Read the solution back, judging by the solution status (not ``LpStatus``).

        Examples
        --------
        >>> import pandas as pd
        >>> from jhmatch.matching.score_matrix import ScoreMatrix
        >>> from jhmatch.optimize.problem import AllocationProblem
        >>> pm = AllocationProblem(ScoreMatrix.from_frame(pd.DataFrame(
        ...     {"person_id": ["a"], "post_id": ["x"], "score": [0.5]})), [1]).to_pulp()
        >>> pm.to_allocation().status.value  # not solved yet: no solution
        'time_limit'
        """
        pulp = require("pulp", "pulp", "PuLP export")
        sol = self.model.sol_status
        values = np.array([v.varValue if v.varValue is not None else 0.0 for v in self.x], dtype=float)
        if sol == pulp.LpSolutionOptimal:
            obj = float(pulp.value(self.model.objective) or 0.0)
            return make_allocation(self.problem, values, status=Status.OPTIMAL, backend="pulp", blocks=self.blocks,
                                   bound=obj, message=_("the PuLP solver reported a proven optimal solution"),
                                   solve_time=solve_time)
        if sol == pulp.LpSolutionIntegerFeasible:
            return make_allocation(self.problem, values, status=Status.TIME_LIMIT, backend="pulp", blocks=self.blocks,
                                   message=_("the PuLP solver stopped with a plan that is not proven optimal"),
                                   solve_time=solve_time)
        if sol == pulp.LpSolutionInfeasible:
            return make_allocation(self.problem, None, status=Status.INFEASIBLE, backend="pulp", blocks=self.blocks,
                                   message=_("the PuLP solver reports that the hard rules cannot all hold (solve with "
                                             "method 'milp' for a diagnosis)"), solve_time=solve_time)
        return make_allocation(self.problem, None, status=Status.TIME_LIMIT, backend="pulp", blocks=self.blocks,
                               message=_("the PuLP solver found no plan ({status})").format(status=pulp.LpSolution.get(sol, sol)),
                               solve_time=solve_time)


def _rows(pulp: Any, matrix: sp.csr_array, variables: list[Any]) -> list[Any]:
    out = []
    indptr, indices, data = matrix.indptr, matrix.indices, matrix.data
    for r in range(matrix.shape[0]):
        a, b = indptr[r], indptr[r + 1]
        out.append(pulp.LpAffineExpression(zip([variables[k] for k in indices[a:b]], data[a:b].tolist())))
    return out


def _variable_factory(pulp: Any, model: Any) -> Any:
    """``model.add_variable`` on PuLP >= 3.3 (where ``LpVariable(...)`` is deprecated), else ``LpVariable``."""
    if hasattr(model, "add_variable"):
        return lambda name, lo, hi, cat: model.add_variable(name, lo, hi, cat=cat)
    return lambda name, lo, hi, cat: pulp.LpVariable(name, lo, hi, cat=cat)


def to_pulp(problem: AllocationProblem, name: str = "jhmatch_allocation") -> PulpModel:
    """Build the PuLP model of ``problem`` from its linear form (see :meth:`AllocationProblem.to_pulp`).

    The rows and slacks are those of :func:`jhmatch.optimize.linear.linear_form`, the
    model the MILP backend solves: constraints ``person_{i}``, ``post_{j}``,
    ``rule_{r}_lb`` / ``rule_{r}_ub``; slack variables ``short_{r}`` / ``over_{r}``.

    Examples
    --------
    >>> import pandas as pd
    >>> from jhmatch.matching.score_matrix import ScoreMatrix
    >>> from jhmatch.optimize.problem import AllocationProblem
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a"], "post_id": ["x"], "score": [0.5]}))
    >>> len(to_pulp(AllocationProblem(sm, [1])).x)
    1
    """
    pulp = require("pulp", "pulp", "PuLP export")
    model = pulp.LpProblem(name, pulp.LpMaximize)
    form = linear_form(problem)
    new_var = _variable_factory(pulp, model)
    x = [new_var(f"x_{k}", 0, 1, "Binary") for k in range(form.n_pairs)]
    for r, expr in enumerate(_rows(pulp, form.person_rows, x)):
        if len(expr):
            model += (expr <= 1, f"person_{r}")
    for r, expr in enumerate(_rows(pulp, form.post_rows, x)):
        if len(expr):
            model += (expr <= float(form.capacities[r]), f"post_{r}")
    objective = pulp.LpAffineExpression(zip(x, form.values.tolist()))
    short, over = set(form.shortfall_rows.tolist()), set(form.excess_rows.tolist())
    for r, expr in enumerate(_rows(pulp, form.rule_rows, x)):
        if np.isfinite(form.lb[r]):
            low = expr
            if r in short:  # soft lower bound: expr + short >= lb, short priced at the penalty
                s = new_var(f"short_{r}", 0, None, "Continuous")
                low = expr + s
                objective = objective - float(form.penalty[r]) * s
            model += (low >= float(form.lb[r]), f"rule_{r}_lb")
        if np.isfinite(form.ub[r]):
            high = expr
            if r in over:  # soft upper bound: expr - over <= ub
                s = new_var(f"over_{r}", 0, None, "Continuous")
                high = expr - s
                objective = objective - float(form.penalty[r]) * s
            model += (high <= float(form.ub[r]), f"rule_{r}_ub")
    model.setObjective(objective)
    return PulpModel(model, x, problem, form.blocks)
