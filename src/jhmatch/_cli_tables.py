"""Reading the tables a command is given: column maps, sheets, warnings, which table a file is."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from jhmatch.data.ids import scrub

TABLES = ("persons", "posts", "employers", "households")

MapOption = Annotated[
    list[str] | None,
    typer.Option("--map", help="Use a column under another name: HEADER=column, e.g. --map 所在地区=county "
                               "(repeatable; HEADER= ignores the column), or a TOML file of HEADER = \"column\" lines."),
]
SheetOption = Annotated[str | None, typer.Option("--sheet", help="Excel sheet to read (default: the first).")]


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
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise typer.BadParameter(f"{item}: cannot read the column map: {exc}") from None
            table = data.get("columns", data)
            bad = [k for k, v in table.items() if not isinstance(v, str)]
            if bad:
                raise typer.BadParameter(f"{item}: {bad[0]!r} must map to a column name in quotes")
            out.update(table)
            continue
        header, sep, column = item.partition("=")
        if not sep or not header.strip():
            raise typer.BadParameter(f"--map {item!r}: expected HEADER=column, e.g. --map 所在地区=county")
        out[header.strip()] = column.strip()
    return out


def load(path: Path, kind: str, sheet: str | None = None, maps: dict[str, str] | None = None,
          echo_warnings: bool = True) -> Any:
    """Read and validate one table; print its warnings (unrecognised columns, empty key columns) to stderr."""
    from jhmatch.data import schema
    from jhmatch.data.io import read_table

    frame = read_table(path, sheet=sheet) if sheet is not None else read_table(path)
    df = getattr(schema, f"validate_{kind}")(frame, column_map=maps)
    if echo_warnings:
        for w in schema.table_warnings(df):
            typer.echo(f"warning: {scrub(str(w))}", err=True)
    return df


def guess_table(path: Path) -> str:
    name = path.stem.lower()
    for kind, words in (("persons", ("person", "seeker", "people", "人员", "求职")),
                        ("posts", ("post", "job", "岗位")),
                        ("employers", ("employer", "单位", "企业")),
                        ("households", ("household", "家庭"))):
        if any(w in name for w in words):
            return kind
    raise typer.BadParameter(f"cannot tell which table {path.name} is; pass --table {'|'.join(TABLES)}")
