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
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.errors import ParameterError, Problem, SchemaError
from jhmatch.i18n import gettext as _

__all__ = ["CONTROL_CHARACTERS", "Limits", "check_cells", "check_shape", "current", "limits", "set_limits"]


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
    age_tolerance : int
        Years an ``age`` column may be below the age the birth date gives today
        (an age recorded when the register was made); one year above is accepted
        as a nominal age (虚岁), more is a contradiction.

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
    age_tolerance: int = 3

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
    for position, raw in enumerate(frame.columns):
        s = frame.iloc[:, position]
        if not (s.dtype == object or isinstance(s.dtype, pd.StringDtype)):
            continue
        values = s.to_numpy(dtype=object)
        is_text = np.fromiter((isinstance(v, str) for v in values), dtype=bool, count=len(values))
        if not is_text.any():
            continue
        text = pd.Series(values[is_text], dtype=object)
        rows = np.flatnonzero(is_text) + 1
        column = names.get(raw, str(raw))
        long = text.str.len().to_numpy() > limit
        for r, v in zip(rows[long], text[long], strict=True):
            problems.append(Problem(int(r), column, v, _("at most {limit} characters in a cell (the limit "
                                                        "max_cell_chars)").format(limit=f"{limit:,}"), file))
        if raw in skip:
            continue
        control = text.str.contains(CONTROL_CHARACTERS, regex=True).to_numpy(dtype=bool) & ~long
        for r, v in zip(rows[control], text[control], strict=True):
            problems.append(Problem(int(r), column, v, _("text without control characters (a NUL byte or another "
                                                        "invisible code, often from a damaged export)"), file))
