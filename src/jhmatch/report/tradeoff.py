"""Report sections for the price of fairness (issue 17): the curve, its table, and the lifted groups.

:func:`tradeoff_sections` turns a :class:`~jhmatch.optimize.tradeoff.TradeoffCurve` (and
optionally a :class:`~jhmatch.optimize.tradeoff.GroupLift`) into
:class:`~jhmatch.report.ReportSection` objects for ``write_report(..., extra_sections=...)``
or a page of their own; ``jhmatch tradeoff`` uses the same functions for its terminal
table, sentences and ``tradeoff.csv``. Text is in the current language
(:func:`jhmatch.i18n.language`); counties and categories are shown by name.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import pandas as pd

from jhmatch.i18n import N_, format_number, format_percent, get_language, language
from jhmatch.i18n import gettext as _
from jhmatch.report.sections import ReportSection

if TYPE_CHECKING:  # pragma: no cover
    from jhmatch.optimize.tradeoff import GroupLift, TradeoffCurve

__all__ = ["STATUS_LABELS", "csv_table", "curve_figure", "group_name", "knee_sentence", "lift_sentence",
           "one_percent_sentence", "points_table", "status_sentence", "tradeoff_sections"]

STATUS_LABELS: Mapping[str, str] = MappingProxyType(
    {"optimal": N_("proven"), "feasible": N_("not proven"), "time_limit": N_("stopped at the time limit")})
"""How a point's status is shown (English msgids; translated where shown)."""


def group_name(code: Any, by: str) -> str:
    """A county or category as the planner reads it (Chinese name under ``zh``).

    Examples
    --------
    >>> group_name("330727", "county")
    "Pan'an"
    """
    from jhmatch.taxonomy import DisabilityCategory, region

    if code is None or (isinstance(code, float) and math.isnan(code)):
        return "—"
    if by == "county":
        r = region(code)
        return r.zh if get_language() == "zh" else r.en
    c = DisabilityCategory.parse(code)
    return c.zh if get_language() == "zh" else c.value


def _worst_header(by: str) -> str:
    return _("worst county") if by == "county" else _("worst category")


def points_table(curve: Any) -> pd.DataFrame:
    """The curve's points for planners: floor, total compatibility, loss, worst group, ratio, status, gap."""
    rows = []
    for k, p in enumerate(curve.points):
        rows.append({
            _("floor"): _("none") if k == 0 else format_percent(p.floor, 1),
            _("total compatibility"): format_number(p.objective, 2),
            _("loss %"): format_percent(p.loss, 3) if p.has_plan else "—",
            _worst_header(curve.by): group_name(p.worst, curve.by),
            _("ratio to the city rate"): format_percent(p.ratio, 2),
            _("status"): _(STATUS_LABELS.get(p.status.value, p.status.value)) + (" *" if k == curve.knee else ""),
            _("gap"): format_percent(p.gap, 4) if p.gap is not None else "—",
        })
    return pd.DataFrame(rows)


def _percent(value: float | None, digits: int) -> Any:
    if value is None or not math.isfinite(value):
        return "—"
    return round(100 * value, digits)


def csv_table(curve: Any) -> pd.DataFrame:
    """The curve for ``tradeoff.csv``: the terminal table's headers and labels, numbers rounded as shown.

    Shares (floor, loss, ratio, gap) are numbers of percent (``99.12`` is 99.12 %, as the
    terminal shows it), total compatibility has two decimals, the status and the worst
    group are labels in the session's language, and two columns follow: seekers placed
    and the knee (``*``). :meth:`TradeoffCurve.table` keeps the raw values and codes.

    Examples
    --------
    >>> from jhmatch.datasets import make_jinhua
    >>> from jhmatch.optimize.tradeoff import tradeoff
    >>> city = make_jinhua(n_persons=120, seed=1)
    >>> from jhmatch._cli_tradeoff import tradeoff_problem
    >>> list(csv_table(tradeoff(tradeoff_problem(city.persons, city.posts), points=1)).columns)[:3]
    ['floor', 'total compatibility', 'loss %']
    """
    rows = []
    for k, p in enumerate(curve.points):
        rows.append({
            _("floor"): _("none") if k == 0 else _percent(p.floor, 1),
            _("total compatibility"): round(p.objective, 2) if p.has_plan and math.isfinite(p.objective) else "—",
            _("loss %"): _percent(p.loss, 3) if p.has_plan else "—",
            _worst_header(curve.by): group_name(p.worst, curve.by),
            _("ratio to the city rate"): _percent(p.ratio, 2),
            _("status"): _(STATUS_LABELS.get(p.status.value, p.status.value)),
            _("gap"): _percent(p.gap, 4),
            _("seekers placed"): p.placed if p.has_plan else "—",
            _("knee"): "*" if k == curve.knee else "",
        })
    return pd.DataFrame(rows)


