"""The main job end to end: score, allocate under the plan's rules, measure progress, write results."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.data import ensure_valid
from jhmatch.i18n import format_number, format_percent, get_language, language
from jhmatch.i18n import gettext as _
from jhmatch.limits import check_size, estimate_allocation_bytes
from jhmatch.matching import CompatibilityScorer, ScoreMatrix
from jhmatch.optimize import Allocation, AllocationProblem, solve
from jhmatch.policy import PlanProgress, progress
from jhmatch.reserved import CITY_WORKING_AGE_HOLDERS, KIOSK_SHARE, RESERVED_TARGETS, plan_posts
from jhmatch.rules import Rules, plan_rules
from jhmatch.steps import StepListener, notify
from jhmatch.taxonomy import REGIONS

__all__ = ["CITY_WORKING_AGE_HOLDERS", "KIOSK_SHARE", "RESERVED_TARGETS", "PlanRun", "StepListener", "chain_flows",
           "county_summary", "cross_county_chain", "plan_posts", "run_plan"]


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
        from jhmatch.report.status import METHOD_NAMES

        with language(lang):
            a = self.allocation
            table = self.county_summary()
            seekers = int(table["seekers"].sum())
            method = _(METHOD_NAMES[a.backend]) if a.backend in METHOD_NAMES else str(a.backend)
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
    notify(on_step, "score", "start", seekers=len(seekers), posts=len(posts))
    # Ages are taken on 31 December of the assessed year: a fixed date, so runs are reproducible.
    scorer = scorer or CompatibilityScorer(as_of=f"{year}-12-31")
    scores = scorer.score(seekers, posts, client=client)
    timings["score"] = time.perf_counter() - t0
    notify(on_step, "score", "done", seekers=len(seekers), posts=len(posts), pairs=int(scores.nnz))
    t0 = time.perf_counter()
    notify(on_step, "allocate", "start", seekers=len(seekers), pairs=int(scores.nnz), time_limit=time_limit)
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
    notify(on_step, "allocate", "done", seekers=len(seekers), placed=int(allocation.n_placed),
          status=str(getattr(allocation.status, "value", allocation.status)))
    t0 = time.perf_counter()
    notify(on_step, "targets", "start")  # the plan's targets after this allocation
    plan = progress(persons, posts, allocation if allocation.ok or allocation.n_placed else None, year)
    timings["progress"] = time.perf_counter() - t0
    city = plan.city()
    notify(on_step, "targets", "done", met=int((city["status"] == "met").sum()),
          total=int(city["status"].isin(["met", "not met"]).sum()))
    return PlanRun(persons, posts, scores, rules, allocation, plan, timings)


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
