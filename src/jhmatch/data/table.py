"""The table-validation engine: columns, schemas, cell parsers, vectorised conversion.

A :class:`TableSchema` lists :class:`Column` objects; :meth:`TableSchema.validate`
maps header aliases to canonical names, converts every column (labels are parsed
once per distinct value), runs cross-column checks, and raises
:class:`~jhmatch.errors.SchemaError` listing every problem at once. The concrete
schemas of jhmatch's tables live in :mod:`jhmatch.data.schema`; other modules (the
policy rules) build their own schemas from the same parts.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.data import headers, plausibility
from jhmatch.data.convert import TEXT, convert
from jhmatch.data.convert import is_missing as _is_missing  # noqa: F401 - kept for callers of the old name
from jhmatch.data.values import parse_bool, parse_date
from jhmatch.errors import NotFoundError, Problem, SchemaError, SchemaWarning
from jhmatch.i18n import gettext as _
from jhmatch.taxonomy import normalize_label

__all__ = ["TEXT", "Column", "TableSchema", "parse_bool", "parse_date", "table_warnings"]


# ----------------------------------------------------------------------------- columns


@dataclass(frozen=True)
class Column:
    """One column of a table schema.

    Attributes
    ----------
    name : str
        Canonical English name.
    kind : str
        ``"id"``, ``"text"``, ``"int"``, ``"float"``, ``"bool"``, ``"date"``,
        ``"label"`` (text parsed by ``parser``), ``"ordinal"`` (an integer level parsed
        by ``parser``), ``"resident_id"`` or ``"certificate"``.
    required : bool
        Must be present as a column, and (unless ``default`` is given) non-missing.
    default : object
        Value used for missing cells (or a missing optional column); ``None`` keeps
        them missing.
    aliases : tuple of str
        Accepted header spellings (Chinese and English).
    description : str
        What the column means (shown in docs and errors): an English message
        marked with ``N_`` and translated where shown.
    parser : callable, optional
        For ``"label"`` columns: raw value → canonical value; raises
        :class:`~jhmatch.errors.ValueFormatError` (its message: what was expected) or
        :class:`~jhmatch.errors.UnknownLabelError`, which validation reports as a problem of the row.
    expected : str
        Wording of what is expected, for error messages.
    min, max : float, optional
        Inclusive bounds for numeric columns.
    unique : bool
        Values must be unique (ids).
    label_aliases : tuple of str, or callable returning one
        Accepted values, listed in messages; a callable lists them in the
        current language (``jhmatch.taxonomy.region_choices``).
    readings : tuple of (str, str)
        Values accepted as a best reading of something vaguer (``公益性岗位`` →
        村社便民服务), with the explanation; each is reported as a warning.
    limit : str, optional
        For numeric columns: the :class:`~jhmatch.data.plausibility.Limits` field
        that bounds the column from above (``"max_monthly_wage"``), in force when
        the table is validated.
    """

    name: str
    kind: str
    required: bool = False
    default: Any = None
    aliases: tuple[str, ...] = ()
    description: str = ""
    parser: Callable[[Any], Any] | None = None
    expected: str = ""
    min: float | None = None
    max: float | None = None
    unique: bool = False
    label_aliases: tuple[str, ...] | Callable[[], tuple[str, ...]] = ()
    readings: tuple[tuple[str, str], ...] = ()
    limit: str | None = None

    def upper(self) -> float | None:
        """The upper bound in force: ``max``, or the plausibility limit the column names."""
        if self.limit is None:
            return self.max
        bound = float(getattr(plausibility.current(), self.limit))
        return bound if self.max is None else min(bound, self.max)

    def accepted(self) -> tuple[str, ...]:
        """The accepted values as messages list them, in the current language."""
        aliases = self.label_aliases
        return tuple(aliases()) if callable(aliases) else tuple(aliases)

    def what(self) -> str:
        """What the column holds, in the current language (``expected`` or the description)."""
        return _(self.expected or self.description)

    @property
    def dtype(self) -> Any:
        """The pandas dtype of the validated column."""
        if self.kind == "int":
            return "int64" if self.default is not None or self.required else "Int64"
        if self.kind == "bool":
            return "bool" if self.default is not None else "boolean"
        return {"float": "float64", "date": "datetime64[ns]", "ordinal": "Int64"}.get(self.kind, TEXT)


def table_warnings(frame: pd.DataFrame) -> tuple[SchemaWarning, ...]:
    """The warnings validation left on a validated table (``frame.attrs["warnings"]``).

    Examples
    --------
    >>> from jhmatch.data.schema import validate_posts
    >>> df = validate_posts(pd.DataFrame({"post_id": ["q1"], "kind": ["保洁"], "county": ["义乌"],
    ...                                   "capacity": [1], "备注": ["x"]}))
    >>> [w.column for w in table_warnings(df)]
    ['备注']
    """
    return tuple(SchemaWarning(w["message"], w.get("column"), w.get("file"), w.get("suggestion"), w.get("code", ""))
                 for w in frame.attrs.get("warnings", ()))


@dataclass(frozen=True)
class TableSchema:
    """A table's columns and the cross-column checks that tie them together.

    Attributes
    ----------
    name : str
        What the table is (``"persons"``, ...).
    columns : tuple of Column
    checks : tuple of callable
        Cross-column checks ``check(frame, problems, file)``.
    key_columns : tuple of (str, str)
        Optional columns the plan's figures depend on, with what follows when one
        is absent or empty on every row; validation warns about them.
    kept : tuple of Column
        Columns recognised under their aliases and kept, converted, after the
        canonical ones when a table has them (a telephone, an employer's name),
        but not added when it does not.
    notices : tuple of callable
        Checks of a valid table that warn without refusing,
        ``notice(frame, rows, file) -> list of SchemaWarning`` (``rows``: the row
        numbers as the file shows them).

    Examples
    --------
    >>> schema = TableSchema("things", (Column("thing_id", "id", required=True, unique=True),))
    >>> schema.validate(pd.DataFrame({"thing_id": ["a", "b"]}))["thing_id"].tolist()
    ['a', 'b']
    """

    name: str
    columns: tuple[Column, ...]
    checks: tuple[Callable[[pd.DataFrame, list[Problem], str | None], None], ...] = field(default=())
    key_columns: tuple[tuple[str, str], ...] = field(default=())
    kept: tuple[Column, ...] = field(default=())
    notices: tuple[Callable[[pd.DataFrame, np.ndarray, str | None], list[SchemaWarning]], ...] = field(default=())

    def column(self, name: str) -> Column:
        """The column called ``name``."""
        for col in (*self.columns, *self.kept):
            if col.name == name:
                return col
        raise NotFoundError(f"{self.name} has no column {name!r}")

    def is_canonical(self, frame: pd.DataFrame) -> bool:
        """True when ``frame`` came out of :meth:`validate` and still has its canonical columns and dtypes.

        A cheap structural check (no row is read) used to skip re-validating tables
        that pass through several steps; values edited in place afterwards are trusted.

        Examples
        --------
        >>> schema = TableSchema("things", (Column("thing_id", "id", required=True),))
        >>> df = schema.validate(pd.DataFrame({"thing_id": ["a"]}))
        >>> schema.is_canonical(df), schema.is_canonical(df.rename(columns={"thing_id": "x"}))
        (True, False)
        """
        if not isinstance(frame, pd.DataFrame) or frame.attrs.get("validated") != self.name:
            return False
        names = [c.name for c in self.columns]
        if list(frame.columns[: len(names)]) != names:
            return False
        return all(frame[c.name].dtype in _ACCEPTED.get(c.dtype, (c.dtype,))
                   for c in self.columns if c.kind not in ("label", "resident_id", "certificate", "id", "text"))

    def header_map(self) -> dict[str, str]:
        """Normalised header spelling → canonical column name."""
        table: dict[str, str] = {}
        for col in (*self.columns, *self.kept):
            for alias in (col.name, *col.aliases):
                table[normalize_label(alias)] = col.name
        return table

    def match_header(self, raw: Any, hmap: dict[str, str] | None = None) -> str | None:
        """The canonical column a header names, or ``None`` (see :func:`jhmatch.data.headers.match_header`).

        Examples
        --------
        >>> from jhmatch.data.schema import PERSONS
        >>> PERSONS.match_header("身份证号码（18位）"), PERSONS.match_header("是否低保")
        ('id_number', 'low_income')
        """
        return headers.match_header(self.header_map() if hmap is None else hmap, raw)

    def closest_column(self, raw: Any) -> str | None:
        """The known column whose name or alias is closest to an unrecognised header.

        Examples
        --------
        >>> from jhmatch.data.schema import PERSONS
        >>> PERSONS.closest_column("户籍所在地区")
        'county'
        """
        return headers.closest_column(self.header_map(), raw)

    def validate(self, frame: pd.DataFrame, file: str | None = None,
                 column_map: dict[str, str] | None = None) -> pd.DataFrame:
        """Return a normalised copy of ``frame`` or raise :class:`SchemaError`.

        Parameters
        ----------
        frame : DataFrame
            Raw table; headers may use any accepted alias.
        file : str, optional
            Where the table came from, for messages (defaults to
            ``frame.attrs["source"]`` as set by :func:`jhmatch.data.io.read_table`).
        column_map : dict, optional
            Raw header → column name (or any alias of it) for headers jhmatch does
            not recognise, e.g. ``{"所在地区": "county"}``; map to ``""`` to ignore a
            column.

        Returns
        -------
        DataFrame
            Canonical columns first, then unrecognised columns unchanged;
            ``attrs["warnings"]`` records a :class:`~jhmatch.errors.SchemaWarning` for
            every unrecognised or ignored column and every key column that is
            missing or empty; read them with :func:`table_warnings`.
        """
        if not isinstance(frame, pd.DataFrame):
            raise SchemaError([Problem(None, None, type(frame).__name__, _("a pandas DataFrame"), file)], self.name)
        file = file if file is not None else frame.attrs.get("source")
        plausibility.check_shape(frame, self.name, file)
        problems: list[Problem] = []
        notes = [SchemaWarning(str(text), None, file, None, "read") for text in frame.attrs.get("read_notes", ())]
        seen, extra = headers.resolve_headers(self, frame, column_map, file, problems, notes)
        names = {raw: canon for canon, raw in seen.items()}
        ids = {raw for canon, raw in seen.items() if self.column(canon).kind == "id"}
        plausibility.check_cells(frame, names, ids, problems, file)
        two_row_header = headers.second_header(self, frame, file, problems)
        n = len(frame)
        out: dict[str, pd.Series] = {}
        index = pd.RangeIndex(n)
        flagged = {p.column for p in problems if p.row is None}
        for col in self.columns:
            if col.name not in seen:
                if col.required:
                    if col.name in flagged:
                        continue
                    problems.append(Problem(None, col.name, _("(missing column)"),
                                            _("a column {name}: {description}").format(
                                                name=repr(col.name), description=col.what()),
                                            file, (col.name, *col.aliases)))
                    continue
                raw = pd.Series([None] * n, index=index, dtype="object")
            else:
                raw = _column(frame, seen[col.name])
            out[col.name] = convert(col, raw, problems, file, notes)
        for col in self.kept:
            if col.name in seen:
                out[col.name] = convert(col, _column(frame, seen[col.name]), problems, file, notes)
        result = pd.DataFrame(out, index=index)
        if extra:  # unrecognised columns, kept unchanged after the canonical ones (one block, however many)
            where = {raw: i for i, raw in enumerate(frame.columns)}
            kept = frame.iloc[:, [where[raw] for raw in extra]].reset_index(drop=True)
            kept.attrs = {}
            result = pd.concat([result, kept], axis=1)
        if all(col.name in result.columns for col in self.columns):
            for check in self.checks:  # cross-column checks need every column
                check(result, problems, file)
        if problems:
            if two_row_header:  # the first "data" row is a header row: the rest follows from that
                problems = [p for p in problems if p.row == 1 and p.column is None]
            problems = _file_rows(problems, frame)
            problems = _file_headers(problems, seen)
            problems.sort(key=lambda p: (p.row if p.row is not None else -1, str(p.column)))
            raise SchemaError(problems, self.name + (f" ({file})" if file else ""))
        headers.key_notes(self, frame, seen, file, notes)
        if self.notices:
            from jhmatch.data.io import source_rows

            rows = source_rows(frame)
            rows = np.arange(1, n + 1) if rows is None else rows
            for notice in self.notices:
                notes.extend(notice(result, rows, file))
        result.attrs = {k: v for k, v in frame.attrs.items()}
        result.attrs["validated"] = self.name
        # plain dicts: attrs are copied by pandas and serialised to JSON by Parquet
        result.attrs["warnings"] = [{"message": w.message, "column": w.column, "file": w.file,
                                     "suggestion": w.suggestion, "code": w.code} for w in notes]
        return result


_ACCEPTED = {"boolean": ("boolean", "bool"), "Int64": ("Int64", "int64")}
"""A nullable column may hold its non-nullable dtype (a cross check filled every missing value)."""


def _column(frame: pd.DataFrame, raw: Any) -> pd.Series:
    """The column headed ``raw`` (the first, when a header repeats), with a fresh 0-based index."""
    s = frame[raw]
    if isinstance(s, pd.DataFrame):
        s = s.iloc[:, 0]
    return s.reset_index(drop=True)


def _file_headers(problems: list[Problem], seen: dict[str, Any]) -> list[Problem]:
    """Problems with the column's header as the file writes it (``所在地区`` for ``county``)."""
    return [dataclasses.replace(p, header=str(seen[p.column])) if p.column in seen and p.header is None
            and str(seen[p.column]) != p.column else p for p in problems]


def _file_rows(problems: list[Problem], frame: pd.DataFrame) -> list[Problem]:
    """Problems with data-row numbers turned into the rows the source file shows (see ``source_rows``)."""
    from jhmatch.data.io import source_rows

    rows = source_rows(frame)
    if rows is None:
        return problems
    n = len(rows)
    return [dataclasses.replace(p, row=int(rows[p.row - 1])) if p.row is not None and 1 <= p.row <= n else p
            for p in problems]
