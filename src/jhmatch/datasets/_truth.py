"""The hidden functional profiles of the ground-truth outcome model (ASSUMPTION throughout).

These tables are the *simulated world's* truth: how much each disability category
and grade lowers each functional dimension, how much each post kind demands of it,
and how much each accommodation relieves it. They are judgement values chosen for a
plausible synthetic city, deliberately written independently of the profiles in
:mod:`jhmatch.matching` (no code or table is shared), so that a scorer evaluated
against :func:`jhmatch.datasets.simulate_outcomes` is tested against a world it
did not define.

Dimensions, in order: vision, hearing, speech, upper_limb, mobility, stamina,
cognition, psychosocial (``jhmatch.taxonomy.FUNCTIONAL_DIMENSIONS``).

The helpers at the end (id hashing, the model's own mapping of skill terms to CSCO
occupations, distances) serve :mod:`jhmatch.datasets.outcomes` only.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from jhmatch.datasets.constants import COUNTY_BOXES
from jhmatch.reference import load_occupations
from jhmatch.taxonomy import FUNCTIONAL_DIMENSIONS, DisabilityCategory

__all__ = ["ACCOMMODATION_RELIEF", "GRADE_LOSS", "KIND_DEMANDS", "true_capacity", "true_demand"]

DIMS = FUNCTIONAL_DIMENSIONS
_D = {d: i for i, d in enumerate(DIMS)}

GRADE_LOSS = np.array([0.0, 0.92, 0.72, 0.47, 0.25])
"""Loss of capacity on a category's primary dimension by grade (index = grade 1–4)."""

# category -> weights on the 8 dimensions (multiplied by GRADE_LOSS[grade])
_CATEGORY_WEIGHTS: dict[str, tuple[float, ...]] = {
    #              vis  hear speech upper mob  stam  cog  psych
    "visual":       (1.0, 0.0, 0.0, 0.0, 0.35, 0.1, 0.0, 0.1),
    "hearing":      (0.0, 1.0, 0.45, 0.0, 0.0, 0.0, 0.05, 0.15),
    "speech":       (0.0, 0.1, 1.0, 0.0, 0.0, 0.0, 0.05, 0.2),
    "intellectual": (0.0, 0.0, 0.3, 0.15, 0.0, 0.1, 1.0, 0.45),
    "mental":       (0.0, 0.0, 0.1, 0.0, 0.0, 0.25, 0.4, 1.0),
}
_LIMB_WEIGHTS: dict[str, tuple[float, ...]] = {
    "upper":   (0.0, 0.0, 0.0, 1.0, 0.15, 0.4, 0.0, 0.05),
    "lower":   (0.0, 0.0, 0.0, 0.1, 1.0, 0.5, 0.0, 0.05),
    "both":    (0.0, 0.0, 0.0, 1.0, 1.0, 0.7, 0.0, 0.1),
    "unknown": (0.0, 0.0, 0.0, 0.55, 0.6, 0.5, 0.0, 0.05),
}
_COMPONENT_ORDER = [c.value for c in DisabilityCategory][:-1]

