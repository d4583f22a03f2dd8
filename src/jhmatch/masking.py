"""Masking identity- and certificate-shaped numbers in text (the bottom layer: errors use it).

:mod:`jhmatch.data.ids` re-exports :func:`mask_id` and :func:`scrub`; they live here so
that :mod:`jhmatch.errors` can mask every message without importing the data layer.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["ID_NUMBER_RE", "OLD_ID_NUMBER_RE", "mask_id", "scrub"]

# An ID (18 characters), a certificate (20) or a longer run of digits holding one, anywhere, also glued
# to letters (Y330702…, …0117abc); not the digits after a decimal point.
ID_NUMBER_RE = re.compile(r"(?<![0-9])(?<![0-9][.,])\d{17}[\dXx]\d*(?![0-9])")
"""An ID-shaped number in text: 17 digits and a check character (digit or X), not inside a longer number."""
_ID_RE = ID_NUMBER_RE  # the old private name

# A first-generation ID (GB 11643-1989, issued until 2004, still on old records): 15 digits, an area code
# (first digit 1-8), the birth date as YYMMDD and a 3-digit sequence; a date must be in it, so that other
# 15-digit numbers are left alone.
OLD_ID_NUMBER_RE = re.compile(r"(?<![0-9])(?<![0-9][.,])[1-8]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?![0-9])")
"""A 15-digit first-generation ID number in text (area code, YYMMDD birth date, sequence)."""


def mask_id(value: Any, keep_start: int = 3, keep_end: int = 2) -> str:
    """Mask an identity or certificate number for display.

    Keeps ``keep_start`` leading and ``keep_end`` trailing characters and replaces
    the rest with ``*``. Short values are masked entirely.

    Examples
    --------
    >>> mask_id("11010519491231002X")
    '110*************2X'
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = str(value)
    if len(text) <= keep_start + keep_end + 2:
        return "*" * len(text)
    return text[:keep_start] + "*" * (len(text) - keep_start - keep_end) + text[len(text) - keep_end :]


def scrub(text: str) -> str:
    """Mask every identity- or certificate-shaped number inside free text.

    Numbers glued to letters (``ID11010519491231002X``, ``…002Xabc``) and longer
    runs of digits that hold one are caught too; the digits of a decimal
    (``0.110105194912310021``) are not. First-generation 15-digit IDs
    (:data:`OLD_ID_NUMBER_RE`) are masked as well.

    Examples
    --------
    >>> scrub("holder 11010519491231002X43 failed")
    'holder 110***************43 failed'
    >>> scrub("ID11010519491231002Xabc")
    'ID110*************2Xabc'
    >>> scrub("old ID 110105491231002")
    'old ID 110**********02'
    """
    text = ID_NUMBER_RE.sub(lambda m: mask_id(m.group(0)), text)
    return OLD_ID_NUMBER_RE.sub(lambda m: mask_id(m.group(0)), text)
