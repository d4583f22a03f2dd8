"""The ``simulate`` command: will the city and each county reach the plan's targets by the horizon?

See :mod:`jhmatch.cli`; the work is done by :func:`jhmatch.simulate.simulate`,
:func:`jhmatch.simulate.sensitivity` and :func:`jhmatch.simulate.report.write_simulation_report`.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from jhmatch._cli_tables import LangOption, MapOption, QuietOption, SheetOption, load, parse_column_map
from jhmatch.cli import _guard, command
from jhmatch.errors import ParameterError
from jhmatch.i18n import N_, format_number
from jhmatch.i18n import gettext as _

__all__ = ["simulate"]


def _executor(workers: int) -> Any:
    if workers <= 1:
        return None
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(workers)


def _say(text: str, quiet: bool) -> None:
    if not quiet:
        typer.echo(text, err=True)


@command(N_("Simulate the plan's years: new certificate holders, graduates and persons reaching working age come "
            "in; deaths, moves and retirements go out; jobs end; posts open; every year's allocation is solved. "
            "Gives every plan target per year, city-wide and per county, with a 5-95% interval and the "
            "probability of meeting it by the last year, and which rate changes the outcome most."),
         N_("Example: jhmatch simulate --demo --out simulation/ --lang zh"),
         N_("Example: jhmatch simulate persons.xlsx posts.xlsx --scenario scenario.toml --replications 200"))
@_guard
def simulate(
    persons: Annotated[Path | None, typer.Argument(metavar=N_("PERSONS"), help=N_(
        "Persons table: every certificate holder at the start (not needed with --demo)."))] = None,
    posts: Annotated[Path | None, typer.Argument(metavar=N_("POSTS"), help=N_(
        "Posts open at the start (not needed with --demo)."))] = None,
    scenario: Annotated[Path | None, typer.Option(metavar=N_("FILE"), help=N_(
        "Scenario file (TOML, CSV or Excel): years and rates; default: the documented rates for 2022-2025."))] = None,
    replications: Annotated[int, typer.Option(metavar=N_("NUMBER"), help=N_(
        "Monte Carlo replications."))] = 100,
    seed: Annotated[int, typer.Option(metavar=N_("NUMBER"), help=N_("Random seed."))] = 0,
    demo: Annotated[bool, typer.Option("--demo", metavar="", help=N_(
        "Simulate the built-in synthetic Jinhua instead of tables."))] = False,
    demo_persons: Annotated[int, typer.Option("--persons", "-n", metavar=N_("NUMBER"), help=N_(
        "Persons in the synthetic city of --demo."))] = 2000,
    sensitivity_replications: Annotated[int, typer.Option(metavar=N_("NUMBER"), help=N_(
        "Replications per run of the sensitivity table (0: no sensitivity table)."))] = 20,
    workers: Annotated[int | None, typer.Option(metavar=N_("NUMBER"), help=N_(
        "Processes running the replications (default: the number of processors, at most 4)."))] = None,
    out: Annotated[Path, typer.Option(metavar=N_("FOLDER"), help=N_("Output folder."))] = Path(
        "jhmatch-simulation"),
    lang: LangOption = None,
    quiet: QuietOption = False,
    maps: MapOption = None,
    sheet: SheetOption = None,
) -> None:
    from jhmatch.data.io import write_table
    from jhmatch.simulate import SimulationScenario, build_model, read_scenario
    from jhmatch.simulate import sensitivity as run_sensitivity
    from jhmatch.simulate import simulate as run_simulation
    from jhmatch.simulate.demo import demo_notes, simulation_demo
    from jhmatch.simulate.report import (
        data_status,
        flows_table,
        headline,
        scenario_table,
        sensitivity_table,
        start_lines,
        targets_table,
        write_simulation_report,
    )

    if demo == (persons is not None):
        raise ParameterError(_("give PERSONS and POSTS, or --demo (not both)"))
    if not demo and posts is None:
        raise ParameterError(_("give the POSTS table after PERSONS"))
    for name, value, low in (("--replications", replications, 1), ("--sensitivity-replications",
                                                                     sensitivity_replications, 0),
                             ("--persons", demo_persons, 1)):
        if value < low:
            raise ParameterError(_("{option} {value}: expected a whole number of at least {low}").format(
                option=name, value=value, low=low))
    workers = min(os.cpu_count() or 1, 4) if workers is None else workers
    plan = read_scenario(scenario) if scenario is not None else SimulationScenario()
    typer.echo(data_status(plan, demo))  # the first line: demo data and assumed rates, before any figure
    assumed = [*plan.assumed(), *(demo_notes(plan) if demo else [])]
    typer.echo(_("Assumed values (PARAM, not confirmed for Jinhua): {values}").format(
        values=_("; ").join(assumed) or "—"))
    t0 = time.perf_counter()
    if demo:
        city = simulation_demo(plan, n_persons=demo_persons, seed=seed)
        pdf, qdf = city.persons, city.posts
    else:
        column_map = parse_column_map(maps)
        pdf = load(persons, "persons", sheet, column_map)  # type: ignore[arg-type]
        qdf = load(posts, "posts", sheet, column_map)  # type: ignore[arg-type]
    _say(_("scoring every person who may seek work against every post that may open, once ..."), quiet)
    model = build_model(pdf, qdf, plan, seed=seed)
    for line in start_lines(model.start):  # persons past the working age; a seekers' register: before any figure
        typer.echo(line)
    _say(_("simulating {start}-{end}: {n} replications ...").format(start=plan.start_year, end=plan.end_year,
                                                                    n=format_number(replications)), quiet)
    executor = _executor(workers)
    try:
        result = run_simulation(None, None, plan, replications=replications, seed=seed, executor=executor,
                                model=model)
        elapsed = time.perf_counter() - t0
        sens = None
        if sensitivity_replications:
            _say(_("sensitivity: each rate low and high, {n} replications per run ...").format(
                n=sensitivity_replications), quiet)
            sens = run_sensitivity(model, plan, replications=sensitivity_replications, seed=seed, executor=executor)
    finally:
        if executor is not None:
            executor.shutdown()
    typer.echo("")
    for line in headline(result):
        typer.echo(line)
    import pandas as pd

    with pd.option_context("display.unicode.east_asian_width", True, "display.width", 200,
                           "display.max_colwidth", 40, "display.max_rows", 200):
        typer.echo("")
        typer.echo(targets_table(result, year=plan.end_year, scopes="counties").to_string(index=False))
        if sens is not None:
            typer.echo("")
            typer.echo(_("What changes the outcome most (each parameter 0.5 and 1.5 times its value, {n} replications "
                         "per run with the same random draws):").format(n=sens.replications))
            typer.echo(sensitivity_table(sens.table, top=8).to_string(index=False))
    out.mkdir(parents=True, exist_ok=True)
    written = [write_table(targets_table(result), out / "targets.csv"),
               write_table(flows_table(result), out / "flows.csv"),
               write_table(scenario_table(result), out / "scenario.csv")]
    if sens is not None:
        written.append(write_table(sensitivity_table(sens.table), out / "sensitivity.csv"))
    written.append(write_simulation_report(out, result, sens, demo=demo))
    typer.echo("")
    typer.echo(_("simulation of {n} replications took {seconds} s").format(
        n=format_number(replications), seconds=format_number(elapsed, 1)))
    typer.echo(_("written: {folder} ({files})").format(folder=out, files=", ".join(p.name for p in written)))
