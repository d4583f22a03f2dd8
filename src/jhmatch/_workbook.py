"""Writing output tables: one Excel workbook with a sheet per table, or one file per table.

Every text cell (and header) has its ID-shaped numbers masked (:func:`jhmatch.data.ids.scrub`)
and, for spreadsheets, a leading ``'`` where a spreadsheet would run it as a formula.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from jhmatch._output_labels import COLUMN_LABELS, masked_text
from jhmatch.data.ids import scrub
from jhmatch.data.io import atomic_path
from jhmatch.i18n import N_
from jhmatch.i18n import gettext as _

__all__ = ["excel_module", "read_pairs", "write_output", "write_workbook"]

ALLOCATION_SHEET = N_("placements")
"""The sheet of a results workbook that holds the allocation."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Characters an Excel cell cannot hold (tab, newline and carriage return can)."""


def excel_module() -> Any:
    """openpyxl, or a MissingDependencyError naming the ``excel`` extra."""
    try:
        import openpyxl
    except ImportError:
        from jhmatch.errors import MissingDependencyError

        err = MissingDependencyError("openpyxl", "excel", "Excel workbooks")
        err.args = (_("writing an Excel workbook needs openpyxl, which is not installed; install it with: "
                      "pip install 'jhmatch[excel]'"),)
        raise err from None
    return openpyxl


def _safe_text(values: pd.Series) -> pd.Series:
    """Text cells as they can be written: ID numbers masked, formulas escaped, control characters replaced."""
    from jhmatch.data.io import escape_formulas

    text = masked_text(values)
    text = text.map(lambda v: _CONTROL.sub("?", v) if isinstance(v, str) else v)
    return escape_formulas(text)


