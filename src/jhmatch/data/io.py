"""Reading and writing tables: CSV (UTF-8, GBK/GB18030), Excel and Parquet.

Reads keep every cell as text (so ID numbers keep their leading zeros and their
``X``) and leave typing to the schema validators. Writes are atomic — to a
temporary file in the target folder, then renamed — so a crash never leaves half a
file. CSV and Excel exports neutralise cells that a spreadsheet would run as a
formula (leading ``=``, ``+``, ``-``, ``@``, tab or carriage return) by prefixing a
single quote; :func:`read_table` removes exactly that prefix again, so a round
trip is lossless. Identity and certificate numbers are masked on export unless
``raw_ids=True``: in their own columns, and wherever an ID-shaped number appears
(free text, unknown columns, categorical columns, headers, integer columns).
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from jhmatch.data.excel import read_sheet
from jhmatch.data.ids import mask_ids, scrub, scrub_series
from jhmatch.data.layout import promote_header
from jhmatch.data.privacy import pseudonymize
from jhmatch.errors import ParameterError, Problem, SchemaError, require
from jhmatch.i18n import N_
from jhmatch.i18n import gettext as _

__all__ = ["ID_COLUMNS", "PHONE_COLUMNS", "atomic_path", "escape_formulas", "read_table", "source_rows", "unescape_formulas",
           "write_table"]

ID_COLUMNS: tuple[str, ...] = ("id_number", "certificate_number")
"""Columns masked on export unless ``raw_ids=True``."""

PHONE_COLUMNS: tuple[str, ...] = ("phone",)
"""Telephone columns: masked on export (``138****5678``) unless ``raw_ids=True``."""

PSEUDONYMIZED_COLUMNS: tuple[str, ...] = ("person_id", "household_id", "name", "phone")
"""Columns replaced by keyed hashes, with :data:`ID_COLUMNS`, when a ``key`` is given."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED = re.compile(r"'[=+\-@\t\r']")  # a cell escape_formulas wrote
_FORMATS = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "excel", ".xlsm": "excel", ".xls": "excel",
            ".parquet": "parquet", ".pq": "parquet"}


def _file_error(value: object, expected: str, source: str) -> SchemaError:
    """An error about the file as a whole (no row or column)."""
    return SchemaError([Problem(None, None, value, expected, source)], "file")


def _csv_fault(exc: Exception) -> str:
    """What the CSV parser found, without Python internals: ``line 3: 5 fields, 3 expected``."""
    import re

    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
    if found:
        return _("line {line}: {saw} cells where the header has {expected}").format(
            line=found[2], saw=found[3], expected=found[1])
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__


def _decode_fault(exc: Exception | None) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return _("byte {position}").format(position=exc.start)
    return str(exc)[:200]


def _format_of(path: Path, format: str | None) -> str:
    if format is not None:
        if format not in ("csv", "excel", "parquet"):
            raise ParameterError("format must be 'csv', 'excel' or 'parquet'")
        return format
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise _file_error(path.suffix or _("(no suffix)"),
                          _("a file ending in .csv, .txt, .tsv, .xlsx, .xls or .parquet"), str(path))
    return fmt


def escape_formulas(series: pd.Series) -> pd.Series:
    """Prefix ``'`` to text cells a spreadsheet would treat as a formula.

    Cells that already start with ``'`` get one more, so that
    :func:`unescape_formulas` can undo the escaping exactly.

    Examples
    --------
    >>> escape_formulas(pd.Series(["=1+1", "ok", "'quoted"])).tolist()
    ["'=1+1", 'ok', "''quoted"]
    """
    s = series.astype("object")
    text = s.where(s.notna(), "").astype(str)
    risky = (s.notna() & (text.str.startswith(_FORMULA_START) | text.str.startswith("'"))).to_numpy()
    values = s.to_numpy(copy=True)
    values[risky] = ("'" + text[risky]).to_numpy()
    return pd.Series(values, index=s.index, name=s.name, dtype="object")


