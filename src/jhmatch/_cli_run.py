"""The commands that solve: ``allocate``, ``demo``, ``plan-posts`` and ``recommend`` (see :mod:`jhmatch.cli`)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any

import typer

from jhmatch._cli_progress import Steps
from jhmatch._cli_tables import (
    SAME_PERSON,
    AllowDuplicatesOption,
    AllowMissingOption,
    FormatOption,
    LangOption,
    MapOption,
    QuietOption,
    SheetOption,
    allowed_missing,
    check_key_columns,
    load,
    parse_column_map,
)
from jhmatch.cli import (
    DEFAULT_TIME_LIMIT,
    EXIT_INFEASIBLE,
    EXIT_OK,
    _guard,
    _short,
    _worst,
    check_format,
    check_time_limit,
    command,
    out_file,
)
from jhmatch.data.ids import scrub
from jhmatch.errors import ParameterError
from jhmatch.i18n import N_, format_number
from jhmatch.i18n import gettext as _
from jhmatch.report.status import exit_code, has_plan, status_line

DEMO_POSTS_PER_PERSON = 0.15
"""The demo city offers about 0.4 openings per person (0.15 posts × 2.8 places), fewer than there
are seekers, so the allocation has to choose, as Jinhua's offices do."""

_EXIT_HELP = N_("Exit code: 0 optimal plan (or optimal within --gap), 1 infeasible (or a target not met with "
                "--strict), 2 bad input, 3 feasible plan not proven optimal (time limit or heuristic method), 4 no "
                "plan (time limit reached or solver failed before any plan); the first output line states the "
                "status.")

TimeLimitOption = Annotated[float, typer.Option(metavar=N_("SECONDS"), help=N_(
    "Most seconds the solver may take; when reached, the best plan found is given with an honest status "
    "(exit code 3, or 4 without any plan)."))]
MethodOption = Annotated[str, typer.Option(metavar=N_("METHOD"), help=N_(
    "auto, flow, milp, lap, greedy or stable."))]
EmployersOption = Annotated[Path | None, typer.Option(metavar=N_("FILE"), help=N_(
    "Employers table, for employer names in the outputs (optional)."))]


def _read(steps: Steps, persons: Path, posts: Path, employers: Path | None, sheet: str | None,
          column_map: dict[str, str] | None, allow: set[str] | None = None) -> tuple[Any, Any, Any]:
    """The "read" step of a solving command: persons (key columns checked when ``allow`` is a set),
    posts and, when given, employers."""
    steps.start("read")
    pdf = load(persons, "persons", sheet, column_map, allow_missing=allow)
    qdf = load(posts, "posts", sheet, column_map)
    edf = load(employers, "employers", sheet, column_map) if employers is not None else None
    steps.done("read", persons=len(pdf), posts=len(qdf))
    return pdf, qdf, edf


def _check_gap(gap: float | None) -> None:
    if gap is not None and not (math.isfinite(gap) and 0 <= gap < 1):
        raise ParameterError(_("--gap {value}: expected a share between 0 and 1, e.g. 0.01").format(value=gap))


def _print_run(run: Any, out: Path, paths: dict[str, Path], plan: Any = None) -> None:
    typer.echo(status_line(run.allocation))
    if plan is not None and exit_code(plan) != EXIT_OK:
        typer.echo(status_line(plan, subject=_("reserved-post plan")))
    typer.echo(run.summary_text())
    typer.echo("")
    names = sorted({str(p.relative_to(out)) for p in paths.values()})
    typer.echo(_("written: {folder} ({files})").format(folder=out, files=", ".join(names)))


@command(N_("Allocate persons to posts under the rules; write the allocation, summaries and report."), N_("The key columns of the persons table (county, willing, graduate, low_income, household_id) must "
                 "be present and filled; --allow-missing COLUMN goes on without one."), N_("Example: jhmatch allocate persons.csv posts.csv --rules rules.toml --time-limit 60 --out out/ "
                 "--format xlsx"), _EXIT_HELP)
