"""Scanning outputs for unmasked identity numbers (shared by the privacy tests)."""

from __future__ import annotations

import re

import pandas as pd

from jhmatch.data.ids import parse_id_column


def leaked_ids(text: str) -> list[str]:
    """Valid resident-ID numbers (also inside certificate numbers) found in ``text``."""
    found = re.findall(r"(?<![0-9.])(\d{17}[\dXx])", text)
    table = parse_id_column(pd.Series(found, dtype="object"))
    return [f for f, e in zip(found, table["error"], strict=True) if e == ""]
