"""Reference data packaged with jhmatch: CSCO 2022 occupations and O*NET abilities.

The lowest layer beside :mod:`jhmatch.taxonomy`: it imports nothing else from jhmatch, so
matching and the synthetic generator can both read it without importing each other.
Credits and licences: ``reference/data/README.md``.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

import pandas as pd

__all__ = ["ABILITY_NAMES", "load_abilities", "load_occupations"]


def _path(name: str):
    return files("jhmatch.reference") / "data" / name


@lru_cache(maxsize=4)
def _occupations_all() -> pd.DataFrame:
    with _path("csco22.csv.gz").open("rb") as fh:
        raw = pd.read_csv(fh, compression="gzip", dtype=str, keep_default_na=False)
    out = pd.DataFrame(
        {
            "code": raw["code"],
            "level": raw["level"].astype("int64"),
            "name": raw["name"].str.rstrip("LS/"),
            "definition": raw["definition"],
            "tasks": raw["tasks"],
            "aliases": raw["alias"],
            "major_group": raw["code"].str[0].astype("int64"),
        }
    )
    return out.drop_duplicates(["level", "code"], keep="first").reset_index(drop=True)


def load_occupations(level: int | None = 4) -> pd.DataFrame:
    """China's 2022 occupation classification (CSCO 2022).

    Parameters
    ----------
    level : {1, 2, 3, 4} or None, default 4
        1 大类, 2 中类, 3 小类, 4 细类 (the occupations); ``None`` gives all rows.
        The source file lists two occupations twice (4-12-04-02, 6-20-05-03); the
        first row of each code is kept, so level 4 has 1,632 unique codes.

    Returns
    -------
    DataFrame
        Columns ``code`` (``X-XX-XX-XX``), ``level``, ``name`` (without the green
        ``L`` / digital ``S`` marks), ``definition``, ``tasks``, ``aliases``
        (comma-separated) and ``major_group`` (1–8).

    Examples
    --------
    >>> occ = load_occupations()
    >>> occ.set_index("code").loc["4-10-04-02", "name"]
    '保健按摩师'
    """
    table = _occupations_all()
    if level is not None:
        table = table[table["level"] == level].reset_index(drop=True)
    return table.copy()


@lru_cache(maxsize=1)
def _abilities() -> pd.DataFrame:
    with _path("onet_abilities_im.csv.gz").open("rb") as fh:
        return pd.read_csv(fh, compression="gzip", index_col="onet_code")


def load_abilities() -> pd.DataFrame:
    """O*NET ability importance (1–5) for 968 occupations (O*NET-SOC 2010).

    Returns
    -------
    DataFrame
        Indexed by O*NET-SOC code; a ``title`` column then one column per ability
        (52, e.g. ``"Near Vision"``, ``"Finger Dexterity"``, ``"Stamina"``).

    Examples
    --------
    >>> ab = load_abilities()
    >>> ab.shape
    (968, 53)
    >>> float(ab.loc["31-9011.00", "Manual Dexterity"]) > 3
    True
    """
    return _abilities().copy()


ABILITY_NAMES: tuple[str, ...] = (
    "Arm-Hand Steadiness", "Auditory Attention", "Category Flexibility", "Control Precision",
    "Deductive Reasoning", "Depth Perception", "Dynamic Flexibility", "Dynamic Strength",
    "Explosive Strength", "Extent Flexibility", "Far Vision", "Finger Dexterity",
    "Flexibility of Closure", "Fluency of Ideas", "Glare Sensitivity", "Gross Body Coordination",
    "Gross Body Equilibrium", "Hearing Sensitivity", "Inductive Reasoning", "Information Ordering",
    "Manual Dexterity", "Mathematical Reasoning", "Memorization", "Multilimb Coordination",
    "Near Vision", "Night Vision", "Number Facility", "Oral Comprehension", "Oral Expression",
    "Originality", "Perceptual Speed", "Peripheral Vision", "Problem Sensitivity", "Rate Control",
    "Reaction Time", "Response Orientation", "Selective Attention", "Sound Localization",
    "Spatial Orientation", "Speech Clarity", "Speech Recognition", "Speed of Closure",
    "Speed of Limb Movement", "Stamina", "Static Strength", "Time Sharing", "Trunk Strength",
    "Visual Color Discrimination", "Visualization", "Wrist-Finger Speed", "Written Comprehension",
    "Written Expression",
)
"""The 52 O*NET abilities, in the column order of :func:`load_abilities`."""
