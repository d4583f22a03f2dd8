"""Headers as offices write them: matching them to columns, and saying what was not used.

A header is matched to a schema column by its canonical name or an alias, as
written, then without bracketed notes and marks (``月薪（元）``, ``*姓名``), then
without a leading ``是否`` (``是否低保``). A header that matches nothing is kept
unchanged in the validated table and reported with the closest known column; a
column map (``{"所在地区": "county"}``) assigns it without editing the file. Row
numbers (``序号``) are ignored with a note. Key columns that are missing or empty
on every row are reported with what follows for the plan's figures.
"""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING, Any

import pandas as pd

from jhmatch.errors import Problem, SchemaWarning, table_label
from jhmatch.i18n import gettext as _
from jhmatch.taxonomy import normalize_label

if TYPE_CHECKING:
    from jhmatch.data.table import Column, TableSchema

__all__ = ["ROW_NUMBER_HEADERS", "closest_column", "fold_header", "key_notes", "match_header", "resolve_headers",
           "second_header", "zh_name"]

ROW_NUMBER_HEADERS: tuple[str, ...] = ("序号", "行号", "顺序号")
"""Headers of row-number columns: ignored with a note (a row number is not an id)."""

_ROW_NUMBER_KEYS = frozenset(normalize_label(h) for h in ROW_NUMBER_HEADERS)


def fold_header(raw: Any) -> str:
    """A header without bracketed notes, required-field marks and a trailing colon.

    Examples
    --------
    >>> fold_header("月薪（元）"), fold_header("*姓名："), fold_header("身份证号码【18位】")
    ('月薪', '姓名', '身份证号码')
    """
    key = normalize_label(raw)
    key = re.sub(r"\(.*?\)|\[.*?\]|【.*?】|<.*?>", "", key)
    return key.strip("*※:：")


def zh_name(col: Column) -> str:
    """The column's first Chinese alias (its name as offices write it), or ``""``."""
    return next((a for a in col.aliases if re.search(r"[\u4e00-\u9fff]", a)), "")


def match_header(hmap: dict[str, str], raw: Any) -> str | None:
    """The canonical column a header names in ``hmap`` (normalised alias → column), or ``None``.

    Examples
    --------
    >>> match_header({"低保": "low_income"}, "是否低保")
    'low_income'
    """
    key = normalize_label(raw)
    if key in hmap:
        return hmap[key]
    folded = fold_header(raw)
    if folded in hmap:
        return hmap[folded]
    if folded.startswith("是否") and folded[2:] in hmap:
        return hmap[folded[2:]]
    return None


def closest_column(hmap: dict[str, str], raw: Any) -> str | None:
    """The column whose alias is inside the header (or holds it), else the closest by spelling.

    Examples
    --------
    >>> closest_column({"县市区": "county", "地区": "county", "姓名": "name"}, "户籍所在地区")
    'county'
    """
    key = fold_header(raw)
    if len(key) < 2:
        return None
    best, size = None, 0
    for alias, canon in hmap.items():
        inside = len(alias) >= (4 if alias.isascii() else 2) and alias in key
        if (inside or key in alias) and len(alias) > size:
            best, size = canon, len(alias)
    if best is not None:
        return best
    close = difflib.get_close_matches(key, list(hmap), n=1, cutoff=0.6)
    return hmap[close[0]] if close else None


