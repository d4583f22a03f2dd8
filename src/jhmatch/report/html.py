"""A self-contained HTML report of an allocation, read top-down by a planner.

The page opens with the plan's status sentence
(:func:`jhmatch.report.status.status_line`) and the headline (placed of seekers,
targets met), then the headline tables (placements per county, plan targets),
then placements by disability category, post fill by kind, the cross-county
chain and the persons not placed; the solver's details (status, method,
objective, bound, gap, its own message) come last, in a collapsed section.
Figures are embedded as PNG images, so the file can be mailed or opened offline.
All text is in the report's language (:mod:`jhmatch.i18n`); figures are drawn
in Chinese when the machine has a Chinese font, otherwise in English and the
page says so.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from markupsafe import Markup

from jhmatch.data.ids import scrub
from jhmatch.i18n import format_number, format_percent, get_language, language
from jhmatch.i18n import gettext as _
from jhmatch.report import figures, labels
from jhmatch.report.sections import ReportSection
from jhmatch.report.status import exit_code, status_line
from jhmatch.report.tables import html_table, img, page_template, write_atomic
from jhmatch.taxonomy import REGIONS, DisabilityCategory, post_kinds

__all__ = ["placement_table", "write_report"]

_COUNTED = ("met", "not met", "short")
_NUMERIC = re.compile(r"[-+]?[\d,.]+%?|—")


def _flag(column: pd.Series, default: bool) -> np.ndarray:
    return column.astype("object").where(column.notna(), default).to_numpy(dtype=bool)


def placement_table(persons: pd.DataFrame, placed_ids: pd.Series, by: str) -> pd.DataFrame:
    """Seekers, placements and placement rate per value of ``by`` (``county`` or ``category``).

    Seekers are persons who want work and are not employed (``willing`` and not
    ``employed`` when those columns are present, a missing ``willing`` counting as
    willing, its default), as in the terminal's county summary
    (:func:`jhmatch.pipeline.county_summary`); a placed person is always a seeker.
    The rate is placements over seekers, NaN for a group without seekers. Persons
    without a value of ``by`` (or all persons, when the column is absent) form a group of
    their own (key NaN), never dropped.

    Examples
    --------
    >>> persons = pd.DataFrame({"person_id": ["a", "b", "c"], "county": ["330782", "330782", "330727"]})
    >>> placement_table(persons, pd.Series(["a"]), "county")[["county", "seekers", "placed", "rate"]].values.tolist()
    [['330727', 1, 0, 0.0], ['330782', 2, 1, 0.5]]
    """
    placed = persons["person_id"].isin(placed_ids).to_numpy()
    values = persons[by].astype("object").to_numpy() if by in persons else np.full(len(persons), None, dtype=object)
    seeking = np.ones(len(persons), dtype=bool)
    if "willing" in persons:
        seeking &= _flag(persons["willing"], True)
    if "employed" in persons:
        seeking &= ~_flag(persons["employed"], False)
    table = (
        pd.DataFrame({by: values, "seekers": (seeking | placed).astype("int64"),
                      "placed": placed.astype("int64")})
        .groupby(by, sort=True, dropna=False)[["seekers", "placed"]].sum()
        .reset_index()
    )
    table["rate"] = table["placed"] / table["seekers"].where(table["seekers"] > 0)
    return table


def _by_county(persons: pd.DataFrame, placed_ids: pd.Series) -> pd.DataFrame:
    """Every Jinhua county in code order (like the terminal), then any other or missing county."""
    table = placement_table(persons, placed_ids, "county")
    key = table["county"].map(lambda v: "" if labels.is_missing(v) else str(v))
    codes = [r.code for r in REGIONS]
    known = table[key.isin(codes)].set_index(key[key.isin(codes)])[["seekers", "placed"]]
    full = pd.DataFrame({"county": codes}).join(known, on="county").fillna(0)
    full = pd.concat([full, table.loc[~key.isin(codes), ["county", "seekers", "placed"]]], ignore_index=True)
    full[["seekers", "placed"]] = full[["seekers", "placed"]].astype("int64")
    full["rate"] = full["placed"] / full["seekers"].where(full["seekers"] > 0)
    return full






def _number(value: Any, decimals: int = 0) -> str:
    if labels.is_missing(value):
        return "—"
    try:
        return format_number(float(value), decimals)
    except (TypeError, ValueError):
        return str(value)


def _ratio(value: Any, decimals: int = 1) -> str:
    return "—" if labels.is_missing(value) else format_percent(float(value), decimals)


def _target_rows(targets: pd.DataFrame) -> pd.DataFrame:
    t = targets.reset_index(drop=True).copy()
    if "status" not in t:
        met = t["value"].to_numpy(dtype=float) >= t["goal"].to_numpy(dtype=float)
        t["status"] = np.where(met, "met", "not met")
    t["status"] = t["status"].astype(str)
    return t


def _target_value(code: Any, value: Any) -> str:
    return _ratio(value) if str(code) in labels.RATE_TARGETS else _number(value)


def _headline(by_county: pd.DataFrame, targets: pd.DataFrame | None) -> list[str]:
    seekers, placed = int(by_county["seekers"].sum()), int(by_county["placed"].sum())
    lines = [_("Placed {placed} of {seekers} seekers ({rate}).").format(
        placed=_number(placed), seekers=_number(seekers), rate=_ratio(placed / seekers if seekers else None))]
    counted = targets[targets["status"].isin(_COUNTED)] if targets is not None else None
    if counted is not None and len(counted):
        met = int(counted["status"].eq("met").sum())
        lines.append(_("Plan targets met: {met} of {n}.").format(met=met, n=len(counted)))
        unmet = [labels.target_name(c) for c in counted.loc[counted["status"] != "met", "target"]]
        if unmet:
            lines.append(_("Targets not met: {names}.").format(names=_(", ").join(unmet)))
    return lines


def _chain_names(chain: pd.DataFrame, names: Mapping[str, str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for side in ("source", "target"):
        if f"{side}_name" in chain:
            pairs = zip(chain[side].astype(str), chain[f"{side}_name"], strict=True)
            out.update({k: str(v) for k, v in pairs if not labels.is_missing(v)})
    out.update({str(k): str(v) for k, v in (names or {}).items()})
    return out


def _sections(allocation: Any, persons: pd.DataFrame, posts: pd.DataFrame, by_county: pd.DataFrame,
              targets: pd.DataFrame | None, chain: pd.DataFrame | None, names: dict[str, str],
              fig_lang: str) -> list[dict[str, Any]]:
    """The page's sections, headline tables first; tables in the page's language, figures in ``fig_lang``."""
    placed_ids = allocation.assignments["person_id"]
    by_cat = placement_table(persons, placed_ids, "category") if "category" in persons else None
    if by_cat is not None:  # the national order of categories (visual, hearing, ...), then anything else
        rank = {c.value: i for i, c in enumerate(DisabilityCategory)}
        by_cat = by_cat.sort_values("category", key=lambda s: s.map(lambda v: rank.get(v, len(rank))), kind="stable")
    filled = allocation.assignments.groupby("post_id").size()
    fill = posts[["post_id", "kind", "capacity"]].copy()
    fill["filled"] = fill["post_id"].map(filled).fillna(0).astype("int64")
    by_kind = fill.groupby("kind", sort=True, dropna=False)[["capacity", "filled"]].sum().reset_index()
    order = {k.code: i for i, k in enumerate(post_kinds())}
    by_kind = by_kind.sort_values("kind", key=lambda s: s.map(lambda v: order.get(v, len(order))), kind="stable")

    def rate_rows(table: pd.DataFrame, key: str, name) -> list[list[str]]:
        return [[name(k), _number(s), _number(p), _ratio(r)]
                for k, s, p, r in zip(table[key], table["seekers"], table["placed"], table["rate"], strict=True)]

    rate_head = [_("Seekers"), _("Placed"), _("Placement rate")]
    sections: list[dict[str, Any]] = [{
        "id": "counties", "title": _("Placements by county"),
        "table": html_table([_("County"), *rate_head], rate_rows(by_county, "county", labels.county_name))}]
    if targets is not None and len(targets):
        rows = [[labels.target_name(c), _target_value(c, v), _target_value(c, g), labels.target_status(s)]
                for c, v, g, s in zip(targets["target"], targets["value"], targets["goal"], targets["status"],
                                      strict=True)]
        sections.append({"id": "targets", "title": _("Plan targets"),
                         "table": html_table([_("Target"), _("Reached"), _("Goal"), _("Status")], rows)})
    if by_cat is not None:
        sections.append({"id": "categories", "title": _("Placements by disability category"),
                         "table": html_table([_("Disability category"), *rate_head],
                                         rate_rows(by_cat, "category", labels.category_name))})
    sections.append({"id": "kinds", "title": _("Post fill by kind"), "table": html_table(
        [_("Post kind"), _("Places offered"), _("Places filled")],
        [[labels.kind_name(k), _number(c), _number(f)]
         for k, c, f in zip(by_kind["kind"], by_kind["capacity"], by_kind["filled"], strict=True)])})
    if chain is not None and len(chain):
        rows = [[labels.chain_stage(st), labels.chain_node(s, names), labels.chain_node(t, names), _number(f)]
                for st, s, t, f in zip(chain["stage"], chain["source"], chain["target"], chain["flow"], strict=True)]
        sections.append({"id": "chain", "title": _("Cross-county quota employment"),
                         "table": html_table([_("Stage"), _("From"), _("To"), _("Persons")], rows)})
    sections.append({"id": "unplaced", "title": _("Persons not placed"), "table": _unplaced(allocation.unplaced)})

    with language(fig_lang):  # figure text: Chinese only with a Chinese font (figures.figure_language)
        pngs = {"counties": figures.bar_rate_figure(by_county.assign(name=by_county["county"].map(labels.county_name)),
                                                    "name", _("Placements by county"))}
        if targets is not None and len(targets):
            pngs["targets"] = figures.targets_figure(targets.assign(name=targets["target"].map(labels.target_name)))
        if by_cat is not None:
            pngs["categories"] = figures.bar_rate_figure(
                by_cat.assign(name=by_cat["category"].map(labels.category_name)), "name",
                _("Placements by disability category"))
        pngs["kinds"] = figures.fill_figure(by_kind.assign(name=by_kind["kind"].map(labels.kind_name)))
        if chain is not None and len(chain):
            fig_names = names if fig_lang == "zh" else {k: v for k, v in names.items() if v.isascii()}
            pngs["chain"] = figures.flow_figure(chain.assign(
                source=chain["source"].map(lambda n: labels.chain_node(n, fig_names)),
                target=chain["target"].map(lambda n: labels.chain_node(n, fig_names))))
    for s in sections:
        s["figure"] = img(pngs[s["id"]], s["title"]) if s["id"] in pngs else ""
    return sections


def _unplaced(unplaced: pd.DataFrame) -> Markup:
    if not len(unplaced):
        return Markup("<p>{}</p>").format(_("Everyone was placed."))
    reasons = unplaced.groupby("reason", dropna=False).size().rename("count").reset_index()
    reasons = reasons.sort_values("count", ascending=False, kind="stable")
    examples = unplaced.groupby("reason", dropna=False).head(3)
    return (html_table([_("Reason"), _("Persons")],
                   [[labels.reason_text(r), _number(n)] for r, n in zip(reasons["reason"], reasons["count"],
                                                                          strict=True)])
            + Markup("<h3>{}</h3>").format(_("Examples"))
            + html_table([_("Person"), _("Reason")],
                     [[scrub(str(p)), labels.reason_text(r)]
                      for p, r in zip(examples["person_id"], examples["reason"], strict=True)]))


def _solver_rows(allocation: Any) -> list[tuple[str, str, bool]]:
    message = scrub(str(getattr(allocation, "message", "") or ""))
    translated = _(message) if message else "—"
    raw = get_language() != "en" and translated == message
    return [
        (_("Solver status"), labels.solver_status(allocation.status), False),
        (_("Method"), labels.backend_name(allocation.backend), False),
        (_("Objective"), _number(allocation.objective, 3), False),
        (_("Bound"), _number(allocation.bound, 3), False),
        (_("Gap"), _ratio(allocation.gap, 2), False),
        (_("Solve time (s)"), _number(allocation.solve_time, 2), False),
        (_("Solver message (as the solver wrote it)") if raw else _("Solver message"), translated, raw),
    ]


def write_report(
    out_dir: str | Path,
    allocation: Any,
    persons: pd.DataFrame,
    posts: pd.DataFrame,
    *,
    targets: pd.DataFrame | None = None,
    chain: pd.DataFrame | None = None,
    chain_names: Mapping[str, str] | None = None,
    lang: str = "en",
    title: str | None = None,
    assumptions: Sequence[str] = (),
    extra_sections: Sequence[ReportSection] = (),
) -> Path:
    """Write ``index.html``: status and headline first, then the tables, solver details last.

    The first paragraph is the plan's status (:func:`jhmatch.report.status.status_line`):
    a time-limited, heuristic or missing plan says so before any figure. Then the
    headline (placed of seekers, with the rate; plan targets met and those not met),
    the tables per county and of the plan targets, by disability category, post fill
    by kind, the cross-county chain and the persons not placed (reasons, masked
    examples); the solver's details last, collapsed.

    Parameters
    ----------
    out_dir : path-like
        Folder to write into (created when missing); the file is written atomically.
    allocation : Allocation
        The result of :func:`jhmatch.optimize.solve` (``assignments``, ``unplaced``,
        ``status``, ``backend``, ``objective``, ``bound``, ``gap``, ``solve_time``, ``message``).
    persons, posts : DataFrame
        The validated tables the allocation was computed from.
    targets : DataFrame, optional
        Plan targets with columns ``target``, ``value``, ``goal`` (and optionally
        ``status``: ``met``, ``not met``, ``no target``, ``no data``), e.g. from
        :func:`jhmatch.policy.progress`.
    chain : DataFrame, optional
        Cross-county chain flows: ``stage``, ``source``, ``target``, ``flow`` (and
        optionally ``source_name``, ``target_name``), e.g. from
        :func:`jhmatch.pipeline.chain_flows`.
    chain_names : mapping, optional
        Readable names of chain nodes by id (an intermediary's name, say).
    lang : {"en", "zh"}
        Language of the page, its figures included.
    title : str, optional
        Page title.
    assumptions : sequence of str
        Assumed (PARAM) parameter values the figures rest on, in words
        (:func:`jhmatch.policy.assumed_parameters`); shown under the headline.
    extra_sections : sequence of ReportSection
        Sections other layers add (training, simulation, trade-off), shown after the
        placement tables and before the solver's details.

    Returns
    -------
    Path
        The written ``index.html``.

    Raises
    ------
    ParameterError
        When ``lang`` is neither ``"en"`` nor ``"zh"``.

    Examples
    --------
    >>> write_report("out/report", allocation, persons, posts, lang="zh")  # doctest: +SKIP
    PosixPath('out/report/index.html')
    """
    with language(lang) as lang:
        fig_lang = figures.figure_language(lang)
        tgt = _target_rows(targets) if targets is not None and len(targets) else None
        by_county = _by_county(persons, allocation.assignments["person_id"])
        names = _chain_names(chain, chain_names) if chain is not None else {}
        sections = _sections(allocation, persons, posts, by_county, tgt, chain, names, fig_lang)
        font = figures.figure_font() if fig_lang == "zh" else None
        text = {"solver": _("Solver details"), "show": _("(click to show)"),
                "note": _("Generated {date}. ID numbers are masked.").format(date=dt.date.today().isoformat()),
                "assumptions": (_("Assumed values (PARAM: not confirmed for Jinhua) behind these figures: {values}")
                                .format(values=_("; ").join(assumptions)) if assumptions else ""),
                "figures": (_("No Chinese font was found on this machine, so the figures are labelled in English.")
                            if fig_lang != lang else "")}
        sections = [{"lead": "", "status": "", **s} for s in sections] + [s.render() for s in extra_sections]
        html = page_template("report.html").render(
            lang="zh-CN" if lang == "zh" else lang, title=title or _("Placement report"), text=text,
            status_line=status_line(allocation, lang), state=exit_code(allocation),
            headline=("" if lang == "zh" else " ").join(_headline(by_county, tgt)), sections=sections, solver=_solver_rows(allocation),
            figure_lang=fig_lang, figure_font=font.name if font else "",
        )
    return write_atomic(Path(out_dir), "index.html", scrub(html))

