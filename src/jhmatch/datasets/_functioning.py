"""The hidden world's persons: body-function measures and activity limitations (ASSUMPTION).

Part of the hidden outcome model (:mod:`jhmatch.datasets.outcomes`). It describes
each person by *measures* in the units of the Chinese disability standard
**GB/T 26341-2010 残疾人残疾分类和分级**, drawn inside the band of the person's
grade (so two persons of one grade differ), and turns them into *activity
limitations* in the spirit of the ICF activity chapters (d1 learning and applying
knowledge, d2 general tasks, d3 communication, d4 mobility). Nothing here comes
from, or is shared with, :mod:`jhmatch.matching` or :mod:`jhmatch.taxonomy`.

Measures (one value per person)
-------------------------------
``logmar``
    Best-corrected visual acuity of the better eye, as logMAR (``-log10`` of the
    decimal acuity). GB/T 26341 bands: grade 1 < 0.02 (or a field radius < 5°),
    2: 0.02–0.05 (or < 10°), 3: 0.05–0.1, 4: 0.1–0.3. Drawn log-uniformly in the band;
    15 % of grade 1–2 persons are graded by their field instead (``field_loss``:
    acuity 0.1–0.6 but tunnel vision). ``residual_vision = false`` means no useful
    sight (logMAR 3, light perception at best).
``db``
    Better-ear hearing loss in dB HL (grade 1 > 90, 2: 81–90, 3: 61–80, 4: 41–60),
    and ``db_eff`` with a hearing aid (half-gain rule: × 0.55) or, beyond 90 dB, a
    cochlear implant (aided 35–45 dB). Fitting rates by grade are assumptions.
``intel``
    Speech intelligibility in % (speech grade 1 ≤ 10, 2: 11–25, 3: 26–45, 4: 46–65);
    60 % of grade 1–2 hearing losses are prelingual and also lower speech (5–50 %).
``hands``
    Functioning hands, 0–2 (upper-limb physical disability: grade 1 0–0.4, 2
    0.4–1.0, 3 0.9–1.3, 4 1.2–1.7), after GB/T 26341's limb-loss and paralysis levels.
``walk``
    Mobility level 0–3: 0 wheelchair user, 1 a few steps with aids, 2 limited
    walking, 3 unrestricted. Wheelchair use by lower-limb grade 1/2/3/4: 90/45/8/1 %.
``endurance``
    Physical endurance 0–1 (ICF b455), lowered by severe physical or multiple
    disability, mental disability (medication) and age over 55.
``iq``
    Intellectual grade 1 < 20, 2: 20–34, 3: 35–49, 4: 50–69; others N(100, 12) ≥ 75.
``whodas``
    WHO-DAS 2.0 score used by GB/T 26341 for mental (and intellectual adaptive)
    disability: grade 1 ≥ 116, 2: 106–115, 3: 96–105, 4: 52–95; others 36–50.
``signer``, ``literate``
    Uses sign language; reads and writes print (from education and IQ).

A multiple disability's components are graded as the standard does: the most
severe component carries the recorded grade (chosen by hash), the others are as
or less severe. Recorded details (``wheelchair``, ``residual_vision``,
``hearing_aid``, ``sign_language``, ``literate``) replace the draws; a driving
licence other than C5 certifies adequate sight and no wheelchair. All draws are
hashes of the person id with the seed, so a person's measures depend only on the
row and the seed.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import numpy as np
import pandas as pd
from scipy.special import expit

from jhmatch.datasets._truth import _factorized, _hash, _salted

__all__ = ["LIMITATION_SOURCES", "limitations", "measures", "parse_licences"]

_CATS = ("visual", "hearing", "speech", "physical", "intellectual", "mental")

# ASSUMPTION: probabilities of unrecorded details, by grade 1..4 (index 0 unused)
P_WHEELCHAIR = np.array([0, 0.90, 0.45, 0.08, 0.01])      # lower-limb involvement
P_HEARING_AID = np.array([0, 0.15, 0.35, 0.45, 0.35])     # cochlear implant for grade 1
P_SIGNER_HEARING = np.array([0, 0.75, 0.60, 0.25, 0.05])
P_SIGNER_SPEECH = np.array([0, 0.30, 0.30, 0.05, 0.02])
P_LITERATE_BY_EDUCATION = np.array([0.15, 0.70, 0.97, 0.99, 1.0, 1.0, 1.0])
P_FIELD_GRADED = 0.15
P_PRELINGUAL = 0.60

# GB/T 26341-2010 bands (grade 1..4), as (low, high) of the measure
LOGMAR_BAND = np.array([[0, 0], [1.7, 3.0], [1.3, 1.7], [1.0, 1.3], [0.52, 1.0]])
DB_BAND = np.array([[0, 0], [91, 120], [81, 90], [61, 80], [41, 60]])
INTEL_BAND = np.array([[0, 0], [0, 10], [11, 25], [26, 45], [46, 65]])
HANDS_BAND = np.array([[0, 0], [0.0, 0.4], [0.4, 1.0], [0.9, 1.3], [1.2, 1.7]])
WALK_BAND = np.array([[0, 0], [0.6, 1.2], [1.0, 2.0], [1.8, 2.7], [2.5, 3.0]])  # when not in a wheelchair
IQ_BAND = np.array([[0, 0], [10, 19], [20, 34], [35, 49], [50, 69]])
WHODAS_BAND = np.array([[0, 0], [116, 150], [106, 115], [96, 105], [52, 95]])

_LICENCE_BITS = {"A1": 0, "A2": 1, "A3": 2, "B1": 3, "B2": 4, "C1": 5, "C2": 6, "C5": 7, "forklift": 8,
                 "electrician": 9, "welder": 10, "height": 11, "massage": 12, "teacher": 13, "nurse": 14,
                 "accounting": 15}
_LICENCE_PATTERNS = [  # the hidden model's own reading of certificate text (codes or Chinese names)
    ("forklift", r"叉车|forklift|\bN1\b|叉车司机"),
    ("electrician", r"电工|electrician"),
    ("welder", r"焊|welder"),
    ("height", r"高处|登高|height"),
    ("massage", r"盲人医疗按摩|blind_medical_massage"),
    ("teacher", r"教师|teacher"),
    ("nurse", r"护士|nurse"),
    ("accounting", r"会计|accounting"),
]


def _tristate(frame: pd.DataFrame, col: str) -> np.ndarray:
    """1.0 / 0.0 for recorded true / false, NaN when missing (bools, 是/否, true/false, 1/0)."""
    if col not in frame:
        return np.full(len(frame), np.nan)
    codes, uniques = _factorized(frame[col].to_numpy(dtype=object))
    text = uniques.str.strip().str.lower()
    yes = text.isin(["true", "1", "1.0", "是", "有", "yes", "y", "t"]).to_numpy()
    no = text.isin(["false", "0", "0.0", "否", "无", "no", "n", "f"]).to_numpy()
    return np.where(yes, 1.0, np.where(no, 0.0, np.nan))[codes]


def parse_licences(text: pd.Series) -> np.ndarray:
    """Bit mask of licences and certificates held, from free text or codes.

    Examples
    --------
    >>> m = parse_licences(pd.Series(["driving_c1;电工证", "", None, "A2驾照"]))
    >>> [bool(x >> 5 & 1) for x in m], bool(m[0] >> 9 & 1), bool(m[3] >> 1 & 1)
    ([True, False, False, False], True, True)
    """
    codes, s = _factorized(text.to_numpy(dtype=object))
    out = np.zeros(len(s), np.int64)
    classes = s.str.upper().str.findall(r"(?<![A-Z0-9])(?:DRIVING_)?([ABC][1-5])(?![0-9])")
    flat = classes.explode().dropna()
    if len(flat):
        bits = flat.map({k: 1 << v for k, v in _LICENCE_BITS.items() if len(k) == 2}).fillna(0).astype(np.int64)
        out |= bits.groupby(level=0).agg(np.bitwise_or.reduce).reindex(range(len(s)), fill_value=0).to_numpy()
    for name, pattern in _LICENCE_PATTERNS:
        out |= np.where(s.str.contains(pattern, case=False, regex=True).to_numpy(dtype=bool),
                        1 << _LICENCE_BITS[name], 0)
    return out[codes]


def licence_bit(name: str) -> int:
    """Bit of a licence in :func:`parse_licences`' mask."""
    return 1 << _LICENCE_BITS[name]


