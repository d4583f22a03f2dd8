"""Plain-text views of results for the terminal: plan targets and the reserved-post plan."""

from __future__ import annotations

from typing import Any

import pandas as pd

from jhmatch._output_labels import county_name, kind_label
from jhmatch.i18n import format_number, language
from jhmatch.i18n import gettext as _
from jhmatch.report.status import has_plan, status_line

__all__ = ["plan_text"]


def _width(text: str) -> int:
    """Columns a text takes in a terminal (CJK characters take two)."""
    return sum(2 if ord(ch) >= 0x1100 else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * max(0, width - _width(text))
    return fill + text if right else text + fill


def plan_text(plan: Any, lang: str | None = None) -> str:
    """The reserved-post plan: its status line first, then sites to open per county and kind.

    A plan without a solution (time limit before any feasible plan) is only its status
    line: no table of zeros is shown as if it were a plan.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> plan_text(SimpleNamespace(status="time_limit", objective=float("nan"), gap=None), "en")
    'no reserved-post plan: time limit reached before any feasible allocation; nothing below is a plan (reserved_posts.csv not written)'
    """
    with language(lang):
        subject = _("reserved-post plan")
        if not has_plan(plan):
            return status_line(plan, subject=subject) + _(" (reserved_posts.csv not written)")
        table = plan.by_county.pivot_table(index="kind", columns="county", values="sites_opened", aggfunc="sum",
                                           fill_value=0)
        table.index = [kind_label(k) for k in table.index]
        table.columns = [county_name(c) for c in table.columns]
        with pd.option_context("display.unicode.east_asian_width", True):
            shown = table.to_string()
        lines = [status_line(plan, subject=subject), _("reserved posts to open per county (sites of each kind):"),
                 shown]
        short = plan.targets[plan.targets["shortfall"] > 0]
        for rec in short.itertuples(index=False):
            lines.append(_("target {kind}: {achieved} of {target} (short {shortfall})").format(
                kind=kind_label(rec.kind), achieved=format_number(rec.achieved), target=format_number(rec.target),
                shortfall=format_number(rec.shortfall)))
        return "\n".join(lines)
