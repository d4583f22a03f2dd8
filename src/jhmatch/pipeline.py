"""The main job end to end: score, allocate under the plan's rules, measure progress, write results."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.data import ensure_valid
from jhmatch.i18n import format_number, format_percent, get_language, language
from jhmatch.i18n import gettext as _
from jhmatch.limits import DEFAULT_TIME_LIMIT, check_size, estimate_allocation_bytes
from jhmatch.matching import CompatibilityScorer, ScoreMatrix
from jhmatch.optimize import Allocation, AllocationProblem, solve
from jhmatch.policy import PlanProgress, progress
from jhmatch.rules import Rules, plan_rules
from jhmatch.taxonomy import REGIONS

__all__ = ["CITY_WORKING_AGE_HOLDERS", "KIOSK_SHARE", "RESERVED_TARGETS", "PlanRun", "StepListener", "chain_flows",
           "county_summary", "cross_county_chain", "plan_posts", "run_plan"]

StepListener = Callable[[str, str, dict[str, Any]], None]
"""Called as ``on_step(step, phase, info)`` by :func:`run_plan` and :func:`plan_posts`: ``phase`` is
``"start"`` or ``"done"``, ``step`` one of ``score``, ``allocate``, ``targets``, ``plan_posts``; ``info``
holds counts (``seekers``, ``posts``, ``pairs``, ``placed``, ``time_limit``, ``met``, ``total``, ``sites``)."""


def _step(on_step: StepListener | None, step: str, phase: str, **info: Any) -> None:
    if on_step is not None:
        on_step(step, phase, info)


def county_summary(persons: pd.DataFrame, allocation: Allocation, lang: str | None = None) -> pd.DataFrame:
    """Persons, seekers, placements and placement rate per county (every county listed).

    Seekers are persons who want work and are not employed; the rate is
    placements over seekers. County names are in ``lang`` (default: the current language).
    Persons without a county (or with one outside Jinhua) are counted in a last row,
    "county not given", so that the rows add up to the whole table.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> persons = pd.DataFrame({"person_id": ["a", "b", "c"], "county": ["330782"] * 3, "willing": [True, True, False]})
    >>> a = SimpleNamespace(assignments=pd.DataFrame({"person_id": ["a"], "post_id": ["x"]}))
    >>> row = county_summary(persons, a).set_index("code").loc["330782"]
    >>> int(row["seekers"]), int(row["placed"]), float(row["rate"])
    (2, 1, 0.5)
    """
    placed = persons["person_id"].isin(allocation.assignments["person_id"]).to_numpy()
    seeking = placed | True
    if "willing" in persons:
        seeking &= persons["willing"].to_numpy(dtype=bool)
    if "employed" in persons:
        seeking &= ~persons["employed"].to_numpy(dtype=bool)
    frame = pd.DataFrame({"code": persons["county"].astype("object").to_numpy(), "persons": 1,
                          "seekers": seeking.astype(int), "placed": placed.astype(int)})
    codes = [r.code for r in REGIONS]
    frame.loc[~frame["code"].isin(codes), "code"] = ""  # no county, or one outside Jinhua: a row of its own
    counts = frame.groupby("code")[["persons", "seekers", "placed"]].sum()
    with language(lang):
        zh = get_language() == "zh"
        names = [r.zh if zh else r.en for r in REGIONS]
        if "" in counts.index:
            codes, names = [*codes, ""], [*names, _("county not given")]
    table = pd.DataFrame({"code": codes, "county": names})
    table = table.join(counts, on="code").fillna(0)
    for col in ("persons", "seekers", "placed"):
        table[col] = table[col].astype("int64")
    table["rate"] = (table["placed"] / table["seekers"].where(table["seekers"] > 0)).fillna(0.0).round(4)
    return table


@dataclass(frozen=True, eq=False)
class PlanRun:
    """Everything one run of the main job produced.

    Attributes
    ----------
    persons, posts : DataFrame
        The validated input tables.
    scores : ScoreMatrix
        Candidate pairs and their compatibility.
    rules : Rules
        The rules allocated under.
    allocation : Allocation
        Who goes where, with status, bound and gap.
    progress : PlanProgress
        The plan's targets after this allocation.
    timings : dict
        Seconds spent per stage (``score``, ``allocate``, ``progress``).
    """

    persons: pd.DataFrame
    posts: pd.DataFrame
    scores: ScoreMatrix
    rules: Rules
    allocation: Allocation
    progress: PlanProgress
    timings: dict[str, float] = field(default_factory=dict)

    def county_summary(self, lang: str | None = None) -> pd.DataFrame:
        """Placements per county (see :func:`county_summary`)."""
        return county_summary(self.persons, self.allocation, lang)

    def summary_text(self, lang: str | None = None) -> str:
        """A short plain-text summary: method and placements, the per-county table, targets not met."""
        from jhmatch._output_labels import target_label
        from jhmatch.outputs import display_table
        from jhmatch.report.status import _METHODS

        with language(lang):
            a = self.allocation
            table = self.county_summary()
            seekers = int(table["seekers"].sum())
            method = _(_METHODS[a.backend]) if a.backend in _METHODS else str(a.backend)
            head = _("method: {method}; placed {placed} of {seekers} seekers").format(
                method=method, placed=format_number(a.n_placed), seekers=format_number(seekers))
            if a.gap is not None and a.gap == a.gap and a.gap > 1e-9:
                head += _("; gap {gap}").format(gap=format_percent(a.gap))
            shown = display_table(table.assign(rate=table["rate"].map(format_percent)))
            with pd.option_context("display.unicode.east_asian_width", True):
                lines = [head, "", shown.to_string(index=False)]
            unmet = self.progress.unmet()
            if len(unmet):
                names = sorted(unmet.loc[unmet["scope"] == "city", "target"])
                lines += ["", _("targets not met: {targets}").format(
                    targets=_(", ").join(str(target_label(n)) for n in names))]
            return "\n".join(lines)

    def write(self, folder: str | Path, *, lang: str | None = None, report: bool = True,
              chain: pd.DataFrame | None = None, format: str = "csv",
              employers: pd.DataFrame | None = None) -> dict[str, Path]:
        """Write the run's folder as a whole: the allocation, unplaced seekers, counties, targets and
        rules as tables (``format="csv"``: one file each; ``"xlsx"``: one workbook ``results.xlsx``),
        ``summary.md`` and ``report/index.html``.

        Tables carry names, masked ID numbers, titles, employers (named from ``employers``
        when given), county and kind names, with headers in ``lang`` (default: the current
        language); see :mod:`jhmatch.outputs`. The files appear together, only when all
        are written (:class:`~jhmatch.outputs.OutputFolder`). ``chain`` are cross-county
        chain flows (:func:`chain_flows`) to draw in the report.
        """
        from jhmatch.outputs import OutputFolder

        with language(lang), OutputFolder(folder, format=format, run="allocate") as out:
            self.write_into(out, report=report, chain=chain, employers=employers)
        return out.paths

    def write_into(self, out: Any, *, report: bool = True, chain: pd.DataFrame | None = None,
                   employers: pd.DataFrame | None = None) -> None:
        """Add the run's tables, summary and report to an open :class:`~jhmatch.outputs.OutputFolder`."""
        from jhmatch.outputs import allocation_table, constraints_table, display_table, targets_table, unplaced_table
        from jhmatch.report.status import status_line

        a = self.allocation
        out.table("allocation", allocation_table(a.assignments, self.persons, self.posts, employers))
        out.table("unplaced", unplaced_table(a.unplaced, self.persons))
        out.table("counties", display_table(self.county_summary()))
        out.table("targets", targets_table(self.progress.table))
        out.table("constraints", constraints_table(a.constraints))
        title, details = _("jhmatch allocation"), _("Solver details: {message}").format(message=a.message)
        out.text("summary", "summary.md",
                 f"# {title}\n\n{status_line(a)}\n\n```\n{self.summary_text()}\n```\n\n{details}\n")
        if report:
            from jhmatch.policy import PolicyParameters, assumed_parameters
            from jhmatch.report import write_report

            targets = self.progress.city().rename(columns={"target_value": "goal"})
            # the working-age test behind the employment rate rests on these parameters
            params = PolicyParameters.for_year(min(max(self.progress.year, 2022), 2027))
            assumed = assumed_parameters(params.used("working_age_min", "retirement_age_male",
                                                     "retirement_age_female"))
            write_report(out.path("report"), a, self.persons, self.posts, chain=chain, lang=get_language(),
                         targets=targets[["target", "value", "goal", "status"]], assumptions=assumed)
            out.add("report", "report")


