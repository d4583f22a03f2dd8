"""Where a sheet's header is: title rows above it, headers of two rows, merged cells.

Offices export tables with a title (``金华市残疾人求职登记表``), a line such as
``填报单位：…  日期：…`` and sometimes a header of two rows whose upper cells are
merged over several columns (``残疾情况`` over ``类别`` and ``等级``) or down
over both rows (``身份证号``). The header is the first row, among the first
:data:`SCAN_ROWS` non-blank ones, that fills at least half as many cells as the
widest of them; merged cells tell how many rows it spans, and the rows of a
header of several rows are combined column by column.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.errors import Problem, SchemaError
from jhmatch.i18n import gettext as _

__all__ = ["SCAN_ROWS", "Merge", "fill_merged", "promote_header", "row_segments"]

SCAN_ROWS = 30
"""Non-blank rows searched for the header (title and note rows above it are dropped)."""

Merge = tuple[int, int, int, int]
"""A merged range as 0-based (first row, first column, last row, last column) of the sheet."""


def fill_merged(frame: pd.DataFrame, merges: list[Merge]) -> pd.DataFrame:
    """Every cell of a merged range holds the range's value, as the sheet shows it.

    Examples
    --------
    >>> fill_merged(pd.DataFrame([["义乌", "a"], [None, "b"]]), [(0, 0, 1, 0)])[0].tolist()
    ['义乌', '义乌']
    """
    if not merges:
        return frame
    values = frame.to_numpy(dtype=object, copy=True)
    n, m = values.shape
    for r0, c0, r1, c1 in merges:
        if r0 < n and c0 < m:
            values[r0:r1 + 1, c0:c1 + 1] = values[r0, c0]
    return pd.DataFrame(values, columns=frame.columns)


def _header_name(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).lstrip("\ufeff").strip()
    return text or None


def promote_header(frame: pd.DataFrame, source: str, numbers: np.ndarray | None = None,
                   merges: list[Merge] | None = None) -> pd.DataFrame:
    """Find the header, drop the rows above it, and return the data rows under their headers.

    Parameters
    ----------
    frame : DataFrame
        The rows of the file, numbered ``numbers`` (default: position + 1, as for
        Excel, where blank rows come as missing).
    source : str
        The file, for messages.
    merges : list of Merge, optional
        Merged ranges of the sheet (already filled with :func:`fill_merged`); a
        header row with merged cells going down, or over columns with names
        below them, is combined with the rows it spans.

    Returns
    -------
    DataFrame
        Data rows only (blank rows dropped); ``attrs["rows"]`` keeps the row
        numbers as the file shows them (see :func:`row_segments`) and
        ``attrs["header_rows"]`` the numbers of the header's rows.

    Examples
    --------
    >>> raw = pd.DataFrame([["求职登记表", None, None], ["编号", "类别", "等级"], ["p1", "视力", "一级"]])
    >>> body = promote_header(raw, "p.xlsx")
    >>> list(body.columns), body.attrs["rows"]
    (['编号', '类别', '等级'], [[0, 3]])
    """
    frame = frame.reset_index(drop=True)
    if numbers is None:
        numbers = np.arange(1, len(frame) + 1)
    used = frame.notna().any(axis=0).to_numpy()
    positions_used = np.flatnonzero(used)
    frame = frame.iloc[:, positions_used]
    filled = frame.notna().sum(axis=1).to_numpy()
    positions = np.flatnonzero(filled)
    width = filled - _merged_extra(merges or [], len(frame), positions_used)  # a merged title counts once
    if frame.empty or not positions.size:
        raise SchemaError([Problem(None, None, _("(no header)"), _("a header row and data rows"), source)], "file")
    head = positions[:SCAN_ROWS]
    widest = int(width[head].max())
    enough = max(min(2, widest), math.ceil(widest / 2))
    at = int(head[np.flatnonzero(width[head] >= enough)[0]])
    last = _header_bottom(at, positions, merges or [], positions_used)
    rows = frame.iloc[at:last + 1].to_numpy(dtype=object)
    header = _combine(rows)
    keep = positions[positions > last]
    body = frame.iloc[keep].reset_index(drop=True)
    body.columns = header
    body.attrs["rows"] = row_segments(numbers[keep])
    body.attrs["header_rows"] = [int(numbers[i]) for i in range(at, last + 1)]
    return body


def _merged_extra(merges: list[Merge], n_rows: int, columns: np.ndarray) -> np.ndarray:
    """Per row, the cells that only repeat a merged cell to their left (filled by :func:`fill_merged`)."""
    extra = np.zeros(n_rows, dtype=np.int64)
    for r0, c0, r1, c1 in merges:
        repeated = int(np.isin(np.arange(c0 + 1, c1 + 1), columns).sum())
        if repeated:
            extra[r0:min(r1, n_rows - 1) + 1] += repeated
    return extra


def _header_bottom(at: int, positions: np.ndarray, merges: list[Merge], columns: np.ndarray) -> int:
    """The last row of a header starting at ``at``: merged cells going down, or group cells over sub-headers."""
    bottom = at
    below = positions[positions > at]
    for r0, c0, r1, c1 in merges:
        if r0 != at or not np.isin(np.arange(c0, c1 + 1), columns).any():
            continue
        if r1 > r0:  # merged down: the header spans these rows
            bottom = max(bottom, r1)
        elif c1 > c0 and below.size and below[0] == at + 1:  # a group over several columns: names below it
            bottom = max(bottom, at + 1)
    return bottom


def _combine(rows: np.ndarray) -> list[str]:
    """One name per column from a header of one or more rows: the lowest name, with its group when repeated."""
    n_cols = rows.shape[1]
    names: list[str] = []
    groups: list[str | None] = []
    for j in range(n_cols):
        cells = [_header_name(v) for v in rows[:, j]]
        present = [c for c in cells if c is not None]
        names.append(present[-1] if present else f"Unnamed: {j}")
        groups.append(present[0] if len(present) > 1 and present[0] != present[-1] else None)
    counts = pd.Series(names).value_counts()
    return [f"{g}{name}" if g is not None and counts[name] > 1 else name for name, g in zip(names, groups, strict=True)]


def row_segments(rows: np.ndarray) -> list[list[int]]:
    """Compress file row numbers to ``[[first data index, its row number], ...]`` runs (JSON-friendly).

    Examples
    --------
    >>> row_segments(np.array([3, 4, 5, 7]))
    [[0, 3], [3, 7]]
    """
    if not len(rows):
        return []
    starts = np.flatnonzero(np.diff(rows) != 1) + 1
    return [[0, int(rows[0])], *([int(i), int(rows[i])] for i in starts)]
