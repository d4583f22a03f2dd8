"""Resident identity numbers (GB 11643) and disability-certificate numbers.

A resident ID is 18 characters: a 6-digit address code, an 8-digit birth date, a
3-digit sequence (odd for men, even for women) and a check character computed by
ISO 7064 MOD 11-2. A second-generation disability certificate number is the
holder's resident ID followed by the category digit (1–7) and the grade digit
(1–4). Every function here that could print a number masks it first.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.errors import IdNumberError, ParameterError
from jhmatch.i18n import gettext as _
from jhmatch.masking import ID_NUMBER_RE, mask_id, scrub
from jhmatch.taxonomy import DisabilityCategory, Grade

__all__ = [
    "Certificate",
    "MaskingFilter",
    "ResidentId",
    "check_character",
    "has_id",
    "mask_id",
    "mask_ids",
    "parse_certificate",
    "parse_id_column",
    "parse_resident_id",
    "scrub",
    "scrub_series",
]

_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_CHECK = "10X98765432"
def mask_ids(values: pd.Series, keep_start: int = 3, keep_end: int = 2) -> pd.Series:
    """Vectorised :func:`mask_id` over a Series (missing values stay missing).

    Examples
    --------
    >>> mask_ids(pd.Series(["11010519491231002X", None])).tolist()
    ['110*************2X', None]
    """
    s = values.astype("object")
    notna = s.notna()
    text = s[notna].astype(str)
    n = text.str.len()
    short = n <= keep_start + keep_end + 2
    stars = pd.Series(["*" * k for k in (n - keep_start - keep_end).clip(lower=0)], index=text.index)
    masked = text.str[:keep_start] + stars + text.str[-keep_end:] if keep_end else text.str[:keep_start] + stars
    masked = masked.where(~short, pd.Series(["*" * k for k in n], index=text.index))
    out = pd.Series([None] * len(s), index=s.index, dtype="object")
    out[notna] = masked
    return out


def has_id(values: pd.Series) -> np.ndarray:
    """Which cells of a text column hold an ID-shaped number somewhere (see :func:`scrub`).

    Examples
    --------
    >>> has_id(pd.Series(["Y11010519491231002X", "12345", None])).tolist()
    [True, False, False]
    """
    from jhmatch.data.plausibility import matching

    return matching(values.astype("object").reset_index(drop=True), ID_NUMBER_RE)


def scrub_series(values: pd.Series) -> pd.Series:
    """:func:`scrub` every text cell of a Series (other cells unchanged, missing stay missing).

    Examples
    --------
    >>> scrub_series(pd.Series(["note 11010519491231002X", 3])).tolist()
    ['note 110*************2X', 3]
    """
    from jhmatch.data.plausibility import matching

    s = values.astype("object")
    out = s.to_numpy(copy=True)
    hit = matching(pd.Series(out, dtype="object"), ID_NUMBER_RE)
    if hit.any():
        out[hit] = [scrub(v) for v in out[hit]]
    return pd.Series(out, index=values.index, name=values.name, dtype="object")


class MaskingFilter(logging.Filter):
    """A :mod:`logging` filter that masks ID-shaped numbers in every record.

    Examples
    --------
    >>> logging.getLogger("jhmatch").addFilter(MaskingFilter())
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = scrub(record.getMessage())
        record.args = None
        return True


