"""Small seeded synthetic persons/posts tables for the matching tests and benchmarks.

Not the scenario generator (that is :func:`jhmatch.datasets.make_jinhua`): uniform-ish draws with
plausible shapes, fully vectorised, so 100,000 persons take about a second.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import numpy as np
import pandas as pd

from jhmatch.datasets.constants import COUNTY_BOXES
from jhmatch.taxonomy import REGIONS, Accommodation, post_kinds

__all__ = ["COUNTY_CENTRES", "SKILL_PHRASES", "synthetic_persons", "synthetic_posts"]

COUNTY_CENTRES: Mapping[str, tuple[float, float]] = MappingProxyType({
    code: ((box[0] + box[1]) / 2, (box[2] + box[3]) / 2) for code, box in COUNTY_BOXES.items()
})
"""Centres (lat, lon) of Jinhua's county-level divisions: the middles of the synthetic city's boxes."""

SKILL_PHRASES: tuple[str, ...] = (
    "保洁", "绿化养护", "电脑打字", "客服", "电商运营", "直播带货", "按摩推拿", "手工编织", "刺绣", "竹编",
    "缝纫", "包装", "分拣", "快递配送", "收银", "烟草零售", "彩票销售", "种植", "养殖", "茶叶加工",
    "网络维护", "内容审核", "文字编辑", "社区服务", "养老护理", "民宿接待", "excel", "office", "驾驶", "仓储",
)
"""Skill phrases drawn into synthetic skills and requirements."""

_CATS = np.array(["visual", "hearing", "speech", "physical", "intellectual", "mental", "multiple"], dtype=object)
_CAT_P = np.array([0.12, 0.17, 0.02, 0.42, 0.09, 0.10, 0.08])


def _phrases(rng: np.random.Generator, n: int, lo: int, hi: int) -> np.ndarray:
    counts = rng.integers(lo, hi + 1, n)
    picks = rng.integers(0, len(SKILL_PHRASES), (n, hi))
    table = np.array((*SKILL_PHRASES, ""), dtype=object)
    picks = np.where(np.arange(hi)[None, :] < counts[:, None], picks, len(SKILL_PHRASES))
    words = table[picks]
    out = words[:, 0]
    for c in range(1, hi):
        out = out + " " + words[:, c]
    return np.array([s.strip() for s in out], dtype=object)


def _coords(rng: np.random.Generator, counties: np.ndarray, frac: float) -> tuple[np.ndarray, np.ndarray]:
    centres = np.array([COUNTY_CENTRES[c] for c in counties]) if len(counties) else np.empty((0, 2))
    lat = centres[:, 0] + rng.normal(0, 0.08, len(counties))
    lon = centres[:, 1] + rng.normal(0, 0.08, len(counties))
    miss = rng.random(len(counties)) >= frac
    lat[miss] = np.nan
    lon[miss] = np.nan
    return lat, lon


def synthetic_persons(n: int, seed: int = 0, coords: float = 0.5) -> pd.DataFrame:
    """A raw persons table of ``n`` rows (``coords``: share with coordinates).

    Examples
    --------
    >>> synthetic_persons(3, seed=1).shape[0]
    3
    """
    rng = np.random.default_rng(seed)
    pop = np.array([r.population for r in REGIONS])
    counties = np.array([r.code for r in REGIONS], dtype=object)[rng.choice(len(REGIONS), n, p=pop / pop.sum())]
    cat = _CATS[rng.choice(len(_CATS), n, p=_CAT_P)]
    limbs = np.where(cat == "physical", np.array(["upper", "lower", "both", "unknown"], dtype=object)[rng.integers(0, 4, n)], "")
    singles = np.array(["visual", "hearing", "speech", "physical", "intellectual", "mental"], dtype=object)
    a, b = rng.integers(0, 6, n), rng.integers(1, 6, n)
    comp = np.where(cat == "multiple", singles[a] + ";" + singles[(a + b) % 6], "")
    kinds = np.array([k.code for k in post_kinds()[:25]], dtype=object)
    n_pref = rng.integers(0, 3, n)
    p1, p2 = kinds[rng.integers(0, len(kinds), n)], kinds[rng.integers(0, len(kinds), n)]
    pref = np.where(n_pref == 0, "", np.where(n_pref == 1, p1, p1 + ";" + p2))
    lat, lon = _coords(rng, counties, coords)
    return pd.DataFrame({
        "person_id": [f"P{i:07d}" for i in range(n)],
        "category": cat, "components": comp, "grade": rng.integers(1, 5, n), "limbs": limbs,
        "sex": np.where(rng.random(n) < 0.55, "M", "F"), "age": rng.integers(16, 66, n),
        "county": counties, "education": rng.integers(0, 7, n), "skills": _phrases(rng, n, 0, 3),
        "preferred_kinds": pref, "remote_ok": rng.random(n) < 0.7, "lat": lat, "lon": lon,
    })


def synthetic_posts(m: int, seed: int = 1, coords: float = 0.5) -> pd.DataFrame:
    """A raw posts table of ``m`` rows.

    Examples
    --------
    >>> synthetic_posts(4, seed=2)["capacity"].ge(0).all()
    np.True_
    """
    rng = np.random.default_rng(seed)
    kinds = post_kinds()[:25]
    k = rng.integers(0, len(kinds), m)
    counties = np.array([r.code for r in REGIONS], dtype=object)[rng.integers(0, len(REGIONS), m)]
    accs = np.array([a.value for a in Accommodation], dtype=object)
    has = rng.random(m) < 0.4
    acc = np.where(has, accs[rng.integers(0, len(accs), m)], "")
    lat, lon = _coords(rng, counties, coords)
    min_edu = rng.integers(0, 6, m).astype(float)
    min_edu[rng.random(m) < 0.5] = np.nan
    max_age = rng.integers(40, 61, m).astype(float)
    max_age[rng.random(m) < 0.7] = np.nan
    return pd.DataFrame({
        "post_id": [f"Q{i:06d}" for i in range(m)],
        "kind": [kinds[i].code for i in k], "title": [kinds[i].zh for i in k], "county": counties,
        "capacity": rng.integers(0, 6, m), "required_skills": _phrases(rng, m, 0, 2),
        "min_education": min_edu, "accommodations": acc, "max_age": max_age, "lat": lat, "lon": lon,
    })
