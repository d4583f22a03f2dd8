"""Concentrated employment, over-quota reward and the VAT refund: hand-computed examples."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jhmatch.errors import ParameterError
from jhmatch.policy import PolicyParameters, concentrated_employment, over_quota_reward, vat_refund

P2025 = PolicyParameters.for_year(2025)


def employers(**cols):
    n = len(next(iter(cols.values())))
    base = {"employer_id": [f"e{i + 1}" for i in range(n)], "county": ["兰溪"] * n}
    base.update(cols)
    return pd.DataFrame(base)


def test_concentrated_at_exactly_25_percent():
    t = concentrated_employment(employers(staff=[40, 40, 0], disabled_staff=[10, 12, 0],
                                          fulltime_disabled_staff=[10, 9, 0]), P2025).table
    assert t["concentrated"].tolist() == [True, False, False]
    assert t["share"].tolist()[:2] == [0.25, 0.225]
    assert "≥ 25% → concentrated-employment unit" in t["explanation"][0]


def test_concentrated_without_fulltime_column_says_what_it_assumed():
    t = concentrated_employment(employers(staff=[40], disabled_staff=[10]), P2025).table
    assert t["concentrated"].tolist() == [True]
    assert "full-time count not given" in t["explanation"][0]


def test_reward_concentrated_exactly_25_percent_gets_nothing_above_gets_excess():
    t = over_quota_reward(employers(staff=[40, 40], disabled_staff=[10, 11]), P2025).table
    assert t["basis"].tolist() == ["concentrated", "concentrated"]
    assert t["eligible"].tolist() == [False, True]
    assert t["excess"].tolist() == [0.0, 1.0]  # 11 − 25% × 40
    assert t["reward"].tolist() == [0.0, 3000.0]
    assert "not above 25%" in t["explanation"][0]


def test_reward_quota_exactly_one_and_a_half_percent_gets_nothing():
    t = over_quota_reward(employers(staff=[200, 200, 200], disabled_staff=[3, 4, 3],
                                    severe_disabled_staff=[0, 0, 1]), P2025).table
    assert t["basis"].tolist() == ["quota"] * 3
    assert t["eligible"].tolist() == [False, True, True]
    assert t["excess"].tolist() == pytest.approx([0.0, 1.0, 1.0])  # severe employee counts twice
    assert t["reward"].tolist() == pytest.approx([0.0, 3000.0, 3000.0])
    assert "[PARAM]" in t["explanation"][1]


def test_reward_only_for_enterprises():
    # Plan §二(三): "对按比例就业超过 1.5%、集中就业超过 25%的企业 … 给予超比例安置奖励" — for 企业 only.
    # Both units: 200 staff, 4 disabled → 2 % > 1.5 %, excess 4 − 3 = 1 × 3,000 (PARAM) = 3,000 for the enterprise.
    t = over_quota_reward(employers(staff=[200, 200], disabled_staff=[4, 4], is_enterprise=[True, False]),
                          P2025).table
    assert t["eligible"].tolist() == [True, False]
    assert t["reward"].tolist() == [3000.0, 0.0] and t["excess"].tolist() == [1.0, 0.0]
    assert "for enterprises (企业)" in t["explanation"][1]


def test_reward_amount_override_shows_as_override():
    p = P2025.replace(reward_per_excess_person=5000, reward_per_excess_person_concentrated=1000)
    t = over_quota_reward(employers(staff=[200, 40], disabled_staff=[4, 12]), p).table
    assert t["reward"].tolist() == pytest.approx([5000.0, 2000.0])
    assert "[OVERRIDE]" in t["explanation"][0]


# ----------------------------------------------------------------------------- VAT

def months(**cols):
    n = len(next(iter(cols.values())))
    base = {"employer_id": ["e1"] * n, "county": ["义乌"] * n, "staff": [40] * n, "disabled_staff": [10] * n,
            "vat_paid": [0.0] * n}
    base.update(cols)
    return pd.DataFrame(base)


def test_vat_month_eligibility_boundaries():
    m = months(month=["2024-01"] * 6, employer_id=list("abcdef"), staff=[40, 36, 41, 20, 21, 20],
               disabled_staff=[10, 9, 10, 5, 5, 5], blind_massage=[False, False, False, True, True, False])
    d = vat_refund(m).detail
    # 10/40 = 25% and 10: yes; 9/36 = 25% but 9 < 10: no; 10/41 < 25%: no;
    # blind massage 5/20: yes; 5/21 < 25%: no; not blind massage 5/20: fewer than 10
    assert d["eligible"].tolist() == [True, False, False, True, False, False]
    assert d["limit"].tolist() == [10 * 4 * 2260.0, 0, 0, 5 * 4 * 2260.0, 0, 0]
    assert "fewer than 10 disabled" in d["explanation"][1]
    assert "share below 25%" in d["explanation"][2]


def test_vat_limit_uses_county_and_month_minimum_wage():
    m = months(month=["2023-12", "2024-01", "2024-01"], employer_id=["a", "a", "b"], county=["义乌", "义乌", "磐安"])
    d = vat_refund(m).detail
    assert d["minimum_wage"].tolist() == [2070.0, 2260.0, 2010.0]
    assert d["limit"].tolist() == [82800.0, 90400.0, 80400.0]


def test_vat_carry_over_inside_the_year_only():
    m = months(month=["2024-11", "2024-12", "2025-01", "2025-02"], disabled_staff=[10, 10, 9, 10],
               vat_paid=[10000, 20000, 500000, 0])
    r = vat_refund(m)
    # 2024: limits 90,400 × 2, paid 30,000 → refund 30,000, unused 150,800 lapses
    # 2025-01 not eligible: refund 0; 2025-02 limit 90,400 refunds January's VAT (carried inside 2025)
    assert r.detail["refund"].tolist() == [10000.0, 20000.0, 0.0, 90400.0]
    a = r.table.set_index("year")
    assert a.loc[2024, ["vat_paid", "entitlement", "refund", "unused_limit"]].tolist() == [30000.0, 180800.0, 30000.0, 150800.0]
    assert a.loc[2025, ["vat_paid", "entitlement", "refund"]].tolist() == [500000.0, 90400.0, 90400.0]
    assert "lapses at year end" in a.loc[2024, "explanation"]


def test_vat_month_outside_parameters_is_refused():
    with pytest.raises(ParameterError, match="2021-07-01"):
        vat_refund(months(month=["2021-07"]))
    with pytest.raises(ParameterError, match="2028-01-01"):
        vat_refund(months(month=["2028-01"]))


def test_vat_keeps_overrides_for_every_month():
    p = P2025.replace(vat_min_wage_multiple=3)
    d = vat_refund(months(month=["2023-06", "2024-06"]), p).detail
    assert d["limit"].tolist() == [10 * 3 * 2070.0, 10 * 3 * 2260.0]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 60), st.floats(0, 3e5), st.booleans()),
                min_size=1, max_size=24))
def test_refund_never_exceeds_vat_paid(rows):
    n = len(rows)
    m = pd.DataFrame({
        "employer_id": ["e1"] * n,
        "month": [f"{2024 + i // 12}-{i % 12 + 1:02d}" for i in range(n)],
        "county": ["武义"] * n,
        "staff": [max(r[0], r[1]) for r in rows], "disabled_staff": [r[0] for r in rows],
        "vat_paid": [r[2] for r in rows], "blind_massage": [r[3] for r in rows],
    })
    r = vat_refund(m)
    d = r.detail
    assert (d["refund"] >= -1e-9).all()
    assert (d["refund"].cumsum() <= d["vat_paid"].cumsum() + 1e-6).all()
    a = r.table
    assert (a["refund"] <= a["vat_paid"] + 1e-6).all()
    assert (a["refund"] <= a["entitlement"] + 1e-6).all()
    assert a["refund"].to_numpy() == pytest.approx((a[["vat_paid", "entitlement"]].min(axis=1)).to_numpy())