def unescape_formulas(series: pd.Series) -> pd.Series:
    """Undo :func:`escape_formulas` (remove one ``'`` before a formula character or ``'``).

    Examples
    --------
    >>> unescape_formulas(pd.Series(["'=1+1", "''quoted", "'plain"])).tolist()
    ['=1+1', "'quoted", "'plain"]
    """
    s = series.astype("object")
    text = s.where(s.notna(), "").astype(str)
    escaped = (s.notna() & text.str.startswith("'") & text.str[1:2].isin([*_FORMULA_START, "'"])).to_numpy()
    values = s.to_numpy(copy=True)
    values[escaped] = text[escaped].str[1:].to_numpy()
    return pd.Series(values, index=s.index, name=s.name, dtype="object")


def read_table(
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    encoding: str | None = None,
    sheet: str | int | None = None,
) -> pd.DataFrame:
    """Read a table as text, ready for ``validate_*``.

    Parameters
    ----------
    path : path-like
        ``.csv``/``.txt``/``.tsv``, ``.xlsx`` or ``.parquet``.
    format : {"csv", "excel", "parquet"}, optional
        Overrides the format guessed from the suffix.
    encoding : str, optional
        CSV encoding; by default UTF-8 (with or without BOM), then GB18030 (a
        superset of GBK, as Chinese offices export).
    sheet : str or int, optional
        Excel sheet, by name or 0-based position among all sheets; by default
        the first *visible* sheet (the one a person opening the file sees).

    Returns
    -------
    DataFrame
        All cells as text (blank cells missing; blank rows dropped);
        ``attrs["source"]`` holds the path so that validation errors name the file,
        and ``attrs["rows"]`` the row numbers as a spreadsheet shows them (header
        and title rows counted), so that errors name the row the planner sees.
        Numbers of 16 or more digits in Excel cells (an ID number typed into a
        number cell) come as ``3.30782199001011E+17``, the way Excel shows them,
        so that validation can tell digits were lost. The header is found below
        title rows (:mod:`jhmatch.data.layout`); ``attrs["header_rows"]`` holds its
        row numbers, and ``attrs["read_notes"]`` what reading a workbook chose
        (a hidden sheet passed over, merged cells filled), which validation
        reports as warnings.

    Raises
    ------
    SchemaError
        The file is missing, empty, has no header, cannot be decoded, or is a
        damaged or mislabelled workbook (a CSV renamed ``.xlsx`` is named as such).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "posts.csv"
    >>> _ = p.write_text("post_id,kind,county,capacity\\nq1,云客服,磐安,2\\n", encoding="gbk")
    >>> read_table(p).loc[0, "kind"]
    '云客服'
    """
    path = Path(path)
    fmt = _format_of(path, format)
    source = str(path)
    if not path.is_file():
        raise _file_error(source, _("an existing file"), source)
    if path.stat().st_size == 0:
        raise _file_error(_("(empty file)"), _("a header row and data rows"), source)
    if fmt == "csv":
        frame = _read_csv(path, encoding)
    elif fmt == "excel":
        frame = _read_workbook(path, sheet)
    else:
        require("pyarrow", "parquet", N_("reading Parquet files"))
        frame = pd.read_parquet(path)
    header = [str(c) for c in frame.columns]
    unnamed = [c for c in header if c.startswith("Unnamed:")]
    if len(frame.columns) == 0 or len(unnamed) == len(header):
        raise _file_error(_("(no header)"), _("a header row naming the columns"), source)
    if len(frame) == 0:
        raise _file_error(_("(no data rows)"), _("at least one data row below the header"), source)
    frame.attrs["source"] = source
    return frame


def _read_workbook(path: Path, sheet: str | int | None) -> pd.DataFrame:
    cells, merges, notes = read_sheet(path, sheet)
    frame = _clean_text(promote_header(cells, str(path), merges=merges))
    last_header = max(frame.attrs.get("header_rows", [0]))
    merged = sorted({r0 + 1 for r0, _c0, r1, _c1 in merges if r0 + 1 > last_header and r1 > r0})
    if merged:
        shown = ", ".join(str(r) for r in merged[:10]) + (", …" if len(merged) > 10 else "")
        notes.append(_("merged cells in row(s) {rows} read with their value on every row they cover, as Excel "
                       "shows them").format(rows=shown))
    frame.attrs["read_notes"] = notes
    return frame


