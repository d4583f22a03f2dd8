"""Dibao income disregard (低保就业收入豁免与渐退) for a person's employment start date.

Rule (PLAN, 金政办发〔2022〕50号 §二(六), dated 2022-12-28): "对于低保家庭残疾人初次就业、
再就业的，3年内所获得的就业收入可不计入家庭收入，3年后给予1年渐退期" — earnings of a
member of a dibao household from a first job or re-employment are not counted as
household income for ``dibao_disregard_years`` (3) years, then the household keeps its
dibao through a ``dibao_phaseout_years`` (1) year phase-out (渐退期) in which the
earnings are counted step by step. The plan does not say how; the shape is PARAM:

- ``linear`` (default): in month *k* of the *n*-month phase-out, *k*/(*n* + 1) of the
  earnings count (1/13, 2/13, …, 12/13 for a year): equal steps from nothing counted
  to all counted, so month 12 still keeps part of the disregard (counting *k*/*n* would
  count all earnings in month 12 and shorten the year's phase-out to 11 months);
- ``step``: ``dibao_phaseout_step_share`` of the earnings count throughout;
- ``none``: nothing counts until the phase-out ends.

Periods are counted as the Civil Code counts them (民法典 art. 201 and 203): from the
day after the start, ending on the corresponding day of the final year or month, or
on the month's last day when there is no corresponding day. A job started on
2022-03-15 is disregarded through 2025-03-15 (the day the 3 years end); phase-out
month 1 is 2025-03-16 … 2025-04-15, month 12 ends on 2026-03-15, and from 2026-03-16
all earnings count. For a calendar month the counted share is the average of the
daily shares over the days of the month on which the person held the job. (Moving a
period's end past a public holiday, art. 203, is not modelled.)

Which jobs the rule covers: the plan was issued on 2022-12-28 and runs to 2025. A job
started in that window is covered as written (``rule_basis`` ``PLAN``); a job started
before the plan's date or after 2025 gets the same computation marked ``ASSUMPTION``
(the plan does not say whether earlier jobs are covered, nor what follows 2025). Each
row's stage is named for planners by :func:`jhmatch.policy.phase_label`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from jhmatch.data.table import Column, TableSchema
from jhmatch.errors import ArgumentError, Problem
from jhmatch.policy.parameters import PolicyParameters, as_date
from jhmatch.policy.results import PolicyResult, cat, fmt, money
from jhmatch.policy.tables import _parse_month, _validate, _with_check

__all__ = ["DIBAO_PERSONS", "PLAN_DATE", "dibao_disregard"]

PLAN_DATE = "2022-12-28"
"""Date of 金政办发〔2022〕50号 (the plan); jobs started from it to 2025-12-31 are covered as written."""
PLAN_YEARS = (2022, 2025)

DIBAO_PERSONS = TableSchema(
    "persons (dibao)",
    (
        Column("person_id", "id", required=True, unique=True, aliases=("编号", "人员编号", "person"),
               description="unique identifier of the person"),
        Column("employment_start", "date", required=True, aliases=("就业日期", "入职日期", "start_date", "初次就业日期"),
               description="start date of the first job or re-employment"),
        Column("low_income", "bool", default=True, aliases=("低保", "低保户", "dibao"),
               description="member of a dibao household (only they get the disregard; default yes)"),
        Column("monthly_earnings", "float", min=0, aliases=("月收入", "就业收入", "earnings"),
               description="the person's monthly earnings from the job, yuan"),
    ),
)
"""Persons for the dibao disregard: id, employment start, dibao flag, optional earnings."""

_EARLIEST, _LATEST = pd.Timestamp("1950-01-01"), pd.Timestamp("2100-12-31")
_DIBAO_PARAMS = ("dibao_disregard_years", "dibao_phaseout_years", "dibao_phaseout_shape", "dibao_phaseout_step_share")


def _check(df: pd.DataFrame, problems: list[Problem]) -> None:
    start = df["employment_start"]
    bad = ((start < _EARLIEST) | (start > _LATEST)).fillna(False).to_numpy(dtype=bool)
    for i in np.flatnonzero(bad):
        problems.append(Problem(int(i) + 1, "employment_start", str(start.iloc[i].date()),
                                f"a date between {_EARLIEST.date()} and {_LATEST.date()}"))


DIBAO_PERSONS = _with_check(DIBAO_PERSONS, _check)


def _ymd(ts: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return ts.dt.year.to_numpy(), ts.dt.month.to_numpy(), ts.dt.day.to_numpy()


def dibao_disregard(persons: pd.DataFrame, month: Any = None, *, on: Any = None,
                    params: PolicyParameters | None = None) -> PolicyResult:
    """Which part of each person's earnings counts as household income in a month (or on a day).

    Parameters
    ----------
    persons : DataFrame
        See :data:`DIBAO_PERSONS`.
    month : str or date, optional
        The calendar month assessed (``"2025-03"``); exactly one of ``month``/``on``.
    on : date, optional
        A single day assessed instead of a month.
    params : PolicyParameters, optional
        Overrides to keep; the values in force on the month's first day are used.

    Returns
    -------
    PolicyResult
        ``table`` columns: person_id, employment_start, disregard_end (last disregarded
        day), phaseout_end (last phase-out day), phase (``not_dibao``, ``not_started``,
        ``disregarded``, ``phase_out``, ``counted`` — on the last day assessed),
        phaseout_month (month *k* of the phase-out on that day, 0 outside it),
        counted_share, counted_income (when earnings are given), rule_basis (``PLAN`` for
        a job started from the plan's date 2022-12-28 to 2025-12-31, else ``ASSUMPTION``),
        explanation.

    Examples
    --------
    >>> p = pd.DataFrame({"person_id": ["a"], "employment_start": ["2022-03-15"]})
    >>> t = dibao_disregard(p, on="2025-03-15").table
    >>> t.loc[0, "phase"], float(t.loc[0, "counted_share"])
    ('disregarded', 0.0)
    >>> round(float(dibao_disregard(p, on="2025-03-16").table.loc[0, "counted_share"]), 4)  # month 1: 1/13
    0.0769
    >>> round(float(dibao_disregard(p, on="2026-03-15").table.loc[0, "counted_share"]), 4)  # month 12: 12/13
    0.9231
    >>> float(dibao_disregard(p, month="2026-04").table.loc[0, "counted_share"])
    1.0
    """
    if (month is None) == (on is None):
        raise ArgumentError("give exactly one of month= or on=")
    if on is not None:
        first = last = pd.Timestamp(as_date(on, "on"))
        label = str(first.date())
    else:
        label = _parse_month(month)
        first = pd.Timestamp(label + "-01")
        last = first + pd.offsets.MonthEnd(0)
    p = (params.at(first.date()) if params is not None else PolicyParameters.for_date(first.date())).require(
        "dibao_disregard", *_DIBAO_PARAMS)
    df = _validate(DIBAO_PERSONS, persons, "person_id", "person")
    n = len(df)
    start = df["employment_start"]
    dibao = df["low_income"].to_numpy(dtype=bool)
    years, phase_years = p.dibao_disregard_years, p.dibao_phaseout_years
    a_ts = start + pd.DateOffset(years=years)
    b_ts = start + pd.DateOffset(years=years + phase_years)
    a_ns, b_ns, s_ns = (x.to_numpy(dtype="datetime64[ns]") for x in (a_ts, b_ts, start))
    ay, am, ad = _ymd(a_ts)
    n_months = 12 * phase_years

    total = np.zeros(n)
    days_on = np.zeros(n)
    days_dis = np.zeros(n)
    days_out = np.zeros(n)
    days_full = np.zeros(n)
    out_share_sum = np.zeros(n)
    k_last = np.zeros(n)
    for day in pd.date_range(first, last, freq="D"):
        d = np.datetime64(day.to_datetime64(), "ns")
        active = s_ns <= d
        dis = active & (d <= a_ns)
        out = active & (d > a_ns) & (d <= b_ns)
        full = active & (d > b_ns)
        # phase-out month k: A + (k-1) months < day <= A + k months (day clipped to the month's length)
        k = (day.year - ay) * 12 + (day.month - am) + (day.day > np.minimum(ad, day.days_in_month))
        if p.dibao_phaseout_shape == "linear":
            share_out = np.clip(k, 1, max(n_months, 1)) / (max(n_months, 1) + 1)
        elif p.dibao_phaseout_shape == "step":
            share_out = np.full(n, p.dibao_phaseout_step_share)
        else:
            share_out = np.zeros(n)
        share = np.where(full, 1.0, np.where(out, share_out, 0.0))
        total += np.where(active, share, 0.0)
        days_on += active
        days_dis += dis
        days_out += out
        days_full += full
        out_share_sum += np.where(out, share_out, 0.0)
        k_last = np.where(out, k, k_last)
    with np.errstate(invalid="ignore", divide="ignore"):
        counted = np.where(days_on > 0, total / np.where(days_on > 0, days_on, 1), 0.0)
        out_avg = np.where(days_out > 0, out_share_sum / np.where(days_out > 0, days_out, 1), 0.0)
    counted = np.where(dibao, counted, 1.0)
    d_last = np.datetime64(last.to_datetime64(), "ns")
    phase = np.select(
        [~dibao, days_on == 0, d_last <= a_ns, d_last <= b_ns],
        ["not_dibao", "not_started", "disregarded", "phase_out"], "counted",
    ).astype(object)

    plan_start, plan_end = pd.Timestamp(PLAN_DATE), pd.Timestamp(f"{PLAN_YEARS[1]}-12-31")
    covered = ((start >= plan_start) & (start <= plan_end)).to_numpy(dtype=bool)
    rule_basis = np.where(covered, "PLAN", "ASSUMPTION")
    k_now = np.where(phase == "phase_out", k_last, 0).astype(int)
    one = pd.Timedelta(days=1)
    dis_end, out_end = a_ts.dt.date.astype(str).to_numpy(dtype=object), b_ts.dt.date.astype(str).to_numpy(dtype=object)
    a_txt = (a_ts + one).dt.date.astype(str).to_numpy(dtype=object)
    status = p.sources["dibao_phaseout_shape"].status if "dibao_phaseout_shape" in p.sources else "?"
    shape = f"{p.dibao_phaseout_shape} [{status}]"
    periods = cat("job started ", start.dt.date.astype(str).to_numpy(dtype=object), f"; earnings disregarded {years} years"
                  " until ", dis_end, f", {phase_years}-year phase-out ", a_txt, "…", out_end, f" ({shape})")
    days = cat(
        np.where(days_dis > 0, cat(fmt(days_dis, "%d"), " days disregarded; "), ""),
        np.where(days_out > 0, cat(fmt(days_out, "%d"), " days in phase-out month ", fmt(k_last, "%d"),
                                   f" of {n_months} (", fmt(out_avg * 100, "%.2f"), "% counted); "), ""),
        np.where(days_full > 0, cat(fmt(days_full, "%d"), " days fully counted; "), ""),
    )
    shape_text = f" (month k of {n_months} counts k/{n_months + 1})" if p.dibao_phaseout_shape == "linear" else ""
    before = np.where(start.to_numpy() < plan_start.to_datetime64(), f"before the plan's date {PLAN_DATE}",
                      f"after {PLAN_YEARS[1]}").astype(object)
    periods = cat(periods, shape_text, np.where(
        covered, "", cat("; ASSUMPTION: the job started ", before, ", so the plan's rule is applied as an assumption")))
    text = np.where(
        ~dibao, "dibao: not a dibao household member: all earnings count",
        np.where(days_on == 0, cat("dibao: ", periods, f"; {label}: job not yet started"),
                 cat("dibao: ", periods, f"; {label}: ", days, "→ ", fmt(counted * 100, "%.2f"), "% of earnings counted")),
    )
    table = pd.DataFrame({
        "person_id": df["person_id"], "employment_start": start, "disregard_end": a_ts,
        "phaseout_end": b_ts, "phase": pd.array(phase.astype(str), dtype="string"),
        "phaseout_month": k_now, "counted_share": counted,
    })
    earnings = df["monthly_earnings"].to_numpy(dtype="float64", na_value=np.nan)
    if not np.isnan(earnings).all():
        table["counted_income"] = earnings * counted
        text = np.where(np.isnan(earnings), text, cat(text, "; ", money(earnings * counted), " of ", money(earnings),
                                                      " counted as household income"))
    table["rule_basis"] = pd.array(rule_basis.astype(str), dtype="string")
    table["explanation"] = pd.array(text.astype(str), dtype="string")
    return PolicyResult("dibao_disregard", p.date, table, p.used(*_DIBAO_PARAMS), key="person_id")

