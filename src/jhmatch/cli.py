"""The ``jhmatch`` command line: thin over the public API, in the planner's language.

Exit codes: 0 success (``allocate``/``demo``/``plan-posts``: a plan proven optimal, or
optimal within the requested ``--gap``); 1 infeasible, or plan targets not met with
``--strict``; 2 bad input or a usage error (one line naming the file, row, column and
value; never a traceback); 3 a feasible plan that is not proven optimal (the time limit
was reached first, or a heuristic method); 4 no plan (the solver stopped at its time
limit or failed before finding any feasible plan). Whenever the code is not 0, the first
line of the output says so (see :mod:`jhmatch.report.status`).

Every solve has a time limit, :data:`DEFAULT_TIME_LIMIT` seconds unless ``--time-limit``
says otherwise. Messages, help pages and output tables are in the language of
``--lang`` (``en`` or ``zh``), by default ``JHMATCH_LANG`` or the system locale
(:func:`jhmatch.i18n.default_language`). Help texts are English marked with ``N_`` and
translated when shown (:mod:`jhmatch._cli_locale`).
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer

from jhmatch._cli_locale import LocalizedCommand, LocalizedGroup, click_exceptions
from jhmatch._cli_tables import (
    TABLES,
    VALID_LINES,
    WRITTEN_LINES,
    LangOption,
    MapOption,
    SheetOption,
    guess_table,
    load,
    parse_column_map,
)
from jhmatch.data.ids import scrub
from jhmatch.errors import InfeasibleError, JhmatchError, ParameterError
from jhmatch.i18n import N_, format_number, language
from jhmatch.i18n import gettext as _
from jhmatch.limits import DEFAULT_TIME_LIMIT  # one home of the default limit

__all__ = ["DEFAULT_TIME_LIMIT", "app", "main"]


EXIT_OK, EXIT_INFEASIBLE, EXIT_BAD_INPUT, EXIT_NOT_OPTIMAL, EXIT_NO_PLAN = 0, 1, 2, 3, 4

app = typer.Typer(name="jhmatch", cls=LocalizedGroup, no_args_is_help=True, add_completion=False,
                  pretty_exceptions_enable=False,
                  help=N_("Match persons with disabilities to posts under Jinhua's 2022-2025 employment plan."))

F = TypeVar("F", bound=Callable[..., Any])


def command(*paragraphs: str, name: str | None = None) -> Callable[[F], F]:
    """Register a command; its help is ``paragraphs`` (each marked with ``N_``, translated when shown)."""
    return app.command(name, cls=LocalizedCommand, help="\n\n".join(paragraphs))  # type: ignore[return-value]


@app.callback()
def _root(lang: LangOption = None) -> None:
    """Match persons with disabilities to posts under Jinhua's 2022-2025 employment plan."""
    # The language is taken from the arguments before parsing (LocalizedGroup); the option is here
    # so that ``jhmatch --lang zh COMMAND`` is accepted as well.


def _worst(*codes: int) -> int:
    """The most serious of several exit codes (0 < 3 < 4 < 1)."""
    return max(codes, key=[EXIT_OK, EXIT_NOT_OPTIMAL, EXIT_NO_PLAN, EXIT_INFEASIBLE].index)


def _short(text: str, width: int = 1000, lines: int = 60) -> str:
    """A message fit for a terminal: ID numbers masked, long values and long lists cut."""
    rows = [r if len(r) <= width else r[:width] + "…" for r in scrub(str(text)).splitlines() or [""]]
    if len(rows) > lines:
        rows = [*rows[:lines], _("… and {n} more lines").format(n=format_number(len(rows) - lines))]
    return "\n".join(rows)


def _fail(template: str, message: str, code: int) -> None:
    typer.echo(template.format(message=_short(message)), err=True)
    raise typer.Exit(code)