def knee_sentence(curve: Any) -> str:
    """The knee in one sentence, with the rule that picked it."""
    p = curve.points[curve.knee]
    text = (_("Knee (the point farthest above the line from the first to the last point, marked *): at a floor of "
              "{floor} the worst county ({name}) places {ratio} of the city rate, for a loss of {loss} of total "
              "compatibility.") if curve.by == "county" else
            _("Knee (the point farthest above the line from the first to the last point, marked *): at a floor of "
              "{floor} the worst category ({name}) places {ratio} of the city rate, for a loss of {loss} of total "
              "compatibility."))
    return text.format(floor=_("none") if curve.knee == 0 else format_percent(p.floor, 1),
                       name=group_name(p.worst, curve.by), ratio=format_percent(p.ratio, 1),
                       loss=format_percent(p.loss, 3))


def one_percent_sentence(curve: Any) -> str:
    """What ratio is reachable at <= 1 % loss: a solved plan, and the limit proven out of reach."""
    one = curve.one_percent
    text = (_("Losing at most 1% of total compatibility, the worst county can reach {ratio} of the city rate "
              "(a solved plan, loss {loss}).") if curve.by == "county" else
            _("Losing at most 1% of total compatibility, the worst category can reach {ratio} of the city rate "
              "(a solved plan, loss {loss}).")).format(ratio=format_percent(one.ratio, 2),
                                                       loss=format_percent(one.point.loss, 3))
    if one.limit is not None:
        text += ("" if get_language() == "zh" else " ") + _("{limit} or more is proven out of reach at that loss.").format(
            limit=format_percent(one.limit, 2))
    return text


def lift_sentence(lift: Any) -> str:
    """The least loss that lifts the mountain counties: the interval its proven bounds allow, and its status."""
    names = (" and " if get_language() != "zh" else "、").join(group_name(g, "county") for g in lift.groups)
    if not lift.lifted.has_plan:
        return _("Lifting {names} to {ratio} of the city rate: no plan found in time.").format(
            names=names, ratio=format_percent(lift.ratio, 0))
    if format_number(lift.lost_low, 3) == format_number(lift.lost_high, 3):
        return _("The cheapest way to lift {names} to {ratio} of the city rate costs {lost} of total compatibility "
                 "({share}), proven the least.").format(names=names, ratio=format_percent(lift.ratio, 0),
                                                        lost=format_number(lift.lost, 3),
                                                        share=format_percent(lift.lost_share, 4))
    return _("The cheapest way to lift {names} to {ratio} of the city rate costs {lost} of total compatibility "
             "({share}); the least cost is proven to lie between {low} and {high}.").format(
        names=names, ratio=format_percent(lift.ratio, 0), lost=format_number(lift.lost, 3),
        share=format_percent(lift.lost_share, 4), low=format_number(lift.lost_low, 3),
        high=format_number(lift.lost_high, 3))


