"""Concentrated employment status and the over-quota reward (超比例安置奖励).

- Concentrated employment (CONFIRMED, ``domain.md`` §5): full-time disabled staff at
  least ``concentrated_min_share`` (25%) of staff.
- Over-quota reward (PLAN, 金政办发〔2022〕50号 §二(三)): a concentrated-employment unit
  whose share is *above* ``reward_concentrated_threshold`` (25%), or another unit
  whose quota ratio is *above* ``reward_quota_threshold`` (1.5%). The amount is PARAM:
  ``reward_per_excess_person(_concentrated)`` per (weighted) disabled employee above
  the threshold. A concentrated unit is judged by the 25% rule only, so a unit at
  exactly 25% is concentrated but gets no reward.
- Enterprises only (PLAN): the plan's sentence is "对按比例就业超过 1.5%、集中就业超过 25%的企业 …
  给予超比例安置奖励"; a unit with ``is_enterprise`` false (an agency, a public institution)
  gets none, whatever its ratio.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jhmatch.policy.parameters import PolicyParameters
from jhmatch.policy.quota import _resolve, quota_arrays
from jhmatch.policy.results import PolicyResult, cat, clip_zero, fmt, ge, gt, money, pct
from jhmatch.policy.tables import validate_policy_employers

__all__ = ["concentrated_employment", "over_quota_reward"]

_REWARD_PARAMS = ("quota_ratio", "severe_weight", "concentrated_min_share", "reward_quota_threshold",
                  "reward_concentrated_threshold", "reward_per_excess_person", "reward_per_excess_person_concentrated")


def _fulltime(df: pd.DataFrame, counted_disabled: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    ft = df["fulltime_disabled_staff"].to_numpy(dtype="float64", na_value=np.nan)
    assumed = np.isnan(ft)
    return np.where(assumed, counted_disabled, ft), assumed


def _concentrated(df: pd.DataFrame, p: PolicyParameters) -> dict[str, np.ndarray]:
    a = quota_arrays(df, p)
    ft, assumed = _fulltime(df, a["disabled"])
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(a["staff"] > 0, ft / np.where(a["staff"] > 0, a["staff"], 1.0), np.nan)
    concentrated = (a["staff"] > 0) & ge(ft, p.concentrated_min_share * a["staff"])
    return {**a, "fulltime": ft, "assumed": assumed, "share": share, "concentrated": concentrated}


def _status_text(c: dict[str, np.ndarray], p: PolicyParameters) -> np.ndarray:
    note = np.where(c["assumed"], " (full-time count not given: all counted disabled staff taken as full-time)", "")
    return cat("concentrated: ", fmt(c["fulltime"], "%d"), " full-time disabled / ", fmt(c["staff"], "%d"),
               " staff = ", pct(c["share"]), note,
               np.where(c["concentrated"], f" ≥ {p.concentrated_min_share * 100:g}% → concentrated-employment unit",
                        f" < {p.concentrated_min_share * 100:g}% → not concentrated"))


def concentrated_employment(employers: pd.DataFrame, params: PolicyParameters | None = None, *,
                            year: int | None = None) -> PolicyResult:
    """Whether each employer is a concentrated-employment unit (full-time disabled ≥ 25% of staff).

    Examples
    --------
    >>> emp = pd.DataFrame({"employer_id": ["a", "b"], "county": ["兰溪"] * 2, "staff": [40, 40],
    ...                     "disabled_staff": [10, 9], "fulltime_disabled_staff": [10, 9]})
    >>> concentrated_employment(emp, year=2025).table["concentrated"].tolist()
    [True, False]
    """
    p = _resolve(params, year).require("concentrated_employment", "concentrated_min_share")
    df = validate_policy_employers(employers)
    c = _concentrated(df, p)
    table = pd.DataFrame({
        "employer_id": df["employer_id"], "county": df["county"], "staff_counted": c["staff"],
        "fulltime_disabled": c["fulltime"], "share": c["share"], "concentrated": c["concentrated"],
        "explanation": pd.array(_status_text(c, p).astype(str), dtype="string"),
    })
    return PolicyResult("concentrated_employment", p.date, table, p.used("concentrated_min_share"))


def over_quota_reward(employers: pd.DataFrame, params: PolicyParameters | None = None, *,
                      year: int | None = None) -> PolicyResult:
    """Over-quota reward eligibility and amount per employer.

    Returns
    -------
    PolicyResult
        ``table`` columns: employer_id, county, basis (``"concentrated"`` or ``"quota"``),
        ratio (quota ratio or full-time share, by basis), threshold, eligible, excess,
        reward, explanation.

    Examples
    --------
    >>> emp = pd.DataFrame({"employer_id": ["a", "b", "c"], "county": ["义乌"] * 3, "staff": [200, 200, 40],
    ...                     "disabled_staff": [3, 4, 12]})
    >>> r = over_quota_reward(emp, year=2025)
    >>> r.table[["basis", "eligible", "excess", "reward"]].values.tolist()
    [['quota', False, 0.0, 0.0], ['quota', True, 1.0, 3000.0], ['concentrated', True, 2.0, 6000.0]]
    >>> over_quota_reward(emp.assign(is_enterprise=False), year=2025).table["reward"].tolist()
    [0.0, 0.0, 0.0]
    """
    p = _resolve(params, year).require("over_quota_reward", *_REWARD_PARAMS)
    df = validate_policy_employers(employers)
    c = _concentrated(df, p)
    conc = c["concentrated"]
    t_conc, t_quota = p.reward_concentrated_threshold, p.reward_quota_threshold
    conc_ok = conc & gt(c["fulltime"], t_conc * c["staff"])
    quota_ok = ~conc & (c["staff"] > 0) & gt(c["weighted"], t_quota * c["staff"])
    enterprise = df["is_enterprise"].to_numpy(dtype=bool)
    over = conc_ok | quota_ok
    eligible = over & enterprise
    excess = np.where(~enterprise, 0.0, np.where(conc_ok, clip_zero(c["fulltime"] - t_conc * c["staff"]),
                      np.where(quota_ok, clip_zero(c["weighted"] - t_quota * c["staff"]), 0.0)))
    rate = np.where(conc, p.reward_per_excess_person_concentrated, p.reward_per_excess_person)
    reward = excess * rate
    ratio = np.where(conc, c["share"], c["ratio"])
    threshold = np.where(conc, t_conc, t_quota)
    rate_name = np.where(conc, "reward_per_excess_person_concentrated", "reward_per_excess_person")
    status = np.array([p.sources[n].status if n in p.sources else "?" for n in
                       ("reward_per_excess_person_concentrated", "reward_per_excess_person")], dtype=object)
    rate_status = np.where(conc, status[0], status[1])
    what = np.where(conc, "full-time disabled share ", "quota ratio ")
    counted = np.where(conc, cat(fmt(c["fulltime"], "%d"), " full-time disabled"),
                       cat(fmt(c["weighted"], "%g"), " weighted disabled"))
    not_enterprise = cat("reward: not eligible (", what, pct(ratio), " > ", fmt(threshold * 100, "%g"),
                         "%, but the plan's over-quota reward is for enterprises (企业) and this unit is not one)")
    granted = cat("reward: ", what, pct(ratio), " > ", fmt(threshold * 100, "%g"), "%; excess ", counted,
                  " − ", fmt(threshold * 100, "%g"), "% × ", fmt(c["staff"], "%d"), " staff = ", fmt(excess, "%.4g"),
                  " × ", money(rate), " (", rate_name, " [", rate_status, "]) = ", money(reward))
    below = cat("reward: not eligible (", what, pct(ratio), " is not above ", fmt(threshold * 100, "%g"),
                "%", np.where(conc, "; concentrated units are judged by the 25% rule", ""), ")")
    text = np.where(over & ~enterprise, not_enterprise, np.where(eligible, granted, below))
    explanation = cat(_status_text(c, p), "; ", text)
    table = pd.DataFrame({
        "employer_id": df["employer_id"], "county": df["county"],
        "basis": pd.array(np.where(conc, "concentrated", "quota").astype(str), dtype="string"),
        "ratio": ratio, "threshold": threshold, "eligible": eligible, "excess": excess, "reward": reward,
        "explanation": pd.array(explanation.astype(str), dtype="string"),
    })
    return PolicyResult("over_quota_reward", p.date, table, p.used(*_REWARD_PARAMS))
