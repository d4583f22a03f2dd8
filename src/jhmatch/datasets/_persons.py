"""Vectorised generation of the persons and households tables (see :mod:`jhmatch.datasets.jinhua`).

Shares marked in :mod:`jhmatch.datasets.constants`; the extra ASSUMPTION values used
here are named constants below. No Python loop runs over rows: loops run over the
9 counties, 7 categories or the skill vocabulary only.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from jhmatch.datasets._person_details import certificates, job_skills, recorded_details
from jhmatch.datasets.constants import COUNTY_BOXES, EDUCATION_SHARES, LIMB_SHARES, MALE_SHARE
from jhmatch.reference import load_occupations
from jhmatch.taxonomy import FUNCTIONAL_DIMENSIONS, REGIONS, DisabilityCategory, post_kinds

TEXT = pd.StringDtype()
CATEGORIES = [c.value for c in DisabilityCategory]
COUNTY_CODES = np.array([r.code for r in REGIONS])

# ASSUMPTION values (documented in the module docstring of jinhua.py)
OVER_AGE_SHARE = 0.06          # job seekers past statutory retirement age (up to 70)
GRADUATE_SHARE = 0.012         # graduating university students
WILLING_SHARE = 0.85
EMPLOYED_SHARE = 0.15
REMOTE_OK_SHARE = 0.7
SHARED_HOUSEHOLD_SHARE = 0.07  # persons living with another listed disabled person
RURAL_SHARE = {True: 0.62, False: 0.42}   # by mountain county
DIBAO_SHARE = {True: 0.13, False: 0.07}   # by rural household; ×1.6 when the head is severe
EXTRA_DIFFICULTY_SHARE = 0.10  # in difficulty without being dibao
N_SKILLS_SHARES = (0.2, 0.45, 0.25, 0.10)
N_PREF_SHARES = (0.25, 0.45, 0.30)

_AFFINITY: dict[str, dict[str, float]] = {  # ASSUMPTION: preference multipliers by category
    "visual": {"blind_massage": 14, "cloud_customer_service": 3, "welfare_liaison": 1.5, "network_maintenance": 0.3,
               "cloud_review": 0.2, "rural_logistics": 0.2, "handicraft": 0.4, "welfare_greening": 0.4},
    "hearing": {"handicraft": 3, "ecommerce": 2, "cloud_review": 2, "prosperity_workshop": 2, "enterprise_post": 2,
                "cloud_customer_service": 0.1, "welfare_liaison": 0.4},
    "speech": {"handicraft": 2, "cloud_review": 2, "ecommerce": 2, "cloud_customer_service": 0.1},
    "physical": {"kiosk": 3, "tobacco_outlet": 3, "lottery_outlet": 3, "cloud_customer_service": 3, "cloud_review": 2,
                 "ecommerce": 2, "network_maintenance": 2, "welfare_cleaning": 0.5, "welfare_greening": 0.5,
                 "rural_logistics": 0.3},
    "intellectual": {"sheltered_work": 8, "welfare_cleaning": 3, "welfare_greening": 3, "rural_processing": 2,
                     "prosperity_workshop": 2, "agency_post": 0.1, "network_maintenance": 0.1, "cloud_review": 0.1,
                     "cloud_customer_service": 0.2, "ecommerce": 0.3, "welfare_liaison": 0.2},
    "mental": {"sheltered_work": 6, "handicraft": 2, "welfare_greening": 2, "rural_planting": 2,
               "cloud_customer_service": 0.3, "agency_post": 0.3},
    "multiple": {"sheltered_work": 5, "welfare_cleaning": 1.5, "welfare_greening": 1.5},
}


def _clean_terms(text: str) -> list[str]:
    out = []
    for term in str(text).split(","):
        term = term.strip().rstrip("LS").strip()
        if term and not any(c.isascii() for c in term) and ";" not in term:
            out.append(term)
    return out


@lru_cache(maxsize=4)
def skill_vocabulary(kind_codes: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Occupation names/aliases linked to each kind (ragged) and a background pool.

    Returns ``(linked, offsets, counts, background)``: the terms of kind ``k`` are
    ``linked[offsets[k]:offsets[k] + counts[k]]``.
    """
    occ = load_occupations().drop_duplicates("code").set_index("code")
    kinds = {k.code: k for k in post_kinds()}
    linked: list[str] = []
    counts = []
    for code in kind_codes:
        terms: list[str] = []
        for c in kinds[code].csco:
            if c in occ.index:
                terms += [occ.at[c, "name"], *_clean_terms(occ.at[c, "aliases"])]
        terms = list(dict.fromkeys(terms)) or [kinds[code].zh]
        linked += terms
        counts.append(len(terms))
    counts_a = np.array(counts)
    offsets = np.concatenate([[0], np.cumsum(counts_a)[:-1]])
    background = occ[occ["major_group"].isin([4, 5, 6])]["name"].to_numpy(dtype=object)
    return np.array(linked, dtype=object), offsets, counts_a, background