def _os_message(exc: OSError) -> str:
    """A file-system failure in plain words, naming the file."""
    if isinstance(exc, JhmatchError):
        return str(exc)
    name = exc.filename if exc.filename is not None else ""
    if isinstance(exc, FileNotFoundError):
        return _("{file}: no such file or folder").format(file=name)
    if isinstance(exc, PermissionError):
        return _("{file}: permission denied (open in another program, or read-only?)").format(file=name)
    if isinstance(exc, FileExistsError | NotADirectoryError):
        return _("{file}: a file is in the way where a folder is needed").format(file=name)
    if isinstance(exc, IsADirectoryError):
        return _("{file}: this is a folder; a file is needed").format(file=name)
    return _("{file}: {problem}").format(file=name, problem=exc.strerror or type(exc).__name__)


def _guard(fn: F) -> F:
    """Run a command in its language and turn every exception into a message and an exit code.

    Infeasible rules exit 1; bad input, unreadable files and any other failure exit 2 with
    one message (``JHMATCH_DEBUG=1`` shows the traceback of an unexpected failure).
    """

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with language(kwargs.get("lang")):
            try:
                return fn(*args, **kwargs)
            except (typer.Exit, click_exceptions.ClickException, typer.Abort):
                raise
            except InfeasibleError as exc:
                _fail(_("infeasible: {message}"), str(exc), EXIT_INFEASIBLE)
            except BrokenPipeError:  # the reader went away (| head): stop quietly, as Unix tools do
                with contextlib.suppress(OSError):
                    sys.stdout = open(os.devnull, "w")
                raise typer.Exit(EXIT_OK) from None
            except OSError as exc:
                _fail(_("error: {message}"), _os_message(exc), EXIT_BAD_INPUT)
            except KeyError as exc:
                _fail(_("error: {message}"), _("a column or key is missing: {name}").format(name=exc), EXIT_BAD_INPUT)
            except (JhmatchError, ValueError, UnicodeError) as exc:
                _fail(_("error: {message}"), str(exc) or type(exc).__name__, EXIT_BAD_INPUT)
            except MemoryError:
                _fail(_("error: {message}"), _("not enough memory; allocate county by county or keep fewer "
                                               "candidates per person"), EXIT_BAD_INPUT)
            except KeyboardInterrupt:
                _fail("{message}", _("stopped by the user"), 130)
            except Exception as exc:
                if os.environ.get("JHMATCH_DEBUG"):
                    raise
                _fail(_("error: {message}"), _("unexpected failure ({kind}): {problem}; run again with "
                                               "JHMATCH_DEBUG=1 to see where").format(
                    kind=type(exc).__name__, problem=exc), EXIT_BAD_INPUT)

    return wrapper  # type: ignore[return-value]


def check_time_limit(value: float | None) -> float | None:
    """``--time-limit``: a positive finite number of seconds."""
    if value is not None and not (math.isfinite(value) and value > 0):
        raise ParameterError(_("--time-limit {value}: expected a positive number of seconds").format(value=value))
    return value


def check_format(value: str) -> str:
    """``--format``: csv or xlsx."""
    if value not in ("csv", "xlsx"):
        raise ParameterError(_("--format {value}: expected csv or xlsx").format(value=value))
    return value


def out_file(path: Path, fmt: str | None) -> Path:
    """The output file for a single table: ``--format xlsx`` gives the name the ``.xlsx`` suffix."""
    return path.with_suffix(".xlsx") if fmt == "xlsx" and path.suffix.lower() not in (".xlsx", ".xlsm") else path


