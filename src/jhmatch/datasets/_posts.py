"""Vectorised generation of the posts and employers tables (see :mod:`jhmatch.datasets.jinhua`).

All numbers below are ASSUMPTIONS for a plausible synthetic city, except the quota
(1.5 %) and concentrated-employment (≥ 25 %) thresholds and the minimum wages
(SOURCED, :mod:`jhmatch.datasets.constants`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jhmatch.datasets._jobs import JOBS, Job
from jhmatch.datasets._persons import COUNTY_CODES, TEXT, bounded_coordinates, serial_ids
from jhmatch.datasets.constants import MINIMUM_WAGE
from jhmatch.reference import load_occupations
from jhmatch.taxonomy import FUNCTIONAL_DIMENSIONS, REGIONS, Accommodation, PostKind

ACCOMMODATIONS = [a.value for a in Accommodation]
PUBLIC, ENTERPRISE, CONCENTRATED = 0, 1, 2
EMPLOYER_TYPE_SHARES = (0.12, 0.82, 0.06)   # public units, enterprises, concentrated-employment units
OCCUPATION_SHARE = 0.4                      # posts with a CSCO code filled in
HAZARDS_MARKED_SHARE = 0.25                 # posts whose planner marked the hazards ("no" when there are none)
CERTIFICATES_MARKED_SHARE = 0.6             # posts needing a certificate that say so
AGE_LIMIT_SHARE = 0.15

# wage as a multiple of the county minimum wage, by kind group (median)
_WAGE_FACTOR = {"reserved": 1.3, "welfare": 1.05, "public": 1.7, "ecommerce": 1.35, "craft": 1.4,
                "rural": 1.1, "sheltered": 0.7, "enterprise": 1.3}
_SPECIAL_WAGE = {"network_maintenance": 1.6, "blind_massage": 1.6, "agency_post": 1.8}


def _kind_accommodation_p(kind: PostKind) -> np.ndarray:
    """Probability that a post of ``kind`` offers each accommodation (ASSUMPTION)."""
    p = dict.fromkeys(ACCOMMODATIONS, 0.04)
    if kind.remote:
        p.update(remote=0.9, screen_reader=0.35, flexible_hours=0.5)
    if kind.group == "sheltered":
        p.update(job_coach=0.8, written_instructions=0.6, quiet_space=0.4, flexible_hours=0.4)
    elif kind.group == "welfare":
        p.update(step_free=0.3, flexible_hours=0.3)
    elif kind.group == "public":
        p.update(step_free=0.6, adapted_workstation=0.3, screen_reader=0.2, sign_language=0.1)
    elif kind.group == "enterprise":
        p.update(adapted_workstation=0.2, step_free=0.25, sign_language=0.08, written_instructions=0.2)
    elif kind.code == "blind_massage":
        p.update(step_free=0.3, screen_reader=0.1)
    if not kind.remote:
        p["remote"] = 0.0
    return np.array([p[a] for a in ACCOMMODATIONS])


def _capacity(rng: np.random.Generator, kind: PostKind, m: int) -> np.ndarray:
    if kind.self_employed:
        return np.ones(m, np.int64)
    geo = {"welfare": 0.6, "public": 0.7, "ecommerce": 0.25, "craft": 0.45, "rural": 0.45,
           "sheltered": 0.15, "enterprise": 0.3}.get(kind.group, 0.5)
    base = 3 if kind.group == "sheltered" else 1
    return np.minimum(base - 1 + rng.geometric(geo, m), 40).astype(np.int64)


def _min_education(rng: np.random.Generator, code: str, m: int) -> np.ndarray:
    table = {"agency_post": ([4, 5], [0.7, 0.3], 1.0), "soe_post": ([3, 4], [0.6, 0.4], 1.0),
             "cloud_review": ([3, 4], [0.5, 0.5], 1.0), "network_maintenance": ([3, 4], [0.5, 0.5], 1.0),
             "cloud_customer_service": ([2, 3], [0.5, 0.5], 0.9), "ecommerce": ([2, 3], [0.5, 0.5], 0.7)}
    levels, p, given = table.get(code, ([1, 2], [0.5, 0.5], 0.3))
    out = rng.choice(levels, size=m, p=p).astype(float)
    out[rng.random(m) >= given] = np.nan
    return out


def make_employers(rng: np.random.Generator, n: int, county_p: np.ndarray) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Employers table plus each employer's type and county index."""
    etype = rng.choice(3, size=n, p=EMPLOYER_TYPE_SHARES)
    etype[:3] = [PUBLIC, ENTERPRISE, CONCENTRATED]  # every type exists
    county = rng.choice(len(REGIONS), size=n, p=county_p)
    median = np.array([80.0, 60.0, 40.0])[etype]
    sigma = np.array([0.9, 1.2, 0.6])[etype]
    staff = np.clip(np.round(rng.lognormal(np.log(median), sigma)), np.array([10, 5, 10])[etype], 20000)
    staff = np.where(etype == CONCENTRATED, np.minimum(staff, 500), staff).astype(np.int64)
    # disabled-staff ratio: none, under the 1.5 % quota, over it; concentrated units ≥ 25 %
    band = rng.choice(3, size=n, p=[0.4, 0.35, 0.25])
    ratio = np.select([band == 0, band == 1], [0.0, rng.uniform(0.002, 0.015, n)], rng.uniform(0.015, 0.05, n))
    disabled = np.round(staff * ratio)
    conc_ratio = rng.uniform(0.25, 0.6, n)
    disabled = np.where(etype == CONCENTRATED, np.ceil(staff * conc_ratio), disabled)
    disabled = np.minimum(disabled, staff).astype(np.int64)
    severe = rng.binomial(disabled, 0.3).astype(np.int64)
    wage_median = np.array([110_000.0, 75_000.0, 55_000.0])[etype]
    wage = np.round(rng.lognormal(np.log(wage_median), np.array([0.2, 0.3, 0.2])[etype]), -2)
    short = np.array([r.zh for r in REGIONS], dtype=object)[county]
    trade = np.array(["华锦", "恒达", "金盛", "瑞丰", "佳美", "宏图", "永兴", "新辉", "德隆", "安泰"], dtype=object)
    industry = np.array(["服饰", "五金", "电子商务", "日用品", "食品", "物流", "工艺品", "机械", "小商品", "文具"], dtype=object)
    public = np.array(["社区服务中心", "街道办事处", "人民医院", "图书馆", "文化馆", "残疾人联合会", "市场监督管理局", "自然资源局"], dtype=object)
    welfare = np.array(["福利厂", "辅助性就业中心", "盲人按摩中心", "福利企业"], dtype=object)
    t, i, p, w = (rng.integers(0, len(a), n) for a in (trade, industry, public, welfare))
    name = np.select([etype == PUBLIC, etype == ENTERPRISE],
                     [short + public[p], short + trade[t] + industry[i] + "有限公司"], short + trade[t] + welfare[w])
    frame = pd.DataFrame({
        "employer_id": pd.array(serial_ids("E", n), dtype=TEXT),
        "name": pd.array(name, dtype=TEXT),
        "county": pd.array(COUNTY_CODES[county].astype(object), dtype=TEXT),
        "staff": staff,
        "disabled_staff": disabled,
        "severe_disabled_staff": severe,
        "average_wage": wage,
        "is_enterprise": etype != PUBLIC,
    })
    return frame, etype, county


