"""Quota employment and the employment security fund: hand-computed examples at every boundary."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jhmatch.policy import (
    PolicyParameters,
    employer_counts,
    fund_due,
    merge_counts,
    qualify_employees,
    quota_employment,
)

P2025 = PolicyParameters.for_year(2025)  # minimum wage tier 2 = 2260, tier 3 = 2010


def employers(**cols):
    n = len(next(iter(cols.values())))
    base = {"employer_id": [f"e{i + 1}" for i in range(n)], "county": ["义乌"] * n}
    base.update(cols)
    return pd.DataFrame(base)


# ----------------------------------------------------------------------------- employee qualification

def employees(**cols):
    n = len(next(iter(cols.values())))
    base = {"person_id": [f"p{i + 1}" for i in range(n)], "employer_id": ["e1"] * n, "county": ["义乌"] * n,
            "grade": [3] * n, "contract_months": [12] * n, "monthly_wage": [3000.0] * n, "social_insurance": [True] * n}
    base.update(cols)
    return pd.DataFrame(base)


def test_only_working_age_employees_count_for_quota_and_vat():
    # 财税〔2015〕72号 (quota) and 财税〔2016〕52号 (VAT) count disabled persons of statutory working age.
    # Assessed 2025-12-31: p1 (M, 66) no; p2 (M, born 1965-10-15: 60 y 2 m, retires at 60 y 3 m under the
    # 2025 reform, 全国人大常委会 2024 决定 table 1) yes; p3 (F, born 1969-06-30: base 55, not delayed, 56) no;
    # p4 (age 15) no; p5 (no birth date, no age) counts, with a note that age was not checked.
    emp = employees(sex=["M", "M", "F", "M", None], age=[66, None, None, 15, None],
                    birth_date=[None, "1965-10-15", "1969-06-30", None, None], bank_paid=[True] * 5)
    for rule in ("quota", "vat"):
        t = qualify_employees(emp, P2025, rule=rule).table
        assert t["working_age_ok"].tolist() == [False, True, False, False, True]
        assert t["qualifies"].tolist() == [False, True, False, False, True]
        assert "not of working age on 2025-12-31 (age 66)" in t["explanation"][0]
        assert "working age not checked" in t["explanation"][4]
    counts = employer_counts(emp, P2025)
    assert counts["disabled_staff"].tolist() == [2]


def test_grade_2_counts_twice_grade_3_once():
    t = qualify_employees(employees(grade=[1, 2, 3, 4]), P2025).table
    assert t["weight"].tolist() == [2.0, 2.0, 1.0, 1.0]
    assert "severe (counts ×2)" in t["explanation"][1]
    assert "severe" not in t["explanation"][2]


def test_contract_11_months_does_not_count_12_does():
    t = qualify_employees(employees(contract_months=[11, 12, 11.9, None], permanent=[False, False, False, True]), P2025).table
    assert t["qualifies"].tolist() == [False, True, False, True]
    assert "contract 11 months < 12" in t["explanation"][0]


def test_wage_exactly_minimum_counts_one_fen_below_does_not():
    # Yiwu is tier 2: 2260 from 2024-01-01; Pan'an is tier 3: 2010
    t = qualify_employees(employees(monthly_wage=[2260, 2259.99, 2010], county=["义乌", "义乌", "磐安"]), P2025).table
    assert t["wage_ok"].tolist() == [True, False, True]
    assert "wage 2259.99 < minimum 2260.00" in t["explanation"][1]
    # in 2023 the tier-2 minimum was 2070
    t23 = qualify_employees(employees(monthly_wage=[2070]), PolicyParameters.for_year(2023)).table
    assert t23["qualifies"].tolist() == [True]


def test_social_insurance_and_veterans():
    t = qualify_employees(employees(social_insurance=[False, True, True], grade=[3, None, None],
                                    veteran_grade=[None, 3, 4]), P2025).table
    assert t["qualifies"].tolist() == [False, True, True]
    assert t["weight"].tolist() == [0.0, 2.0, 1.0]
    assert "social insurance not paid in full" in t["explanation"][0]


def test_vat_rule_needs_bank_paid_wage_and_never_weights():
    t = qualify_employees(employees(grade=[1, 1], bank_paid=[True, False]), P2025, rule="vat").table
    assert t["weight"].tolist() == [1.0, 0.0]


def test_dispatch_attribution_moves_worker_and_staff_to_one_unit():
    emp = employees(person_id=["a", "b", "c"], employer_id=["agency"] * 3, grade=[2, 3, 3],
                    dispatched_to=["factory", "factory", None], counted_at=["用工单位", "派遣单位", "employer"])
    counts = employer_counts(emp, P2025).set_index("employer_id")
    assert counts.loc["agency", ["disabled_staff", "severe_disabled_staff", "dispatched_out",
                                 "dispatched_out_severe"]].tolist() == [3, 1, 1, 1]
    assert counts.loc["factory", ["disabled_staff", "dispatched_in", "dispatched_in_severe"]].tolist() == [0, 1, 1]
    table = merge_counts(employers(employer_id=["agency", "factory"], staff=[50, 100]), counts.reset_index())
    q = quota_employment(table, P2025).table.set_index("employer_id")
    # agency: staff 50 - 1 = 49, disabled 2 (grade 3 ×1 each) ; factory: staff 101, 1 severe = 2
    assert q.loc["agency", ["staff_counted", "weighted_count"]].tolist() == [49.0, 2.0]
    assert q.loc["factory", ["staff_counted", "weighted_count"]].tolist() == [101.0, 2.0]
    assert "dispatched in" in q.loc["factory", "explanation"]


# ----------------------------------------------------------------------------- quota

def test_exactly_one_and_a_half_percent_meets_quota():
    q = quota_employment(employers(staff=[200, 200], disabled_staff=[3, 2]), P2025).table
    assert q["required"].tolist() == [3.0, 3.0]
    assert q["shortfall"].tolist() == [0.0, 1.0]
    assert q["meets_quota"].tolist() == [True, False]
    assert q["ratio"].tolist() == [0.015, 0.01]


def test_shortfall_is_fractional_not_rounded():
    q = quota_employment(employers(staff=[150, 1000], disabled_staff=[1, 14]), P2025).table
    assert q["required"].tolist() == pytest.approx([2.25, 15.0])
    assert q["shortfall"].tolist() == pytest.approx([1.25, 1.0])


def test_severe_employee_counts_twice_in_quota():
    q = quota_employment(employers(staff=[200, 200], disabled_staff=[2, 2], severe_disabled_staff=[1, 0]), P2025).table
    assert q["weighted_count"].tolist() == [3.0, 2.0]
    assert q["meets_quota"].tolist() == [True, False]


# ----------------------------------------------------------------------------- fund

def test_fund_at_exactly_quota_one_percent_and_just_below():
    t = fund_due(employers(staff=[200, 200, 201], disabled_staff=[3, 2, 2], average_wage=[80000] * 3), P2025).table
    # 3/200 = 1.5%: nothing; 2/200 = 1%: 1 × 80,000 × 50%; 2/201 < 1%: 1.015 × 80,000 × 90%
    assert t["fund_due"].tolist() == pytest.approx([0.0, 40000.0, 73080.0])
    assert t["pay_share"].tolist() == [0.0, 0.5, 0.9]


def test_fund_30_staff_exempt_31_not():
    t = fund_due(employers(staff=[30, 31, 30], is_enterprise=[True, True, False], average_wage=[60000] * 3), P2025).table
    assert t["exempt"].tolist() == [True, False, False]
    # 31 × 1.5% = 0.465 × 60,000 × 90% = 25,110 ; a non-enterprise of 30: 0.45 × 60,000 × 90% = 24,300
    assert t["fund_due"].tolist() == pytest.approx([0.0, 25110.0, 24300.0])
    assert "exempt (enterprise with ≤ 30 staff: 30)" in t["explanation"][0]


def test_fund_grade_2_vs_grade_3_changes_tier():
    t = fund_due(employers(staff=[200, 200], disabled_staff=[1, 1], severe_disabled_staff=[1, 0],
                           average_wage=[80000, 80000]), P2025).table
    assert t["fund_due"].tolist() == pytest.approx([40000.0, 144000.0])


def test_fund_wage_cap_two_times_local_average():
    t = fund_due(employers(staff=[100, 100], average_wage=[250000, 150000]), P2025).table
    assert t["wage_base"].tolist() == [200000.0, 150000.0]
    assert t["wage_capped"].tolist() == [True, False]
    assert t["fund_due"].tolist() == pytest.approx([1.5 * 200000 * 0.9, 1.5 * 150000 * 0.9])
    assert "wage capped at 2 × 100,000" in t["explanation"][0]
    more = fund_due(employers(staff=[100], average_wage=[250000]), P2025.replace(local_average_wage=110000)).table
    assert more["fund_due"].tolist() == pytest.approx([1.5 * 220000 * 0.9])


def test_missing_wage_only_needed_where_fund_is_due():
    t = fund_due(employers(staff=[200, 20], disabled_staff=[3, 0], average_wage=[None, None]), P2025).table
    assert t["fund_due"].tolist() == [0.0, 0.0]


def test_fund_result_names_rule_and_parameters():
    r = fund_due(employers(staff=[100], average_wage=[90000]), year=2025)
    names = {p.name for p in r.parameters}
    assert {"quota_ratio", "fund_wage_cap_multiple", "small_enterprise_max_staff", "fund_pay_share_low"} <= names
    assert r.rule == "fund"
    assert r.sources().set_index("name").loc["fund_pay_share_low", "status"] == "CONFIRMED"
    assert "pay 90% = 121,500.00" in r.explain("e1")


def test_year_outside_parameter_periods_is_refused():
    from jhmatch.errors import ParameterError

    with pytest.raises(ParameterError, match="2028-12-31"):
        fund_due(employers(staff=[100], average_wage=[90000]), year=2028)


# ----------------------------------------------------------------------------- properties

employer_rows = st.lists(
    st.tuples(st.integers(0, 3000), st.floats(0, 1), st.floats(0, 1), st.floats(1000, 400000), st.booleans()),
    min_size=1, max_size=40,
)


def _frame(rows, extra_staff=0, extra_disabled=0, extra_severe=0):
    staff = [r[0] + extra_staff for r in rows]
    dis = [int(r[1] * r[0]) + extra_disabled for r in rows]
    sev = [int(r[2] * int(r[1] * r[0])) + extra_severe for r in rows]
    return employers(staff=staff, disabled_staff=dis, severe_disabled_staff=sev,
                     average_wage=[r[3] for r in rows], is_enterprise=[r[4] for r in rows])


@settings(max_examples=30, deadline=None)
@given(employer_rows, st.booleans())
def test_fund_never_increases_when_a_disabled_employee_is_hired(rows, severe):
    before = fund_due(_frame(rows), P2025).table["fund_due"].to_numpy()
    after = fund_due(_frame(rows, 1, 1, int(severe)), P2025).table["fund_due"].to_numpy()
    assert (after <= before + 1e-6).all()


@settings(max_examples=30, deadline=None)
@given(employer_rows)
def test_fund_never_increases_when_an_employee_is_recognised_as_disabled(rows):
    rows = [r for r in rows if int(r[1] * r[0]) < r[0]]
    if not rows:
        return
    before = fund_due(_frame(rows), P2025).table["fund_due"].to_numpy()
    after = fund_due(_frame(rows, 0, 1, 0), P2025).table["fund_due"].to_numpy()
    assert (after <= before + 1e-6).all()


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 4), st.integers(0, 24), st.sampled_from([1900, 2260, 3000]), st.booleans(),
                          st.sampled_from([None, "u1", "u2"]), st.booleans()), min_size=1, max_size=30))
def test_dispatch_attribution_conserves_weighted_count_and_staff(rows):
    emp = employees(
        person_id=[f"p{i}" for i in range(len(rows))], employer_id=["u0"] * len(rows),
        grade=[r[0] for r in rows], contract_months=[r[1] for r in rows], monthly_wage=[r[2] for r in rows],
        social_insurance=[r[3] for r in rows], dispatched_to=[r[4] for r in rows],
        counted_at=["host" if r[4] and r[5] else "employer" for r in rows],
    )
    weights = qualify_employees(emp, P2025).table["weight"].sum()
    base = employers(employer_id=["u0", "u1", "u2"], staff=[len(rows) + 5, 10, 10])
    q = quota_employment(merge_counts(base, employer_counts(emp, P2025)), P2025).table
    assert q["weighted_count"].sum() == weights
    assert q["staff_counted"].sum() == len(rows) + 25
