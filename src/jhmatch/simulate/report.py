"""The simulation's report: planner tables in the current language, figures, and an HTML page of its own.

Examples
--------
>>> from jhmatch.simulate import demo_result
>>> from jhmatch.i18n import language
>>> with language("zh"):
...     lines = headline(demo_result())
>>> lines[0].startswith("新增残疾人就业")
True
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.i18n import N_, format_number, format_percent, language
from jhmatch.i18n import gettext as _
from jhmatch.policy.labels import basis_label, format_goal, format_value, target_label
from jhmatch.simulate.labels import column_label, flow_label, format_rate, rate_label
from jhmatch.simulate.result import SIM_TARGETS, SimulationResult
from jhmatch.taxonomy import region

__all__ = ["data_status", "employment_line", "flows_table", "headline", "scenario_table", "sensitivity_table",
           "simulation_sections", "start_lines", "targets_table", "title_tag", "unknown_county_line",
           "write_simulation_report"]

_RATES = ("employment_rate", "graduate_rate")


def _scope(code: str) -> str:
    if code == "city":
        return _("city-wide")
    if code == "unknown":
        return _("no county given")
    return region(code).zh if _is_zh() else region(code).en


def unknown_county_line(result: SimulationResult) -> str | None:
    """What became of persons without a county (simulated in a "county unknown" group), or None.

    Examples
    --------
    >>> from jhmatch.simulate import demo_result
    >>> unknown_county_line(demo_result()) is None
    True
    """
    if not result.has_unknown_county:
        return None
    from jhmatch.simulate.result import UNKNOWN

    f = result.flows(city_wide=False)
    n = round(float(f.loc[(f["scope"] == UNKNOWN), "start"].iloc[0])) if (f["scope"] == UNKNOWN).any() else 0
    return _("{n} persons of the table have no county: they are simulated in a group \"county unknown\" and counted in "
             "the city's figures; no county goal applies to them.").format(n=format_number(n))


def _is_zh() -> bool:
    from jhmatch.i18n import get_language

    return get_language() == "zh"


def _value(value: float, rate: bool) -> str:
    """A rate as a percentage, a count (a city-wide equivalent) as a whole number."""
    return format_value(value if rate or value != value else round(float(value)), rate)


def _interval(row: Any, rate: bool) -> str:
    return f"{_value(row['low'], rate)} – {_value(row['high'], rate)}"


def data_status(scenario: Any, demo: bool) -> str:
    """The first sentence of every output: what data and which rates the figures rest on.

    Examples
    --------
    >>> from jhmatch.simulate import SimulationScenario
    >>> data_status(SimulationScenario(), demo=True).startswith("SIMULATION ON SYNTHETIC DEMO DATA")
    True
    """
    n = len(scenario.parameters())
    k = sum(p.status == "PARAM" for p in scenario.parameters())
    if demo:
        return _("SIMULATION ON SYNTHETIC DEMO DATA (not Jinhua's register) with {k} of {n} rates assumed (PARAM, "
                 "not confirmed for Jinhua): the figures show how the model behaves, they are not a forecast for "
                 "Jinhua.").format(k=k, n=n)
    if k:
        return _("Simulation of the tables given, with {k} of {n} rates assumed (PARAM, not confirmed for Jinhua): "
                 "set them in a scenario file (--scenario) before reading the figures as a forecast.").format(k=k, n=n)
    return _("Simulation of the tables given, with every rate set by the scenario file.")


def start_lines(check: Any) -> list[str]:
    """Warnings about the starting tables, for the first lines: a seekers' register read as all holders, or adapted.

    Examples
    --------
    >>> from jhmatch.simulate import demo_result
    >>> start_lines(demo_result().start)[0]  # doctest: +ELLIPSIS
    '... persons of the table were already past their retirement age at the start: ...'
    """
    if check is None:
        return []
    out = []
    if check.seekers_register:
        out.append(_("WARNING: the tables look like a register of job seekers, not of all certificate holders: "
                     "{share} of the working-age persons have a job (a start near 50% is expected) and the posts "
                     "hold {years} years of the city's yearly openings, all open on 1 January. Read as all holders, "
                     "the new jobs and the employment rate come out far too high. Give the register of all "
                     "certificate holders, employed or not; or set start_employed_share (e.g. 0.5) and "
                     "start_open_years (e.g. 1) in the scenario file (--scenario), as the demo does; check "
                     "city_holders.").format(share=format_percent(check.employed_share),
                                             years=format_number(check.open_years, 1)))
    if check.adapted:
        out.append(_("Starting tables adapted by the scenario (PARAM): working-age persons with a job at the start "
                     "{share}; places open at the start {years} year(s) of the city's yearly openings.").format(
            share=format_percent(check.employed_share), years=format_number(check.open_years, 1)))
    if check.past_working_age:
        out.append(_("{n} persons of the table were already past their retirement age at the start: they are not "
                     "of working age at the start and are left out of the simulation (not counted as retiring in "
                     "the first year).").format(n=format_number(check.past_working_age)))
    return out


def title_tag(scenario: Any, demo: bool) -> str:
    """A short tag for the page title: demo data and assumed rates, assumed rates, or nothing."""
    if demo:
        return _("synthetic demo data, assumed rates")
    return _("assumed rates") if any(p.status == "PARAM" for p in scenario.parameters()) else ""


def employment_line(result: SimulationResult) -> str:
    """The employment account, city-wide: employed at the start and end and the flows between (mean of the replications).

    Examples
    --------
    >>> from jhmatch.simulate import demo_result
    >>> employment_line(demo_result()).startswith("certificate holders with a job (city-wide equivalents)")
    True
    """
    f = result.flows()
    f = f[f["scope"] == "city"]
    first, last = f.iloc[0], f.iloc[-1]
    total = f[["placed", "lost", "emp_in", "emp_out", "placed_again"]].sum()

    def n(v: float) -> str:
        return format_number(round(float(v)))

    return _("certificate holders with a job (city-wide equivalents): {start} at the start of {y0}, {end} at the end "
             "of {y1} = {start} + {placed} new jobs (of which {again} persons placed again after a job found in "
             "the simulation ended) − {lost} jobs ended − {out} leaving with a job (death, move, retirement) + "
             "{entered} entrants with a job").format(
        start=n(first["emp_start"]), y0=result.years[0], end=n(last["emp_end"]), y1=result.years[-1],
        placed=n(total["placed"]), again=n(total["placed_again"]), lost=n(total["lost"]), out=n(total["emp_out"]),
        entered=n(total["emp_in"]))


def headline(result: SimulationResult) -> list[str]:
    """One sentence per target: the city's value at the horizon, its interval, the goal and the probability.

    Examples
    --------
    >>> from jhmatch.simulate import demo_result
    >>> headline(demo_result())[2].startswith("employment rate of working-age certificate holders")
    True
    """
    h = result.horizon()
    city = h[h["scope"] == "city"].set_index("target")
    out = []
    for t in SIM_TARGETS:
        row, rate = city.loc[t], t in _RATES
        out.append(_("{target}: by end-{year} {mean} on average (5–95%: {interval}), goal {goal}; probability of "
                     "meeting it by {year}: {p}").format(
            target=target_label(t), year=result.years[-1], mean=_value(row["mean"], rate),
            interval=_interval(row, rate), goal=format_goal(round(row["goal"]) if not rate else row["goal"], rate,
                                                            row["basis"]),
            p=format_percent(row["p_meet"]) if row["p_meet"] == row["p_meet"] else "—"))
    out.append(employment_line(result))
    unknown = unknown_county_line(result)
    return [*out, unknown] if unknown else out


def targets_table(result: SimulationResult, *, year: int | None = None, scopes: str = "all") -> pd.DataFrame:
    """Targets per year and scope for planners: names, values as they read them, headers in the current language.

    ``year``: only that year; ``scopes``: ``"all"``, ``"city"`` or ``"counties"``.
    """
    t = result.targets()
    if year is not None:
        t = t[t["year"] == year]
    if scopes == "city":
        t = t[t["scope"] == "city"]
    elif scopes == "counties":
        t = t[t["scope"] != "city"]
    rows = []
    for _i, r in t.iterrows():
        rate = r["target"] in _RATES
        goal = r["goal"] if rate or r["goal"] != r["goal"] else round(r["goal"])
        basis = r["basis"] if r["county_basis"] in ("plan", "supplied", "plan (every county)") else r["county_basis"]
        rows.append({"target": target_label(r["target"]), "scope": _scope(r["scope"]), "year": str(int(r["year"])),
                     "mean": _value(r["mean"], rate), "low": _value(r["low"], rate),
                     "high": _value(r["high"], rate), "goal": format_goal(goal, rate, basis),
                     "basis": basis_label(basis),
                     "p_meet": format_percent(r["p_meet"]) if r["p_meet"] == r["p_meet"] else "—"})
    return pd.DataFrame(rows).rename(columns=column_label)


def flows_table(result: SimulationResult, scope: str = "city") -> pd.DataFrame:
    """Mean persons in and out per year (the conservation account), headers in the current language."""
    f = result.flows()
    f = f[f["scope"] == scope].drop(columns="scope")
    shown = f.rename(columns=lambda c: column_label(c) if c == "year" else flow_label(c))
    shown[column_label("year")] = [str(int(y)) for y in f["year"]]
    for c in shown.columns[1:]:
        shown[c] = [format_number(round(float(v))) for v in shown[c]]
    return shown.reset_index(drop=True)


def sensitivity_table(table: pd.DataFrame, top: int | None = None) -> pd.DataFrame:
    """The sensitivity table for planners (largest effect first)."""
    rows = []
    for _i, r in (table.head(top) if top else table).iterrows():
        rate = r["target"] in _RATES
        shown = _rate_value(r["rate"])
        rows.append({"parameter": rate_label(r["rate"]), "target": target_label(r["target"]),
                     "low_value": shown(r["low_value"]), "base_value": shown(r["value"]),
                     "high_value": shown(r["high_value"]),
                     "p_low": format_percent(r["p_low"]), "p_base": format_percent(r["p_base"]),
                     "p_high": format_percent(r["p_high"]),
                     "effect": format_percent(r["effect"]), "end_low": _value(r["end_low"], rate),
                     "end_high": _value(r["end_high"], rate)})
    return pd.DataFrame(rows).rename(columns=column_label)


def _rate_value(name: str) -> Any:
    """How a rate's value is shown in the sensitivity table (a rate by group: its mean over the groups)."""
    from jhmatch.simulate.scenario import RATES

    if name in RATES and RATES[name].kind in ("rate", "group_rates"):
        return format_percent
    return lambda v: format_number(float(v))