def _choose_employer(rng: np.random.Generator, want_type: np.ndarray, county: np.ndarray,
                     etype: np.ndarray, ecounty: np.ndarray) -> np.ndarray:
    """An employer of the wanted type in the post's county (else of that type anywhere)."""
    key = etype * len(REGIONS) + ecounty
    order = np.argsort(key, kind="stable")
    counts = np.bincount(key, minlength=3 * len(REGIONS))
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    tcounts = np.bincount(etype, minlength=3)
    tstarts = np.concatenate([[0], np.cumsum(tcounts)[:-1]])
    want = want_type * len(REGIONS) + county
    u = rng.random(len(county))
    local = counts[want] > 0
    pos = np.where(local, starts[want] + (u * counts[want]).astype(np.int64),
                   tstarts[want_type] + (u * tcounts[want_type]).astype(np.int64))
    return order[pos]


def _job_arrays(jobs: tuple[Job, ...]) -> dict[str, np.ndarray]:
    """Flattened title and skills variants of a kind's jobs (for vectorised draws)."""
    w = np.array([j.weight for j in jobs], dtype=float)
    return {
        "cum": np.cumsum(w / w.sum()),
        "titles": np.array([t for j in jobs for t in j.titles], dtype=object),
        "t_off": np.cumsum([0] + [len(j.titles) for j in jobs])[:-1],
        "t_n": np.array([len(j.titles) for j in jobs]),
        "skills": np.array([t for j in jobs for t in j.skills], dtype=object),
        "s_off": np.cumsum([0] + [len(j.skills) for j in jobs])[:-1],
        "s_n": np.array([len(j.skills) for j in jobs]),
        "occupation": np.array([j.occupation for j in jobs], dtype=object),
        "hazards": np.array([";".join(sorted(j.hazards.split(";"))) for j in jobs], dtype=object),  # canonical order
        "certificates": np.array([";".join(sorted(j.certificates.split(";"))) for j in jobs], dtype=object),
        "wage": np.array([j.wage for j in jobs]),
    }


