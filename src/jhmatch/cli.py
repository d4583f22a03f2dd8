"""The ``jhmatch`` command line: thin over the public API.

Exit codes: 0 success (``allocate``/``demo``/``plan-posts``: a plan proven optimal, or
optimal within the requested ``--gap``); 1 infeasible, or plan targets not met with
``--strict``; 2 bad input (the message names the file, row, column and value; no
traceback); 3 a feasible plan that is not proven optimal (the time limit was reached
first, or a heuristic method); 4 no plan (the solver stopped at its time limit or failed
before finding any feasible plan). Whenever the code is not 0, the first line of the
output says so (see :mod:`jhmatch.report.status`).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from jhmatch._cli_tables import TABLES, MapOption, SheetOption, guess_table, load, parse_column_map
from jhmatch.data.ids import scrub
from jhmatch.errors import InfeasibleError, JhmatchError
from jhmatch.report.status import exit_code, status_line
from jhmatch.report.text import plan_text, targets_text

app = typer.Typer(
    name="jhmatch",
    help="Match persons with disabilities to posts under Jinhua's 2022-2025 employment plan.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

F = TypeVar("F", bound=Callable[..., Any])


@app.callback()
def _root() -> None:
    """Match persons with disabilities to posts under Jinhua's 2022-2025 employment plan."""

EXIT_OK, EXIT_INFEASIBLE, EXIT_BAD_INPUT, EXIT_NOT_OPTIMAL, EXIT_NO_PLAN = 0, 1, 2, 3, 4


def _worst(*codes: int) -> int:
    """The most serious of several exit codes (0 < 3 < 4 < 1)."""
    return max(codes, key=[EXIT_OK, EXIT_NOT_OPTIMAL, EXIT_NO_PLAN, EXIT_INFEASIBLE].index)