def check_character(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character for the first 17 digits of a resident ID.

    Examples
    --------
    >>> check_character("11010519491231002")
    'X'
    """
    if len(first17) != 17 or not first17.isdigit():
        raise IdNumberError(_("expected 17 digits, got {value}").format(value=repr(mask_id(first17))))
    s = int(np.dot(np.frombuffer(first17.encode("ascii"), dtype=np.uint8) - 48, _WEIGHTS))
    return _CHECK[s % 11]


@dataclass(frozen=True)
class ResidentId:
    """A parsed resident identity number.

    Attributes
    ----------
    number : str
        The 18 characters, upper-case check character (masked in ``repr``).
    address_code : str
        6-digit administrative division code of registration.
    birth_date : datetime.date
    sex : str
        ``"M"`` or ``"F"`` (odd sequence = male).
    """

    number: str
    address_code: str
    birth_date: dt.date
    sex: str

    def __repr__(self) -> str:
        return (f"ResidentId(number={mask_id(self.number)!r}, address_code={self.address_code!r}, "
                f"birth_date={self.birth_date!r}, sex={self.sex!r})")


@dataclass(frozen=True)
class Certificate:
    """A parsed second-generation disability certificate number.

    Attributes
    ----------
    number : str
        The 20 characters (masked in ``repr``).
    resident_id : ResidentId
    category : DisabilityCategory
    grade : Grade
    """

    number: str
    resident_id: ResidentId
    category: DisabilityCategory
    grade: Grade

    def __repr__(self) -> str:
        return (f"Certificate(number={mask_id(self.number)!r}, category={self.category.value!r}, "
                f"grade={int(self.grade)})")


def parse_resident_id(value: Any) -> ResidentId:
    """Validate and parse an 18-character resident ID.

    Raises
    ------
    IdNumberError
        Wrong length or characters, impossible birth date, or wrong check character;
        the message masks the number.

    Examples
    --------
    >>> parse_resident_id("11010519491231002X").birth_date
    datetime.date(1949, 12, 31)
    """
    text = str(value).strip().upper()
    table = parse_id_column(pd.Series([text]), kind="resident")
    err = table["error"].iloc[0]
    if err:
        raise IdNumberError(_("invalid resident ID {value}: {reason}").format(value=repr(mask_id(text)), reason=err))
    return ResidentId(text, table["address_code"].iloc[0], table["birth_date"].iloc[0].date(), table["sex"].iloc[0])


def parse_certificate(value: Any) -> Certificate:
    """Validate and parse a 20-character disability certificate number.

    Examples
    --------
    >>> c = parse_certificate("11010519491231002X42")
    >>> c.category.value, int(c.grade)
    ('physical', 2)
    """
    text = str(value).strip().upper()
    table = parse_id_column(pd.Series([text]), kind="certificate")
    err = table["error"].iloc[0]
    if err:
        raise IdNumberError(_("invalid certificate number {value}: {reason}").format(value=repr(mask_id(text)),
                                                                                       reason=err))
    rid = ResidentId(text[:18], table["address_code"].iloc[0], table["birth_date"].iloc[0].date(), table["sex"].iloc[0])
    return Certificate(text, rid, DisabilityCategory.parse(int(text[18])), Grade(int(text[19])))


def parse_id_column(values: pd.Series, kind: str = "resident") -> pd.DataFrame:
    """Validate and parse a whole column of ID or certificate numbers at once.

    Parameters
    ----------
    values : Series
        Raw numbers; missing values are allowed and give an empty ``error``.
    kind : {"resident", "certificate"}
        Resident IDs (18 characters) or certificate numbers (20 characters).

    Returns
    -------
    DataFrame
        Same index; columns ``number`` (normalised, upper-case), ``address_code``,
        ``birth_date`` (datetime64), ``sex``, ``category`` and ``grade`` (certificates
        only, else missing) and ``error`` (``""`` when valid or missing, else a
        reason that never repeats the number).

    Examples
    --------
    >>> parse_id_column(pd.Series(["11010519491231002X", "110105194912310021"]))["error"].tolist()
    ['', 'check character is 1, expected X']
    """
    if kind not in ("resident", "certificate"):
        raise ParameterError(f"kind: got {kind!r}, expected 'resident' or 'certificate'")
    length = 18 if kind == "resident" else 20
    s = values.astype("object")
    present = s.notna() & (s.astype(str).str.strip() != "")
    text = s.where(present, "").astype(str).str.strip().str.upper()
    n = len(text)
    error = np.full(n, "", dtype=object)
    pres = present.to_numpy()

    lens = text.str.len().to_numpy()
    bad_len = pres & (lens != length)
    error[bad_len] = [_("has {n} characters, expected {length}").format(n=k, length=length) for k in lens[bad_len]]

    ok = pres & ~bad_len
    pattern = r"^\d{17}[\dX]$" if kind == "resident" else r"^\d{17}[\dX][1-7][1-4]$"
    shape_ok = text.str.match(pattern).to_numpy(dtype=bool)
    bad_shape = ok & ~shape_ok
    error[bad_shape] = (
        _("expected 17 digits and a digit or X") if kind == "resident"
        else _("expected 17 digits, a digit or X, a category digit 1-7 and a grade digit 1-4")
    )
    ok &= shape_ok

    address = np.full(n, None, dtype=object)
    sex = np.full(n, None, dtype=object)
    birth = pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]")
    category = np.full(n, None, dtype=object)
    grade = pd.array([pd.NA] * n, dtype="Int64")
    idx = np.flatnonzero(ok)
    if idx.size:
        sub = text.to_numpy()[idx].astype(f"U{length}")
        codes = sub.view(np.uint32).reshape(len(idx), length)
        digits = codes[:, :17].astype(np.int64) - 48
        check = np.array(list(_CHECK))[(digits @ _WEIGHTS) % 11]
        given = np.array([chr(c) for c in codes[:, 17]])
        bad_check = check != given
        birth_raw = pd.to_datetime(pd.Series([t[6:14] for t in sub]), format="%Y%m%d", errors="coerce")
        bad_date = birth_raw.isna().to_numpy() | (birth_raw.dt.year < 1900).to_numpy()
        bad_date |= (birth_raw > pd.Timestamp("2100-01-01")).to_numpy()
        error[idx[bad_date]] = _("birth date digits are not a valid date")
        future = ~bad_date & (birth_raw > pd.Timestamp.today().normalize()).to_numpy()
        error[idx[future]] = [_("the birth date in it ({date}) is in the future").format(date=str(d.date()))
                              for d in birth_raw[future]]
        bad_date |= future
        chk_idx = np.flatnonzero(bad_check & ~bad_date)
        error[idx[chk_idx]] = [_("check character is {given}, expected {check}").format(given=given[i], check=check[i])
                               for i in chk_idx]
        good = ~bad_date & ~bad_check
        gi = idx[good]
        address[gi] = [t[:6] for t in sub[good]]
        sex[gi] = np.where(digits[good, 16] % 2 == 1, "M", "F")
        birth.iloc[gi] = birth_raw[good].to_numpy()
        if kind == "certificate":
            cats = list(DisabilityCategory)
            category[gi] = [cats[c - 49].value for c in codes[good, 18]]
            grade[gi] = codes[good, 19].astype(np.int64) - 48
    number = text.where(present, None)
    return pd.DataFrame(
        {
            "number": number.to_numpy(),
            "address_code": address,
            "birth_date": birth.to_numpy(),
            "sex": sex,
            "category": category,
            "grade": grade,
            "error": error,
        },
        index=values.index,
    )