def _components(category: np.ndarray, components: np.ndarray) -> np.ndarray:
    """(n × 6) bool: which of the six single categories the person has."""
    has = np.zeros((len(category), len(_CATS)), bool)
    comp = np.asarray(components, dtype=object).astype(str)
    multiple = category == "multiple"
    for c, name in enumerate(_CATS):
        has[:, c] = (category == name) | (multiple & (np.char.find(comp, name) >= 0))
    unknown = multiple & ~has.any(axis=1)
    has[unknown, 3] = True  # an unspecified multiple disability: physical and speech (ASSUMPTION)
    has[unknown, 2] = True
    return has


def _in_band(band: np.ndarray, grade: np.ndarray, u: np.ndarray) -> np.ndarray:
    lo, hi = band[grade, 0], band[grade, 1]
    return lo + u * (hi - lo)


def measures(persons: pd.DataFrame, seed: int) -> dict[str, np.ndarray]:
    """Body-function measures of each person row (see the module docstring).

    Examples
    --------
    >>> p = pd.DataFrame({"person_id": ["a", "b"], "category": ["visual", "hearing"], "grade": [1, 4],
    ...                   "limbs": ["unknown"] * 2, "components": [None] * 2, "education": [3, 3], "age": [30, 30]})
    >>> m = measures(p, seed=0)
    >>> bool(m["logmar"][0] >= 1.7 or m["field_loss"][0])  # grade 1: acuity < 0.02, or a field radius < 5°
    True
    >>> bool(41 <= m["db"][1] <= 60), bool(m["walk"].min() == 3)
    (True, True)
    """
    n = len(persons)
    pid = persons["person_id"].astype(str).to_numpy(dtype=object)
    category = persons["category"].astype("object").fillna("").to_numpy(dtype=object)
    grade = np.clip(pd.to_numeric(persons["grade"], errors="coerce").fillna(3).to_numpy(dtype=np.int64), 1, 4)
    limbs = persons["limbs"].astype("object").fillna("unknown").to_numpy(dtype=object) if "limbs" in persons \
        else np.full(n, "unknown", dtype=object)
    comps = persons["components"].astype("object").fillna("").to_numpy(dtype=object) if "components" in persons \
        else np.full(n, "", dtype=object)
    has = _components(category, comps)
    # a multiple disability: one component carries the grade, the others are as or less severe
    k = has.sum(axis=1)
    base = _hash(pid, seed, "person-measures")
    main = np.floor(_salted(base, "main-component") * np.maximum(k, 1)).astype(np.int64)
    rank = np.cumsum(has, axis=1) - 1
    g = np.where(has & (rank != main[:, None]),
                 np.minimum(grade[:, None] + np.floor(_salted(base, "other-grade")[:, None] * 3).astype(np.int64), 4),
                 grade[:, None])
    u = {name: _salted(base, name) for name in
         ("vision", "field", "hearing", "aid", "implant", "speech", "prelingual", "prelingual-level", "signer",
          "hands", "walk", "wheelchair", "limbs", "iq", "whodas", "endurance", "literate")}
    vis, hear, speech, phys, intel_c, mental = (has[:, c] for c in range(6))
    # vision
    field = vis & (g[:, 0] <= 2) & (u["field"] < P_FIELD_GRADED)
    logmar = np.where(vis, _in_band(LOGMAR_BAND, g[:, 0], u["vision"]), 0.0)
    logmar = np.where(field, 0.2 + 0.8 * u["vision"], logmar)
    residual = _tristate(persons, "residual_vision")
    logmar = np.where(vis & (residual == 0), 3.0, logmar)
    logmar = np.where(vis & (residual == 1), np.minimum(logmar, 2.3), logmar)
    # hearing
    db = np.where(hear, _in_band(DB_BAND, g[:, 1], u["hearing"]), 10.0)
    aid_rec = _tristate(persons, "hearing_aid")
    aid = np.where(np.isnan(aid_rec), u["aid"] < P_HEARING_AID[g[:, 1]], aid_rec == 1) & hear
    db_eff = np.where(aid, np.where(db > 90, 35 + 10 * u["implant"], 0.55 * db), db)
    # speech
    intel = np.where(speech, _in_band(INTEL_BAND, g[:, 2], u["speech"]), 95.0)
    prelingual = hear & (g[:, 1] <= 2) & (u["prelingual"] < P_PRELINGUAL)
    intel = np.where(prelingual, np.minimum(intel, 5 + 45 * u["prelingual-level"]), intel)
    sign_rec = _tristate(persons, "sign_language")
    p_sign = np.maximum(np.where(hear, P_SIGNER_HEARING[g[:, 1]], 0), np.where(speech, P_SIGNER_SPEECH[g[:, 2]], 0))
    signer = np.where(np.isnan(sign_rec), u["signer"] < p_sign, sign_rec == 1)
    # limbs: which are affected (unknown: upper 35 %, lower 50 %, both 15 %, ASSUMPTION)
    lu = u["limbs"]
    drawn = np.where(lu < 0.35, "upper", np.where(lu < 0.85, "lower", "both"))
    lim = np.where(np.isin(limbs, ["upper", "lower", "both"]), limbs, drawn)
    upper = phys & np.isin(lim, ["upper", "both"])
    lower = phys & np.isin(lim, ["lower", "both"])
    hands = np.where(upper, _in_band(HANDS_BAND, g[:, 3], u["hands"]), 2.0)
    wheel_rec = _tristate(persons, "wheelchair")
    licences = parse_licences(persons["certificates"]) if "certificates" in persons else np.zeros(n, np.int64)
    car_licence = (licences & 0b1111111) > 0  # any class but C5 certifies sight and legs (ASSUMPTION)
    wheel = np.where(np.isnan(wheel_rec), lower & (u["wheelchair"] < P_WHEELCHAIR[g[:, 3]]), wheel_rec == 1)
    wheel &= ~(car_licence & np.isnan(wheel_rec))
    walk = np.where(lower, _in_band(WALK_BAND, g[:, 3], u["walk"]), 3.0)
    walk = np.where(wheel, 0.0, np.where(wheel_rec == 0, np.maximum(walk, 1.0), walk))
    logmar = np.where(car_licence & np.isnan(residual), np.minimum(logmar, 0.1), logmar)
    field &= ~car_licence
    # intellect and psychosocial functioning
    iq = np.where(intel_c, _in_band(IQ_BAND, g[:, 4], u["iq"]), np.clip(100 + 12 * np.sqrt(2) * _erfinv(u["iq"]), 75, 130))
    whodas = np.where(mental, _in_band(WHODAS_BAND, g[:, 5], u["whodas"]), 36 + 14 * u["whodas"])
    whodas = np.where(intel_c & ~mental, np.maximum(whodas, _in_band(WHODAS_BAND, g[:, 4], u["whodas"]) - 10), whodas)
    # endurance
    age = pd.to_numeric(persons["age"], errors="coerce").fillna(40).to_numpy(dtype=float) if "age" in persons \
        else np.full(n, 40.0)
    endurance = 1.0 - 0.3 * (phys & (g[:, 3] <= 2)) - 0.15 * (category == "multiple") - 0.15 * mental \
        - 0.1 * (grade <= 2) - 0.1 * (age > 55) + 0.2 * (u["endurance"] - 0.5)
    # literacy
    edu = np.clip(pd.to_numeric(persons.get("education", pd.Series(np.nan, index=persons.index)), errors="coerce")
                  .fillna(2).to_numpy(dtype=np.int64), 0, 6)
    p_lit = P_LITERATE_BY_EDUCATION[edu] * np.clip((iq - 40) / 25, 0, 1)
    lit_rec = _tristate(persons, "literate")
    literate = np.where(np.isnan(lit_rec), u["literate"] < p_lit, lit_rec == 1)
    return {"logmar": logmar, "field_loss": field, "db": db, "db_eff": db_eff, "intel": intel, "signer": signer,
            "hands": hands, "walk": walk, "wheelchair": walk == 0, "endurance": np.clip(endurance, 0.05, 1.0),
            "iq": iq, "whodas": whodas, "literate": literate, "licences": licences}


