"""Reserved-post planning for the main job: which reserved posts to open per county, and who fills them.

Kiosk points, tobacco and lottery outlets, welfare posts, reserved agency and SOE posts
(PLAN §二(一)(二)(六)); the optimisation is :func:`jhmatch.optimize.plan_reserved_posts`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.checks import renamed_keyword
from jhmatch.i18n import gettext as _
from jhmatch.limits import DEFAULT_TIME_LIMIT
from jhmatch.matching import CompatibilityScorer, ScoreMatrix
from jhmatch.steps import StepListener, notify

__all__ = ["CITY_WORKING_AGE_HOLDERS", "KIOSK_SHARE", "RESERVED_TARGETS", "plan_posts"]


RESERVED_TARGETS: Mapping[str, int] = MappingProxyType({"tobacco_outlet": 300})
"""City-wide plan totals that :func:`plan_posts` aims at, times its explicit ``target_scale``:
≥ 300 tobacco outlets over the 14th Five-Year period (PLAN §二(二): 确保"十四五"全市用于残疾人创业扶持的
烟草制品零售点不少于300个). Welfare posts (≥ 500) are a total over five kinds and are reported by the
progress targets instead of being forced here."""

KIOSK_SHARE = 0.10
"""PLAN §二(二): 新增建设邮政报刊零售亭等社区公共服务点时，应当预留不低于10%的岗位专门安排残疾人就业."""

CITY_WORKING_AGE_HOLDERS = 50_000
"""Working-age certificate holders in Jinhua (domain.md §2, an estimate): one way a caller may
choose ``target_scale`` for a table that holds part of the city (``seekers / 50,000``); never
applied unless asked for."""


def _kiosk_sites(site_posts: pd.DataFrame, kiosk_site_posts: Any) -> pd.DataFrame:
    """Kiosk posts grouped into their community service points (``site_id``; a post without one is its own point)."""
    k = site_posts[site_posts["kind"] == "kiosk"]
    point = k["site_id"].astype("object") if "site_id" in k else pd.Series(None, index=k.index, dtype=object)
    point = point.where(point.notna(), k["post_id"].astype("object"))
    g = (pd.DataFrame({"site_id": point.astype(str).to_numpy(), "county": k["county"].astype("object").to_numpy(),
                       "max_posts": k["capacity"].to_numpy(dtype="int64")})
         .groupby("site_id", sort=True).agg(county=("county", "first"), max_posts=("max_posts", "sum")).reset_index())
    g.insert(2, "kind", "kiosk")
    for col in ("lat", "lon"):
        if col in k and k[col].notna().all():
            g[col] = pd.Series(k[col].to_numpy(dtype=float), index=point.astype(str).to_numpy()).groupby(level=0).first() \
                .reindex(g["site_id"]).to_numpy()
    # the point's total of posts: kiosk_site_posts[site], else the posts table's site_posts column,
    # else the kiosk posts listed at the point (the same precedence as jhmatch.policy.progress)
    given = dict(kiosk_site_posts or {})
    if "site_posts" in k:
        listed = pd.Series(k["site_posts"].to_numpy(dtype=float, na_value=np.nan), index=point.astype(str).to_numpy())
        for site, total in listed.groupby(level=0).max().dropna().items():
            given.setdefault(site, float(total))
    g["site_posts"] = [float(given.get(s, m)) for s, m in zip(g["site_id"], g["max_posts"])]
    return g


def plan_posts(
    persons: pd.DataFrame,
    posts: pd.DataFrame,
    scores: ScoreMatrix | None = None,
    *,
    targets: dict[str, int] | None = None,
    target_scale: float = 1.0,
    kiosk_share: float = KIOSK_SHARE,
    kiosk_site_posts: dict[str, float] | None = None,
    spacing: str = "reduced",
    kinds_per_person: int = 2,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    gap: float | None = None,
    as_of: Any = "2025-12-31",
    on_step: StepListener | None = None,
    as_of_year: int | None = None,
):
    """Decide how many reserved posts of each kind to open in each county, and who would fill them.

    Candidate sites are the posts of reserved kinds (tobacco and lottery outlets, welfare
    posts, reserved agency and SOE posts), and the community service points of the kiosk
    posts (posts with the same ``site_id`` form one point); a person's suitability for a kind
    is their best compatibility score with a post of that kind (their ``kinds_per_person``
    best kinds are kept). The kiosk rule applies by default: an opened point reserves at least
    ``kiosk_share`` (10 %) of its posts for disabled persons. Targets are the plan's
    city-wide totals (:data:`RESERVED_TARGETS`) times ``target_scale`` — 1 by default, i.e.
    the tables are taken as the whole city; a caller planning for part of the city states the
    scale (e.g. ``seekers / CITY_WORKING_AGE_HOLDERS``). Targets are soft: a shortfall is
    reported rather than making the plan infeasible.

    Parameters
    ----------
    persons, posts : DataFrame
        Validated tables.
    scores : ScoreMatrix, optional
        Compatibility of the seekers; computed when missing.
    targets : mapping kind -> int, optional
        Minimum placements per kind, supplied (no scaling); default the plan's totals × scale.
    target_scale : float
        Factor on the plan's city-wide totals (ignored when ``targets`` is given); shown in
        the result's ``targets`` table (``city_total``, ``scale``, ``basis``).
    kiosk_share : float
        Share of the posts of an opened kiosk point reserved for disabled persons (PLAN:
        ≥ 10 %); 0 switches the rule off.
    kiosk_site_posts : mapping site_id -> number, optional
        All posts at each kiosk point (every applicant); default the capacity the posts table
        lists at the point. The floor is ``ceil(kiosk_share × site_posts)``.
    spacing : {"reduced", "exempt", "none"}
        Tobacco-outlet spacing for disabled applicants (30 m standard, 10 m less when reduced).
    kinds_per_person : int
        Kinds kept per person (keeps the model small).
    time_limit : float, optional
        Seconds for the whole plan (default :data:`jhmatch.limits.DEFAULT_TIME_LIMIT`); a plan
        found by then comes back with status ``time_limit`` and its gap.
    gap : float, optional
        Relative optimality gap at which HiGHS may stop.
    as_of : date or str, default "2025-12-31"
        Reference date of the ages when ``scores`` are computed here (the scorer's ``as_of``).
        ``as_of_year=Y`` (its old form, meaning 31 December of Y) still works with a
        :class:`DeprecationWarning`.
    on_step : callable, optional
        Told when scoring (if done here) and planning start and end (:data:`StepListener`).

    Returns
    -------
    ReservedPostPlan
        ``sites`` (opened, filled, ``site_posts`` for kiosk points), ``assignments``,
        ``by_county`` and ``targets`` (``kind, target, achieved, shortfall, city_total,
        scale, basis``; a ``kiosk_reserve`` row gives the floor over the opened points).

    Examples
    --------
    >>> from jhmatch.datasets import make_jinhua
    >>> city = make_jinhua(n_persons=400, seed=0)
    >>> plan = plan_posts(city.persons, city.posts, target_scale=0.01)
    >>> plan.status.value, set(plan.by_county.columns) >= {"county", "kind", "sites_opened", "posts_filled"}
    ('optimal', True)
    >>> plan.targets.set_index("kind").loc["tobacco_outlet", ["city_total", "scale", "target"]].tolist()
    [300.0, 0.01, 3.0]
    """

    from jhmatch.errors import ParameterError
    from jhmatch.optimize.reserved_posts import SpacingRule, plan_reserved_posts
    from jhmatch.taxonomy import post_kinds

    if not (np.isfinite(target_scale) and target_scale >= 0):
        raise ParameterError(_("target_scale: got {value}, expected a number >= 0").format(value=target_scale))
    if not 0 <= kiosk_share <= 1:
        raise ParameterError(_("kiosk_share: got {value}, expected a share in [0, 1]").format(value=kiosk_share))
    if spacing not in ("reduced", "exempt", "none"):
        raise ParameterError(_("spacing {value}: expected reduced, exempt or none").format(value=spacing))
    reserved = {k.code for k in post_kinds() if k.reserved}
    site_posts = posts[posts["kind"].isin(reserved) & (posts["capacity"] > 0)]
    if as_of_year is not None:
        as_of = renamed_keyword("as_of", None, "as_of_year", f"{int(as_of_year)}-12-31")
    seekers = persons[persons["willing"].to_numpy(dtype=bool) & ~persons["employed"].to_numpy(dtype=bool)]
    if scores is None:
        notify(on_step, "score", "start", seekers=len(seekers), posts=len(posts))
        scores = CompatibilityScorer(as_of=as_of).score(seekers, posts)
        notify(on_step, "score", "done", seekers=len(seekers), posts=len(posts), pairs=int(scores.nnz))
    pairs = scores.to_frame()
    pairs = pairs.merge(site_posts[["post_id", "kind"]], on="post_id")
    suit = (pairs.groupby(["person_id", "kind"], sort=True)["score"].max().reset_index()
            .sort_values(["person_id", "score", "kind"], ascending=[True, False, True], kind="stable"))
    suit = suit.groupby("person_id", sort=False).head(kinds_per_person).reset_index(drop=True)
    other = site_posts[site_posts["kind"] != "kiosk"]
    sites = pd.DataFrame({"site_id": other["post_id"].astype("object").to_numpy(),
                          "county": other["county"].astype("object").to_numpy(),
                          "kind": other["kind"].astype("object").to_numpy(),
                          "max_posts": other["capacity"].to_numpy(dtype="int64")})
    for col in ("lat", "lon"):
        if col in other and other[col].notna().all():
            sites[col] = other[col].to_numpy()
    kiosks = _kiosk_sites(site_posts, kiosk_site_posts)
    if len(kiosks):
        sites = pd.concat([sites.assign(site_posts=np.nan), kiosks], ignore_index=True)
    present = set(sites["kind"])
    if targets is None:
        want = {k: round(v * target_scale) for k, v in RESERVED_TARGETS.items() if k in present}
        info = {k: (float(RESERVED_TARGETS[k]), float(target_scale),
                    _("PLAN city-wide total {total} x target_scale {scale}").format(
                        total=RESERVED_TARGETS[k], scale=f"{target_scale:g}")) for k in want}
    else:
        want = dict(targets)
        info = {k: (np.nan, np.nan, _("supplied")) for k in want}
    who = seekers[["person_id", "county"]].astype({"person_id": object, "county": object})
    rule = SpacingRule(spacing)
    note = ""
    spaced = sites["kind"].isin(rule.kinds).to_numpy()
    located = all(c in sites and sites[c].notna().to_numpy()[spaced].all() for c in ("lat", "lon"))
    if rule.distance_m > 0 and spaced.sum() > 1 and not located:
        # without coordinates the spacing rule cannot be checked: plan without it, and say so
        note = _("the spacing between tobacco outlets was not checked: the posts table has no coordinates "
                 "(lat, lon) for them")
        rule = SpacingRule("exempt")  # no distance checked
    notify(on_step, "plan_posts", "start", sites=len(sites), time_limit=time_limit)
    plan = plan_reserved_posts(who, suit, sites, targets=want, spacing=rule, kiosk_share=kiosk_share,
                               soft_targets=20.0, time_limit=time_limit, gap=gap)
    if note:
        plan = replace(plan, message=f"{plan.message}; {note}" if plan.message else note)
    notify(on_step, "plan_posts", "done", sites=int(plan.sites["opened"].sum()) if len(plan.sites) else 0,
          status=str(getattr(plan.status, "value", plan.status)))
    tgt = plan.targets.assign(city_total=[info[k][0] for k in plan.targets["kind"]],
                              scale=[info[k][1] for k in plan.targets["kind"]],
                              basis=[info[k][2] for k in plan.targets["kind"]])
    if len(kiosks) and kiosk_share > 0:
        out = plan.sites
        k = out[(out["kind"] == "kiosk") & out["opened"].to_numpy(dtype=bool)]
        need = np.ceil(kiosk_share * k["site_posts"].to_numpy(dtype=float) - 1e-9)
        tgt = pd.concat([tgt, pd.DataFrame({
            "kind": ["kiosk_reserve"], "target": [float(need.sum())], "achieved": [int(k["filled"].sum())],
            "shortfall": [0.0], "city_total": [np.nan], "scale": [np.nan],
            "basis": [_("PLAN §二(二): >= {share} of the posts at each of {points} opened kiosk point(s) reserved "
                        "for disabled persons (a hard rule)").format(share=f"{kiosk_share:.0%}", points=len(k))]})],
            ignore_index=True)
    return replace(plan, targets=tgt)
