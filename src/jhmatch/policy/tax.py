"""VAT refund for units employing disabled persons (财税〔2016〕52号, CONFIRMED).

A month qualifies when the unit's disabled staff (each with a contract of at least a
year, full social insurance and a bank-paid wage at least the minimum — see
:func:`~jhmatch.policy.quota.qualify_employees` with ``rule="vat"``) are at least
``vat_min_share`` (25%) of staff and at least ``vat_min_disabled`` (10) persons
(``vat_min_disabled_blind_massage`` (5) for blind-massage institutions). Its refund
limit is disabled headcount × ``vat_min_wage_multiple`` (4) × the county's monthly
minimum wage of that month (no ×2 weighting). Within a calendar year the refund up to
each month is ``min(VAT paid so far, limit so far)``, so unused limit and unrefunded
VAT carry forward and back inside the year, never into another year; the annual
refund is ``min(VAT paid, entitlement)``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jhmatch.policy.parameters import PolicyParameters, as_date
from jhmatch.policy.results import PolicyResult, cat, fmt, ge, money, pct
from jhmatch.policy.tables import validate_vat_months

__all__ = ["vat_refund"]

_VAT_PARAMS = ("vat_min_share", "vat_min_disabled", "vat_min_disabled_blind_massage", "vat_min_wage_multiple",
               "minimum_wage_tiers", "county_wage_tier")


def vat_refund(months: pd.DataFrame, params: PolicyParameters | None = None) -> PolicyResult:
    """Monthly eligibility and limit, and the annual VAT refund per employer.

    Parameters
    ----------
    months : DataFrame
        One row per employer and month (see :data:`~jhmatch.policy.tables.VAT_MONTHS`).
    params : PolicyParameters, optional
        Overrides to keep; each month uses the values in force on its first day
        (``params.at(month)``), so a minimum-wage change inside a year is honoured.

    Returns
    -------
    PolicyResult
        ``table`` (one row per employer and year): employer_id, year, months,
        eligible_months, vat_paid, entitlement, refund, unused_limit, explanation.
        ``detail`` (one row per input month, input order): employer_id, month, county,
        staff, disabled_staff, share, eligible, minimum_wage, limit, vat_paid,
        cumulative_paid, cumulative_limit, refund, explanation.

    Raises
    ------
    ParameterError
        If a month is outside every parameter period.

    Examples
    --------
    >>> m = pd.DataFrame({"employer_id": ["e1"] * 3, "month": ["2024-01", "2024-02", "2024-03"],
    ...     "county": ["磐安"] * 3, "staff": [40] * 3, "disabled_staff": [10, 9, 10],
    ...     "vat_paid": [100000, 50000, 0]})
    >>> r = vat_refund(m)
    >>> r.detail["refund"].tolist()
    [80400.0, 0.0, 69600.0]
    >>> r.table[["vat_paid", "entitlement", "refund"]].values.tolist()
    [[150000.0, 160800.0, 150000.0]]
    """
    df = validate_vat_months(months)
    n = len(df)
    month = df["month"].astype("object").to_numpy()
    county = df["county"].astype("object").to_numpy()
    minwage = np.zeros(n)
    min_share = np.zeros(n)
    min_count = np.zeros(n)
    min_bm = np.zeros(n)
    multiple = np.zeros(n)
    used: dict[str, object] = {}
    first: PolicyParameters | None = None
    for m in sorted(set(month.tolist())):
        day = as_date(m + "-01")
        pm = (params.at(day) if params is not None else PolicyParameters.for_date(day)).require("vat_refund", *_VAT_PARAMS)
        first = first or pm
        rows = month == m
        minwage[rows] = pm.minimum_wage(county[rows])
        min_share[rows], min_count[rows] = pm.vat_min_share, pm.vat_min_disabled
        min_bm[rows], multiple[rows] = pm.vat_min_disabled_blind_massage, pm.vat_min_wage_multiple
        for pv in pm.used(*_VAT_PARAMS):
            used.setdefault(f"{pv.name}@{pv.valid_from}", pv)
    staff = df["staff"].to_numpy(dtype="float64")
    disabled = df["disabled_staff"].to_numpy(dtype="float64")
    blind = df["blind_massage"].to_numpy(dtype=bool)
    vat = df["vat_paid"].to_numpy(dtype="float64")
    needed = np.where(blind, min_bm, min_count)
    share_ok = (staff > 0) & ge(disabled, min_share * staff)
    count_ok = disabled >= needed
    eligible = share_ok & count_ok
    limit = np.where(eligible, disabled * multiple * minwage, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(staff > 0, disabled / np.where(staff > 0, staff, 1.0), np.nan)

    year = np.array([m[:4] for m in month.tolist()], dtype=object) if n else np.array([], dtype=object)
    work = pd.DataFrame({"employer_id": df["employer_id"].astype("object").to_numpy(), "year": year, "month": month,
                         "vat": vat, "limit": limit, "pos": np.arange(n)})
    work = work.sort_values(["employer_id", "month"], kind="stable")
    groups = work.groupby(["employer_id", "year"], sort=False)
    cum_paid = groups["vat"].cumsum().to_numpy()
    cum_limit = groups["limit"].cumsum().to_numpy()
    cum_refund = np.minimum(cum_paid, cum_limit)
    prev = pd.Series(cum_refund, index=work.index).groupby([work["employer_id"], work["year"]], sort=False).shift(1)
    refund_sorted = cum_refund - prev.fillna(0.0).to_numpy()
    order = work["pos"].to_numpy()
    refund = np.empty(n)
    refund[order] = refund_sorted
    cpaid = np.empty(n)
    cpaid[order] = cum_paid
    climit = np.empty(n)
    climit[order] = cum_limit

    why_not = cat(np.where(share_ok, "", cat(" share below ", fmt(min_share * 100, "%g"), "%")),
                  np.where(count_ok, "", cat(" fewer than ", fmt(needed, "%d"), " disabled",
                                             np.where(blind, " (blind massage)", ""))))
    head = cat(month.astype(str), ": ", fmt(disabled, "%d"), " disabled / ", fmt(staff, "%d"), " staff = ",
               pct(share))
    detail_text = cat(
        head,
        np.where(eligible,
                 cat(" → eligible; limit ", fmt(disabled, "%d"), " × ", fmt(multiple, "%g"), " × minimum wage ",
                     money(minwage), " = ", money(limit)),
                 cat(" → not eligible (", why_not, "); limit 0")),
        "; VAT paid ", money(vat), "; refund ", money(refund), " (year to date: paid ", money(cpaid), ", limit ",
        money(climit), ")",
    )
    detail = pd.DataFrame({
        "employer_id": df["employer_id"], "month": df["month"], "county": df["county"], "staff": df["staff"],
        "disabled_staff": df["disabled_staff"], "share": share, "eligible": eligible, "minimum_wage": minwage,
        "limit": limit, "vat_paid": vat, "cumulative_paid": cpaid, "cumulative_limit": climit, "refund": refund,
        "explanation": pd.array(detail_text.astype(str), dtype="string"),
    })
    annual = (
        pd.DataFrame({"employer_id": df["employer_id"].astype("object").to_numpy(), "year": year.astype(str),
                      "months": 1, "eligible_months": eligible.astype(np.int64), "vat_paid": vat,
                      "entitlement": limit, "refund": refund})
        .groupby(["employer_id", "year"], sort=True).sum().reset_index()
    )
    annual["unused_limit"] = annual["entitlement"] - annual["refund"]
    annual["year"] = annual["year"].astype("int64")
    text = cat("VAT refund ", annual["year"].astype(str).to_numpy(dtype=object), ": min(VAT paid ",
               money(annual["vat_paid"]), ", entitlement ", money(annual["entitlement"]), " from ",
               annual["eligible_months"].astype(str).to_numpy(dtype=object), " of ",
               annual["months"].astype(str).to_numpy(dtype=object), " months eligible) = ", money(annual["refund"]),
               "; unused limit ", money(annual["unused_limit"]), " lapses at year end")
    annual["explanation"] = pd.array(text.astype(str), dtype="string")
    annual["employer_id"] = annual["employer_id"].astype("string")
    date = first.date if first is not None else (params.date if params is not None else as_date("2025-12-31"))
    return PolicyResult("vat_refund", date, annual, tuple(used.values()), detail=detail)  # type: ignore[arg-type]