@_guard
def allocate(
    persons: Annotated[Path, typer.Argument(metavar=N_("PERSONS"),
                                            help=N_("Persons table (CSV, Excel or Parquet)."))],
    posts: Annotated[Path, typer.Argument(metavar=N_("POSTS"), help=N_("Posts table."))],
    rules: Annotated[Path | None, typer.Option(metavar=N_("FILE"), help=N_(
        "Rules file (TOML); default: the plan's rules."))] = None,
    method: MethodOption = "auto",
    time_limit: TimeLimitOption = DEFAULT_TIME_LIMIT,
    gap: Annotated[float | None, typer.Option(metavar=N_("SHARE"), help=N_(
        "Relative optimality gap at which to stop, e.g. 0.01."))] = None,
    out: Annotated[Path, typer.Option(metavar=N_("FOLDER"), help=N_("Output folder."))] = Path("jhmatch-output"),
    format: FormatOption = "csv",
    report: Annotated[bool, typer.Option(metavar="", help=N_("Write the HTML report."))] = True,
    year: Annotated[int, typer.Option(metavar=N_("YEAR"), help=N_(
        "Year of the plan-progress assessment."))] = 2025,
    strict: Annotated[bool, typer.Option(metavar="", help=N_(
        "Exit with code 1 when a plan target is not met."))] = False,
    employers: EmployersOption = None,
    allow_missing: AllowMissingOption = None,
    allow_duplicates: AllowDuplicatesOption = False,
    lang: LangOption = None,
    quiet: QuietOption = False,
    maps: MapOption = None,
    sheet: SheetOption = None,
) -> None:
    from jhmatch.pipeline import run_plan
    from jhmatch.rules import load_rules

    check_time_limit(time_limit)
    check_format(format)
    _check_gap(gap)
    allow = allowed_missing(allow_missing) | ({SAME_PERSON} if allow_duplicates else set())
    column_map = parse_column_map(maps)
    with Steps(5, quiet) as steps:
        pdf, qdf, edf = _read(steps, persons, posts, employers, sheet, column_map, allow)
        rule_set = load_rules(rules) if rules is not None else None
        run = run_plan(pdf, qdf, rules=rule_set, method=method, time_limit=time_limit, gap=gap, year=year,
                       on_step=steps)
        steps.start("write")
        paths = run.write(out, report=report, format=format, employers=edf)
        steps.done("write", files=len(set(paths.values())))
    _print_run(run, out, paths)
    if run.allocation.diagnosis is not None:
        typer.echo(_("diagnosis: {text}").format(text=_short(str(run.allocation.diagnosis))), err=True)
    code = exit_code(run.allocation)
    if code != EXIT_OK:
        raise typer.Exit(code)
    if strict and len(run.progress.unmet()):
        raise typer.Exit(EXIT_INFEASIBLE)


@command(N_("Run the main job on the built-in Jinhua demo scenario and write the results."), N_("Builds a synthetic Jinhua (9 counties, every post kind of the plan), scores person-post "
                 "compatibility, allocates under the plan's rules (graduates, households in difficulty, county and "
                 "category floors), measures the plan's targets, plans reserved posts, places unplaced seekers "
                 "across counties, prints a summary per county and writes the tables and an HTML report."), N_("Example: jhmatch demo --persons 20000 --lang zh --format xlsx"), _EXIT_HELP)
