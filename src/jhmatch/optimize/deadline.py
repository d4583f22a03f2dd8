"""Time limits that bound a whole solve: a :class:`Deadline`, and HiGHS runs that cannot overrun it.

HiGHS honours its ``time_limit`` option between iterations, but some steps (MIP
presolve on large models above all) do not look at the clock and can run for
minutes past it. :func:`run_highs` therefore runs ``scipy.optimize.milp`` in a
worker thread (HiGHS releases the GIL) and stops waiting at the deadline plus
:data:`HIGHS_GRACE` seconds: the caller gets a time-limit result without a
solution, and the abandoned run finishes in the background (its result is
dropped). Together with the time to build the result tables this is the
documented slack :data:`jhmatch.limits.TIME_LIMIT_SLACK`.
"""

from __future__ import annotations

import math
import threading
import time
from types import SimpleNamespace
from typing import Any

import numpy as np
from scipy.optimize import milp

from jhmatch.checks import positive_number

__all__ = ["HIGHS_GRACE", "Deadline", "run_highs"]

HIGHS_GRACE = 1.0
"""Seconds granted to HiGHS past its own time limit before its answer is given up."""


class Deadline:
    """A point in time by which a solve must be done (``None``: no limit).

    Parameters
    ----------
    time_limit : float or None
        Seconds from ``start``; ``None`` means unlimited.
    start : float, optional
        ``time.perf_counter()`` value the limit counts from (default: now).

    Examples
    --------
    >>> d = Deadline(10.0)
    >>> 9.0 < d.left() <= 10.0, d.expired
    (True, False)
    >>> Deadline(None).left() is None
    True
    """

    def __init__(self, time_limit: float | None, start: float | None = None):
        self.time_limit = None if time_limit is None else positive_number("time_limit", time_limit)
        self.start = time.perf_counter() if start is None else float(start)

    @property
    def at(self) -> float:
        """The deadline as a ``time.perf_counter()`` value (``inf`` when unlimited)."""
        return math.inf if self.time_limit is None else self.start + self.time_limit

    def elapsed(self) -> float:
        """Seconds since the start."""
        return time.perf_counter() - self.start

    def left(self) -> float | None:
        """Seconds left (never negative), ``None`` when unlimited."""
        if self.time_limit is None:
            return None
        return max(self.at - time.perf_counter(), 0.0)

    @property
    def expired(self) -> bool:
        """True once no time is left."""
        left = self.left()
        return left is not None and left <= 0.0

    def cap(self, seconds: float | None) -> Deadline:
        """A deadline at most ``seconds`` from now and never after this one.

        Examples
        --------
        >>> Deadline(100.0).cap(5.0).left() <= 5.0
        True
        >>> Deadline(None).cap(None).left() is None
        True
        """
        left = self.left()
        if seconds is None:
            return Deadline(None) if left is None else Deadline(max(left, 1e-3))
        return Deadline(max(min(seconds, left if left is not None else seconds), 1e-3))


_ABANDONED: list[threading.Thread] = []


def abandoned_runs() -> int:
    """How many abandoned HiGHS runs (past their time limit) are still running in this process.

    Native solver threads still running when the interpreter shuts down can abort the
    process from C++ ("terminate called …"); the ``jhmatch`` command ends the process
    with ``os._exit`` when this is not zero, after flushing its output.

    Examples
    --------
    >>> abandoned_runs()
    0
    """
    _ABANDONED[:] = [t for t in _ABANDONED if t.is_alive()]
    return len(_ABANDONED)


def _no_answer(message: str) -> SimpleNamespace:
    return SimpleNamespace(status=1, x=None, fun=float("nan"), mip_dual_bound=None, message=message, abandoned=True)


def run_highs(c: np.ndarray, *, integrality: np.ndarray, bounds: Any, constraints: Any, options: dict[str, Any],
              deadline: Deadline | None = None) -> Any:
    """``scipy.optimize.milp`` that returns by ``deadline`` (+ :data:`HIGHS_GRACE`), whatever HiGHS does.

    Returns the ``OptimizeResult`` of ``milp``, or, when HiGHS has not answered in
    time, an object with ``status == 1`` (time limit), ``x is None`` and
    ``abandoned == True``. Exceptions raised by HiGHS (MemoryError included) are
    raised here.

    Examples
    --------
    >>> from scipy.optimize import Bounds, LinearConstraint
    >>> res = run_highs(np.array([-1.0, -2.0]), integrality=np.ones(2), bounds=Bounds(0, 1),
    ...                 constraints=[LinearConstraint(np.ones((1, 2)), -np.inf, 1)], options={}, deadline=Deadline(5))
    >>> res.status, res.x.round().tolist()
    (0, [0.0, 1.0])
    """
    options = dict(options)
    if deadline is None or deadline.time_limit is None:
        return milp(c, integrality=integrality, bounds=bounds, constraints=constraints, options=options)
    left = deadline.left() or 0.0
    if left <= 0.0:
        return _no_answer("time limit reached before HiGHS could start")
    options["time_limit"] = max(min(float(options.get("time_limit", left)), left), 0.01)
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["result"] = milp(c, integrality=integrality, bounds=bounds, constraints=constraints, options=options)
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    worker = threading.Thread(target=work, name="jhmatch-highs", daemon=True)
    worker.start()
    worker.join(options["time_limit"] + HIGHS_GRACE)
    if worker.is_alive():
        _ABANDONED.append(worker)
        return _no_answer("HiGHS did not stop at its time limit (a presolve step does not check the clock); "
                          "its run was abandoned")
    if "error" in box:
        raise box["error"]
    return box["result"]
