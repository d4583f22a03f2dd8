"""Bad input: every problem named with row, column, value and employer; nothing silently defaulted."""

from __future__ import annotations

import pandas as pd
import pytest

from jhmatch.errors import JhmatchError, ParameterError, SchemaError
from jhmatch.policy import (
    PolicyParameters,
    fund_due,
    merge_counts,
    over_quota_reward,
    qualify_employees,
    quota_employment,
    validate_policy_employers,
    vat_refund,
)

P = PolicyParameters.for_year(2025)


def problems(exc: SchemaError) -> list[str]:
    return [str(p) for p in exc.problems]


def test_negative_staff_and_more_disabled_than_staff_all_reported_at_once():
    emp = pd.DataFrame({"employer_id": ["e1", "e2", "e3", "e4"], "county": ["义乌", "东阳", "火星", "磐安"],
                        "staff": [-1, 10, 100, 50], "disabled_staff": [0, 11, 1, 2],
                        "severe_disabled_staff": [0, 0, 2, 0]})
    with pytest.raises(SchemaError) as info:
        quota_employment(emp, P)
    msgs = problems(info.value)
    assert len(msgs) == 4
    assert msgs[0] == ("<table>, row 1, column 'staff': got -1, expected a value between 0 and 10,000,000 "
                       "(in-service staff (年平均在职职工人数)) [employer 'e1']")
    assert msgs[1] == "<table>, row 2, column 'disabled_staff': got 11, expected at most staff (10) [employer 'e2']"
    assert msgs[2].startswith("<table>, row 3, column 'county': got '火星', expected one of Jinhua's 9")
    assert "[employer 'e3']" in msgs[2]
    assert msgs[3] == ("<table>, row 3, column 'severe_disabled_staff': got 2, expected at most disabled_staff (1) "
                       "[employer 'e3']")
    assert isinstance(info.value, JhmatchError) and isinstance(info.value, ValueError)


def test_missing_wage_names_employer_and_field():
    emp = pd.DataFrame({"employer_id": ["ok", "nowage"], "county": ["兰溪", "兰溪"], "staff": [100, 100],
                        "disabled_staff": [2, 0], "average_wage": [70000, None]})
    with pytest.raises(SchemaError) as info:
        fund_due(emp, P)
    (msg,) = problems(info.value)
    assert msg.startswith("<table>, row 2, column 'average_wage'")
    assert "[employer 'nowage']" in msg and "owes the employment security fund" in msg


def test_missing_required_columns_and_non_numbers():
    with pytest.raises(SchemaError) as info:
        quota_employment(pd.DataFrame({"employer_id": ["e1"], "county": ["义乌"]}), P)
    assert "column 'staff': got '(missing column)'" in str(info.value)
    with pytest.raises(SchemaError) as info:
        quota_employment(pd.DataFrame({"employer_id": ["e1"], "county": ["义乌"], "staff": ["many"]}), P)
    assert "row 1, column 'staff': got 'many', expected a whole number" in str(info.value)


def test_chinese_headers_are_accepted():
    emp = pd.DataFrame({"单位编号": ["e1"], "县市区": ["浦江"], "在职职工人数": [200], "残疾职工人数": [2],
                        "重度残疾职工人数": [1], "职工年平均工资": [60000]})
    t = fund_due(emp, P).table
    assert t.loc[0, "weighted_count"] == 3.0 and t.loc[0, "fund_due"] == 0.0


def test_dispatch_counts_cannot_exceed_what_they_come_from():
    emp = pd.DataFrame({"employer_id": ["e1", "e2"], "county": ["金东"] * 2, "staff": [100, 100],
                        "disabled_staff": [1, 2], "dispatched_out": [2, 0], "dispatched_in": [0, 1],
                        "dispatched_in_severe": [0, 2], "fulltime_disabled_staff": [0, 9]})
    with pytest.raises(SchemaError) as info:
        validate_policy_employers(emp)
    text = str(info.value)
    assert "row 1, column 'dispatched_out': got 2, expected at most disabled_staff (1) [employer 'e1']" in text
    assert "row 2, column 'dispatched_in_severe': got 2, expected at most dispatched_in (1) [employer 'e2']" in text
    assert "row 2, column 'fulltime_disabled_staff': got 9" in text


def test_employee_rows_need_grade_contract_and_wage():
    emp = pd.DataFrame({"person_id": ["p1", "p2", "p3"], "employer_id": ["e1", "e1", "e2"], "county": ["义乌"] * 3,
                        "grade": [None, 3, 3], "contract_months": [12, None, 12], "monthly_wage": [3000, 3000, None],
                        "social_insurance": [True, True, True], "counted_at": ["employer", "employer", "host"]})
    with pytest.raises(SchemaError) as info:
        qualify_employees(emp, P)
    text = str(info.value)
    assert "row 1, column 'grade': got '', expected a disability grade or a veteran_grade [employer 'e1']" in text
    assert "row 2, column 'contract_months'" in text and "permanent=yes" in text
    assert "row 3, column 'monthly_wage'" in text and "[employer 'e2']" in text
    assert "row 3, column 'dispatched_to'" in text
    ok = emp.assign(grade=3, contract_months=12, monthly_wage=3000, counted_at="employer")
    with pytest.raises(SchemaError, match="bank_paid"):
        qualify_employees(ok, P, rule="vat")


def test_counts_for_unknown_employer_are_refused():
    counts = pd.DataFrame({"employer_id": ["ghost"], "disabled_staff": [1]})
    with pytest.raises(SchemaError, match="ghost"):
        merge_counts(pd.DataFrame({"employer_id": ["e1"], "county": ["义乌"], "staff": [10]}), counts)


def test_vat_month_problems():
    m = pd.DataFrame({"employer_id": ["e1", "e1", "e2"], "month": ["2024-13", "2024-02", "2024-02"],
                      "county": ["义乌"] * 3, "staff": [10, 10, 10], "disabled_staff": [5, 12, 5],
                      "vat_paid": [1, -5, 1]})
    with pytest.raises(SchemaError) as info:
        vat_refund(m)
    text = str(info.value)
    assert "row 1, column 'month': got '2024-13', expected a month such as 2024-03" in text
    assert "row 2, column 'disabled_staff': got 12, expected at most staff (10) [employer 'e1']" in text
    assert "row 2, column 'vat_paid': got -5" in text
    dup = m.assign(month=["2024-01", "2024-01", "2024-01"], disabled_staff=5, vat_paid=1)
    with pytest.raises(SchemaError, match="one row per employer and month"):
        vat_refund(dup)


def test_dates_outside_parameter_periods_are_errors_not_defaults():
    emp = pd.DataFrame({"employer_id": ["e1"], "county": ["义乌"], "staff": [100], "average_wage": [1]})
    with pytest.raises(ParameterError, match="rule 'fund' has no parameters in force on 2020-12-31: local_average_wage"):
        fund_due(emp, year=2020)
    for call in (lambda: over_quota_reward(emp, year=2030), lambda: quota_employment(emp, P, year=2029)):
        with pytest.raises(ParameterError, match="no policy parameters in force"):
            call()
    with pytest.raises(ParameterError, match="give params"):
        quota_employment(emp)
