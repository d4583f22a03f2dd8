"""Pseudonymisation of identifiers with a keyed hash (HMAC-SHA-256).

The same key maps the same identifier to the same pseudonym, so exports from
different runs can still be joined by whoever holds the key, while the pseudonyms
reveal nothing without it. The key is the caller's secret: jhmatch never stores it.
"""

from __future__ import annotations

import hashlib
import hmac

import numpy as np
import pandas as pd

from jhmatch.errors import ParameterError

__all__ = ["ID_KEY_ENV", "id_key", "pseudonymize", "pseudonymous_ids"]


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
        raise ParameterError("the pseudonymisation key must be at least 16 characters long")
    if not 8 <= length <= 64:
        raise ParameterError("length must be between 8 and 64 hex characters")
    s = values.astype("object")
    out = [
        None if pd.isna(v) else hmac.new(raw, str(v).encode("utf-8"), hashlib.sha256).hexdigest()[:length]
        for v in s
    ]
    return pd.Series(out, index=values.index, name=values.name, dtype="object")


ID_KEY_ENV = "JHMATCH_ID_KEY"
"""Environment variable holding the key for stable pseudonyms in the command line's outputs.

An environment variable rather than an option, so the secret stays out of shell histories."""


def id_key() -> str | None:
    """The pseudonymisation key from :data:`ID_KEY_ENV`, or ``None`` when it is not set.

    Examples
    --------
    >>> import os; os.environ.pop("JHMATCH_ID_KEY", None) and None
    >>> id_key() is None
    True
    """
    import os

    key = os.environ.get(ID_KEY_ENV) or None
    if key is not None and len(key.encode("utf-8")) < 16:
        raise ParameterError(f"{ID_KEY_ENV}: the pseudonymisation key must be at least 16 characters long")
    return key


def pseudonymous_ids(values: pd.Series, key: str | bytes) -> pd.Series:
    """Cells that are a whole identity or certificate number become ``ID-`` + a keyed hash; others stay.

    For keys of a table (``person_id``, ``household_id``) that offices fill with ID numbers:
    the pseudonym is stable for the key, so an output can be read back and joined, while it
    reveals nothing without the key.

    Examples
    --------
    >>> s = pseudonymous_ids(pd.Series(["11010519491231002X", "P001"]), "a long secret key")
    >>> s[0].startswith("ID-") and len(s[0]) == 19, s[1]
    (True, 'P001')
    """
    from jhmatch.data.ids import parse_id_column

    s = values.astype("object")
    text = s.where(s.notna(), "").astype(str).str.strip()
    whole = text.str.fullmatch(r"\d{17}[\dXx](?:\d{2})?").fillna(False).to_numpy(dtype=bool)
    if not whole.any():
        return s
    valid = parse_id_column(pd.Series(text[whole].str[:18].to_numpy(), dtype="object"))["error"].to_numpy() == ""
    idx = np.flatnonzero(whole)[valid]
    out = s.copy()
    out.iloc[idx] = ("ID-" + pseudonymize(pd.Series(text.iloc[idx].str.upper().to_numpy(), dtype="object"),
                                          key)).to_numpy()
    return out
