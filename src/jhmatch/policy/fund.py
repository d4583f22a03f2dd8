"""Employment security fund (残疾人就业保障金) due per employer for a year.

Rule (CONFIRMED, ``domain.md`` §5; 财税〔2015〕72号, 财税〔2017〕18号, 财政部公告2019年第98号
and 2023年第8号): due = (staff × 1.5% − weighted disabled count) × the unit's average
annual wage, the wage capped at ``fund_wage_cap_multiple`` (2) × the local social
average wage. Enterprises with at most ``small_enterprise_max_staff`` (30) staff are
exempt. A unit whose ratio is at least ``fund_reduction_threshold`` (1%) but below the
quota pays ``fund_pay_share_mid`` (50%) of it; below 1% it pays
``fund_pay_share_low`` (90%).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jhmatch.errors import Problem, SchemaError
from jhmatch.policy.parameters import PolicyParameters
from jhmatch.policy.quota import _resolve, quota_arrays, quota_text
from jhmatch.policy.results import PolicyResult, cat, fmt, ge, money
from jhmatch.policy.tables import validate_policy_employers

__all__ = ["fund_due"]

_FUND_PARAMS = ("quota_ratio", "severe_max_grade", "severe_weight", "fund_wage_cap_multiple", "local_average_wage",
                "small_enterprise_max_staff", "fund_reduction_threshold", "fund_pay_share_mid", "fund_pay_share_low")


def fund_due(employers: pd.DataFrame, params: PolicyParameters | None = None, *, year: int | None = None) -> PolicyResult:
    """Employment security fund due per employer.

    Parameters
    ----------
    employers : DataFrame
        See :data:`~jhmatch.policy.tables.POLICY_EMPLOYERS`. ``average_wage`` (the unit's
        average annual wage) is needed for every employer that owes something.
    params : PolicyParameters, optional
        Parameters in force; default those of 31 December of ``year``.
    year : int, optional
        The year the fund is computed for.

    Returns
    -------
    PolicyResult
        ``table`` columns: employer_id, county, staff_counted, weighted_count, required,
        shortfall, ratio, exempt, wage_base, wage_capped, fund_full, pay_share, fund_due,
        explanation.

    Raises
    ------
    SchemaError
        For bad rows, and for a missing ``average_wage`` where the fund is due.

    Examples
    --------
    >>> emp = pd.DataFrame({"employer_id": ["e1", "e2", "e3"], "county": ["义乌"] * 3, "staff": [200, 200, 30],
    ...                     "disabled_staff": [0, 2, 0], "average_wage": [80000, 80000, 80000]})
    >>> fund_due(emp, year=2025).table["fund_due"].tolist()
    [216000.0, 40000.0, 0.0]
    """
    p = _resolve(params, year).require("fund", *_FUND_PARAMS)
    df = validate_policy_employers(employers)
    a = quota_arrays(df, p)
    enterprise = df["is_enterprise"].to_numpy(dtype=bool)
    exempt = enterprise & (a["staff"] <= p.small_enterprise_max_staff)
    owes = (a["shortfall"] > 0) & ~exempt
    wage = df["average_wage"].to_numpy(dtype="float64", na_value=np.nan)
    missing = owes & np.isnan(wage)
    if missing.any():
        ids = df["employer_id"].astype("object").to_numpy()
        raise SchemaError([Problem(int(i) + 1, "average_wage", "", "the unit's average annual wage (it owes the "
                                   f"employment security fund) [employer {ids[i]!r}]") for i in np.flatnonzero(missing)],
                          "employers (policy)")
    cap = p.fund_wage_cap_multiple * p.local_average_wage
    wage_base = np.minimum(np.nan_to_num(wage, nan=0.0), cap)
    capped = np.nan_to_num(wage, nan=0.0) > cap
    full = np.where(owes, a["shortfall"] * wage_base, 0.0)
    at_least_threshold = ge(a["weighted"], p.fund_reduction_threshold * a["staff"])
    share = np.where(a["meets"], 1.0, np.where(at_least_threshold, p.fund_pay_share_mid, p.fund_pay_share_low))
    due = full * share

    tier = np.where(
        at_least_threshold,
        f"ratio ≥ {p.fund_reduction_threshold * 100:g}% and < {p.quota_ratio * 100:g}% → pay {p.fund_pay_share_mid * 100:g}%",
        f"ratio < {p.fund_reduction_threshold * 100:g}% → pay {p.fund_pay_share_low * 100:g}%",
    )
    wage_txt = np.where(capped, cat(" × wage capped at ", f"{p.fund_wage_cap_multiple:g} × {p.local_average_wage:,.0f}"
                                    f" = {cap:,.2f} (unit average ", money(wage), ")"),
                        cat(" × average wage ", money(wage_base)))
    status = " [local_average_wage is PARAM]" if p.sources.get("local_average_wage") and \
        p.sources["local_average_wage"].status == "PARAM" else ""
    fund_txt = np.where(
        exempt,
        cat(f"fund: exempt (enterprise with ≤ {p.small_enterprise_max_staff} staff: ", fmt(a["staff"], "%d"), ")"),
        np.where(
            owes,
            cat("fund: ", fmt(a["shortfall"], "%.4g"), wage_txt, " = ", money(full), "; ", tier, " = ", money(due),
                np.where(capped, status, "")),
            "fund: nothing due (quota met)",
        ),
    )
    explanation = cat(quota_text(df, a, p), "; ", fund_txt)
    table = pd.DataFrame({
        "employer_id": df["employer_id"], "county": df["county"], "staff_counted": a["staff"],
        "weighted_count": a["weighted"], "required": a["required"], "shortfall": a["shortfall"], "ratio": a["ratio"],
        "exempt": exempt, "wage_base": np.where(owes, wage_base, np.nan), "wage_capped": capped & owes,
        "fund_full": full, "pay_share": np.where(owes, share, 0.0), "fund_due": due,
        "explanation": pd.array(explanation.astype(str), dtype="string"),
    })
    return PolicyResult("fund", p.date, table, p.used(*_FUND_PARAMS))