KIND_DEMANDS: dict[str, tuple[float, ...]] = {
    #                          vis  hear speech upper mob  stam  cog  psych
    "kiosk":                  (0.6, 0.4, 0.5, 0.5, 0.3, 0.3, 0.45, 0.5),
    "tobacco_outlet":         (0.6, 0.4, 0.5, 0.5, 0.3, 0.3, 0.5, 0.5),
    "lottery_outlet":         (0.6, 0.4, 0.5, 0.5, 0.2, 0.2, 0.5, 0.5),
    "welfare_liaison":        (0.5, 0.6, 0.7, 0.3, 0.5, 0.4, 0.6, 0.7),
    "welfare_home_staff":     (0.5, 0.5, 0.5, 0.6, 0.6, 0.6, 0.5, 0.7),
    "welfare_convenience":    (0.5, 0.5, 0.5, 0.5, 0.5, 0.4, 0.4, 0.6),
    "welfare_cleaning":       (0.4, 0.2, 0.1, 0.7, 0.7, 0.6, 0.2, 0.2),
    "welfare_greening":       (0.4, 0.2, 0.1, 0.7, 0.8, 0.7, 0.2, 0.2),
    "agency_post":            (0.7, 0.5, 0.6, 0.5, 0.2, 0.2, 0.7, 0.6),
    "soe_post":               (0.6, 0.5, 0.5, 0.5, 0.3, 0.3, 0.6, 0.5),
    "cloud_customer_service": (0.6, 0.8, 0.9, 0.5, 0.05, 0.2, 0.6, 0.7),
    "cloud_review":           (0.9, 0.1, 0.05, 0.5, 0.05, 0.2, 0.6, 0.3),
    "network_maintenance":    (0.8, 0.3, 0.3, 0.7, 0.3, 0.3, 0.8, 0.3),
    "ecommerce":              (0.7, 0.3, 0.4, 0.6, 0.1, 0.2, 0.6, 0.4),
    "handicraft":             (0.7, 0.1, 0.05, 0.9, 0.2, 0.3, 0.4, 0.2),
    "blind_massage":          (0.05, 0.4, 0.4, 0.9, 0.3, 0.6, 0.4, 0.5),
    "rural_planting":         (0.4, 0.2, 0.1, 0.7, 0.8, 0.8, 0.3, 0.2),
    "rural_breeding":         (0.4, 0.2, 0.1, 0.7, 0.7, 0.7, 0.3, 0.2),
    "rural_processing":       (0.5, 0.2, 0.1, 0.7, 0.5, 0.5, 0.3, 0.2),
    "rural_tourism":          (0.5, 0.6, 0.7, 0.5, 0.6, 0.5, 0.4, 0.7),
    "rural_ecommerce":        (0.7, 0.3, 0.4, 0.5, 0.1, 0.2, 0.6, 0.4),
    "rural_logistics":        (0.6, 0.3, 0.3, 0.6, 0.8, 0.8, 0.4, 0.3),
    "sheltered_work":         (0.3, 0.1, 0.05, 0.5, 0.2, 0.3, 0.15, 0.15),
    "prosperity_workshop":    (0.6, 0.2, 0.1, 0.8, 0.3, 0.5, 0.3, 0.3),
    "enterprise_post":        (0.6, 0.4, 0.3, 0.6, 0.5, 0.5, 0.4, 0.4),
}
"""True demand (0–1) of each built-in post kind; user-registered kinds get 0.5."""

ACCOMMODATION_RELIEF: dict[str, dict[str, float]] = {
    "screen_reader": {"vision": 0.4},
    "sign_language": {"hearing": 0.4, "speech": 0.5},
    "step_free": {"mobility": 0.5},
    "remote": {"mobility": 0.2, "stamina": 0.8},
    "flexible_hours": {"stamina": 0.7, "psychosocial": 0.85},
    "job_coach": {"cognition": 0.6, "psychosocial": 0.7},
    "adapted_workstation": {"upper_limb": 0.75, "mobility": 0.8},
    "written_instructions": {"hearing": 0.7, "cognition": 0.85},
    "quiet_space": {"psychosocial": 0.7},
}
"""Factor by which an offered accommodation multiplies a true demand."""


