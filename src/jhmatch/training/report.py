"""The training plan for planners: its tables and the sections of an HTML page.

:func:`training_tables` gives the trainees (with their explanation), the marginal
placements per 10,000 yuan per course and per county, with headers and county names
in the current language and ID numbers masked. :func:`training_sections` turns them
into :class:`jhmatch.report.sections.ReportSection` objects, for a page of their own
(:func:`jhmatch.report.write_sections_report`, as ``jhmatch train`` writes) or as
extra sections of the placement report (``write_report(..., extra_sections=...)``).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import pandas as pd

from jhmatch.data.ids import scrub_series
from jhmatch.i18n import N_, get_language, language
from jhmatch.i18n import gettext as _
from jhmatch.report import figures
from jhmatch.report.sections import ReportSection
from jhmatch.training.result import TrainingPlan
from jhmatch.training.wording import county_name

__all__ = ["COUNTY_HEADERS", "COURSE_HEADERS", "TRAINEE_HEADERS", "training_sections", "training_tables"]

TRAINEE_HEADERS: Mapping[str, str] = MappingProxyType({
    "person": N_("person"), "county": N_("county of residence"), "course": N_("course"),
    "cost": N_("cost (yuan)"), "post": N_("post after training"), "score": N_("score before → after"),
    "placed": N_("placed on"), "explanation": N_("explanation")
})
COURSE_HEADERS: Mapping[str, str] = MappingProxyType({
    "course": N_("course"), "cost": N_("cost per seat (yuan)"), "seats": N_("seats"),
    "trainees": N_("trainees"), "spent": N_("yuan spent"),
    "placements_lost": N_("placements lost without them"),
    "per_10k": N_("placements per 10,000 yuan")
})
COUNTY_HEADERS: Mapping[str, str] = MappingProxyType({
    "county": N_("county of residence"), "trainees": N_("trainees"), "spent": N_("yuan spent"),
    "placements_lost": N_("placements lost without them"),
    "per_10k": N_("placements per 10,000 yuan")
})


def _headers(frame: pd.DataFrame, labels: Mapping[str, str]) -> pd.DataFrame:
    return frame.rename(columns={k: _(v) for k, v in labels.items()})


def _tidy(values: pd.Series) -> pd.Series:
    """Whole numbers as integers (``Int64``, missing kept), other numbers rounded to 2 decimals.

    Examples
    --------
    >>> _tidy(pd.Series([26.0, float("nan")])).tolist(), _tidy(pd.Series([5.3921568627450975, 0.0])).tolist()
    ([26, <NA>], [5.39, 0.0])
    """
    x = pd.to_numeric(values, errors="coerce").astype(float)
    finite = x[x.notna()]
    if len(finite) and (finite.abs() < float("inf")).all() and (finite == finite.round()).all():
        return x.round().astype("Int64")
    return x.round(2)


def training_tables(plan: TrainingPlan) -> dict[str, pd.DataFrame]:
    """The plan's three tables for planners: headers and counties in the current language, IDs masked.

    Keys ``trainees``, ``by_course``, ``by_county``.
    """
    t = plan.trainees
    score = [f"{b:.2f} → {a:.2f}" if pd.notna(a) else "" for b, a in zip(t["score_before"], t["score_after"],
                                                                         strict=True)]
    trainees = pd.DataFrame({
        "person": scrub_series(t["person_id"].astype(object)), "county": [county_name(c) for c in t["county"]],
        "course": (t["course_id"].astype(str) + " " + t["course"].astype(str)).to_numpy(), "cost": _tidy(t["cost"]),
        "post": [f"{p} {q}".strip() if isinstance(p, str) else "" for p, q in zip(t["post_id"], t["post"].fillna(""),
                                                                                  strict=True)],
        "score": score, "placed": t["placed_post_id"].fillna("").astype(str),
        "explanation": scrub_series(t["explanation"].astype(object))})
    c = plan.by_course
    by_course = pd.DataFrame({"course": (c["course_id"].astype(str) + " " + c["course"].astype(str)).to_numpy(),
                              "cost": _tidy(c["cost"]), "seats": _tidy(c["seats"].where(c["seats"] < float("inf"))),
                              "trainees": c["trainees"], "spent": _tidy(c["spent"]),
                              "placements_lost": _tidy(c["placements_lost"]), "per_10k": c["per_10k"].round(2)})
    r = plan.by_county
    by_county = pd.DataFrame({"county": [county_name(x) for x in r["county"]], "trainees": r["trainees"],
                              "spent": _tidy(r["spent"]), "placements_lost": _tidy(r["placements_lost"]),
                              "per_10k": r["per_10k"].round(2)})
    return {"trainees": _headers(trainees, TRAINEE_HEADERS), "by_course": _headers(by_course, COURSE_HEADERS),
            "by_county": _headers(by_county, COUNTY_HEADERS)}


def _figure(plan: TrainingPlan, lang: str) -> bytes | None:
    """Placements per 10,000 yuan of each course with trainees, as horizontal bars (None: nothing to draw)."""
    rows = plan.by_course[(plan.by_course["trainees"] > 0) & plan.by_course["per_10k"].notna()]
    if rows.empty:
        return None
    fig_lang = figures.figure_language(lang)
    with language(fig_lang), figures.figure_style():
        fig, ax = figures.pyplot().subplots(figsize=(7.0, 0.35 * len(rows) + 1.3))
        names = rows["course_id"].astype(str) + (" " + rows["course"].astype(str) if fig_lang == "zh" else "")
        ax.barh(names.tolist()[::-1], rows["per_10k"].to_numpy(dtype=float)[::-1], color="#2b7bba")
        ax.set_xlabel(_("placements per 10,000 yuan"))
        ax.set_title(_("What the money spent on each course bought"), fontsize=10)
        ax.spines[["top", "right"]].set_visible(False)
        return figures.to_png(fig)


def training_sections(plan: TrainingPlan, lang: str | None = None,
                      tables: dict[str, pd.DataFrame] | None = None) -> list[ReportSection]:
    """Three report sections: the trainees, the marginal placements per course (with a figure) and per county.

    ``lang`` (default the current language) is the language of the text; ``tables`` are
    :func:`training_tables` of the plan when the caller has them already.
    """
    lang = lang or get_language()
    with language(lang):
        tables = tables or training_tables(plan)
        return [
            ReportSection("trainees", _("Who to train, in which course"), lead=plan.status_line(),
                          table=tables["trainees"], status="" if plan.status.value == "optimal" else plan.message),
            ReportSection("courses", _("Marginal placements per course"), lead=_(
                "Placements lost when a course's trainees are not trained (everyone else's training kept), per "
                "10,000 yuan spent on them."), table=tables["by_course"], figure=_figure(plan, lang)),
            ReportSection("counties", _("Marginal placements per county"), lead=_(
                "The same, for the trainees living in each county."), table=tables["by_county"]),
        ]
