"""Reference data packaged with jhmatch: CSCO 2022 occupations, O*NET abilities and a crosswalk.

The lowest layer beside :mod:`jhmatch.taxonomy`: it imports nothing else from jhmatch, so
matching and the synthetic generator can both read it without importing each other.
Credits and licences: ``reference/data/README.md``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

import pandas as pd

__all__ = ["ABILITY_NAMES", "load_abilities", "load_crosswalk", "load_occupations", "onet_for_csco"]


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


@lru_cache(maxsize=1)
def _crosswalk() -> pd.DataFrame:
    with _path("csco_onet.csv").open("rb") as fh:
        table = pd.read_csv(fh, dtype=str, keep_default_na=False, encoding="utf-8")
    return table.astype({"level": "int64"})


def load_crosswalk() -> pd.DataFrame:
    """CSCO 2022 → O*NET-SOC 2010 crosswalk (the jhmatch developers' own judgement).

    One row for every level-2 and level-3 group, for every level-4 occupation whose
    code is also its unit group's (``X-XX-XX-00``), and for the level-4 occupations
    whose physical or sensory demands differ from their unit group's (drivers vs
    dispatchers, cooks vs waiters, couriers vs mail sorters, ...). Use
    :func:`onet_for_csco` to resolve any code. Credits: ``reference/data/README.md``.

    Returns
    -------
    DataFrame
        Columns ``csco`` (``X-XX-XX-XX``, unique), ``level`` (1–4, the code's level
        in :func:`load_occupations`), ``csco_name``, ``onet`` (1–3 O*NET-SOC codes
        present in :func:`load_abilities`, separated by ``;``), ``onet_titles``
        (their titles, separated by ``; ``) and ``note`` (the reason for a choice
        that is not obvious; empty otherwise).

    Examples
    --------
    >>> cw = load_crosswalk()
    >>> int((cw["level"] == 3).sum()), int((cw["level"] == 2).sum())
    (336, 72)
    >>> cw.set_index("csco").loc["6-18-02-04", "onet_titles"]  # 焊工
    'Welders, Cutters, and Welder Fitters; Welding, Soldering, and Brazing Machine Setters, Operators, and Tenders'
    """
    return _crosswalk().copy()


_CSCO_CODE = re.compile(r"\d-\d{2}-\d{2}-\d{2}")


@lru_cache(maxsize=1)
def _crosswalk_lookup() -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    table = _crosswalk()
    mapping = {c: tuple(o.split(";")) for c, o in zip(table["csco"], table["onet"])}
    return mapping, frozenset(_occupations_all()["code"])


def onet_for_csco(code: str) -> tuple[str, ...]:
    """O*NET-SOC 2010 counterparts of a CSCO 2022 code, most specific row first.

    Looks up the code's own row, else its unit group (``X-XX-XX-00``), else its
    sub-major group (``X-XX-00-00``) in :func:`load_crosswalk`.

    Parameters
    ----------
    code : str
        A CSCO 2022 code of any level, e.g. ``"4-02-07-08"``.

    Returns
    -------
    tuple of str
        1–3 O*NET-SOC codes (all present in :func:`load_abilities`); ``()`` when the
        code is not a string, not in the catalogue, or has no row at any of the three
        levels (the major groups 2 and 4, which are too mixed to map).

    Examples
    --------
    >>> onet_for_csco("4-02-07-08")  # 快递员: own row
    ('43-5021.00', '53-3033.00')
    >>> onet_for_csco("4-12-02-01")  # 计算机维修工: through its unit group 4-12-02-00
    ('49-2011.00',)
    >>> onet_for_csco("9-99-99-99")
    ()
    """
    if not isinstance(code, str) or not _CSCO_CODE.fullmatch(code.strip()):
        return ()
    code = code.strip()
    mapping, known = _crosswalk_lookup()
    if code not in known:
        return ()
    for key in (code, code[:7] + "-00", code[:4] + "-00-00"):
        if key in mapping:
            return mapping[key]
    return ()


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
