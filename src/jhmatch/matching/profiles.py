"""Functional capacity of persons and functional demand of posts.

Both live on :data:`jhmatch.taxonomy.FUNCTIONAL_DIMENSIONS` (vision, hearing, speech,
upper_limb, mobility, stamina, cognition, psychosocial) as floats in [0, 1]:
capacity 1 = no limitation, demand 1 = needed at the highest level.

Capacity (persons)
    :data:`CAPACITY_TABLE` gives defaults per disability category and grade (GB/T
    26341-2010 grades; ``domain.md`` §1 and §6). Dimensions not listed are 1, except
    that severe grades lower stamina (:data:`SEVERE_STAMINA`). A physical disability
    uses the ``limbs`` column (upper, lower, both); when it is ``unknown`` the pair is
    scored under both the upper-limb and the lower-limb reading and the *less
    restrictive* one is kept (the explanation says so). A multiple disability takes,
    on each dimension, the minimum over its components; without components it gets
    :data:`UNSPECIFIED_MULTIPLE`. Assessed capacities (``cap_*`` columns, 职业能力评估)
    replace the default dimension by dimension.

Demand (posts)
    Each CSCO 2022 occupation is mapped to the closest O*NET-SOC 2010 occupations
    (:func:`jhmatch.reference.onet_for_csco`). A dimension's demand is the mean of
    its two most important abilities (:data:`ABILITY_DIMENSIONS`), rescaled from
    O*NET's 1–5 importance by ``(importance - 1.5) / 3`` clipped to [0, 1], so
    "important" (3) is 0.5 and "very important" (4) about 0.83. A kind's demand is
    the mean over its occupations, then :data:`KIND_ADJUSTMENTS` (few, with reasons):
    a prior only. A post's own occupation (its ``occupation`` code, else the one
    inferred from its title) replaces the kind's profile; ``dem_*`` columns replace
    single dimensions; each value records its source
    (:class:`~jhmatch.matching.demands.PostDemands`). Accommodations then multiply
    specific demands (:data:`ACCOMMODATION_EFFECTS`); a remote post counts as
    offering the ``remote`` accommodation. (Implemented in
    :mod:`jhmatch.matching.demands`; re-exported here.)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from jhmatch.errors import SchemaError
from jhmatch.i18n import N_
from jhmatch.matching._frozen import frozen
from jhmatch.matching.demands import (
    ABILITY_DIMENSIONS,
    ACCOMMODATION_EFFECTS,
    ACCOMMODATION_RATIONALE,
    KIND_ADJUSTMENTS,
    accommodated_demands,
    kind_demand,
    occupation_demand,
    post_demands,
)
from jhmatch.taxonomy import FUNCTIONAL_DIMENSIONS, DisabilityCategory

__all__ = [
    "ABILITY_DIMENSIONS",
    "ACCOMMODATION_EFFECTS",
    "ACCOMMODATION_RATIONALE",
    "CAPACITY_TABLE",
    "KIND_ADJUSTMENTS",
    "REFINEMENTS",
    "SEVERE_STAMINA",
    "UNSPECIFIED_MULTIPLE",
    "Capacities",
    "accommodated_demands",
    "capacity_profile",
    "kind_demand",
    "occupation_demand",
    "person_capacities",
    "post_demands",
]

DIMS = FUNCTIONAL_DIMENSIONS
_DIM = {d: i for i, d in enumerate(DIMS)}

# ----------------------------------------------------------------------------- capacity
# (category, dimension): capacity at grade 1, 2, 3, 4 — with the rationale.
CAPACITY_TABLE: Mapping[tuple[str, str], tuple[tuple[float, float, float, float], str]] = frozen({
    ("visual", "vision"): ((0.02, 0.15, 0.40, 0.70),
                           "best-eye acuity <0.02 / <0.05 / <0.1 / <0.3 (GB/T 26341): near-total to mild loss"),
    ("visual", "mobility"): ((0.50, 0.70, 0.90, 1.00),
                             "severe low vision limits moving in unfamiliar places (domain.md §6)"),
    ("hearing", "hearing"): ((0.05, 0.20, 0.45, 0.70),
                             ">=91 / 81-90 / 61-80 / 41-60 dB HL: profound to moderate loss"),
    ("hearing", "speech"): ((0.40, 0.60, 0.90, 1.00),
                            "severe pre-lingual hearing loss often limits spoken language (domain.md §6)"),
    ("speech", "speech"): ((0.05, 0.25, 0.50, 0.75), "no speech / very limited / limited / mildly limited"),
    ("physical", "upper_limb"): ((0.05, 0.25, 0.50, 0.75),
                                 "applies when upper limbs are affected (limbs = upper or both)"),
    ("physical", "mobility"): ((0.05, 0.25, 0.50, 0.75),
                               "applies when lower limbs are affected (limbs = lower or both)"),
    ("physical", "stamina"): ((0.30, 0.50, 0.75, 0.90), "physical disability lowers strength and endurance"),
    ("intellectual", "cognition"): ((0.05, 0.25, 0.50, 0.70),
                                    "WHO-DAS II >=116 / 106-115 / 96-105 / 52-95: profound to mild"),
    ("intellectual", "psychosocial"): ((0.40, 0.55, 0.75, 0.90),
                                       "some intellectual disability limits coping with the public (domain.md §6)"),
    ("mental", "psychosocial"): ((0.10, 0.30, 0.50, 0.70),
                                 "psychosocial functioning, stress tolerance and contact with others"),
    ("mental", "cognition"): ((0.50, 0.70, 0.85, 0.95), "some mental disability affects attention and learning"),
})
"""Default capacity by (category, dimension) and grade 1–4, with its rationale."""

SEVERE_STAMINA: tuple[float, float] = (0.70, 0.85)
"""Stamina at grade 1 and 2 of an intellectual or mental disability: severe grades
often come with comorbidity and medication that lower exercise tolerance. Sensory
and speech disabilities do not lower stamina (a deaf porter lifts like anyone)."""

_SEVERE_STAMINA_CATEGORIES = ("intellectual", "mental")

REFINEMENTS: Mapping[str, str] = frozen({
    "wheelchair": N_("a wheelchair user cannot stand or walk at work: mobility at most 0.05 (ICF d465)"),
    "residual_vision": N_("recorded without useful residual vision: vision 0 (no magnifier or large print helps)"),
    "hearing_aid": N_("a hearing aid or cochlear implant restores part of the hearing: +0.25, at most 0.9 "
                      "(aided thresholds typically improve 20-40 dB; the driving licence accepts aided hearing)"),
    "literate": N_("unable to read and write (recorded, or no schooling with literacy not recorded): work that "
                   "needs reading is ruled out"),
    "sign_language": N_("recorded as not using sign language: a sign-language interpreter does not help"),
})
"""What each recorded detail changes in the category-and-grade default, and why."""

UNSPECIFIED_MULTIPLE: tuple[float, float, float, float] = (0.50, 0.65, 0.80, 0.90)
"""Capacity on *every* dimension, by grade, for a multiple disability whose
components are not recorded: a cautious middle reading, flagged in explanations."""


def _single(category: str, grade: int, limbs: str) -> np.ndarray:
    cap = np.ones(len(DIMS))
    own_stamina = False
    for (cat, dim), (values, _why) in CAPACITY_TABLE.items():
        if cat != category:
            continue
        if cat == "physical" and dim == "upper_limb" and limbs not in ("upper", "both"):
            continue
        if cat == "physical" and dim == "mobility" and limbs not in ("lower", "both"):
            continue
        cap[_DIM[dim]] = values[grade - 1]
        own_stamina |= dim == "stamina"
    if not own_stamina and grade <= 2 and category in _SEVERE_STAMINA_CATEGORIES:
        cap[_DIM["stamina"]] = min(cap[_DIM["stamina"]], SEVERE_STAMINA[grade - 1])
    return cap


def capacity_profile(category: str, grade: int, limbs: str = "unknown",
                     components: tuple[str, ...] = ()) -> tuple[np.ndarray, np.ndarray | None]:
    """Default capacity of one person (before any assessment).

    Parameters
    ----------
    category : str
        Disability category (any accepted spelling).
    grade : int
        1 (most severe) … 4.
    limbs : {"upper", "lower", "both", "unknown"}
        Affected limbs for a physical disability (or a physical component).
    components : tuple of str
        Component categories of a multiple disability.

    Returns
    -------
    capacity : ndarray, shape (8,)
        Capacity per dimension (for ``limbs="unknown"``: the upper-limb reading).
    alternative : ndarray or None
        The lower-limb reading when ``limbs`` is unknown and a physical disability is
        involved; the scorer keeps whichever reading scores a pair higher.

    Examples
    --------
    >>> cap, alt = capacity_profile("视力", 1)
    >>> float(cap[0]), alt is None
    (0.02, True)
    >>> cap, alt = capacity_profile("physical", 2)
    >>> float(cap[3]), float(cap[4]), float(alt[3]), float(alt[4])
    (0.25, 1.0, 1.0, 0.25)
    """
    cat = DisabilityCategory.parse(category).value
    grade = int(grade)
    comps = tuple(DisabilityCategory.parse(c).value for c in components)
    if cat != "multiple":
        comps = (cat,)
    if not comps:
        return np.full(len(DIMS), UNSPECIFIED_MULTIPLE[grade - 1]), None
    readings = ("upper", "lower") if limbs == "unknown" and "physical" in comps else (limbs,)
    out = [np.min([_single(c, grade, r) for c in comps], axis=0) for r in readings]
    return out[0], (out[1] if len(out) > 1 else None)


@dataclass(frozen=True, repr=False)
class Capacities:
    """Capacities of a persons table, row-aligned with it.

    Attributes
    ----------
    values : ndarray, shape (n, 8), float32
        Capacity per dimension (the upper-limb reading where limbs are unknown).
    alternative : ndarray, shape (n, 8), float32
        The other reading (lower limbs) where ``has_alternative``; else equal to ``values``.
    has_alternative : ndarray of bool, shape (n,)
        Physical involvement with unknown limbs: both readings are tried.
    assessed : ndarray of bool, shape (n, 8)
        The value came from a ``cap_*`` assessment column.
    unspecified_multiple : ndarray of bool, shape (n,)
        Multiple disability without components (cautious default used).
    illiterate : ndarray of bool, shape (n,)
        Unable to read and write: ``literate`` false, or no schooling (education 0)
        with ``literate`` not recorded.
    non_signer : ndarray of bool, shape (n,)
        Recorded as not using sign language (``sign_language`` false).
    refined : dict of str to ndarray of bool
        Per recorded detail of :data:`REFINEMENTS`, the persons it changed.
    """

    values: np.ndarray
    alternative: np.ndarray
    has_alternative: np.ndarray
    assessed: np.ndarray
    unspecified_multiple: np.ndarray
    illiterate: np.ndarray
    non_signer: np.ndarray
    refined: dict[str, np.ndarray]

    def __repr__(self) -> str:
        return (f"Capacities({self.values.shape[0]:,} persons x {self.values.shape[1]} dimensions, "
                f"{int(self.has_alternative.sum()):,} with two readings)")


def person_capacities(persons: pd.DataFrame) -> Capacities:
    """Capacity profiles of a validated persons table (vectorised by distinct profile).

    Examples
    --------
    >>> from jhmatch.data.schema import validate_persons
    >>> p = validate_persons(pd.DataFrame({"person_id": ["a", "b"], "category": ["hearing", "physical"],
    ...     "grade": [1, 3], "limbs": ["", "lower"], "county": ["义乌", "义乌"], "cap_hearing": [0.6, None]}))
    >>> caps = person_capacities(p)
    >>> caps.values[:, 1].tolist(), caps.values[1, 4].item(), caps.assessed[0, 1].item()
    ([0.6000000238418579, 1.0], 0.5, True)
    """
    n = len(persons)
    keys = pd.DataFrame({
        "category": persons["category"].astype("object"),
        "grade": persons["grade"].astype("float64"),
        "limbs": persons["limbs"].astype("object").fillna("unknown") if "limbs" in persons else "unknown",
        "components": persons["components"].astype("object").fillna("") if "components" in persons else "",
    })
    if keys["category"].isna().any() or keys["grade"].isna().any():
        from jhmatch.errors import Problem

        bad = np.flatnonzero((keys["category"].isna() | keys["grade"].isna()).to_numpy())
        raise SchemaError([Problem(int(r) + 1, "category/grade", "", "a disability category and grade") for r in bad[:50]],
                          "persons")
    codes, uniques = pd.factorize(pd.MultiIndex.from_frame(keys))
    base = np.ones((len(uniques), len(DIMS)))
    alt = np.ones((len(uniques), len(DIMS)))
    has_alt = np.zeros(len(uniques), bool)
    unspecified = np.zeros(len(uniques), bool)
    for u, (cat, grade, limbs, comps) in enumerate(uniques):
        comp_t = tuple(c for c in str(comps).split(";") if c)
        a, b = capacity_profile(cat, int(grade), limbs, comp_t)
        base[u] = a
        alt[u] = a if b is None else b
        has_alt[u] = b is not None
        unspecified[u] = cat == "multiple" and not comp_t
    values = base[codes]
    alternative = alt[codes]
    refined = _refine(persons, values, alternative)
    assessed = np.zeros((n, len(DIMS)), bool)
    for j, d in enumerate(DIMS):
        col = f"cap_{d}"
        if col in persons:
            v = persons[col].to_numpy(dtype="float64", na_value=np.nan)
            given = ~np.isnan(v)
            values[given, j] = v[given]
            alternative[given, j] = v[given]
            assessed[:, j] = given
    return Capacities(values.astype(np.float32), alternative.astype(np.float32), has_alt[codes],
                      assessed, unspecified[codes], refined["literate"],
                      _flag(persons, "sign_language", False), refined)


def _flag(persons: pd.DataFrame, column: str, value: bool) -> np.ndarray:
    """Rows where ``column`` is recorded and equals ``value`` (missing: not recorded)."""
    if column not in persons:
        return np.zeros(len(persons), bool)
    col = persons[column].astype("boolean")
    return (col == value).fillna(False).to_numpy(dtype=bool)


def _refine(persons: pd.DataFrame, values: np.ndarray, alternative: np.ndarray) -> dict[str, np.ndarray]:
    """Apply the recorded details of :data:`REFINEMENTS` in place; the persons each one changed."""
    vis, hear, mob = _DIM["vision"], _DIM["hearing"], _DIM["mobility"]
    changed: dict[str, np.ndarray] = {}
    rows = _flag(persons, "wheelchair", True)
    changed["wheelchair"] = rows & (values[:, mob] > 0.05)
    for cap in (values, alternative):
        cap[rows, mob] = np.minimum(cap[rows, mob], 0.05)
    rows = _flag(persons, "residual_vision", False) & (values[:, vis] < 1)
    changed["residual_vision"] = rows
    for cap in (values, alternative):
        cap[rows, vis] = 0.0
    rows = _flag(persons, "hearing_aid", True) & (values[:, hear] < 0.9)
    changed["hearing_aid"] = rows
    for cap in (values, alternative):
        cap[rows, hear] = np.minimum(cap[rows, hear] + 0.25, 0.9)
    # literacy: recorded, else no schooling (未上学) is read as unable to read for work
    unrecorded = ~(_flag(persons, "literate", True) | _flag(persons, "literate", False))
    no_school = persons["education"].astype("Float64").eq(0).fillna(False).to_numpy(dtype=bool) \
        if "education" in persons else np.zeros(len(persons), bool)
    changed["literate"] = _flag(persons, "literate", False) | (unrecorded & no_school)
    changed["sign_language"] = _flag(persons, "sign_language", False)
    return changed
