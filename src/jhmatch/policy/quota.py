"""Quota employment (按比例安排残疾人就业): who counts, weighted counts, required count, shortfall.

Rules (CONFIRMED, ``domain.md`` §5; 残疾人就业条例, 财税〔2015〕72号): an employer must
employ disabled staff of at least ``quota_ratio`` (1.5%) of its in-service staff. A
disabled employee counts only with a contract of at least ``min_contract_months``
(12) or an established/open-ended post, a wage at least the local monthly minimum,
and social insurance paid. Grade 1–2 certificate holders (and disabled veterans of
grades 1–3) count ``severe_weight`` (2) times. Only persons of working age count
(财税〔2015〕72号 and 财税〔2016〕52号 count disabled persons 在法定劳动年龄内): 16 to the statutory
retirement age of their sex and birth cohort (:mod:`jhmatch.policy.retirement`), on the
date of the parameters; an employee without birth date or age is counted, with a note. The shortfall is fractional (not
rounded). A dispatched disabled worker is counted — in both the disabled count and
the staff count — by exactly one unit, the dispatcher or the host, as they agree.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from jhmatch.errors import ParameterError
from jhmatch.policy.parameters import PolicyParameters
from jhmatch.policy.results import PolicyResult, cat, clip_zero, fmt, ge, pct
from jhmatch.policy.retirement import working_age_arrays
from jhmatch.policy.tables import validate_policy_employees, validate_policy_employers

__all__ = ["employer_counts", "merge_counts", "qualify_employees", "quota_employment"]

_QUOTA_PARAMS = ("quota_ratio", "severe_max_grade", "severe_weight")
_QUALIFY_PARAMS = ("min_contract_months", "severe_max_grade", "veteran_severe_max_grade", "severe_weight",
                   "minimum_wage_tiers", "county_wage_tier", "working_age_min", "retirement_age_male",
                   "retirement_age_female")


def _arr(df: pd.DataFrame, col: str) -> np.ndarray:
    return df[col].to_numpy(dtype="float64", na_value=np.nan)


def qualify_employees(employees: pd.DataFrame, params: PolicyParameters, *, rule: str = "quota") -> PolicyResult:
    """Which disabled employees count, with what weight, at which unit.

    Parameters
    ----------
    employees : DataFrame
        One row per disabled employee (see :data:`~jhmatch.policy.tables.POLICY_EMPLOYEES`).
    params : PolicyParameters
        Parameters in force (minimum wage of the month or year assessed).
    rule : {"quota", "vat"}
        ``"vat"`` also requires the wage to be paid through a bank and never weights.

    Returns
    -------
    PolicyResult
        ``table`` columns: person_id, employer_id, counted_unit, severe, contract_ok,
        wage_ok, insurance_ok, bank_ok, working_age_ok, qualifies, weight, explanation.

    Examples
    --------
    >>> emp = pd.DataFrame({"person_id": ["a", "b"], "employer_id": ["e1", "e1"], "county": ["义乌", "义乌"],
    ...     "grade": [2, 3], "contract_months": [12, 11], "monthly_wage": [3000, 3000], "social_insurance": [1, 1]})
    >>> qualify_employees(emp, PolicyParameters.for_year(2025)).table[["person_id", "weight"]].values.tolist()
    [['a', 2.0], ['b', 0.0]]
    """
    if rule not in ("quota", "vat"):
        raise ParameterError(f"rule must be 'quota' or 'vat', not {rule!r}")
    df = validate_policy_employees(employees)
    p = params.require(rule + "_qualification", *_QUALIFY_PARAMS)
    grade = _arr(df, "grade")
    vet = _arr(df, "veteran_grade")
    severe = (grade <= p.severe_max_grade) | (vet <= p.veteran_severe_max_grade)
    months = _arr(df, "contract_months")
    permanent = df["permanent"].to_numpy(dtype=bool)
    contract_ok = permanent | ge(np.nan_to_num(months, nan=-1.0), p.min_contract_months)
    wage = _arr(df, "monthly_wage")
    minimum = p.minimum_wage(df["county"].astype("object").to_numpy())
    wage_ok = ge(wage, minimum)
    insurance_ok = df["social_insurance"].to_numpy(dtype=bool)
    if rule == "vat":
        bank = df["bank_paid"]
        if bank.isna().any():
            from jhmatch.errors import Problem, SchemaError

            rows = np.flatnonzero(bank.isna().to_numpy())
            raise SchemaError([Problem(int(i) + 1, "bank_paid", "", f"yes/no: is the wage paid through a bank "
                                       f"(needed for the VAT refund) [employer {df['employer_id'].iloc[i]!r}]")
                               for i in rows], "employees (policy)")
        bank_ok = bank.to_numpy(dtype=bool)
    else:
        bank_ok = np.ones(len(df), dtype=bool)
    r = working_age_arrays(df["birth_date"], df["age"].astype("object"), df["sex"], p.date, p.working_age_min,
                           p.retirement_age_male, p.retirement_age_female)
    age_checked = r["known"]
    age_ok = ~age_checked | r["working_age"]
    qualifies = contract_ok & wage_ok & insurance_ok & bank_ok & age_ok
    weight = np.where(qualifies, np.where(severe & (rule == "quota"), p.severe_weight, 1.0), 0.0)
    host = df["counted_at"].astype("object").to_numpy() == "host"
    counted_unit = np.where(host, df["dispatched_to"].astype("object").to_numpy(), df["employer_id"].astype("object").to_numpy())

    gtext = np.where(np.isnan(grade), "veteran grade " + fmt(vet, "%d"), "grade " + fmt(grade, "%d"))
    sev_text = np.where(severe & (rule == "quota"), f", severe (counts ×{p.severe_weight:g})", "")
    why_not = cat(
        np.where(contract_ok, "", cat("; contract ", fmt(months, "%g"), f" months < {p.min_contract_months:g}")),
        np.where(wage_ok, "", cat("; wage ", fmt(wage, "%.2f"), " < minimum ", fmt(minimum, "%.2f"))),
        np.where(insurance_ok, "", "; social insurance not paid in full"),
        np.where(bank_ok, "", "; wage not paid through a bank"),
        np.where(age_ok, "", cat("; not of working age on ", str(p.date), " (age ", fmt(r["age"], "%d"), ")")),
    )
    age_note = np.where(age_checked, "", "; working age not checked (no birth date or age"
                        + np.where(r["needs_sex"], ", or no sex where it decides", "") + ")")
    explanation = np.where(
        qualifies,
        cat(f"{rule}: counts ", fmt(weight, "%g"), " at ", counted_unit.astype(str), " (", gtext, sev_text, ")",
            age_note),
        cat(f"{rule}: does not count (", gtext, ")", why_not),
    )
    table = pd.DataFrame({
        "person_id": df["person_id"], "employer_id": df["employer_id"],
        "counted_unit": pd.array(counted_unit.astype(str), dtype="string"),
        "severe": severe, "contract_ok": contract_ok, "wage_ok": wage_ok, "insurance_ok": insurance_ok,
        "bank_ok": bank_ok, "working_age_ok": age_ok, "qualifies": qualifies, "weight": weight,
        "explanation": pd.array(explanation.astype(str), dtype="string"),
    })
    return PolicyResult(rule + "_qualification", p.date, table, p.used(*_QUALIFY_PARAMS), key="person_id")


def employer_counts(employees: pd.DataFrame, params: PolicyParameters) -> pd.DataFrame:
    """Per-unit counts of qualifying disabled employees, ready for :func:`merge_counts`.

    Returns
    -------
    DataFrame
        employer_id, disabled_staff, severe_disabled_staff (own qualifying employees,
        including those dispatched out), dispatched_in, dispatched_in_severe (hosted and
        counted here by agreement), dispatched_out, dispatched_out_severe.

    Examples
    --------
    >>> emp = pd.DataFrame({"person_id": ["a"], "employer_id": ["agency"], "county": ["磐安"], "grade": [1],
    ...     "contract_months": [24], "monthly_wage": [2500], "social_insurance": [True],
    ...     "dispatched_to": ["factory"], "counted_at": ["用工单位"]})
    >>> employer_counts(emp, PolicyParameters.for_year(2025)).set_index("employer_id")[
    ...     ["disabled_staff", "dispatched_out", "dispatched_in_severe"]].to_dict("index")
    {'agency': {'disabled_staff': 1, 'dispatched_out': 1, 'dispatched_in_severe': 0}, 'factory': {'disabled_staff': 0, 'dispatched_out': 0, 'dispatched_in_severe': 1}}
    """
    q = qualify_employees(employees, params).table
    q = q[q["qualifies"]]
    sev = q["severe"].to_numpy(dtype=np.int64)
    moved = (q["counted_unit"].astype("object") != q["employer_id"].astype("object")).to_numpy()
    own = pd.DataFrame({"employer_id": q["employer_id"].astype("object").to_numpy(), "disabled_staff": 1,
                        "severe_disabled_staff": sev, "dispatched_out": moved.astype(np.int64),
                        "dispatched_out_severe": moved * sev})
    hosted = pd.DataFrame({"employer_id": q["counted_unit"].astype("object").to_numpy()[moved], "dispatched_in": 1,
                           "dispatched_in_severe": sev[moved]})
    cols = ["disabled_staff", "severe_disabled_staff", "dispatched_in", "dispatched_in_severe",
            "dispatched_out", "dispatched_out_severe"]
    out = pd.concat([own, hosted], ignore_index=True).groupby("employer_id", sort=True).sum(min_count=0)
    out = out.reindex(columns=cols).fillna(0).astype("int64").reset_index()
    out["employer_id"] = out["employer_id"].astype("string")
    return out


def merge_counts(employers: pd.DataFrame, counts: pd.DataFrame) -> pd.DataFrame:
    """Replace an employers table's disabled counts with those of :func:`employer_counts`.

    Employers without qualifying disabled employees get zeros; counts of units not in
    ``employers`` raise :class:`~jhmatch.errors.SchemaError`.
    """
    from jhmatch.errors import Problem, SchemaError

    df = validate_policy_employers(employers).copy()
    known = set(df["employer_id"].astype("object"))
    unknown = [u for u in counts["employer_id"].astype("object") if u not in known]
    if unknown:
        raise SchemaError([Problem(None, "employer_id", u, "an employer of the employers table (it counts disabled "
                                   "employees)") for u in unknown], "employee counts")
    idx = counts.set_index(counts["employer_id"].astype("object"))
    for col in idx.columns.drop("employer_id"):
        df[col] = df["employer_id"].astype("object").map(idx[col]).fillna(0).astype("int64").to_numpy()
    df.attrs = {}
    return validate_policy_employers(df)


def quota_arrays(df: pd.DataFrame, p: PolicyParameters) -> dict[str, np.ndarray]:
    """Numeric quota figures of a validated employers table (shared by fund and reward)."""
    staff = _arr(df, "staff") - _arr(df, "dispatched_out") + _arr(df, "dispatched_in")
    disabled = _arr(df, "disabled_staff") - _arr(df, "dispatched_out") + _arr(df, "dispatched_in")
    severe = _arr(df, "severe_disabled_staff") - _arr(df, "dispatched_out_severe") + _arr(df, "dispatched_in_severe")
    weighted = disabled - severe + p.severe_weight * severe
    required = p.quota_ratio * staff
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(staff > 0, weighted / np.where(staff > 0, staff, 1.0), np.nan)
    return {
        "staff": staff, "disabled": disabled, "severe": severe, "weighted": weighted, "required": required,
        "shortfall": clip_zero(required - weighted), "excess": clip_zero(weighted - required), "ratio": ratio,
        "meets": ge(weighted, required),
    }


def quota_text(df: pd.DataFrame, a: dict[str, np.ndarray], p: PolicyParameters) -> np.ndarray:
    """The quota part of an explanation, one string per employer."""
    moved = (_arr(df, "dispatched_in") + _arr(df, "dispatched_out")) > 0
    dispatch = np.where(moved, cat(" (own ", fmt(_arr(df, "staff"), "%d"), " − ", fmt(_arr(df, "dispatched_out"), "%d"),
                                   " dispatched out + ", fmt(_arr(df, "dispatched_in"), "%d"), " dispatched in)"), "")
    return cat(
        "quota: required ", fmt(a["staff"], "%d"), " staff", dispatch, f" × {p.quota_ratio * 100:g}% = ",
        fmt(a["required"], "%.2f"), "; counted ", fmt(a["weighted"], "%g"), " (", fmt(a["disabled"], "%d"),
        " disabled, ", fmt(a["severe"], "%d"), f" severe counted ×{p.severe_weight:g}) → ratio ",
        pct(a["ratio"]), ", ",
        np.where(a["shortfall"] > 0, cat("shortfall ", fmt(a["shortfall"], "%.2f")),
                 cat("quota met (excess ", fmt(a["excess"], "%.2f"), ")")),
    )


def quota_employment(employers: pd.DataFrame, params: PolicyParameters | None = None, *,
                     year: int | None = None) -> PolicyResult:
    """Weighted disabled count, required count and fractional shortfall per employer.

    Parameters
    ----------
    employers : DataFrame
        See :data:`~jhmatch.policy.tables.POLICY_EMPLOYERS`; ``disabled_staff`` counts only
        qualifying employees (use :func:`employer_counts` / :func:`merge_counts` to
        derive them from an employee table).
    params : PolicyParameters, optional
        Parameters in force; default those of 31 December of ``year``.
    year : int, optional
        The year assessed (when ``params`` is not given).

    Returns
    -------
    PolicyResult
        ``table`` columns: employer_id, county, staff_counted, disabled_counted,
        severe_counted, weighted_count, required, shortfall, excess, ratio, meets_quota,
        explanation.

    Examples
    --------
    >>> r = quota_employment(pd.DataFrame({"employer_id": ["e1", "e2"], "county": ["义乌", "东阳"],
    ...     "staff": [200, 200], "disabled_staff": [1, 2], "severe_disabled_staff": [1, 0]}), year=2025)
    >>> r.table[["weighted_count", "required", "shortfall", "meets_quota"]].values.tolist()
    [[2.0, 3.0, 1.0, False], [2.0, 3.0, 1.0, False]]
    """
    p = _resolve(params, year).require("quota", *_QUOTA_PARAMS)
    df = validate_policy_employers(employers)
    a = quota_arrays(df, p)
    table = pd.DataFrame({
        "employer_id": df["employer_id"], "county": df["county"], "staff_counted": a["staff"],
        "disabled_counted": a["disabled"], "severe_counted": a["severe"], "weighted_count": a["weighted"],
        "required": a["required"], "shortfall": a["shortfall"], "excess": a["excess"], "ratio": a["ratio"],
        "meets_quota": a["meets"], "explanation": pd.array(quota_text(df, a, p).astype(str), dtype="string"),
    })
    return PolicyResult("quota", p.date, table, p.used(*_QUOTA_PARAMS))


def _resolve(params: PolicyParameters | None, year: Any) -> PolicyParameters:
    if params is None:
        if year is None:
            raise ParameterError("give params (PolicyParameters.for_date(...)) or the year assessed")
        return PolicyParameters.for_year(int(year))
    if year is not None:
        return params.at(f"{int(year):04d}-12-31")
    return params
