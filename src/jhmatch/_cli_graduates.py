"""The office's training commands: ``graduates`` (the 一人一策 ledger) and ``training-progress`` (targets).

See :mod:`jhmatch.cli`; the work is done by :func:`jhmatch.training.graduate_ledger` and
:func:`jhmatch.training.training_progress`. Training progress is its own command: its
input (the completed trainings) is not the graduates', and an office runs it on its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from jhmatch._cli_tables import LangOption, MapOption, SheetOption, load, parse_column_map
from jhmatch._output_labels import county_name
from jhmatch.cli import _guard, command, read_for_progress
from jhmatch.i18n import N_
from jhmatch.i18n import gettext as _

__all__ = ["graduates", "training_progress_command"]


def _read(path: Path, sheet: str | None) -> Any:
    from jhmatch.data.io import read_table

    frame = read_table(path, sheet=sheet) if sheet is not None else read_table(path)
    frame.attrs.setdefault("source", str(path))
    return frame


def _join(items: Any) -> str:
    return _(", ").join(str(i) for i in items)


def _echo_table(frame: Any) -> None:
    import pandas as pd

    with pd.option_context("display.unicode.east_asian_width", True, "display.width", 200,
                           "display.max_colwidth", 40, "display.max_rows", 200):
        typer.echo(frame.to_string(index=False))


@command(N_("The one person, one plan ledger of disabled university graduates (PLAN §二(八)): for each graduate "
            "the recommended posts, the courses that open more posts, the policies that apply, the four ones "
            "services done and the status, written as an Excel workbook for the office (ID numbers masked)."),
         N_("Example: jhmatch graduates persons.csv posts.csv --courses courses.csv --allocation out/allocation.csv "
            "--out ledger.xlsx"))
@_guard
def graduates(
    persons: Annotated[Path, typer.Argument(metavar=N_("PERSONS"), help=N_("Persons table."))],
    posts: Annotated[Path, typer.Argument(metavar=N_("POSTS"), help=N_("Posts table."))],
    out: Annotated[Path, typer.Option(metavar=N_("FILE"), help=N_(
        "Write the ledger here: .xlsx (a workbook with a title row) or .csv."))],
    courses: Annotated[Path | None, typer.Option(metavar=N_("FILE"), help=N_(
        "Courses table: the courses that would open more posts."))] = None,
    allocation: Annotated[Path | None, typer.Option(metavar=N_("FILE"), help=N_(
        "Allocation (person and post ids), e.g. allocation.csv from 'jhmatch allocate': who is placed."))] = None,
    services: Annotated[Path | None, typer.Option(metavar=N_("FILE"), help=N_(
        "The four ones services by person id (基础信息核对, 职业能力评估, 就业需求登记, 就业服务: yes/no or a date), "
        "when they are not columns of the persons table."))] = None,
    employers: Annotated[Path | None, typer.Option(metavar=N_("FILE"), help=N_(
        "Employers table, for the employers' names."))] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", metavar=N_("DATE"), help=N_(
        "Date of the ledger, e.g. 2025-06-30 (default: today)."))] = None,
    county: Annotated[str | None, typer.Option(metavar=N_("COUNTY"), help=N_(
        "Only this county's graduates in the workbook (name or code)."))] = None,
    k: Annotated[int, typer.Option("--posts", metavar=N_("N"), min=1, max=50, help=N_(
        "Posts recommended per graduate."))] = 5,
    lang: LangOption = None,
    maps: MapOption = None,
    sheet: SheetOption = None,
) -> None:
    from jhmatch.outputs import write_output
    from jhmatch.policy.targets import PLAN_YEARS
    from jhmatch.training import graduate_ledger, validate_courses
    from jhmatch.training.ledger import STATUSES

    when = _date_option(as_of, "--as-of")  # arguments first: a typo is said before any work
    code = _county_option(county)
    pdf, qdf, assign, _goals = read_for_progress(persons, posts, allocation, None, None, maps, sheet)
    cdf = validate_courses(_read(courses, sheet), str(courses)) if courses is not None else None
    sdf = _read(services, sheet) if services is not None else None
    edf = load(employers, "employers", sheet, parse_column_map(maps)) if employers is not None else None
    led = graduate_ledger(pdf, qdf, courses=cdf, allocation=assign, services=sdf, employers=edf, as_of=when, k=k)
    shown = led if code is None else led.for_county(code)
    where = _("whole city") if code is None else county_name(code)
    typer.echo(_("{n} graduates in the ledger ({county}, date {date}; four ones services of {year})").format(
        n=len(shown), county=where, date=led.as_of.date(), year=led.as_of.year))
    if led.as_of.year > PLAN_YEARS[1]:
        typer.echo(_("note: {year} is after the plan's last year ({end}); give {option} {end}-12-31 to assess "
                     "the plan's last year").format(year=led.as_of.year, end=PLAN_YEARS[1], option="--as-of"))
    counts = shown.counts()
    for status, label in STATUSES.items():
        typer.echo(_("  {status}: {n}").format(status=_(label), n=counts[status]))
    if out.suffix.lower() in (".xlsx", ".xlsm"):
        path = shown.write_excel(out, county=code)
    else:
        path = write_output(shown.to_frame(), out, sheet=_("graduate ledger"))
    typer.echo(_("written: {file}").format(file=path))


def _date_option(value: str | None, option: str) -> Any:
    """The date of a command-line option, or a Chinese/English error naming the option and the value."""
    import pandas as pd

    from jhmatch.errors import ParameterError

    if value is None:
        return None
    try:
        when = pd.Timestamp(str(value).strip())
    except (ValueError, TypeError, OverflowError):
        when = pd.NaT
    if pd.isna(when):
        raise ParameterError(_("option {option}: '{value}' is not a date (expected year-month-day, e.g. 2025-06-30)")
                             .format(option=option, value=value))
    return when.normalize()


def _county_option(value: str | None) -> str | None:
    """The county code of ``--county`` (name or code), or an error naming the option."""
    from jhmatch.errors import ParameterError, UnknownLabelError
    from jhmatch.taxonomy import region

    if value is None:
        return None
    try:
        return region(value).code
    except UnknownLabelError as exc:
        raise ParameterError(_("option --county: {message}").format(message=str(exc))) from None


@command(N_("Training progress against targets: persons trained and trainings, city-wide and per county, the "
            "share of rural low-income persons among them (PLAN §二(七)), by disability category and by format, "
            "compared with the goals of a targets file (e.g. 培训人数, 东阳, 1300)."),
         N_("Example: jhmatch training-progress trained.csv persons.csv --targets targets.csv --out progress.xlsx"),
         name="training-progress")
@_guard
def training_progress_command(
    trained: Annotated[Path, typer.Argument(metavar=N_("TRAINED"), help=N_(
        "Completed trainings: person id, course id, date completed (and county, format)."))],
    persons: Annotated[Path, typer.Argument(metavar=N_("PERSONS"), help=N_("Persons table."))],
    targets: Annotated[Path | None, typer.Option(metavar=N_("FILE"), help=N_(
        "Targets file (CSV, Excel or TOML), training targets named 培训人数, 培训人次 or "
        "农村低收入残疾人培训占比."))] = None,
    courses: Annotated[Path | None, typer.Option(metavar=N_("FILE"), help=N_(
        "Courses table, for the format of each training."))] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", metavar=N_("DATE"), help=N_(
        "Count trainings completed up to this date (default: today)."))] = None,
    county: Annotated[bool, typer.Option("--county", metavar="", help=N_("Also list every county's rows."))] = False,
    out: Annotated[Path | None, typer.Option(metavar=N_("FILE"), help=N_(
        "Write the progress here: .xlsx (targets, by county, by category, by format) or .csv (targets)."))] = None,
    lang: LangOption = None,
    maps: MapOption = None,
    sheet: SheetOption = None,
) -> None:
    from jhmatch.outputs import write_output, write_workbook
    from jhmatch.training import training_progress, training_targets, validate_courses, validate_trained

    when = _date_option(as_of, "--as-of")
    pdf = load(persons, "persons", sheet, parse_column_map(maps))
    raw = _read(trained, sheet)
    tdf = validate_trained(raw, str(trained))
    cdf = validate_courses(_read(courses, sheet), str(courses)) if courses is not None else None
    goals = training_targets(targets) if targets is not None else None
    pr = training_progress(raw if courses is not None else tdf, pdf, goals, as_of=when, courses=cdf)
    typer.echo(_("trainings counted up to {date}: {n} ({m} outside the plan period or later, not counted)").format(
        date=pr.as_of.date(), n=pr.counted, m=pr.not_counted))
    targeted = pr.targeted_counties()
    if targeted and not county:
        typer.echo(_("the targets file has county goals: {counties}; their rows are shown below (--county lists "
                     "every county)").format(counties=_join(county_name(c) for c in targeted)))
    if pr.unknown_persons:
        typer.echo(_("{n} persons of the trained table are not in the persons table (e.g. {ids}): their trainings "
                     "are counted under the county of the row (else unknown), and left out of the rural low-income "
                     "share").format(n=pr.unknown_persons, ids=_join(pr.unknown_examples)))
    shown = True if county else None
    _echo_table(pr.display(counties=shown))
    if out is None:
        return
    if out.suffix.lower() in (".xlsx", ".xlsm"):
        path = write_workbook({_("training targets"): pr.sheet(counties=shown),
                               _("by county"): _groups(pr.by_county, "county"),
                               _("by category"): _groups(pr.by_category, "category"),
                               _("by format"): _groups(pr.by_format, "format")}, out)
    else:
        path = write_output(pr.sheet(counties=shown), out)
    typer.echo(_("written: {file}").format(file=path))


_GROUP_HEADERS = {"county": N_("county"), "category": N_("disability category"), "format": N_("training format"),
                  "persons": N_("persons trained"), "trainings": N_("trainings (person-times)"),
                  "rural_low_income": N_("rural low-income persons trained"),
                  "rural_low_income_share": N_("share rural low-income")}


def _groups(frame: Any, key: str) -> Any:
    """A breakdown table with planner's names: county names, category and format labels, translated headers."""
    from jhmatch._output_labels import county_name
    from jhmatch.i18n import format_percent, get_language
    from jhmatch.report.labels import category_name
    from jhmatch.training import FORMATS

    unknown = _("unknown")
    if key == "county":
        names = [unknown if v == "unknown" else county_name(v) for v in frame[key]]
    elif key == "category":
        names = [unknown if v == "unknown" else category_name(v) for v in frame[key]]
    else:
        names = [unknown if v == "unknown" else (FORMATS[v][0] if get_language() == "zh" else v.replace("_", " "))
                 for v in frame[key]]
    out = frame.assign(**{key: names, "rural_low_income_share": [
        "—" if v != v else format_percent(v) for v in frame["rural_low_income_share"]]})
    return out.rename(columns={c: _(h) for c, h in _GROUP_HEADERS.items()})