_STATUS_NAMES = {
    "PLAN": N_("PLAN (stated in the action plan)"),
    "CONFIRMED": N_("CONFIRMED (national or provincial rule)"),
    "PARAM": N_("PARAM (assumed, not confirmed for Jinhua)"),
    "OVERRIDE": N_("OVERRIDE (set by the user)"),
}


def scenario_table(result: SimulationResult) -> pd.DataFrame:
    """Every rate with its value, status and source, in the current language.

    Examples
    --------
    >>> from jhmatch.simulate import demo_result
    >>> with language("zh"):
    ...     table = scenario_table(demo_result())
    >>> table.iloc[1].tolist()[2:]  # doctest: +ELLIPSIS
    ['PARAM（假设值，尚未经金华确认）', '第二次全国残疾人抽样调查（2006年）的残疾类别构成...']
    """
    rows = [{column_label("parameter"): rate_label(p.name), column_label("value"): format_rate(p.name, p.value),
             column_label("status"): _(_STATUS_NAMES[p.status]) if p.status in _STATUS_NAMES else p.status,
             _("source"): p.source_text()} for p in result.scenario.parameters()]
    return pd.DataFrame(rows)


def _figure(result: SimulationResult) -> bytes:
    """One panel per target: the city's mean per year, the 5–95 % band and the yearly goal."""
    from jhmatch.report import figures

    t = result.targets()
    t = t[t["scope"] == "city"]
    with figures.figure_style():
        fig, axes = figures.pyplot().subplots(2, 2, figsize=(9, 6.2))
        for ax, name in zip(np.ravel(axes), SIM_TARGETS):
            d = t[t["target"] == name]
            scale = 100.0 if name in _RATES else 1.0
            ax.fill_between(d["year"], d["low"] * scale, d["high"] * scale, alpha=0.25, color="#3b7dd8",
                            label=_("5–95% of replications"))
            ax.plot(d["year"], d["mean"] * scale, marker="o", color="#1f4e99", label=_("mean"))
            ax.plot(d["year"], d["goal"] * scale, linestyle="--", color="#c0392b", label=_("goal"))
            ax.set_title(target_label(name), fontsize=9)
            ax.set_xticks(list(result.years))
            if name in _RATES:
                ax.set_ylabel("%")
        np.ravel(axes)[0].legend(fontsize=8)
        fig.tight_layout()
        return figures.to_png(fig)


