"""Plain-text views of results for the terminal: plan targets and the reserved-post plan."""

from __future__ import annotations

from typing import Any

from jhmatch.report.status import has_plan, status_line

__all__ = ["plan_text", "targets_text"]

_TARGET_ZH = {"new_jobs": "新增就业", "welfare_posts": "公益性岗位", "tobacco_outlets": "烟草零售点",
              "agency_posts": "机关事业单位岗位", "employment_rate": "就业率", "graduate_rate": "毕业生就业率",
              "household_coverage": "困难家庭就业覆盖"}


def targets_text(table: Any, lang: str) -> str:
    """One line per target: scope, name, value / goal, status.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"scope": ["city"], "target": ["new_jobs"], "value": [3.0], "target_value": [5.0],
    ...                   "status": ["short"]})
    >>> targets_text(t, "zh").split()
    ['city', '新增就业', '3', '/', '5', 'short']
    """
    rows = []
    for rec in table.itertuples(index=False):
        name = _TARGET_ZH.get(rec.target, rec.target) if lang == "zh" else rec.target
        value = f"{rec.value:.1%}" if rec.target.endswith(("rate", "coverage")) else f"{rec.value:,.0f}"
        goal = f"{rec.target_value:.0%}" if rec.target.endswith(("rate", "coverage")) else f"{rec.target_value:,.0f}"
        rows.append(f"{rec.scope:<8} {name:<20} {value:>10} / {goal:<8} {rec.status}")
    return "\n".join(rows)


def plan_text(plan: Any, lang: str) -> str:
    """The reserved-post plan: its status line first, then sites to open per county and kind.

    A plan without a solution (time limit before any feasible plan) is only its status
    line: no table of zeros is shown as if it were a plan.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> plan_text(SimpleNamespace(status="time_limit", objective=float("nan"), gap=None), "en")
    'no reserved-post plan: time limit reached before any feasible allocation; nothing below is a plan (reserved_posts.csv not written)'
    """
    from jhmatch.taxonomy import REGIONS, post_kind

    subject = "预留岗位规划" if lang == "zh" else "reserved-post plan"
    if not has_plan(plan):
        return status_line(plan, lang, subject) + ("（未写入 reserved_posts.csv）" if lang == "zh"
                                                   else " (reserved_posts.csv not written)")
    table = plan.by_county.pivot_table(index="county", columns="kind", values="sites_opened", aggfunc="sum",
                                       fill_value=0)
    names = {r.code: (r.zh if lang == "zh" else r.en) for r in REGIONS}
    table.index = [names.get(c, c) for c in table.index]
    table.columns = [post_kind(k).zh if lang == "zh" else k for k in table.columns]
    head = "预留岗位规划（每县开设数）" if lang == "zh" else "reserved posts to open per county"
    lines = [status_line(plan, lang, subject), f"{head}: {plan.message}", table.to_string()]
    short = plan.targets[plan.targets["shortfall"] > 0]
    for rec in short.itertuples(index=False):
        lines.append(f"target {rec.kind}: {rec.achieved} of {rec.target} (short {rec.shortfall})")
    return "\n".join(lines)
