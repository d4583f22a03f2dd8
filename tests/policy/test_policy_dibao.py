"""Dibao income disregard: the day the 3 years end, the phase-out shapes, months, bad dates."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jhmatch.errors import ParameterError, SchemaError
from jhmatch.policy import PolicyParameters, dibao_disregard


def one(start="2022-03-15", **extra):
    return pd.DataFrame({"person_id": ["a"], "employment_start": [start], **{k: [v] for k, v in extra.items()}})


def share(frame, **when):
    return float(dibao_disregard(frame, **when).table.loc[0, "counted_share"])


def phase(frame, **when):
    return dibao_disregard(frame, **when).table.loc[0, "phase"]


@pytest.mark.parametrize(
    ("day", "expected_phase", "expected_share"),
    [
        ("2022-03-14", "not_started", 0.0),
        ("2022-03-15", "disregarded", 0.0),
        ("2025-03-15", "disregarded", 0.0),  # the day the 3 years end (民法典 art. 203)
        ("2025-03-16", "phase_out", 1 / 13),  # first phase-out day: month 1 of 12 counts 1/13
        ("2025-04-15", "phase_out", 1 / 13),
        ("2025-04-16", "phase_out", 2 / 13),
        ("2026-03-15", "phase_out", 12 / 13),  # month 12 is still phase-out: not all earnings count
        ("2026-03-16", "counted", 1.0),
    ],
)
def test_daily_share_at_each_boundary(day, expected_phase, expected_share):
    assert phase(one(), on=day) == expected_phase
    assert share(one(), on=day) == pytest.approx(expected_share)


def test_month_containing_the_end_of_the_three_years_is_day_weighted():
    r = dibao_disregard(one(monthly_earnings=3100), month="2025-03")
    t = r.table
    # 15 days disregarded (1–15 March), 16 days in phase-out month 1 (1/13 counted)
    assert float(t.loc[0, "counted_share"]) == pytest.approx(16 / 31 / 13)
    assert float(t.loc[0, "counted_income"]) == pytest.approx(3100 * 16 / 31 / 13)
    text = t.loc[0, "explanation"]
    assert "disregarded 3 years until 2025-03-15" in text
    assert "15 days disregarded" in text and "16 days in phase-out month 1 of 12" in text


def test_month_of_job_start_counts_only_days_with_the_job():
    assert share(one("2025-01-20"), month="2025-01") == 0.0
    assert phase(one("2025-02-01"), month="2025-01") == "not_started"


def test_month_end_start_and_leap_day():
    # started 31 Jan 2022: the 3 years end 31 Jan 2025; phase-out month 1 ends 28 Feb 2025
    assert phase(one("2022-01-31"), on="2025-01-31") == "disregarded"
    assert share(one("2022-01-31"), on="2025-02-28") == pytest.approx(1 / 13)
    assert share(one("2022-01-31"), on="2025-03-01") == pytest.approx(2 / 13)
    # started 29 Feb 2024: no 29 Feb in 2027, so the period ends on 28 Feb 2027
    t = dibao_disregard(one("2024-02-29"), on="2027-03-01").table
    assert str(t.loc[0, "disregard_end"].date()) == "2027-02-28"


def test_phaseout_shapes_are_parameters():
    p = PolicyParameters.for_year(2025)
    assert share(one(), on="2025-08-01", params=p.replace(dibao_phaseout_shape="step")) == 0.5
    assert share(one(), on="2025-08-01", params=p.replace(dibao_phaseout_shape="none")) == 0.0
    assert share(one(), on="2026-03-16", params=p.replace(dibao_phaseout_shape="none")) == 1.0
    r = dibao_disregard(one(), on="2025-08-01", params=p.replace(dibao_disregard_years=2))
    assert r.table.loc[0, "phase"] == "counted"  # 2 years + 1 year ended 2025-03-15
    assert "dibao_phaseout_shape" in {pv.name for pv in r.parameters}


def test_non_dibao_members_count_fully():
    t = dibao_disregard(one(low_income="否", monthly_earnings=2000), month="2024-05").table
    assert t.loc[0, "phase"] == "not_dibao" and float(t.loc[0, "counted_income"]) == 2000.0


def test_bad_dates():
    with pytest.raises(SchemaError) as info:
        dibao_disregard(pd.DataFrame({"person_id": ["a", "b", "c"],
                                      "employment_start": ["1900-01-01", "someday", None]}), month="2025-01")
    text = str(info.value)
    assert "row 1, column 'employment_start': got '1900-01-01', expected a date between 1950-01-01" in text
    assert "person 'a'" in text
    assert "row 2, column 'employment_start': got 'someday'" in text and "person 'b'" in text
    assert "row 3, column 'employment_start'" in text
    with pytest.raises(ParameterError, match="2020-01-01"):
        dibao_disregard(one(), month="2020-01")
    with pytest.raises(TypeError):
        dibao_disregard(one())


@settings(max_examples=25, deadline=None)
@given(st.lists(st.dates(dt.date(2016, 1, 1), dt.date(2027, 12, 31)), min_size=1, max_size=30),
       st.dates(dt.date(2021, 8, 1), dt.date(2027, 12, 30)), st.integers(1, 400),
       st.sampled_from(["linear", "step", "none"]))
def test_counted_share_never_decreases_and_stays_in_unit_interval(starts, day, later, shape):
    frame = pd.DataFrame({"person_id": [f"p{i}" for i in range(len(starts))], "employment_start": starts})
    p = PolicyParameters.for_date(day).replace(dibao_phaseout_shape=shape)
    d2 = min(day + dt.timedelta(days=later), dt.date(2027, 12, 31))
    s1 = dibao_disregard(frame, on=day, params=p).table
    s2 = dibao_disregard(frame, on=d2, params=p).table
    started = (pd.to_datetime(s1["employment_start"]) <= pd.Timestamp(day)).to_numpy()
    a, b = s1["counted_share"].to_numpy(), s2["counted_share"].to_numpy()
    assert ((a >= 0) & (a <= 1) & (b >= 0) & (b <= 1)).all()
    assert (a[started] <= b[started] + 1e-12).all()


def test_the_phase_out_year_keeps_part_of_the_disregard_in_every_month():
    # PLAN §二(六): 3年后给予1年渐退期 — a one-year phase-out. Counting k/12 would count all earnings in
    # month 12, a phase-out of 11 months; equal steps k/13 keep 1/13 of the disregard in month 12.
    months = pd.date_range("2025-04-01", "2026-03-01", freq="MS")
    p = pd.DataFrame({"person_id": ["a"], "employment_start": ["2022-03-31"]})  # phase-out 2025-04-01 … 2026-03-31
    got = [float(dibao_disregard(p, month=m.strftime("%Y-%m")).table.loc[0, "counted_share"]) for m in months]
    assert got == pytest.approx([k / 13 for k in range(1, 13)])
    t = dibao_disregard(p, month="2026-03").table
    assert (t.loc[0, "phase"], int(t.loc[0, "phaseout_month"])) == ("phase_out", 12)
    assert "month k of 12 counts k/13" in t.loc[0, "explanation"]
    assert float(dibao_disregard(p, month="2026-04").table.loc[0, "counted_share"]) == 1.0


@pytest.mark.parametrize("start, basis", [("2022-12-27", "ASSUMPTION"), ("2022-12-28", "PLAN"),
                                          ("2025-12-31", "PLAN"), ("2026-01-01", "ASSUMPTION")])
def test_jobs_the_plan_covers(start, basis):
    # 金政办发〔2022〕50号 is dated 2022-12-28 and runs to 2025: earlier or later jobs are an assumption.
    t = dibao_disregard(one(start), month="2027-06").table
    assert t.loc[0, "rule_basis"] == basis
    assert ("ASSUMPTION" in t.loc[0, "explanation"]) is (basis == "ASSUMPTION")


def test_dibao_parameters_are_plan_only_from_the_plan_s_date():
    before, after = PolicyParameters.for_date("2022-12-27"), PolicyParameters.for_date("2022-12-28")
    assert before.sources["dibao_disregard_years"].status == "PARAM"
    assert after.sources["dibao_disregard_years"].status == "PLAN"
    assert after.sources["dibao_phaseout_years"].status == "PLAN"
    assert "3年后给予1年渐退期" in after.sources["dibao_phaseout_years"].source
