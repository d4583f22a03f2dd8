"""The plan's ledger (台账): per measure of the plan and per county, target, achieved, source, status.

A disabled persons' federation office keeps, for each measure of the action plan
(金政办发〔2022〕50号 §一 and §二(一)–(十)), what the target is, what was achieved, where
the figure comes from and whether the target is met. :func:`plan_ledger` builds that
ledger for a year from the tables jhmatch already reads:

- the plan's targets come from :func:`~jhmatch.policy.progress` (same values, goals,
  statuses and flags: a county target the plan does not give is marked, never invented);
- the measures the plan names without a number (state-owned enterprise posts, lottery
  outlets, 辅助性就业, 电商助残, 非遗和传统手工艺, 共富工坊, 公益性岗位 filled, rural work)
  are the placements of this allocation into posts of those kinds, by the post's county,
  with status ``no target``;
- 异地按比例就业 counts the placements of a cross-county chain (``chain``: a
  :class:`~jhmatch.policy.chain.ChainResult` or its placements table), by the person's county;
- 集中就业 and the over-quota reward count the employers (``employers`` table) that are
  concentrated-employment units and the enterprises eligible for the reward
  (:func:`~jhmatch.policy.concentrated_employment`, :func:`~jhmatch.policy.over_quota_reward`),
  by the employer's county;
- a measure whose input is not given says ``no data``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.errors import Problem, SchemaError
from jhmatch.i18n import N_, get_language, language
from jhmatch.i18n import gettext as _
from jhmatch.policy.labels import format_goal, format_value, status_label, target_label
from jhmatch.policy.parameters import PolicyParameters
from jhmatch.policy.progress import PlanProgress, assignments_of, progress
from jhmatch.policy.targets import PlanTargets
from jhmatch.taxonomy import REGIONS, post_kinds, region

__all__ = ["LEDGER_MEASURES", "PlanLedger", "plan_ledger"]

_KINDS: dict[str, tuple[str, ...]] = {
    "soe_posts": ("soe_post",),
    "lottery_outlets": ("lottery_outlet",),
    "sheltered_work": ("sheltered_work",),
    "ecommerce": ("cloud_customer_service", "cloud_review", "network_maintenance", "ecommerce"),
    "handicraft": ("handicraft",),
    "prosperity_workshop": ("prosperity_workshop",),
    "rural": ("rural_planting", "rural_breeding", "rural_processing", "rural_tourism", "rural_ecommerce",
              "rural_logistics"),
}

LEDGER_MEASURES: tuple[tuple[str, str], ...] = (
    ("new_jobs", "§一"), ("welfare_posts", "§一"), ("employment_rate", "§一"), ("graduate_rate", "§一 §二(八)"),
    ("agency_posts", "§二(一)"), ("soe_posts", "§二(二)"), ("kiosk_reserve", "§二(二)"),
    ("tobacco_outlets", "§二(二)"), ("lottery_outlets", "§二(二)"), ("cross_county_quota", "§二(三)"),
    ("concentrated_employment", "§二(三)"), ("over_quota_reward", "§二(三)"), ("sheltered_work", "§二(三)"),
    ("ecommerce", "§二(四)"), ("handicraft", "§二(四)"), ("prosperity_workshop", "§二(五)"),
    ("household_coverage", "§二(六)"), ("welfare_filled", "§二(六)"), ("rural", "§二(七)"),
    ("four_ones_info_check", "§二(十)"), ("four_ones_assessment", "§二(十)"),
    ("four_ones_registration", "§二(十)"), ("four_ones_service", "§二(十)"),
)
"""The ledger's measures in the plan's order, with the plan's section; extra targets follow."""

FIGURE_SOURCES: Mapping[str, str] = {
    "new_jobs": N_("allocation: persons placed who were not employed, plus figures supplied"),
    "welfare_posts": N_("posts table: welfare posts created, plus figures supplied"),
    "tobacco_outlets": N_("posts table: tobacco retail outlets, plus figures supplied"),
    "agency_posts": N_("posts table: agency and public-institution posts of the year"),
    "employment_rate": N_("persons table and allocation: working-age certificate holders employed"),
    "graduate_rate": N_("persons table and allocation: graduating students who want work, employed"),
    "household_coverage": N_("persons table and allocation: households in difficulty with a member employed"),
    "kiosk_reserve": N_("posts table and allocation: disabled persons placed at each new service point"),
    "four_ones": N_("persons table: services recorded this year"),
    "placements": N_("allocation: placements in posts of these kinds"),
    "cross_county_quota": N_("cross-county chain: placements, by the person's county"),
    "employers": N_("employers table: units assessed by the policy rules"),
    "extra": N_("figures supplied"),
}
"""Where each ledger figure comes from (English; translated in :meth:`PlanLedger.to_frame`)."""

# Names of the two employer measures that have no target label elsewhere.
_OVER_QUOTA = N_("over-quota placement reward: enterprises eligible")


