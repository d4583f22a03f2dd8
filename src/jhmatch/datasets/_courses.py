"""A synthetic course catalogue for the synthetic city (measures 七 and 九 of the plan).

:func:`make_courses` turns the synthetic city's job catalogue (:mod:`jhmatch.datasets._jobs`)
into training courses: one course template per job, granting the job's certificates
(电工证, 叉车证, C1 …) and the skills a person who did it would list, for the job's
CSCO occupation. The templates the city's posts ask for come first: every certificate
some post requires is granted by at least one course (when ``n`` allows), then the
other templates are drawn in proportion to the posts of their kind. The table passes
:func:`jhmatch.training.validate_courses`, and every row's ``source`` says it is synthetic.

Which values are assumptions (all of them: a synthetic catalogue)
-------------------------------------------------------------------
ASSUMPTION, judgement values for a Zhejiang county: the duration by what a course
grants (special-operation certificates 7–15 days as the 安监总局令第30号 courses run,
driving licences 45–60, blind medical massage 120–180, accounting 30–45, other skills
10–30), a cost of 80–200 yuan a day, 10–40 seats, the format by post kind (订单式 for
enterprise posts, 师带徒 for handicraft and massage, 孵化 for e-commerce, outlets and
rural work, 集中培训 otherwise, a fifth of the rest drawn at random), the county
(resident population shares, rural courses twice as often in the 26 mountain counties)
and the categories a course is accessible to (a course for work with a hazard is not
offered to the categories that hazard usually rules out, e.g. no driving course for
visual disabilities, no telephone course for hearing or speech disabilities).

The draw uses its own random stream (``default_rng([seed, 16])``), so asking for
courses leaves the four tables of :func:`~jhmatch.datasets.make_jinhua` unchanged.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jhmatch.datasets._jobs import JOBS
from jhmatch.errors import ParameterError
from jhmatch.taxonomy import REGIONS, DisabilityCategory

__all__ = ["COURSE_STREAM", "course_templates", "default_course_count", "make_courses"]

COURSE_STREAM = 16
"""Second word of the course draw's seed (issue 16): ``default_rng([seed, COURSE_STREAM])``."""

_CATEGORIES = tuple(c.value for c in DisabilityCategory)
_EXCLUDED: dict[str, frozenset[str]] = {  # ASSUMPTION: categories a hazard usually rules out of a course
    "drives_vehicle": frozenset({"visual", "intellectual", "mental", "multiple"}),
    "moving_machinery": frozenset({"visual", "intellectual", "mental", "multiple"}),
    "electrical_work": frozenset({"visual", "intellectual", "mental", "multiple"}),
    "works_at_height": frozenset({"visual", "intellectual", "mental", "multiple"}),
    "hot_work": frozenset({"visual", "intellectual", "multiple"}),
    "hazardous_substances": frozenset({"intellectual"}),
    "telephone": frozenset({"hearing", "speech"}),
    "reading": frozenset({"visual", "intellectual"}),
    "heavy_lifting": frozenset({"multiple"}),
}
_DAYS: dict[str, tuple[int, int]] = {  # ASSUMPTION: course length by the certificate granted
    "driving": (45, 60), "special": (7, 15), "blind_medical_massage": (120, 180), "accounting": (30, 45),
    "skills": (10, 30)}
_SPECIAL = frozenset({"electrician", "welder", "height_work", "forklift", "crane"})
_FORMAT_BY_KIND = {"enterprise_post": "订单式", "soe_post": "订单式", "handicraft": "师带徒", "blind_massage": "师带徒",
                   "ecommerce": "孵化", "rural_ecommerce": "孵化", "tobacco_outlet": "孵化", "lottery_outlet": "孵化",
                   "kiosk": "孵化", "rural_planting": "孵化", "rural_breeding": "孵化", "prosperity_workshop": "订单式"}
_FORMATS = ("订单式", "师带徒", "孵化", "集中培训")
_PROVIDER = {"订单式": "订单培训合作企业", "师带徒": "技能大师工作室", "孵化": "残疾人创业孵化基地",
             "集中培训": "残疾人职业技能培训定点机构"}
