"""Progress of the plan's targets after an allocation, city-wide and per county.

How each value is counted (documented choices; the targets are in :mod:`jhmatch.policy.targets`):

- ``new_jobs``: persons the allocation places who were not employed, by the person's
  county, plus ``achieved`` (counts reached earlier, e.g. in previous years);
- ``welfare_posts``, ``tobacco_outlets``, ``agency_posts``: the plan counts posts created
  (新增…公益性岗位, 零售点, 推出…岗位), so they are counted from the posts table — the
  capacity of the posts of those kinds, by the post's county — plus ``achieved``. When the
  posts table has a ``created`` column (year or date; 新增年份, 设立年份, 设立日期), only
  posts created in the years counted are taken (tobacco 2021…year, welfare 2022…year, agency
  posts the year itself); a post without a date is counted. ``placed`` gives the
  placements in those posts. ``post_targets="placements"`` counts placements instead;
- ``kiosk_reserve``: kiosk posts with the same ``site_id`` form one new community service
  point (a post without one is its own point). A point keeps the rule when the disabled
  persons placed there are at least ``ceil(kiosk_share × its posts)``; its posts are
  ``kiosk_site_posts[site]``, else a ``site_posts`` column of the posts table, else the
  capacity the posts table lists at the point (then said in the explanation). The value is
  the share of points that keep the rule;
- rates use employment after the allocation (employed or placed) and working age on
  31 December of ``year`` (:mod:`jhmatch.policy.workingage`);
- households: a household in difficulty is in scope when a member is of working age and
  willing; it is covered when a member (in the persons table) is employed after the
  allocation. Only disabled members listed in ``persons`` are visible;
- the four ones: the unemployed working-age persons (before the allocation) and, for the
  last three services, those of them who want work; a service done this year counts
  (:func:`~jhmatch.policy.four_ones_ledger`). Without any service column: ``no data``;
- extra targets: ``achieved`` figures, plus the persons with yes in their ``count_column``.

Status and gap compare the value with the goal of ``year`` (:meth:`PlanTargets.goal`);
``target_value`` keeps the end-2025 (or yearly) target.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.data import ensure_valid
from jhmatch.errors import ArgumentError, ParameterError, Problem, SchemaError
from jhmatch.i18n import get_language, language
from jhmatch.i18n import gettext as _
from jhmatch.policy.fourones import FOUR_ONES, four_ones_ledger
from jhmatch.policy.labels import basis_label, format_goal, format_value, status_label, target_label
from jhmatch.policy.parameters import PolicyParameters
from jhmatch.policy.results import ge
from jhmatch.policy.targets import COUNT_TARGETS, FOUR_ONES_TARGETS, PATHS, PLAN_YEARS, PlanTargets, _scope
from jhmatch.policy.workingage import persons_table, working_age
from jhmatch.taxonomy import REGIONS, normalize_label, post_kinds, region

__all__ = ["PlanProgress", "assignments_of", "progress"]

_CREATED = ("created", "created_year", "新增年份", "设立年份", "开设年份", "设立日期", "开设日期", "新增日期")
_SITE_POSTS = ("site_posts", "服务点岗位数", "服务点总岗位数")
_POST_COUNTED = ("welfare_posts", "tobacco_outlets", "agency_posts")


@dataclass(frozen=True)
class PlanProgress:
    """Each target's value, goal, gap and status, city-wide and per county.

    Attributes
    ----------
    year : int
        The year assessed.
    table : DataFrame
        target, label (planner's name), scope (``"city"`` or a county code), year, value,
        numerator, denominator, target_value (end-2025 or yearly target; NaN where a county
        has no target), year_goal (the goal of ``year``), goal_basis (``annual``,
        ``end-2025``, ``linear path (ASSUMPTION)``, ``end-2025 level``, ``supplied``,
        ``outside the plan period``, ``none``), gap (what is missing to the year's goal,
        ≥ 0), status (``met``, ``not met``, ``no data``, ``no target``), status_label,
        goal_text (the goal as a planner reads it; a county without a goal says so, never
        NaN), target_basis (``plan``, ``supplied``, a split marked ``(ASSUMPTION)``,
        ``none``), assumption (True when the target or the year's goal is jhmatch's
        assumption), in_plan_period, placed (placements in the posts counted, for posts
        targets), source (where the target is written), explanation. ``label``,
        ``status_label`` and ``goal_text`` are in the language current when
        :func:`progress` ran; :meth:`display` renders them again.
    targets : PlanTargets
        The targets used.
    """

    year: int
    table: pd.DataFrame
    targets: PlanTargets

    @property
    def in_plan_period(self) -> bool:
        """Whether ``year`` lies within the plan period 2022–2025."""
        return PLAN_YEARS[0] <= self.year <= PLAN_YEARS[1]

    def city(self) -> pd.DataFrame:
        """The city-wide rows."""
        return self.table[self.table["scope"] == "city"].reset_index(drop=True)

    def county(self, county: Any) -> pd.DataFrame:
        """The rows of one county (code or name)."""
        return self.table[self.table["scope"] == region(county).code].reset_index(drop=True)

    def unmet(self) -> pd.DataFrame:
        """Rows whose status is ``not met``."""
        return self.table[self.table["status"] == "not met"].reset_index(drop=True)

    def display(self, lang: str | None = None, *, counties: bool = True) -> pd.DataFrame:
        """The table as a planner reads it: names, formatted values and goals, statuses, in ``lang``.

        Columns (translated headers): plan target, area, achieved, goal this year, gap to
        goal, progress status, goal basis, target basis. No cell is NaN: a county without a goal says so.

        Examples
        --------
        >>> import pandas as pd
        >>> persons = pd.DataFrame({"person_id": ["a"], "category": [4], "grade": [3], "county": ["磐安"],
        ...     "sex": ["M"], "age": [30]})
        >>> posts = pd.DataFrame({"post_id": ["q"], "kind": ["保洁"], "county": ["磐安"], "capacity": [1]})
        >>> d = progress(persons, posts, None, 2025).display("zh")
        >>> d.iloc[0].tolist()[:4]
        ['新增残疾人就业', '全市', '0', '5,000']
        """
        rows = self.table if counties else self.city()
        names = {r.code: r for r in REGIONS}
        with language(lang):
            out = pd.DataFrame({
                _("plan target"): [target_label(t) for t in rows["target"]],
                _("area"): [_("city-wide") if s == "city" else (names[s].zh if get_language() == "zh" else names[s].en)
                             for s in rows["scope"]],
                _("achieved"): [_value_text(v, self.targets.is_rate(t), s) for v, t, s in
                             zip(rows["value"], rows["target"], rows["status"])],
                _("goal this year"): [format_goal(g, self.targets.is_rate(t), b) for g, t, b in
                            zip(rows["year_goal"], rows["target"], rows["goal_basis"])],
                _("gap to goal"): [_gap_text(g, self.targets.is_rate(t)) for g, t in zip(rows["gap"], rows["target"])],
                _("progress status"): [status_label(s) for s in rows["status"]],
                _("goal basis"): [basis_label(b) for b in rows["goal_basis"]],
                _("target basis"): [basis_label(b) for b in rows["target_basis"]],
            })
        return out


def _value_text(value: float, rate: bool, status: str) -> str:
    if status == "no data" or (isinstance(value, float) and math.isnan(value)):
        return _("no data")
    return format_value(value, rate)


def _gap_text(gap: float, rate: bool) -> str:
    if isinstance(gap, float) and math.isnan(gap):
        return "—"
    return format_value(gap, rate)


def assignments_of(allocation: Any) -> pd.DataFrame:
    """The ``person_id``/``post_id`` pairs of an allocation (object with ``.assignments``, or a DataFrame).

    Examples
    --------
    >>> assignments_of(pd.DataFrame({"person_id": ["a"], "post_id": ["q"]})).values.tolist()
    [['a', 'q']]
    """
    if allocation is None:
        return pd.DataFrame({"person_id": pd.Series([], dtype="string"), "post_id": pd.Series([], dtype="string")})
    frame = getattr(allocation, "assignments", allocation)
    if not isinstance(frame, pd.DataFrame):
        raise ArgumentError(f"allocation must be an Allocation (with .assignments) or a DataFrame, not {type(allocation).__name__}")
    missing = [c for c in ("person_id", "post_id") if c not in frame.columns]
    if missing:
        raise SchemaError([Problem(None, c, "(missing column)", f"a column {c!r} in the assignments") for c in missing],
                          "assignments")
    out = frame[["person_id", "post_id"]].astype("object").map(lambda v: v if pd.isna(v) else str(v))
    return out.dropna().reset_index(drop=True)


def _check_assignments(assign: pd.DataFrame, persons: pd.DataFrame, posts: pd.DataFrame) -> None:
    problems: list[Problem] = []
    known_p = set(persons["person_id"].astype("object"))
    known_q = set(posts["post_id"].astype("object"))
    for i, (pid, qid) in enumerate(zip(assign["person_id"], assign["post_id"]), start=1):
        if pid not in known_p:
            problems.append(Problem(i, "person_id", pid, "a person of the persons table"))
        if qid not in known_q:
            problems.append(Problem(i, "post_id", qid, "a post of the posts table"))
    for i in np.flatnonzero(assign["person_id"].duplicated().to_numpy()):
        problems.append(Problem(int(i) + 1, "person_id", assign["person_id"].iloc[i], "each person placed at most once"))
    if problems:
        raise SchemaError(problems, "assignments")


def _counts(keys: np.ndarray, weights: np.ndarray | None = None) -> dict[str, float]:
    s = pd.Series(np.ones(len(keys)) if weights is None else np.asarray(weights, dtype=float), index=keys)
    return {str(k): float(v) for k, v in s.groupby(level=0).sum().items()}


def _extra_column(frame: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    want = {normalize_label(n) for n in names}
    return next((c for c in frame.columns if normalize_label(c) in want), None)


def _created_years(qdf: pd.DataFrame) -> np.ndarray | None:
    col = _extra_column(qdf, _CREATED)
    if col is None:
        return None
    years = np.full(len(qdf), np.nan)
    problems = []
    for i, v in enumerate(qdf[col].astype("object")):
        if v is None or (isinstance(v, float) and math.isnan(v)) or str(v).strip() == "":
            continue
        m = re.match(r"^\s*((?:19|20)\d\d)(?:\s*年|[-/.]\d{1,2}|\s*$)", str(v))
        if m is None:
            problems.append(Problem(i + 1, col, v, "the year or date the post was created (2023, 2023-05-01)"))
        else:
            years[i] = int(m.group(1))
    if problems:
        raise SchemaError(problems, "posts")
    return years


def progress(persons: pd.DataFrame, posts: pd.DataFrame, allocation: Any, year: int, *,
             targets: PlanTargets | None = None, params: PolicyParameters | None = None,
             achieved: Mapping[str, Mapping[str, float]] | None = None,
             kiosk_site_posts: Mapping[str, float] | None = None,
             post_targets: str = "posts") -> PlanProgress:
    """Progress of the plan's targets after an allocation, city-wide and per county.

    Parameters
    ----------
    persons, posts : DataFrame
        Persons (all certificate holders for the employment rate; the four-ones service
        columns when kept) and posts tables.
    allocation : Allocation, DataFrame or None
        Anything with an ``assignments`` DataFrame (``person_id``, ``post_id``), or that
        DataFrame itself; ``None`` for the state before any allocation.
    year : int
        The year assessed (ages on 31 December; the goal of that year). A year outside
        2022–2025 is flagged in every row: the end-2025 targets are shown for reference only.
    targets : PlanTargets, optional
        Default: the plan's city-wide targets, no county targets, yearly goals as documented
        in :mod:`jhmatch.policy.targets`.
    params : PolicyParameters, optional
        For the working ages.
    achieved : mapping, optional
        Counts reached outside this allocation, per count target and county (``"city"``:
        not attributed to a county), e.g. ``{"new_jobs": {"义乌": 300}}``; added to the
        values and to ``targets.achieved``.
    kiosk_site_posts : mapping site_id -> number, optional
        All posts at each kiosk point, for the 10% rule.
    post_targets : {"posts", "placements"}
        Count welfare posts, tobacco outlets and agency posts from the posts table
        (default, as the plan counts posts) or from the placements into them.

    Examples
    --------
    >>> persons = pd.DataFrame({"person_id": ["a", "b"], "category": [4, 2], "grade": [3, 4], "county": ["磐安"] * 2,
    ...     "sex": ["M", "F"], "age": [30, 40], "employed": [False, True]})
    >>> posts = pd.DataFrame({"post_id": ["q"], "kind": ["保洁"], "county": ["磐安"], "capacity": [2]})
    >>> pr = progress(persons, posts, pd.DataFrame({"person_id": ["a"], "post_id": ["q"]}), 2025)
    >>> pr.city().set_index("target").loc[["new_jobs", "welfare_posts", "employment_rate"], "value"].tolist()
    [1.0, 2.0, 1.0]
    >>> pr.county("磐安").set_index("target").loc["new_jobs", ["status", "goal_text"]].tolist()
    ['no target', "no county target: the plan's target is city-wide"]
    """
    if post_targets not in ("posts", "placements"):
        raise ParameterError(f"post_targets: got {post_targets!r}, expected 'posts' or 'placements'")
    targets = targets or PlanTargets()
    year = int(year)
    day = dt.date(year, 12, 31)
    pdf = persons_table(persons)
    qdf = ensure_valid(posts, "posts")
    assign = assignments_of(allocation)
    _check_assignments(assign, pdf, qdf)

    pid = pdf["person_id"].astype("object").to_numpy()
    pcounty = pdf["county"].astype("object").to_numpy()
    placed = pd.Index(pid).isin(assign["person_id"].to_numpy())  # hashed: np.isin on objects sorts
    employed_before = pdf["employed"].to_numpy(dtype=bool)
    employed = employed_before | placed
    wa = working_age(pdf, day, params)["working_age"].to_numpy()
    willing = pdf["willing"].to_numpy(dtype=bool)

    qid = qdf["post_id"].astype("object").to_numpy()
    qkind = qdf["kind"].astype("object").to_numpy()
    qcounty = qdf["county"].astype("object").to_numpy()
    qcap = qdf["capacity"].to_numpy(dtype=float)
    row_of = pd.Series(np.arange(len(qdf)), index=qid)
    arow = row_of.reindex(assign["post_id"].to_numpy()).to_numpy(dtype=int)
    acounty = qcounty[arow]
    welfare = {k.code for k in post_kinds() if k.welfare}
    created = _created_years(qdf)
    kinds = {"welfare_posts": pd.Index(qkind).isin(list(welfare)), "tobacco_outlets": qkind == "tobacco_outlet",
             "agency_posts": qkind == "agency_post"}

    values: dict[str, tuple[dict[str, float], dict[str, float] | None]] = {
        "new_jobs": (_counts(pcounty[placed & ~employed_before]), None)}
    placed_in: dict[str, dict[str, float]] = {}
    for name, sel in kinds.items():
        if created is not None:
            first = year if name == "agency_posts" else PATHS[name][0]
            sel = sel & (np.isnan(created) | ((created >= first) & (created <= year)))
        in_sel = sel[arow]
        placed_in[name] = _counts(acounty[in_sel])
        values[name] = (_counts(qcounty[sel], qcap[sel]) if post_targets == "posts" else placed_in[name], None)
    graduate = pdf["graduate"].to_numpy(dtype=bool)
    values["employment_rate"] = (_counts(pcounty[wa & employed]), _counts(pcounty[wa]))
    values["graduate_rate"] = (_counts(pcounty[graduate & willing & employed]), _counts(pcounty[graduate & willing]))
    values["household_coverage"] = _households(pdf, wa & willing, employed)
    kiosk, kiosk_note = _kiosks(qdf, arow, targets.kiosk_share, kiosk_site_posts)
    values["kiosk_reserve"] = kiosk
    ledger = four_ones_ledger(persons, year, params=params)
    lt = ledger.table
    for name, service in zip(FOUR_ONES_TARGETS, FOUR_ONES):
        need = lt[service] != "not required"
        values[name] = ((_counts(lt.loc[need & (lt[service] == "done"), "county"].astype(object).to_numpy()),
                         _counts(lt.loc[need, "county"].astype(object).to_numpy()))
                        if service in ledger.recorded else ({}, {}))
    unattributed: dict[str, float] = {}
    no_figures = {n for n, ex in targets.extra.items() if not ex.count_column and n not in targets.achieved
                  and n not in (achieved or {})}
    for name, ex in targets.extra.items():
        if ex.unit == "count":
            col = _extra_column(pdf, (ex.count_column,)) if ex.count_column else None
            if ex.count_column and col is None:
                raise SchemaError([Problem(None, ex.count_column, "(missing column)",
                                           f"a yes/no column {ex.count_column!r} counted for target {name!r}")], "persons")
            values[name] = (_counts(pcounty[_yes(pdf[col], col)]) if col else {}, None)
    merged: dict[str, dict[str, float]] = {n: dict(v) for n, v in targets.achieved.items()}
    for name, per in (achieved or {}).items():
        if name not in COUNT_TARGETS and not (name in targets.extra and targets.extra[name].unit == "count"):
            raise ParameterError(f"achieved: {name!r} is not a count target ({', '.join(COUNT_TARGETS)})")
        for county, v in per.items():
            key = _scope(county)
            merged.setdefault(name, {})[key] = merged.get(name, {}).get(key, 0.0) + float(v)
    for name, per in merged.items():
        if targets.is_rate(name):
            if name not in targets.extra:
                raise ParameterError(f"achieved: {name!r} is a rate the persons table gives; achieved is for counts")
            values[name] = (dict(per), None)
            continue
        num = values.setdefault(name, ({}, None))[0]
        for key, v in per.items():
            if key == "city":
                unattributed[name] = unattributed.get(name, 0.0) + v
            else:
                num[key] = num.get(key, 0.0) + v

    rows = []
    for name in targets.names():
        num, den = values.get(name, ({}, None))
        for scope in ["city"] + [r.code for r in REGIONS]:
            rows.append(_row(name, scope, num, den, targets, year, unattributed.get(name, 0.0),
                             placed_in.get(name), kiosk_note if name == "kiosk_reserve" else "", name in no_figures))
    return PlanProgress(year, pd.DataFrame(rows), targets)


def _yes(col: pd.Series, name: str) -> np.ndarray:
    from jhmatch.data.table import parse_bool

    out = np.zeros(len(col), dtype=bool)
    problems = []
    for i, v in enumerate(col.astype("object")):
        if v is None or (isinstance(v, float) and math.isnan(v)) or str(v).strip() == "":
            continue
        if isinstance(v, (bool, np.bool_)):
            out[i] = bool(v)
            continue
        if re.match(r"^\s*(?:19|20)\d\d[-/.年]", str(v)):
            out[i] = True  # a date: done
            continue
        try:
            out[i] = parse_bool(v)
        except ValueError:
            problems.append(Problem(i + 1, name, v, "yes/no (是/否) or a date"))
    if problems:
        raise SchemaError(problems, "persons")
    return out


def _kiosks(qdf: pd.DataFrame, arow: np.ndarray, share: float,
            site_posts: Mapping[str, float] | None) -> tuple[tuple[dict[str, float], dict[str, float]], str]:
    sel = np.flatnonzero(qdf["kind"].astype("object").to_numpy() == "kiosk")
    if not len(sel):
        return ({}, {}), "no community service point (kiosk posts) in the posts table"
    k = qdf.iloc[sel]
    site = k["site_id"].astype("object") if "site_id" in k else pd.Series(None, index=k.index, dtype=object)
    site = site.where(site.notna(), k["post_id"].astype("object")).astype(str).to_numpy()
    filled = pd.Series(arow).value_counts().reindex(sel, fill_value=0).to_numpy(dtype=float)
    frame = pd.DataFrame({"site": site, "county": k["county"].astype("object").to_numpy(),
                          "listed": k["capacity"].to_numpy(dtype=float), "filled": filled})
    col = _extra_column(qdf, _SITE_POSTS)
    if col is not None:
        frame["given"] = pd.to_numeric(k[col].astype("object"), errors="coerce").to_numpy(dtype=float)
    g = frame.groupby("site", sort=True).agg(county=("county", "first"), listed=("listed", "sum"),
                                             filled=("filled", "sum"),
                                             **({"given": ("given", "max")} if col is not None else {}))
    total = g["given"].to_numpy(dtype=float) if col is not None else np.full(len(g), np.nan)
    given = dict(site_posts or {})
    total = np.array([float(given[s]) if s in given else t for s, t in zip(g.index, total)])
    assumed = np.isnan(total)
    total = np.where(assumed, g["listed"].to_numpy(dtype=float), total)
    floor = np.ceil(share * total - 1e-9)
    keeps = g["filled"].to_numpy() >= floor
    counties = g["county"].to_numpy()
    note = (f"{int(g['filled'].sum())} disabled persons placed at {len(g)} point(s) with {total.sum():g} posts; "
            f"rule: at least {share:.0%} of each point's posts")
    if assumed.any():
        note += (f"; {int(assumed.sum())} point(s) without a total of posts (kiosk_site_posts or a site_posts column): "
                 "their listed capacity is taken as all their posts")
    return (_counts(counties[keeps]), _counts(counties)), note


def _households(pdf: pd.DataFrame, able: np.ndarray, employed: np.ndarray) -> tuple[dict[str, float], dict[str, float]]:
    hh = pdf["household_id"].astype("object").to_numpy()
    hh = np.where(pd.isna(hh), "person:" + pdf["person_id"].astype("object").to_numpy().astype(str), hh)
    frame = pd.DataFrame({"hh": hh, "county": pdf["county"].astype("object").to_numpy(),
                          "difficulty": pdf["household_difficulty"].to_numpy(dtype=bool), "able": able, "employed": employed})
    frame = frame[frame["difficulty"]]
    g = frame.groupby("hh", sort=True).agg(county=("county", "first"), able=("able", "any"), employed=("employed", "any"))
    g = g[g["able"]]
    return _counts(g["county"].to_numpy()[g["employed"].to_numpy()]), _counts(g["county"].to_numpy())


def _row(name: str, scope: str, num: dict[str, float], den: dict[str, float] | None, targets: PlanTargets,
         year: int, unattributed: float, placed: dict[str, float] | None, note: str,
         no_figures: bool = False) -> dict[str, Any]:
    rate = targets.is_rate(name)
    city = scope == "city"
    basis = "plan" if city and name not in targets.extra else ("supplied" if city else targets.county_basis(name, scope))
    target = targets.city_target(name) if city else targets.county_target(name, scope)
    goal, goal_basis = targets.goal(name, scope, year)
    if math.isnan(target) and not math.isnan(goal):
        basis = "supplied"
    where = "city-wide" if city else f"county {scope}"
    none = math.isnan(goal)
    if no_figures:  # an extra target nobody gave a figure for
        n = d = value = gap = np.nan
        status = "no data"
        text = f"{name} {where}: no figure supplied (give achieved, or a count_column of the persons table)"
    elif den is None and rate:  # an extra rate: the value is given per scope
        n, d = (num.get(scope, np.nan)), np.nan
        value = n
        status = "no data" if math.isnan(value) else ("no target" if none else ("met" if ge(value, goal) else "not met"))
        gap = max(goal - value, 0.0) if status in ("met", "not met") else np.nan
        text = f"{name} {where}: " + ("no figure supplied" if math.isnan(value) else f"{value * 100:.2f}%")
    elif den is None:
        n = (sum(num.values()) + unattributed) if city else num.get(scope, 0.0)
        value, d = n, np.nan
        status = "no target" if none else ("met" if ge(value, goal) else "not met")
        gap = np.nan if none else max(goal - value, 0.0)
        text = f"{name} {where}: {value:g}"
        if city and unattributed:
            text += f" (of which {unattributed:g} supplied without a county)"
    else:
        n = sum(num.values()) if city else num.get(scope, 0.0)
        d = sum(den.values()) if city else den.get(scope, 0.0)
        value = n / d if d else np.nan
        status = "no data" if not d else ("no target" if none else ("met" if ge(n, goal * d) else "not met"))
        gap = max(goal - value, 0.0) if d and not none else np.nan
        text = f"{name} {where}: " + (f"{n:g} of {d:g} = {value * 100:.2f}%" if d else "nobody in scope")
        if name == "kiosk_reserve" and d:
            text = f"{name} {where}: {n:g} of {d:g} new community service points keep the rule = {value * 100:.2f}%"
        if name in FOUR_ONES_TARGETS and not den:
            text = f"{name} {where}: no data (the persons table has no column for this service, or nobody in scope)"
    if not none and status in ("met", "not met"):
        shown = f"{goal * 100:g}%" if rate else f"{goal:.4g}"
        text += f" against a goal of {shown} for {year} ({goal_basis})"
        if goal_basis != "supplied" and goal != target and not math.isnan(target):
            text += f"; target {target * 100:g}%" if rate else f"; target {target:.4g}"
        text += f"; gap {gap * 100:.2f} points" if rate else f"; gap {gap:.4g}"
    if placed is not None:
        p = sum(placed.values()) if city else placed.get(scope, 0.0)
        text += f"; {p:g} placed in these posts by this allocation"
    if note and city:
        text += f"; {note}"
    if none:
        text += " (no county target: the plan's target is city-wide; supply county targets or ask for a split)" \
            if not city else " (no city-wide target given)"
    elif basis.endswith("(ASSUMPTION)"):
        text += f" (ASSUMPTION: county target from a {basis.removesuffix(' (ASSUMPTION)')}, not the plan's)"
    elif basis == "supplied" and not city:
        text += " (county target supplied by the user)"
    if goal_basis == "linear path (ASSUMPTION)":
        text += " (ASSUMPTION: the plan gives no yearly milestones; an even path to the end target is used)"
    in_period = PLAN_YEARS[0] <= year <= PLAN_YEARS[1]
    if not in_period:
        text += (f" [year {year} is outside the plan period {PLAN_YEARS[0]}–{PLAN_YEARS[1]}: the end-2025 "
                 "target is shown for reference only]")
    source = targets.source(name)
    return {"target": name, "label": target_label(name), "scope": scope, "year": year, "value": value,
            "numerator": n, "denominator": d, "target_value": target, "year_goal": goal, "goal_basis": goal_basis,
            "gap": gap, "status": status, "status_label": status_label(status),
            "goal_text": format_goal(goal, rate, "none" if not city else ""),
            "target_basis": basis, "assumption": basis.endswith("(ASSUMPTION)") or goal_basis.endswith("(ASSUMPTION)"),
            "in_plan_period": in_period, "placed": (sum(placed.values()) if city else placed.get(scope, 0.0))
            if placed is not None else np.nan, "source": source, "explanation": f"{text} — {source}"}
