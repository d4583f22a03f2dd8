"""Training progress against targets (measures 七 and 九 of the plan; a county's own goal such as 东阳's 1,300).

``trained`` lists completed trainings, one row per person and course (:data:`TRAINED`):
person id, course id, the date the training was completed, and optionally the county
that trained the person (else the person's county in ``persons``) and the course's format
(else the courses table's, when given). :func:`training_progress` counts, up to ``as_of``:

- ``training``: persons trained (人数, each person once) — 2022-01-01 … ``as_of`` for a
  cumulative target, the year of ``as_of`` for an annual one;
- ``training_sessions``: trainings (人次, a person trained twice counts twice), same periods;
- ``training_rural_low_income``: the share of the persons trained who are rural and in a
  low-income (dibao) household — PLAN §二(七): 农民实用技术培训应向农村低收入残疾人倾斜 (the
  plan gives no number; a target is the user's);

city-wide and per county, and compares each with its goal as the plan's progress does
(:meth:`jhmatch.policy.PlanTargets.goal`: a cumulative count's goal for a year before 2025 is
an even path, flagged ASSUMPTION; an ``achieved`` figure of the targets file is added to a count): status ``met``, ``not met``, ``no target`` (no goal for
that scope) or ``no data`` (a share with nobody trained). The targets come from the plan's
targets file (:mod:`jhmatch.policy.targetfile`) with these codes or their Chinese names::

    指标,县市区,目标值,中文名称
    培训人数,东阳,1300,残疾人职业技能培训

Also tables by county, disability category and format (persons, trainings, rural low-income).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.data.schema import PERSONS
from jhmatch.data.table import Column, TableSchema
from jhmatch.errors import SchemaError
from jhmatch.i18n import N_, language
from jhmatch.i18n import gettext as _
from jhmatch.masking import mask_id
from jhmatch.taxonomy import REGIONS, normalize_label
from jhmatch.training.courses import parse_format

__all__ = ["PLAN_START", "TRAINED", "TRAINING_TARGETS", "TrainingProgress", "training_progress", "training_targets",
           "validate_trained"]

PLAN_START = pd.Timestamp("2022-01-01")
"""First day counted for a cumulative target (the plan runs 2022–2025)."""

TRAINING_TARGETS: Mapping[str, tuple[str, str, tuple[str, ...]]] = MappingProxyType({
    "training": (N_("disabled persons trained"), "count",
                 ("培训人数", "残疾人职业技能培训", "职业技能培训", "技能培训", "培训", "trained")),
    "training_sessions": (N_("trainings (person-times)"), "count", ("培训人次", "sessions", "trainings")),
    "training_rural_low_income": (N_("share of rural low-income persons among those trained"), "rate",
                                  ("农村低收入残疾人培训占比", "农村低收入占比", "rural_low_income")),
})
"""Training target codes: code → (name, unit, other names accepted in a targets file)."""

_ALIASES = {normalize_label(a): code for code, (_label, _unit, names) in TRAINING_TARGETS.items()
            for a in (code, *names)}

TRAINED = TableSchema(
    "trained",
    (
        Column("person_id", "id", required=True, aliases=("人员编号", "编号", "学员编号", "person"),
               description=N_("the person trained (id of the persons table)")),
        Column("course_id", "id", aliases=("课程编号", "培训项目编号", "项目编号", "course"),
               description=N_("the course (id of the courses table)")),
        Column("date", "date", required=True, aliases=("结业日期", "完成日期", "培训日期", "日期", "completed"),
               description=N_("date the training was completed")),
        Column("county", "label", parser=PERSONS.column("county").parser, aliases=("培训县市区", "县市区", "县"),
               label_aliases=PERSONS.column("county").label_aliases,
               description=N_("county that trained the person (missing: the person's county)")),
        Column("format", "label", parser=parse_format, aliases=("培训形式", "培训方式"),
               description=N_("course format: 订单式, 师带徒, 孵化 or 集中培训 (missing: the course's)")),
    ),
)
"""Schema of the table of completed trainings (one row per person and course)."""


def validate_trained(frame: pd.DataFrame, file: str | None = None) -> pd.DataFrame:
    """Validate a table of completed trainings (:data:`TRAINED`; Chinese headers accepted).

    Raises
    ------
    SchemaError
        Every problem at once, with file, row, column, value and what was expected.

    Examples
    --------
    >>> t = validate_trained(pd.DataFrame({"人员编号": ["p1"], "结业日期": ["2024-05-01"], "培训形式": ["师带徒"]}))
    >>> t.loc[0, ["person_id", "format"]].tolist(), str(t.loc[0, "date"].date())
    (['p1', 'apprenticeship'], '2024-05-01')
    """
    return TRAINED.validate(frame, file if file is not None else frame.attrs.get("source"))


def training_targets(table: Any) -> Any:
    """:class:`~jhmatch.policy.PlanTargets` from a targets file, training targets named by code or in Chinese.

    ``table`` is a path (CSV, Excel, TOML) or a DataFrame in the targets-file format
    (:data:`jhmatch.policy.TARGETS_TABLE`); a row whose target is a training name
    (培训人数, 培训人次, 农村低收入残疾人培训占比 …) gets its code, and a name when it has none.

    Examples
    --------
    >>> t = training_targets(pd.DataFrame({"指标": ["培训人数"], "县市区": ["东阳"], "目标值": [1300]}))
    >>> t.county_target("training", "东阳"), t.extra["training"].label_zh
    (1300.0, '残疾人职业技能培训人数')
    """
    from jhmatch.policy import TARGETS_TABLE, PlanTargets
    from jhmatch.policy.targetfile import read_targets_table

    raw = read_targets_table(table) if not isinstance(table, pd.DataFrame) else table
    frame = raw.copy()
    hmap = TARGETS_TABLE.header_map()
    cols = {hmap.get(normalize_label(c)): c for c in frame.columns}
    if "target" in cols:
        code = frame[cols["target"]].map(lambda v: _ALIASES.get(normalize_label(v), v) if isinstance(v, str) else v)
        frame[cols["target"]] = code
        known = code.isin(list(TRAINING_TARGETS)).to_numpy(dtype=bool)
        for key, values in (("label", [TRAINING_TARGETS[c][0] if k else None for c, k in zip(code, known)]),
                            ("label_zh", [_ZH_NAMES.get(c) if k else None for c, k in zip(code, known)]),
                            ("unit", [TRAINING_TARGETS[c][1] if k else None for c, k in zip(code, known)])):
            col = cols.get(key, key)
            old = frame[col].astype("object") if col in frame else pd.Series([None] * len(frame), dtype=object)
            fill = old.isna().to_numpy() | (old.astype(str).str.strip() == "").to_numpy()
            frame[col] = np.where(fill, np.array(values, dtype=object), old.to_numpy(dtype=object))
    frame.attrs = dict(raw.attrs)
    return PlanTargets.from_table(frame, accepted_names=[names[0] for _l, _u, names in TRAINING_TARGETS.values()])


_ZH_NAMES = {"training": "残疾人职业技能培训人数", "training_sessions": "残疾人职业技能培训人次",
             "training_rural_low_income": "农村低收入残疾人培训占比"}


@dataclass(frozen=True)
class TrainingProgress:
    """Training counts and their targets, city-wide and per county.

    Attributes
    ----------
    as_of : Timestamp
        Trainings completed up to this day are counted; the goals are those of its year.
    table : DataFrame
        One row per training target (:data:`TRAINING_TARGETS`) and scope (``city``, then each county code): target,
        scope, unit (``count``/``rate``), period, value, numerator, denominator,
        target_value (end-2025 or yearly target; NaN: none), year_goal, goal_basis (as
        :meth:`jhmatch.policy.PlanTargets.goal`), gap, status (``met``, ``not met``,
        ``no target``, ``no data``), assumption, note (English).
    by_county, by_category, by_format : DataFrame
        Over 2022-01-01 … ``as_of``: the group (county code / category / format;
        ``unknown`` when not known), persons, trainings, rural_low_income (persons) and
        rural_low_income_share (of the persons found in the persons table).
    counted, not_counted : int
        Training rows counted, and rows outside every period (before 2022 or after ``as_of``).
    notes : tuple of str
        Records that could not be attributed, and why (English).
    unknown_persons : int
        Persons of the trained table not in the persons table. Their trainings are counted
        (the trained table is the office's record of trainings given) under the row's county,
        category unknown, and left out of the rural low-income share (their status is unknown).
    unknown_examples : tuple of str
        Up to three of their ids, masked.
    """

    as_of: pd.Timestamp
    table: pd.DataFrame
    by_county: pd.DataFrame
    by_category: pd.DataFrame
    by_format: pd.DataFrame
    counted: int = 0
    not_counted: int = 0
    notes: tuple[str, ...] = field(default=())
    unknown_persons: int = 0
    unknown_examples: tuple[str, ...] = field(default=())

    def targeted_counties(self) -> list[str]:
        """The county codes that have a goal for some training target (from the targets file), in table order.

        Examples
        --------
        >>> persons = pd.DataFrame({"person_id": ["a"], "category": [4], "grade": [3], "county": ["东阳"], "age": [30]})
        >>> trained = pd.DataFrame({"person_id": ["a"], "date": ["2024-05-01"]})
        >>> goals = pd.DataFrame({"指标": ["培训人数"], "县市区": ["东阳"], "目标值": [1300]})
        >>> training_progress(trained, persons, goals, as_of="2025-12-31").targeted_counties()
        ['330783']
        """
        has = self.table["target_value"].notna() | self.table["year_goal"].notna()
        scopes = self.table.loc[has & (self.table["scope"] != "city"), "scope"]
        return list(dict.fromkeys(scopes))

    def _rows(self, counties: bool | None) -> pd.DataFrame:
        if counties is True:
            return self.table
        keep = ["city"] + (self.targeted_counties() if counties is None else [])
        return self.table[self.table["scope"].isin(keep)].reset_index(drop=True)

    def city(self) -> pd.DataFrame:
        """The city-wide rows."""
        return self.table[self.table["scope"] == "city"].reset_index(drop=True)

    def county(self, county: Any) -> pd.DataFrame:
        """The rows of one county (code or name)."""
        from jhmatch.taxonomy import region

        return self.table[self.table["scope"] == region(county).code].reset_index(drop=True)

    def display(self, lang: str | None = None, *, counties: bool | None = True) -> pd.DataFrame:
        """The targets as a planner reads them: names, figures, goals and statuses in ``lang``; never NaN.

        ``counties``: True every county's rows, False the city-wide rows only, None the city-wide
        rows and those of the counties with a goal (:meth:`targeted_counties`).

        Examples
        --------
        >>> persons = pd.DataFrame({"person_id": ["a"], "category": [4], "grade": [3], "county": ["东阳"], "age": [30]})
        >>> trained = pd.DataFrame({"person_id": ["a"], "date": ["2024-05-01"]})
        >>> d = training_progress(trained, persons, as_of="2025-12-31").display("zh", counties=False)
        >>> d.iloc[0].tolist()[:4]
        ['残疾人职业技能培训人数', '全市', '1', '未设目标']
        """
        from jhmatch.policy.labels import basis_label, format_value, status_label

        rows = self._rows(counties)
        names = {r.code: r for r in REGIONS}
        with language(lang):
            zh = _("city-wide") != "city-wide"
            label = [_(TRAINING_TARGETS[t][0]) for t in rows["target"]]
            rate = (rows["unit"] == "rate").to_numpy()
            out = pd.DataFrame({
                _("plan target"): label,
                _("area"): [_("city-wide") if s == "city" else (names[s].zh if zh else names[s].en)
                            for s in rows["scope"]],
                _("achieved"): [_("no data") if st == "no data" else format_value(v, r)
                                for v, r, st in zip(rows["value"], rate, rows["status"])],
                _("progress status"): [status_label(s) for s in rows["status"]],
                _("goal this year"): [_("no target") if math.isnan(g) else format_value(g, r)
                                      for g, r in zip(rows["year_goal"], rate)],
                _("gap to goal"): ["—" if math.isnan(g) else format_value(g, r) for g, r in zip(rows["gap"], rate)],
                _("goal basis"): ["—" if math.isnan(g) else basis_label(b) for g, b in zip(rows["year_goal"],
                                                                                            rows["goal_basis"])],
            })
        return out


    def sheet(self, lang: str | None = None, *, counties: bool | None = True) -> pd.DataFrame:
        """The targets for a workbook: as :meth:`display`, the figures as numbers (a share in percent), a unit column.

        Empty cells (NaN) where there is no goal or no data.

        Examples
        --------
        >>> persons = pd.DataFrame({"person_id": ["a"], "category": [4], "grade": [3], "county": ["东阳"], "age": [30]})
        >>> trained = pd.DataFrame({"person_id": ["a"], "date": ["2024-05-01"]})
        >>> goals = pd.DataFrame({"指标": ["培训人数"], "县市区": ["东阳"], "目标值": [1300]})
        >>> s = training_progress(trained, persons, goals, as_of="2025-12-31").sheet("zh", counties=None)
        >>> s.iloc[1, :3].tolist(), float(s.iloc[1, 3]), s.iloc[1, 4], float(s.iloc[1, 5])
        (['残疾人职业技能培训人数', '东阳市', '人'], 1.0, '未完成', 1300.0)
        """
        from jhmatch.policy.labels import basis_label, status_label

        rows = self._rows(counties)
        names = {r.code: r for r in REGIONS}
        rate = (rows["unit"] == "rate").to_numpy()
        scale = np.where(rate, 100.0, 1.0)
        units = {"training": N_("persons (unit)"), "training_sessions": N_("person-times (unit)"),
                 "training_rural_low_income": "%"}
        with language(lang):
            zh = _("city-wide") != "city-wide"
            return pd.DataFrame({
                _("plan target"): [_(TRAINING_TARGETS[t][0]) for t in rows["target"]],
                _("area"): [_("city-wide") if s == "city" else (names[s].zh if zh else names[s].en)
                            for s in rows["scope"]],
                _("unit"): [units[t] if units[t] == "%" else _(units[t]) for t in rows["target"]],
                _("achieved"): np.round(rows["value"].to_numpy(dtype=float) * scale, 1),
                _("progress status"): [status_label(s) for s in rows["status"]],
                _("goal this year"): np.round(rows["year_goal"].to_numpy(dtype=float) * scale, 1),
                _("gap to goal"): np.round(rows["gap"].to_numpy(dtype=float) * scale, 1),
                _("goal basis"): [None if math.isnan(g) else basis_label(b)
                                  for g, b in zip(rows["year_goal"], rows["goal_basis"])],
            })


def _group(frame: pd.DataFrame, key: str, order: list[str] | None = None) -> pd.DataFrame:
    g = frame.assign(_k=frame[key].astype("object").where(frame[key].notna(), "unknown")).groupby("_k", sort=True)
    out = pd.DataFrame({"persons": g["person_id"].nunique(), "trainings": g.size()})
    rli = frame[frame["rli"]].assign(_k=frame[key].astype("object").where(frame[key].notna(), "unknown"))
    out["rural_low_income"] = rli.groupby("_k")["person_id"].nunique().reindex(out.index, fill_value=0)
    kn = frame[frame["known"]].assign(_k=frame[key].astype("object").where(frame[key].notna(), "unknown"))
    out["_known"] = kn.groupby("_k")["person_id"].nunique().reindex(out.index, fill_value=0)
    if order is not None:
        out = out.reindex([*order, *[k for k in out.index if k not in order]], fill_value=0)
    out = out.astype("int64")
    with np.errstate(invalid="ignore", divide="ignore"):
        out["rural_low_income_share"] = np.where(out["_known"] > 0, out["rural_low_income"] / out["_known"], np.nan)
    return out.drop(columns="_known").rename_axis(key).reset_index()


def training_progress(trained: pd.DataFrame, persons: pd.DataFrame, targets: Any = None, *, as_of: Any = None,
                      courses: pd.DataFrame | None = None) -> TrainingProgress:
    """Persons trained, trainings and the rural low-income share, against their targets.

    Parameters
    ----------
    trained : DataFrame
        Completed trainings (:data:`TRAINED`; raw or validated).
    persons : DataFrame
        Persons table: county, category, ``rural`` and ``low_income`` of the persons trained.
    targets : PlanTargets, DataFrame or path, optional
        Targets (:func:`training_targets` reads a table or file). Default: none (``no target``).
    as_of : date-like, optional
        Count trainings completed up to this day (default today); goals of its year.
    courses : DataFrame, optional
        Courses table, for the format of trainings whose row does not give it.

    Returns
    -------
    TrainingProgress

    Raises
    ------
    SchemaError
        For a trained table with a bad value (file, row, column, value) or a course id the
        courses table does not have.

    Examples
    --------
    >>> persons = pd.DataFrame({"person_id": ["a", "b", "c"], "category": [4, 4, 1], "grade": [3, 3, 2],
    ...     "county": ["东阳", "东阳", "义乌"], "age": [30, 40, 35], "rural": [True, False, True],
    ...     "low_income": [True, False, False]})
    >>> trained = pd.DataFrame({"person_id": ["a", "a", "b", "c"], "date": ["2023-03-01", "2024-05-01",
    ...     "2024-06-01", "2026-01-05"]})
    >>> targets = pd.DataFrame({"指标": ["培训人数"], "县市区": ["东阳"], "目标值": [1300]})
    >>> pr = training_progress(trained, persons, targets, as_of="2025-12-31")
    >>> r = pr.county("东阳").set_index("target").loc["training"]
    >>> float(r["value"]), float(r["target_value"]), r["status"]
    (2.0, 1300.0, 'not met')
    >>> pr.city().set_index("target").loc[["training_sessions", "training_rural_low_income"], "value"].tolist()
    [3.0, 0.5]
    """
    from jhmatch.data.valid import ensure_valid
    from jhmatch.errors import Problem
    from jhmatch.policy import PlanTargets
    from jhmatch.policy.results import ge
    from jhmatch.training.courses import COURSES

    when = pd.Timestamp(dt.date.today() if as_of is None else as_of).normalize()
    t = trained if TRAINED.is_canonical(trained) else validate_trained(trained)
    hmap = TRAINED.header_map()  # the course column's header as the file writes it (课程编号), for messages
    course_header = next((str(c) for c in trained.columns if hmap.get(normalize_label(c)) == "course_id"
                          and str(c) != "course_id"), None)
    pdf = ensure_valid(persons, "persons")
    goals = targets if isinstance(targets, PlanTargets) else (PlanTargets() if targets is None
                                                              else training_targets(targets))
    notes: list[str] = []
    info = pdf.set_index(pdf["person_id"].astype(str).to_numpy())
    pid = t["person_id"].astype(str).to_numpy()
    known = pd.Index(info.index).get_indexer(pid) >= 0
    unknown_ids = list(dict.fromkeys(pid[~known]))
    if unknown_ids:
        notes.append(f"{int((~known).sum())} training row(s) of {len(unknown_ids)} person(s) not in the persons "
                     "table: counted under the county of the row (else 'unknown'), category unknown, left out of "
                     "the rural low-income share (neither numerator nor denominator)")
    pc = info["county"].astype("object").reindex(pid).to_numpy(dtype=object)
    county = t["county"].astype("object").to_numpy(dtype=object)
    county = np.where(pd.isna(county), pc, county)
    rural = info["rural"].astype("boolean").reindex(pid).fillna(False).to_numpy(dtype=bool)
    low = info["low_income"].astype("boolean").reindex(pid).fillna(False).to_numpy(dtype=bool)
    fmt = t["format"].astype("object").to_numpy(dtype=object)
    if courses is not None:
        cdf = courses if COURSES.is_canonical(courses) else COURSES.validate(courses, courses.attrs.get("source"))
        cmap = pd.Series(cdf["format"].astype("object").to_numpy(), index=cdf["course_id"].astype(str).to_numpy())
        cid = t["course_id"].astype("object")
        from jhmatch.data.io import source_rows

        lines = source_rows(t)  # the file's line numbers (header = line 1), as every table reports them
        lines = np.arange(1, len(t) + 1) if lines is None else lines
        bad = [Problem(int(lines[i]), "course_id", v, _("a course id of the courses table"), t.attrs.get("source"),
                       header=course_header)
               for i, v in enumerate(cid) if not pd.isna(v) and str(v) not in cmap.index]
        if bad:
            raise SchemaError(bad, "trained")
        fmt = np.where(pd.isna(fmt), cmap.reindex(cid.astype(str)).to_numpy(dtype=object), fmt)
    frame = pd.DataFrame({"person_id": pid, "date": t["date"].to_numpy(), "county": county,
                          "category": info["category"].astype("object").reindex(pid).to_numpy(dtype=object),
                          "format": fmt, "rli": rural & low, "known": known})
    in_plan = (frame["date"] >= PLAN_START) & (frame["date"] <= when)
    this_year = in_plan & (frame["date"].dt.year == when.year)
    if int((~in_plan).sum()):
        notes.append(f"{int((~in_plan).sum())} training row(s) completed before {PLAN_START.date()} or after "
                     f"{when.date()}: not counted")
    rows = []
    scopes = ["city"] + [r.code for r in REGIONS]
    for code, (_label, unit, _names) in TRAINING_TARGETS.items():
        period = goals.extra[code].period if code in goals.extra else "cumulative"
        sel = frame[(this_year if period == "annual" else in_plan).to_numpy()]
        for scope in scopes:
            part = sel if scope == "city" else sel[sel["county"] == scope]
            persons_n = part["person_id"].nunique()
            if code == "training":
                num, den = float(persons_n), np.nan
            elif code == "training_sessions":
                num, den = float(len(part)), np.nan
            else:
                num = float(part.loc[part["rli"], "person_id"].nunique())
                den = float(part.loc[part["known"], "person_id"].nunique())  # unknown persons: status unknown
            extra = 0.0
            if unit == "count":  # figures reached outside this table (a targets file's achieved)
                ach = goals.achieved.get(code, {})
                extra = float(sum(ach.values())) if scope == "city" else float(ach.get(scope, 0.0))
                num += extra
            value = num if unit == "count" else (num / den if den else np.nan)
            if code in goals.extra:
                target = goals.city_target(code) if scope == "city" else goals.county_target(code, scope)
                goal, basis = goals.goal(code, scope, when.year)
            else:
                target, goal, basis = np.nan, np.nan, "none"
            if unit == "rate" and not den:
                status = "no data"
            elif math.isnan(goal):
                status = "no target"
            else:
                status = "met" if bool(ge(value, goal)) else "not met"
            gap = max(goal - value, 0.0) if status in ("met", "not met") else np.nan
            where = "city-wide" if scope == "city" else f"county {scope}"
            shown = f"{value:.1%}" if unit == "rate" and not math.isnan(value) else f"{value:g}"
            note = f"{code} {where}: {shown}" + (f" of {den:g} persons trained" if unit == "rate" else "")
            note += f" ({period}, to {when.date()})" + (f"; of which {extra:g} supplied as achieved" if extra else "")
            if status in ("met", "not met"):
                note += f" against a goal of {goal:g} for {when.year} ({basis})"
            rows.append({"target": code, "scope": scope, "unit": unit, "period": period, "value": value,
                         "numerator": num, "denominator": den, "target_value": target, "year_goal": goal,
                         "goal_basis": basis, "gap": gap, "status": status,
                         "assumption": basis.endswith("(ASSUMPTION)"), "note": note})
    plan = frame[in_plan.to_numpy()]
    regions = [r.code for r in REGIONS]
    from jhmatch.taxonomy import DisabilityCategory
    from jhmatch.training.courses import FORMATS

    return TrainingProgress(
        when, pd.DataFrame(rows), _group(plan, "county", regions),
        _group(plan, "category", [c.value for c in DisabilityCategory]), _group(plan, "format", list(FORMATS)),
        int(in_plan.sum()), int((~in_plan).sum()), tuple(notes), len(unknown_ids),
        tuple(mask_id(v, 2, 2) for v in unknown_ids[:3]))
