"""The ``tradeoff`` command: what evening out placement rates between counties (or categories) costs.

See :mod:`jhmatch.cli`; the work is done by :func:`jhmatch.optimize.tradeoff` and
:func:`jhmatch.optimize.lift_groups`. The problem is the plan's allocation (seekers:
willing and not employed; scores as of 31 December of ``--year``; the plan's priority
weights) *without* the plan's soft rules: their penalties are not compatibility, and
their 30 % county and category floors are fairness floors of their own.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer

from jhmatch._cli_tables import LangOption, MapOption, QuietOption, SheetOption, load, parse_column_map
from jhmatch.cli import EXIT_NO_PLAN, EXIT_NOT_OPTIMAL, _guard, command
from jhmatch.errors import ParameterError
from jhmatch.i18n import N_, format_number, format_percent, get_language, ngettext
from jhmatch.i18n import gettext as _

__all__ = ["check_groups", "csv_table", "curve_figure", "group_name", "points_table", "tradeoff_command", "tradeoff_problem", "tradeoff_sections"]

DEMO_PERSONS = 5000
"""Persons of the demo city (the city of ``jhmatch demo``: 5,000 persons, 750 posts)."""

STATUS_LABELS = {"optimal": N_("proven"), "feasible": N_("not proven"), "time_limit": N_("stopped at the time limit")}
"""How a point's status is shown (English msgids; translated where shown)."""


def seeker_mask(persons: pd.DataFrame) -> Any:
    """The seekers of the command's problem: willing and not employed (a missing flag is false)."""
    import numpy as np

    def flag(name: str) -> Any:
        if name not in persons.columns:
            return np.zeros(len(persons), dtype=bool)
        return persons[name].astype("boolean").fillna(False).to_numpy(dtype=bool)

    return flag("willing") & ~flag("employed")


def check_groups(persons: pd.DataFrame, by: str, file: str) -> int:
    """Refuse a persons table whose seekers have no county (category); return how many lack one.

    Runs before the scoring: with no group there is nothing to compare. Seekers without
    a group are left out of the fairness rows and still count in the city's rate (see
    ``docs/tradeoff.md``); the caller says how many.

    Examples
    --------
    >>> frame = pd.DataFrame({"willing": [True, True], "employed": [False, False], "county": ["330723", None]})
    >>> check_groups(frame, "county", "persons.csv")
    1
    """
    seekers = seeker_mask(persons)
    column = persons[by] if by in persons.columns else pd.Series(pd.NA, index=persons.index)
    missing = int((seekers & column.isna().to_numpy()).sum())
    if seekers.any() and missing == int(seekers.sum()):
        raise ParameterError(
            (_("{file}: no seeker has a county (column {column}); the comparison between counties needs it. Fill "
               "in the column, or compare categories with --by category.") if by == "county" else
             _("{file}: no seeker has a disability category (column {column}); the comparison between categories "
               "needs it. Fill in the column, or compare counties with --by county.")).format(file=file, column=by))
    return missing


def tradeoff_problem(persons: pd.DataFrame, posts: pd.DataFrame, year: int = 2025) -> Any:
    """The allocation problem the curve is drawn for (see the module docstring).

    Examples
    --------
    >>> from jhmatch.datasets import make_jinhua
    >>> city = make_jinhua(n_persons=200, seed=1)
    >>> tradeoff_problem(city.persons, city.posts).constraints
    ()
    """
    from jhmatch.data import ensure_valid
    from jhmatch.matching import CompatibilityScorer
    from jhmatch.optimize import AllocationProblem, PriorityWeights

    persons = ensure_valid(persons, "persons").sort_values("person_id", kind="stable", ignore_index=True)
    posts = ensure_valid(posts, "posts").sort_values("post_id", kind="stable", ignore_index=True)
    seekers = persons[persons["willing"].to_numpy(dtype=bool) & ~persons["employed"].to_numpy(dtype=bool)]
    scores = CompatibilityScorer(as_of=f"{year}-12-31").score(seekers, posts)
    return AllocationProblem.from_frames(scores, persons, posts, priority=PriorityWeights())


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
    """Worst group's ratio against total compatibility, the knee and the 1 % line marked (PNG)."""
    from jhmatch.report import figures

    plt = figures.pyplot()
    pts = [p for p in curve.points if p.has_plan]
    knee = curve.points[curve.knee]
    with figures.figure_style():
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


def tradeoff_sections(curve: Any, lift: Any | None) -> list[Any]:
    """The report's sections: the curve (figure, table, knee, 1 % answer) and the mountain counties."""
    from jhmatch.report.sections import ReportSection

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


@command(N_("What does it cost in total compatibility to place people more evenly across counties (or disability "
            "categories)? Solves the allocation with a rising floor on the worst county's placement rate relative "
            "to the city rate, each point proven within the gap; names the knee, the ratio reachable losing at "
            "most 1%, and the cheapest way to lift the mountain counties 武义 and 磐安 to the city rate."),
         N_("Example: jhmatch tradeoff --demo --lang zh --out tradeoff/"),
         N_("Example: jhmatch tradeoff persons.xlsx posts.xlsx --by category --points 12"),
         N_("Exit code: 0 every point proven, 2 bad input, 3 some point not proven (time limit), 4 no plan."),
         name="tradeoff")