def simulation_sections(result: SimulationResult, sensitivity: Any = None, lang: str | None = None) -> list[Any]:
    """The report's sections (:class:`jhmatch.report.sections.ReportSection`), in ``lang``."""
    from jhmatch.report import figures
    from jhmatch.report.sections import ReportSection

    with language(lang) as lang:
        fig_lang = figures.figure_language(lang)
        with language(fig_lang):
            png = _figure(result)
        end = result.years[-1]
        sections = [ReportSection(
            "targets", _("Will the city get there by {year}?").format(year=end), lead=" ".join(headline(result)),
            table=targets_table(result, scopes="city"), figure=png,
            status=_("Counts are city-wide equivalents: the table's counts divided by its share {share} of the "
                     "city's working-age certificate holders; the employment rate is a share and is not "
                     "scaled.").format(share=format_percent(result.scale, 2)))]
        sections.append(ReportSection(
            "counties", _("Counties by end-{year}").format(year=end),
            lead=" ".join(x for x in (_("County goals of the counts split the city's target by resident population "
                                        "(an assumption: the plan sets city-wide targets)."),
                                      unknown_county_line(result)) if x),
            table=targets_table(result, year=end, scopes="counties")))
        if sensitivity is not None:
            sections.append(ReportSection(
                "sensitivity", _("What changes the outcome most"),
                lead=_("Each parameter set to {low} and {high} times its value, one at a time, with the same "
                       "random draws as the base run (common random numbers; {n} replications per run, fewer than "
                       "the main run); largest change in the probability first.").format(
                    low=format_number(sensitivity.factors[0], 1), high=format_number(sensitivity.factors[1], 1),
                    n=sensitivity.replications),
                table=sensitivity_table(sensitivity.table, top=20)))
        sections.append(ReportSection("flows", _("Persons in and out and the employment account each year (city-wide equivalents, mean of "
                                        "the replications)"),
                                      table=flows_table(result)))
        sections.append(ReportSection("scenario", _("The scenario's rates and their sources"),
                                      table=scenario_table(result)))
        return sections