def _erfinv(u: np.ndarray) -> np.ndarray:
    from scipy.special import erfinv

    return erfinv(np.clip(2 * u - 1, -0.999, 0.999))


def _s(x: np.ndarray) -> np.ndarray:
    return expit(x)


# (task, source) pieces of each limitation; each is a function of the measures (0 = no limitation, 1 = cannot)
LIMITATION_SOURCES: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "road_drive": ("sight", "legs", "hands", "mind", "psyche", "hearing"),
    "ride_deliver": ("sight", "legs", "hands", "mind", "psyche", "hearing"),
    "plant_drive": ("sight", "legs", "hands", "mind", "hearing"),
    "climb_height": ("sight", "legs", "hands", "mind", "psyche", "endurance"),
    "live_electric": ("sight", "hands", "mind", "psyche"),
    "hot_work": ("sight", "hands", "mind", "legs"),
    "machine_tend": ("sight", "hands", "mind", "hearing"),
    "heavy_handling": ("hands", "legs", "endurance"),
    "stand_station": ("legs", "endurance"),
    "walk_about": ("legs", "sight", "endurance"),
    "phone_voice": ("hearing", "speech", "mind"),
    "talk_public": ("hearing", "speech", "psyche"),
    "read_print": ("sight", "literacy"),
    "visual_detail": ("sight",),
    "fine_hands": ("hands", "sight", "mind"),
    "complex_tasks": ("mind", "psyche"),
    "line_pace": ("mind", "psyche", "hands"),
    "night_work": ("psyche", "endurance"),
    "customer_stress": ("psyche", "mind"),
    "tactile_work": ("hands", "endurance"),
})
"""Which functions limit each task of :mod:`jhmatch.datasets._tasks` (the hidden model's own judgement)."""


