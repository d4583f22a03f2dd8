"""Functional demand of posts: O*NET-grounded profiles per kind and occupation, and accommodations.

See :mod:`jhmatch.matching.profiles` for the scales and the overall rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from jhmatch.i18n import N_
from jhmatch.matching._frozen import frozen
from jhmatch.reference import load_abilities, onet_for_csco
from jhmatch.taxonomy import FUNCTIONAL_DIMENSIONS, Accommodation, post_kind, post_kinds

__all__ = [
    "ABILITY_DIMENSIONS",
    "ACCOMMODATION_EFFECTS",
    "ACCOMMODATION_RATIONALE",
    "DEMAND_SOURCES",
    "DEMAND_SOURCE_LABELS",
    "KIND_ADJUSTMENTS",
    "OCCUPATION_ADJUSTMENTS",
    "PostDemands",
    "accommodated_demands",
    "kind_demand",
    "occupation_demand",
    "post_demands",
]

DIMS = FUNCTIONAL_DIMENSIONS
_DIM = {d: i for i, d in enumerate(DIMS)}

ABILITY_DIMENSIONS: Mapping[str, tuple[str, ...]] = frozen({
    "vision": ("Near Vision", "Far Vision", "Visual Color Discrimination", "Depth Perception"),
    "hearing": ("Hearing Sensitivity", "Auditory Attention", "Speech Recognition"),
    "speech": ("Speech Clarity", "Oral Expression"),
    "upper_limb": ("Manual Dexterity", "Finger Dexterity", "Arm-Hand Steadiness", "Wrist-Finger Speed"),
    "mobility": ("Gross Body Coordination", "Gross Body Equilibrium", "Multilimb Coordination"),
    "stamina": ("Static Strength", "Dynamic Strength", "Trunk Strength", "Stamina"),
    "cognition": ("Oral Comprehension", "Written Comprehension", "Deductive Reasoning", "Memorization",
                  "Mathematical Reasoning"),
    # O*NET abilities have no "contact with the public" item; these four abilities
    # (talking, understanding others, juggling tasks, focus under distraction) are the proxy.
    "psychosocial": ("Oral Expression", "Speech Recognition", "Time Sharing", "Selective Attention"),
})
"""O*NET abilities aggregated into each functional dimension (domain.md §6)."""

KIND_ADJUSTMENTS: Mapping[str, tuple[dict[str, float], str]] = frozen({
    "blind_massage": ({"vision": 0.0},
                      "the trade is organised around blind practitioners (CSCO 2-05-10-00 盲人医疗按摩人员); "
                      "O*NET's Massage Therapists describe sighted workers"),
    "sheltered_work": ({"cognition": 0.25, "psychosocial": 0.20, "stamina": 0.30},
                       "辅助性就业 is designed for intellectual, mental and severe disabilities, with supervision"),
    "cloud_customer_service": ({"hearing": 0.25, "speech": 0.30},
                               "云客服 placements for disabled workers are mainly online text chat"),
    "cloud_review": ({"hearing": 0.15, "speech": 0.10}, "content review is reading and judging, not talking"),
})
"""Per-kind replacements of O*NET-derived demands, each with its reason."""

ACCOMMODATION_EFFECTS: Mapping[str, dict[str, float]] = frozen({
    Accommodation.SCREEN_READER.value: {"vision": 0.35},
    Accommodation.SIGN_LANGUAGE.value: {"hearing": 0.35, "speech": 0.50},
    Accommodation.STEP_FREE.value: {"mobility": 0.50},
    Accommodation.REMOTE.value: {"mobility": 0.30, "stamina": 0.80, "psychosocial": 0.70},
    Accommodation.FLEXIBLE_HOURS.value: {"stamina": 0.60, "psychosocial": 0.85},
    Accommodation.JOB_COACH.value: {"cognition": 0.60, "psychosocial": 0.65},
    Accommodation.ADAPTED_WORKSTATION.value: {"upper_limb": 0.60, "mobility": 0.80},
    Accommodation.WRITTEN_INSTRUCTIONS.value: {"hearing": 0.60, "cognition": 0.85},
    Accommodation.QUIET_SPACE.value: {"psychosocial": 0.70},
})
"""Multiplier on each demand an accommodation lowers (others unchanged). E.g. a
screen reader leaves 35 % of the vision demand (reading the screen is done by
ear), sign-language interpretation 35 % of hearing and 50 % of speech, step-free
access halves the mobility demand, a job coach (supported employment) leaves 60 %
of the cognitive demand. Several accommodations multiply. Reasons per entry:
:data:`ACCOMMODATION_RATIONALE`. These multipliers are judgement calls (no
published calibration was found); they are parameters, not facts."""

ACCOMMODATION_RATIONALE: Mapping[str, str] = frozen({
    "screen_reader": "screen text is read aloud or in braille; sight still helps with layout and paper",
    "sign_language": "an interpreter carries spoken exchanges both ways; some hearing-dependent cues remain",
    "step_free": "ramps, lifts and accessible toilets remove most walking and stair demands, not on-site moving",
    "remote": "no commute or on-site moving; fewer face-to-face contacts; a work day still needs stamina",
    "flexible_hours": "rests and shorter days fit limited stamina; fewer time-pressure peaks",
    "job_coach": "supported employment: tasks broken down and learned on the job with a coach",
    "adapted_workstation": "adapted tools and desk reduce fine-motor and reach demands",
    "written_instructions": "instructions in writing or pictures replace spoken ones; also easier to re-read",
    "quiet_space": "a low-stimulus workplace reduces stress and interruptions",
})
"""Why each accommodation lowers the demands it lowers."""

_IMPORTANCE_LOW, _IMPORTANCE_SPAN = 1.5, 3.0


@lru_cache(maxsize=1)
def _onet_dimension_table() -> pd.DataFrame:
    ab = load_abilities()
    out = {}
    for dim, names in ABILITY_DIMENSIONS.items():
        top2 = np.sort(ab[list(names)].to_numpy(dtype=float), axis=1)[:, -2:].mean(axis=1)
        out[dim] = np.clip((top2 - _IMPORTANCE_LOW) / _IMPORTANCE_SPAN, 0.0, 1.0)
    return pd.DataFrame(out, index=ab.index)[list(DIMS)]


def occupation_demand(csco: str) -> np.ndarray | None:
    """Demand profile of a CSCO 2022 occupation from its O*NET counterparts.

    The code's O*NET counterparts come from the packaged CSCO→O*NET crosswalk
    (:func:`jhmatch.reference.onet_for_csco`: the occupation's own row, else its unit
    group, else its sub-major group), so every occupation of the catalogue has a
    profile. Returns ``None`` for a code the crosswalk does not know.

    Examples
    --------
    >>> d = occupation_demand("6-05-01-06")  # 绒线编织拼布工 → Sewers, Hand
    >>> bool(d[3] > 0.8), bool(d[4] < 0.3)
    (True, True)
    """
    onet = onet_for_csco(str(csco))
    if not onet:
        return None
    rows = _onet_rows()
    demand = np.mean([rows[c] for c in onet], axis=0)
    for dim, value in OCCUPATION_ADJUSTMENTS.get(str(csco), ({}, ""))[0].items():
        demand[_DIM[dim]] = value
    return demand


@lru_cache(maxsize=1)
def _onet_rows() -> dict[str, np.ndarray]:
    table = _onet_dimension_table()
    return dict(zip(table.index, table.to_numpy(), strict=True))


def kind_demand(kind: str) -> np.ndarray:
    """Demand profile of a post kind: mean over its occupations, then :data:`KIND_ADJUSTMENTS`.

    A kind whose occupations are all unmapped gets the median O*NET occupation.

    Examples
    --------
    >>> d = kind_demand("blind_massage")
    >>> float(d[0])
    0.0
    """
    k = post_kind(kind)
    rows = [d for d in (occupation_demand(c) for c in k.csco) if d is not None]
    demand = np.mean(rows, axis=0) if rows else _onet_dimension_table().median().to_numpy()
    for dim, value in KIND_ADJUSTMENTS.get(k.code, ({}, ""))[0].items():
        demand[_DIM[dim]] = value
    return demand


def accommodated_demands(demands: np.ndarray, accommodations: pd.Series | list[str]) -> np.ndarray:
    """Apply :data:`ACCOMMODATION_EFFECTS` to raw demands (rows aligned with ``accommodations``).

    Examples
    --------
    >>> raw = np.full((1, 8), 0.6)
    >>> accommodated_demands(raw, ["screen_reader;step_free"])[0, [0, 4]].round(2).tolist()
    [0.21, 0.3]
    """
    out = np.array(demands, dtype=float, copy=True)
    acc = pd.Series(list(accommodations), dtype="object").fillna("")
    codes, uniques = pd.factorize(acc)
    factors = np.ones((max(len(uniques), 1), len(DIMS)))
    for u, text in enumerate(uniques):
        for a in (p for p in str(text).split(";") if p):
            for dim, f in ACCOMMODATION_EFFECTS[Accommodation.parse(a).value].items():
                factors[u, _DIM[dim]] *= f
    if len(acc):
        out *= factors[codes]
    return out


DEMAND_SOURCES: tuple[str, ...] = ("kind", "occupation", "occupation from title", "planner")
"""Where a post's demand on a dimension came from (index into this tuple)."""
DEMAND_SOURCE_LABELS: tuple[str, ...] = (N_("the post's kind"), N_("the post's occupation"),
                                         N_("occupation inferred from the title"), N_("the planner's entry"))