@_guard
def demo(
    out: Annotated[Path, typer.Option(metavar=N_("FOLDER"), help=N_("Output folder."))] = Path(
        "jhmatch-demo-output"),
    persons: Annotated[int, typer.Option("--persons", "-n", metavar=N_("NUMBER"), help=N_(
        "Job seekers in the synthetic city."))] = 5000,
    seed: Annotated[int, typer.Option(metavar=N_("NUMBER"), help=N_("Random seed of the synthetic city."))] = 0,
    method: MethodOption = "auto",
    time_limit: TimeLimitOption = DEFAULT_TIME_LIMIT,
    format: FormatOption = "csv",
    allow_missing: AllowMissingOption = None,
    lang: LangOption = None,
    quiet: QuietOption = False,
) -> None:
    from jhmatch.data.schema import validate_persons
    from jhmatch.datasets import make_jinhua
    from jhmatch.outputs import OutputFolder, chain_tables, reserved_tables
    from jhmatch.pipeline import chain_flows, cross_county_chain, plan_posts, run_plan

    check_time_limit(time_limit)
    check_format(format)
    if persons < 1:
        raise ParameterError(_("--persons {value}: expected a positive number").format(value=persons))
    allow = allowed_missing(allow_missing)
    with Steps(7, quiet) as steps:
        steps.start("scenario")
        city = make_jinhua(n_persons=persons, n_posts=max(40, round(DEMO_POSTS_PER_PERSON * persons)), seed=seed)
        pdf = validate_persons(city.persons)
        check_key_columns(pdf, "demo", allow)
        steps.done("scenario", persons=len(pdf), posts=len(city.posts))
        run = run_plan(pdf, city.posts, method=method, time_limit=time_limit, on_step=steps)
        plan = plan_posts(run.persons, run.posts, run.scores, time_limit=time_limit, on_step=steps)
        steps.start("chain")
        chain = cross_county_chain(run, city.employers)
        steps.done("chain", placed=chain.total_placed)
        steps.start("write")
        with OutputFolder(out, format=format, run="demo") as folder:
            run.write_into(folder, chain=chain_flows(chain, city.employers), employers=city.employers)
            if has_plan(plan):  # never an all-zero table presented as a plan
                for key, table in reserved_tables(plan, run.persons, run.posts, city.employers).items():
                    folder.table(key, table)
            for key, table in chain_tables(chain, run.persons, city.employers).items():
                folder.table(key, table)
        steps.done("write", files=len(set(folder.paths.values())))
    from jhmatch.report.text import plan_text

    _print_run(run, out, folder.paths, plan)
    typer.echo("")
    typer.echo(plan_text(plan))
    typer.echo("")
    typer.echo(_("cross-county quota employment: {placed} unplaced seekers placed with employers short of quota; "
                 "employment security fund saved {fund} yuan, intermediary fees {fees} yuan").format(
        placed=format_number(chain.total_placed), fund=format_number(chain.fund_saved),
        fees=format_number(chain.fees)))
    code = _worst(exit_code(run.allocation), exit_code(plan))
    if code != EXIT_OK:
        raise typer.Exit(code)


@command(N_("Decide how many reserved posts of each kind to open in each county, and who would fill them."),
         N_("Example: jhmatch plan-posts persons.csv posts.csv --spacing exempt --out out/"),
         N_("Exit code: 0 optimal plan, 1 infeasible, 2 bad input, 3 feasible plan not proven optimal (time limit), 4 "
            "no plan (time limit reached before any plan); the first output line states the status."),
         name="plan-posts")
@_guard
def plan_posts_command(
    persons: Annotated[Path, typer.Argument(metavar=N_("PERSONS"), help=N_("Persons table."))],
    posts: Annotated[Path, typer.Argument(metavar=N_("POSTS"), help=N_(
        "Posts table: posts of reserved kinds are the candidate sites."))],
    spacing: Annotated[str, typer.Option(metavar=N_("RULE"), help=N_(
        "Tobacco-outlet spacing for disabled applicants: reduced, exempt or none."))] = "reduced",
    tobacco: Annotated[int | None, typer.Option(metavar=N_("NUMBER"), help=N_(
        "Minimum tobacco outlets (default: the plan's 300 for the whole city)."))] = None,
    time_limit: TimeLimitOption = DEFAULT_TIME_LIMIT,
    out: Annotated[Path, typer.Option(metavar=N_("FOLDER"), help=N_("Output folder."))] = Path("jhmatch-output"),
    format: FormatOption = "csv",
    employers: EmployersOption = None,
    lang: LangOption = None,
    quiet: QuietOption = False,
    maps: MapOption = None,
    sheet: SheetOption = None,
) -> None:
    from jhmatch.outputs import OutputFolder, reserved_tables
    from jhmatch.pipeline import plan_posts
    from jhmatch.report.text import plan_text

    check_time_limit(time_limit)
    check_format(format)
    if tobacco is not None and tobacco < 0:
        raise ParameterError(_("--tobacco {value}: expected a number of outlets >= 0").format(value=tobacco))
    column_map = parse_column_map(maps)
    with Steps(4, quiet) as steps:
        pdf, qdf, edf = _read(steps, persons, posts, employers, sheet, column_map)
        plan = plan_posts(pdf, qdf, targets=None if tobacco is None else {"tobacco_outlet": tobacco},
                          spacing=spacing, time_limit=time_limit, on_step=steps)
        steps.start("write")
        with OutputFolder(out, format=format, workbook="reserved_posts.xlsx", run="plan-posts") as folder:
            if has_plan(plan):
                for key, table in reserved_tables(plan, pdf, qdf, edf).items():
                    folder.table(key, table)
        steps.done("write", files=len(set(folder.paths.values())))
    typer.echo(plan_text(plan))
    if folder.paths:
        typer.echo(_("written: {file}").format(file=", ".join(sorted({str(p) for p in folder.paths.values()}))))
    if exit_code(plan) != EXIT_OK:
        raise typer.Exit(exit_code(plan))


