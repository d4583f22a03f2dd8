"""The linear form of an allocation problem, built once and read by every linear model.

One binary ``x_e`` per candidate pair ``e`` (row-major pair order); for every soft
rule row a *shortfall* slack (when it has a lower bound) and an *excess* slack (when
it has an upper bound), priced at the rule's penalty::

    maximise    values @ x  -  penalty @ shortfall  -  penalty @ excess
    subject to  A_person x <= 1                    each person at most one post
                A_post x   <= capacity             usage-weighted when the problem has usage
                lb <= A_rules x + shortfall - excess <= ub
                x binary; slacks >= 0 (a hard row has none)

:func:`linear_form` builds these arrays from a problem and its compiled rules; the
MILP backend turns them into a HiGHS model
(:func:`jhmatch.optimize.backends.milp.build_model`), its Lagrangian phase relaxes
some of the rule rows (:func:`jhmatch.optimize.lagrange.lagrangian_flow`), and
:func:`jhmatch.optimize.pulp_export.to_pulp` writes them as a PuLP model. A change to
the model is made here once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd  # noqa: F401 - used by the doctests
import scipy.sparse as sp

from jhmatch.matching.score_matrix import ScoreMatrix  # noqa: F401 - used by the doctests
from jhmatch.optimize.constraints import Block
from jhmatch.optimize.evaluate import stack_rows

if TYPE_CHECKING:  # pragma: no cover - the problem module is not imported here: pulp_export, which it
    # imports for AllocationProblem.to_pulp, reads this module (no import circle)
    from jhmatch.optimize.problem import AllocationProblem

__all__ = ["LinearForm", "linear_form"]


@dataclass(frozen=True, eq=False)
class LinearForm:
    """Arrays of the linear model of an allocation problem (see the module docstring).

    Attributes
    ----------
    values : ndarray
        Objective coefficient of every pair (weight × score).
    person_rows, post_rows : csr_array
        ``A_person`` (persons × pairs) and ``A_post`` (posts × pairs, usage-weighted).
    capacities : ndarray
        Right-hand side of the post rows.
    rule_rows : csr_array
        ``A_rules``: the rows of every rule block, stacked in block order.
    lb, ub, hard, penalty : ndarray
        Per rule row: bounds, whether it must hold, and the price of a unit of violation.
    blocks : list of Block
        The compiled rules, in order; ``block_rows[b]`` is the slice of block ``b``'s rows.
    shortfall_rows, excess_rows : ndarray of int
        The rule rows that get a shortfall slack (soft, finite ``lb``) and an excess
        slack (soft, finite ``ub``), in this order of the slack variables.
    """

    values: np.ndarray
    person_rows: sp.csr_array
    post_rows: sp.csr_array
    capacities: np.ndarray
    rule_rows: sp.csr_array
    lb: np.ndarray
    ub: np.ndarray
    hard: np.ndarray
    penalty: np.ndarray
    blocks: list[Block]
    block_rows: list[slice]
    shortfall_rows: np.ndarray
    excess_rows: np.ndarray

    @property
    def n_pairs(self) -> int:
        """Number of pair variables."""
        return int(self.values.size)

    @property
    def n_slacks(self) -> int:
        """Number of slack variables (shortfalls, then excesses)."""
        return int(self.shortfall_rows.size + self.excess_rows.size)

    def rows_of(self, blocks: Sequence[Block]) -> tuple[sp.csr_array, np.ndarray, np.ndarray, np.ndarray]:
        """The rule rows of ``blocks`` (blocks of this form): ``A, lb, ub`` and the multiplier cap.

        The cap of a row is its penalty when soft (a Lagrangian multiplier above it
        would price the row above its violation) and ``inf`` when hard.

        Examples
        --------
        >>> from jhmatch.optimize import AllocationProblem, PlacementGuarantee
        >>> sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a", "b"], "post_id": ["x", "x"],
        ...                                           "score": [0.4, 0.6]}))
        >>> prob = AllocationProblem(sm, [1], constraints=[PlacementGuarantee(["a"], hard=False, penalty=2.0)])
        >>> form = linear_form(prob)
        >>> a, lb, ub, cap = form.rows_of(form.blocks)
        >>> a.toarray().tolist(), lb.tolist(), cap.tolist()
        ([[1.0, 0.0]], [1.0], [2.0])
        """
        index = {id(b): k for k, b in enumerate(self.blocks)}
        rows = np.concatenate([np.arange(self.block_rows[index[id(b)]].start, self.block_rows[index[id(b)]].stop)
                               for b in blocks]) if blocks else np.zeros(0, np.int64)
        cap = np.where(self.hard[rows], np.inf, self.penalty[rows])
        return sp.csr_array(self.rule_rows[rows]), self.lb[rows], self.ub[rows], cap


def linear_form(problem: AllocationProblem, blocks: list[Block] | None = None) -> LinearForm:
    """The linear form of ``problem`` with its compiled rules ``blocks`` (default: compile them).

    Examples
    --------
    >>> from jhmatch.optimize import AllocationProblem
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a", "a", "b"], "post_id": ["x", "y", "x"],
    ...                                           "score": [0.9, 0.5, 0.8]}))
    >>> form = linear_form(AllocationProblem(sm, [1, 1]))
    >>> form.values.tolist(), form.person_rows.toarray().tolist(), form.post_rows.toarray().tolist()
    ([0.9, 0.5, 0.8], [[1.0, 1.0, 0.0], [0.0, 0.0, 1.0]], [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
    """
    if blocks is None:
        from jhmatch.optimize.evaluate import compile_blocks

        blocks = compile_blocks(problem)
    e = problem.n_pairs
    person_rows = sp.csr_array((np.ones(e), np.arange(e), problem.scores.scores.indptr), shape=(problem.n_persons, e))
    use = np.ones(e) if problem.pair_usage is None else problem.pair_usage
    post_rows = sp.csr_array((use, (problem.pair_post, np.arange(e))), shape=(problem.n_posts, e))
    rule_rows, lb, ub = stack_rows(problem, blocks)
    sizes = [b.n_rows for b in blocks]
    starts = np.concatenate([[0], np.cumsum(sizes)]).astype(int)
    hard = np.repeat(np.array([b.hard for b in blocks], dtype=bool), sizes) if blocks else np.zeros(0, bool)
    penalty = np.repeat(np.array([b.penalty for b in blocks], dtype=float), sizes) if blocks else np.zeros(0)
    return LinearForm(values=problem.values, person_rows=person_rows, post_rows=post_rows,
                      capacities=problem.capacities.astype(float), rule_rows=rule_rows, lb=lb, ub=ub, hard=hard,
                      penalty=penalty, blocks=list(blocks),
                      block_rows=[slice(int(starts[k]), int(starts[k + 1])) for k in range(len(blocks))],
                      shortfall_rows=np.flatnonzero(~hard & np.isfinite(lb)),
                      excess_rows=np.flatnonzero(~hard & np.isfinite(ub)))
