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
from jhmatch.i18n import N_, get_language, ngettext
from jhmatch.i18n import gettext as _

__all__ = ["check_groups", "seeker_mask", "tradeoff_command", "tradeoff_problem"]

DEMO_PERSONS = 5000
"""Persons of the demo city (the city of ``jhmatch demo``: 5,000 persons, 750 posts)."""


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
    from jhmatch.report.tradeoff import (
        csv_table,
        knee_sentence,
        lift_sentence,
        one_percent_sentence,
        points_table,
        status_sentence,
        tradeoff_sections,
    )

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
    note = ""
    if ungrouped:
        note = (ngettext(
            "note: {n} seeker has no county; they count in the city's placement rate but in no county's row.",
            "note: {n} seekers have no county; they count in the city's placement rate but in no county's row.",
            ungrouped) if by == "county" else ngettext(
            "note: {n} seeker has no disability category; they count in the city's placement rate but in no "
            "category's row.",
            "note: {n} seekers have no disability category; they count in the city's placement rate but in no "
            "category's row.", ungrouped)).format(n=ungrouped)
        typer.echo(note, err=True)
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
                                     status=("" if get_language() == "zh" else " ").join(
                                         filter(None, [status_sentence(curve), note])),
                                     warn=any(p.status.value != "optimal" for p in curve.points),
                                     lang=get_language())]
    typer.echo(_("written: {folder} ({files})").format(folder=out, files=", ".join(p.name for p in written)))
    if not any(p.has_plan for p in curve.points):
        raise typer.Exit(EXIT_NO_PLAN)
    if any(p.status.value != "optimal" for p in curve.points):
        raise typer.Exit(EXIT_NOT_OPTIMAL)