@command(N_("Check tables and list every problem and every unused column; nothing else is done."), N_("Exit code 0 when every table is valid (warnings are printed but do not fail), 2 otherwise."), N_("Example: jhmatch validate persons.csv posts.xlsx --map 所在地区=county"))
@_guard
def validate(
    files: Annotated[list[Path], typer.Argument(metavar=N_("FILES"),
                                                help=N_("Tables to check (CSV, Excel or Parquet)."))],
    table: Annotated[str | None, typer.Option(metavar=N_("TABLE"), help=N_(
        "Table kind for every file: persons, posts, employers or households (default: guessed from each file "
        "name)."))] = None,
    maps: MapOption = None,
    sheet: SheetOption = None,
    lang: LangOption = None,
) -> None:
    from jhmatch.data.schema import table_warnings
    from jhmatch.errors import SchemaError

    if table is not None and table not in TABLES:
        raise ParameterError(_("--table {value}: expected one of persons, posts, employers, households "
                                   "(求职人员, 岗位, 用人单位, 家庭)").format(value=table))
    column_map = parse_column_map(maps)
    failures: list[str] = []
    for path in files:
        kind = table or guess_table(path)
        try:
            df = load(path, kind, sheet, column_map, echo_warnings=False)
        except SchemaError as exc:
            failures.append(_("error: {message}").format(message=_short(str(exc))))
            continue
        except InfeasibleError:
            raise
        except OSError as exc:
            failures.append(_("error: {message}").format(message=_short(_os_message(exc))))
            continue
        except (JhmatchError, ValueError, KeyError, UnicodeError) as exc:
            failures.append(_("error: {message}").format(message=_("{file}: {problem}").format(
                file=path, problem=_short(str(exc) or type(exc).__name__))))
            continue
        notes = table_warnings(df)
        line = _(VALID_LINES[kind]).format(file=path, rows=len(df))
        if notes:
            line += _(", {count} warning(s)").format(count=len(notes))
        typer.echo(line)
        for w in notes:
            typer.echo("  " + _("warning: {message}").format(message=_short(str(w))))
    if failures:
        typer.echo("\n".join(failures), err=True)
        raise typer.Exit(EXIT_BAD_INPUT)


@command(N_("Write a synthetic Jinhua scenario of a given size and seed to files."), N_("Example: jhmatch scenario out/city --persons 20000 --seed 7"))
@_guard
def scenario(
    out: Annotated[Path, typer.Argument(metavar=N_("FOLDER"), help=N_(
        "Folder to write persons, posts, employers and households into."))],
    persons: Annotated[int, typer.Option("--persons", "-n", metavar=N_("NUMBER"),
                                         help=N_("Number of job seekers."))] = 2000,
    posts: Annotated[int | None, typer.Option(metavar=N_("NUMBER"),
                                              help=N_("Number of posts (default: 0.3 per person)."))] = None,
    seed: Annotated[int, typer.Option(metavar=N_("NUMBER"),
                                      help=N_("Random seed; the same seed gives the same files."))] = 0,
    courses: Annotated[bool, typer.Option("--courses", metavar="", help=N_(
        "Also write a synthetic training course catalogue (courses), for 'jhmatch train' and 'jhmatch graduates'."))] = False,
    format: Annotated[str, typer.Option("--format", metavar=N_("FORMAT"), help=N_("csv, xlsx or parquet."))] = "csv",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", metavar="", help=N_("Print nothing on success."))] = False,
    lang: LangOption = None,
) -> None:
    from jhmatch.datasets import make_jinhua

    if persons < 1 or (posts is not None and posts < 0):
        raise ParameterError(_("--persons and --posts: expected positive numbers"))
    city = make_jinhua(n_persons=persons, n_posts=posts, seed=seed, courses=courses)
    paths = city.write(out, format=format)
    if not quiet:
        for name, path in paths.items():
            template = _(WRITTEN_LINES[name]) if name in WRITTEN_LINES else name + ": {rows} -> {file}"
            typer.echo(template.format(rows=len(city.tables()[name]), file=path))