def _guard(fn: F) -> F:
    """Turn jhmatch errors into a readable message and an exit code (never a traceback)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except InfeasibleError as exc:
            typer.echo(f"infeasible: {scrub(str(exc))}", err=True)
            raise typer.Exit(EXIT_INFEASIBLE) from None
        except JhmatchError as exc:
            typer.echo(f"error: {scrub(str(exc))}", err=True)
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except (OSError, ValueError) as exc:
            typer.echo(f"error: {scrub(str(exc))}", err=True)
            raise typer.Exit(EXIT_BAD_INPUT) from None

    return wrapper  # type: ignore[return-value]


@app.command()
@_guard
def validate(
    files: Annotated[list[Path], typer.Argument(help="Tables to check (CSV, Excel or Parquet).")],
    table: Annotated[
        str | None,
        typer.Option(help="Table kind for every file: persons, posts, employers or households "
                          "(default: guessed from each file name)."),
    ] = None,
    maps: MapOption = None,
    sheet: SheetOption = None,
    lang: Annotated[str, typer.Option(help="Language of the summary lines: en or zh (problems are listed in "
                                           "English with Chinese names).")] = "en",
) -> None:
    """Check tables and list every problem and every unused column; nothing else is done.

    Exit code 0 when every table is valid (warnings are printed but do not fail), 2 otherwise.

    Example: jhmatch validate persons.csv posts.xlsx --map 所在地区=county
    """
    from jhmatch.data.schema import table_warnings
    from jhmatch.errors import SchemaError

    if table is not None and table not in TABLES:
        raise typer.BadParameter(f"--table {table!r}: expected one of {', '.join(TABLES)} (persons 求职人员, "
                                 "posts 岗位, employers 用人单位, households 家庭)")
    column_map = parse_column_map(maps)
    failures: list[str] = []
    for path in files:
        kind = table or guess_table(path)
        try:
            df = load(path, kind, sheet, column_map, echo_warnings=False)
        except SchemaError as exc:
            failures.append(scrub(str(exc)))
            continue
        notes = table_warnings(df)
        if lang == "zh":
            typer.echo(f"{path}: {len(df)} 行，校验通过" + (f"，{len(notes)} 条提醒" if notes else ""))
        else:
            typer.echo(f"{path}: {len(df)} {kind} rows, valid" + (f", {len(notes)} warning(s)" if notes else ""))
        for w in notes:
            typer.echo(("  提醒: " if lang == "zh" else "  warning: ") + scrub(str(w)))
    if failures:
        typer.echo("\n".join(failures), err=True)
        raise typer.Exit(EXIT_BAD_INPUT)


@app.command()
@_guard
def scenario(
    out: Annotated[Path, typer.Argument(help="Folder to write persons, posts, employers and households into.")],
    persons: Annotated[int, typer.Option("--persons", "-n", help="Number of job seekers.")] = 2000,
    posts: Annotated[int | None, typer.Option(help="Number of posts (default: 0.3 per person).")] = None,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same files.")] = 0,
    format: Annotated[str, typer.Option("--format", help="csv, xlsx or parquet.")] = "csv",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing on success.")] = False,
) -> None:
    """Write a synthetic Jinhua scenario of a given size and seed to files.

    Example: jhmatch scenario out/city --persons 20000 --seed 7
    """
    from jhmatch.datasets import make_jinhua

    city = make_jinhua(n_persons=persons, n_posts=posts, seed=seed)
    paths = city.write(out, format=format)
    if not quiet:
        for name, path in paths.items():
            typer.echo(f"{name}: {len(city.tables()[name])} rows -> {path}")


@app.command()
@_guard
def policy(
    employers: Annotated[Path, typer.Argument(help="Employers table (CSV, Excel or Parquet).")],
    year: Annotated[int, typer.Option(help="Year assessed; parameters in force on 31 December.")] = 2025,
    vat_months: Annotated[Path | None, typer.Option(help="Monthly VAT table for the refund (optional).")] = None,
    out: Annotated[Path | None, typer.Option(help="Write the per-employer table here (CSV/Excel/Parquet).")] = None,
    lang: Annotated[str, typer.Option(help="Output language: en or zh.")] = "en",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing on success.")] = False,
    sheet: SheetOption = None,
) -> None:
    """Quota, employment security fund, over-quota reward and VAT refund per employer.

    Example: jhmatch policy employers.csv --year 2025 --out policy.csv
    """
    from jhmatch.data.io import read_table, write_table
    from jhmatch.policy import PolicyParameters, fund_due, over_quota_reward, quota_employment, vat_refund

    table = read_table(employers, sheet=sheet) if sheet is not None else read_table(employers)
    params = PolicyParameters.for_year(year)
    quota = quota_employment(table, params).table
    fund = fund_due(table, params).table
    reward = over_quota_reward(table, params).table
    result = quota.drop(columns="explanation").merge(
        fund[["employer_id", "exempt", "fund_due"]], on="employer_id").merge(
        reward[["employer_id", "eligible", "reward"]].rename(columns={"eligible": "reward_eligible"}), on="employer_id")
    if vat_months is not None:
        refund = vat_refund(read_table(vat_months)).table
        refund = refund[refund["year"] == year][["employer_id", "vat_paid", "entitlement", "refund"]]
        result = result.merge(refund.rename(columns={"entitlement": "vat_entitlement", "refund": "vat_refund"}),
                              on="employer_id", how="left")
    if out is not None:
        write_table(result, out)
    if not quiet:
        short = int((result["shortfall"] > 0).sum())
        fund, reward = result["fund_due"].sum(), result["reward"].sum()
        if lang == "zh":
            typer.echo(f"{year}年共评估{len(result)}家单位：{short}家未达1.5%比例，应缴保障金{fund:,.0f}元，超比例奖励{reward:,.0f}元")
        else:
            typer.echo(f"{len(result)} employers assessed for {year}: {short} below the 1.5% quota, "
                       f"fund due {fund:,.0f} yuan, rewards {reward:,.0f} yuan")
        if out is not None:
            typer.echo(("已写入" if lang == "zh" else "written") + f": {out}")


@app.command()
@_guard
def progress(
    persons: Annotated[Path, typer.Argument(help="Persons table.")],
    posts: Annotated[Path, typer.Argument(help="Posts table.")],
    allocation: Annotated[Path | None, typer.Option(help="Allocation (person_id, post_id) to count, e.g. "
                                                         "allocation.csv from 'jhmatch allocate'.")] = None,
    year: Annotated[int, typer.Option(help="Year assessed.")] = 2025,
    county: Annotated[bool, typer.Option("--county", help="Also print every county's targets.")] = False,
    strict: Annotated[bool, typer.Option(help="Exit with code 1 when a target is not met.")] = False,
    out: Annotated[Path | None, typer.Option(help="Write the full progress table here.")] = None,
    lang: Annotated[str, typer.Option(help="Output language: en or zh.")] = "en",
    maps: MapOption = None,
    sheet: SheetOption = None,
) -> None:
    """Plan targets city-wide and per county, after an allocation.

    Example: jhmatch progress persons.csv posts.csv --allocation out/allocation.csv --year 2025
    """
    from jhmatch.data.io import read_table, write_table
    from jhmatch.policy import progress as plan_progress

    column_map = parse_column_map(maps)
    pdf, qdf = load(persons, "persons", sheet, column_map), load(posts, "posts", sheet, column_map)
    assign = read_table(allocation)[["person_id", "post_id"]] if allocation is not None else None
    result = plan_progress(pdf, qdf, assign, year)
    shown = result.table if county else result.city()
    typer.echo(targets_text(shown, lang))
    if out is not None:
        write_table(result.table, out)
    if strict and len(result.unmet()):
        raise typer.Exit(EXIT_INFEASIBLE)


DEMO_POSTS_PER_PERSON = 0.15
"""The demo city offers about 0.4 openings per person (0.15 posts × 2.8 places), fewer than there
are seekers, so the allocation has to choose, as Jinhua's offices do."""


