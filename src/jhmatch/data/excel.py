"""Workbooks as a person sees them: the first visible sheet, merged cells filled, numbers as Excel shows them.

A workbook's first sheet may be hidden (a lookup list, an old version); a person
opening the file sees the first *visible* one, so that is the one read unless a
sheet is named. Merged cells show their value over the whole range, so they are
read that way (headers merged over two rows included, see
:mod:`jhmatch.data.layout`). Sheet visibility and merged ranges of ``.xlsx``
files are read from the workbook's XML parts directly, streaming, so a large
sheet costs no more than reading its cells.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree

import numpy as np
import pandas as pd

from jhmatch.data.layout import Merge, fill_merged
from jhmatch.errors import Problem, SchemaError, require
from jhmatch.i18n import N_
from jhmatch.i18n import gettext as _

__all__ = ["read_sheet", "sheet_names"]

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def _file_error(value: object, expected: str, source: str) -> SchemaError:
    return SchemaError([Problem(None, None, value, expected, source)], "file")


def not_a_workbook(path: Path) -> SchemaError:
    """A damaged, cut-short or mislabelled workbook; a text file renamed .xlsx is named as such."""
    with path.open("rb") as fh:
        head = fh.read(2048)
    if not head.startswith((b"PK", b"\xd0\xcf\x11\xe0")) and b"\x00" not in head:
        return _file_error(_("(a text file, not a workbook)"),
                           _("a real Excel workbook: this file looks like a CSV or text file renamed {suffix}; "
                             "rename it .csv, or open it in Excel or WPS and save it as a workbook").format(
                               suffix=path.suffix), str(path))
    return _file_error(_("(not a readable workbook)"), _("a readable Excel workbook (.xlsx saved by Excel or WPS); "
                                                         "the file is damaged, cut short or not a workbook"), str(path))


def _column_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def _xlsx_sheets(path: Path) -> list[tuple[str, bool, str | None]]:
    """(name, visible, part path) of every sheet of an .xlsx, in workbook order."""
    with zipfile.ZipFile(path) as z:
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        try:
            rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
            targets = {r.get("Id"): r.get("Target") for r in rels.findall("rel:Relationship", _NS)}
        except KeyError:
            targets = {}
    out = []
    for sheet in book.findall("m:sheets/m:sheet", _NS):
        target = targets.get(sheet.get(f"{{{_NS['r']}}}id"))
        part = None
        if target:
            part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        out.append((sheet.get("name", ""), sheet.get("state", "visible") == "visible", part))
    return out


def _xlsx_merges(path: Path, part: str | None) -> list[Merge]:
    """Merged ranges of one sheet, found by streaming its XML (``<mergeCell ref="A1:C1"/>``)."""
    if part is None:
        return []
    merges: list[Merge] = []
    tail = b""
    with zipfile.ZipFile(path) as z, z.open(part) as fh:
        while chunk := fh.read(1 << 20):
            text = tail + chunk
            for m in _MERGE.finditer(text):
                c0, r0 = _column_index(m[1]), int(m[2]) - 1
                c1, r1 = (_column_index(m[3]), int(m[4]) - 1) if m[3] else (c0, r0)
                merges.append((r0, c0, r1, c1))
            tail = text[-200:]
    return sorted(set(merges))


def _visibility(path: Path, book: Any) -> tuple[list[str], list[bool], list[str | None]]:
    names = list(book.sheet_names)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            sheets = _xlsx_sheets(path)
        except (KeyError, zipfile.BadZipFile, ElementTree.ParseError):
            sheets = []
        if [s[0] for s in sheets] == names:
            return names, [s[1] for s in sheets], [s[2] for s in sheets]
    visible = [True] * len(names)
    try:  # .xls through calamine: sheet metadata says which are hidden
        meta = book.book.sheets_metadata  # type: ignore[union-attr]
        visible = [str(getattr(m, "visible", "visible")).lower().endswith("visible")
                   and "hidden" not in str(getattr(m, "visible", "")).lower() for m in meta]
    except AttributeError:
        pass
    return names, visible, [None] * len(names)


def sheet_names(path: str | Path) -> list[tuple[str, bool]]:
    """The sheets of a workbook with whether each is visible.

    Examples
    --------
    >>> import tempfile, pathlib, openpyxl
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "b.xlsx"
    >>> wb = openpyxl.Workbook(); wb.active.title = "代码表"; wb.active.sheet_state = "hidden"
    >>> _ = wb.create_sheet("求职登记"); wb.save(p)
    >>> sheet_names(p)
    [('代码表', False), ('求职登记', True)]
    """
    path = Path(path)
    with _open(path) as book:
        names, visible, _parts = _visibility(path, book)
    return list(zip(names, visible, strict=True))


def _open(path: Path) -> pd.ExcelFile:
    if path.suffix.lower() == ".xls":  # the old binary format: calamine, the reader pandas recommends
        require("python_calamine", "excel", N_("reading .xls files"))
        engine = "calamine"
    else:
        require("openpyxl", "excel", N_("reading Excel files"))
        engine = "openpyxl"
    try:
        return pd.ExcelFile(path, engine=engine)
    except Exception:  # corrupt or not a workbook: the readers raise many types
        raise not_a_workbook(path) from None


def read_sheet(path: Path, sheet: str | int | None = None) -> tuple[pd.DataFrame, list[Merge], list[str]]:
    """The cells of one sheet as text, its merged ranges, and notes on what was chosen.

    Parameters
    ----------
    sheet : str, int or None
        A sheet by name or 0-based position among all sheets; ``None``: the first
        visible sheet.

    Returns
    -------
    (DataFrame, list of Merge, list of str)
        Cells as Excel shows them (merged ranges filled), one row per sheet row
        from row 1; the merged ranges; notes (a hidden sheet passed over, merged
        cells filled) for the validation warnings.
    """
    notes: list[str] = []
    with _open(path) as book:
        names, visible, parts = _visibility(path, book)
        if sheet is None:
            index = next((i for i, v in enumerate(visible) if v), 0)
            hidden = [n for n, v in zip(names[:index], visible[:index], strict=True) if not v]
            if hidden:
                notes.append(_("hidden sheet(s) {hidden} passed over; read the first visible sheet {sheet} (choose "
                               "another with --sheet)").format(hidden=", ".join(repr(h) for h in hidden),
                                                                sheet=repr(names[index])))
        elif isinstance(sheet, str) and sheet in names:
            index = names.index(sheet)
        elif isinstance(sheet, int) and not isinstance(sheet, bool) and 0 <= sheet < len(names):
            index = sheet
        else:
            raise _file_error(sheet, _("a sheet of the workbook: {sheets}").format(sheets=", ".join(names)), str(path))
        try:
            frame = pd.read_excel(book, sheet_name=names[index], header=None, dtype=object)
        except Exception:  # a part of the workbook is damaged or cut short
            raise not_a_workbook(path) from None
    try:
        merges = _xlsx_merges(path, parts[index])
    except (KeyError, zipfile.BadZipFile, OSError):
        merges = []
    if not len(frame.columns):
        return frame, merges, notes
    cells = pd.DataFrame(frame.map(_excel_text).to_numpy(dtype=object), columns=frame.columns)  # one block
    return fill_merged(cells, merges), merges, notes


def _excel_text(value: object) -> object:
    """An Excel cell as text; numbers beyond Excel's 15 digits as Excel shows them (3.30782199001011E+17)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, np.integer, float, np.floating)):
        v = float(value)
        if v != v:
            return None
        if abs(v) >= 1e15:
            mantissa, exp = f"{v:.14E}".split("E")
            return f"{mantissa.rstrip('0').rstrip('.')}E{exp}"
        if v.is_integer():
            return str(int(v))
    return str(value)
