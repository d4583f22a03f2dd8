"""The ``jhmatch`` command line: thin over the public API.

Exit codes: 0 success; 1 infeasible, or plan targets not met with ``--strict``;
2 bad input (the message names the file, row, column and value; no traceback).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from jhmatch.data.ids import scrub
from jhmatch.errors import InfeasibleError, JhmatchError

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

EXIT_OK, EXIT_INFEASIBLE, EXIT_BAD_INPUT = 0, 1, 2


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


_TABLES = ("persons", "posts", "employers", "households")


@app.command()
@_guard
def validate(
    files: Annotated[list[Path], typer.Argument(help="Tables to check (CSV, Excel or Parquet).")],
    table: Annotated[
        str | None,
        typer.Option(help="Table kind for every file: persons, posts, employers or households "
                          "(default: guessed from each file name)."),
    ] = None,
) -> None:
    """Check tables and list every problem; nothing else is done.

    Example: jhmatch validate persons.csv posts.xlsx
    """
    from jhmatch.data import schema
    from jhmatch.data.io import read_table
    from jhmatch.errors import SchemaError

    failures: list[str] = []
    for path in files:
        kind = table or _guess_table(path)
        validator = getattr(schema, f"validate_{kind}")
        try:
            df = validator(read_table(path))
        except SchemaError as exc:
            failures.append(scrub(str(exc)))
            continue
        typer.echo(f"{path}: {len(df)} {kind} rows, valid")
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


def _guess_table(path: Path) -> str:
    name = path.stem.lower()
    for kind, words in (("persons", ("person", "seeker", "people", "人员", "求职")),
                        ("posts", ("post", "job", "岗位")),
                        ("employers", ("employer", "单位", "企业")),
                        ("households", ("household", "家庭"))):
        if any(w in name for w in words):
            return kind
    raise typer.BadParameter(f"cannot tell which table {path.name} is; pass --table {'|'.join(_TABLES)}")


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
