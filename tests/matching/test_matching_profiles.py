"""Capacity and demand profiles: tables, combination rules, O*NET aggregation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jhmatch.data.schema import validate_persons, validate_posts
from jhmatch.matching import profiles as pr
from jhmatch.reference import load_abilities, onet_for_csco
from jhmatch.taxonomy import FUNCTIONAL_DIMENSIONS, Accommodation, post_kinds

SINGLE = ["visual", "hearing", "speech", "physical", "intellectual", "mental"]


@pytest.mark.parametrize("category", [*SINGLE, "multiple"])
def test_capacity_in_unit_interval_and_monotone_in_grade(category):
    comps = ("visual", "hearing") if category == "multiple" else ()
    caps = [pr.capacity_profile(category, g, "both", comps)[0] for g in (1, 2, 3, 4)]
    for c in caps:
        assert c.shape == (8,) and (c >= 0).all() and (c <= 1).all()
    for milder, severe in zip(caps[1:], caps[:-1]):
        assert (milder >= severe).all()
    assert caps[0].min() < 0.3  # grade 1 is near-total on the primary dimension


def test_primary_dimension_per_category():
    dim = {d: i for i, d in enumerate(FUNCTIONAL_DIMENSIONS)}
    expected = {"visual": "vision", "hearing": "hearing", "speech": "speech", "intellectual": "cognition",
                "mental": "psychosocial"}
    for cat, d in expected.items():
        cap = pr.capacity_profile(cat, 1)[0]
        assert int(np.argmin(cap)) == dim[d]


def test_limbs_readings():
    up, alt = pr.capacity_profile("physical", 1, "upper")
    assert alt is None and up[3] == 0.05 and up[4] == 1.0
    low, _ = pr.capacity_profile("physical", 1, "lower")
    assert low[3] == 1.0 and low[4] == 0.05
    both, _ = pr.capacity_profile("physical", 1, "both")
    assert both[3] == 0.05 and both[4] == 0.05
    a, b = pr.capacity_profile("physical", 1, "unknown")
    assert np.array_equal(a, up) and np.array_equal(b, low)


def test_multiple_is_min_of_components():
    m, _ = pr.capacity_profile("multiple", 2, "both", ("visual", "physical"))
    v, _ = pr.capacity_profile("visual", 2)
    p, _ = pr.capacity_profile("physical", 2, "both")
    assert np.array_equal(m, np.minimum(v, p))
    unspecified, _ = pr.capacity_profile("multiple", 3)
    assert np.all(unspecified == pr.UNSPECIFIED_MULTIPLE[2])


def test_assessment_overrides_default_per_dimension():
    p = validate_persons(pd.DataFrame({"person_id": ["a", "b"], "category": ["visual", "visual"], "grade": [1, 1],
                                       "county": ["兰溪", "兰溪"], "cap_vision": [0.8, None], "cap_stamina": [None, 0.2]}))
    caps = pr.person_capacities(p)
    assert caps.values[0, 0] == pytest.approx(0.8) and caps.values[1, 0] == pytest.approx(0.02)
    assert caps.values[1, 5] == pytest.approx(0.2) and caps.assessed[1, 5] and not caps.assessed[0, 5]


def test_every_builtin_kind_is_grounded_in_onet():
    abilities = load_abilities()
    for kind in post_kinds()[:25]:
        for code in kind.csco:
            assert onet_for_csco(code), (kind.code, code)
            for onet in onet_for_csco(code):
                assert onet in abilities.index
        d = pr.kind_demand(kind.code)
        assert d.shape == (8,) and (d >= 0).all() and (d <= 1).all()


def test_occupation_demand_matches_hand_computation():
    # independent recomputation for Sewers, Hand (51-6051.00), upper limb
    row = load_abilities().loc["51-6051.00"]
    vals = sorted(row[a] for a in ("Manual Dexterity", "Finger Dexterity", "Arm-Hand Steadiness", "Wrist-Finger Speed"))
    expected = min(max(((vals[-1] + vals[-2]) / 2 - 1.5) / 3, 0), 1)
    assert pr.occupation_demand("6-05-01-06")[3] == pytest.approx(expected)
    assert pr.occupation_demand("9-99-99-99") is None


def test_accommodations_lower_only_their_dimensions():
    raw = np.full((len(Accommodation), 8), 0.7)
    acc = pr.accommodated_demands(raw, [a.value for a in Accommodation])
    for i, a in enumerate(Accommodation):
        lowered = {FUNCTIONAL_DIMENSIONS[j] for j in np.flatnonzero(acc[i] < 0.7)}
        assert lowered == set(pr.ACCOMMODATION_EFFECTS[a.value])
        assert (acc[i] <= raw[i]).all()
        assert a.value in pr.ACCOMMODATION_RATIONALE


def test_post_overrides_occupation_and_remote():
    q = validate_posts(pd.DataFrame({"post_id": ["a", "b", "c"], "kind": ["enterprise_post"] * 3, "county": ["义乌"] * 3,
                                     "capacity": [1, 1, 1], "occupation": ["6-05-01-06", None, None],
                                     "dem_cognition": [None, None, 0.95], "remote": [False, False, True]}))
    d = pr.post_demands(q)
    raw, acc = d.raw, d.accommodated
    assert d.source[0].tolist() == [1] * 8 and d.source[2, 6] == 3
    assert raw[0, 3] == pytest.approx(pr.occupation_demand("6-05-01-06")[3])
    assert np.allclose(raw[1], pr.kind_demand("enterprise_post"))
    assert raw[2, 6] == 0.95
    assert acc[2, 4] == pytest.approx(raw[2, 4] * 0.3, rel=1e-5)  # remote post: remote accommodation
