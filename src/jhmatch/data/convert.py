"""Converting one raw column to its canonical values, with a problem for every cell that does not fit.

:func:`convert` is the heart of :meth:`jhmatch.data.table.TableSchema.validate`:
identifiers and text are kept as text (formula-like identifiers refused), ID and
certificate numbers checked, numbers checked for range and magnitude (limits of
:mod:`jhmatch.data.plausibility`), and labels, dates and yes/no values parsed once
per distinct value, so a million rows convert in seconds.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from jhmatch.data.ids import mask_id, parse_id_column
from jhmatch.data.values import parse_bool, parse_date
from jhmatch.errors import Problem, SchemaWarning, UnknownLabelError, show_value
from jhmatch.i18n import N_, ngettext
from jhmatch.i18n import gettext as _
from jhmatch.taxonomy import normalize_label

if TYPE_CHECKING:
    from jhmatch.data.table import Column

__all__ = ["TEXT", "convert", "is_missing"]

TEXT = pd.StringDtype()
"""The dtype of text columns after validation."""


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


def is_missing(raw: pd.Series) -> np.ndarray:
    missing = raw.isna().to_numpy()
    if raw.dtype == object or isinstance(raw.dtype, pd.StringDtype):
        text = raw.astype("object").where(~missing, "").astype(str).str.strip()
        missing = missing | (text == "").to_numpy() | text.str.lower().isin(["nan", "none", "null", "n/a", "na"]).to_numpy()
    return missing


def convert(col: Column, raw: pd.Series, problems: list[Problem], file: str | None,
             notes: list[SchemaWarning] | None = None) -> pd.Series:
    n = len(raw)
    missing = is_missing(raw)
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
        is_bool = _booleans(raw, obj)
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
        low = ok & (v < col.min) if col.min is not None else np.zeros(n, bool)
        if col.min == 0:  # -0 is written with a minus: refused where negative values are
            zero = np.flatnonzero(ok & (v == 0))
            low[zero] = np.signbit(v[zero]) | np.fromiter(
                (isinstance(x, str) and x.strip().startswith("-") for x in obj.to_numpy()[zero]), dtype=bool,
                count=len(zero))
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
            failures[u] = (str(exc) if isinstance(exc, ValueError) else col.what(), accepted)  # ValueFormatError: expected
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


def _booleans(raw: pd.Series, obj: pd.Series) -> np.ndarray:
    """Cells holding a boolean (True is not a count of 1): looked at one by one only when some may be."""
    if pd.api.types.is_bool_dtype(raw.dtype):
        return np.ones(len(raw), dtype=bool)
    if raw.dtype != object or pd.api.types.infer_dtype(obj, skipna=True) not in ("boolean", "mixed"):
        return np.zeros(len(raw), dtype=bool)
    return np.fromiter((isinstance(x, (bool, np.bool_)) for x in obj.to_numpy()), dtype=bool, count=len(raw))


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
