"""The "one person, one plan" service ledger for disabled graduates (measure 八 of the plan).

PLAN §二(八) (实施残疾人大学生就业精准服务): build early a “一人一策”就业服务台账 for graduating
disabled university students, serve each one to one (政策宣讲、技能培训、岗位推介), apply the
employment support and subsidy policies, so that every graduate who wants work is
employed (百分百就业, the ``graduate_rate`` target of §一). :func:`graduate_ledger` keeps that
ledger: one row per graduate (``graduate`` yes in the persons table), every graduate
exactly once — also those without a county, who are listed last and said to have none.

Per graduate:

- **recommended posts**: the scorer's best ``k`` posts (:func:`jhmatch.matching.recommend.top_posts`,
  at most two of a kind), named by title, employer and county;
- **courses**: the courses that would make more posts possible (:func:`~jhmatch.training.course_unlocks`,
  certificates only), most posts first (the export names three, one per course name, a
  course in the graduate's county first);
- **policies**: computed by their one home in :mod:`jhmatch.policy` (:data:`POLICIES` lists which);
- **services** (四个一, PLAN §二(十)): :func:`jhmatch.policy.four_ones_ledger` for the year of
  ``as_of``; a graduate outside its scope (employed, or not of working age) is ``not in scope``;
- **status** (:data:`STATUSES`): ``placed`` (in the allocation), ``employed`` (already, per the
  persons table), ``not seeking`` (no wish to work), ``recommended`` (some post is a candidate),
  ``needs training`` (none is, but a course unlocks one), ``no suitable post`` (neither).

ID and certificate numbers are masked in the table and every export.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.data.ids import mask_ids
from jhmatch.errors import ParameterError, Problem, SchemaError
from jhmatch.i18n import N_
from jhmatch.taxonomy import REGIONS

__all__ = ["POLICIES", "SERVICE_STATES", "STATUSES", "GraduateLedger", "graduate_ledger"]

STATUSES: Mapping[str, str] = MappingProxyType({
    "placed": N_("placed"), "employed": N_("already employed"), "not seeking": N_("not seeking work"),
    "recommended": N_("posts recommended"), "needs training": N_("needs training"),
    "no suitable post": N_("no suitable post yet"),
})
"""Status codes of a graduate, in the order they are decided, with their planner's names."""

SERVICE_STATES: Mapping[str, str] = MappingProxyType({
    "done": N_("done"), "missing": N_("not done"),
    "not required": N_("not required"), "not in scope": N_("not in scope")
})
"""States of a four-ones service in the ledger (:func:`jhmatch.policy.four_ones_ledger`, plus ``not in scope``)."""

POLICIES: Mapping[str, tuple[str, str, str, str]] = MappingProxyType({
    "graduate_guarantee": (N_("employment guarantee for graduates who want work"), "PLAN §一, §二(八)",
                           N_("a graduate who wants work"),
                           "persons: graduate and willing (the scope of the graduate_rate target, jhmatch.policy.progress)"),
    "four_ones": (N_("the four ones employment services"), "PLAN §二(十)",
                  N_("each year: an information check for a graduate not in work; for one who wants work also a "
                     "vocational assessment, a job registration and an employment service"), "jhmatch.policy.four_ones_ledger"),
    "dibao_disregard": (N_("dibao: job earnings not counted as household income"), "PLAN §二(六)",
                        N_("a graduate of a dibao household in a first job or a new job: the earnings are not counted "
                           "as household income for 3 years, then a 1-year phase-out"), "jhmatch.policy.dibao_disregard"),
    "quota_weight": (N_("counts towards an employer's disability quota"), "残疾人就业条例; 财税〔2015〕72号",
                     N_("a labour contract of at least one year, a wage of at least the local minimum and social "
                        "insurance paid; grades 1 and 2 count twice"), "jhmatch.policy.qualify_employees"),
})
"""Policies the ledger lists: code → (name, where written, who qualifies in words, the function that decides it)."""


