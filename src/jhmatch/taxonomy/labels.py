"""Label folding: how every vocabulary of :mod:`jhmatch.taxonomy` reads what planners type.

One rule for all of them (NFKC, strip, lower case, no inner spaces, ``_`` read as ``-``),
so ``" Visual "``, ``visual`` and ``VISUAL`` are one label. Importable from
:mod:`jhmatch.taxonomy` as before.
"""

from __future__ import annotations

import enum
import unicodedata
from typing import Any, TypeVar

from jhmatch.errors import UnknownLabelError

__all__ = ["normalize_label", "parse_alias"]

E = TypeVar("E", bound=enum.Enum)


def parse_alias(cls: type[E], aliases: dict[str, str], what: str, value: Any, accepted: list[str],
                shown: tuple[str, ...] | None = None) -> E:
    """Member of enum ``cls`` whose alias (folded by :func:`normalize_label`) is ``value``.

    Raises :class:`~jhmatch.errors.UnknownLabelError` naming ``what`` and the ``accepted`` values.

    Examples
    --------
    >>> class Side(str, enum.Enum):
    ...     LEFT = "left"
    >>> parse_alias(Side, {"左": "left", "left": "left"}, "side", " 左 ", ["left"]).value
    'left'
    """
    if isinstance(value, cls):
        return value
    try:
        return cls(aliases[normalize_label(value)])
    except KeyError:
        raise UnknownLabelError(what, value, accepted, shown) from None


def normalize_label(value: Any) -> str:
    """Fold a label for alias lookup: NFKC, strip, lower case, no inner spaces.

    Examples
    --------
    >>> normalize_label("  Visual ")
    'visual'
    >>> normalize_label("１")
    '1'
    """
    text = unicodedata.normalize("NFKC", str(value)).strip().lower()
    return "".join(text.split()).replace("_", "-")