_ZH_CATEGORY = {c.value: c.zh for c in DisabilityCategory}


def course_templates() -> pd.DataFrame:
    """One course template per job of the synthetic job catalogue.

    Returns
    -------
    DataFrame
        kind, weight (the job's weight within its kind, normalised), name, grants_skills,
        grants_certificates (codes), occupations, days_lo, days_hi, format, accessible
        (``;``-joined Chinese category names; empty: every category).

    Examples
    --------
    >>> t = course_templates()
    >>> t.loc[t["grants_certificates"] == "forklift", ["name", "format"]].values.tolist()
    [['叉车司机培训', '订单式']]
    """
    rows = []
    for kind, jobs in JOBS.items():
        total = sum(j.weight for j in jobs)
        for job in jobs:
            certs = [c for c in job.certificates.split(";") if c]
            skills = list(dict.fromkeys(s for s in (*job.person_skills, *";".join(job.skills).split(";")) if s))
            if any(c.startswith("driving") for c in certs):
                band = "driving"
            elif any(c in _SPECIAL for c in certs):
                band = "special"
            elif certs and certs[0] in _DAYS:
                band = certs[0]
            else:
                band = "skills"
            excluded = set().union(*(_EXCLUDED.get(h, frozenset()) for h in job.hazards.split(";")))
            if kind == "blind_massage":
                excluded |= set(_CATEGORIES) - ({"visual"} if certs else {"visual", "physical", "hearing"})
            allowed = [c for c in _CATEGORIES if c not in excluded]
            rows.append({"kind": kind, "weight": job.weight / total, "name": f"{job.titles[0]}培训",
                         "grants_skills": " ".join(skills), "grants_certificates": ";".join(certs),
                         "occupations": job.occupation, "days_lo": _DAYS[band][0], "days_hi": _DAYS[band][1],
                         "format": _FORMAT_BY_KIND.get(kind, "集中培训"),
                         "accessible": "" if len(allowed) == len(_CATEGORIES) else
                         ";".join(_ZH_CATEGORY[c] for c in allowed)})
    return pd.DataFrame(rows)