@dataclass(frozen=True)
class PlanLedger:
    """The ledger of a year: one row per measure of the plan and per scope (city, then each county).

    Attributes
    ----------
    year : int
        The year assessed.
    table : DataFrame
        measure, section (the plan's section), scope (``"city"`` or a county code),
        target (the end-2025 or yearly target; NaN when the plan sets no number or the
        county has none), year_goal, achieved, unit (``persons``, ``posts``, ``outlets``,
        ``points``, ``units``, ``share``), figure_source (code), status (``met``, ``not met``,
        ``no data``, ``no target``), assumption (a target or goal that is jhmatch's
        assumption), note (English explanation).
    progress : PlanProgress
        The progress the plan's targets were taken from.
    """

    year: int
    table: pd.DataFrame
    progress: PlanProgress

    def city(self) -> pd.DataFrame:
        """The city-wide rows."""
        return self.table[self.table["scope"] == "city"].reset_index(drop=True)

    def county(self, county: Any) -> pd.DataFrame:
        """The rows of one county (code or name)."""
        return self.table[self.table["scope"] == region(county).code].reset_index(drop=True)

    def to_frame(self, lang: str | None = None, *, counties: bool = True) -> pd.DataFrame:
        """The ledger as the office keeps it: Chinese (or English) headers, names, formatted figures.

        No cell is NaN: a row without a target says why.

        Examples
        --------
        >>> persons = pd.DataFrame({"person_id": ["a"], "category": [4], "grade": [3], "county": ["磐安"],
        ...     "sex": ["M"], "age": [30]})
        >>> posts = pd.DataFrame({"post_id": ["q"], "kind": ["辅助性就业"], "county": ["磐安"], "capacity": [1]})
        >>> led = plan_ledger(persons, posts, pd.DataFrame({"person_id": ["a"], "post_id": ["q"]}), 2025)
        >>> f = led.to_frame("zh", counties=False)
        >>> f.set_index("措施").loc["残疾人辅助性就业", ["完成情况", "完成状态"]].tolist()
        ['1', '未设目标']
        """
        rows = self.table if counties else self.city()
        names = {r.code: r for r in REGIONS}
        with language(lang):
            zh = get_language() == "zh"
            rate = rows["unit"].to_numpy() == "share"
            out = pd.DataFrame({
                _("plan section"): rows["section"].to_numpy(),
                _("plan measure"): [_measure_name(m) for m in rows["measure"]],
                _("area"): [_("city-wide") if s == "city" else (names[s].zh if zh else names[s].en)
                            for s in rows["scope"]],
                _("target set"): [_target_text(t, r, s, sc) for t, r, s, sc in
                              zip(rows["target"], rate, rows["status"], rows["scope"])],
                _("goal this year"): [_target_text(t, r, s, sc) for t, r, s, sc in
                                      zip(rows["year_goal"], rate, rows["status"], rows["scope"])],
                _("achieved"): [_("no data") if (isinstance(a, float) and math.isnan(a)) else format_value(a, r)
                                for a, r in zip(rows["achieved"], rate)],
                _("source of the figure"): [_(FIGURE_SOURCES[f]) for f in rows["figure_source"]],
                _("progress status"): [status_label(s) for s in rows["status"]],
            })
        return out


def _measure_name(code: str) -> str:
    return _(_OVER_QUOTA) if code == "over_quota_reward" else target_label(code)


def _target_text(target: float, rate: bool, status: str, scope: str) -> str:
    if not (isinstance(target, float) and math.isnan(target)):
        return format_value(target, rate)
    if status == "no target" and scope != "city":
        return format_goal(target, rate, "none")
    return format_goal(target, rate, "plan (no number)")


def _by_county(keys: np.ndarray) -> dict[str, float]:
    s = pd.Series(np.ones(len(keys)), index=keys)
    return {str(k): float(v) for k, v in s.groupby(level=0).sum().items()} if len(keys) else {}


def _chain_counts(chain: Any, persons: pd.DataFrame) -> dict[str, float]:
    frame = getattr(chain, "placements", chain)
    if not isinstance(frame, pd.DataFrame) or "person_id" not in frame.columns:
        raise SchemaError([Problem(None, "person_id", "(missing column)", "chain placements with a person_id column")],
                          "chain")
    county = dict(zip(persons["person_id"].astype(str), persons["county"].astype(object)))
    ids = frame["person_id"].astype(str).to_numpy()
    unknown = [i for i in ids if i not in county]
    if unknown:
        raise SchemaError([Problem(None, "person_id", unknown[0], "a person of the persons table")], "chain")
    return _by_county(np.array([county[i] for i in ids], dtype=object))