class _Stages:
    """A progress display of named stages (rich), silent with ``--quiet``."""

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self._progress: Any = None

    def __enter__(self) -> _Stages:
        if not self.quiet:
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self._progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                                      console=Console(stderr=True), transient=True)
            self._progress.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc)

    def stage(self, text: str) -> None:
        if self._progress is not None:
            for task in self._progress.tasks:
                self._progress.update(task.id, visible=False)
            self._progress.add_task(text, total=None)


def _print_run(run: Any, out: Path, paths: dict[str, Path], lang: str, plan: Any = None) -> None:
    typer.echo(status_line(run.allocation, lang))
    if plan is not None and plan.status.value != "optimal":
        typer.echo(status_line(plan, lang, "预留岗位规划" if lang == "zh" else "reserved-post plan"))
    typer.echo(run.summary_text(lang))
    typer.echo("")
    names = ", ".join(str(p.relative_to(out)) for p in paths.values())
    typer.echo(("输出" if lang == "zh" else "written") + f": {out}/ ({names})")
    if "report" not in paths:
        typer.echo("(for the HTML report: pip install 'jhmatch[report]')")


@app.command()
@_guard
def demo(
    out: Annotated[Path, typer.Option(help="Output folder.")] = Path("jhmatch-demo-output"),
    persons: Annotated[int, typer.Option("--persons", "-n", help="Job seekers in the synthetic city.")] = 5000,
    seed: Annotated[int, typer.Option(help="Random seed of the synthetic city.")] = 0,
    method: Annotated[str, typer.Option(help="auto, flow, milp, lap, greedy or stable.")] = "auto",
    time_limit: Annotated[float | None, typer.Option(help="Seconds for the solver.")] = 120.0,
    lang: Annotated[str, typer.Option(help="Output language: en or zh.")] = "en",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> None:
    """Run the main job on the built-in Jinhua demo scenario and write the results.

    Builds a synthetic Jinhua (9 counties, every post kind of the plan), scores
    person-post compatibility, allocates under the plan's rules (graduates,
    households in difficulty, county and category floors), measures the plan's
    targets, prints a summary per county and writes the allocation, summaries and
    an HTML report (with the report extra) to the output folder.

    Example: jhmatch demo --persons 20000 --lang zh

    Exit code: 0 optimal, 1 infeasible, 2 bad input, 3 feasible but not proven optimal (time limit or
    heuristic), 4 no plan; the first output lines state the status (allocation, then reserved posts).
    """
    from jhmatch.data.io import write_table
    from jhmatch.datasets import make_jinhua
    from jhmatch.pipeline import chain_flows, cross_county_chain, plan_posts, run_plan

    with _Stages(quiet) as stages:
        stages.stage("building the synthetic Jinhua scenario")
        city = make_jinhua(n_persons=persons, n_posts=max(40, round(DEMO_POSTS_PER_PERSON * persons)), seed=seed)
        stages.stage("scoring, allocating and measuring progress")
        run = run_plan(city.persons, city.posts, method=method, time_limit=time_limit)
        stages.stage("planning reserved posts per county")
        plan = plan_posts(run.persons, run.posts, run.scores)
        stages.stage("cross-county quota employment")
        chain = cross_county_chain(run, city.employers)
        stages.stage("writing results")
        paths = run.write(out, lang=lang, chain=chain_flows(chain, city.employers))
        paths.update(_write_plan(plan, out))
        paths["chain"] = write_table(chain.placements, out / "quota_chain.csv")
        paths["chain_employers"] = write_table(chain.employers, out / "quota_chain_employers.csv")
    _print_run(run, out, paths, lang, plan)
    typer.echo("")
    typer.echo(plan_text(plan, lang))
    typer.echo("")
    head = "跨区域按比例就业" if lang == "zh" else "cross-county quota employment"
    typer.echo(f"{head}: {chain.total_placed} unplaced seekers placed with employers short of quota; "
               f"employment security fund saved {chain.fund_saved:,.0f} yuan, intermediary fees {chain.fees:,.0f} yuan")
    code = _worst(exit_code(run.allocation), exit_code(plan))
    if code != EXIT_OK:
        raise typer.Exit(code)


def _write_plan(plan: Any, out: Path) -> dict[str, Path]:
    """Write the reserved-post tables, only when the plan has a solution (never an all-zero non-plan)."""
    from jhmatch.data.io import write_table
    from jhmatch.report.status import has_plan

    if not has_plan(plan):
        return {}

    return {"reserved_posts": write_table(plan.by_county, out / "reserved_posts.csv"),
            "reserved_sites": write_table(plan.sites, out / "reserved_sites.csv")}


@app.command("plan-posts")
@_guard
def plan_posts_command(
    persons: Annotated[Path, typer.Argument(help="Persons table.")],
    posts: Annotated[Path, typer.Argument(help="Posts table: posts of reserved kinds are the candidate sites.")],
    spacing: Annotated[str, typer.Option(help="Tobacco-outlet spacing for disabled applicants: reduced, "
                                              "exempt or none.")] = "reduced",
    tobacco: Annotated[int | None, typer.Option(help="Minimum tobacco outlets (default: the plan's 300 "
                                                     "scaled to the seekers).")] = None,
    time_limit: Annotated[float | None, typer.Option(help="Seconds for the solver.")] = 60.0,
    out: Annotated[Path, typer.Option(help="Output folder.")] = Path("jhmatch-output"),
    lang: Annotated[str, typer.Option(help="Output language: en or zh.")] = "en",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
    maps: MapOption = None,
    sheet: SheetOption = None,
) -> None:
    """Decide how many reserved posts of each kind to open in each county, and who would fill them.

    Example: jhmatch plan-posts persons.csv posts.csv --spacing exempt --out out/

    Exit code: 0 optimal plan, 1 infeasible, 2 bad input, 3 feasible plan not proven optimal (time
    limit), 4 no plan (time limit reached before any plan); the first output line states the status.
    """
    from jhmatch.pipeline import plan_posts

    with _Stages(quiet) as stages:
        stages.stage("reading and validating")
        column_map = parse_column_map(maps)
        pdf, qdf = load(persons, "persons", sheet, column_map), load(posts, "posts", sheet, column_map)
        stages.stage("scoring and planning")
        plan = plan_posts(pdf, qdf, targets=None if tobacco is None else {"tobacco_outlet": tobacco},
                          spacing=spacing, time_limit=time_limit)
        paths = _write_plan(plan, out)
    typer.echo(plan_text(plan, lang))
    if paths:
        typer.echo(f"written: {', '.join(str(p) for p in paths.values())}")
    if exit_code(plan) != EXIT_OK:
        raise typer.Exit(exit_code(plan))


@app.command()
@_guard
def allocate(
    persons: Annotated[Path, typer.Argument(help="Persons table (CSV, Excel or Parquet).")],
    posts: Annotated[Path, typer.Argument(help="Posts table.")],
    rules: Annotated[Path | None, typer.Option(help="Rules file (TOML); default: the plan's rules.")] = None,
    method: Annotated[str, typer.Option(help="auto, flow, milp, lap, greedy or stable.")] = "auto",
    time_limit: Annotated[float | None, typer.Option(help="Seconds for the solver.")] = None,
    gap: Annotated[float | None, typer.Option(help="Relative optimality gap at which to stop.")] = None,
    out: Annotated[Path, typer.Option(help="Output folder.")] = Path("jhmatch-output"),
    report: Annotated[bool, typer.Option(help="Write the HTML report (needs the report extra).")] = True,
    year: Annotated[int, typer.Option(help="Year of the plan-progress assessment.")] = 2025,
    strict: Annotated[bool, typer.Option(help="Exit with code 1 when a plan target is not met.")] = False,
    lang: Annotated[str, typer.Option(help="Output language: en or zh.")] = "en",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
    maps: MapOption = None,
    sheet: SheetOption = None,
) -> None:
    """Allocate persons to posts under the rules; write allocation, summaries and report.

    Example: jhmatch allocate persons.csv posts.csv --rules rules.toml --method auto --time-limit 60 --out out/

    Exit code: 0 optimal plan (or optimal within --gap), 1 infeasible (or a target not met with
    --strict), 2 bad input, 3 feasible plan not proven optimal (time limit or heuristic method), 4 no
    plan (time limit reached or solver failed before any plan); the first output line states the status.
    """
    from jhmatch.pipeline import run_plan
    from jhmatch.rules import load_rules

    with _Stages(quiet) as stages:
        stages.stage("reading and validating")
        column_map = parse_column_map(maps)
        pdf, qdf = load(persons, "persons", sheet, column_map), load(posts, "posts", sheet, column_map)
        rule_set = load_rules(rules) if rules is not None else None
        stages.stage("scoring, allocating and measuring progress")
        run = run_plan(pdf, qdf, rules=rule_set, method=method, time_limit=time_limit, gap=gap, year=year)
        stages.stage("writing results")
        paths = run.write(out, lang=lang, report=report)
    _print_run(run, out, paths, lang)
    if run.allocation.diagnosis is not None:
        typer.echo(f"diagnosis: {scrub(str(run.allocation.diagnosis))}", err=True)
    code = exit_code(run.allocation)
    if code != EXIT_OK:
        raise typer.Exit(code)
    if strict and len(run.progress.unmet()):
        raise typer.Exit(EXIT_INFEASIBLE)


@app.command()
@_guard
def recommend(
    persons: Annotated[Path, typer.Argument(help="Persons table.")],
    posts: Annotated[Path, typer.Argument(help="Posts table.")],
    k: Annotated[int, typer.Option("-k", help="How many recommendations each.")] = 10,
    for_posts: Annotated[bool, typer.Option("--for-posts", help="Recommend candidates for each post instead.")] = False,
    max_per_kind: Annotated[int | None, typer.Option(help="At most this many posts of one kind per person.")] = None,
    out: Annotated[Path, typer.Option(help="Output CSV/Excel/Parquet.")] = Path("recommendations.csv"),
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing on success.")] = False,
    maps: MapOption = None,
    sheet: SheetOption = None,
) -> None:
    """Top-k posts for every person (or top-k candidates for every post) to a file.

    Example: jhmatch recommend persons.csv posts.csv -k 5 --out top5.csv
    """
    from jhmatch.data.io import write_table
    from jhmatch.matching import CompatibilityScorer, recommend_persons, recommend_posts

    with _Stages(quiet) as stages:
        stages.stage("reading and validating")
        column_map = parse_column_map(maps)
        pdf, qdf = load(persons, "persons", sheet, column_map), load(posts, "posts", sheet, column_map)
        stages.stage("scoring")
        scores = CompatibilityScorer().score(pdf, qdf)
        if for_posts:
            table = recommend_persons(scores, k, persons=pdf)
        else:
            table = recommend_posts(scores, k, posts=qdf, max_per_kind=max_per_kind)
        write_table(table, out)
    if not quiet:
        typer.echo(f"{len(table)} recommendations -> {out}")


@app.command()
@_guard
def bench(
    suite: Annotated[str, typer.Option(help="tiny (seconds), quick (about a minute) or standard (the issues' "
                                            "sizes; many minutes).")] = "quick",
    out: Annotated[Path, typer.Option(help="Results go to OUT/<suite>/ (results.json, results.md, plots).")] = Path(
        "benchmarks/results"),
    cases: Annotated[str | None, typer.Option(help="Comma-separated subset of the cases.")] = None,
    seed: Annotated[int, typer.Option(help="Seed of every instance.")] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress messages.")] = False,
) -> None:
    """Run the benchmark suite: matching speed and quality, solvers against peers, OR-Library, scaling.

    Peers that are not installed (the bench extra) are reported as skipped.

    Example: jhmatch bench --suite quick --out benchmarks/results
    """
    from jhmatch.bench import run_suite

    chosen = [c.strip() for c in cases.split(",") if c.strip()] if cases else None
    command = f"jhmatch bench --suite {suite}" + (f" --cases {cases}" if cases else "")
    result = run_suite(suite, out=out, cases=chosen, seed=seed, command=command,
                       progress=None if quiet else (lambda msg: typer.echo(msg, err=True)))
    for line in result.headlines():
        typer.echo(line)
    typer.echo(f"written: {Path(out) / suite / 'results.md'}")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``jhmatch`` command; returns the exit code.

    Examples
    --------
    >>> main(["validate", "persons.csv", "posts.csv"])  # doctest: +SKIP
    0
    """
    try:
        app(args=argv, prog_name="jhmatch", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