@command(N_("Quota, employment security fund, over-quota reward and VAT refund per employer."), N_("Example: jhmatch policy employers.csv --year 2025 --out policy.xlsx"))
@_guard
def policy(
    employers: Annotated[Path, typer.Argument(metavar=N_("EMPLOYERS"),
                                              help=N_("Employers table (CSV, Excel or Parquet)."))],
    year: Annotated[int, typer.Option(metavar=N_("YEAR"),
                                      help=N_("Year assessed; parameters in force on 31 December."))] = 2025,
    vat_months: Annotated[Path | None, typer.Option(metavar=N_("FILE"), help=N_(
        "Monthly VAT table for the refund (optional)."))] = None,
    out: Annotated[Path | None, typer.Option(metavar=N_("FILE"), help=N_(
        "Write the per-employer table here (.csv, .xlsx or .parquet)."))] = None,
    format: Annotated[str | None, typer.Option("--format", metavar=N_("FORMAT"), help=N_(
        "xlsx: write --out as an Excel workbook (default: from the file name)."))] = None,
    lang: LangOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", metavar="", help=N_("Print nothing on success."))] = False,
    sheet: SheetOption = None,
) -> None:
    from jhmatch.data.io import read_table
    from jhmatch.outputs import SHEETS, policy_table, write_output
    from jhmatch.policy import (
        PolicyParameters,
        assumed_parameters,
        fund_due,
        over_quota_reward,
        quota_employment,
        vat_refund,
    )

    if format is not None:
        check_format(format)
    table = read_table(employers, sheet=sheet) if sheet is not None else read_table(employers)
    params = PolicyParameters.for_year(year)
    rules = [quota_employment(table, params), fund_due(table, params), over_quota_reward(table, params)]
    quota, fund, reward = (r.table for r in rules)
    result = quota.drop(columns="explanation").merge(
        fund[["employer_id", "exempt", "fund_due"]], on="employer_id").merge(
        reward[["employer_id", "eligible", "reward"]].rename(columns={"eligible": "reward_eligible"}), on="employer_id")
    result["assumed_parameters"] = _assumed_by_row(rules, params)
    if vat_months is not None:
        vat = vat_refund(read_table(vat_months))
        rules.append(vat)
        refund = vat.table
        refund = refund[refund["year"] == year][["employer_id", "vat_paid", "entitlement", "refund"]]
        result = result.merge(refund.rename(columns={"entitlement": "vat_entitlement", "refund": "vat_refund"}),
                              on="employer_id", how="left")
    written = None
    if out is not None:
        from jhmatch.data.schema import validate_employers

        try:
            names = validate_employers(table)
        except JhmatchError:  # the names are a convenience; the figures come from the policy validation
            names = None
        written = write_output(policy_table(result, names), out_file(out, format), sheet=_(SHEETS["policy"]))
    if not quiet:
        short = int((result["shortfall"] > 0).sum())
        typer.echo(_("{employers} employers assessed for {year}: {short} below the 1.5% quota, fund due {fund} yuan, "
                     "rewards {reward} yuan").format(employers=len(result), year=year, short=short,
                                                     fund=format_number(result["fund_due"].sum()),
                                                     reward=format_number(result["reward"].sum())))
        assumed = assumed_parameters(p for r in rules for p in r.parameters)
        if assumed:
            typer.echo(_("assumed values (PARAM: not confirmed for Jinhua; override them with a parameters file, "
                         "see jhmatch.policy.PolicyParameters): {values}").format(values=_("; ").join(assumed)))
        if written is not None:
            typer.echo(_("written: {file}").format(file=written))


def _assumed_by_row(rules: list[Any], params: Any) -> list[str]:
    """Per employer, the assumed (PARAM) values its fund and reward rest on, in words ("" when none)."""
    from jhmatch.policy import assumed_parameters

    fund, reward = rules[1].table, rules[2].table
    capped = fund["wage_capped"].to_numpy(dtype=bool) & (fund["fund_due"].to_numpy(dtype=float) > 0)
    rewarded = reward["reward"].to_numpy(dtype=float) > 0
    concentrated = reward["basis"].astype(str).str.contains("concentrated").to_numpy()
    wage = assumed_parameters(params.used("local_average_wage"))
    per = assumed_parameters(params.used("reward_per_excess_person"))
    per_c = assumed_parameters(params.used("reward_per_excess_person_concentrated"))
    out = []
    for c, r, k in zip(capped, rewarded, concentrated):
        parts = (wage if c else []) + ((per_c if k else per) if r else [])
        out.append(_("; ").join(parts))
    return out