"""How each of :data:`DEMAND_SOURCES` is shown (translated where shown)."""

OCCUPATION_ADJUSTMENTS: Mapping[str, tuple[dict[str, float], str]] = frozen({
    "2-05-10-00": ({"vision": 0.0}, KIND_ADJUSTMENTS["blind_massage"][1]),
})
"""Per-occupation replacements of O*NET-derived demands, each with its reason."""


@dataclass(frozen=True, repr=False)
class PostDemands:
    """Functional demands of a posts table with their provenance (row-aligned).

    Attributes
    ----------
    raw : ndarray, shape (m, 8)
        Demand before accommodations.
    accommodated : ndarray, shape (m, 8), float32
        After the post's accommodations (and ``remote`` for remote posts).
    unsigned : ndarray, shape (m, 8), float32
        After every accommodation except sign-language interpretation: what the post
        demands of a person recorded as not using sign language.
    source : ndarray of int8, shape (m, 8)
        Index into :data:`DEMAND_SOURCES` per post and dimension.
    """

    raw: np.ndarray
    accommodated: np.ndarray
    unsigned: np.ndarray
    source: np.ndarray

    def __repr__(self) -> str:
        return f"PostDemands({self.raw.shape[0]:,} posts x {self.raw.shape[1]} dimensions)"