def write_simulation_report(out_dir: str | Path, result: SimulationResult, sensitivity: Any = None,
                            lang: str | None = None, extra: Sequence[Any] = (), *, demo: bool = False) -> Path:
    """Write the simulation's HTML page (``index.html`` in ``out_dir``).

    The title and the first sentence say what the figures rest on (:func:`data_status`): synthetic
    demo data (``demo=True``) and assumed rates, before any figure; the assumed values follow.
    """
    from jhmatch.report import write_sections_report
    from jhmatch.simulate.demo import demo_notes

    with language(lang) as lang:
        sections = [*simulation_sections(result, sensitivity, lang), *extra]
        status = " ".join([data_status(result.scenario, demo), *start_lines(result.start)]) + " " + _(
            "Monte Carlo simulation {start}–{end}: {n} replications, seed {seed}.").format(
            start=result.years[0], end=result.years[-1], n=result.replications, seed=result.seed)
        if result.pool_shortfall:
            status += " " + _("The pools of future entrants and posts ran short by {n}: the counts are a little "
                              "low.").format(n=result.pool_shortfall)
        title, tag = _("Will we get there? Simulation of the plan's years"), title_tag(result.scenario, demo)
        assumed = [*result.scenario.assumed(), *(demo_notes(result.scenario) if demo else [])]
        title = _("{title} ({tag})").format(title=title, tag=tag) if tag else title
        return write_sections_report(out_dir, sections, title=title,
                                     status=status, lang=lang,
                                     warn=bool(result.pool_shortfall or tag or getattr(result.start, "seekers_register",
                                                                                        False)),
                                     assumptions=assumed)