@dataclass(frozen=True)
class GraduateLedger:
    """The 一人一策 ledger: one row per disabled graduate.

    Attributes
    ----------
    as_of : Timestamp
        Date of the ledger (the four ones are those of its year).
    table : DataFrame
        One row per graduate, sorted by county (missing last) and person id: person_id,
        name, id_number and certificate_number (masked), county (code, missing when
        unknown), category, grade, education, willing, employed, low_income, status
        (:data:`STATUSES`), placed_post, recommended (``;``-joined post ids),
        courses (``;``-joined course ids, most posts unlocked first), policies (``;``-joined
        :data:`POLICIES` codes), dibao_disregard_end and dibao_phaseout_end (dates for a job
        started on ``as_of``), quota_weight (times the graduate would count towards an
        employer's quota), one column per four-ones service (:data:`SERVICE_STATES`), note
        (``county unknown`` or empty). :meth:`to_frame` gives the texts.
    recommendations : DataFrame
        person_id, rank, post_id, score, title, employer, county.
    unlocks : DataFrame
        person_id, course_id, name, county, posts (posts the course unlocks for the person), most posts first.
    posts : DataFrame
        By post id: title, employer (name, else id), county — to name the placed and recommended posts.
    policies_used : tuple of str
        The policy functions called (:data:`POLICIES`).
    notes : tuple of str
        What could not be assessed and why (English).
    """

    as_of: pd.Timestamp
    table: pd.DataFrame
    recommendations: pd.DataFrame
    unlocks: pd.DataFrame
    posts: pd.DataFrame
    policies_used: tuple[str, ...] = field(default=())
    notes: tuple[str, ...] = field(default=())

    def __len__(self) -> int:
        return len(self.table)

    def counts(self) -> dict[str, int]:
        """Graduates per status (every status, zeros included).

        Examples
        --------
        >>> p = pd.DataFrame({"person_id": ["a"], "category": [4], "grade": [3], "county": ["义乌"], "age": [22],
        ...                   "graduate": [True], "willing": [False]})
        >>> q = pd.DataFrame({"post_id": ["q"], "kind": ["保洁"], "county": ["义乌"], "capacity": [1]})
        >>> graduate_ledger(p, q, as_of="2025-06-30").counts()["not seeking"]
        1
        """
        got = self.table["status"].value_counts()
        return {s: int(got.get(s, 0)) for s in STATUSES}

    def to_frame(self, lang: str | None = None) -> pd.DataFrame:
        """The ledger as the office reads it: translated headers and values, one row per graduate.

        Examples
        --------
        >>> p = pd.DataFrame({"person_id": ["a"], "category": [4], "grade": [3], "county": ["义乌"], "age": [22],
        ...                   "graduate": [True], "id_number": ["330782200301011236"]})
        >>> q = pd.DataFrame({"post_id": ["q"], "kind": ["保洁"], "county": ["义乌"], "capacity": [1]})
        >>> f = graduate_ledger(p, q, as_of="2025-06-30").to_frame("zh")
        >>> f.loc[0, "身份证号"]
        '330*************36'
        """
        from jhmatch.training._ledger_view import office_frame

        return office_frame(self, lang)

    def write_excel(self, path: Any, *, county: Any = None, lang: str | None = "zh") -> Any:
        """Write the ledger for the office: an Excel workbook with a title row (date, county), atomically.

        See :func:`jhmatch.training._ledger_view.write_ledger_workbook`.
        """
        from jhmatch.training._ledger_view import write_ledger_workbook

        return write_ledger_workbook(self, path, county=county, lang=lang)

    def for_county(self, county: Any) -> GraduateLedger:
        """The ledger of one county's graduates (code or name): its rows, recommendations and courses.

        Raises
        ------
        UnknownLabelError
            For a name that is not one of Jinhua's counties.

        Examples
        --------
        >>> p = pd.DataFrame({"person_id": ["a", "b"], "category": [4, 4], "grade": [3, 3], "county": ["义乌", "东阳"],
        ...                   "age": [22, 23], "graduate": [True, True]})
        >>> q = pd.DataFrame({"post_id": ["q"], "kind": ["保洁"], "county": ["义乌"], "capacity": [1]})
        >>> led = graduate_ledger(p, q, as_of="2025-06-30")
        >>> len(led), len(led.for_county("义乌")), led.for_county("义乌").table["person_id"].tolist()
        (2, 1, ['a'])
        """
        from dataclasses import replace

        from jhmatch.taxonomy import region

        code = region(county).code
        keep = (self.table["county"] == code).fillna(False).to_numpy(dtype=bool)
        ids = set(self.table.loc[keep, "person_id"])
        return replace(self, table=self.table[keep].reset_index(drop=True),
                       recommendations=self.recommendations[self.recommendations["person_id"].isin(ids)]
                       .reset_index(drop=True),
                       unlocks=self.unlocks[self.unlocks["person_id"].isin(ids)].reset_index(drop=True))