def limitations(m: dict[str, np.ndarray]) -> dict[tuple[str, str], np.ndarray]:
    """Activity limitation pieces (0–1) per (task, source), from :func:`measures`.

    Thresholds are the hidden model's ASSUMPTIONS, anchored where a source exists:
    road driving needs a decimal acuity of 0.8 (logMAR 0.1) under China's
    机动车驾驶证申领和使用规定 (so every visual disability rules it out); print
    reading fails below about 0.1 even with magnifiers; telephone speech is lost
    beyond about 50 dB HL unaided (no lip reading); face-to-face speech beyond about
    65 dB; a wheelchair user cannot stand, walk about, climb or carry loads.

    Examples
    --------
    >>> p = pd.DataFrame({"person_id": ["blind", "deaf"], "category": ["visual", "hearing"], "grade": [1, 1],
    ...                   "hearing_aid": [None, "false"], "education": [3, 3], "age": [30, 30]})
    >>> lim = limitations(measures(p, seed=0))
    >>> [round(float(x), 2) for x in lim[("road_drive", "sight")]], round(float(lim[("phone_voice", "hearing")][1]), 2)
    ([1.0, 0.0], 1.0)
    """
    lm, field, wheel = m["logmar"], m["field_loss"], m["wheelchair"]
    walk, hands, end, iq, wd = m["walk"], m["hands"], m["endurance"], m["iq"], m["whodas"]
    db, intel = m["db_eff"], m["intel"]
    one = np.ones_like(lm)

    def legs(th: float, scale: float = 0.2) -> np.ndarray:
        return np.where(wheel, 1.0, _s((th - walk) / scale))

    def sight(th: float, scale: float = 0.1, fld: float = 0.9) -> np.ndarray:
        return np.maximum(_s((lm - th) / scale), np.where(field, fld, 0.0))

    out = {
        ("road_drive", "sight"): np.where((lm > 0.15) | field, 1.0, 0.0),
        ("road_drive", "legs"): np.where(wheel, 1.0, _s((2.0 - walk) / 0.2) * 0.6),
        ("road_drive", "hands"): _s((1.5 - hands) / 0.15) * 0.7,
        ("road_drive", "mind"): _s((72 - iq) / 4),
        ("road_drive", "psyche"): _s((wd - 100) / 6) * 0.8,
        ("road_drive", "hearing"): _s((db - 65) / 8) * 0.3,
        ("ride_deliver", "sight"): sight(0.5),
        ("ride_deliver", "legs"): legs(2.2),
        ("ride_deliver", "hands"): _s((1.6 - hands) / 0.12) * 0.8,
        ("ride_deliver", "mind"): _s((60 - iq) / 5),
        ("ride_deliver", "psyche"): _s((wd - 100) / 8) * 0.5,
        ("ride_deliver", "hearing"): _s((db - 65) / 8) * 0.2,
        ("plant_drive", "sight"): sight(0.4),
        ("plant_drive", "legs"): np.where(wheel, 0.9, _s((1.8 - walk) / 0.2) * 0.5),
        ("plant_drive", "hands"): _s((1.6 - hands) / 0.12) * 0.8,
        ("plant_drive", "mind"): _s((60 - iq) / 5),
        ("plant_drive", "hearing"): _s((db - 65) / 8) * 0.15,
        ("climb_height", "sight"): sight(0.7, 0.12),
        ("climb_height", "legs"): legs(2.7, 0.12),
        ("climb_height", "hands"): _s((1.8 - hands) / 0.1),
        ("climb_height", "mind"): _s((65 - iq) / 5),
        ("climb_height", "psyche"): _s((wd - 95) / 8),
        ("climb_height", "endurance"): _s((0.5 - end) / 0.08) * 0.6,
        ("live_electric", "sight"): sight(0.4, 0.1, 0.8),
        ("live_electric", "hands"): _s((1.7 - hands) / 0.12),
        ("live_electric", "mind"): _s((80 - iq) / 5),
        ("live_electric", "psyche"): _s((wd - 95) / 8),
        ("hot_work", "sight"): sight(0.5),
        ("hot_work", "hands"): _s((1.6 - hands) / 0.15),
        ("hot_work", "mind"): _s((65 - iq) / 5),
        ("hot_work", "legs"): np.where(wheel, 0.6, 0.0),
        ("machine_tend", "sight"): sight(0.8, 0.12, 0.5),
        ("machine_tend", "hands"): _s((1.2 - hands) / 0.15),
        ("machine_tend", "mind"): _s((50 - iq) / 5),
        ("machine_tend", "hearing"): _s((db - 70) / 8) * 0.1,
        ("heavy_handling", "hands"): _s((1.6 - hands) / 0.15),
        ("heavy_handling", "legs"): legs(2.4),
        ("heavy_handling", "endurance"): _s((0.6 - end) / 0.08),
        ("stand_station", "legs"): legs(2.2, 0.25),
        ("stand_station", "endurance"): _s((0.45 - end) / 0.08),
        ("walk_about", "legs"): legs(2.5),
        ("walk_about", "sight"): np.maximum(_s((lm - 1.4) / 0.15) * 0.7, np.where(field, 0.6, 0.0)),
        ("walk_about", "endurance"): _s((0.5 - end) / 0.08),
        ("phone_voice", "hearing"): _s((db - 50) / 6),
        ("phone_voice", "speech"): _s((55 - intel) / 7),
        ("phone_voice", "mind"): _s((45 - iq) / 6) * 0.5,
        ("talk_public", "hearing"): _s((db - 65) / 7),
        ("talk_public", "speech"): _s((40 - intel) / 8),
        ("talk_public", "psyche"): _s((wd - 100) / 8) * 0.6,
        ("read_print", "sight"): _s((lm - 1.0) / 0.12),
        ("read_print", "literacy"): np.where(m["literate"], 0.0, 1.0),
        ("visual_detail", "sight"): sight(0.7, 0.12, 0.3),
        ("fine_hands", "hands"): _s((1.4 - hands) / 0.2),
        ("fine_hands", "sight"): _s((lm - 1.2) / 0.15) * 0.2,
        ("fine_hands", "mind"): _s((35 - iq) / 6) * 0.5,
        ("complex_tasks", "mind"): _s((72 - iq) / 5),
        ("complex_tasks", "psyche"): _s((wd - 100) / 8) * 0.5,
        ("line_pace", "mind"): _s((48 - iq) / 6),
        ("line_pace", "psyche"): _s((wd - 98) / 8),
        ("line_pace", "hands"): _s((1.3 - hands) / 0.2) * 0.5,
        ("night_work", "psyche"): _s((wd - 85) / 8),
        ("night_work", "endurance"): _s((0.5 - end) / 0.1) * 0.5,
        ("customer_stress", "psyche"): _s((wd - 95) / 8),
        ("customer_stress", "mind"): _s((55 - iq) / 6) * 0.5,
        ("tactile_work", "hands"): _s((1.7 - hands) / 0.12),
        ("tactile_work", "endurance"): _s((0.5 - end) / 0.08) * 0.6,
    }
    return {key: np.asarray(v * one, dtype=np.float64) for key, v in out.items()}