def _excel_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """Column by column: text made safe (:func:`_safe_text`), dates as text, missing values as empty cells."""
    out = {}
    for col in frame.columns:
        s = frame[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            s = s.dt.strftime("%Y-%m-%d").astype("object").where(s.notna(), None)
        elif s.dtype == object or isinstance(s.dtype, pd.StringDtype | pd.CategoricalDtype):
            s = _safe_text(s.astype("object"))
        elif pd.api.types.is_float_dtype(s.dtype):
            v = s.to_numpy(dtype=float, na_value=np.nan)
            cells = v.astype(object)
            cells[np.isposinf(v)], cells[np.isneginf(v)] = "inf", "-inf"
            cells[np.isnan(v)] = None
            s = pd.Series(cells, index=s.index)
        else:
            s = s.astype("object").where(s.notna(), None)
        out[col] = s.to_numpy(dtype=object)
    return pd.DataFrame(out, index=frame.index, columns=frame.columns)


def _plain(value: Any) -> Any:
    if value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    return value.item() if isinstance(value, np.generic) else value


_PERCENT = frozenset({"rate", "ratio"})


def write_workbook(sheets: Mapping[str, pd.DataFrame], path: str | os.PathLike[str], *,
                   titles: Mapping[str, str] | None = None) -> Path:
    """Write tables to one Excel workbook, one sheet each, atomically (extra ``excel``).

    Sheet names are the mapping's keys (cut to Excel's 31 characters). Text that a
    spreadsheet would run as a formula gets a leading ``'`` (headers too), ID-shaped
    numbers are masked, the header row is bold and frozen. ``titles`` maps a sheet's
    key to a title row written above its header (large, bold), as office forms have.

    Raises
    ------
    MissingDependencyError
        When openpyxl is not installed (``pip install 'jhmatch[excel]'``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = write_workbook({"a": pd.DataFrame({"x": ["=1+1"]})}, pathlib.Path(tempfile.mkdtemp()) / "t.xlsx")
    >>> import openpyxl; openpyxl.load_workbook(p)["a"]["A2"].value
    "'=1+1"
    """
    openpyxl = excel_module()
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook(write_only=True)
    used: set[str] = set()
    for name, frame in sheets.items():
        title = "".join("_" if ch in "[]:*?/\\" else ch for ch in str(name))[:31] or "Sheet"
        while title in used:
            title = title[:28] + f"_{len(used)}"
        used.add(title)
        ws = wb.create_sheet(title)
        caption = (titles or {}).get(name)
        ws.freeze_panes = "A3" if caption else "A2"
        headers = _safe_text(pd.Series([str(c) for c in frame.columns], dtype=object)).tolist()
        for i, h in enumerate(headers):
            width = max(8, min(40, 2 * len(h) + 2))
            ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width = width
        if caption:
            cell = WriteOnlyCell(ws, value=_safe_text(pd.Series([caption], dtype=object)).iloc[0])
            cell.font = Font(bold=True, size=14)
            ws.append([cell])
        bold = Font(bold=True)
        head = []
        for h in headers:
            cell = WriteOnlyCell(ws, value=h)
            cell.font = bold
            head.append(cell)
        ws.append(head)
        percent = {i for i, c in enumerate(frame.columns) if str(c) in _PERCENT or str(c) in
                   {_(COLUMN_LABELS[k]) for k in _PERCENT}}
        for row in _excel_ready(frame).itertuples(index=False, name=None):
            values = [_plain(v) for v in row]
            for i in percent:
                if isinstance(values[i], float):
                    cell = WriteOnlyCell(ws, value=values[i])
                    cell.number_format = "0.0%"
                    values[i] = cell
            ws.append(values)
    if not used:
        wb.create_sheet("Sheet")
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path


def write_output(frame: pd.DataFrame, path: str | os.PathLike[str], sheet: str = "Sheet1") -> Path:
    """Write one table: a workbook for ``.xlsx``/``.xlsm`` (sheet ``sheet``), else :func:`~jhmatch.data.io.write_table`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> write_output(pd.DataFrame({"a": [1]}), pathlib.Path(tempfile.mkdtemp()) / "t.csv").suffix
    '.csv'
    """
    from jhmatch.data.io import write_table

    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return write_workbook({sheet: frame}, path)
    text = frame.copy()
    for col in text.columns:
        if text[col].dtype == object or isinstance(text[col].dtype, pd.StringDtype | pd.CategoricalDtype):
            text[col] = masked_text(text[col])
    text.columns = [scrub(str(c)) for c in text.columns]
    return write_table(text, path)  # write_table escapes formulas in cells, categoricals and headers


def read_pairs(path: str | os.PathLike[str]) -> pd.DataFrame:
    """``person_id, post_id`` pairs from an allocation file written by jhmatch (any language, CSV or workbook).

    Raises
    ------
    ParameterError
        When the file has no person id or post id column.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = pd.DataFrame({"人员编号": ["p1"], "岗位编号": ["q1"]}).to_csv(p, index=False)
    >>> read_pairs(p).columns.tolist()
    ['person_id', 'post_id']
    """
    from jhmatch.data.io import read_table
    from jhmatch.errors import ParameterError
    from jhmatch.i18n import language

    path = Path(path)
    frame = read_table(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        with contextlib.suppress(Exception):
            import openpyxl

            names = openpyxl.load_workbook(path, read_only=True).sheetnames
            for lang in ("en", "zh"):
                with language(lang):
                    if _(ALLOCATION_SHEET) in names:
                        frame = read_table(path, sheet=_(ALLOCATION_SHEET))
    names: dict[str, str] = {}
    for col in ("person_id", "post_id"):
        for lang in ("en", "zh"):
            with language(lang):
                names[_(COLUMN_LABELS[col])] = col
    frame = frame.rename(columns={c: names[c] for c in frame.columns if c in names})
    missing = [c for c in ("person_id", "post_id") if c not in frame]
    if missing:
        raise ParameterError(_("{file}: an allocation needs the columns person_id and post_id (人员编号, 岗位编号); "
                               "missing: {columns}").format(file=path, columns=", ".join(missing)))
    return frame[["person_id", "post_id"]]


_excel_module = excel_module  # the old private name, for branches in flight
