"""Planning reserved posts: optimum vs brute force, spacing modes, targets, kiosk share."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jhmatch.errors import ParameterError
from jhmatch.optimize import Status
from jhmatch.optimize.reserved_posts import SpacingRule, plan_reserved_posts

M_PER_DEG_LAT = 6_371_000.0 * np.pi / 180


def _instance(seed: int):
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(1, 6)), int(rng.integers(1, 4))
    persons = pd.DataFrame({"person_id": [f"p{i}" for i in range(n)], "county": rng.choice(["A", "B"], n)})
    kinds = np.array(["tobacco_outlet", "kiosk"])
    suit = pd.DataFrame([(f"p{i}", k, float(rng.choice([0.2, 0.5, 0.9]))) for i in range(n) for k in kinds
                         if rng.random() < 0.7], columns=["person_id", "kind", "score"])
    north = np.cumsum(rng.choice([5.0, 15.0, 25.0, 35.0], m))  # metres along a street
    sites = pd.DataFrame({"site_id": [f"s{j}" for j in range(m)], "county": rng.choice(["A", "B"], m),
                          "kind": rng.choice(kinds, m), "max_posts": rng.integers(1, 3, m),
                          "open_cost": rng.choice([0.0, 0.3], m), "site_posts": rng.choice([0, 5, 15], m),
                          "lat": 29.0 + north / M_PER_DEG_LAT, "lon": 120.0})
    return persons, suit, sites


def _brute(persons, suit, sites, dist, targets):
    n, m = len(persons), len(sites)
    score = {(p, k): s for p, k, s in suit.itertuples(index=False)}
    options = []
    for p, county in zip(persons["person_id"], persons["county"]):
        options.append([-1] + [j for j in range(m) if sites["county"][j] == county and (p, sites["kind"][j]) in score])
    need = np.ceil(0.1 * sites["site_posts"].to_numpy() - 1e-9)
    north = (sites["lat"].to_numpy() - 29.0) * M_PER_DEG_LAT
    best = None
    for choice in itertools.product(*options):
        c = np.array(choice)
        fill = np.bincount(c[c >= 0], minlength=m)
        opened = fill > 0
        if (fill > sites["max_posts"].to_numpy()).any() or (opened & (fill < need)).any():
            continue
        tob = np.flatnonzero(opened & (sites["kind"].to_numpy() == "tobacco_outlet"))
        if any(abs(north[a] - north[b]) < dist - 1e-6 for a, b in itertools.combinations(tob, 2)):
            continue
        if any(fill[sites["kind"].to_numpy() == k].sum() < t for k, t in targets.items()):
            continue
        value = sum(score[(persons["person_id"][i], sites["kind"][c[i]])] for i in range(n) if c[i] >= 0)
        value -= float(sites["open_cost"].to_numpy()[opened].sum())
        best = value if best is None or value > best else best
    return best


def _check_plan(plan, persons, suit, sites, dist, targets) -> float:
    """Independent check of a returned plan; its objective recomputed from the assignments."""
    a = plan.assignments
    assert not a["person_id"].duplicated().any()
    score = {(p, k): v for p, k, v in suit.itertuples(index=False)}
    site = sites.set_index("site_id")
    county = persons.set_index("person_id")["county"]
    assert all(county[p] == site.loc[s, "county"] and (p, site.loc[s, "kind"]) in score
               for p, s in zip(a["person_id"], a["site_id"]))
    fill = a.groupby("site_id").size().reindex(sites["site_id"], fill_value=0).to_numpy()
    need = np.ceil(0.1 * sites["site_posts"].to_numpy() - 1e-9)
    assert (fill <= sites["max_posts"].to_numpy()).all() and ((fill == 0) | (fill >= need)).all()
    assert (plan.sites["filled"].to_numpy() == fill).all()
    north = (sites["lat"].to_numpy() - 29.0) * M_PER_DEG_LAT
    tob = np.flatnonzero((fill > 0) & (sites["kind"].to_numpy() == "tobacco_outlet"))
    assert all(abs(north[i] - north[j]) >= dist - 1e-6 for i, j in itertools.combinations(tob, 2))
    kinds = sites["kind"].to_numpy()
    assert all(fill[kinds == k].sum() >= t for k, t in targets.items())
    value = sum(score[(p, site.loc[s, "kind"])] for p, s in zip(a["person_id"], a["site_id"]))
    return value - float(sites["open_cost"].to_numpy()[fill > 0].sum())


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 10**6), st.sampled_from(["none", "reduced", "exempt"]), st.integers(0, 2),
       st.sampled_from(["auto", "flow", "milp"]))
def test_plan_matches_brute_force(seed: int, mode: str, tobacco_target: int, method: str) -> None:
    persons, suit, sites = _instance(seed)
    rule = SpacingRule(mode)
    targets = {"tobacco_outlet": tobacco_target}
    best = _brute(persons, suit, sites, rule.distance_m, targets)
    plan = plan_reserved_posts(persons, suit, sites, targets=targets, spacing=rule, method=method, time_limit=30)
    if best is None:
        assert plan.status in ((Status.INFEASIBLE, Status.ERROR) if method == "flow" else (Status.INFEASIBLE,))
        assert np.isnan(plan.objective) and plan.assignments.empty
        return
    if method == "flow" and plan.status is not Status.OPTIMAL:  # the repaired relaxation: a plan, maybe not the best
        assert plan.status in (Status.FEASIBLE, Status.ERROR)
        if plan.status is Status.ERROR:
            assert plan.assignments.empty
            return
        assert plan.objective <= best + 1e-9 and plan.bound >= best - 1e-6
    else:
        assert plan.status is Status.OPTIMAL
        assert plan.objective == pytest.approx(best, abs=1e-9)
    assert _check_plan(plan, persons, suit, sites, rule.distance_m, targets) == pytest.approx(plan.objective, abs=1e-9)


def test_spacing_modes_and_soft_targets() -> None:
    persons = pd.DataFrame({"person_id": ["a", "b"], "county": ["A", "A"]})
    suit = pd.DataFrame({"person_id": ["a", "b"], "kind": ["tobacco_outlet"] * 2, "score": [0.9, 0.8]})
    sites = pd.DataFrame({"site_id": ["s1", "s2"], "county": ["A", "A"], "kind": ["tobacco_outlet"] * 2,
                          "max_posts": [1, 1], "lat": [29.0, 29.0 + 25 / M_PER_DEG_LAT], "lon": [120.0, 120.0]})
    opened = {mode: int(plan_reserved_posts(persons, suit, sites, spacing=SpacingRule(mode)).sites["opened"].sum())
              for mode in ("none", "reduced", "exempt")}
    assert opened == {"none": 1, "reduced": 2, "exempt": 2}  # 25 m apart: below 30 m, above 20 m
    hard = plan_reserved_posts(persons, suit, sites, targets={"tobacco_outlet": 2}, spacing=SpacingRule("none"))
    assert hard.status is Status.INFEASIBLE
    soft = plan_reserved_posts(persons, suit, sites, targets={"tobacco_outlet": 2}, spacing=SpacingRule("none"),
                               soft_targets=5.0)
    assert soft.status is Status.OPTIMAL
    assert soft.targets["shortfall"].tolist() == [1]
    assert soft.objective == pytest.approx(0.9 - 5.0)
    with pytest.raises(ParameterError, match="spacing mode"):
        plan_reserved_posts(persons, suit, sites, spacing=SpacingRule("sometimes"))


def test_county_limits_and_kiosk_share() -> None:
    persons = pd.DataFrame({"person_id": ["a", "b", "c"], "county": ["A", "A", "B"]})
    suit = pd.DataFrame({"person_id": ["a", "b", "c"], "kind": ["kiosk"] * 3, "score": [0.9, 0.8, 0.7]})
    sites = pd.DataFrame({"site_id": ["k1", "k2"], "county": ["A", "B"], "kind": ["kiosk"] * 2, "max_posts": [2, 2],
                          "site_posts": [20, 30]})  # an opened point needs >= 2 and >= 3 disabled staff
    plan = plan_reserved_posts(persons, suit, sites)
    assert plan.sites.set_index("site_id")["opened"].to_dict() == {"k1": True, "k2": False}
    assert plan.by_county.set_index("county")["posts_filled"].to_dict() == {"A": 2, "B": 0}
    limited = plan_reserved_posts(persons, suit, sites,
                                  county_limits=pd.DataFrame({"county": ["A"], "kind": ["kiosk"], "max_posts": [1]}))
    assert limited.sites["opened"].sum() == 0 and limited.objective == 0


def test_plan_is_bounded_and_keeps_the_flow_plan_when_highs_overruns(monkeypatch) -> None:
    import time

    import jhmatch.optimize.deadline as deadline_mod
    from jhmatch.limits import TIME_LIMIT_SLACK

    real = deadline_mod.milp
    monkeypatch.setattr(deadline_mod, "milp", lambda *a, **k: time.sleep(30) or real(*a, **k))
    persons = pd.DataFrame({"person_id": ["a", "b"], "county": ["A", "A"]})
    suit = pd.DataFrame({"person_id": ["a", "b"], "kind": ["tobacco_outlet"] * 2, "score": [0.9, 0.8]})
    sites = pd.DataFrame({"site_id": ["s1", "s2"], "county": ["A", "A"], "kind": ["tobacco_outlet"] * 2,
                          "max_posts": [1, 1], "lat": [29.0, 29.0 + 5 / M_PER_DEG_LAT], "lon": [120.0, 120.0]})
    t0 = time.perf_counter()
    plan = plan_reserved_posts(persons, suit, sites, spacing=SpacingRule("none"), time_limit=1.5)
    assert time.perf_counter() - t0 < 1.5 + TIME_LIMIT_SLACK
    assert plan.status is Status.TIME_LIMIT and plan.message.startswith("time limit reached")
    assert plan.assignments["person_id"].tolist() == ["a"] and plan.objective == pytest.approx(0.9)
    assert plan.bound == pytest.approx(1.7, abs=1e-6) and plan.gap > 0  # the relaxation's bound, honestly reported


def test_large_plan_flow_and_milp_agree() -> None:
    rng = np.random.default_rng(7)
    n, m = 400, 60
    persons = pd.DataFrame({"person_id": [f"p{i}" for i in range(n)], "county": rng.choice(["A", "B", "C"], n)})
    kinds = np.array(["tobacco_outlet", "kiosk", "welfare_cleaning"])
    suit = pd.DataFrame([(f"p{i}", k, float(rng.choice([0.2, 0.5, 0.9]))) for i in range(n) for k in kinds
                         if rng.random() < 0.4], columns=["person_id", "kind", "score"])
    sites = pd.DataFrame({"site_id": [f"s{j}" for j in range(m)], "county": rng.choice(["A", "B", "C"], m),
                          "kind": rng.choice(kinds, m), "max_posts": rng.integers(1, 6, m),
                          "site_posts": rng.choice([0, 15, 40], m), "lat": 29.0 + rng.random(m) * 2e-4, "lon": 120.0})
    kw = dict(targets={"tobacco_outlet": 10}, soft_targets=3.0, spacing=SpacingRule("none"), time_limit=60)
    auto, milp = (plan_reserved_posts(persons, suit, sites, method=mth, **kw) for mth in ("auto", "milp"))
    assert auto.status is Status.OPTIMAL and milp.status is Status.OPTIMAL
    assert auto.objective == pytest.approx(milp.objective, abs=1e-6)
    assert auto.bound >= auto.objective - 1e-9
