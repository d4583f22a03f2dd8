"""Reading the tables a command is given: column maps, sheets, warnings, key columns, which table a file is.

Help texts here are English marked with ``N_``; the command classes translate them when
a help page is shown (:mod:`jhmatch._cli_locale`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from jhmatch.data.ids import scrub
from jhmatch.errors import ParameterError
from jhmatch.i18n import N_
from jhmatch.i18n import gettext as _

TABLES = ("persons", "posts", "employers", "households")
VALID_LINES = {"persons": N_("{file}: {rows} persons rows, valid"), "posts": N_("{file}: {rows} posts rows, valid"),
               "employers": N_("{file}: {rows} employers rows, valid"),
               "households": N_("{file}: {rows} households rows, valid")}
"""The line ``validate`` prints for a valid table, per kind of table."""
WRITTEN_LINES = {"persons": N_("persons: {rows} rows -> {file}"), "posts": N_("posts: {rows} rows -> {file}"),
                 "employers": N_("employers: {rows} rows -> {file}"),
                 "households": N_("households: {rows} rows -> {file}"),
                 "courses": N_("courses: {rows} rows -> {file}")}
"""The line ``scenario`` prints per table written."""

KEY_COLUMNS: dict[str, tuple[str, str]] = {
    "county": (N_("county of residence"), N_("persons without a county are matched only to remote or nearby "
                                             "posts and count in no county's figures")),
    "willing": (N_("willing to work"), N_("every person would be taken as willing to work")),
    "graduate": (N_("graduating student"), N_("no one would count as a graduating student: the graduate "
                                              "guarantee and priority would do nothing")),
    "low_income": (N_("low-income (dibao)"), N_("no one would count as low-income (dibao): that priority would "
                                                "do nothing")),
    "household_id": (N_("household id"), N_("persons could not be linked to households: household coverage "
                                            "could not be measured")),
}
"""Key columns of the persons table → (name, what follows without them). ``allocate`` and ``demo``
stop when one is absent or empty on every row, unless ``--allow-missing`` names it."""

_KEY_ALIASES = {"county": "county", "willing": "willing", "graduate": "graduate", "low_income": "low_income",
                "low-income": "low_income", "dibao": "low_income", "household": "household_id",
                "household_id": "household_id", "household-id": "household_id"}


def _check_lang(value: str | None) -> str | None:
    from jhmatch._cli_locale import check_language

    if value is None:
        return None
    try:
        return check_language(value)
    except ParameterError as exc:
        raise typer.BadParameter(str(exc)) from None


MapOption = Annotated[
    list[str] | None,
    typer.Option("--map", metavar=N_("HEADER=column"),
                 help=N_("Use a column under another name: HEADER=column, e.g. --map 所在地区=county (repeatable; "
                         "HEADER= ignores the column), or a TOML file of HEADER = \"column\" lines.")),
]
SheetOption = Annotated[str | None, typer.Option("--sheet", metavar=N_("SHEET"),
                                                 help=N_("Excel sheet to read (default: the first visible)."))]
LangOption = Annotated[str | None, typer.Option(
    "--lang", metavar=N_("LANG"), callback=_check_lang,
    help=N_("Language of messages and outputs: en (English) or zh (中文); default: JHMATCH_LANG, else the "
            "system locale."))]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", metavar="", help=N_("No progress display."))]
AllowMissingOption = Annotated[list[str] | None, typer.Option(
    "--allow-missing", metavar=N_("COLUMN"),
    help=N_("Go on although this key column (county, willing, graduate, low_income, household_id) is missing or "
            "empty (repeatable); without it the command stops."))]
AllowDuplicatesOption = Annotated[bool, typer.Option(
    "--allow-duplicates", metavar="",
    help=N_("Go on although one person appears under several person ids (the same ID number); without it the "
            "command stops, since the person could be placed twice."))]
SAME_PERSON = "same_person"
"""The token :func:`check_key_columns` reads in its ``allow`` set for ``--allow-duplicates``."""
FormatOption = Annotated[str, typer.Option(
    "--format", metavar=N_("FORMAT"),
    help=N_("csv: one file per table; xlsx: one Excel workbook, a sheet per table."))]


def parse_column_map(maps: list[str] | None) -> dict[str, str]:
    """Parse ``--map`` values: ``HEADER=column`` pairs or TOML files of them."""
    out: dict[str, str] = {}
    for item in maps or []:
        path = Path(item)
        if "=" not in item and path.suffix.lower() == ".toml":
            if sys.version_info >= (3, 11):
                import tomllib
            else:  # pragma: no cover
                import tomli as tomllib

            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                raise ParameterError(_("{file}: cannot read the column map: {problem}").format(
                    file=item, problem=scrub(str(exc))[:300])) from None
            table = data.get("columns", data)
            bad = [k for k, v in table.items() if not isinstance(v, str)] if isinstance(table, dict) else ["columns"]
            if bad:
                raise ParameterError(_("{file}: {header} must map to a column name in quotes").format(
                    file=item, header=repr(bad[0])))
            out.update(table)
            continue
        header, sep, column = item.partition("=")
        if not sep or not header.strip():
            raise ParameterError(_("--map {value}: expected HEADER=column, e.g. --map 所在地区=county").format(
                value=repr(item)))
        out[header.strip()] = column.strip()
    return out


def allowed_missing(values: list[str] | None) -> set[str]:
    """The key columns ``--allow-missing`` names (``low-income`` and ``household`` accepted)."""
    out = set()
    for v in values or []:
        key = _KEY_ALIASES.get(str(v).strip().lower())
        if key is None:
            raise ParameterError(_("--allow-missing {value}: expected one of {columns}").format(
                value=v, columns=", ".join(KEY_COLUMNS)))
        out.add(key)
    return out


def check_key_columns(df: Any, file: Path | str, allow: set[str]) -> None:
    """Stop (:class:`ParameterError`) when a key column is absent or empty on every row and not allowed,
    or when one person appears under several person ids and ``SAME_PERSON`` is not in ``allow``."""
    from jhmatch.data.schema import table_warnings

    lines = []
    for w in table_warnings(df):
        if getattr(w, "code", "") == SAME_PERSON and SAME_PERSON not in allow:
            lines.append(_("{problem}. A person listed twice could be placed twice: remove the duplicate rows, or "
                           "pass --allow-duplicates to go on.").format(problem=scrub(str(w)).rstrip(".")))
        if getattr(w, "code", "") == "key_column" and w.column in KEY_COLUMNS and w.column not in allow:
            label, consequence = KEY_COLUMNS[w.column]
            lines.append(_("{file}: the key column {label} ({column}) is missing or empty on every row: "
                           "{consequence}. Add it to the file (a header jhmatch does not know can be named with "
                           "--map HEADER={column}), or pass --allow-missing {column} to go on without it.").format(
                file=file, label=_(label), column=w.column, consequence=_(consequence)))
    if lines:
        raise ParameterError("\n".join(lines))


def load(path: Path, kind: str, sheet: str | None = None, maps: dict[str, str] | None = None,
         echo_warnings: bool = True, allow_missing: set[str] | None = None) -> Any:
    """Read and validate one table; print its warnings to stderr; with ``allow_missing`` (a set), check key columns."""
    from jhmatch.data import schema
    from jhmatch.data.io import read_table

    frame = read_table(path, sheet=sheet) if sheet is not None else read_table(path)
    df = getattr(schema, f"validate_{kind}")(frame, column_map=maps)
    if echo_warnings:
        for w in schema.table_warnings(df):
            code = getattr(w, "code", "")
            if allow_missing is None or code not in ("key_column", SAME_PERSON) or w.column in allow_missing \
                    or (code == SAME_PERSON and SAME_PERSON in allow_missing):
                typer.echo(_("warning: {message}").format(message=scrub(str(w))), err=True)
    if allow_missing is not None and kind == "persons":
        check_key_columns(df, path, allow_missing)
    return df


def guess_table(path: Path) -> str:
    """Which table a file holds, from its name (``求职人员.csv`` → persons)."""
    name = path.stem.lower()
    for kind, words in (("persons", ("person", "seeker", "people", "人员", "求职")),
                        ("posts", ("post", "job", "岗位")),
                        ("employers", ("employer", "单位", "企业")),
                        ("households", ("household", "家庭"))):
        if any(w in name for w in words):
            return kind
    raise ParameterError(_("cannot tell which table {file} is; pass --table {tables}").format(
        file=path.name, tables="|".join(TABLES)))