def _services(pdf: pd.DataFrame, services: pd.DataFrame | None) -> pd.DataFrame:
    """The persons table with the four-ones columns of ``services`` joined by person id."""
    if services is None:
        return pdf
    from jhmatch.data.table import Column, TableSchema

    ids = TableSchema("services", (Column("person_id", "id", required=True, unique=True,
                                          aliases=("编号", "人员编号", "person")),))
    hmap = ids.header_map()
    from jhmatch.taxonomy import normalize_label

    key = next((c for c in services.columns if hmap.get(normalize_label(c)) == "person_id"), None)
    file = services.attrs.get("source")
    if key is None:
        raise SchemaError([Problem(None, "person_id", "(missing column)", "a person id column (人员编号)", file)],
                          "services")
    sid = services[key].astype("object").map(lambda v: None if pd.isna(v) else str(v).strip())
    known = set(pdf["person_id"].astype(str))
    problems = [Problem(i + 1, key, v, "a person of the persons table", file) for i, v in enumerate(sid)
                if v is None or v not in known]
    problems += [Problem(int(i) + 1, key, sid.iloc[i], "each person once", file)
                 for i in np.flatnonzero(sid.duplicated().to_numpy())]
    if problems:
        raise SchemaError(problems, "services")
    extra = services.drop(columns=[key]).set_axis(sid.to_numpy()).reindex(pdf["person_id"].astype(str).to_numpy())
    out = pdf.drop(columns=[c for c in extra.columns if c in pdf.columns]).copy()
    for col in extra.columns:
        out[col] = extra[col].to_numpy(dtype=object)
    out.attrs = dict(pdf.attrs)
    return out


def _employer_names(posts: pd.DataFrame, employers: pd.DataFrame | None) -> pd.Series:
    """Per post id: the employer's name (posts' employer_name, else the employers table), else its id."""
    name = pd.Series([None] * len(posts), index=posts["post_id"].astype(str).to_numpy(), dtype=object)
    if "employer_name" in posts:
        name[:] = posts["employer_name"].astype("object").where(posts["employer_name"].notna(), None).to_numpy()
    if "employer_id" in posts:
        ids = posts["employer_id"].astype("object").to_numpy()
        if employers is not None and {"employer_id", "name"} <= set(employers.columns):
            names = employers.drop_duplicates("employer_id").set_index("employer_id")["name"].astype("object")
            found = pd.Series(ids).map(names).to_numpy(dtype=object)
            name = name.where(name.notna(), found)
        name = name.where(name.notna(), ids)
    return name