def _pick(rng: np.random.Generator, kind_idx: np.ndarray, vocab: tuple) -> np.ndarray:
    linked, offsets, counts, _ = vocab
    return linked[offsets[kind_idx] + (rng.random(len(kind_idx)) * counts[kind_idx]).astype(np.int64)]


def _join(parts: list[np.ndarray], masks: list[np.ndarray]) -> np.ndarray:
    """Join string columns with ``;`` where their masks are true (vectorised)."""
    out = np.full(len(parts[0]), "", dtype=object)
    for part, mask in zip(parts, masks):
        out = np.where(mask, np.where(out == "", part, out + ";" + part), out)
    return out


def bounded_coordinates(rng: np.random.Generator, county_idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Uniform points inside each county's rough box (5 decimals)."""
    box = np.array([COUNTY_BOXES[c] for c in COUNTY_CODES])[county_idx]
    u = rng.random((len(county_idx), 2))
    lat = box[:, 0] + u[:, 0] * (box[:, 1] - box[:, 0])
    lon = box[:, 2] + u[:, 1] * (box[:, 3] - box[:, 2])
    return np.round(lat, 5), np.round(lon, 5)


def serial_ids(prefix: str, n: int) -> np.ndarray:
    """``prefix`` + zero-padded 0-based serial numbers, as an object array."""
    width = max(6, len(str(max(n - 1, 0))))
    return np.strings.add(prefix, np.strings.zfill(np.arange(n).astype("T"), width)).astype(object)


def make_households(rng: np.random.Generator, n_persons: int, county_p: np.ndarray) -> dict:
    """Household membership and household-level draws (before person attributes)."""
    n_h = max(1, round(n_persons * (1 - SHARED_HOUSEHOLD_SHARE)))
    n_h = min(n_h, n_persons)
    county = rng.choice(len(REGIONS), size=n_h, p=county_p)
    mountain = np.array([r.mountain for r in REGIONS])[county]
    rural = rng.random(n_h) < np.where(mountain, RURAL_SHARE[True], RURAL_SHARE[False])
    member_of = np.concatenate([np.arange(n_h), rng.integers(0, n_h, n_persons - n_h)])
    return {"n": n_h, "county": county, "rural": rural, "member_of": member_of}


def finish_households(rng: np.random.Generator, hh: dict, head_severe: np.ndarray) -> pd.DataFrame:
    """Households table; sets ``hh['low_income']`` and ``hh['difficulty']``."""
    n_h = hh["n"]
    members = np.bincount(hh["member_of"], minlength=n_h)
    size = np.maximum(1 + rng.binomial(5, 0.42, n_h), members)
    p_dibao = np.where(hh["rural"], DIBAO_SHARE[True], DIBAO_SHARE[False]) * np.where(head_severe, 1.6, 1.0)
    low = rng.random(n_h) < p_dibao
    difficulty = low | (rng.random(n_h) < EXTRA_DIFFICULTY_SHARE)
    per_capita = np.where(low, rng.uniform(300, 1100, n_h),
                          np.where(difficulty, rng.uniform(1100, 1900, n_h), rng.lognormal(np.log(3200), 0.5, n_h)))
    hh["low_income"], hh["difficulty"] = low, difficulty
    hh["ids"] = serial_ids("H", n_h)
    return pd.DataFrame({
        "household_id": pd.array(hh["ids"], dtype=TEXT),
        "county": pd.array(COUNTY_CODES[hh["county"]], dtype=TEXT),
        "size": size.astype(np.int64),
        "difficulty": difficulty,
        "low_income": low,
        "monthly_income": np.round(per_capita * size, -1),
    })


def _preferences(rng: np.random.Generator, cat: np.ndarray, rural: np.ndarray, kind_codes: list[str],
                 kind_groups: np.ndarray, kind_p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and second preferred kind index (-1 = none), by (category, rural) group."""
    n = len(cat)
    first = np.full(n, -1)
    second = np.full(n, -1)
    k = rng.choice(3, size=n, p=N_PREF_SHARES)
    u1, u2 = rng.random(n), rng.random(n)
    rural_kind = kind_groups == "rural"
    for ci, name in enumerate(CATEGORIES):
        aff = np.array([_AFFINITY.get(name, {}).get(code, 1.0) for code in kind_codes]) * np.maximum(kind_p, 0.01)
        for is_rural in (False, True):
            w = aff * np.where(rural_kind, 3.0 if is_rural else 0.3, 1.0)
            cum = np.cumsum(w / w.sum())
            rows = np.flatnonzero((cat == ci) & (rural == is_rural))
            first[rows] = np.minimum(np.searchsorted(cum, u1[rows], side="right"), len(cum) - 1)
            second[rows] = np.minimum(np.searchsorted(cum, u2[rows], side="right"), len(cum) - 1)
    second = np.where((k < 2) | (second == first), -1, second)
    first = np.where(k < 1, -1, first)
    return first, second


def make_persons(rng: np.random.Generator, n: int, county_p: np.ndarray, cat_p: np.ndarray, grade_p: np.ndarray,
                 as_of: pd.Timestamp, id_share: float, coordinates: bool, kind_p: np.ndarray,
                 ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Persons and households tables (canonical columns and dtypes)."""
    hh = make_households(rng, n, county_p)
    member_of = hh["member_of"]
    county = hh["county"][member_of]
    rural = hh["rural"][member_of]
    cat = rng.choice(7, size=n, p=cat_p)
    grade = rng.choice(4, size=n, p=grade_p) + 1
    male = rng.random(n) < MALE_SHARE
    # multiple disability: 2 (80 %) or 3 (20 %) distinct components among the 6 others
    multi = cat == 6
    order = np.argsort(rng.random((n, 6)), axis=1)[:, :3]
    bits = (1 << order[:, 0]) | (1 << order[:, 1]) | np.where(rng.random(n) < 0.2, 1 << order[:, 2], 0)
    comp_table = np.array([";".join(CATEGORIES[i] for i in range(6) if m >> i & 1) for m in range(64)], dtype=object)
    components = np.where(multi, comp_table[bits], None)
    limb_names = np.array(list(LIMB_SHARES), dtype=object)
    limbs_drawn = limb_names[rng.choice(len(limb_names), size=n, p=np.array(list(LIMB_SHARES.values())))]
    has_physical = (cat == 3) | (multi & (bits & (1 << 3) > 0))
    limbs = np.where(has_physical, limbs_drawn, "unknown")
    # ages: working age mostly (16 .. statutory retirement 60 men / 55 women, PARAM in domain.md)
    retire = np.where(male, 60, 55)
    over = rng.random(n) < OVER_AGE_SHARE
    age = np.where(over, retire + rng.integers(0, 71 - retire), 16 + ((retire - 16) * rng.beta(2.0, 1.6, n)).astype(np.int64))
    education = rng.choice(7, size=n, p=np.array(EDUCATION_SHARES))
    education = np.where(cat == 4, np.minimum(education, rng.integers(0, 3, n)), education)  # intellectual
    graduate = (rng.random(n) < GRADUATE_SHARE) & (cat != 4) & ~over
    age = np.where(graduate, rng.integers(21, 25, n), age)
    education = np.where(graduate, rng.choice([4, 5, 6], size=n, p=[0.45, 0.5, 0.05]), education)
    # birth date: a uniform day of the year that gives exactly `age` on as_of
    as_of_d = np.datetime64(as_of.date(), "D")
    latest = (as_of_d.astype("datetime64[Y]") - age.astype("timedelta64[Y]")).astype("datetime64[D]")
    latest = latest + (as_of_d - as_of_d.astype("datetime64[Y]").astype("datetime64[D]"))  # same month/day
    birth = latest - rng.integers(0, 365, n).astype("timedelta64[D]")
    bd = pd.DatetimeIndex(birth.astype("datetime64[ns]"))
    before = (bd.month.to_numpy() > as_of.month) | ((bd.month.to_numpy() == as_of.month) & (bd.day.to_numpy() > as_of.day))
    age = as_of.year - bd.year.to_numpy().astype(np.int64) - before
    # preferences and skills
    kinds = post_kinds()
    kind_codes = [k.code for k in kinds]
    first, second = _preferences(rng, cat, rural, kind_codes, np.array([k.group for k in kinds]), kind_p)
    codes_arr = np.array(kind_codes, dtype=object)
    pref = _join([codes_arr[np.maximum(first, 0)], codes_arr[np.maximum(second, 0)]], [first >= 0, second >= 0])
    vocab = skill_vocabulary(tuple(kind_codes))
    n_sk = rng.choice(4, size=n, p=N_SKILLS_SHARES)
    rand_kind = rng.integers(0, len(kind_codes), n)
    base_kind = np.where(first >= 0, first, rand_kind)
    background = vocab[3]
    s = []
    for j in range(3):
        kind_j = base_kind if j == 0 else np.where(second >= 0, second, base_kind)
        linked = job_skills(rng, cat, kind_j, kind_codes, _pick(rng, kind_j, vocab))
        other = background[rng.integers(0, len(background), n)]
        s.append(np.where(rng.random(n) < (0.7 if j == 0 else 0.4), linked, other))
    listed = [n_sk >= 1, (n_sk >= 2) & (s[1] != s[0]), (n_sk >= 3) & (s[2] != s[0]) & (s[2] != s[1])]
    skills = _join(s, listed)
    # recorded details and certificates, consistent with the disability
    has = np.zeros((n, 6), bool)
    has[np.arange(n), np.minimum(cat, 5)] = cat < 6
    has |= multi[:, None] & ((bits[:, None] >> np.arange(6)) & 1).astype(bool)
    upper = has_physical & np.isin(limbs, ["upper", "both"])
    lower = has_physical & np.isin(limbs, ["lower", "both"])
    details = recorded_details(rng, has, grade, lower, education)
    held = certificates(rng, has, grade, upper, lower, details.pop("_wheel"), education, s, listed)
    # household-level flags
    head_severe = np.zeros(hh["n"], bool)
    head_severe[member_of[: hh["n"]]] = grade[: hh["n"]] <= 2
    households = finish_households(rng, hh, head_severe)
    # identity and certificate numbers for a share of persons
    with_id = rng.random(n) < id_share
    id_number, cert = _numbers(county, birth, male, cat, grade, with_id)
    lat, lon = bounded_coordinates(rng, county) if coordinates else (np.full(n, np.nan), np.full(n, np.nan))
    willing = rng.random(n) < np.where(graduate, 0.95, WILLING_SHARE)
    employed = rng.random(n) < EMPLOYED_SHARE
    remote_ok = rng.random(n) < REMOTE_OK_SHARE
    # shuffle rows so household heads are not all first, then number the persons
    perm = rng.permutation(n)
    frame = pd.DataFrame({
        "person_id": pd.array(serial_ids("P", n), dtype=TEXT),
        "name": pd.array([pd.NA] * n, dtype=TEXT),
        "id_number": pd.array(id_number[perm], dtype=TEXT),
        "certificate_number": pd.array(cert[perm], dtype=TEXT),
        "category": pd.array(np.array(CATEGORIES, dtype=object)[cat[perm]], dtype=TEXT),
        "components": pd.array(components[perm], dtype=TEXT),
        "grade": pd.array(grade[perm], dtype="Int64"),
        "limbs": pd.array(limbs[perm], dtype=TEXT),
        "sex": pd.array(np.where(male[perm], "M", "F").astype(object), dtype=TEXT),
        "birth_date": birth[perm].astype("datetime64[ns]"),
        "age": pd.array(age[perm], dtype="Int64"),
        "county": pd.array(COUNTY_CODES[county[perm]].astype(object), dtype=TEXT),
        "education": pd.array(education[perm], dtype="Int64"),
        "skills": pd.array(skills[perm], dtype=TEXT),
        "preferred_kinds": pd.array(pref[perm], dtype=TEXT),
        "willing": willing[perm],
        "graduate": graduate[perm],
        "low_income": hh["low_income"][member_of[perm]],
        "household_id": pd.array(hh["ids"][member_of[perm]], dtype=TEXT),
        "household_difficulty": hh["difficulty"][member_of[perm]],
        "rural": rural[perm],
        "employed": employed[perm],
        "remote_ok": remote_ok[perm],
        "certificates": pd.array(held[perm], dtype=TEXT),
        **{name: pd.array(pd.Series(col[perm]).map({"true": True, "false": False}), dtype="boolean")
           for name, col in details.items()},
        "lat": lat[perm],
        "lon": lon[perm],
        **{f"cap_{d}": np.full(n, np.nan) for d in FUNCTIONAL_DIMENSIONS},  # no assessments (schema columns, empty)
    })
    return frame, households


_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
_CHECK = np.frombuffer(b"10X98765432", dtype=np.uint8)


def _numbers(county: np.ndarray, birth: np.ndarray, male: np.ndarray, cat: np.ndarray, grade: np.ndarray,
             with_id: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Valid, unique resident IDs (GB 11643) and certificate numbers for rows ``with_id``."""
    n = len(county)
    id_number = np.full(n, None, dtype=object)
    cert = np.full(n, None, dtype=object)
    idx = np.flatnonzero(with_id)
    if not idx.size:
        return id_number, cert
    c, b, m = county[idx], birth[idx].astype(np.int64), male[idx].astype(np.int64)
    # sequence number: unique within (county, birth date, sex), odd for men
    key = (c * 200_000 + (b + 100_000)) * 2 + m
    order = np.argsort(key, kind="stable")
    sk = key[order]
    start = np.flatnonzero(np.r_[True, sk[1:] != sk[:-1]])
    rank = np.empty(len(idx), np.int64)
    rank[order] = np.arange(len(idx)) - np.repeat(start, np.diff(np.r_[start, len(idx)]))
    offset = (np.abs(b) * 7 + c * 13) % 200
    seq = (2 * (rank + offset) + np.where(m == 1, 1, 2)) % 1000  # men odd, women even
    ymd = pd.DatetimeIndex(birth[idx].astype("datetime64[ns]"))
    date_num = ymd.year.to_numpy() * 10_000 + ymd.month.to_numpy() * 100 + ymd.day.to_numpy()
    addr = COUNTY_CODES.astype(np.int64)[c]
    digits = np.empty((len(idx), 20), np.uint8)
    for pos, (value, width) in enumerate(((addr, 6), (date_num, 8), (seq, 3))):
        first = (0, 6, 14)[pos]
        for k in range(width):
            digits[:, first + k] = value // 10 ** (width - 1 - k) % 10
    digits[:, 17] = _CHECK[(digits[:, :17].astype(np.int64) @ _WEIGHTS) % 11] - 48
    digits[:, 18] = cat[idx] + 1
    digits[:, 19] = grade[idx]
    chars = digits + 48  # the check value 40 ('X' - '0') becomes 'X'
    cert[idx] = chars.view("S20").ravel().astype("U20").astype(object)
    id_number[idx] = np.ascontiguousarray(chars[:, :18]).view("S18").ravel().astype("U18").astype(object)
    return id_number, cert