def post_demands(posts: pd.DataFrame, occupation: np.ndarray | None = None,
                 occupation_source: np.ndarray | None = None) -> PostDemands:
    """Functional demand profiles of a validated posts table, with provenance.

    Precedence per dimension: the planner's ``dem_*`` value, else the post's own
    occupation (``occupation`` column, or the code inferred from the title by
    :func:`~jhmatch.matching.post_facts.resolve_occupations`) through the CSCO→O*NET
    crosswalk, else its kind's profile (:func:`kind_demand`, a prior only).

    Parameters
    ----------
    posts : DataFrame
        Validated posts table.
    occupation, occupation_source : ndarray of object, optional
        Resolved codes and their source (``"given"``/``"title"``); resolved here when omitted.

    Examples
    --------
    >>> from jhmatch.data.schema import validate_posts
    >>> q = validate_posts(pd.DataFrame({"post_id": ["x"], "kind": ["保洁"], "county": ["金东"], "capacity": [1],
    ...     "accommodations": ["step_free"], "dem_vision": [0.9]}))
    >>> d = post_demands(q)
    >>> float(d.raw[0, 0]), bool(d.accommodated[0, 4] < d.raw[0, 4]), DEMAND_SOURCES[d.source[0, 0]]
    (0.9, True, 'planner')
    """
    if occupation is None:
        from jhmatch.matching.post_facts import resolve_occupations

        occupation, occupation_source, _ = resolve_occupations(posts)
    assert occupation_source is not None
    m = len(posts)
    kinds = posts["kind"].astype("object").to_numpy()
    raw = np.empty((m, len(DIMS)))
    source = np.zeros((m, len(DIMS)), np.int8)
    cache: dict[tuple[str, object], tuple[np.ndarray, int]] = {}
    for i, (k, o, os_) in enumerate(zip(kinds, occupation, occupation_source)):
        key = (k, o)
        if key not in cache:
            d = occupation_demand(o) if isinstance(o, str) else None
            cache[key] = (kind_demand(k), 0) if d is None else (d, 1 if os_ == "given" else 2)
        raw[i], source[i] = cache[key]
    for j, d in enumerate(DIMS):
        col = f"dem_{d}"
        if col in posts:
            v = posts[col].to_numpy(dtype="float64", na_value=np.nan)
            given = ~np.isnan(v)
            raw[given, j] = v[given]
            source[given, j] = 3
    acc = posts["accommodations"].astype("object").fillna("") if "accommodations" in posts else pd.Series([""] * m)
    remote = posts["remote"].to_numpy(dtype=bool) if "remote" in posts else np.zeros(m, bool)
    acc = pd.Series([a + (";remote" if r and "remote" not in a else "") for a, r in zip(acc, remote)], dtype="object")
    unsigned_acc = acc.str.replace("sign_language", "", regex=False)
    return PostDemands(raw, accommodated_demands(raw, acc).astype(np.float32),
                       accommodated_demands(raw, unsigned_acc).astype(np.float32), source)


def _all_kind_demands() -> pd.DataFrame:  # used by docs/tests to print the table
    return pd.DataFrame({k.code: kind_demand(k.code) for k in post_kinds()}, index=list(DIMS)).T