def _policies(g: pd.DataFrame, as_of: pd.Timestamp, notes: list[str]) -> dict[str, np.ndarray]:
    """Per graduate, the policy codes that apply (``;``-joined), each decided by its function in jhmatch.policy.

    Also ``dibao_disregard_end``/``dibao_phaseout_end`` (dates, for a job started on ``as_of``) and
    ``quota_weight`` (how many times the graduate would count towards an employer's quota).
    """
    from jhmatch.policy import PolicyParameters, dibao_disregard, four_ones_ledger, qualify_employees

    n = len(g)
    applies = {code: np.zeros(n, dtype=bool) for code in POLICIES}
    applies["graduate_guarantee"] = g["willing"].to_numpy(dtype=bool)
    scope = four_ones_ledger(g, as_of.year).table["person_id"].astype(str)
    applies["four_ones"] = g["person_id"].astype(str).isin(set(scope)).to_numpy(dtype=bool)
    dis_end = np.full(n, None, dtype=object)
    out_end = np.full(n, None, dtype=object)
    weight = np.full(n, np.nan)
    low = np.flatnonzero(g["low_income"].to_numpy(dtype=bool))
    if len(low):
        try:
            d = dibao_disregard(pd.DataFrame({"person_id": g["person_id"].iloc[low].astype(str).to_numpy(),
                                              "employment_start": str(as_of.date()), "low_income": True}),
                                on=as_of.date()).table
            dis_end[low] = [str(x.date()) for x in d["disregard_end"]]
            out_end[low] = [str(x.date()) for x in d["phaseout_end"]]
            applies["dibao_disregard"][low] = True
        except ParameterError as exc:
            notes.append(f"dibao disregard not assessed: {exc}")
    grade = g["grade"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    ok = np.flatnonzero(~np.isnan(grade) & g["county"].notna().to_numpy())
    if len(ok):
        try:
            params = PolicyParameters.for_date(as_of.date())
            county = g["county"].astype("object").to_numpy()[ok]
            emp = pd.DataFrame({"person_id": g["person_id"].astype(str).to_numpy()[ok], "employer_id": "prospective",
                                "county": county, "grade": grade[ok], "contract_months": 12.0,
                                "monthly_wage": np.asarray(params.minimum_wage(county), dtype=float),
                                "social_insurance": True})
            for col in ("birth_date", "age", "sex"):
                if col in g:
                    emp[col] = g[col].iloc[ok].astype("object").to_numpy()
            weight[ok] = qualify_employees(emp, params).table["weight"].to_numpy(dtype=float)
            applies["quota_weight"] = np.nan_to_num(weight) > 0
        except ParameterError as exc:
            notes.append(f"quota weight not assessed: {exc}")
    joined = np.full(n, "", dtype=object)
    for code in POLICIES:
        joined = np.where(applies[code], np.where(joined == "", code, joined + ";" + code), joined)
    return {"policies": joined, "dibao_disregard_end": dis_end, "dibao_phaseout_end": out_end, "quota_weight": weight}


def graduate_ledger(persons: pd.DataFrame, posts: pd.DataFrame, *, courses: pd.DataFrame | None = None,
                    allocation: Any = None, services: pd.DataFrame | None = None,
                    employers: pd.DataFrame | None = None, as_of: Any = None, k: int = 5,
                    scorer: Any = None) -> GraduateLedger:
    """The 一人一策 ledger of every disabled graduate (PLAN §二(八)).

    Parameters
    ----------
    persons, posts : DataFrame
        Raw or validated tables; graduates are the persons with ``graduate`` yes.
    courses : DataFrame, optional
        A courses table (:func:`~jhmatch.training.validate_courses`): the courses that unlock posts.
    allocation : Allocation or DataFrame, optional
        Placements (``person_id``, ``post_id``): a graduate placed there is ``placed``.
    services : DataFrame, optional
        The four-ones services by person id (基础信息核对, 职业能力评估, 就业需求登记, 就业服务: yes/no or
        a date), when not columns of ``persons``.
    employers : DataFrame, optional
        ``employer_id, name``: the employers' names for the recommended posts.
    as_of : date-like, optional
        Date of the ledger (default today): the four ones of its year, ages, policy dates.
    k : int, default 5
        Posts recommended per graduate.
    scorer : CompatibilityScorer, optional
        Default ``CompatibilityScorer(top_k=max(10k, 50), as_of=as_of)`` (room for at most two posts of a kind).

    Returns
    -------
    GraduateLedger

    Raises
    ------
    SchemaError
        For an allocation or services table naming unknown persons or posts (row, column, value).

    Examples
    --------
    >>> p = pd.DataFrame({"person_id": ["a", "b", "c"], "category": [4, 2, 4], "grade": [2, 3, 3],
    ...     "county": ["义乌", "东阳", None], "age": [22, 23, 22], "graduate": [True, True, True],
    ...     "willing": [True, True, False]})
    >>> q = pd.DataFrame({"post_id": ["q1", "q2"], "title": ["在线客服", "保洁员"], "kind": ["云客服", "保洁"],
    ...     "county": ["义乌", "东阳"], "capacity": [2, 1]})
    >>> led = graduate_ledger(p, q, allocation=pd.DataFrame({"person_id": ["b"], "post_id": ["q2"]}),
    ...                       as_of="2025-06-30")
    >>> led.table[["person_id", "status"]].values.tolist()
    [['a', 'recommended'], ['b', 'placed'], ['c', 'not seeking']]
    """
    from jhmatch.data.valid import ensure_valid
    from jhmatch.matching import CompatibilityScorer
    from jhmatch.matching.recommend import top_posts
    from jhmatch.policy import FOUR_ONES, assignments_of, four_ones_ledger
    from jhmatch.training.courses import COURSES
    from jhmatch.training.unlock import course_unlocks

    when = pd.Timestamp(dt.date.today() if as_of is None else as_of).normalize()
    if not isinstance(k, (int, np.integer)) or isinstance(k, bool) or k < 1:
        raise ParameterError(f"k must be a whole number ≥ 1, got {k!r}")
    pdf = _services(ensure_valid(persons, "persons"), services)
    qdf = ensure_valid(posts, "posts")
    g = pdf[pdf["graduate"].to_numpy(dtype=bool)].reset_index(drop=True)
    g.attrs = dict(pdf.attrs)
    gid = g["person_id"].astype(str).to_numpy()
    notes: list[str] = []
    # placements
    assign = assignments_of(allocation)
    qids = set(qdf["post_id"].astype(str))
    bad = [Problem(i + 1, "post_id", q, "a post of the posts table") for i, q in enumerate(assign["post_id"])
           if q not in qids]
    pids = set(pdf["person_id"].astype(str))
    bad += [Problem(i + 1, "person_id", p, "a person of the persons table") for i, p in enumerate(assign["person_id"])
            if p not in pids]
    if bad:
        raise SchemaError(bad, "allocation")
    placed_at = assign.drop_duplicates("person_id").set_index("person_id")["post_id"].reindex(gid).to_numpy(dtype=object)
    # recommendations
    title = pd.Series(qdf["title"].astype("object").fillna("").to_numpy(), index=qdf["post_id"].astype(str).to_numpy())
    employer = _employer_names(qdf, employers)
    pcounty = pd.Series(qdf["county"].astype("object").to_numpy(), index=qdf["post_id"].astype(str).to_numpy())
    if scorer is None:
        scorer = CompatibilityScorer(top_k=max(10 * int(k), 50), as_of=when.date())
    if len(g):
        rec = top_posts(scorer.score(g, qdf), int(k), posts=qdf, max_per_kind=2)
    else:
        rec = pd.DataFrame({"person_id": [], "rank": [], "post_id": [], "score": []})
    rec = rec[["person_id", "rank", "post_id", "score"]].reset_index(drop=True)
    rec["person_id"], rec["post_id"] = rec["person_id"].astype(str), rec["post_id"].astype(str)
    rec["title"] = title.reindex(rec["post_id"]).to_numpy(dtype=object)
    rec["employer"] = employer.reindex(rec["post_id"]).to_numpy(dtype=object)
    rec["county"] = pcounty.reindex(rec["post_id"]).to_numpy(dtype=object)
    posts_view = pd.DataFrame({"title": title, "employer": employer, "county": pcounty})
    # courses
    unl = pd.DataFrame({"person_id": pd.Series(dtype=object), "course_id": pd.Series(dtype=object),
                        "name": pd.Series(dtype=object), "county": pd.Series(dtype=object),
                        "posts": pd.Series(dtype="int64")})
    if courses is not None and len(g):
        cdf = courses if COURSES.is_canonical(courses) else COURSES.validate(courses, courses.attrs.get("source"))
        u = course_unlocks(g, _licensed_posts(qdf), cdf, scorer).table
        if len(u):
            per = u.groupby(["person_id", "course_id"], sort=False).size().rename("posts").reset_index()
            names = pd.Series(cdf["name"].astype("object").to_numpy(), index=cdf["course_id"].astype(str).to_numpy())
            per["name"] = names.reindex(per["course_id"].astype(str)).to_numpy(dtype=object)
            where = pd.Series(cdf["county"].astype("object").to_numpy(), index=cdf["course_id"].astype(str).to_numpy())
            per["county"] = where.reindex(per["course_id"].astype(str)).to_numpy(dtype=object)
            unl = per.sort_values(["person_id", "posts", "course_id"], ascending=[True, False, True], kind="stable")
            unl = unl[["person_id", "course_id", "name", "county", "posts"]].reset_index(drop=True)
    elif courses is None:
        notes.append("no courses table given: the courses column is empty")
    # four ones
    fo = four_ones_ledger(g, when.year).table.set_index("person_id") if len(g) else None
    services_cols = {}
    for s in FOUR_ONES:
        col = np.full(len(g), "not in scope", dtype=object)
        if fo is not None and len(fo):
            got = fo[s].astype("object").reindex(gid).to_numpy(dtype=object)
            col = np.where(pd.isna(got), col, got)
        services_cols[s] = col
    policies = _policies(g, when, notes) if len(g) else {
        "policies": np.empty(0, dtype=object), "dibao_disregard_end": np.empty(0, dtype=object),
        "dibao_phaseout_end": np.empty(0, dtype=object), "quota_weight": np.empty(0)}
    table = _assemble(g, gid, placed_at, rec, unl, services_cols, policies)
    used = tuple(dict.fromkeys(POLICIES[c][2] for c in POLICIES))
    return GraduateLedger(when, table, rec, unl, posts_view, used, tuple(notes))


def _assemble(g: pd.DataFrame, gid: np.ndarray, placed_at: np.ndarray, rec: pd.DataFrame, unl: pd.DataFrame,
              services_cols: dict[str, np.ndarray], policies: dict[str, np.ndarray]) -> pd.DataFrame:
    """The ledger's rows: status, ``;``-joined ids and codes, masked numbers, sorted by county then id."""
    rec_ids = rec.groupby("person_id", sort=False)["post_id"].agg(";".join).reindex(gid)
    unl_ids = unl.groupby("person_id", sort=False)["course_id"].agg(lambda s: ";".join(map(str, s))).reindex(gid)
    placed = pd.notna(placed_at)
    employed = g["employed"].to_numpy(dtype=bool)
    willing = g["willing"].to_numpy(dtype=bool)
    status = np.select([placed, employed, ~willing, rec_ids.notna().to_numpy(), unl_ids.notna().to_numpy()],
                       ["placed", "employed", "not seeking", "recommended", "needs training"], "no suitable post")
    county = _objects(g, "county")
    note = np.array(["county unknown" if c is None else "" for c in county], dtype=object)
    masked = {c: _objects(pd.DataFrame({c: mask_ids(g[c])}), c) if c in g else None
              for c in ("id_number", "certificate_number")}
    out = pd.DataFrame({
        "person_id": gid, "name": _objects(g, "name"), **masked,
        "county": county, "category": g["category"].astype("object").to_numpy(),
        "grade": g["grade"].astype("Int64").to_numpy(dtype=object, na_value=None),
        "education": g["education"].astype("Int64").to_numpy(dtype=object, na_value=None) if "education" in g else None,
        "willing": willing, "employed": employed, "low_income": g["low_income"].to_numpy(dtype=bool),
        "status": status.astype(object), "placed_post": placed_at,
        "recommended": rec_ids.to_numpy(dtype=object), "courses": unl_ids.to_numpy(dtype=object),
        **policies, **services_cols, "note": note,
    })
    order = {r.code: i for i, r in enumerate(REGIONS)}
    rank = np.array([order.get(c, len(order)) if isinstance(c, str) else len(order) for c in county])
    return out.iloc[np.lexsort((gid, rank))].reset_index(drop=True)


def _licensed_posts(posts: pd.DataFrame) -> pd.DataFrame:
    """The posts that require a licence (as the scorer reads them): the only ones a course can unlock.

    Scoring the graduates against these alone gives the same unlocked posts as against
    all (checked by the tests) and is far quicker; the ledger does not show the scores.
    """
    from jhmatch.matching.post_facts import post_facts

    need = post_facts(posts).certificates.any(axis=1)
    out = posts[need]
    out.attrs = dict(posts.attrs)
    return out


def _objects(frame: pd.DataFrame, col: str) -> np.ndarray | None:
    """A column as Python objects, missing as ``None`` (``None`` when the column is absent)."""
    if col not in frame:
        return None
    s = frame[col].astype("object")
    return s.where(s.notna(), None).to_numpy(dtype=object)