def _read_csv(path: Path, encoding: str | None) -> pd.DataFrame:
    with path.open("rb") as fh:
        head = fh.read(4)
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
    bom = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    # a UTF-8 BOM before GBK text (an editor added one to a GBK export): skip it, then try GBK
    tries = [(encoding, 0)] if encoding else ([("utf-16", 0)] if utf16 else [("utf-8", bom), ("gb18030", bom)])
    sep = "\t" if path.suffix.lower() == ".tsv" else ","
    last: Exception | None = None
    for enc, skip in tries:
        try:
            with path.open("rb") as fh:
                fh.seek(skip)
                frame = pd.read_csv(fh, dtype=str, encoding=enc, sep=sep, keep_default_na=False,
                                    na_values=[""], header=None, skip_blank_lines=True)
            # one block of text cells, not one per column: a table of 10,000 columns stays fast
            frame = pd.DataFrame(frame.to_numpy(dtype=object), columns=frame.columns)
        except UnicodeError as exc:
            last = exc
            continue
        except pd.errors.EmptyDataError:
            raise _file_error(_("(no header)"), _("a header row and data rows"), str(path)) from None
        except pd.errors.ParserError as exc:
            raise _file_error(_csv_fault(exc), _("a well-formed CSV file"), str(path)) from None
        numbers = _csv_record_numbers(path, enc, skip, sep, len(frame))
        return _clean_text(promote_header(frame, str(path), numbers))
    names = ", ".join(enc for enc, _skip in tries)
    raise _file_error(_("undecodable bytes ({where})").format(where=_decode_fault(last)),
                      _("text in one of {encodings}").format(encodings=names), str(path))


def _csv_record_numbers(path: Path, encoding: str, skip: int, sep: str, n: int) -> np.ndarray | None:
    """1-based record numbers of the non-blank records of a CSV (what a spreadsheet shows as row numbers)."""
    import csv
    import io

    try:
        with path.open("rb") as raw:
            raw.seek(skip)
            fh = io.TextIOWrapper(raw, encoding=encoding, newline="")
            numbers = [i for i, rec in enumerate(csv.reader(fh, delimiter=sep), start=1) if rec]
    except (UnicodeError, csv.Error):
        return None
    return np.asarray(numbers, dtype=np.int64) if len(numbers) == n else None


def source_rows(frame: pd.DataFrame) -> np.ndarray | None:
    """Row numbers as the source file shows them, one per row of ``frame``, or ``None`` when unknown.

    Known for tables from :func:`read_table` (CSV and Excel) while their rows are
    neither filtered nor reordered.

    Examples
    --------
    >>> frame = pd.DataFrame({"a": ["x", "y", "z"]})
    >>> frame.attrs["rows"] = [[0, 3], [2, 7]]  # a title row, the header on row 2; a blank row 6
    >>> source_rows(frame).tolist()
    [3, 4, 7]
    """
    segments = frame.attrs.get("rows")
    n = len(frame)
    if not segments or not isinstance(frame.index, pd.RangeIndex) or not frame.index.equals(pd.RangeIndex(n)):
        return None
    out = np.empty(n, dtype=np.int64)
    bounds = [int(s[0]) for s in segments] + [n]
    if bounds[0] != 0 or any(b > n for b in bounds):
        return None
    for (start, row), end in zip(segments, bounds[1:], strict=True):
        out[int(start):end] = np.arange(int(row), int(row) + end - int(start))
    return out


