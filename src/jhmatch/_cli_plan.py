"""The planner's office commands: ``ledger`` (the plan's 台账) and ``template`` (blank Excel forms).

See :mod:`jhmatch.cli`; the work is done by :func:`jhmatch.policy.plan_ledger` and
:func:`jhmatch.templates.write_templates`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jhmatch._cli_tables import LangOption, MapOption, SheetOption, load, parse_column_map
from jhmatch.cli import _guard, command, out_file, read_for_progress
from jhmatch.i18n import N_
from jhmatch.i18n import gettext as _

__all__ = ["ledger", "template"]


@command(N_("The plan's ledger: every measure of the action plan with its target, what was achieved, where "
            "the figure comes from and its status, city-wide and per county."),
         N_("Example: jhmatch ledger persons.csv posts.csv --allocation out/allocation.csv --employers "
            "employers.csv --out ledger.xlsx"))
@_guard
def ledger(
    persons: Annotated[Path, typer.Argument(metavar=N_("PERSONS"), help=N_("Persons table."))],
    posts: Annotated[Path, typer.Argument(metavar=N_("POSTS"), help=N_("Posts table."))],
    allocation: Annotated[Path | None, typer.Option(metavar=N_("FILE"), help=N_(
        "Allocation to count (person and post ids), e.g. allocation.csv from 'jhmatch allocate'."))] = None,
    employers: Annotated[Path | None, typer.Option(metavar=N_("FILE"), help=N_(
        "Employers table, for concentrated employment and the over-quota reward."))] = None,
    targets: Annotated[Path | None, typer.Option(metavar=N_("FILE"), help=N_(
        "Targets file (CSV, Excel or TOML): county targets, milestones, figures achieved outside jhmatch."))] = None,
    year: Annotated[int, typer.Option(metavar=N_("YEAR"), help=N_("Year assessed."))] = 2025,
    county: Annotated[bool, typer.Option("--county", metavar="", help=N_("Also list every county's rows."))] = False,
    out: Annotated[Path | None, typer.Option(metavar=N_("FILE"), help=N_(
        "Write the ledger here (.csv, .xlsx or .parquet)."))] = None,
    format: Annotated[str | None, typer.Option("--format", metavar=N_("FORMAT"), help=N_(
        "xlsx: write --out as an Excel workbook (default: from the file name)."))] = None,
    lang: LangOption = None,
    maps: MapOption = None,
    sheet: SheetOption = None,
) -> None:
    import pandas as pd

    from jhmatch.outputs import write_output
    from jhmatch.policy import plan_ledger

    pdf, qdf, assign, goals = read_for_progress(persons, posts, allocation, targets, format, maps, sheet)
    edf = load(employers, "employers", sheet, parse_column_map(maps)) if employers is not None else None
    result = plan_ledger(pdf, qdf, assign, year, targets=goals, employers=edf)
    shown = result.to_frame(counties=county)
    with pd.option_context("display.unicode.east_asian_width", True, "display.width", 200,
                           "display.max_colwidth", 40):
        typer.echo(shown.to_string(index=False))
    if out is not None:
        path = write_output(result.to_frame(counties=True), out_file(out, format), sheet=_("plan ledger"))
        typer.echo(_("written: {file}").format(file=path))


@command(N_("Write blank Excel templates (persons, posts, employers, households) with headers in the chosen "
            "language, drop-down lists, an example row and an instructions sheet; 'jhmatch validate' accepts "
            "them filled in."),
         N_("Example: jhmatch template forms/ --lang zh"))
@_guard
def template(
    out: Annotated[Path, typer.Argument(metavar=N_("FOLDER"), help=N_("Folder to write the templates into."))],
    table: Annotated[list[str] | None, typer.Option("--table", metavar=N_("TABLE"), help=N_(
        "Only this table (repeatable): persons, posts, employers or households."))] = None,
    force: Annotated[bool, typer.Option("--force", metavar="", help=N_(
        "Replace templates that already exist in the folder."))] = False,
    lang: LangOption = None,
) -> None:
    from jhmatch.i18n import get_language
    from jhmatch.templates import TABLES, write_templates

    paths = write_templates(out, lang=get_language(), tables=tuple(table) if table else TABLES, overwrite=force)
    for path in paths.values():
        typer.echo(_("written: {file}").format(file=path))
