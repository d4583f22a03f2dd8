"""Cross-column checks of the persons, posts and employers tables.

Each check is ``check(frame, problems, file)``: it reads the converted columns,
appends a :class:`~jhmatch.errors.Problem` per finding (1-based data rows) and may
fill columns derived from others (category, grade, birth date and sex from the
certificate or ID number). :mod:`jhmatch.data.schema` attaches them to its schemas.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from jhmatch.data import plausibility
from jhmatch.data.ids import mask_id, parse_id_column
from jhmatch.data.table import TEXT, Column
from jhmatch.errors import Problem, SchemaWarning
from jhmatch.i18n import get_language
from jhmatch.i18n import gettext as _
from jhmatch.taxonomy import DisabilityCategory, Grade, post_kinds

__all__ = ["check_employers", "check_persons", "check_posts", "same_person_notes"]


def _persons_column(name: str) -> Column:
    from jhmatch.data.schema import PERSONS

    return PERSONS.column(name)


def _disagree(given: pd.Series, derived: pd.Series, mask: np.ndarray | None = None) -> np.ndarray:
    """Rows where both values are present and differ."""
    both = given.notna().to_numpy() & derived.notna().to_numpy()
    if mask is not None:
        both &= mask
    out = np.zeros(len(given), dtype=bool)
    idx = np.flatnonzero(both)
    if idx.size:
        a = given.astype("object").to_numpy()[idx]
        b = derived.astype("object").to_numpy()[idx]
        out[idx] = np.array([x != y for x, y in zip(a, b, strict=True)], dtype=bool)
    return out


def _fill_from(df: pd.DataFrame, col: str, derived: pd.Series, mask: np.ndarray) -> None:
    fill = mask & df[col].isna().to_numpy() & derived.notna().to_numpy()
    if fill.any():
        values = df[col].astype("object").to_numpy().copy()
        values[fill] = derived.astype("object").to_numpy()[fill]
        df[col] = values


def check_persons(df: pd.DataFrame, problems: list[Problem], file: str | None) -> None:
    rows = np.arange(1, len(df) + 1)
    flagged = {(p.row, p.column) for p in problems}
    cert = df["certificate_number"]
    has_cert = cert.notna().to_numpy()
    if has_cert.any():
        parsed = parse_id_column(cert.astype("object").where(has_cert, None), kind="certificate")
        for col in ("category", "grade", "birth_date", "sex"):
            derived = parsed[col]
            for r in rows[_disagree(df[col], derived, has_cert)]:
                problems.append(Problem(int(r), col, _show(df[col].iloc[r - 1]),
                                        _("{value}, as the certificate number says ({number})").format(
                                            value=_shown(col, derived.iloc[r - 1]), number=mask_id(cert.iloc[r - 1])),
                                        file))
            unflagged = np.array([(int(r), col) not in flagged for r in rows]) if flagged else np.ones(len(df), bool)
            _fill_from(df, col, derived, has_cert & unflagged)
        ids = df["id_number"]
        for r in rows[_disagree(ids, cert.astype("object").str[:18], has_cert)]:
            problems.append(Problem(int(r), "id_number", mask_id(ids.iloc[r - 1]),
                                    _("the first 18 characters of the certificate number ({number})").format(
                                        number=mask_id(cert.iloc[r - 1])), file))
    idn = df["id_number"]
    has_id = idn.notna().to_numpy() & ~has_cert
    if has_id.any():
        parsed = parse_id_column(idn.astype("object").where(has_id, None), kind="resident")
        for col in ("birth_date", "sex"):
            for r in rows[_disagree(df[col], parsed[col], has_id)]:
                problems.append(Problem(int(r), col, _show(df[col].iloc[r - 1]),
                                        _("{value}, as the ID number says ({number})").format(
                                            value=_shown(col, parsed[col].iloc[r - 1]), number=mask_id(idn.iloc[r - 1])),
                                        file))
            _fill_from(df, col, parsed[col], has_id)
    for col in ("category", "grade"):
        if (None, col) in flagged:  # the column itself is at fault (repeated header, ...)
            continue
        for r in rows[df[col].isna().to_numpy()]:
            if (int(r), col) not in flagged and (int(r), "certificate_number") not in flagged:
                problems.append(Problem(int(r), col, "", _("a value, or a certificate number to derive it from "
                                                           "({description})").format(
                                                               description=_persons_column(col).what()), file))
    multi = (df["category"].astype("object") == DisabilityCategory.MULTIPLE.value).to_numpy(dtype=bool)
    comps = df["components"].astype("object").fillna("")
    n_comp = comps.str.count(";").to_numpy() + (comps != "").to_numpy()
    for r in rows[multi & (n_comp == 1)]:
        problems.append(Problem(int(r), "components", comps.iloc[r - 1],
                                _("two or more component categories for a multiple disability"), file))
    for r in rows[~multi & (n_comp > 0) & df["category"].notna().to_numpy()]:
        problems.append(Problem(int(r), "components", comps.iloc[r - 1],
                                _("no components unless the category is multiple"), file))
    bd = pd.to_datetime(df["birth_date"])
    bad = ((bd < pd.Timestamp("1900-01-01")) | (bd > pd.Timestamp("2100-01-01"))).to_numpy(dtype=bool)
    for r in rows[bad]:
        problems.append(Problem(int(r), "birth_date", str(bd.iloc[r - 1].date()), _("a birth date between 1900 and 2100"),
                                file))
    _check_dates_and_ages(df, bd, bad, problems, file)
    df["birth_date"] = bd.astype("datetime64[ns]")
    df["grade"] = df["grade"].astype("Int64")
    df["category"] = df["category"].astype(TEXT)
    df["sex"] = df["sex"].astype(TEXT)


def _check_dates_and_ages(df: pd.DataFrame, bd: pd.Series, bad: np.ndarray, problems: list[Problem],
                          file: str | None) -> None:
    """Birth dates in the future; an age column that contradicts the birth date (given or from the ID)."""
    rows = np.arange(1, len(df) + 1)
    today = pd.Timestamp.today().normalize()
    future = (bd > today).to_numpy(dtype=bool) & ~bad
    for r in rows[future]:
        problems.append(Problem(int(r), "birth_date", str(bd.iloc[r - 1].date()),
                                _("a birth date that is not in the future (today is {today})").format(
                                    today=str(today.date())), file))
    age = df["age"].to_numpy(dtype="float64", na_value=np.nan)
    known = ~np.isnan(age) & bd.notna().to_numpy() & ~future & ~bad
    if not known.any():
        return
    born = bd[known]
    years = today.year - born.dt.year.to_numpy() - _before_birthday(born, today)
    # A register records ages when it is made: the table as a whole tells how long ago (the gap, up to
    # max_register_years, that most rows agree with); a row more than a year off it is a contradiction
    # (one year above the birth date's age is a nominal age, 虚岁).
    limit = int(plausibility.current().max_register_years)
    gaps = years - age[known]
    agree = [(int((np.abs(gaps - g) <= 1).sum()), int((gaps == g).sum())) for g in range(limit + 1)]
    gap = max(range(limit + 1), key=lambda g: (agree[g], -g))
    expected = years - gap
    off = np.abs(age[known] - expected) > 1
    for r, a, e, d in zip(rows[known][off], age[known][off], expected[off], born[off], strict=True):
        problems.append(Problem(int(r), "age", int(a), _("an age from {low} to {high}: the birth date {date} gives "
                                                         "{years} when this table's ages were recorded ({gap} year(s) "
                                                         "ago, judged from all its rows; at most the limit "
                                                         "max_register_years)").format(
                                                             low=max(int(e) - 1, 0), high=int(e) + 1,
                                                             date=str(d.date()), years=int(e), gap=gap),
                                file))


def same_person_notes(df: pd.DataFrame, rows: np.ndarray, file: str | None) -> list[SchemaWarning]:
    """One person under two person ids: the same resident ID (given, or inside the certificate number).

    A warning, not a refusal: the table stays readable (a re-registration may be
    in progress), and commands that place persons decide (``code="same_person"``).
    ``rows`` are the row numbers as the file shows them.
    """
    ids = df["id_number"].astype("object").to_numpy()
    certs = df["certificate_number"].astype("object").to_numpy()
    key = np.array([i if isinstance(i, str) else c[:18] if isinstance(c, str) else None
                    for i, c in zip(ids, certs, strict=True)], dtype=object)
    keys = pd.Series(key, dtype="object")
    dup = keys.notna().to_numpy() & keys.duplicated(keep=False).to_numpy()
    if not dup.any():
        return []
    pids = df["person_id"].astype("object").to_numpy()
    notes = []
    for number, members in keys[dup].groupby(keys[dup]).groups.items():
        people = list(dict.fromkeys(str(pids[i]) for i in members))
        if len(people) < 2:
            continue  # the same person id twice is already refused as a repeated id
        column = "id_number" if any(isinstance(ids[i], str) for i in members) else "certificate_number"
        notes.append(SchemaWarning(_("the same ID number {number} under person ids {people} (rows {rows}): one "
                                     "person may be placed twice; keep one row per person").format(
                                         number=mask_id(number), people=", ".join(repr(p) for p in people),
                                         rows=", ".join(str(int(rows[i])) for i in members)),
                                   column, file, None, "same_person"))
    return notes


def _before_birthday(born: pd.Series, today: pd.Timestamp) -> np.ndarray:
    """1 where this year's birthday is still to come, else 0."""
    month, day = born.dt.month.to_numpy(), born.dt.day.to_numpy()
    return ((month > today.month) | ((month == today.month) & (day > today.day))).astype(int)


