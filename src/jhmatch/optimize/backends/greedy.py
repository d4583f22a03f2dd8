"""Greedy baseline: take pairs from the highest value down while person and post are free.

Vectorised in rounds: a pair is taken when it is its person's best remaining pair
and fewer than the post's remaining places of the remaining pairs at its post
rank above it ("locally dominant"). This gives the same result as the sequential
greedy with ties broken by (value desc, person, post), in a few array passes.
No optimality claim: status FEASIBLE, no bound.
"""

from __future__ import annotations

import time

import numpy as np

from jhmatch.i18n import gettext as _
from jhmatch.optimize.backends.base import SolveOptions, heuristic_support, supported_blocks
from jhmatch.optimize.constraints import Block
from jhmatch.optimize.evaluate import make_allocation
from jhmatch.optimize.problem import AllocationProblem
from jhmatch.optimize.ranks import rank_in_sorted_groups
from jhmatch.optimize.result import Allocation, Status

__all__ = ["GreedyBackend", "greedy_pairs"]


def greedy_pairs(person: np.ndarray, post: np.ndarray, value: np.ndarray, capacity: np.ndarray,
                 n_persons: int) -> np.ndarray:
    """0/1 vector of the greedy choice over pairs.

    Examples
    --------
    >>> greedy_pairs(np.array([0, 0, 1]), np.array([0, 1, 0]), np.array([0.9, 0.8, 0.85]), np.array([1, 1]), 2)
    array([1., 0., 0.])
    """
    x = np.zeros(value.size)
    free_person = np.ones(n_persons, bool)
    room = capacity.astype(np.int64).copy()
    active = np.arange(value.size)
    while active.size:
        i, j, v = person[active], post[active], value[active]
        by_post = np.lexsort((i, -v, j))
        rank = np.empty(active.size, np.int64)
        rank[by_post] = rank_in_sorted_groups(j[by_post])
        by_person = np.lexsort((j, -v, i))
        best = np.zeros(active.size, bool)
        best[by_person] = rank_in_sorted_groups(i[by_person]) == 0
        take = best & (rank < room[j])
        taken = active[take]
        x[taken] = 1.0
        free_person[person[taken]] = False
        np.subtract.at(room, post[taken], 1)
        active = active[free_person[person[active]] & (room[post[active]] > 0)]
    return x


class GreedyBackend:
    """Greedy heuristic for capacity-only problems (soft rules are only scored).

    Examples
    --------
    >>> import pandas as pd
    >>> from jhmatch.matching.score_matrix import ScoreMatrix
    >>> from jhmatch.optimize import AllocationProblem
    >>> from jhmatch.optimize.backends.base import SolveOptions
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame(
    ...     {"person_id": ["a", "a", "b"], "post_id": ["x", "y", "x"], "score": [0.9, 0.5, 0.8]}))
    >>> prob = AllocationProblem(sm, [1, 1])
    >>> backend = GreedyBackend()
    >>> backend.available(), backend.supports(prob, [])
    (True, None)
    >>> result = backend.solve(prob, SolveOptions())
    >>> result.status.value, round(result.objective, 6)
    ('feasible', 0.9)
    """

    name = "greedy"
    options: tuple[str, ...] = ()  # backend-specific options it accepts (none)

    def available(self) -> bool:
        """Always."""
        return True

    def supports(self, problem: AllocationProblem, blocks: list[Block]) -> str | None:
        """No weighted capacity, no hard rules."""
        return heuristic_support(problem, blocks, "greedy", "greedy cannot guarantee hard rules")

    def solve(self, problem: AllocationProblem, options: SolveOptions) -> Allocation:
        """Greedy choice; FEASIBLE, no bound."""
        t0 = time.perf_counter()
        blocks = supported_blocks(self, problem)
        x = greedy_pairs(problem.pair_person, problem.pair_post, problem.values, problem.capacities, problem.n_persons)
        return make_allocation(problem, x, status=Status.FEASIBLE, backend=self.name, blocks=blocks,
                               message=_("greedy by value (a heuristic: no optimality bound)"),
                               solve_time=time.perf_counter() - t0)
