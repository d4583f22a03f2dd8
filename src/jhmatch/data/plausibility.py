"""Plausibility limits and checks of the table engine: sizes, magnitudes, characters, dates.

Every table read through :meth:`jhmatch.data.table.TableSchema.validate` is
checked here, whichever command reads it: a table with too many columns is
refused before anything else; cells with control characters (a NUL byte, an
escape) or longer than a limit are problems with their row and column; numbers
beyond a plausible magnitude (a monthly wage of 1e308) are refused by the
columns that name a limit; birth dates in the future and ages that contradict the
birth date are refused by the persons table's checks.

The limits live in one place, :class:`Limits`; change them for a block of code
with :func:`limits` (or for the whole process with :func:`set_limits`).

Examples
--------
>>> current().max_columns
1000
>>> with limits(max_columns=20_000):
...     current().max_columns
20000
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.errors import ParameterError, Problem, SchemaError
from jhmatch.i18n import gettext as _

__all__ = ["CONTROL_CHARACTERS", "Limits", "check_cells", "check_shape", "current", "limits", "matching",
           "set_limits", "text_blocks", "text_view"]


@dataclasses.dataclass(frozen=True)
class Limits:
    """Plausibility limits of input tables (defaults are generous; raise them where real data needs it).

    Attributes
    ----------
    max_columns : int
        Columns a table may have (a form has tens; 10,000 is a broken export).
    max_cell_chars : int
        Characters a cell may hold (a long free-text note fits; a 10 MB cell does not).
    max_monthly_wage : float
        Yuan per month for a post's wage.
    max_annual_wage : float
        Yuan per year for an employer's average wage.
    max_monthly_income : float
        Yuan per month for a household's income.
    max_register_years : int
        Years ago a register's ``age`` column may have been recorded: ages are
        compared with the birth date as of that time, judged from the table's
        rows as a whole (their median gap, at most this), one year either way.

    Examples
    --------
    >>> Limits().max_cell_chars
    5000
    """

    max_columns: int = 1_000
    max_cell_chars: int = 5_000
    max_monthly_wage: float = 1_000_000.0
    max_annual_wage: float = 10_000_000.0
    max_monthly_income: float = 10_000_000.0
    max_register_years: int = 10

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(value) or value < 0:
                raise ParameterError(_("limit {name} = {value}: expected a finite number of 0 or more").format(
                    name=f.name, value=repr(value)))


_DEFAULT = Limits()
_LIMITS: ContextVar[Limits | None] = ContextVar("jhmatch_limits", default=None)

CONTROL_CHARACTERS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
"""Characters refused in cells: C0 controls (NUL, escape, ...) and DEL; tab and line breaks are allowed."""


def current() -> Limits:
    """The limits in force."""
    return _LIMITS.get() or _DEFAULT


def set_limits(**changes: Any) -> Limits:
    """Change limits for the rest of this context; returns the new limits.

    Examples
    --------
    >>> old = current()
    >>> set_limits(max_cell_chars=100).max_cell_chars
    100
    >>> _ = set_limits(**dataclasses.asdict(old))
    """
    new = dataclasses.replace(current(), **changes)
    _LIMITS.set(new)
    return new


@contextlib.contextmanager
def limits(**changes: Any) -> Iterator[Limits]:
    """Use changed limits inside a ``with`` block.

    Examples
    --------
    >>> with limits(max_monthly_wage=5e6) as lim:
    ...     lim.max_monthly_wage
    5000000.0
    """
    new = dataclasses.replace(current(), **changes)
    token = _LIMITS.set(new)
    try:
        yield new
    finally:
        _LIMITS.reset(token)


def check_shape(frame: pd.DataFrame, table: str, file: str | None) -> None:
    """Refuse a table with more columns than :attr:`Limits.max_columns` (before any other work).

    Examples
    --------
    >>> check_shape(pd.DataFrame(columns=range(3)), "persons", None)
    >>> with limits(max_columns=2):
    ...     check_shape(pd.DataFrame(columns=range(3)), "persons", None)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    jhmatch.errors.SchemaError: 1 problem in persons:...
    """
    limit = current().max_columns
    if frame.shape[1] > limit:
        raise SchemaError([Problem(None, None, _("{n} columns").format(n=f"{frame.shape[1]:,}"),
                                   _("at most {limit} columns (the limit max_columns; a form has tens)").format(
                                       limit=f"{limit:,}"), file)], table + (f" ({file})" if file else ""))


def text_blocks(frame: pd.DataFrame, positions: list[int] | None = None,
                cells: int = 2_000_000) -> Iterator[tuple[np.ndarray, pd.Series]]:
    """The text columns of ``frame`` in blocks, each flattened to one Series (column after column).

    Blocks without any text cell are left out.

    Whole-table string operations on a block cost one pandas call instead of one
    per column, so a table of 10,000 columns is checked as fast as a long one;
    blocks hold at most ``cells`` cells, so a long table is not copied at once.
    Yields ``(positions of the block's columns, flattened cells)``.

    Examples
    --------
    >>> [(pos.tolist(), s.tolist()) for pos, s in text_blocks(pd.DataFrame({"a": ["x"], "b": [1], "c": ["y"]}))]
    [([0, 2], ['x', 'y'])]
    """
    if positions is None:
        positions = [i for i, dtype in enumerate(frame.dtypes)
                     if pd.api.types.is_object_dtype(dtype) or isinstance(dtype, pd.StringDtype)]
    n = max(len(frame), 1)
    width = max(1, cells // n)
    for start in range(0, len(positions), width):
        block = np.asarray(positions[start:start + width], dtype=np.int64)
        values = frame.iloc[:, block].to_numpy(dtype=object)
        cells = pd.Series(values.ravel(order="F"), dtype=object)
        try:
            cells.str  # noqa: B018 - raises when no cell of the block is text (all numbers, booleans, ...)
        except AttributeError:
            continue
        yield block, cells


def text_view(cells: pd.Series) -> tuple[np.ndarray, list[str], str]:
    """The text cells of a Series: their positions, the texts, and all of them joined by line breaks.

    A regular expression run once over the joined text (at C speed) tells whether
    any cell needs a closer look, so a clean million-row table costs little.

    Examples
    --------
    >>> idx, texts, blob = text_view(pd.Series(["a", None, 3, "b"], dtype=object))
    >>> idx.tolist(), texts, blob
    ([0, 3], ['a', 'b'], 'a\\nb')
    """
    values = cells.to_numpy(dtype=object)
    idx = np.flatnonzero(~pd.isna(values))
    texts = values[idx].tolist()
    try:
        blob = "\n".join(texts)
    except TypeError:  # numbers, booleans, ... among the cells
        keep = np.fromiter((type(v) is str for v in texts), dtype=bool, count=len(texts))
        idx = idx[keep]
        texts = [v for v, k in zip(texts, keep, strict=True) if k]
        blob = "\n".join(texts)
    return idx, texts, blob


def matching(cells: pd.Series, pattern: re.Pattern[str], view: tuple[np.ndarray, list[str], str] | None = None,
             match: bool = False) -> np.ndarray:
    """Which cells ``pattern`` finds something in (or, with ``match``, matches at their start)."""
    idx, texts, blob = text_view(cells) if view is None else view
    out = np.zeros(len(cells), dtype=bool)
    if not texts or not pattern.search(blob):
        return out
    find = pattern.match if match else pattern.search
    hits = np.fromiter((find(t) is not None for t in texts), dtype=bool, count=len(texts))
    out[idx[hits]] = True
    return out


_CONTROL = re.compile(CONTROL_CHARACTERS)


def check_cells(frame: pd.DataFrame, names: dict[Any, str], skip: set[Any], problems: list[Problem],
                file: str | None) -> None:
    """Cells with control characters or more than :attr:`Limits.max_cell_chars` characters, as problems.

    Parameters
    ----------
    frame : DataFrame
        The raw table (any headers).
    names : dict
        Raw header → the column name problems carry (canonical, or the header).
    skip : set
        Raw headers whose own checks already refuse control characters.
    problems : list
        Appended to, with 1-based data rows.
    """
    limit = current().max_cell_chars
    n = len(frame)
    if n == 0:
        return
    headers = list(frame.columns)
    for block, cells in text_blocks(frame):
        view = text_view(cells)
        idx, texts, _blob = view
        long = np.zeros(len(cells), dtype=bool)
        long[idx[np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) > limit]] = True
        control = matching(cells, _CONTROL, view) & ~long
        skipped = np.repeat(np.array([headers[i] in skip for i in block], dtype=bool), n)
        control &= ~skipped
        for flat in np.flatnonzero(long | control):
            raw = headers[int(block[flat // n])]
            column = names.get(raw, str(raw))
            row = int(flat % n) + 1
            if long[flat]:
                expected = _("at most {limit} characters in a cell (the limit max_cell_chars)").format(
                    limit=f"{limit:,}")
            else:
                expected = _("text without control characters (a NUL byte or another invisible code, often from a "
                             "damaged export)")
            problems.append(Problem(row, column, cells.iloc[flat], expected, file))