def _shown(col: str, value: Any) -> str:
    """A derived value as a message shows it: the category or sex in the current language."""
    value = _show(value)
    if get_language() == "zh":
        if col == "category":
            return DisabilityCategory.parse(value).zh
        if col == "grade":
            return Grade.parse(value).zh
        if col == "sex":
            return {"M": "男", "F": "女"}.get(str(value), str(value))
    return str(value)


def _show(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        return str(value.date())
    if isinstance(value, (np.integer,)):
        return int(value)
    return value


def check_posts(df: pd.DataFrame, problems: list[Problem], file: str | None) -> None:
    rows = np.arange(1, len(df) + 1)
    both = df["min_age"].notna().to_numpy() & df["max_age"].notna().to_numpy()
    lo = df["min_age"].to_numpy(dtype="float64", na_value=np.nan)
    hi = df["max_age"].to_numpy(dtype="float64", na_value=np.nan)
    for r in rows[both & (lo > hi)]:
        problems.append(Problem(int(r), "max_age", int(hi[r - 1]),
                                _("at least min_age ({value})").format(value=int(lo[r - 1])), file))
    remote_kind = {k.code: k.remote for k in post_kinds()}
    by_kind = df["kind"].astype("object").map(remote_kind).fillna(False).to_numpy(dtype=bool)
    given = df["remote"].astype("object")
    df["remote"] = np.where(given.isna().to_numpy(), by_kind, given.fillna(False).to_numpy(dtype=bool))


def check_employers(df: pd.DataFrame, problems: list[Problem], file: str | None) -> None:
    rows = np.arange(1, len(df) + 1)
    staff, dis, sev = (df[c].to_numpy(dtype="float64", na_value=np.nan)
                       for c in ("staff", "disabled_staff", "severe_disabled_staff"))
    for r in rows[dis > staff]:
        problems.append(Problem(int(r), "disabled_staff", int(dis[r - 1]),
                                _("at most staff ({value})").format(value=int(staff[r - 1])), file))
    for r in rows[sev > dis]:
        problems.append(Problem(int(r), "severe_disabled_staff", int(sev[r - 1]),
                                _("at most disabled_staff ({value})").format(value=int(dis[r - 1])), file))
