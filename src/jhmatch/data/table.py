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
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.data import headers, plausibility
from jhmatch.data.ids import mask_id, parse_id_column
from jhmatch.data.values import parse_bool, parse_date
from jhmatch.errors import Problem, SchemaError, SchemaWarning, UnknownLabelError, show_value
from jhmatch.i18n import N_, ngettext
from jhmatch.i18n import gettext as _
from jhmatch.taxonomy import normalize_label

__all__ = ["TEXT", "Column", "TableSchema", "parse_bool", "parse_date", "table_warnings"]

TEXT = pd.StringDtype()

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
        For ``"label"`` columns: raw value → canonical value (raises on unknown).
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

    def column(self, name: str) -> Column:
        """The column called ``name``."""
        for col in (*self.columns, *self.kept):
            if col.name == name:
                return col
        raise KeyError(name)

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
        return all(frame[c.name].dtype == c.dtype for c in self.columns if c.kind not in ("label", "resident_id", "certificate", "id", "text"))

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
            out[col.name] = _convert(col, raw, problems, file, notes)
        for col in self.kept:
            if col.name in seen:
                out[col.name] = _convert(col, _column(frame, seen[col.name]), problems, file, notes)
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
        result.attrs = {k: v for k, v in frame.attrs.items()}
        result.attrs["validated"] = self.name
        # plain dicts: attrs are copied by pandas and serialised to JSON by Parquet
        result.attrs["warnings"] = [{"message": w.message, "column": w.column, "file": w.file,
                                     "suggestion": w.suggestion, "code": w.code} for w in notes]
        return result


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


_NUMBER_SHAPED = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$|^\d{12,}\.\d*$")
_STORED_AS_NUMBER = N_("Excel stored this ID as a number and lost digits (Excel 将号码存成了数字，末几位已丢失); "
                       "format the column as text (设置单元格格式为“文本”) and enter the numbers again")
_IDENTIFIER_AS_NUMBER = N_("Excel stored this identifier as a number and lost digits (Excel 将号码存成了数字，末几位已丢失); "
                           "format the column as text (设置单元格格式为“文本”) and enter the numbers again")


def _stored_as_number(raw: pd.Series, present: np.ndarray) -> np.ndarray:
    """Cells holding an ID as a float (3.30782199001011E+17, 330782199001011000.0): its last digits are gone."""
    values = raw.astype("object").to_numpy()
    out = np.zeros(len(raw), dtype=bool)
    for i in np.flatnonzero(present):
        v = values[i]
        if isinstance(v, (float, np.floating)):
            out[i] = abs(v) >= 2.0**53  # beyond 2**53 a float no longer holds every digit
        elif isinstance(v, str):
            out[i] = bool(_NUMBER_SHAPED.match(v.strip()))
    return out


def _is_missing(raw: pd.Series) -> np.ndarray:
    missing = raw.isna().to_numpy()
    if raw.dtype == object or isinstance(raw.dtype, pd.StringDtype):
        text = raw.astype("object").where(~missing, "").astype(str).str.strip()
        missing = missing | (text == "").to_numpy() | text.str.lower().isin(["nan", "none", "null", "n/a", "na"]).to_numpy()
    return missing