def true_capacity(category: np.ndarray, grade: np.ndarray, limbs: np.ndarray,
                  components: np.ndarray) -> np.ndarray:
    """True functional capacity (n × 8, in [0.02, 1]) before any assessment.

    Parameters
    ----------
    category, limbs, components : array of str
        Canonical values (``components`` ``""`` unless multiple, e.g. ``"visual;hearing"``).
    grade : array of int
        1–4.

    Examples
    --------
    >>> cap = true_capacity(np.array(["visual"]), np.array([1]), np.array(["unknown"]), np.array([""]))
    >>> round(float(cap[0, 0]), 2), float(cap[0, 1])
    (0.08, 1.0)
    """
    category = np.asarray(category, dtype=object)
    limbs = np.asarray(limbs, dtype=object)
    comps = np.asarray(components, dtype=object)
    n = len(category)
    weights = np.zeros((n, len(DIMS)))

    def weights_of(cat: str) -> np.ndarray:
        if cat == "physical":
            table = np.array([_LIMB_WEIGHTS[x] for x in ("upper", "lower", "both", "unknown")])
            code = np.select([limbs == "upper", limbs == "lower", limbs == "both"], [0, 1, 2], 3)
            return table[code]
        return np.broadcast_to(np.array(_CATEGORY_WEIGHTS[cat]), (n, len(DIMS)))

    multiple = category == "multiple"
    comp_text = comps[multiple].astype(str)
    for cat in _COMPONENT_ORDER:
        mask = category == cat
        if comp_text.size:
            mask[multiple] |= np.char.find(comp_text, cat) >= 0  # no category name contains another
        if mask.any():
            weights[mask] = np.maximum(weights[mask], weights_of(cat)[mask])
    unknown_parts = multiple & (weights.max(axis=1) == 0)
    weights[unknown_parts] = 0.5
    weights[multiple, _D["stamina"]] = np.maximum(weights[multiple, _D["stamina"]], 0.3)
    g = np.clip(np.asarray(grade, dtype=np.int64), 1, 4)
    severe = g <= 2
    weights[severe, _D["stamina"]] += 0.2
    cap = 1.0 - GRADE_LOSS[g][:, None] * np.minimum(weights, 1.0)
    return np.clip(cap, 0.02, 1.0)


def true_demand(kind: np.ndarray, accommodations: np.ndarray, remote: np.ndarray,
                given: np.ndarray | None = None) -> np.ndarray:
    """True functional demand (n × 8, in [0, 1]) after offered accommodations.

    ``given`` (n × 8, NaN where absent) replaces the kind's demand where present (an
    explicit job analysis); accommodations and remote work then relieve it.

    Examples
    --------
    >>> d = true_demand(np.array(["cloud_review"]), np.array(["screen_reader"]), np.array([True]))
    >>> round(float(d[0, 0]), 2)
    0.36
    """
    kind = np.asarray(kind, dtype=object)
    codes, inverse = np.unique(kind.astype(str), return_inverse=True)
    table = np.array([KIND_DEMANDS.get(str(k), (0.5,) * len(DIMS)) for k in codes], dtype=float).reshape(-1, len(DIMS))
    dem = table[inverse.ravel()].copy()
    if given is not None:
        given = np.asarray(given, dtype=float)
        dem = np.where(np.isnan(given), dem, given)
    acc = np.asarray(accommodations, dtype=object).astype(str)
    for name, relief in ACCOMMODATION_RELIEF.items():
        has = np.char.find(acc, name) >= 0
        if has.any():
            for dim, factor in relief.items():
                dem[has, _D[dim]] *= factor
    rem = np.asarray(remote, dtype=bool)
    dem[rem, _D["mobility"]] *= 0.3
    return dem


# ----------------------------------------------------------------------------- helpers of the outcome model

def _hash(values: Any, seed: int, salt: str) -> np.ndarray:
    key = hashlib.blake2b(f"{salt}:{seed}".encode(), digest_size=8).hexdigest()
    return pd.util.hash_array(np.asarray(values, dtype=object), hash_key=key, categorize=True)


def _mix(a: np.ndarray, b: np.ndarray | np.uint64) -> np.ndarray:
    """SplitMix64-style mixing of two 64-bit hashes (wrapping arithmetic)."""
    with np.errstate(over="ignore"):
        x = a ^ (b * np.uint64(0x9E3779B97F4A7C15))
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


