"""The vectorised rules over 100,000 employers equal a plain row-by-row reading of the rules.

The reference below is written from ``domain.md`` §5 directly, with exact integer
comparisons (1.5% = 3/200, 1% = 1/100, 25% = 1/4) and the 2025 figures typed in by
hand; it shares no code with ``jhmatch.policy``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jhmatch.policy import (
    PolicyParameters,
    concentrated_employment,
    fund_due,
    over_quota_reward,
    quota_employment,
    validate_policy_employers,
    vat_refund,
)

N = 100_000
COUNTIES = ["330702", "330703", "330723", "330726", "330727", "330781", "330782", "330783", "330784"]
MIN_WAGE_2025 = {"330723": 2010, "330726": 2010, "330727": 2010}  # tier 3; all others tier 2 = 2260
LOCAL_AVERAGE_WAGE = 100_000
REWARD = 3000


def make_employers(seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    kind = rng.integers(0, 4, N)
    staff = np.where(kind == 3, rng.choice([30, 31, 40, 100, 200, 201], N), rng.integers(0, 400, N))
    cap = np.where(kind == 2, staff // 3 + 1, np.maximum(staff // 20, 0) + 1)
    dis = np.minimum(rng.integers(0, 10_000, N) % (cap + 1), staff)
    sev = rng.integers(0, 10_000, N) % (dis + 1)
    out = np.where(rng.random(N) < 0.1, rng.integers(0, 10_000, N) % (dis + 1), 0)
    out_sev = np.minimum(rng.integers(0, 10_000, N) % (out + 1), sev)
    inn = np.where(rng.random(N) < 0.1, rng.integers(0, 4, N), 0)
    in_sev = rng.integers(0, 10_000, N) % (inn + 1)
    counted = dis - out + inn
    fulltime = np.where(rng.random(N) < 0.5, rng.integers(0, 10_000, N) % (counted + 1), -1)
    return pd.DataFrame({
        "employer_id": [f"E{i:06d}" for i in range(N)],
        "county": rng.choice(COUNTIES, N),
        "staff": staff, "disabled_staff": dis, "severe_disabled_staff": sev,
        "average_wage": np.round(rng.uniform(20_000, 400_000, N), 2),
        "is_enterprise": rng.random(N) < 0.85,
        "fulltime_disabled_staff": pd.array(np.where(fulltime < 0, None, fulltime), dtype="Int64"),
        "dispatched_in": inn, "dispatched_in_severe": in_sev, "dispatched_out": out, "dispatched_out_severe": out_sev,
    })


def reference(row) -> dict:
    """The rules of domain.md §5 for one employer, in plain Python."""
    staff = row.staff - row.dispatched_out + row.dispatched_in
    disabled = row.disabled_staff - row.dispatched_out + row.dispatched_in
    severe = row.severe_disabled_staff - row.dispatched_out_severe + row.dispatched_in_severe
    weighted = (disabled - severe) + 2 * severe  # grade 1-2 count twice
    # quota 1.5% = 3/200; shortfall fractional
    shortfall = max(0, 3 * staff - 200 * weighted) / 200
    meets = 200 * weighted >= 3 * staff
    # fund
    if row.is_enterprise and staff <= 30:
        fund = 0.0
    elif shortfall == 0:
        fund = 0.0
    else:
        wage = min(row.average_wage, 2 * LOCAL_AVERAGE_WAGE)
        share = 0.5 if 100 * weighted >= staff else 0.9  # ratio >= 1% pays half
        fund = shortfall * wage * share
    # concentrated employment and the reward
    fulltime = disabled if pd.isna(row.fulltime_disabled_staff) else int(row.fulltime_disabled_staff)
    concentrated = staff > 0 and 4 * fulltime >= staff
    if concentrated:
        eligible = 4 * fulltime > staff
        excess = (4 * fulltime - staff) / 4 if eligible else 0.0
    else:
        eligible = staff > 0 and 200 * weighted > 3 * staff
        excess = (200 * weighted - 3 * staff) / 200 if eligible else 0.0
    if not row.is_enterprise:  # the plan's reward is for enterprises (企业) only
        eligible, excess = False, 0.0
    return {"weighted": weighted, "shortfall": shortfall, "meets": meets, "fund": fund,
            "concentrated": concentrated, "eligible": eligible, "reward": excess * REWARD}


@pytest.mark.slow
def test_employer_rules_over_100k_match_row_by_row_reference():
    raw = make_employers()
    emp = validate_policy_employers(raw)
    p = PolicyParameters.for_year(2025)
    q = quota_employment(emp, p).table
    f = fund_due(emp, p).table
    c = concentrated_employment(emp, p).table
    r = over_quota_reward(emp, p).table
    ref = pd.DataFrame([reference(row) for row in raw.itertuples(index=False)])
    assert len(q) == len(f) == len(c) == len(r) == N
    assert np.array_equal(q["weighted_count"].to_numpy(), ref["weighted"].to_numpy(dtype=float))
    np.testing.assert_allclose(q["shortfall"].to_numpy(), ref["shortfall"].to_numpy(), rtol=1e-12, atol=1e-9)
    assert np.array_equal(q["meets_quota"].to_numpy(), ref["meets"].to_numpy())
    np.testing.assert_allclose(f["fund_due"].to_numpy(), ref["fund"].to_numpy(), rtol=1e-9, atol=1e-6)
    assert np.array_equal(c["concentrated"].to_numpy(), ref["concentrated"].to_numpy())
    assert np.array_equal(r["eligible"].to_numpy(), ref["eligible"].to_numpy())
    np.testing.assert_allclose(r["reward"].to_numpy(), ref["reward"].to_numpy(), rtol=1e-9, atol=1e-6)
    # the boundaries are really exercised
    exact = (200 * ref["weighted"] == 3 * q["staff_counted"]) & (q["staff_counted"] > 0)
    assert exact.sum() > 100 and ref["fund"].gt(0).sum() > 1000 and ref["concentrated"].sum() > 1000
    assert (f["explanation"].str.len() > 40).all()


@pytest.mark.slow
def test_vat_refund_over_100k_employer_months_matches_month_by_month_reference():
    rng = np.random.default_rng(11)
    n_emp = N // 12 + 1
    emp = np.repeat(np.arange(n_emp), 12)
    month = np.tile(np.arange(1, 13), n_emp)
    county = np.repeat(rng.choice(COUNTIES, n_emp), 12)
    blind = np.repeat(rng.random(n_emp) < 0.2, 12)
    staff = rng.integers(1, 80, emp.size)
    disabled = np.minimum(rng.integers(0, 30, emp.size), staff)
    vat = np.round(rng.uniform(0, 150_000, emp.size) * (rng.random(emp.size) < 0.8), 2)
    order = rng.permutation(emp.size)  # input order must not matter
    frame = pd.DataFrame({"employer_id": [f"T{i:05d}" for i in emp[order]],
                          "month": [f"2025-{m:02d}" for m in month[order]], "county": county[order],
                          "staff": staff[order], "disabled_staff": disabled[order], "vat_paid": vat[order],
                          "blind_massage": blind[order]})
    result = vat_refund(frame)

    # reference: walk each employer's months in order, carrying unused limit and unrefunded VAT
    expected_refund = np.zeros(emp.size)
    for e in range(n_emp):
        carry_limit = carry_vat = 0.0
        for i in range(e * 12, e * 12 + 12):
            need = 5 if blind[i] else 10
            ok = 4 * disabled[i] >= staff[i] and disabled[i] >= need
            limit = disabled[i] * 4 * MIN_WAGE_2025.get(county[i], 2260) if ok else 0.0
            carry_limit += limit
            carry_vat += vat[i]
            refund = min(carry_limit, carry_vat)
            carry_limit -= refund
            carry_vat -= refund
            expected_refund[i] = refund
    got = result.detail["refund"].to_numpy()
    np.testing.assert_allclose(got, expected_refund[order], rtol=1e-9, atol=1e-6)
    annual = result.table.set_index("employer_id")["refund"]
    exp_annual = pd.Series(expected_refund, index=[f"T{i:05d}" for i in emp]).groupby(level=0).sum()
    np.testing.assert_allclose(annual.loc[exp_annual.index].to_numpy(), exp_annual.to_numpy(), rtol=1e-9, atol=1e-6)