def default_course_count(n_posts: int) -> int:
    """Courses made when ``courses=True``: one per 40 posts, at least 12 and at most 400.

    Examples
    --------
    >>> default_course_count(60), default_course_count(6000), default_course_count(10**6)
    (12, 150, 400)
    """
    return int(np.clip(n_posts // 40, 12, 400))


def _distinct_names(names: np.ndarray, county: np.ndarray) -> np.ndarray:
    """Course names made distinct: a name given twice gets its county, then a class number (电工培训（义乌市第2期）).

    Uses no random draw (the catalogue's other values are unchanged).

    Examples
    --------
    >>> _distinct_names(np.array(["电工培训", "电工培训", "电工培训", "面点培训"], dtype=object),
    ...                 np.array(["义乌市", "东阳市", "义乌市", "义乌市"], dtype=object)).tolist()
    ['电工培训（义乌市第1期）', '电工培训（东阳市）', '电工培训（义乌市第2期）', '面点培训']
    """
    base = pd.Series(names, dtype=object)
    twice = base.duplicated(keep=False).to_numpy()
    named = pd.Series(np.where(twice, base + "（" + pd.Series(county, dtype=object) + "）", base), dtype=object)
    again = named.duplicated(keep=False).to_numpy()
    number = named.groupby(named, sort=False).cumcount().to_numpy() + 1
    out = np.where(again, named.str[:-1] + "第" + pd.Series(number).astype(str) + "期）", named)
    return out.astype(object)


def make_courses(posts: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    """A synthetic, validated course catalogue for a synthetic city's posts.

    Parameters
    ----------
    posts : DataFrame
        The city's posts (``kind``, ``required_certificates``), canonical.
    n : int
        Courses to make (1 … 100,000).
    seed : int
        Seed; the draw uses ``default_rng([seed, COURSE_STREAM])``.

    Returns
    -------
    DataFrame
        Valid under :func:`jhmatch.training.validate_courses`; ``course_id`` ``C0001`` …

    Raises
    ------
    ParameterError
        For ``n`` out of range.

    Examples
    --------
    >>> from jhmatch.datasets import make_jinhua
    >>> c = make_courses(make_jinhua(500, seed=1).posts, 20, seed=1)
    >>> len(c), bool(c["source"].str.startswith("synthetic").all())
    (20, True)
    """
    from jhmatch.training.courses import validate_courses

    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or not 1 <= n <= 100_000:
        raise ParameterError(f"courses must be True or a number of courses between 1 and 100,000, got {n!r}")
    rng = np.random.default_rng([int(seed), COURSE_STREAM])
    t = course_templates()
    kinds = posts["kind"].astype("object").value_counts()
    demand = t["weight"].to_numpy() * kinds.reindex(t["kind"]).fillna(0).to_numpy(dtype=float)
    required = posts["required_certificates"].astype("object").fillna("").astype(str)
    wanted = pd.Series([c for cell in required for c in cell.split(";") if c and c != "no"], dtype=object)
    wanted = wanted.value_counts()  # certificates the posts ask for, most asked first
    first: list[int] = []
    for cert in wanted.index:  # the template with most demand that grants the certificate
        grants = t["grants_certificates"].str.split(";").map(lambda cs, c=cert: c in cs).to_numpy()
        if grants.any() and len(first) < n:
            cand = np.flatnonzero(grants)
            pick = int(cand[np.argmax(demand[cand])])
            if pick not in first:
                first.append(pick)
    rest = n - len(first)
    p = demand + 1e-3 * demand.sum() / len(demand) if demand.sum() > 0 else np.ones(len(t))
    drawn = rng.choice(len(t), size=rest, p=p / p.sum()) if rest > 0 else np.empty(0, dtype=np.int64)
    pick = np.concatenate([np.array(first, dtype=np.int64), drawn]).astype(np.int64)
    c = t.iloc[pick].reset_index(drop=True)
    m = len(c)
    rural = c["kind"].str.startswith("rural").to_numpy()
    pop = np.array([r.population for r in REGIONS], dtype=float)
    mountain = np.array([r.mountain for r in REGIONS])
    cp = np.vstack([pop / pop.sum(), np.where(mountain, 2 * pop, pop) / np.where(mountain, 2 * pop, pop).sum()])
    u = rng.random(m)
    county = np.where(rural, np.searchsorted(np.cumsum(cp[1]), u * (1 - 1e-12)),
                      np.searchsorted(np.cumsum(cp[0]), u * (1 - 1e-12)))
    days = rng.integers(c["days_lo"].to_numpy(), c["days_hi"].to_numpy() + 1)
    per_day = rng.uniform(80, 200, m)
    cost = np.round(days * per_day / 50) * 50
    seats = rng.integers(10, 41, m)
    fmt = c["format"].to_numpy(dtype=object).copy()
    other = (rng.random(m) < 0.2) & (fmt == "集中培训")
    fmt[other] = np.array(_FORMATS[:3], dtype=object)[rng.integers(0, 3, int(other.sum()))]
    provider_no = rng.integers(1, 4, m)
    zh = np.array([r.zh for r in REGIONS], dtype=object)[county]
    provider = [f"{where}{_PROVIDER[f]}（合成）{k}号" for where, f, k in zip(zh, fmt, provider_no)]
    raw = pd.DataFrame({
        "course_id": [f"C{i + 1:04d}" for i in range(m)], "name": _distinct_names(c["name"].to_numpy(), zh),
        "grants_skills": c["grants_skills"].to_numpy(), "grants_certificates": c["grants_certificates"].to_numpy(),
        "occupations": c["occupations"].to_numpy(), "duration_days": days, "cost": cost.astype(float),
        "seats": seats, "provider": provider, "county": np.array([r.code for r in REGIONS], dtype=object)[county],
        "format": fmt, "accessible_categories": c["accessible"].to_numpy(),
        "source": f"synthetic (make_jinhua seed={int(seed)}): ASSUMPTION, not a real course",
    })
    out = validate_courses(raw, "make_jinhua courses")
    out.attrs["source"] = f"make_jinhua(seed={int(seed)}) courses"
    return out