def curve_figure(curve: Any) -> bytes:
    """Worst group's ratio against total compatibility, the knee and the 1 % line marked (PNG).

    Labels are in the current language when a font can draw it (:func:`~jhmatch.report.figures.figure_language`).
    """
    from jhmatch.report import figures

    plt = figures.pyplot()
    pts = [p for p in curve.points if p.has_plan]
    knee = curve.points[curve.knee]
    with figures.figure_style(), language(figures.figure_language(get_language())):
        fig, ax = plt.subplots(figsize=(7.5, 4.0))
        ax.plot([p.objective for p in pts], [p.ratio for p in pts], "o-", color="#2b7bba", ms=4,
                label=_("solved points"))
        ax.plot([knee.objective], [knee.ratio], "*", color="#c0392b", ms=14, label=_("knee"))
        one = curve.one_percent.point
        ax.plot([one.objective], [one.ratio], "D", color="#3a9a5b", ms=7, label=_("best ratio at 1% loss"))
        ax.axvline(0.99 * curve.z0, color="#888888", ls="--", lw=1, label=_("1% loss"))
        ax.set_xlabel(_("total compatibility"))
        ax.set_ylabel(_("worst county's placement rate / city rate") if curve.by == "county" else
                      _("worst category's placement rate / city rate"))
        ax.set_title(_("The price of fairness between counties") if curve.by == "county" else
                     _("The price of fairness between categories"), fontsize=10)
        ax.legend(fontsize=8, frameon=False, loc="lower left")
        ax.spines[["top", "right"]].set_visible(False)
        return figures.to_png(fig)


def status_sentence(curve: Any) -> str:
    """The first line: how many points are proven, and to what gap."""
    open_ = sum(p.status.value != "optimal" for p in curve.points)
    if open_ == 0:
        return _("{n} points, every one proven within the gap {gap} ({seconds} s).").format(
            n=len(curve.points), gap=format_percent(curve.gap, 3), seconds=format_number(curve.seconds, 1))
    return _("{n} points, {k} of them NOT proven within the gap {gap} (see the status column; {seconds} s).").format(
        n=len(curve.points), k=open_, gap=format_percent(curve.gap, 3), seconds=format_number(curve.seconds, 1))


def tradeoff_sections(curve: TradeoffCurve, lift: GroupLift | None = None, *, lang: str | None = None
                      ) -> list[ReportSection]:
    """Report sections for a trade-off curve: the curve (figure, table, knee, 1 % answer), the lifted groups.

    Parameters
    ----------
    curve : TradeoffCurve
        From :func:`jhmatch.optimize.tradeoff`.
    lift : GroupLift, optional
        From :func:`jhmatch.optimize.lift_groups`: adds a section on the lifted groups.
    lang : {"en", "zh"}, optional
        Language of the text, table and figure (default: the current one); give the
        page's language (``write_report(..., lang=...)``).

    Returns
    -------
    list of ReportSection
        For ``write_report(..., extra_sections=...)`` or :func:`~jhmatch.report.write_sections_report`.

    Examples
    --------
    >>> from jhmatch.datasets import make_jinhua
    >>> from jhmatch.optimize.tradeoff import tradeoff
    >>> from jhmatch._cli_tradeoff import tradeoff_problem
    >>> city = make_jinhua(n_persons=120, seed=1)
    >>> curve = tradeoff(tradeoff_problem(city.persons, city.posts), points=1)
    >>> [s.title for s in tradeoff_sections(curve, lang="zh")]
    ['县际均衡的代价']
    """
    with language(lang):
        return _sections(curve, lift)


def _sections(curve: Any, lift: Any | None) -> list[ReportSection]:
    warn = "" if all(p.status.value == "optimal" for p in curve.points) else status_sentence(curve)
    title = (_("The price of fairness between counties") if curve.by == "county" else
             _("The price of fairness between categories"))
    out = [ReportSection("tradeoff", title, lead=("" if get_language() == "zh" else " ").join([
        one_percent_sentence(curve), knee_sentence(curve)]), table=points_table(curve), figure=curve_figure(curve),
        status=warn)]
    if lift is not None:
        out.append(ReportSection("mountain", _("Mountain counties"), lead=lift_sentence(lift),
                                 status="" if lift.lifted.status.value == "optimal" else _("not proven")))
    return out
