"""Dense linear-assignment backend (``scipy.optimize.linear_sum_assignment``) for small problems.

Each post is expanded into ``capacity`` identical columns; non-candidate cells
cost 0 (the same as staying unplaced), candidates cost ``-value``. Exact, but
dense: limited to ``max_cells`` cells (persons × expanded columns).
"""

from __future__ import annotations

import time

import numpy as np
from scipy.optimize import linear_sum_assignment

from jhmatch.i18n import gettext as _
from jhmatch.optimize.backends.base import SolveOptions, supported_blocks
from jhmatch.optimize.constraints import Block
from jhmatch.optimize.evaluate import make_allocation
from jhmatch.optimize.problem import AllocationProblem
from jhmatch.optimize.result import Allocation, Status

__all__ = ["LapBackend"]


class LapBackend:
    """Exact dense assignment for capacity-only problems up to ``max_cells`` cells.

    Examples
    --------
    >>> import pandas as pd
    >>> from jhmatch.matching.score_matrix import ScoreMatrix
    >>> from jhmatch.optimize import AllocationProblem
    >>> from jhmatch.optimize.backends.base import SolveOptions
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame(
    ...     {"person_id": ["a", "a", "b"], "post_id": ["x", "y", "x"], "score": [0.9, 0.5, 0.8]}))
    >>> prob = AllocationProblem(sm, [1, 1])
    >>> backend = LapBackend()
    >>> backend.available(), backend.supports(prob, [])
    (True, None)
    >>> result = backend.solve(prob, SolveOptions())
    >>> result.status.value, round(result.objective, 6)
    ('optimal', 1.3)
    """

    name = "lap"
    options: tuple[str, ...] = ()  # backend-specific options it accepts (none)

    def __init__(self, max_cells: int = 30_000_000):
        self.max_cells = max_cells

    def available(self) -> bool:
        """True (scipy is a core dependency)."""
        return True

    def supports(self, problem: AllocationProblem, blocks: list[Block]) -> str | None:
        """Capacity-only problems whose dense expansion fits ``max_cells``."""
        if problem.usage is not None:
            return "weighted capacity (usage) is not an assignment"
        if blocks:
            return "rules (constraints) are not supported by the dense assignment"
        cells = problem.n_persons * int(problem.capacities.sum())
        if cells > self.max_cells:
            return f"dense matrix of {cells:,} cells exceeds max_cells={self.max_cells:,}"
        return None

    def solve(self, problem: AllocationProblem, options: SolveOptions) -> Allocation:
        """Solve exactly with the Jonker–Volgenant algorithm (scipy)."""
        t0 = time.perf_counter()
        blocks = supported_blocks(self, problem, "; use method='flow' or 'auto'")
        cap = problem.capacities.astype(np.int64)
        offsets = np.concatenate([[0], np.cumsum(cap)])
        slot_post = np.repeat(np.arange(problem.n_posts), cap)
        reps = cap[problem.pair_post]
        pair_rep = np.repeat(np.arange(problem.n_pairs), reps)
        within = np.arange(pair_rep.size) - np.repeat(np.cumsum(reps) - reps, reps)
        dense = np.zeros((problem.n_persons, int(offsets[-1])))
        dense[problem.pair_person[pair_rep], offsets[problem.pair_post[pair_rep]] + within] = -problem.values[pair_rep]
        rows, cols = linear_sum_assignment(dense)
        keep = dense[rows, cols] < 0
        rows, posts = rows[keep], slot_post[cols[keep]]
        keys = problem.pair_person * problem.n_posts + problem.pair_post  # sorted (row-major pairs)
        chosen = np.searchsorted(keys, rows * problem.n_posts + posts)
        x = np.zeros(problem.n_pairs)
        x[chosen] = 1.0
        objective = float(problem.values[chosen].sum())
        return make_allocation(problem, x, status=Status.OPTIMAL, backend=self.name, blocks=blocks, bound=objective,
                               message=_("dense linear assignment (scipy): optimal"),
                               solve_time=time.perf_counter() - t0)