@_guard
def tradeoff_command(
    persons: Annotated[Path | None, typer.Argument(metavar=N_("PERSONS"), help=N_(
        "Persons table (not needed with --demo)."))] = None,
    posts: Annotated[Path | None, typer.Argument(metavar=N_("POSTS"), help=N_(
        "Posts table (not needed with --demo)."))] = None,
    by: Annotated[str, typer.Option(metavar=N_("GROUP"), help=N_("county or category."))] = "county",
    points: Annotated[int, typer.Option(metavar=N_("NUMBER"), help=N_(
        "Floors between the unconstrained plan and the fairest one."))] = 10,
    demo: Annotated[bool, typer.Option("--demo", metavar="", help=N_(
        "Use the built-in synthetic Jinhua (the city of jhmatch demo) instead of tables."))] = False,
    demo_persons: Annotated[int, typer.Option("--persons", "-n", metavar=N_("NUMBER"), help=N_(
        "Persons in the synthetic city of --demo."))] = DEMO_PERSONS,
    seed: Annotated[int, typer.Option(metavar=N_("NUMBER"), help=N_("Random seed of the synthetic city."))] = 0,
    time_limit: Annotated[float, typer.Option(metavar=N_("SECONDS"), help=N_(
        "Most seconds for the whole curve; points cut short say so."))] = 120.0,
    gap: Annotated[float, typer.Option(metavar=N_("SHARE"), help=N_(
        "Relative gap to which each point is proven, e.g. 0.0001."))] = 1e-4,
    year: Annotated[int, typer.Option(metavar=N_("YEAR"), help=N_("Ages are taken on 31 December of this year."))]
        = 2025,
    out: Annotated[Path, typer.Option(metavar=N_("FOLDER"), help=N_("Output folder."))] = Path("jhmatch-tradeoff"),
    lang: LangOption = None,
    quiet: QuietOption = False,
    maps: MapOption = None,
    sheet: SheetOption = None,
) -> None:
    from jhmatch.data.io import write_table
    from jhmatch.optimize.tradeoff import lift_groups
    from jhmatch.optimize.tradeoff import tradeoff as price_of_fairness
    from jhmatch.report import write_sections_report

    if by not in ("county", "category"):
        raise ParameterError(_("--by {value}: expected county or category").format(value=by))
    if demo == (persons is not None) or (not demo and posts is None):
        raise ParameterError(_("give PERSONS and POSTS, or --demo (not both)"))
    if points < 1:
        raise ParameterError(_("--points {value}: expected a whole number of at least 1").format(value=points))
    if demo_persons < 1:
        raise ParameterError(_("--persons {value}: expected a whole number of at least 1").format(value=demo_persons))
    if not (math.isfinite(time_limit) and time_limit > 0):
        raise ParameterError(_("--time-limit {value}: expected a positive number of seconds").format(value=time_limit))
    if not (math.isfinite(gap) and 0 <= gap < 1):
        raise ParameterError(_("--gap {value}: expected a share from 0 up to 1, e.g. 0.0001").format(value=gap))
    if demo:
        from jhmatch._cli_run import DEMO_POSTS_PER_PERSON
        from jhmatch.datasets import make_jinhua

        city = make_jinhua(n_persons=demo_persons, n_posts=max(40, round(DEMO_POSTS_PER_PERSON * demo_persons)),
                           seed=seed)
        pdf, qdf = city.persons, city.posts
    else:
        column_map = parse_column_map(maps)
        pdf = load(persons, "persons", sheet, column_map)  # type: ignore[arg-type]
        qdf = load(posts, "posts", sheet, column_map)  # type: ignore[arg-type]
    ungrouped = check_groups(pdf, by, persons.name if persons is not None else "demo")
    if ungrouped:
        typer.echo((ngettext(
            "note: {n} seeker has no county; they count in the city's placement rate but in no county's row.",
            "note: {n} seekers have no county; they count in the city's placement rate but in no county's row.",
            ungrouped) if by == "county" else ngettext(
            "note: {n} seeker has no disability category; they count in the city's placement rate but in no "
            "category's row.",
            "note: {n} seekers have no disability category; they count in the city's placement rate but in no "
            "category's row.", ungrouped)).format(n=ungrouped), err=True)
    if not quiet:
        typer.echo(_("scoring and solving {n} floors ...").format(n=points), err=True)
    problem = tradeoff_problem(pdf, qdf, year)
    curve = price_of_fairness(problem, by=by, points=points, time_limit=time_limit, gap=gap)
    lift = (lift_groups(problem, time_limit=max(time_limit / 4, 5.0), gap=min(gap, 1e-7)) if by == "county"
            else None)
    typer.echo(status_sentence(curve))
    with pd.option_context("display.unicode.east_asian_width", True, "display.width", 200, "display.max_rows", 200):
        typer.echo(points_table(curve).to_string(index=False))
    typer.echo(knee_sentence(curve))
    typer.echo(one_percent_sentence(curve))
    if lift is not None:
        typer.echo(lift_sentence(lift))
    out.mkdir(parents=True, exist_ok=True)
    written = [write_table(csv_table(curve), out / "tradeoff.csv"),
               write_sections_report(out, tradeoff_sections(curve, lift), title=_("The price of fairness"),
                                     status=status_sentence(curve), warn=any(p.status.value != "optimal"
                                                                             for p in curve.points),
                                     lang=get_language())]
    typer.echo(_("written: {folder} ({files})").format(folder=out, files=", ".join(p.name for p in written)))
    if not any(p.has_plan for p in curve.points):
        raise typer.Exit(EXIT_NO_PLAN)
    if any(p.status.value != "optimal" for p in curve.points):
        raise typer.Exit(EXIT_NOT_OPTIMAL)