@command(N_("Top-k posts for every person (or top-k candidates for every post) to a file, with names, "
                 "titles, employers, counties and kinds."), N_("Example: jhmatch recommend persons.csv posts.csv -k 5 --out top5.xlsx"))
@_guard
def recommend(
    persons: Annotated[Path, typer.Argument(metavar=N_("PERSONS"), help=N_("Persons table."))],
    posts: Annotated[Path, typer.Argument(metavar=N_("POSTS"), help=N_("Posts table."))],
    k: Annotated[int, typer.Option("-k", metavar=N_("NUMBER"), help=N_("How many recommendations each."))] = 10,
    for_posts: Annotated[bool, typer.Option("--for-posts", metavar="", help=N_(
        "Recommend candidates for each post instead."))] = False,
    max_per_kind: Annotated[int | None, typer.Option(metavar=N_("NUMBER"), help=N_(
        "At most this many posts of one kind per person."))] = None,
    out: Annotated[Path, typer.Option(metavar=N_("FILE"), help=N_(
        "Output file (.csv, .xlsx or .parquet)."))] = Path("recommendations.csv"),
    format: Annotated[str | None, typer.Option("--format", metavar=N_("FORMAT"), help=N_(
        "xlsx: write an Excel workbook (default: from the file name)."))] = None,
    employers: EmployersOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", metavar="", help=N_("Print nothing on success."))] = False,
    lang: LangOption = None,
    maps: MapOption = None,
    sheet: SheetOption = None,
) -> None:
    from jhmatch.matching import CompatibilityScorer, top_persons, top_posts
    from jhmatch.outputs import SHEETS, recommendation_table, write_output

    if format is not None:
        check_format(format)
    if k < 1 or (max_per_kind is not None and max_per_kind < 1):
        raise ParameterError(_("-k and --max-per-kind: expected numbers of at least 1"))
    column_map = parse_column_map(maps)
    with Steps(4, quiet) as steps:
        pdf, qdf, edf = _read(steps, persons, posts, employers, sheet, column_map)
        steps.start("score", seekers=len(pdf), posts=len(qdf))
        scores = CompatibilityScorer().score(pdf, qdf)
        steps.done("score", seekers=len(pdf), posts=len(qdf), pairs=int(scores.nnz))
        steps.start("recommend")
        raw = top_persons(scores, k, persons=pdf) if for_posts else \
            top_posts(scores, k, posts=qdf, max_per_kind=max_per_kind)
        steps.done("recommend", rows=len(raw))
        steps.start("write")
        path = write_output(recommendation_table(raw, pdf, qdf, edf), out_file(out, format),
                            sheet=_(SHEETS["recommendations"]))
        steps.done("write", files=1)
    longest = len(pdf) if for_posts else len(qdf)
    if k > longest:
        typer.echo(_("warning: {message}").format(message=_(
            "-k {k} is more than the {n} candidates there are; each list has at most {n}").format(
            k=k, n=longest)), err=True)
    if not quiet:
        typer.echo(_("{rows} recommendations -> {file}").format(rows=format_number(len(raw)), file=scrub(str(path))))