def resolve_headers(schema: TableSchema, frame: pd.DataFrame, column_map: dict[str, str] | None,
                    file: str | None, problems: list[Problem],
                    notes: list[SchemaWarning]) -> tuple[dict[str, Any], list[Any]]:
    """Map each raw header to a column; return (column → raw header, unrecognised raw headers).

    Conflicts and bad map targets are appended to ``problems``; unrecognised and
    ignored columns to ``notes``.
    """
    hmap = schema.header_map()
    names = [c.name for c in schema.columns]
    wanted = {normalize_label(k): v for k, v in (column_map or {}).items()}
    seen: dict[str, Any] = {}
    extra: list[Any] = []
    counts = pd.Series([str(c) for c in frame.columns]).value_counts()
    repeated = set(counts.index[counts.to_numpy() > 1])
    for header in sorted(repeated):
        canon = match_header(hmap, header)
        problems.append(Problem(None, canon or header, _("{n} columns with this header").format(n=int(counts[header])),
                                _("each header once: rename or delete the repeated column"), file, (), header))
    for raw in frame.columns:
        if str(raw) in repeated:
            continue
        key = normalize_label(raw)
        if key in wanted:
            target = str(wanted[key] or "").strip()
            if target in ("", "-"):
                notes.append(SchemaWarning(_("ignored, as the column map says"), str(raw), file, None,
                                           "ignored_column"))
                continue
            canon = hmap.get(normalize_label(target))
            if canon is None:
                problems.append(Problem(None, str(raw), target, _("a column of the {table} table to map it to: "
                                                                  "{columns}").format(table=table_label(schema.name),
                                                                                      columns=", ".join(names)), file))
                continue
        else:
            canon = match_header(hmap, raw)
        if canon is None and key in _ROW_NUMBER_KEYS:
            notes.append(SchemaWarning(
                _("a row number, not an id: ignored; if these are the ids, map it: {option}").format(
                    option=f"--map {raw}={names[0]}"), str(raw), file, names[0], "ignored_column"))
            continue
        if canon is None:
            extra.append(raw)
        elif canon in seen:
            problems.append(Problem(None, canon, str(raw), _("one column for {column}, but {other} maps to it too").format(
                column=repr(canon), other=repr(seen[canon])), file))
        else:
            seen[canon] = raw
    _unknown_notes(schema, hmap, extra, file, notes)
    return seen, extra


NOTED_UNKNOWN = 50
"""Unrecognised columns noted one by one (with the closest known column); the rest in one note."""


def _unknown_notes(schema: TableSchema, hmap: dict[str, str], extra: list[Any], file: str | None,
                   notes: list[SchemaWarning]) -> None:
    for raw in extra[:NOTED_UNKNOWN]:
        near = closest_column(hmap, raw)
        text = _("not a known {table} column: kept unchanged but not used").format(table=table_label(schema.name))
        if near is not None:
            zh = zh_name(schema.column(near))
            text += _("; closest known column: {column}; to use it as that column: {option}").format(
                column=near + (f" ({zh})" if zh else ""), option=f"--map {raw}={near}")
        notes.append(SchemaWarning(text, str(raw), file, near, "unknown_column"))
    rest = extra[NOTED_UNKNOWN:]
    if rest:
        shown = ", ".join(repr(str(r))[:40] for r in rest[:5])
        notes.append(SchemaWarning(_("{n} more columns not known to the {table} table, kept unchanged but not used: "
                                     "{headers}, …").format(n=f"{len(rest):,}", table=table_label(schema.name),
                                                            headers=shown), None, file, None, "unknown_column"))


def second_header(schema: TableSchema, frame: pd.DataFrame, file: str | None, problems: list[Problem]) -> bool:
    """A first data row made of column names: a header of two rows that was not recognised as one.

    Spreadsheets without merged cells (CSV, or an Excel header whose upper row
    names groups) leave the lower header row among the data; validating it would
    report a wrong value in every column, so it is reported once, as what it is.
    """
    if not len(frame):
        return False
    hmap = schema.header_map()
    first = frame.iloc[0].tolist()
    present = [v for v in first if isinstance(v, str) and v.strip()]
    named = [v for v in present if match_header(hmap, v) is not None]
    if len(named) >= 3 or (len(named) >= 2 and 2 * len(named) >= len(present)):
        problems.append(Problem(1, None, ", ".join(named[:6]),
                                _("a data row, not a second header row: these cells are column names; make the header "
                                  "one row (merge the two header rows, or delete the one above)"), file))
        return True
    return False


def key_notes(schema: TableSchema, frame: pd.DataFrame, seen: dict[str, Any], file: str | None,
              notes: list[SchemaWarning]) -> None:
    """Append a note for every key column of ``schema`` that is missing or empty on every row."""
    from jhmatch.data.convert import is_missing as _is_missing
    from jhmatch.i18n import get_language

    for name, consequence in schema.key_columns:
        zh = zh_name(schema.column(name))
        label = (f"{zh} ({name})" if get_language() == "zh" else f"{name} ({zh})") if zh else name
        if name not in seen:
            notes.append(SchemaWarning(_("key column {column} is missing: {consequence}").format(
                column=label, consequence=_(consequence)), name, file, None, "key_column"))
        elif len(frame) and _is_missing(frame[seen[name]].astype("object")).all():
            notes.append(SchemaWarning(_("key column {column} ({header} in the file) is empty on every row: "
                                         "{consequence}").format(column=label, header=repr(seen[name]),
                                                                 consequence=_(consequence)),
                                       name, file, None, "key_column"))