def _jobs_of_kind(rng: np.random.Generator, code: str, m: int) -> dict[str, np.ndarray]:
    """Title, occupation (some), marked hazards and certificates (a minority), skills and wage of m posts."""
    a = _job_arrays(JOBS[code])
    job = np.minimum(np.searchsorted(a["cum"], rng.random(m), side="right"), len(a["cum"]) - 1)
    title = a["titles"][a["t_off"][job] + (rng.random(m) * a["t_n"][job]).astype(np.int64)]
    skills = a["skills"][a["s_off"][job] + (rng.random(m) * a["s_n"][job]).astype(np.int64)]
    occupation = np.where(rng.random(m) < OCCUPATION_SHARE, a["occupation"][job], "")
    hz = a["hazards"][job]  # "" = none, "?" = the planner cannot say (an ambiguous title)
    hazards = np.where((rng.random(m) < HAZARDS_MARKED_SHARE) & (hz != "?"), np.where(hz == "", "no", hz), "")
    cert = a["certificates"][job]
    certificates = np.where(rng.random(m) < CERTIFICATES_MARKED_SHARE, cert, "")
    return {"title": title, "skills": skills, "occupation": np.where(occupation == "", None, occupation),
            "hazards": hazards, "certificates": certificates, "wage": a["wage"][job]}


SITE_POSTS_RANGE = (5, 20)
"""Posts in all at a synthetic community service point (an assumption of the synthetic city, not a
Jinhua figure): the kiosk rule reserves ceil(10 %) of them, 1 or 2 persons per opened point."""


