"""Masking identity- and certificate-shaped numbers in text (the bottom layer: errors use it).

:mod:`jhmatch.data.ids` re-exports :func:`mask_id` and :func:`scrub`; they live here so
that :mod:`jhmatch.errors` can mask every message without importing the data layer.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["ID_NUMBER_RE", "mask_id", "scrub"]

# An ID (18 characters), a certificate (20) or a longer run of digits holding one, anywhere, also glued
# to letters (Y330702…, …0117abc); not the digits after a decimal point.
ID_NUMBER_RE = re.compile(r"(?<![0-9])(?<![0-9][.,])\d{17}[\dXx]\d*(?![0-9])")
"""An ID-shaped number in text: 17 digits and a check character (digit or X), not inside a longer number."""
_ID_RE = ID_NUMBER_RE  # the old private name


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
    (``0.110105194912310021``) are not.

    Examples
    --------
    >>> scrub("holder 11010519491231002X43 failed")
    'holder 110***************43 failed'
    >>> scrub("ID11010519491231002Xabc")
    'ID110*************2Xabc'
    """
    return ID_NUMBER_RE.sub(lambda m: mask_id(m.group(0)), text)
