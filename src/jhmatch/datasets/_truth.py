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
"""

from __future__ import annotations

import numpy as np

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
