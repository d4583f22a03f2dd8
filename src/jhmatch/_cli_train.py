"""The ``train`` command: who to train in which course under a budget (see :mod:`jhmatch.cli`).

The work is done by :func:`jhmatch.training.plan_training` (or the greedy baseline);
this module reads the tables, prints the status line first, the trainees with their
explanation and the marginal placements per 10,000 yuan per course and per county,
and writes them with an HTML page (:func:`jhmatch.report.write_sections_report`).
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Annotated, Any

import typer

from jhmatch._cli_tables import LangOption, MapOption, SheetOption, load, parse_column_map
from jhmatch.cli import _guard, check_time_limit, command
from jhmatch.errors import ParameterError
from jhmatch.i18n import N_, format_number
from jhmatch.i18n import gettext as _

__all__ = ["presented_tables", "train"]

TRAIN_TIME_LIMIT = 120.0
"""Default ``--time-limit`` of ``jhmatch train`` (scoring, the MILP and the measuring allocations)."""

TRAINEE_HEADERS = {"person": N_("person"), "county": N_("county of residence"), "course": N_("course"),
                   "cost": N_("cost (yuan)"), "post": N_("post it unlocks"), "score": N_("score before → after"),
                   "placed": N_("placed on"), "explanation": N_("explanation")}
COURSE_HEADERS = {"course": N_("course"), "cost": N_("cost per seat (yuan)"), "seats": N_("seats"),
                  "trainees": N_("trainees"), "spent": N_("yuan spent"),
                  "placements_lost": N_("placements lost without them"),
                  "per_10k": N_("placements per 10,000 yuan")}
COUNTY_HEADERS = {"county": N_("county"), "trainees": N_("trainees"), "spent": N_("yuan spent"),
                  "placements_lost": N_("placements lost without them"),
                  "per_10k": N_("placements per 10,000 yuan")}


def _headers(frame: Any, labels: dict[str, str]) -> Any:
    return frame.rename(columns={k: _(v) for k, v in labels.items()})


def presented_tables(plan: Any) -> dict[str, Any]:
    """The plan's three tables for planners: headers and counties in the current language, IDs masked.

    Keys ``trainees``, ``by_course``, ``by_county``.
    """
    import pandas as pd

    from jhmatch.data.ids import scrub_series
    from jhmatch.training.wording import county_name

    t = plan.trainees
    score = [f"{b:.2f} → {a:.2f}" if pd.notna(a) else "" for b, a in zip(t["score_before"], t["score_after"],
                                                                         strict=True)]
    trainees = pd.DataFrame({
        "person": scrub_series(t["person_id"].astype(object)), "county": [county_name(c) for c in t["county"]],
        "course": (t["course_id"].astype(str) + " " + t["course"].astype(str)).to_numpy(), "cost": t["cost"],
        "post": [f"{p} {q}".strip() if isinstance(p, str) else "" for p, q in zip(t["post_id"], t["post"].fillna(""),
                                                                                  strict=True)],
        "score": score, "placed": t["placed_post_id"].fillna("").astype(str),
        "explanation": scrub_series(t["explanation"].astype(object))})
    c = plan.by_course
    by_course = pd.DataFrame({"course": (c["course_id"].astype(str) + " " + c["course"].astype(str)).to_numpy(),
                              "cost": c["cost"], "seats": c["seats"].where(c["seats"] < float("inf")),
                              "trainees": c["trainees"], "spent": c["spent"], "placements_lost": c["placements_lost"],
                              "per_10k": c["per_10k"]})
    r = plan.by_county
    by_county = pd.DataFrame({"county": [county_name(x) for x in r["county"]], "trainees": r["trainees"],
                              "spent": r["spent"], "placements_lost": r["placements_lost"], "per_10k": r["per_10k"]})
    return {"trainees": _headers(trainees, TRAINEE_HEADERS), "by_course": _headers(by_course, COURSE_HEADERS),
            "by_county": _headers(by_county, COUNTY_HEADERS)}


def _shown(frame: Any) -> Any:
    """Numbers as planners read them: thousands separators, at most two decimals, "—" for none."""
    import pandas as pd

    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = [format_number(v, 0 if pd.notna(v) and float(v).is_integer() else 2) for v in out[col]]
    return out


def _echo(frame: Any) -> None:
    import pandas as pd

    frame = _shown(frame)
    with pd.option_context("display.unicode.east_asian_width", True, "display.width", 250,
                           "display.max_colwidth", 90, "display.max_rows", 500):
        typer.echo(frame.to_string(index=False) if len(frame) else _("(none)"))


def _status(plan: Any) -> SimpleNamespace:
    """The plan as :func:`jhmatch.report.status.status_line` and ``exit_code`` read it."""
    objective = plan.value_after if plan.allocation.ok else float("nan")
    return SimpleNamespace(status=plan.status.value, objective=objective,
                           gap=plan.gap, solve_time=plan.seconds, assignments=list(range(len(plan.trainees))))


def _figure(plan: Any, lang: str) -> bytes | None:
    """Placements per 10,000 yuan of each course with trainees, as horizontal bars (None: nothing to draw)."""
    from jhmatch.i18n import language
    from jhmatch.report import figures

    rows = plan.by_course[(plan.by_course["trainees"] > 0) & plan.by_course["per_10k"].notna()]
    if rows.empty:
        return None
    fig_lang = figures.figure_language(lang)
    with language(fig_lang), figures.figure_style():
        fig, ax = figures.pyplot().subplots(figsize=(7.0, 0.35 * len(rows) + 1.3))
        names = rows["course_id"].astype(str) + (" " + rows["course"].astype(str) if fig_lang == "zh" else "")
        ax.barh(names.tolist()[::-1], rows["per_10k"].to_numpy(dtype=float)[::-1], color="#2b7bba")
        ax.set_xlabel(_("placements per 10,000 yuan"))
        ax.set_title(_("What the money spent on each course bought"), fontsize=10)
        ax.spines[["top", "right"]].set_visible(False)
        return figures.to_png(fig)


def _write(out: Path, plan: Any, tables: dict[str, Any], lang: str, headline: str) -> list[Path]:
    from jhmatch._workbook import write_output
    from jhmatch.report import write_sections_report
    from jhmatch.report.sections import ReportSection

    out.mkdir(parents=True, exist_ok=True)
    paths = [write_output(tables[key], out / f"{key}.csv") for key in ("trainees", "by_course", "by_county")]
    sections = [
        ReportSection("trainees", _("Who to train, in which course"), lead=plan.status_line(),
                      table=tables["trainees"]),
        ReportSection("courses", _("Marginal placements per course"), lead=_(
            "Placements lost when a course's trainees are not trained (everyone else's training kept), per 10,000 "
            "yuan spent on them."), table=tables["by_course"], figure=_figure(plan, lang)),
        ReportSection("counties", _("Marginal placements per county"), lead=_(
            "The same, for the trainees living in each county."), table=tables["by_county"]),
    ]
    paths.append(write_sections_report(out, sections, title=_("Training plan"), status=headline,
                                       warn=plan.status.value != "optimal", lang=lang))
    return paths


@command(N_("Who to train, in which course, within a budget: one optimisation over the allocation itself "
            "(persons holding the courses' certificates and skills), with each trainee's explanation, the "
            "placements without and with training, and the placements each 10,000 yuan buys per course and per "
            "county."),
         N_("Exit code: 0 proven optimal, 3 a plan not proven optimal (time limit or the greedy method), 4 no plan, "
            "2 bad input; the first output line states the status."),
         N_("Example: jhmatch train persons.csv posts.csv courses.csv --budget 200000 --out training/ --lang zh"))
@_guard
def train(
    persons: Annotated[Path, typer.Argument(metavar=N_("PERSONS"), help=N_("Persons table."))],
    posts: Annotated[Path, typer.Argument(metavar=N_("POSTS"), help=N_("Posts table."))],
    courses: Annotated[Path, typer.Argument(metavar=N_("COURSES"), help=N_(
        "Courses table (course id, name, certificates and skills granted, cost, seats, county, accessible "
        "categories)."))],
    budget: Annotated[float, typer.Option(metavar=N_("YUAN"), help=N_("Training budget in yuan."))],
    out: Annotated[Path | None, typer.Option(metavar=N_("FOLDER"), help=N_(
        "Write the tables (CSV) and an HTML page here."))] = None,
    time_limit: Annotated[float, typer.Option(metavar=N_("SECONDS"), help=N_(
        "Most seconds the plan may take; when reached, the best plan found is given with an honest status."))]
    = TRAIN_TIME_LIMIT,
    method: Annotated[str, typer.Option(metavar=N_("METHOD"), help=N_(
        "milp (the optimisation) or greedy (the most-common-gap baseline, for comparison)."))] = "milp",
    lang: LangOption = None,
    maps: MapOption = None,
    sheet: SheetOption = None,
) -> None:
    from jhmatch.data.io import read_table
    from jhmatch.i18n import get_language
    from jhmatch.report.status import exit_code, status_line
    from jhmatch.training import greedy_training, plan_training, validate_courses

    check_time_limit(time_limit)
    if method not in ("milp", "greedy"):
        raise ParameterError(_("--method {value}: expected milp or greedy").format(value=method))
    if not budget >= 0 or budget == float("inf"):
        raise ParameterError(_("--budget {value}: expected a number of yuan, 0 or more").format(value=budget))
    column_map = parse_column_map(maps)
    pdf = load(persons, "persons", sheet, column_map)
    qdf = load(posts, "posts", sheet, column_map)
    raw = read_table(courses, sheet=sheet) if sheet is not None else read_table(courses)
    cdf = validate_courses(raw, str(courses), column_map or None)
    planner = plan_training if method == "milp" else greedy_training
    plan = planner(pdf, qdf, cdf, budget=budget, time_limit=time_limit)
    state = _status(plan)
    headline = status_line(state, subject=_("training plan"))
    typer.echo(headline)
    typer.echo(plan.status_line())
    tables = presented_tables(plan)
    typer.echo("")
    typer.echo(_("Trainees:"))
    _echo(tables["trainees"])
    typer.echo("")
    typer.echo(_("Marginal placements per 10,000 yuan, by course:"))
    _echo(tables["by_course"])
    typer.echo("")
    typer.echo(_("Marginal placements per 10,000 yuan, by county:"))
    _echo(tables["by_county"])
    if out is not None:
        paths = _write(out, plan, tables, get_language(), headline)
        typer.echo(_("written: {folder} ({files})").format(folder=out, files=", ".join(p.name for p in paths)))
    typer.echo(_("placements: {before} without training, {after} with it ({gain:+d})").format(
        before=format_number(plan.placements_before), after=format_number(plan.placements_after), gain=plan.gain))
    code = exit_code(state)
    if code:
        raise typer.Exit(code)