def _uniform(h: np.ndarray) -> np.ndarray:
    return ((h >> np.uint64(11)).astype(np.float64) + 0.5) / 2.0**53


@lru_cache(maxsize=1)
def _term_codes() -> dict[str, str]:
    """Occupation name or alias → CSCO code (the hidden model's own reading of skills)."""
    occ = load_occupations().drop_duplicates("code")
    table: dict[str, str] = {}
    for code, aliases in zip(occ["code"], occ["aliases"]):
        for term in str(aliases).split(","):
            term = term.strip().rstrip("LS").strip()
            if term:
                table.setdefault(term, code)
    table.update(zip(occ["name"], occ["code"]))
    return table


def _code_sets(texts: pd.Series, extra: np.ndarray | None = None) -> pd.DataFrame:
    """(row, code) pairs for ``;``-separated occupation terms (plus ``extra`` codes)."""
    s = texts.astype("object").fillna("").astype(str).str.replace(r"[,，、|/；]", ";", regex=True)
    tokens = s.str.split(";").explode()
    rows = tokens.index.to_numpy()
    codes = tokens.str.strip().map(_term_codes()).to_numpy(dtype=object)
    out = pd.DataFrame({"row": rows, "code": codes})
    if extra is not None:
        out = pd.concat([out, pd.DataFrame({"row": np.arange(len(extra)), "code": extra})])
    return out.dropna().drop_duplicates()


def _overlap(left: pd.DataFrame, right: pd.DataFrame, n_left: int, n_right: int, li: np.ndarray,
             ri: np.ndarray, width: int) -> np.ndarray:
    """For each pair, whether the two rows share a code prefix of ``width`` characters."""
    lc, rc = left["code"].astype(str).str[:width], right["code"].astype(str).str[:width]
    codes, inv = np.unique(np.concatenate([lc.to_numpy(dtype=str), rc.to_numpy(dtype=str)]), return_inverse=True)
    inv = inv.ravel()
    a = sp.csr_array((np.ones(len(lc)), (left["row"].to_numpy(np.int64), inv[: len(lc)])), shape=(n_left, len(codes)))
    b = sp.csr_array((np.ones(len(rc)), (right["row"].to_numpy(np.int64), inv[len(lc):])), shape=(n_right, len(codes)))
    a.data[:] = 1.0
    b.data[:] = 1.0
    return np.asarray((a[li].multiply(b[ri])).sum(axis=1)).ravel() > 0


def _validated(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    if frame.attrs.get("validated") == name:
        return frame
    from jhmatch.data import schema

    return getattr(schema, f"validate_{name}")(frame)


def _centres(county: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    box = {c: ((b[0] + b[1]) / 2, (b[2] + b[3]) / 2) for c, b in COUNTY_BOXES.items()}
    lat = np.array([box.get(c, (np.nan, np.nan))[0] for c in COUNTY_BOXES])
    lon = np.array([box.get(c, (np.nan, np.nan))[1] for c in COUNTY_BOXES])
    idx = pd.Index(list(COUNTY_BOXES)).get_indexer(county)
    return np.where(idx >= 0, lat[idx], np.nan), np.where(idx >= 0, lon[idx], np.nan)


def _coords(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    lat = frame["lat"].to_numpy(dtype=float, na_value=np.nan)
    lon = frame["lon"].to_numpy(dtype=float, na_value=np.nan)
    clat, clon = _centres(frame["county"].to_numpy(dtype=object))
    missing = np.isnan(lat) | np.isnan(lon)
    return np.where(missing, clat, lat), np.where(missing, clon, lon)


def _km(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    p1, p2, dl = np.radians(lat1), np.radians(lat2), np.radians(lon2 - lon1)
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(h, 0, 1)))


def _num(frame: pd.DataFrame, col: str) -> np.ndarray:
    return frame[col].to_numpy(dtype=float, na_value=np.nan)
