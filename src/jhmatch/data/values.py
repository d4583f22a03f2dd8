"""Cell parsers: one raw (non-missing) value to its canonical value, or :class:`~jhmatch.errors.ValueFormatError`.

A parser is applied once per distinct value of a column (:mod:`jhmatch.data.table`);
:mod:`jhmatch.data.schema` attaches these to its columns. Each accepts the spellings
planners use (是/否, 2024年3月1日, 上肢, 不限 …) and says what it expected: the error's
message is the expected form, which table validation puts into a :class:`~jhmatch.errors.Problem`
naming the row and column (``jhmatch.data.convert``). ``ValueFormatError`` is a ``JhmatchError``
and a ``ValueError``, so a direct call fails with a jhmatch error too.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.errors import UnknownLabelError, ValueFormatError, join_values, show_value
from jhmatch.i18n import gettext as _
from jhmatch.taxonomy import (
    Accommodation,
    DisabilityCategory,
    accommodation_choices,
    education_level,
    kind_choices,
    normalize_label,
    post_kind,
)

__all__ = [
    "ACCOMMODATIONS_TEXT",
    "kind_code",
    "label_parser",
    "parse_accommodations",
    "parse_bool",
    "parse_components",
    "parse_csco",
    "parse_date",
    "parse_kinds",
    "parse_limbs",
    "parse_min_education",
    "parse_sex",
    "split_list",
]

# ----------------------------------------------------------------------------- parsers
# A parser maps one raw (non-missing) value to its canonical value or raises
# ValueFormatError / UnknownLabelError; it is applied once per distinct value.

_TRUE = {"1", "true", "t", "yes", "y", "是", "有", "√", "✓", "对"}
_FALSE = {"0", "false", "f", "no", "n", "否", "无", "×", "✗", "不"}


def parse_bool(value: Any) -> bool:
    """Parse a yes/no cell: true/false, 1/0, yes/no, 是/否, √/×.

    Examples
    --------
    >>> parse_bool("是"), parse_bool("0")
    (True, False)
    """
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    key = normalize_label(value)
    if key in ("1.0", "0.0"):
        key = key[0]
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueFormatError(_("a yes/no value (true/false, 1/0, 是/否)"))


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y-%m-%d %H:%M:%S")


def parse_date(value: Any) -> pd.Timestamp:
    """Parse a date cell: 2024-03-01, 2024/3/1, 20240301, 2024.3.1, 2024年3月1日 or a datetime.

    Dates before 1900 or after 2100 are refused (no person or post has them, and
    they usually come from a mistyped or truncated cell).

    Examples
    --------
    >>> parse_date("2024年3月1日")
    Timestamp('2024-03-01 00:00:00')
    """
    parsed: dt.date | None = None
    if isinstance(value, (pd.Timestamp, dt.date, np.datetime64)):
        parsed = value.date() if isinstance(value, pd.Timestamp) else value
        if isinstance(value, np.datetime64):
            if np.isnat(value):
                raise ValueFormatError(_("a date such as 2024-03-01, 2024/3/1, 20240301 or 2024年3月1日"))
            parsed = value.astype("datetime64[D]").item()
    else:
        text = normalize_label(value)
        if re.fullmatch(r"\d{8}\.0", text):
            text = text[:-2]
        for fmt in _DATE_FORMATS:
            try:
                parsed = dt.datetime.strptime(text, fmt.replace(" ", "")).date()
                break
            except ValueError:
                continue
    if parsed is None:
        raise ValueFormatError(_("a date such as 2024-03-01, 2024/3/1, 20240301 or 2024年3月1日"))
    if not (isinstance(parsed, dt.date) and 1900 <= parsed.year <= 2100):
        raise ValueFormatError(_("a date between 1900 and 2100"))
    return pd.Timestamp(parsed.year, parsed.month, parsed.day)



def label_parser(parse: Callable[[Any], Any], attr: str | None = None) -> Callable[[Any], Any]:
    def parser(value: Any) -> Any:
        out = parse(value)
        return getattr(out, attr) if attr else out

    return parser


# ----------------------------------------------------------------------------- value parsers
def parse_sex(value: Any) -> str:
    key = normalize_label(value)
    if key in ("m", "male", "男", "1"):
        return "M"
    if key in ("f", "female", "女", "2"):
        return "F"
    raise ValueFormatError(_("M or F (男/女)"))


def split_list(value: Any) -> list[str]:
    text = str(value)
    for sep in ("、", ",", "，", "|", "/", "；"):
        text = text.replace(sep, ";")
    return [p.strip() for p in text.split(";") if p.strip()]


def kind_code(value: Any) -> str:
    try:
        return post_kind(value).code
    except UnknownLabelError:  # list the catalogue as it is now (users may register kinds)
        raise ValueFormatError(_("a post kind, by code or Chinese name: {kinds}").format(
            kinds=join_values(kind_choices()))) from None


def parse_kinds(value: Any) -> str:
    return ";".join(dict.fromkeys(kind_code(p) for p in split_list(value)))


ACCOMMODATIONS_TEXT = ", ".join(accommodation_choices())
"""The accommodations, ``step_free 无障碍通道, ...`` (English; messages list them in the current language)."""


def parse_accommodations(value: Any) -> str:
    try:
        return ";".join(sorted({Accommodation.parse(p).value for p in split_list(value)}))
    except UnknownLabelError as exc:
        raise ValueFormatError(_("accommodations separated by ; — {value} is not one of them").format(
            value=show_value(exc.value))) from None


NO_MINIMUM = frozenset(normalize_label(v) for v in ("不限", "无要求", "不要求", "学历不限", "无限制", "不限学历", "any",
                                                      "no-minimum"))


def parse_min_education(value: Any) -> int | None:
    """A post's minimum education; 不限 / 无要求 mean no minimum (missing)."""
    if normalize_label(value) in NO_MINIMUM:
        return None
    return education_level(value)


def parse_components(value: Any) -> str:
    return ";".join(c.value for c in DisabilityCategory.parse_components(value))


def parse_csco(value: Any) -> str:
    text = normalize_label(value)
    if re.fullmatch(r"\d{7}(\.0)?", text):
        text = f"{text[0]}-{text[1:3]}-{text[3:5]}-{text[5:7]}"
    if not re.fullmatch(r"\d-\d{2}-\d{2}-\d{2}", text):
        raise ValueFormatError(_("a CSCO 2022 code such as 4-10-04-02 or 4100402"))
    return text


def parse_limbs(value: Any) -> str:
    key = normalize_label(value)
    table = {"upper": "upper", "上肢": "upper", "arm": "upper", "arms": "upper",
             "lower": "lower", "下肢": "lower", "leg": "lower", "legs": "lower",
             "both": "both", "四肢": "both", "上下肢": "both", "all": "both",
             "unknown": "unknown", "不详": "unknown", "": "unknown"}
    if key not in table:
        raise ValueFormatError(_("upper, lower, both or unknown (上肢/下肢/四肢/不详)"))
    return table[key]
