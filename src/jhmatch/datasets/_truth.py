"""Plumbing of the hidden outcome model: id hashing, distances, table access.

Serves :mod:`jhmatch.datasets.outcomes`, :mod:`jhmatch.datasets._functioning` and
:mod:`jhmatch.datasets._tasks` only. The hidden world's persons are modelled in
``_functioning``, its posts in ``_tasks``; nothing here or there is shared with
:mod:`jhmatch.matching` or reads the scorer's vocabulary (:mod:`jhmatch.taxonomy`).
"""

from __future__ import annotations

import hashlib
import zlib
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.data.valid import ensure_valid
from jhmatch.datasets.constants import COUNTY_BOXES


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


def _factorized(values: Any) -> tuple[np.ndarray, pd.Series]:
    """Codes and distinct values (missing as ""), so that text rules run once per distinct text."""
    s = pd.Series(np.asarray(values, dtype=object), dtype=object)
    codes, uniques = pd.factorize(s.where(s.notna(), ""))
    return codes, pd.Series(np.asarray(uniques, dtype=object), dtype=object).astype(str)


def _salted(base: np.ndarray, salt: str) -> np.ndarray:
    """Uniform draws from one base hash and a salt (cheaper than hashing the ids again)."""
    return _uniform(_mix(base, np.uint64(zlib.crc32(salt.encode()))))


def _validated(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    return ensure_valid(frame, name)


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
