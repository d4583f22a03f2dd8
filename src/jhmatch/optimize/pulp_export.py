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
from typing import Any

import numpy as np
import scipy.sparse as sp

from jhmatch.errors import require
from jhmatch.i18n import gettext as _
from jhmatch.optimize.constraints import Block
from jhmatch.optimize.evaluate import compile_blocks, make_allocation, stack_rows
from jhmatch.optimize.problem import AllocationProblem
from jhmatch.optimize.result import Allocation, Status

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
    """Build the PuLP model of ``problem`` (see :meth:`AllocationProblem.to_pulp`).

    Examples
    --------
    >>> import pandas as pd
    >>> from jhmatch.matching.score_matrix import ScoreMatrix
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a"], "post_id": ["x"], "score": [0.5]}))
    >>> len(to_pulp(AllocationProblem(sm, [1])).x)
    1
    """
    pulp = require("pulp", "pulp", "PuLP export")
    model = pulp.LpProblem(name, pulp.LpMaximize)
    e = problem.n_pairs
    new_var = _variable_factory(pulp, model)
    x = [new_var(f"x_{k}", 0, 1, "Binary") for k in range(e)]
    blocks = compile_blocks(problem)
    a_person = sp.csr_array((np.ones(e), np.arange(e), problem.scores.scores.indptr), shape=(problem.n_persons, e))
    use = np.ones(e) if problem.pair_usage is None else problem.pair_usage
    a_post = sp.csr_array((use, (problem.pair_post, np.arange(e))), shape=(problem.n_posts, e))
    for r, expr in enumerate(_rows(pulp, a_person, x)):
        if len(expr):
            model += (expr <= 1, f"person_{r}")
    for r, expr in enumerate(_rows(pulp, a_post, x)):
        if len(expr):
            model += (expr <= float(problem.capacities[r]), f"post_{r}")
    objective = pulp.LpAffineExpression(zip(x, problem.values.tolist()))
    a_rows, lb, ub = stack_rows(problem, blocks)
    hard = np.concatenate([np.full(b.n_rows, b.hard) for b in blocks]) if blocks else np.zeros(0, bool)
    pen = np.concatenate([np.full(b.n_rows, b.penalty) for b in blocks]) if blocks else np.zeros(0)
    for r, expr in enumerate(_rows(pulp, a_rows, x)):
        if np.isfinite(lb[r]):
            if not hard[r]:
                s = new_var(f"short_{r}", 0, None, "Continuous")
                expr_lo = expr + s
                objective = objective - float(pen[r]) * s
            else:
                expr_lo = expr
            model += (expr_lo >= float(lb[r]), f"rule_{r}_lb")
        if np.isfinite(ub[r]):
            if not hard[r]:
                s = new_var(f"over_{r}", 0, None, "Continuous")
                expr_hi = expr - s
                objective = objective - float(pen[r]) * s
            else:
                expr_hi = expr
            model += (expr_hi <= float(ub[r]), f"rule_{r}_ub")
    model.setObjective(objective)
    return PulpModel(model, x, problem, blocks)
