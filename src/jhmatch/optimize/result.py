"""The :class:`Allocation` result and its :class:`Status`."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.errors import InfeasibleError, SolverError

__all__ = ["Allocation", "Diagnosis", "Status"]


class Status(str, enum.Enum):
    """Outcome of a solve.

    ``OPTIMAL``: proven optimal (within the requested gap, which is then reported).
    ``FEASIBLE``: every hard rule holds, optimality not proven (heuristics, stable
    matching). ``INFEASIBLE``: the hard rules cannot all hold (see the diagnosis).
    ``TIME_LIMIT``: stopped by the time limit; the best solution found (if any) and
    its gap are reported. ``ERROR``: the solver failed (crashed, or returned an
    answer jhmatch could not use); no solution, the message says what happened.

    Examples
    --------
    >>> Status("optimal") is Status.OPTIMAL
    True
    """

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    TIME_LIMIT = "time_limit"
    ERROR = "error"


@dataclass(frozen=True, eq=False)
class Diagnosis:
    """Why the hard rules conflict.

    Attributes
    ----------
    conflicting : tuple of str
        A smallest set of hard constraints that cannot hold together: dropping any
        one of them makes the rest feasible (counting checks, then each rule alone,
        each pair, then a deletion filter; see :mod:`jhmatch.optimize.diagnose`).
        One name alone means that rule cannot hold even on its own.
    rows : DataFrame
        Rows left short: by the counting check (``activity`` = the most reachable),
        or by the elastic re-solve with the conflicting rules relaxed:
        ``constraint, label, lb, ub, activity, violation``.
    message : str
        The same in plain words, in the language of the solve (:mod:`jhmatch.i18n`).
    proven : bool
        True when ``conflicting`` is proven irreducible; False when the search for a
        smaller set stopped at the time limit (the set conflicts, but may not be the
        smallest).

    Examples
    --------
    >>> str(Diagnosis(("GraduateGuarantee",), pd.DataFrame(), "graduates outnumber their posts"))
    'graduates outnumber their posts'
    """

    conflicting: tuple[str, ...]
    rows: pd.DataFrame
    message: str
    proven: bool = True

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, eq=False)
class Allocation:
    """Result of :func:`jhmatch.optimize.solve`.

    Attributes
    ----------
    status : Status
        See :class:`Status`; OPTIMAL only when proven.
    message : str
        What happened, including which method ``"auto"`` picked and why.
    backend : str
        Backend that produced the solution.
    objective : float
        Placement value (sum of weight × score) minus soft-rule penalties; NaN when
        there is no solution.
    bound : float or None
        Proven upper bound on the objective (None when none is known).
    gap : float or None
        ``(bound - objective) / max(|objective|, 1e-9)``; 0 when proven optimal.
    solve_time : float
        Wall time in seconds, from problem to result.
    assignments : DataFrame
        ``person_id, post_id, score, weight`` of every placement.
    constraints : DataFrame
        One row per constraint row: ``constraint, label, hard, lb, ub, activity,
        slack`` (distance to the nearest bound, negative when violated) and
        ``violation``.
    unplaced : DataFrame
        ``person_id, reason`` of every person without a post.
    summaries : mapping of str to DataFrame
        ``"county"``, ``"kind"``, ``"category"`` summaries (when the attribute
        tables have those columns).
    diagnosis : Diagnosis or None
        Why the problem is infeasible.
    selected : ndarray of int
        Indices (row-major pair order) of the chosen pairs.
    details : mapping of str to object
        Figures particular to the backend; empty for most. ``"decompose"``
        gives ``regions``, ``shared_posts``, ``master_persons``, ``iterations``,
        ``prices``, ``prices_kind``, ``history``, ``region_time`` and ``executor``
        (see :class:`jhmatch.optimize.backends.decompose.DecomposeBackend`).

    Examples
    --------
    >>> from jhmatch.matching.score_matrix import ScoreMatrix
    >>> from jhmatch.optimize import AllocationProblem, solve
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a"], "post_id": ["x"], "score": [0.5]}))
    >>> result = solve(AllocationProblem(sm, [1]))
    >>> result.ok, result.n_placed, result.unplaced.empty
    (True, 1, True)
    """

    status: Status
    message: str
    backend: str
    objective: float
    bound: float | None
    gap: float | None
    solve_time: float
    assignments: pd.DataFrame
    constraints: pd.DataFrame
    unplaced: pd.DataFrame
    summaries: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    diagnosis: Diagnosis | None = None
    selected: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    details: Mapping[str, Any] = field(default_factory=dict)

    @property
    def n_placed(self) -> int:
        """Number of placements."""
        return len(self.assignments)

    @property
    def ok(self) -> bool:
        """True for OPTIMAL and FEASIBLE."""
        return self.status in (Status.OPTIMAL, Status.FEASIBLE)

    def raise_for_status(self) -> Allocation:
        """Return ``self`` when OPTIMAL or FEASIBLE, raise otherwise.

        Raises
        ------
        InfeasibleError
            Status INFEASIBLE (``.diagnosis`` holds the :class:`Diagnosis`).
        SolverError
            Status TIME_LIMIT (the message gives the gap reached) or ERROR.

        Examples
        --------
        >>> empty = pd.DataFrame()
        >>> a = Allocation(Status.INFEASIBLE, "no", "flow", float("nan"), None, None, 0.0, empty, empty, empty)
        >>> try:
        ...     a.raise_for_status()
        ... except InfeasibleError as exc:
        ...     print("infeasible:", exc)
        infeasible: no
        """
        if self.status is Status.INFEASIBLE:
            raise InfeasibleError(self.message, self.diagnosis)
        if self.status is Status.TIME_LIMIT:
            raise SolverError(f"time limit reached: {self.message}")
        if self.status is Status.ERROR:
            raise SolverError(f"solver failed: {self.message}")
        return self

    def __repr__(self) -> str:
        gap = "n/a" if self.gap is None else f"{self.gap:.3g}"
        return (f"Allocation(status={self.status.value}, backend={self.backend!r}, placed={self.n_placed}, "
                f"objective={self.objective:.6g}, gap={gap}, time={self.solve_time:.3f}s)")