def _by_id(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    out = frame.sort_values(key, kind="stable", ignore_index=True)
    out.attrs = dict(frame.attrs)
    return out


def run_plan(
    persons: pd.DataFrame,
    posts: pd.DataFrame,
    *,
    rules: Rules | None = None,
    scorer: CompatibilityScorer | None = None,
    method: str = "auto",
    time_limit: float | None = None,
    gap: float | None = None,
    year: int = 2025,
    client: Any = None,
    on_step: StepListener | None = None,
) -> PlanRun:
    """Score every plausible pair, allocate under the rules, and measure the plan's progress.

    Rows are first sorted by id, so the result does not depend on the input's row
    order. Only *seekers* are allocated: persons who want work and are not employed
    (``willing`` and not ``employed``); everyone counts in the progress figures
    (the employment rate is over all working-age certificate holders).

    Parameters
    ----------
    persons, posts : DataFrame
        Raw or validated tables.
    rules : Rules, optional
        Default :func:`~jhmatch.rules.plan_rules` (the plan's rules, soft).
    scorer : CompatibilityScorer, optional
        Default ``CompatibilityScorer(as_of=f"{year}-12-31")``.
    method, time_limit, gap
        Passed to :func:`jhmatch.optimize.solve`.
    year : int
        Year of the progress assessment.
    client : distributed.Client, optional
        Score county by county on a Dask cluster (extra ``dask``); with
        ``method="decompose"`` also allocate by regions there.
    on_step : callable, optional
        Told when each step starts and ends, with counts (:data:`StepListener`), e.g. to
        show progress.

    Returns
    -------
    PlanRun

    Examples
    --------
    >>> from jhmatch.datasets import make_jinhua
    >>> city = make_jinhua(n_persons=300, seed=0)
    >>> run = run_plan(city.persons, city.posts)
    >>> run.allocation.status.value, run.allocation.n_placed > 0
    ('optimal', True)
    """
    persons = ensure_valid(persons, "persons")
    posts = ensure_valid(posts, "posts")
    # Canonical order: the same tables in any row order give byte-identical results.
    persons = _by_id(persons, "person_id")
    posts = _by_id(posts, "post_id")
    rules = rules or plan_rules()
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    seekers = persons[persons["willing"].to_numpy(dtype=bool) & ~persons["employed"].to_numpy(dtype=bool)]
    _step(on_step, "score", "start", seekers=len(seekers), posts=len(posts))
    # Ages are taken on 31 December of the assessed year: a fixed date, so runs are reproducible.
    scorer = scorer or CompatibilityScorer(as_of=f"{year}-12-31")
    scores = scorer.score(seekers, posts, client=client)
    timings["score"] = time.perf_counter() - t0
    _step(on_step, "score", "done", seekers=len(seekers), posts=len(posts), pairs=int(scores.nnz))
    t0 = time.perf_counter()
    _step(on_step, "allocate", "start", seekers=len(seekers), pairs=int(scores.nnz), time_limit=time_limit)
    check_size(estimate_allocation_bytes(scores.shape[0], scores.shape[1], scores.nnz),
               _("allocating {seekers} seekers over {pairs} candidate pairs").format(
                   seekers=format_number(scores.shape[0]), pairs=format_number(scores.nnz)),
               _("Keep fewer candidates per person (CompatibilityScorer(top_k=...)), allocate county by county, "
                 "or use the dask extra (jhmatch.distributed)."))
    problem = AllocationProblem.from_frames(scores, persons, posts, constraints=rules.constraints,
                                            priority=rules.priority)
    allocation = solve(problem, method=method, time_limit=time_limit, gap=gap,
                       **({"client": client} if method == "decompose" else {}))
    timings["allocate"] = time.perf_counter() - t0
    _step(on_step, "allocate", "done", seekers=len(seekers), placed=int(allocation.n_placed),
          status=str(getattr(allocation.status, "value", allocation.status)))
    t0 = time.perf_counter()
    _step(on_step, "targets", "start")  # the plan's targets after this allocation
    plan = progress(persons, posts, allocation if allocation.ok or allocation.n_placed else None, year)
    timings["progress"] = time.perf_counter() - t0
    city = plan.city()
    _step(on_step, "targets", "done", met=int((city["status"] == "met").sum()),
          total=int(city["status"].isin(["met", "not met"]).sum()))
    return PlanRun(persons, posts, scores, rules, allocation, plan, timings)


RESERVED_TARGETS: dict[str, int] = {"tobacco_outlet": 300}
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
    as_of_year: int = 2025,
    on_step: StepListener | None = None,
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
    as_of_year : int
        Ages are taken on 31 December of this year when ``scores`` are computed here.
    on_step : callable, optional
        Told when scoring (if done here) and planning start and end (:data:`StepListener`).

    Returns
    -------
    PlanResult
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
    from dataclasses import replace

    from jhmatch.errors import ParameterError
    from jhmatch.optimize.planning import SpacingRule, plan_reserved_posts
    from jhmatch.taxonomy import post_kinds

    if not (np.isfinite(target_scale) and target_scale >= 0):
        raise ParameterError(_("target_scale: got {value}, expected a number >= 0").format(value=target_scale))
    if not 0 <= kiosk_share <= 1:
        raise ParameterError(_("kiosk_share: got {value}, expected a share in [0, 1]").format(value=kiosk_share))
    if spacing not in ("reduced", "exempt", "none"):
        raise ParameterError(_("spacing {value}: expected reduced, exempt or none").format(value=spacing))
    reserved = {k.code for k in post_kinds() if k.reserved}
    site_posts = posts[posts["kind"].isin(reserved) & (posts["capacity"] > 0)]
    seekers = persons[persons["willing"].to_numpy(dtype=bool) & ~persons["employed"].to_numpy(dtype=bool)]
    if scores is None:
        _step(on_step, "score", "start", seekers=len(seekers), posts=len(posts))
        scores = CompatibilityScorer(as_of=f"{as_of_year}-12-31").score(seekers, posts)
        _step(on_step, "score", "done", seekers=len(seekers), posts=len(posts), pairs=int(scores.nnz))
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
    _step(on_step, "plan_posts", "start", sites=len(sites), time_limit=time_limit)
    plan = plan_reserved_posts(who, suit, sites, targets=want, spacing=rule, kiosk_share=kiosk_share,
                               soft_targets=20.0, time_limit=time_limit, gap=gap)
    if note:
        plan = replace(plan, message=f"{plan.message}; {note}" if plan.message else note)
    _step(on_step, "plan_posts", "done", sites=int(plan.sites["opened"].sum()) if len(plan.sites) else 0,
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


def cross_county_chain(run: PlanRun, employers: pd.DataFrame, intermediaries: pd.DataFrame | None = None,
                       bases: pd.DataFrame | None = None, params: Any = None):
    """Place the run's unplaced seekers through employer → intermediary → base (异地按比例就业).

    Employers that owe the employment security fund take on persons the allocation could
    not place, through labour-dispatch intermediaries and employment bases of the persons'
    counties (:func:`jhmatch.policy.chain.quota_chain`). The shortfall and the money are
    those of :func:`jhmatch.policy.fund_due` (severe ×2, the ≤ 30-staff exemption, the
    50 % / 90 % tiers, the wage cap) for the run's year, or of ``params``; a placed person
    of grade 1–2 counts ×2. Without ``intermediaries``/``bases`` the synthetic network of
    :func:`jhmatch.datasets.make_chain_network` is used (an assumption, for demos).

    Examples
    --------
    >>> from jhmatch.datasets import make_jinhua
    >>> city = make_jinhua(n_persons=600, n_posts=60, seed=0)
    >>> chain = cross_county_chain(run_plan(city.persons, city.posts), city.employers)
    >>> bool(abs(chain.fund_saved - (chain.fund_before - chain.fund_after)) < 1e-6)
    True
    """
    from jhmatch.datasets import make_chain_network
    from jhmatch.policy import PolicyParameters
    from jhmatch.policy.chain import quota_chain

    if intermediaries is None or bases is None:
        mids, base_table = make_chain_network(run.persons)
        intermediaries = mids if intermediaries is None else intermediaries
        bases = base_table if bases is None else bases
    params = params if params is not None else PolicyParameters.for_year(run.progress.year)
    unplaced = run.persons[run.persons["person_id"].isin(run.allocation.unplaced["person_id"])]
    who = unplaced[["person_id", "county"]].astype(object)
    who["severe"] = (unplaced["grade"].to_numpy(dtype="float64", na_value=np.nan) <= params.severe_max_grade
                     if "grade" in unplaced else False)
    return quota_chain(employers, intermediaries, bases, who.dropna(subset=["person_id", "county"]), params)


def chain_flows(chain, employers: pd.DataFrame) -> pd.DataFrame:
    """Aggregate chain placements into flows for a diagram: employers' county → intermediary → base.

    Returns ``stage, source, target, flow`` (stage 0: county of the employers to
    intermediary; stage 1: intermediary to the base's county); node names are in the
    current language.
    """
    if len(chain.placements) == 0:
        return pd.DataFrame({"stage": [], "source": [], "target": [], "flow": []})
    from jhmatch._output_labels import county_name

    p = chain.placements.merge(employers[["employer_id", "county"]].astype(object), on="employer_id", how="left")
    emp = p["county"].map(lambda c: _("employers in {county}").format(county=county_name(c) if c == c else "?"))
    base_county = p["base_id"].astype(str).str[1:]
    base = pd.Series([_("employment base in {county}").format(county=county_name(c)) if county_name(c) != c else b
                      for c, b in zip(base_county, p["base_id"].astype(str))], index=p.index)
    first = pd.DataFrame({"source": emp, "target": p["intermediary_id"].astype(str)})
    second = pd.DataFrame({"source": p["intermediary_id"].astype(str), "target": base})
    out = []
    for stage, part in enumerate((first, second)):
        agg = part.groupby(["source", "target"], sort=True).size().rename("flow").reset_index()
        agg.insert(0, "stage", stage)
        out.append(agg)
    return pd.concat(out, ignore_index=True)
