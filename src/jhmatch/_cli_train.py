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

__all__ = ["train"]

SAMPLE = "sample"
"""The COURSES argument that means the packaged sample catalogue (:func:`jhmatch.training.load_sample_courses`)."""

TRAIN_TIME_LIMIT = 120.0
"""Default ``--time-limit`` of ``jhmatch train`` (scoring, the MILP and the measuring allocations)."""


def _shown(frame: Any) -> Any:
    """Numbers as planners read them: thousands separators, at most two decimals, "—" for none."""
    import pandas as pd

    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = [format_number(v, 0 if pd.notna(v) and float(v).is_integer() else 2) for v in out[col]]
        elif pd.api.types.is_integer_dtype(out[col]):
            out[col] = [format_number(float(v)) if pd.notna(v) else "—" for v in out[col]]
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
                           gap=plan.gap, solve_time=plan.seconds, backend=plan.method,
                           assignments=range(plan.placements_after))


def _write(out: Path, plan: Any, tables: dict[str, Any], lang: str, headline: str) -> list[Path]:
    from jhmatch._workbook import write_output
    from jhmatch.report import write_sections_report
    from jhmatch.training.report import training_sections

    out.mkdir(parents=True, exist_ok=True)
    paths = [write_output(tables[key], out / f"{key}.csv") for key in ("trainees", "by_course", "by_county")]
    paths.append(write_sections_report(out, training_sections(plan, lang, tables), title=_("Training plan"),
                                       status=headline, warn=plan.status.value != "optimal", lang=lang))
    return paths


@command(N_("Who to train, in which course, within a budget: one optimisation over the allocation itself "
            "(persons holding the courses' certificates and skills), with each trainee's explanation, the "
            "placements without and with training, and the placements each 10,000 yuan buys per course and per "
            "county."),
         N_("Exit code: 0 proven optimal, 3 a plan not proven optimal (time limit or the greedy method), 4 no plan, "
            "2 bad input; the first output line states the status."),
         N_("Example: jhmatch scenario c --persons 2000 --posts 300 --courses, then jhmatch train c/persons.csv "
            "c/posts.csv c/courses.csv --budget 200000 --out training/ --lang zh (or sample instead of c/courses.csv)."))
@_guard
def train(
    persons: Annotated[Path, typer.Argument(metavar=N_("PERSONS"), help=N_("Persons table."))],
    posts: Annotated[Path, typer.Argument(metavar=N_("POSTS"), help=N_("Posts table."))],
    courses: Annotated[Path, typer.Argument(metavar=N_("COURSES"), help=N_(
        "Courses table (course id, name, certificates and skills granted, cost, seats, county, accessible "
        "categories), or the word sample for the packaged sample catalogue of 14 courses (a file named sample: "
        "./sample)."))],
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
    from jhmatch.training import greedy_training, load_sample_courses, plan_training, validate_courses
    from jhmatch.training.courses import require_costs
    from jhmatch.training.report import training_tables

    check_time_limit(time_limit)
    if method not in ("milp", "greedy"):
        raise ParameterError(_("--method {value}: expected milp or greedy").format(value=method))
    if not budget >= 0 or budget == float("inf"):
        raise ParameterError(_("--budget {value}: expected a number of yuan, 0 or more").format(value=budget))
    column_map = parse_column_map(maps)
    pdf = load(persons, "persons", sheet, column_map)
    qdf = load(posts, "posts", sheet, column_map)
    if str(courses) == SAMPLE:
        cdf = load_sample_courses()
    else:
        raw = read_table(courses, sheet=sheet) if sheet is not None else read_table(courses)
        cdf = validate_courses(raw, str(courses), column_map or None)
        require_costs(cdf, str(courses))
    planner = plan_training if method == "milp" else greedy_training
    plan = planner(pdf, qdf, cdf, budget=budget, time_limit=time_limit)
    state = _status(plan)
    headline = status_line(state, subject=_("training plan"))
    typer.echo(headline)
    typer.echo(plan.status_line())
    tables = training_tables(plan)
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
