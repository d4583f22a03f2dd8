"""The result object every policy rule returns, and vectorised explanation helpers."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.errors import NotFoundError
from jhmatch.policy.parameters import ParameterValue

__all__ = ["PolicyResult"]

_TOL = 1e-9


@dataclass(frozen=True)
class PolicyResult:
    """What a policy rule computed, row by row, and why.

    Attributes
    ----------
    rule : str
        The rule (``"quota"``, ``"fund"``, ``"vat_refund"``, ...).
    date : datetime.date
        Date of the parameters used (for monthly rules: the first month's).
    table : DataFrame
        One row per input row (employer, person, employer-year), in input order, with
        the rule's figures and an ``explanation`` column a planner can read.
    parameters : tuple of ParameterValue
        Every parameter value the rule used, with period, status and source.
    key : str
        The identifier column of :attr:`table`.
    detail : DataFrame or None
        Finer rows when the rule has them (the months of the VAT refund).

    Examples
    --------
    >>> from jhmatch.policy import PolicyParameters, quota_employment
    >>> r = quota_employment(pd.DataFrame({"employer_id": ["e1"], "county": ["义乌"], "staff": [200],
    ...                                    "disabled_staff": [1]}), PolicyParameters.for_year(2025))
    >>> print(r.explain("e1"))  # doctest: +NORMALIZE_WHITESPACE
    e1: quota: required 200 staff × 1.5% = 3.00; counted 1 (1 disabled, 0 severe counted ×2) → ratio 0.50%,
    shortfall 2.00
    """

    rule: str
    date: dt.date
    table: pd.DataFrame
    parameters: tuple[ParameterValue, ...]
    key: str = "employer_id"
    detail: pd.DataFrame | None = None

    def __len__(self) -> int:
        return len(self.table)

    def explain(self, key: Any) -> str:
        """The explanation of the row(s) whose :attr:`key` equals ``key``."""
        rows = self.table[self.table[self.key].astype("object") == key]
        if rows.empty:
            raise NotFoundError(f"no row with {self.key} = {key!r}")
        return "\n".join(f"{key}: {text}" for text in rows["explanation"])

    def sources(self) -> pd.DataFrame:
        """The parameters used: name, value, period, status, source (in the current language)."""
        return pd.DataFrame([
            {"name": p.name, "value": p.value if not hasattr(p.value, "items") else dict(p.value),
             "valid_from": p.valid_from, "valid_to": p.valid_to, "status": p.status, "source": p.source_text()}
            for p in self.parameters
        ])


def fmt(values: Any, spec: str) -> np.ndarray:
    """Format a numeric array element-wise with a ``%``-style spec (vectorised)."""
    arr = np.asarray(values, dtype="float64")
    if spec == "%d":
        arr = np.trunc(arr)
    out = np.empty(arr.shape, dtype=object)
    out[:] = [spec % v if v == v else "n/a" for v in arr.tolist()]
    return out


def pct(values: Any) -> np.ndarray:
    """Format fractions as percentages with two decimals (``n/a`` for NaN)."""
    arr = np.asarray(values, dtype="float64") * 100
    out = np.empty(arr.shape, dtype=object)
    out[:] = [f"{v:.2f}%" if v == v else "n/a" for v in arr.tolist()]
    return out


def money(values: Any) -> np.ndarray:
    """Format yuan amounts with thousands separators, two decimals."""
    return _money(np.asarray(values, dtype="float64"))


def _money(arr: np.ndarray) -> np.ndarray:
    # vectorised thousands separators: format once per distinct value
    uniq, inv = np.unique(np.round(arr, 2), return_inverse=True)
    text = np.array([f"{v:,.2f}" for v in uniq.tolist()], dtype=object)
    return text[inv.reshape(arr.shape)]


def cat(*parts: Any) -> np.ndarray:
    """Concatenate strings / string arrays element-wise (broadcasting scalars)."""
    n = max((len(p) for p in parts if isinstance(p, np.ndarray)), default=1)
    cols = [(p.tolist() if p.dtype.kind == "U" else [str(x) for x in p.tolist()]) if isinstance(p, np.ndarray)
            else itertools.repeat(str(p), n) for p in parts]
    out = np.empty(n, dtype=object)
    out[:] = ["".join(row) for row in zip(*cols)]
    return out


def ge(a: Any, b: Any) -> np.ndarray:
    """``a >= b`` with a small relative tolerance (so 3 >= 200 × 0.015 holds)."""
    a = np.asarray(a, dtype="float64")
    b = np.asarray(b, dtype="float64")
    return a >= b - _TOL * np.maximum(1.0, np.abs(b))


def gt(a: Any, b: Any) -> np.ndarray:
    """``a > b`` beyond a small relative tolerance."""
    return ~ge(b, a)


def clip_zero(x: np.ndarray) -> np.ndarray:
    """``max(x, 0)`` with values within rounding noise of zero set to exactly 0."""
    x = np.asarray(x, dtype="float64")
    return np.where(x > _TOL * np.maximum(1.0, np.abs(x)), x, 0.0)