def _clean_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Undo the formula escaping of every text cell (see :func:`unescape_formulas`), a block of columns at a time."""
    from jhmatch.data.plausibility import matching, text_blocks

    out = frame.copy()
    out.attrs = dict(frame.attrs)
    out.columns = unescape_formulas(pd.Series(list(out.columns), dtype="object")).tolist()
    n = len(out)
    if n == 0:
        return out
    for block, cells in text_blocks(out):
        escaped = matching(cells, _ESCAPED, match=True)
        if not escaped.any():
            continue
        for i in np.unique(block[np.flatnonzero(escaped) // n]):  # by position: a header may repeat
            out.isetitem(int(i), unescape_formulas(out.iloc[:, int(i)]).astype("object"))
    return out


def _prepare(frame: pd.DataFrame, raw_ids: bool, escape: bool, key: str | bytes | None) -> pd.DataFrame:
    """The table as written: IDs masked (or pseudonymised) in every column and header, formulas escaped."""
    out = frame.copy()
    for i, col in enumerate(frame.columns):  # by position: a header may repeat
        s = out.iloc[:, i]
        if isinstance(s.dtype, pd.CategoricalDtype):
            s = s.astype("object")
        if key is not None and col in (*ID_COLUMNS, *PSEUDONYMIZED_COLUMNS):
            s = pseudonymize(s, key)
        elif not raw_ids and col in ID_COLUMNS:
            s = mask_ids(s)
        elif not raw_ids and col in PHONE_COLUMNS:
            s = mask_ids(s, keep_start=3, keep_end=4)
        if pd.api.types.is_datetime64_any_dtype(s):
            s = s.dt.strftime("%Y-%m-%d").astype("object").where(s.notna(), None)
        elif s.dtype == object or isinstance(s.dtype, pd.StringDtype):
            if not raw_ids:  # an ID number in a note, a name, an unknown column: masked wherever it is
                s = scrub_series(s)
            if escape:
                s = escape_formulas(s)
        elif not raw_ids and pd.api.types.is_integer_dtype(s):
            s = _mask_id_integers(s)
        out.isetitem(i, s)
    names = [str(c) for c in frame.columns]
    if not raw_ids:
        names = [scrub(c) for c in names]
    if escape:
        names = escape_formulas(pd.Series(names, dtype="object")).tolist()
    out.columns = names
    return out


def _mask_id_integers(s: pd.Series) -> pd.Series:
    """An ID number stored as an integer (eighteen digits fit in int64) is masked like the text one."""
    values = s.to_numpy(dtype="float64", na_value=np.nan)
    with np.errstate(invalid="ignore"):
        big = np.abs(values) >= 1e17
    if not big.any():
        return s
    text = s.astype("object").where(s.notna(), None)
    return scrub_series(text.map(lambda v: None if v is None else str(v)))


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path next to ``path``, renamed over it when the block ends without error.

    A reader never sees half a file: the block writes the temporary file, and only a finished
    one replaces ``path`` (the temporary file is removed on error).

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("done")
    >>> target.read_text()
    'done'
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_table(
    frame: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    encoding: str = "utf-8-sig",
    raw_ids: bool = False,
    key: str | bytes | None = None,
    sheet: str = "Sheet1",
) -> Path:
    """Write a table atomically, safe to open in a spreadsheet.

    Parameters
    ----------
    frame : DataFrame
    path : path-like
        Target; the format follows the suffix unless ``format`` is given.
    format : {"csv", "excel", "parquet"}, optional
    encoding : str, default "utf-8-sig"
        CSV encoding (the BOM lets Excel detect UTF-8; use ``"gb18030"`` for GBK tools).
    raw_ids : bool, default False
        Keep identity/certificate numbers (:data:`ID_COLUMNS`), telephone
        numbers (:data:`PHONE_COLUMNS`) and ID-shaped numbers in other columns
        and headers unmasked. Only for trusted destinations. By default every
        ID-shaped number is masked, whatever its column (:func:`~jhmatch.data.ids.scrub`).
    key : str or bytes, optional
        Pseudonymise instead: identity/certificate numbers, person and household
        ids and names are replaced by keyed hashes (:func:`~jhmatch.data.privacy.pseudonymize`).
    sheet : str, default "Sheet1"
        Excel sheet name.

    Returns
    -------
    Path
        The written file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "out.csv"
    >>> _ = write_table(pd.DataFrame({"note": ["=HYPERLINK(1)"]}), p)
    >>> p.read_text(encoding="utf-8-sig").splitlines()[1]
    "'=HYPERLINK(1)"
    >>> read_table(p).loc[0, "note"]
    '=HYPERLINK(1)'
    """
    path = Path(path)
    fmt = _format_of(path, format)
    if fmt == "excel":
        require("openpyxl", "excel", N_("writing Excel files"))
    elif fmt == "parquet":
        require("pyarrow", "parquet", N_("writing Parquet files"))
    data = _prepare(frame, raw_ids, escape=fmt != "parquet", key=key)
    with atomic_path(path) as tmp:
        if fmt == "csv":
            data.to_csv(tmp, index=False, encoding=encoding, lineterminator="\n")
        elif fmt == "excel":
            data.to_excel(tmp, index=False, sheet_name=sheet, engine="openpyxl")
        else:
            for col in data.columns:
                if isinstance(data[col].dtype, pd.StringDtype) or data[col].dtype == object:
                    data[col] = data[col].astype("object").where(data[col].notna(), None)
            data.to_parquet(tmp, index=False)
    return path


_atomic = atomic_path  # the old private name, for branches in flight
