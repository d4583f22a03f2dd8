"""The graduate ledger as the office reads it: translated table and an Excel workbook with a title row.

The workbook follows the project's writers (:mod:`jhmatch._workbook`): text cells have
ID-shaped numbers masked and formulas escaped, the file is written to a temporary name
beside the target and renamed. Sheets: the ledger (one row per graduate, a title row
with the date and the county above the headers), the recommended posts, the courses,
and the policies used with where each is written.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from jhmatch.i18n import N_, get_language, language
from jhmatch.i18n import gettext as _

if TYPE_CHECKING:
    from jhmatch.training.ledger import GraduateLedger

__all__ = ["office_frame", "write_ledger_workbook"]

_SERVICES = {"info_check": N_("information check"), "capacity_assessment": N_("capacity assessment"),
             "demand_registration": N_("demand registration"), "employment_service": N_("employment service")}
_NOTES = {"county unknown": N_("county unknown: recommendations are remote or nearby posts")}
COURSES_SHOWN = 3
"""Courses named per graduate in the ledger sheet (one per course name; all are on the courses sheet)."""
TITLE = N_("One person, one plan: employment service ledger of disabled university graduates")
"""Title of the ledger sheet (PLAN §二(八))."""


def _blank(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value) or value == ""


def _yes_no(flag: Any) -> str:
    return _("yes") if bool(flag) else _("no")


def _education(level: Any) -> str:
    from jhmatch.taxonomy import EDUCATION_LEVELS

    if _blank(level):
        return "—"
    for lv, ident, zh, _extra in EDUCATION_LEVELS:
        if lv == int(level):
            return zh if get_language() == "zh" else ident.replace("_", " ")
    return str(level)


def _post_text(post_id: Any, posts: pd.DataFrame, county: bool) -> str:
    from jhmatch._output_labels import county_name

    title = posts["title"].get(post_id)
    employer = posts["employer"].get(post_id)
    title = title if isinstance(title, str) and title else str(post_id)
    employer = employer if isinstance(employer, str) and employer else "—"
    if not county:
        return _("{title} ({employer})").format(title=title, employer=employer)
    where = posts["county"].get(post_id)
    return _("{title} ({employer}, {county})").format(title=title, employer=employer,
                                                      county="—" if _blank(where) else county_name(where))


def _course_texts(ledger: GraduateLedger) -> dict[str, str]:
    """Per person: up to :data:`COURSES_SHOWN` course names (most posts first, the person's county first)."""
    u = ledger.unlocks
    if not len(u):
        return {}
    home = ledger.table.set_index("person_id")["county"]
    u = u.assign(local=(u["county"].to_numpy(dtype=object) == home.reindex(u["person_id"]).to_numpy(dtype=object)))
    u = u.sort_values(["person_id", "posts", "local", "course_id"], ascending=[True, False, False, True], kind="stable")
    u = u.drop_duplicates(["person_id", "name"]).groupby("person_id", sort=False).head(COURSES_SHOWN)
    sep = _("; ")
    text = [_("{course} (+{n} posts)").format(course=c, n=int(n)) for c, n in zip(u["name"], u["posts"])]
    return u.assign(text=text).groupby("person_id", sort=False)["text"].agg(sep.join).to_dict()


def _policy_text(codes: str, dis_end: Any, out_end: Any, weight: Any) -> str:
    from jhmatch.training.ledger import POLICIES

    parts = []
    for code in [c for c in str(codes).split(";") if c]:
        if code == "dibao_disregard" and not _blank(dis_end):
            parts.append(_("dibao: earnings of a job started now not counted until {end}, phased out until "
                           "{phase_end}").format(end=dis_end, phase_end=out_end))
        elif code == "quota_weight" and not _blank(weight) and float(weight) > 1:
            parts.append(_("counts twice towards an employer's disability quota"))
        else:
            parts.append(_(POLICIES[code][0]))
    return _("; ").join(parts) if parts else "—"


def office_frame(ledger: GraduateLedger, lang: str | None = None) -> pd.DataFrame:
    """One row per graduate, headers and values in ``lang`` (default: the current language).

    Examples
    --------
    >>> from jhmatch.training.ledger import graduate_ledger
    >>> p = pd.DataFrame({"person_id": ["a"], "category": [4], "grade": [3], "county": ["义乌"], "age": [22],
    ...                   "graduate": [True]})
    >>> q = pd.DataFrame({"post_id": ["q"], "kind": ["保洁"], "county": ["义乌"], "capacity": [1]})
    >>> office_frame(graduate_ledger(p, q, as_of="2025-06-30"), "zh").columns[:3].tolist()
    ['序号', '人员编号', '姓名']
    """
    from jhmatch._output_labels import county_name
    from jhmatch.report.labels import category_name
    from jhmatch.training.ledger import SERVICE_STATES, STATUSES

    t = ledger.table
    posts = ledger.posts
    with language(lang):
        def text(col: str) -> list[str]:
            return ["—" if _blank(v) else str(v) for v in t[col]]

        sep = _("; ")
        rec = ledger.recommendations
        recs = (rec.assign(text=[_post_text(q, posts, True) for q in rec["post_id"]])
                .groupby("person_id", sort=False)["text"].agg(sep.join).to_dict())
        courses = _course_texts(ledger)
        out = pd.DataFrame({
            _("No."): range(1, len(t) + 1),
            _("person id"): t["person_id"].astype(str).to_numpy(),
            _("name"): text("name"),
            _("ID number"): text("id_number"),
            _("disability certificate number"): text("certificate_number"),
            _("county of residence"): [_("county unknown") if _blank(c) else county_name(c) for c in t["county"]],
            _("disability category"): [category_name(c) for c in t["category"]],
            _("disability grade"): ["—" if _blank(g) else str(g) for g in t["grade"]],
            _("education"): [_education(e) for e in t["education"]],
            _("wants work"): [_yes_no(w) for w in t["willing"]],
            _("low-income (dibao) household"): [_yes_no(w) for w in t["low_income"]],
            _("status"): [_(STATUSES[s]) for s in t["status"]],
            _("placed in"): ["—" if _blank(q) else _post_text(q, posts, False) for q in t["placed_post"]],
            _("recommended posts"): [recs.get(p, "—") for p in t["person_id"]],
            _("courses that open more posts"): [courses.get(p, "—") for p in t["person_id"]],
            _("policies that apply"): [_policy_text(*v) for v in zip(t["policies"], t["dibao_disregard_end"],
                                                                     t["dibao_phaseout_end"], t["quota_weight"])],
            **{_(label): [_(SERVICE_STATES[v]) for v in t[code]] for code, label in _SERVICES.items()},
            _("note"): [_(_NOTES[n]) if n in _NOTES else n for n in t["note"]],
        })
    return out


def _recommendations(ledger: GraduateLedger) -> pd.DataFrame:
    from jhmatch._output_labels import county_name

    r = ledger.recommendations
    return pd.DataFrame({_("person id"): r["person_id"].to_numpy(), _("rank"): r["rank"].to_numpy(),
                         _("post id"): r["post_id"].to_numpy(), _("post title"): r["title"].to_numpy(),
                         _("employer"): r["employer"].to_numpy(),
                         _("county of the post"): [county_name(c) for c in r["county"]],
                         _("score"): r["score"].astype(float).round(3).to_numpy()})


def _courses(ledger: GraduateLedger) -> pd.DataFrame:
    from jhmatch._output_labels import county_name

    u = ledger.unlocks
    return pd.DataFrame({_("person id"): u["person_id"].to_numpy(), _("course id"): u["course_id"].to_numpy(),
                         _("course"): u["name"].to_numpy(),
                         _("county of the course"): ["—" if _blank(c) else county_name(c) for c in u["county"]],
                         _("posts it opens"): u["posts"].to_numpy()})


def _policies() -> pd.DataFrame:
    from jhmatch.training.ledger import POLICIES

    return pd.DataFrame({_("policy"): [_(v[0]) for v in POLICIES.values()],
                         _("where it is written"): [v[1] for v in POLICIES.values()],
                         _("who qualifies"): [_(v[2]) for v in POLICIES.values()]})


def write_ledger_workbook(ledger: GraduateLedger, path: str | os.PathLike[str], *, county: Any = None,
                          lang: str | None = "zh") -> Path:
    """Write the ledger as an Excel workbook for the office (extra ``excel``), atomically.

    Parameters
    ----------
    ledger : GraduateLedger
    path : path-like
        The ``.xlsx`` file.
    county : str, optional
        Only this county's graduates (code or name); the title row names it. Default:
        every graduate, the title says the whole city.
    lang : str, default "zh"
        Language of the title, headers and values.

    Examples
    --------
    >>> import tempfile, pathlib, openpyxl
    >>> from jhmatch.training.ledger import graduate_ledger
    >>> p = pd.DataFrame({"person_id": ["a"], "category": [4], "grade": [3], "county": ["义乌"], "age": [22],
    ...                   "graduate": [True]})
    >>> q = pd.DataFrame({"post_id": ["q"], "kind": ["保洁"], "county": ["义乌"], "capacity": [1]})
    >>> out = write_ledger_workbook(graduate_ledger(p, q, as_of="2025-06-30"), pathlib.Path(tempfile.mkdtemp()) / "l.xlsx")
    >>> openpyxl.load_workbook(out).worksheets[0]["A1"].value.endswith("日期：2025-06-30")
    True
    """
    from jhmatch._output_labels import county_name
    from jhmatch._workbook import write_workbook
    from jhmatch.taxonomy import region

    with language(lang):
        frame = office_frame(ledger)
        code = None if county is None else region(county).code
        if code is not None:
            keep = (ledger.table["county"] == code).fillna(False).to_numpy(dtype=bool)
            frame = frame[keep].reset_index(drop=True)
            frame[_("No.")] = range(1, len(frame) + 1)
            ids = set(ledger.table.loc[keep, "person_id"])
        where = _("whole city") if code is None else county_name(code)
        title = _("{title} — county: {county} — date: {date}").format(
            title=_(TITLE), county=where, date=ledger.as_of.date())
        sheets = {_("graduate ledger"): frame, _("recommended posts"): _recommendations(ledger),
                  _("courses"): _courses(ledger), _("policies used"): _policies()}
        if code is not None:
            pid = _("person id")
            for name in (_("recommended posts"), _("courses")):
                sheets[name] = sheets[name][sheets[name][pid].isin(ids)].reset_index(drop=True)
    return write_workbook({str(name)[:31]: df for name, df in sheets.items()}, path,
                          titles={str(next(iter(sheets)))[:31]: title})
