"""The status headline of a plan: the first thing a planner reads, and the command's exit code.

A result (an :class:`~jhmatch.optimize.Allocation` or a reserved-post
:class:`~jhmatch.optimize.planning.PlanResult`) carries a
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
from typing import Any

__all__ = ["EXIT_NOT_OPTIMAL", "EXIT_NO_PLAN", "exit_code", "has_plan", "status_line"]

EXIT_NOT_OPTIMAL = 3
"""Exit code of a feasible plan whose optimality is not proven (time limit, heuristic)."""
EXIT_NO_PLAN = 4
"""Exit code when the solver stopped or failed before finding any feasible plan."""

_WORDS = {
    "en": {
        "plan": "plan",
        "optimal": "{s}: optimal",
        "within": "{s}: optimal within the requested gap ({gap})",
        "feasible": "{s} not proven optimal: the method ({how}) gives a feasible plan; the plan below is "
                    "feasible but may not be optimal",
        "time_plan": "{s} not solved to optimality: time limit reached{t}; the plan below is feasible but "
                     "not optimal{gap}",
        "time_none": "no {s}: time limit reached{t} before any feasible allocation; nothing below is a plan",
        "infeasible": "no {s}: the hard rules cannot all hold (see the diagnosis)",
        "error": "no {s}: the solver failed; nothing below is a plan",
        "secs": " ({:.1f} s)", "gap": " (gap {})", "nobody": "; nobody is placed",
    },
    "zh": {
        "plan": "计划",
        "optimal": "{s}已求得最优方案",
        "within": "{s}在设定的差距内达到最优（差距 {gap}）",
        "feasible": "{s}未证明最优：所用方法（{how}）只给出可行方案，以下为可行但不一定最优的方案",
        "time_plan": "{s}未完成求解：达到时间上限{t}，以下为可行但非最优的方案{gap}",
        "time_none": "未得到{s}：达到时间上限{t}前未找到可行方案，以下内容不是安置方案",
        "infeasible": "未得到{s}：硬性规则无法同时满足（见诊断）",
        "error": "未得到{s}：求解器出错，以下内容不是安置方案",
        "secs": "（{:.1f} 秒）", "gap": "（差距 {}）", "nobody": "；无人被安置",
    },
}


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


def status_line(result: Any, lang: str = "en", subject: str | None = None) -> str:
    """One sentence saying whether the result is a plan, and how far to trust it.

    Parameters
    ----------
    result : Allocation or PlanResult
        Anything with ``status``, ``objective`` and ``gap`` (``solve_time``, ``backend``
        and ``assignments`` are used when present).
    lang : {"en", "zh"}
    subject : str, optional
        What the result is ("reserved-post plan"); default "plan" / "计划".

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
    w = _WORDS["zh" if lang == "zh" else "en"]
    s = subject or w["plan"]
    state = _status(result)
    seconds = getattr(result, "solve_time", None)
    t = w["secs"].format(seconds) if isinstance(seconds, int | float) and seconds > 0 else ""
    gap = getattr(result, "gap", None)
    gap_text = f"{gap:.1%}" if isinstance(gap, int | float) and not math.isnan(gap) else ""
    if state == "infeasible":
        return w["infeasible"].format(s=s)
    if state == "error":
        return w["error"].format(s=s)
    if not has_plan(result):
        return w["time_none"].format(s=s, t=t)
    if state == "optimal":
        line = w["within"].format(s=s, gap=gap_text) if gap_text and gap > 1e-9 else w["optimal"].format(s=s)
    elif state == "time_limit":
        line = w["time_plan"].format(s=s, t=t, gap=w["gap"].format(gap_text) if gap_text else "")
    else:
        line = w["feasible"].format(s=s, how=getattr(result, "backend", "") or state)
    if _placed(result) == 0:
        line += w["nobody"]
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