def _site_totals(site: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Posts in all at each post's service point (NaN off a point), from a hash of the point's id.

    A hash rather than the random stream, so that adding the column left every other synthetic
    value as it was; never fewer than the posts listed at the point.
    """
    import zlib

    out = np.full(len(site), np.nan)
    on = np.flatnonzero(pd.notna(site))
    if on.size == 0:
        return out
    names = site[on].astype(str)
    lo, hi = SITE_POSTS_RANGE
    total = np.array([lo + zlib.crc32(x.encode()) % (hi - lo + 1) for x in names], dtype=float)
    listed = pd.Series(capacity[on], index=names).groupby(level=0).transform("sum").to_numpy(dtype=float)
    out[on] = np.maximum(total, listed)
    return out


def make_posts(rng: np.random.Generator, n: int, kinds: tuple[PostKind, ...], kind_p: np.ndarray,
               county_p: np.ndarray, employers: tuple[np.ndarray, np.ndarray, np.ndarray], coordinates: bool
               ) -> pd.DataFrame:
    """Posts table: every kind at least once, then kinds by ``kind_p``."""
    n_k = len(kinds)
    kind = np.concatenate([np.arange(n_k), rng.choice(n_k, size=n - n_k, p=kind_p)])
    mountain = np.array([r.mountain for r in REGIONS])
    yiwu = COUNTY_CODES == "330782"
    cp = np.tile(county_p, (n_k, 1))
    groups = np.array([k.group for k in kinds])
    cp[groups == "rural"] *= np.where(mountain, 2.0, 1.0)
    cp[groups == "ecommerce"] *= np.where(yiwu, 2.0, 1.0)
    cum = np.cumsum(cp / cp.sum(axis=1, keepdims=True), axis=1)
    county = np.minimum((rng.random(n)[:, None] > cum[kind]).sum(axis=1), len(REGIONS) - 1)
    occ = load_occupations().drop_duplicates("code").set_index("code")["name"]
    capacity = np.empty(n, np.int64)
    occupation = np.full(n, None, dtype=object)
    title = np.empty(n, dtype=object)
    skills = np.full(n, "", dtype=object)
    hazards = np.full(n, "", dtype=object)
    certificates = np.full(n, "", dtype=object)
    min_edu = np.empty(n)
    acc_bits = np.zeros(n, np.int64)
    remote = np.zeros(n, bool)
    wage_factor = np.empty(n)
    want_type = np.full(n, -1)
    for ki, k in enumerate(kinds):  # loop over the post kinds, vectorised within
        rows = np.flatnonzero(kind == ki)
        m = len(rows)
        if not m:
            continue
        capacity[rows] = _capacity(rng, k, m)
        wage_factor[rows] = _SPECIAL_WAGE.get(k.code, _WAGE_FACTOR.get(k.group, 1.3))
        if k.code in JOBS:
            got = _jobs_of_kind(rng, k.code, m)
            title[rows], skills[rows], occupation[rows] = got["title"], got["skills"], got["occupation"]
            hazards[rows], certificates[rows], wage_factor[rows] = got["hazards"], got["certificates"], got["wage"]
        else:  # a user-registered kind: its occupations' names as titles
            j = rng.integers(0, len(k.csco), m)
            code = np.array(k.csco, dtype=object)[j]
            occupation[rows] = np.where(rng.random(m) < OCCUPATION_SHARE, code, None)
            title[rows] = np.array([occ.get(c, k.zh) for c in k.csco], dtype=object)[j]
        min_edu[rows] = _min_education(rng, k.code, m)
        remote[rows] = k.remote & (rng.random(m) >= 0.1)
        draws = rng.random((m, len(ACCOMMODATIONS))) < _kind_accommodation_p(k)
        draws[:, ACCOMMODATIONS.index("remote")] &= remote[rows]
        acc_bits[rows] = draws @ (1 << np.arange(len(ACCOMMODATIONS)))
        if not k.self_employed:
            want_type[rows] = {"welfare": PUBLIC, "public": PUBLIC, "sheltered": CONCENTRATED}.get(k.group, ENTERPRISE)
            if k.code == "soe_post":
                want_type[rows] = ENTERPRISE
            if k.code == "blind_massage":
                want_type[rows] = np.where(rng.random(m) < 0.5, CONCENTRATED, ENTERPRISE)
    acc_table = np.array([";".join(sorted(a for j, a in enumerate(ACCOMMODATIONS) if b >> j & 1))
                          for b in range(1 << len(ACCOMMODATIONS))], dtype=object)
    wage = np.array([MINIMUM_WAGE[c] for c in COUNTY_CODES])[county] * wage_factor * rng.lognormal(0, 0.15, n)
    min_age = np.where(rng.random(n) < AGE_LIMIT_SHARE, 18, -1)
    max_age = np.where(min_age > 0, rng.choice([45, 50, 55, 60], size=n), -1)
    etype, ecounty = employers[1], employers[2]
    emp = _choose_employer(rng, np.maximum(want_type, 0), county, etype, ecounty)
    employer_id = np.where(want_type >= 0, employers[0][emp], None)
    is_kiosk = np.array([k.code == "kiosk" for k in kinds])[kind]
    n_sites = np.maximum(1, np.bincount(county[is_kiosk], minlength=len(REGIONS)) // 4)
    site_no = (rng.random(n) * n_sites[county]).astype(np.int64)
    site = np.where(is_kiosk, np.strings.add(np.strings.add("S", COUNTY_CODES[county].astype("T")),
                                             np.strings.zfill(site_no.astype("T"), 3)).astype(object), None)
    site_posts = _site_totals(site, capacity)
    lat, lon = bounded_coordinates(rng, county) if coordinates else (np.full(n, np.nan), np.full(n, np.nan))
    perm = rng.permutation(n)
    empty = np.full(n, np.nan)
    return pd.DataFrame({
        "post_id": pd.array(serial_ids("J", n), dtype=TEXT),
        "employer_id": pd.array(employer_id[perm], dtype=TEXT),
        "title": pd.array(title[perm], dtype=TEXT),
        "kind": pd.array(np.array([k.code for k in kinds], dtype=object)[kind[perm]], dtype=TEXT),
        "occupation": pd.array(occupation[perm], dtype=TEXT),
        "county": pd.array(COUNTY_CODES[county[perm]].astype(object), dtype=TEXT),
        "capacity": capacity[perm],
        "required_skills": pd.array(skills[perm], dtype=TEXT),
        "min_education": pd.array(min_edu[perm], dtype="Int64"),
        "accommodations": pd.array(acc_table[acc_bits[perm]], dtype=TEXT),
        "remote": remote[perm],
        "hazards": pd.array(hazards[perm], dtype=TEXT),
        "essential_functions": pd.array(np.full(len(perm), "", dtype=object), dtype=TEXT),
        "required_certificates": pd.array(certificates[perm], dtype=TEXT),
        "site_id": pd.array(site[perm], dtype=TEXT),
        "site_posts": pd.array(site_posts[perm], dtype="Int64"),
        "wage": np.round(wage[perm], -1),
        "min_age": pd.array(np.where(min_age > 0, min_age, np.nan)[perm], dtype="Int64"),
        "max_age": pd.array(np.where(max_age > 0, max_age, np.nan)[perm], dtype="Int64"),
        "lat": lat[perm],
        "lon": lon[perm],
        **{f"dem_{d}": empty for d in FUNCTIONAL_DIMENSIONS},  # no demand analyses (the schema's columns, empty)
    })
