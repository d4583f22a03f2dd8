"""The status headline of a plan: the first thing a planner reads, and the command's exit code.

A result (an :class:`~jhmatch.optimize.Allocation` or a reserved-post
:class:`~jhmatch.optimize.ReservedPostPlan`) carries a
:class:`~jhmatch.optimize.Status`, an ``objective`` (NaN when there is no
solution) and a ``gap``. This module turns them into one plain sentence in the
planner's language and into the exit code the command line documents:

====  =====================================================================
code  meaning
====  =====================================================================
0     a plan, proven optimal (or optimal within the requested gap)
1     no plan: the hard rules cannot all hold (infeasible)
2     bad input (raised before solving; not decided here)
3     a plan that is feasible but not proven optimal (time limit, heuristic)
4     no plan: the solver stopped (time limit) or failed before finding any
====  =====================================================================
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from jhmatch.i18n import N_, format_number, format_percent, language
from jhmatch.i18n import gettext as _
from jhmatch.optimize.backends.milp import FLOW_TOL as OPTIMAL_GAP  # a proven gap this small is optimal

__all__ = ["EXIT_NOT_OPTIMAL", "EXIT_NO_PLAN", "METHOD_NAMES", "exit_code", "has_plan", "status_line"]

EXIT_NOT_OPTIMAL = 3
"""Exit code of a feasible plan whose optimality is not proven (time limit, heuristic)."""
EXIT_NO_PLAN = 4
"""Exit code when the solver stopped or failed before finding any feasible plan."""

METHOD_NAMES: Mapping[str, str] = MappingProxyType({"greedy": N_("greedy heuristic"), "stable": N_("stable matching"), "lap": N_("assignment solver"),
            "flow": N_("network flow"), "milp": N_("integer programming"), "decompose": N_("regional decomposition")})
"""Names of the allocation methods (English, marked ``N_``): show them translated, ``_(METHOD_NAMES[m])``."""
_METHODS = METHOD_NAMES  # the old private name


def _status(result: Any) -> str:
    status = getattr(result, "status", None)
    return str(getattr(status, "value", status))


def has_plan(result: Any) -> bool:
    """True when the result holds a solution (optimal, feasible or the best found before a time limit).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> has_plan(SimpleNamespace(status="time_limit", objective=float("nan")))
    False
    """
    if _status(result) in ("infeasible", "error"):
        return False
    objective = getattr(result, "objective", float("nan"))
    return objective is not None and not (isinstance(objective, float) and math.isnan(objective))


def _placed(result: Any) -> int | None:
    frame = getattr(result, "assignments", None)
    return None if frame is None else len(frame)


def status_line(result: Any, lang: str | None = None, subject: str | None = None) -> str:
    """One sentence saying whether the result is a plan, and how far to trust it.

    Parameters
    ----------
    result : Allocation or ReservedPostPlan
        Anything with ``status``, ``objective`` and ``gap`` (``solve_time``, ``backend``
        and ``assignments`` are used when present).
    lang : {"en", "zh"}, optional
        Language of the sentence; default the current one (:func:`jhmatch.i18n.language`).
    subject : str, optional
        What the result is, already in the planner's language ("reserved-post plan");
        default "plan" / "计划".

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> r = SimpleNamespace(status="time_limit", objective=2.0, gap=0.25, solve_time=155.86,
    ...                     assignments=[1, 2])
    >>> status_line(r, "zh")
    '计划未完成求解：达到时间上限（155.9 秒），以下为可行但非最优的方案（差距 25.0%）'
    >>> status_line(SimpleNamespace(status="time_limit", objective=float("nan"), gap=None))
    'no plan: time limit reached before any feasible allocation; nothing below is a plan'
    """
    with language(lang):
        s = subject or _("plan")
        state = _status(result)
        seconds = getattr(result, "solve_time", None)
        t = (_(" ({seconds} s)").format(seconds=format_number(seconds, 1))
             if isinstance(seconds, int | float) and seconds > 0 else "")
        gap = getattr(result, "gap", None)
        gap_text = (format_percent(gap, 1 if gap >= 0.001 else 3) if isinstance(gap, int | float)
                    and not math.isnan(gap) else "")
        if state == "infeasible":
            return _("no {subject}: the hard rules cannot all hold (see the diagnosis)").format(subject=s)
        if state == "error":
            return _("no {subject}: the solver failed; nothing below is a plan").format(subject=s)
        if not has_plan(result):
            return _("no {subject}: time limit reached{seconds} before any feasible allocation; nothing below "
                     "is a plan").format(subject=s, seconds=t)
        if state == "optimal":
            line = (_("{subject}: optimal within the requested gap ({gap})").format(subject=s, gap=gap_text)
                    if gap_text and gap > OPTIMAL_GAP else _("{subject}: optimal").format(subject=s))
        elif state == "time_limit":
            line = _("{subject} not solved to optimality: time limit reached{seconds}; the plan below is feasible "
                     "but not optimal{gap}").format(subject=s, seconds=t,
                                                    gap=_(" (gap {gap})").format(gap=gap_text) if gap_text else "")
        else:
            how = getattr(result, "backend", "") or state
            line = _("{subject} not proven optimal: the method ({method}) gives a feasible plan; the plan below is "
                     "feasible but may not be optimal").format(subject=s, method=_(METHOD_NAMES[how]) if how in METHOD_NAMES
                                                               else how)
        if _placed(result) == 0:
            line += _("; nobody is placed")
        return line


def exit_code(result: Any) -> int:
    """The command's exit code for a result (see the module's table).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> exit_code(SimpleNamespace(status="optimal", objective=1.0)), exit_code(SimpleNamespace(status="infeasible"))
    (0, 1)
    """
    state = _status(result)
    if state == "infeasible":
        return 1
    if not has_plan(result):
        return EXIT_NO_PLAN
    return 0 if state == "optimal" else EXIT_NOT_OPTIMAL