@command(N_("Plan targets city-wide and per county, after an allocation."), N_("Example: jhmatch progress persons.csv posts.csv --allocation out/allocation.csv --year 2025"))
@_guard
def progress(
    persons: Annotated[Path, typer.Argument(metavar=N_("PERSONS"), help=N_("Persons table."))],
    posts: Annotated[Path, typer.Argument(metavar=N_("POSTS"), help=N_("Posts table."))],
    allocation: Annotated[Path | None, typer.Option(metavar=N_("FILE"), help=N_(
        "Allocation to count (person and post ids), e.g. allocation.csv or results.xlsx from 'jhmatch "
        "allocate'."))] = None,
    year: Annotated[int, typer.Option(metavar=N_("YEAR"), help=N_("Year assessed."))] = 2025,
    county: Annotated[bool, typer.Option("--county", metavar="", help=N_("Also print every county's targets."))] = False,
    strict: Annotated[bool, typer.Option(metavar="", help=N_("Exit with code 1 when a target is not met."))] = False,
    out: Annotated[Path | None, typer.Option(metavar=N_("FILE"), help=N_(
        "Write the full progress table here (.csv, .xlsx or .parquet)."))] = None,
    format: Annotated[str | None, typer.Option("--format", metavar=N_("FORMAT"), help=N_(
        "xlsx: write --out as an Excel workbook (default: from the file name)."))] = None,
    targets: Annotated[Path | None, typer.Option(metavar=N_("FILE"), help=N_(
        "Targets file (CSV, Excel or TOML): published county targets, yearly milestones, figures achieved "
        "outside jhmatch and extra targets (see jhmatch.policy.targetfile)."))] = None,
    lang: LangOption = None,
    maps: MapOption = None,
    sheet: SheetOption = None,
) -> None:
    import pandas as pd

    from jhmatch.outputs import SHEETS, targets_table, write_output
    from jhmatch.policy import progress as plan_progress

    pdf, qdf, assign, goals = read_for_progress(persons, posts, allocation, targets, format, maps, sheet)
    result = plan_progress(pdf, qdf, assign, year, targets=goals)
    with pd.option_context("display.unicode.east_asian_width", True, "display.width", 200,
                           "display.max_colwidth", 40):
        typer.echo(result.display(counties=county).to_string(index=False))
    from jhmatch.policy.labels import target_assumptions, target_label

    for code, values in target_assumptions(year).items():
        typer.echo(_("{target} rests on assumed values (PARAM: not confirmed for Jinhua): {values}").format(
            target=target_label(code), values=_("; ").join(values)))
    if out is not None:
        path = write_output(targets_table(result.table), out_file(out, format), sheet=_(SHEETS["progress"]))
        typer.echo(_("written: {file}").format(file=path))
    if strict and len(result.unmet()):
        raise typer.Exit(EXIT_INFEASIBLE)


def read_for_progress(persons: Path, posts: Path, allocation: Path | None, targets: Path | None,
                      format: str | None, maps: list[str] | None, sheet: str | None) -> tuple[Any, Any, Any, Any]:
    """What ``progress`` and ``ledger`` read: persons, posts, the allocation's pairs (checked) and targets."""
    from jhmatch.outputs import read_pairs
    from jhmatch.policy import PlanTargets

    if format is not None:
        check_format(format)
    column_map = parse_column_map(maps)
    pdf, qdf = load(persons, "persons", sheet, column_map), load(posts, "posts", sheet, column_map)
    assign = read_pairs(allocation) if allocation is not None else None
    if assign is not None:
        assign = _check_pairs(assign, pdf, qdf, allocation)
    goals = PlanTargets.from_file(targets) if targets is not None else None
    return pdf, qdf, assign, goals


