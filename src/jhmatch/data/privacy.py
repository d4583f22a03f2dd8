"""Pseudonymisation of identifiers with a keyed hash (HMAC-SHA-256).

The same key maps the same identifier to the same pseudonym, so exports from
different runs can still be joined by whoever holds the key, while the pseudonyms
reveal nothing without it. The key is the caller's secret: jhmatch never stores it.
"""

from __future__ import annotations

import hashlib
import hmac

import pandas as pd

__all__ = ["pseudonymize"]


def pseudonymize(values: pd.Series, key: str | bytes, length: int = 16) -> pd.Series:
    """Replace each identifier with a keyed hash (missing values stay missing).

    Parameters
    ----------
    values : Series
        Identifiers (ID numbers, certificate numbers, person ids, ...).
    key : str or bytes
        Secret key, at least 16 characters; keep it out of the exported files.
    length : int, default 16
        Hex characters kept (16 = 64 bits).

    Examples
    --------
    >>> s = pseudonymize(pd.Series(["11010519491231002X", None]), key="a long secret key")
    >>> len(s[0]), s[1] is None, s[0] == pseudonymize(pd.Series(["11010519491231002X"]), "a long secret key")[0]
    (16, True, True)
    """
    raw = key.encode("utf-8") if isinstance(key, str) else bytes(key)
    if len(raw) < 16:
        raise ValueError("the pseudonymisation key must be at least 16 characters long")
    if not 8 <= length <= 64:
        raise ValueError("length must be between 8 and 64 hex characters")
    s = values.astype("object")
    out = [
        None if pd.isna(v) else hmac.new(raw, str(v).encode("utf-8"), hashlib.sha256).hexdigest()[:length]
        for v in s
    ]
    return pd.Series(out, index=values.index, name=values.name, dtype="object")
