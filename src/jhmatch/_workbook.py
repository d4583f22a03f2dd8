"""Writing output tables: one Excel workbook with a sheet per table, or one file per table.

Every text cell (and header) has its ID-shaped numbers masked (:func:`jhmatch.data.ids.scrub`)
and, for spreadsheets, a leading ``'`` where a spreadsheet would run it as a formula.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from jhmatch._output_labels import COLUMN_LABELS
from jhmatch.data.ids import scrub
from jhmatch.i18n import gettext as _

__all__ = ["write_output", "write_workbook"]


def _text(values: pd.Series) -> pd.Series:
    """Text with every ID-shaped number masked (applied to the distinct values only)."""
    s = values.astype("object")
    uniq = pd.unique(s[s.notna()])
    safe = {v: scrub(str(v)) for v in uniq}
    return s.map(safe).where(s.notna(), None)


def _excel_module() -> Any:
    try:
        import openpyxl
    except ImportError:
        from jhmatch.errors import MissingDependencyError

        err = MissingDependencyError("openpyxl", "excel", "Excel workbooks")
        err.args = (_("writing an Excel workbook needs openpyxl, which is not installed; install it with: "
                      "pip install 'jhmatch[excel]'"),)
        raise err from None
    return openpyxl


def _cell(value: Any) -> Any:
    from jhmatch.data.io import escape_formulas

    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and np.isinf(value):
        return str(value)
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return escape_formulas(pd.Series([ILLEGAL_CHARACTERS_RE.sub("?", scrub(value))])).iloc[0]
    return value


_PERCENT = frozenset({"rate", "ratio"})


def write_workbook(sheets: Mapping[str, pd.DataFrame], path: str | os.PathLike[str]) -> Path:
    """Write tables to one Excel workbook, one sheet each, atomically (extra ``excel``).

    Sheet names are the mapping's keys (cut to Excel's 31 characters). Text that a
    spreadsheet would run as a formula gets a leading ``'`` (headers too), ID-shaped
    numbers are masked, the header row is bold and frozen.

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
    openpyxl = _excel_module()
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
        ws.freeze_panes = "A2"
        headers = [str(_cell(str(c))) for c in frame.columns]
        for i, h in enumerate(headers):
            width = max(8, min(40, 2 * len(h) + 2))
            ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width = width
        bold = Font(bold=True)
        head = []
        for h in headers:
            cell = WriteOnlyCell(ws, value=h)
            cell.font = bold
            head.append(cell)
        ws.append(head)
        percent = {i for i, c in enumerate(frame.columns) if str(c) in _PERCENT or str(c) in
                   {_(COLUMN_LABELS[k]) for k in _PERCENT}}
        for row in frame.itertuples(index=False, name=None):
            values = [_cell(v) for v in row]
            for i in percent:
                if isinstance(values[i], float):
                    cell = WriteOnlyCell(ws, value=values[i])
                    cell.number_format = "0.0%"
                    values[i] = cell
            ws.append(values)
    if not used:
        wb.create_sheet("Sheet")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
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
            text[col] = _text(text[col])
    text.columns = [scrub(str(c)) for c in text.columns]
    return write_table(text, path)
