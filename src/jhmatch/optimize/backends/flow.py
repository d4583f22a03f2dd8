"""Min-cost flow backend (OR-Tools ``SimpleMinCostFlow``).

Capacities, person weights and every laminar group rule (county floors/caps,
household coverage, graduate guarantee, kind targets, reserved shares — as long
as per side they nest or are disjoint) compile into one network
(:mod:`jhmatch.optimize.network`), solved by the kernel of
:mod:`jhmatch.optimize.mcf`; the flow is integral, so the solution is an exact
optimum. Costs are values × a scale rounded to integers (the kernel's one rule);
the reported bound adds the worst-case effect of that rounding, so the gap is tiny
(~1e-12 relative), not 0, unless every value scales exactly.
"""

from __future__ import annotations

import time

import numpy as np

from jhmatch.errors import SolverError
from jhmatch.i18n import gettext as _
from jhmatch.limits import DEFAULT_TIME_LIMIT
from jhmatch.optimize.backends.base import SolveOptions, supported_blocks
from jhmatch.optimize.constraints import Block
from jhmatch.optimize.deadline import Deadline
from jhmatch.optimize.diagnose import diagnose
from jhmatch.optimize.evaluate import evaluate, make_allocation
from jhmatch.optimize.mcf import available as flow_available
from jhmatch.optimize.mcf import solve_min_cost_flow
from jhmatch.optimize.network import FlowNetwork, build_network, laminar_split
from jhmatch.optimize.problem import AllocationProblem
from jhmatch.optimize.result import Allocation, Diagnosis, Status
from jhmatch.optimize.wording import rule_names

__all__ = ["FlowBackend", "run_network"]


def run_network(net: FlowNetwork) -> tuple[str, np.ndarray | None]:
    """Solve ``net``; status name and the flow on the pair arcs (None unless optimal).

    Examples
    --------
    >>> import pandas as pd
    >>> from jhmatch.matching.score_matrix import ScoreMatrix
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a", "b"], "post_id": ["x", "x"], "score": [0.4, 0.6]}))
    >>> status, flows = run_network(build_network(AllocationProblem(sm, [1]), []))
    >>> status, flows.tolist()
    ('OPTIMAL', [0.0, 1.0])
    """
    status, flows = solve_min_cost_flow(net.tails, net.heads, net.capacities, net.costs, net.supplies,
                                        arcs=np.arange(net.pair_arcs.start, net.pair_arcs.stop))
    return status, None if flows is None else flows.astype(float)


class FlowBackend:
    """Exact min-cost flow for capacities + laminar group rules (no weighted capacity).

    Examples
    --------
    >>> import pandas as pd
    >>> from jhmatch.matching.score_matrix import ScoreMatrix
    >>> from jhmatch.optimize import AllocationProblem
    >>> from jhmatch.optimize.backends.base import SolveOptions
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame(
    ...     {"person_id": ["a", "a", "b"], "post_id": ["x", "y", "x"], "score": [0.9, 0.5, 0.8]}))
    >>> prob = AllocationProblem(sm, [1, 1])
    >>> backend = FlowBackend()
    >>> backend.available(), backend.supports(prob, [])
    (True, None)
    >>> result = backend.solve(prob, SolveOptions())
    >>> result.status.value, round(result.objective, 6)
    ('optimal', 1.3)
    """

    name = "flow"
    options: tuple[str, ...] = ()  # backend-specific options it accepts (none)

    def available(self) -> bool:
        """True when OR-Tools imports."""
        return flow_available()

    def supports(self, problem: AllocationProblem, blocks: list[Block]) -> str | None:
        """Reason it cannot solve ``problem`` exactly, or None."""
        if problem.usage is not None:
            return "weighted capacity (usage) is not a flow"
        _inside, rest = laminar_split(blocks)
        if rest:
            names = sorted({blocks[i].name for i in rest})
            return _("{rules} cross other rules or are general rows (not one flow network)").format(rules=rule_names(names))
        return None

    def diagnose(self, problem: AllocationProblem, blocks: list[Block], deadline: Deadline | None = None) -> Diagnosis:
        """Smallest conflicting set among laminar ``blocks``, by flow re-solves, by ``deadline``."""
        return diagnose(problem, blocks, deadline)

    def solve(self, problem: AllocationProblem, options: SolveOptions) -> Allocation:
        """Solve exactly; INFEASIBLE with a diagnosis when the hard rules conflict."""
        t0 = time.perf_counter()
        deadline = options.clock()
        blocks = supported_blocks(self, problem, "; use method='milp' or 'auto'")
        net = build_network(problem, blocks)
        status, flows = run_network(net)
        if flows is not None:
            sent = float(flows.sum())
            bound_slack = 2 * sent * net.rounding + 1e-12 * sent
            bound = evaluate(problem, flows, blocks).objective + bound_slack
            return make_allocation(problem, flows, status=Status.OPTIMAL, backend=self.name, blocks=blocks,
                                   message=_("min-cost flow (OR-Tools): optimal"), bound=bound,
                                   solve_time=time.perf_counter() - t0)
        if status != "INFEASIBLE":
            raise SolverError(f"OR-Tools min-cost flow returned {status} (network of {net.tails.size} arcs)")

        diag = self.diagnose(problem, blocks, deadline if deadline.time_limit is not None
                             else Deadline(DEFAULT_TIME_LIMIT))
        return make_allocation(problem, None, status=Status.INFEASIBLE, backend=self.name, blocks=blocks,
                               message=_("infeasible: {reason}").format(reason=diag.message), diagnosis=diag,
                               solve_time=time.perf_counter() - t0)