def plan_ledger(persons: pd.DataFrame, posts: pd.DataFrame, allocation: Any, year: int, *,
                targets: PlanTargets | None = None, params: PolicyParameters | None = None,
                achieved: Mapping[str, Mapping[str, float]] | None = None,
                kiosk_site_posts: Mapping[str, float] | None = None, chain: Any = None,
                employers: pd.DataFrame | None = None, progress_result: PlanProgress | None = None) -> PlanLedger:
    """The plan's ledger (台账) of a year, city-wide and per county.

    Parameters
    ----------
    persons, posts, allocation, year, targets, params, achieved, kiosk_site_posts
        As for :func:`~jhmatch.policy.progress` (not used for the plan's targets when
        ``progress_result`` is given).
    chain : ChainResult or DataFrame, optional
        A cross-county chain (placements with ``person_id``) for 异地按比例就业.
    employers : DataFrame, optional
        Employers table (:data:`~jhmatch.policy.POLICY_EMPLOYERS`) for 集中就业 and the
        over-quota reward.
    progress_result : PlanProgress, optional
        Progress already computed for the same tables and year.

    Returns
    -------
    PlanLedger

    Examples
    --------
    >>> persons = pd.DataFrame({"person_id": ["a", "b"], "category": [4, 1], "grade": [3, 2],
    ...     "county": ["磐安", "义乌"], "sex": ["M", "F"], "age": [30, 40]})
    >>> posts = pd.DataFrame({"post_id": ["q", "r"], "kind": ["云客服", "保洁"], "county": ["磐安", "义乌"],
    ...     "capacity": [2, 1]})
    >>> led = plan_ledger(persons, posts, pd.DataFrame({"person_id": ["a"], "post_id": ["q"]}), 2025)
    >>> led.city().set_index("measure").loc[["welfare_posts", "ecommerce", "cross_county_quota"],
    ...                                     ["achieved", "status"]].values.tolist()
    [[1.0, 'not met'], [1.0, 'no target'], [nan, 'no data']]
    """
    pr = progress_result if progress_result is not None else progress(
        persons, posts, allocation, year, targets=targets, params=params, achieved=achieved,
        kiosk_site_posts=kiosk_site_posts)
    from jhmatch.data import ensure_valid
    from jhmatch.policy.workingage import persons_table

    pdf = persons_table(persons)
    qdf = ensure_valid(posts, "posts")
    assign = assignments_of(allocation)
    kind = dict(zip(qdf["post_id"].astype(str), qdf["kind"].astype(object)))
    pcounty = dict(zip(qdf["post_id"].astype(str), qdf["county"].astype(object)))
    akind = np.array([kind.get(q) for q in assign["post_id"].astype(str)], dtype=object)
    acounty = np.array([pcounty.get(q) for q in assign["post_id"].astype(str)], dtype=object)
    kinds = dict(_KINDS, welfare_filled=tuple(k.code for k in post_kinds() if k.welfare))
    counted: dict[str, tuple[dict[str, float] | None, str, str]] = {
        m: (_by_county(acounty[pd.Index(akind).isin(list(ks))]), "persons", "placements") for m, ks in kinds.items()}
    counted["cross_county_quota"] = (None if chain is None else _chain_counts(chain, pdf), "persons",
                                     "cross_county_quota")
    if employers is None:
        counted["concentrated_employment"] = (None, "units", "employers")
        counted["over_quota_reward"] = (None, "units", "employers")
    else:
        from jhmatch.policy.reward import concentrated_employment, over_quota_reward

        conc = concentrated_employment(employers, params, year=None if params is not None else year).table
        rew = over_quota_reward(employers, params, year=None if params is not None else year).table
        counted["concentrated_employment"] = (
            _by_county(conc.loc[conc["concentrated"].to_numpy(dtype=bool), "county"].astype(object).to_numpy()),
            "units", "employers")
        counted["over_quota_reward"] = (
            _by_county(rew.loc[rew["eligible"].to_numpy(dtype=bool), "county"].astype(object).to_numpy()),
            "units", "employers")

    t = pr.table.set_index(["target", "scope"])
    measures = [*LEDGER_MEASURES, *((code, "supplied") for code in pr.targets.extra)]
    rows = []
    for measure, section in measures:
        for scope in ["city"] + [r.code for r in REGIONS]:
            if measure in counted:
                per, unit, src = counted[measure]
                value = np.nan if per is None else (sum(per.values()) if scope == "city" else per.get(scope, 0.0))
                status = "no data" if per is None else "no target"
                note = ("input not given" if per is None else f"{value:g} in {scope}") + " — the plan sets no number"
                rows.append({"measure": measure, "section": section, "scope": scope, "target": np.nan,
                             "year_goal": np.nan, "achieved": value, "unit": unit, "figure_source": src,
                             "status": status, "assumption": False, "note": note})
                continue
            r = t.loc[(measure, scope)]
            rate = pr.targets.is_rate(measure)
            unit = ("share" if rate else {"new_jobs": "persons", "welfare_posts": "posts",
                                          "tobacco_outlets": "outlets", "agency_posts": "posts"}.get(measure, "count"))
            src = ("four_ones" if measure.startswith("four_ones") else
                   "extra" if measure in pr.targets.extra else measure)
            rows.append({"measure": measure, "section": section, "scope": scope, "target": float(r["target_value"]),
                         "year_goal": float(r["year_goal"]), "achieved": float(r["value"]), "unit": unit,
                         "figure_source": src, "status": r["status"], "assumption": bool(r["assumption"]),
                         "note": r["explanation"]})
    return PlanLedger(int(year), pd.DataFrame(rows), pr)