def _check_pairs(assign: Any, persons: Any, posts: Any, path: Path | None) -> Any:
    """An allocation read back must name known persons and posts, each person once, within capacities.

    Person ids that were ID numbers come back as the outputs wrote them: with a key in
    ``JHMATCH_ID_KEY`` as pseudonyms, mapped back here; without one masked, which cannot be
    matched (the message says how to fix it). Returns the pairs with the persons' own ids.
    """
    from jhmatch.data.privacy import ID_KEY_ENV, id_key, pseudonymous_ids

    key = id_key()
    if key is not None:
        own = persons["person_id"].astype("object")
        back = dict(zip(pseudonymous_ids(own, key), own))
        assign = assign.assign(person_id=assign["person_id"].astype("object").map(lambda v: back.get(v, v)))
    elif assign["person_id"].astype(str).str.contains(r"\*{6,}", regex=True).any():
        raise ParameterError(_("{file}: the person ids are masked ID numbers (the persons table uses ID numbers as "
                               "person ids), so they cannot be matched. Set {env} to a secret of at least 16 "
                               "characters when running allocate and this command: the outputs then carry stable "
                               "pseudonyms that can be read back.").format(file=path, env=ID_KEY_ENV))
    known_p = assign["person_id"].astype(str).isin(persons["person_id"].astype(str))
    known_q = assign["post_id"].astype(str).isin(posts["post_id"].astype(str))
    problems = []
    if not known_p.all():
        problems.append(_("{n} rows name a person not in the persons table, e.g. {id}").format(
            n=int((~known_p).sum()), id=scrub(str(assign.loc[~known_p, "person_id"].iloc[0]))))
    if not known_q.all():
        problems.append(_("{n} rows name a post not in the posts table, e.g. {id}").format(
            n=int((~known_q).sum()), id=scrub(str(assign.loc[~known_q, "post_id"].iloc[0]))))
    dup = assign["person_id"].astype(str).duplicated()
    if dup.any():
        problems.append(_("{n} persons are placed more than once, e.g. {id}").format(
            n=int(dup.sum()), id=scrub(str(assign.loc[dup, "person_id"].iloc[0]))))
    used = assign["post_id"].astype(str).value_counts()
    cap = posts.set_index(posts["post_id"].astype(str))["capacity"]
    over = used[used > cap.reindex(used.index).fillna(float("inf"))]
    if len(over):
        problems.append(_("{n} posts hold more persons than their capacity, e.g. {id}").format(
            n=len(over), id=scrub(str(over.index[0]))))
    if problems:
        raise ParameterError(_("{file}: {problems}").format(file=path, problems="; ".join(problems)))
    return assign


from jhmatch import _cli_graduates, _cli_plan, _cli_run, _cli_simulate, _cli_tradeoff, _cli_train  # noqa: E402  (each registers its commands)

del _cli_graduates, _cli_plan, _cli_run, _cli_simulate, _cli_tradeoff, _cli_train


@command(N_("Run the benchmark suite: matching speed and quality, solvers against peers, OR-Library, "
                 "scaling."), N_("Peers that are not installed (the bench extra) are reported as skipped."), N_("Example: jhmatch bench --suite quick --out benchmarks/results"))
@_guard
def bench(
    suite: Annotated[str, typer.Option(metavar=N_("SUITE"), help=N_(
        "tiny (seconds), quick (about a minute) or standard (the issues' sizes; many minutes)."))] = "quick",
    out: Annotated[Path, typer.Option(metavar=N_("FOLDER"), help=N_(
        "Results go to OUT/<suite>/ (results.json, results.md, plots)."))] = Path("benchmarks/results"),
    cases: Annotated[str | None, typer.Option(metavar=N_("CASES"),
                                              help=N_("Comma-separated subset of the cases."))] = None,
    seed: Annotated[int, typer.Option(metavar=N_("NUMBER"), help=N_("Seed of every instance."))] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", metavar="", help=N_("No progress messages."))] = False,
    lang: LangOption = None,
) -> None:
    from jhmatch.bench import run_suite

    chosen = [c.strip() for c in cases.split(",") if c.strip()] if cases else None
    command_line = f"jhmatch bench --suite {suite}" + (f" --cases {cases}" if cases else "")
    result = run_suite(suite, out=out, cases=chosen, seed=seed, command=command_line,
                       progress=None if quiet else (lambda msg: typer.echo(msg, err=True)))
    for line in result.headlines():
        typer.echo(line)
    typer.echo(_("written: {file}").format(file=Path(out) / suite / "results.md"))


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
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else EXIT_BAD_INPUT)
    return 0


def run(argv: list[str] | None = None) -> NoReturn:
    """The ``jhmatch`` console script: :func:`main`, then exit with its code (``os._exit``, output flushed,
    while an abandoned HiGHS run still runs natively: a shutdown around it can abort from C++)."""
    from jhmatch.optimize.deadline import abandoned_runs

    code = main(argv)
    if abandoned_runs():
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    # ``python -m jhmatch.cli``: the commands register on the imported module's app, not on this copy
    from jhmatch.cli import run as _run

    _run()