def _convert(col: Column, raw: pd.Series, problems: list[Problem], file: str | None,
             notes: list[SchemaWarning] | None = None) -> pd.Series:
    n = len(raw)
    missing = _is_missing(raw)
    rows = np.arange(1, n + 1)
    shown = (lambda v: mask_id(v)) if col.kind in ("resident_id", "certificate") else (lambda v: v)

    if col.required and col.default is None:
        for r in rows[missing]:
            problems.append(Problem(int(r), col.name, raw.iloc[r - 1] if not pd.isna(raw.iloc[r - 1]) else "",
                                    _("a value ({description})").format(description=col.what()), file))

    if col.kind in ("id", "text"):
        text = raw.astype("object").where(~missing, None)
        present = ~missing
        vals = text[present].map(_id_text if col.kind == "id" else lambda v: str(v).strip())
        values = pd.Series([None] * n, dtype="object")
        values[present] = vals.to_numpy()
        if col.default is not None:
            values[~present] = col.default
        series = values.astype(TEXT)
        if col.kind == "id":
            for r in rows[_stored_as_number(raw, present)]:
                problems.append(Problem(int(r), col.name, raw.iloc[r - 1], _(_IDENTIFIER_AS_NUMBER), file))
            risky = present & series.fillna("").str.contains(r"^[=+\-@]|[\x00-\x1f]", regex=True).to_numpy(dtype=bool)
            for r in rows[risky]:
                problems.append(Problem(int(r), col.name, series.iloc[r - 1],
                                        _("an identifier that does not start with =, +, -, @ and has no control "
                                          "characters"), file))
        if col.unique:
            dup = series.duplicated(keep=False).to_numpy() & present
            for r in rows[dup]:
                problems.append(Problem(int(r), col.name, shown(series.iloc[r - 1]),
                                        _("a unique value (it appears more than once)"), file))
        return series

    if col.kind in ("resident_id", "certificate"):
        kind = "resident" if col.kind == "resident_id" else "certificate"
        parsed = parse_id_column(raw.astype("object").where(~missing, None), kind=kind)
        as_number = _stored_as_number(raw, ~missing)
        integer = raw.astype("object").map(lambda v: isinstance(v, (int, np.integer)) and not isinstance(v, bool)).to_numpy(dtype=bool)
        bad = (parsed["error"].to_numpy() != "") | as_number
        for r in rows[bad]:
            if as_number[r - 1]:
                why = (_("a resident ID written as text: {why}") if kind == "resident"
                       else _("a certificate number written as text: {why}")).format(why=_(_STORED_AS_NUMBER))
            else:
                why = (_("a valid resident ID: {reason}") if kind == "resident"
                       else _("a valid certificate number: {reason}")).format(reason=parsed["error"].iloc[r - 1])
                if integer[r - 1]:
                    why += _(" (it was stored as a number, which loses an X check character and digits; "
                             "store IDs as text)")
            problems.append(Problem(int(r), col.name, mask_id(parsed["number"].iloc[r - 1]), why, file))
        return parsed["number"].astype(TEXT)

    if col.kind in ("int", "float"):
        obj = raw.astype("object")
        is_bool = obj.map(lambda x: isinstance(x, (bool, np.bool_))).to_numpy(dtype=bool)
        num = pd.to_numeric(obj.where(~missing & ~is_bool, None), errors="coerce").astype("float64")
        v = num.to_numpy()
        with np.errstate(invalid="ignore"):
            not_number = ~missing & np.isnan(v)
            not_finite = ~missing & ~not_number & ~np.isfinite(v)
            fractional = ~missing & ~not_number & ~not_finite & (v != np.round(v)) if col.kind == "int" else np.zeros(n, bool)
            if col.kind == "int":  # beyond 2**53 a float no longer holds every whole number exactly
                fractional |= ~missing & ~not_number & ~not_finite & (np.abs(v) > 2.0**53)
        what = _("a whole number ({description})") if col.kind == "int" else _("a finite number ({description})")
        for r in rows[not_number | not_finite | fractional]:
            problems.append(Problem(int(r), col.name, raw.iloc[r - 1], what.format(description=col.what()), file))
        ok = ~missing & ~(not_number | not_finite | fractional)
        upper = col.upper()
        # -0 is written with a minus: refused where negative values are
        minus = np.signbit(v) | obj.map(lambda x: isinstance(x, str) and x.strip().startswith("-")).to_numpy(dtype=bool)
        low = ok & ((v < col.min) | ((col.min == 0) & minus)) if col.min is not None else np.zeros(n, bool)
        high = ok & (v > upper) if upper is not None else np.zeros(n, bool)
        for r in rows[low | high]:
            problems.append(Problem(int(r), col.name, raw.iloc[r - 1], _range_text(col), file))
        clean = num.where(ok & ~low & ~high)
        if col.default is not None:
            clean = clean.where(~missing, col.default)
        if col.kind == "int":
            return clean.astype("Int64") if col.dtype == "Int64" or clean.isna().any() else clean.astype("int64")
        return clean

    # bool, date, label: parse each distinct raw value once
    parser: Callable[[Any], Any]
    if col.kind == "bool":
        parser = parse_bool
    elif col.kind == "date":
        parser = parse_date
    else:
        assert col.parser is not None, col.name
        parser = col.parser
    present = ~missing
    raw_present = raw[present]
    keys = raw_present.astype(str) if raw_present.dtype == object else raw_present
    uniques = pd.unique(keys)
    mapping: dict[Any, Any] = {}
    failures: dict[Any, tuple[str, tuple[str, ...]]] = {}
    accepted = col.accepted()
    for u in uniques:
        try:
            mapping[u] = parser(u)
        except UnknownLabelError as exc:
            failures[u] = (col.what(), accepted or exc.shown)
        except (ValueError, TypeError) as exc:
            failures[u] = (str(exc) if isinstance(exc, ValueError) else col.what(), accepted)
    if failures:
        bad_rows = rows[present][keys.isin(list(failures)).to_numpy()]
        for r in bad_rows:
            value = raw.iloc[r - 1]
            key = str(value) if raw.dtype == object else value
            why, shown_values = failures.get(key) or (col.what(), accepted)
            problems.append(Problem(int(r), col.name, value, why, file, shown_values))
    if col.readings and notes is not None:
        readings = {normalize_label(k): why for k, why in col.readings}
        for u in mapping:
            why = readings.get(normalize_label(u))
            if why is not None:
                count = int((keys == u).sum())
                text = ngettext("{n} row with {value}: {why}", "{n} rows with {value}: {why}", count)
                notes.append(SchemaWarning(text.format(n=count, value=show_value(u), why=_(why)), col.name, file,
                                           None, "value_read_as"))
    parsed = keys.map(mapping)
    values = pd.Series([None] * n, dtype="object")
    values[present] = parsed.to_numpy()
    if col.default is not None:
        values[missing] = col.default
    if col.kind == "bool":
        return values.astype("bool" if col.default is not None else "boolean")
    if col.kind == "date":
        return pd.to_datetime(values).astype("datetime64[ns]")
    if col.kind == "ordinal":
        return values.astype("Int64")
    return values.astype(TEXT)


def _id_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _range_text(col: Column) -> str:
    def num(x: float) -> str:
        return f"{int(x):,}" if float(x).is_integer() else f"{x:g}"

    upper = col.upper()
    if col.limit is not None and upper is not None:
        text = _("a value between {low} and {high} ({description}; the limit {limit})") if col.min is not None \
            else _("a value of at most {high} ({description}; the limit {limit})")
        return text.format(low=num(col.min) if col.min is not None else "", high=num(upper), description=col.what(),
                           limit=col.limit)
    if col.min is not None and col.max is not None:
        text = _("a value between {low} and {high} ({description})")
    elif col.min is not None:
        text = _("a value of at least {low} ({description})")
    else:
        text = _("a value of at most {high} ({description})")
    return text.format(low=num(col.min) if col.min is not None else "", high=num(col.max) if col.max is not None else "",
                       description=col.what())
