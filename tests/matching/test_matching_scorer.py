"""CompatibilityScorer: properties, an independent per-pair oracle for the hard rules, top-k."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jhmatch.data.schema import validate_persons, validate_posts
from jhmatch.datasets.uniform import synthetic_persons, synthetic_posts
from jhmatch.matching import CompatibilityScorer, ScoreMatrix, person_capacities, post_demands
from jhmatch.matching.functional import BACKSTOP, SUPERVISION_BELOW
from jhmatch.matching.hazard_rules import HAZARD_RELIEF, HAZARD_RULES, HAZARDS
from jhmatch.matching.post_facts import CERTIFICATES, post_facts
from jhmatch.requirements import Certificate
from jhmatch.taxonomy import FUNCTIONAL_DIMENSIONS, post_kind

AS_OF = "2025-06-30"
SETTINGS = settings(max_examples=6, deadline=None)


def tables(n: int, m: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    p = synthetic_persons(n, seed=seed)
    q = synthetic_posts(m, seed=seed + 1000)
    return validate_persons(p), validate_posts(q)


def hav(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def oracle_allowed(persons: pd.DataFrame, posts: pd.DataFrame) -> set[tuple[str, str]]:
    """Pairs no hard rule excludes, computed one pair at a time from the documented rules."""
    caps = person_capacities(persons)
    dem = post_demands(posts).accommodated
    facts = post_facts(posts)
    hard = {FUNCTIONAL_DIMENSIONS.index(d): rule for d, rule in BACKSTOP.items()}

    def hazard_ok(c, i, j) -> bool:
        for k in np.flatnonzero(facts.hazards[j]):
            rule = HAZARD_RULES[HAZARDS[k]]
            waived = {d for a, r in HAZARD_RELIEF.items() if HAZARDS[k] in r and facts.relieved[j, k]
                      for d in r[HAZARDS[k]]}
            if any(c[FUNCTIONAL_DIMENSIONS.index(d)] < low for d, low in rule.minimum.items() if d not in waived):
                return False
            if rule.literacy and caps.illiterate[i]:
                return False
        return True

    out = set()
    for i, p in persons.iterrows():
        held = [Certificate.parse(x) for x in str(p.get("certificates", "") or "").split(";") if x]
        for j, q in posts.iterrows():
            if q["capacity"] <= 0:
                continue
            readings = [caps.values[i]] + ([caps.alternative[i]] if caps.has_alternative[i] else [])
            func_ok = any(all(not (dem[j, d] >= ess and dem[j, d] - c[d] > gap) for d, (ess, gap) in hard.items())
                          and hazard_ok(c, i, j) for c in readings)
            supervised = post_kind(q["kind"]).group == "sheltered" or "job_coach" in str(q["accommodations"])
            alone = all(max(c[FUNCTIONAL_DIMENSIONS.index(d)] for c in readings) >= low
                        for d, low in SUPERVISION_BELOW.items())
            func_ok = func_ok and (supervised or alone)
            need = [Certificate(CERTIFICATES[k]) for k in np.flatnonzero(facts.certificates[j])]
            func_ok = func_ok and all(any(h.covers(n) for h in held) for n in need)
            age = p["age"]
            age_ok = pd.isna(age) or (age >= 16 and (pd.isna(q["min_age"]) or age >= q["min_age"])
                                      and (pd.isna(q["max_age"]) or age <= q["max_age"]))
            edu_ok = pd.isna(q["min_education"]) or pd.isna(p["education"]) or q["min_education"] - p["education"] < 2
            if q["remote"] and p["remote_ok"]:
                loc_ok = True
            elif p["county"] == q["county"]:
                loc_ok = True
            else:
                coords = [p["lat"], p["lon"], q["lat"], q["lon"]]
                loc_ok = not any(pd.isna(coords)) and hav(*coords) <= 30.0 + 1e-3
            if func_ok and age_ok and edu_ok and loc_ok:
                out.add((p["person_id"], q["post_id"]))
    return out


@SETTINGS
@given(seed=st.integers(0, 10_000), n=st.integers(1, 25), m=st.integers(1, 30))
def test_candidates_match_independent_oracle_and_scores_in_unit_interval(seed, n, m):
    persons, posts = tables(n, m, seed)
    sm = CompatibilityScorer(top_k=None, as_of=AS_OF, block_size=7).score(persons, posts)
    got = set(zip(sm.to_frame()["person_id"], sm.to_frame()["post_id"]))
    assert got == oracle_allowed(persons, posts)
    if sm.nnz:
        assert sm.scores.data.min() > 0 and sm.scores.data.max() <= 1
        for comp in sm.components.values():
            assert comp.data.min() >= 0 and comp.data.max() <= 1


@SETTINGS
@given(seed=st.integers(0, 10_000), dim=st.sampled_from(FUNCTIONAL_DIMENSIONS), delta=st.floats(0.01, 1.0),
       share=st.floats(0.1, 1.0))
def test_raising_capacity_never_lowers_a_score(seed, dim, delta, share):
    persons, posts = tables(20, 25, seed)
    base = person_capacities(persons)
    d = FUNCTIONAL_DIMENSIONS.index(dim)
    rng = np.random.default_rng(seed)
    chosen = rng.random(len(persons)) < share
    better = persons.copy()
    better[f"cap_{dim}"] = np.where(chosen, np.minimum(1.0, base.values[:, d].astype(float) + delta), np.nan)
    # an assessment equal to the default reading changes nothing, so compare against the explicit base too
    same = persons.copy()
    same[f"cap_{dim}"] = np.where(chosen, base.values[:, d].astype(float), np.nan)
    if base.has_alternative[chosen].any():
        # an assessment replaces both limb readings: compare like with like
        same[f"cap_{dim}"] = np.where(chosen, np.minimum(base.values[:, d], base.alternative[:, d]), np.nan)
        better[f"cap_{dim}"] = np.where(chosen, np.minimum(1.0, same[f"cap_{dim}"] + delta), np.nan)
    scorer = CompatibilityScorer(top_k=None, as_of=AS_OF)
    a = scorer.score(same, posts).to_frame().set_index(["person_id", "post_id"])["score"]
    b = scorer.score(better, posts).to_frame().set_index(["person_id", "post_id"])["score"]
    assert a.index.isin(b.index).all()  # no pair becomes excluded
    assert (b.reindex(a.index).to_numpy() >= a.to_numpy() - 1e-6).all()


@SETTINGS
@given(seed=st.integers(0, 10_000), k=st.integers(1, 6), block=st.integers(1, 50))
def test_shuffled_input_and_block_size_give_identical_results(seed, k, block):
    persons, posts = tables(20, 30, seed)
    rng = np.random.default_rng(seed)
    sm1 = CompatibilityScorer(top_k=k, as_of=AS_OF, n_jobs=1).score(persons, posts)
    p2 = persons.iloc[rng.permutation(len(persons))]
    q2 = posts.iloc[rng.permutation(len(posts))]
    sm2 = CompatibilityScorer(top_k=k, as_of=AS_OF, block_size=block, n_jobs=2).score(p2, q2)
    pd.testing.assert_frame_equal(sm1.to_frame(components=True), sm2.to_frame(components=True))
    assert list(sm1.person_ids) == sorted(persons["person_id"])


@SETTINGS
@given(seed=st.integers(0, 10_000), k=st.integers(1, 8))
def test_top_k_is_the_best_k_of_all_candidates(seed, k):
    persons, posts = tables(20, 30, seed)
    full = CompatibilityScorer(top_k=None, as_of=AS_OF).score(persons, posts).to_frame()
    top = CompatibilityScorer(top_k=k, as_of=AS_OF).score(persons, posts).to_frame()
    # oracle: sort every candidate by (score desc, post id asc) and cut at k
    expect = full.sort_values(["person_id", "score", "post_id"], ascending=[True, False, True])
    expect = expect.groupby("person_id").head(k).sort_values(["person_id", "post_id"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(top.reset_index(drop=True), expect[["person_id", "post_id", "score"]])


def test_score_is_weighted_sum_of_components():
    persons, posts = tables(30, 30, 3)
    scorer = CompatibilityScorer(top_k=None, as_of=AS_OF, weights={"functional": 2, "skills": 1, "location": 1})
    frame = scorer.score(persons, posts).to_frame(components=True)
    w = scorer.weights_
    assert w["education"] == 0 and w["functional"] == pytest.approx(0.5)
    expect = sum(w[c] * frame[c] for c in w)
    assert np.allclose(frame["score"], expect, atol=1e-6)


def test_hand_checked_cases():
    persons = pd.DataFrame({
        "person_id": ["blind", "wheel", "young", "deaf"], "category": ["visual", "physical", "hearing", "hearing"],
        "grade": [1, 1, 4, 1], "limbs": ["", "lower", "", ""], "county": ["义乌"] * 4, "age": [40, 35, 15, 30],
        "skills": ["按摩", "电脑 客服", "保洁", "刺绣"]})
    posts = pd.DataFrame({
        "post_id": ["massage", "green", "green_ok", "craft"], "kind": ["blind_massage", "welfare_greening",
                                                                         "welfare_greening", "handicraft"],
        "county": ["义乌"] * 4, "capacity": [1, 1, 1, 1], "accommodations": ["", "", "step_free;adapted_workstation", ""]})
    scorer = CompatibilityScorer(top_k=None, as_of=AS_OF)
    pairs = set(map(tuple, scorer.score(persons, posts).to_frame()[["person_id", "post_id"]].to_numpy()))
    assert ("blind", "massage") in pairs and ("blind", "craft") in pairs  # handwork by touch is not ruled out
    assert ("wheel", "green") not in pairs  # greening is work on foot all day
    assert ("wheel", "green_ok") in pairs  # ... unless the post offers a seated, adapted workstation
    assert not any(p == "young" for p, _ in pairs)  # under 16
    assert ("deaf", "craft") in pairs
    e = scorer.explain("wheel", "green")
    assert e.status == "excluded" and e.rules[0].component == "functional"
    assert "prolonged_standing" in e.rules[0].en and "长时间站立行走" in e.rules[0].zh and "GB/T 14776" in e.rules[0].en
    assert "relieved by the post's adapted workstation" in scorer.explain("wheel", "green_ok").text("en")
    assert "young" not in e.text("en")


def test_explain_contributions_sum_to_score_and_mask_ids():
    persons, posts = tables(10, 10, 5)
    persons["person_id"] = [f"33070219900101{i:04d}" for i in range(10)]
    scorer = CompatibilityScorer(top_k=3, as_of=AS_OF)
    sm = scorer.score(persons, posts)
    r, c, v = sm.pairs()
    e = scorer.explain(sm.person_ids[r[0]], sm.post_ids[c[0]])
    assert e.status == "candidate" and e.score == pytest.approx(v[0], abs=1e-6)
    assert sum(x.contribution for x in e.contributions) == pytest.approx(e.score, abs=1e-5)
    for contribution in e.contributions:  # explain recomputes exactly what the matrix stored
        assert contribution.value == float(sm.components[contribution.name][[r[0]], [c[0]]][0])
    text = e.text("en") + e.text("zh")
    assert sm.person_ids[r[0]] not in text and "330" in text and "*" in text
    assert isinstance(sm, ScoreMatrix)


@SETTINGS
@given(seed=st.integers(0, 10_000), k=st.integers(1, 4), kp=st.integers(1, 5), block=st.integers(1, 40))
def test_top_k_persons_keeps_each_posts_best_persons(seed, k, kp, block):
    persons, posts = tables(20, 20, seed)
    full = CompatibilityScorer(top_k=None, as_of=AS_OF).score(persons, posts).to_frame()
    both = CompatibilityScorer(top_k=k, top_k_persons=kp, block_size=block, as_of=AS_OF).score(persons, posts)
    got = both.to_frame()
    # oracle: union of each person's top k and each post's top kp over all candidate pairs
    by_person = full.sort_values(["person_id", "score", "post_id"], ascending=[True, False, True]).groupby("person_id").head(k)
    by_post = full.sort_values(["post_id", "score", "person_id"], ascending=[True, False, True]).groupby("post_id").head(kp)
    expect = pd.concat([by_person, by_post]).drop_duplicates(["person_id", "post_id"])
    expect = expect.sort_values(["person_id", "post_id"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expect[["person_id", "post_id", "score"]])


@settings(max_examples=3, deadline=None)
@given(seed=st.integers(0, 10_000), k=st.integers(1, 3))
def test_explain_status_agrees_with_scoring_for_every_pair(seed, k):
    persons, posts = tables(8, 10, seed)
    scorer = CompatibilityScorer(top_k=k, as_of=AS_OF)
    sm = scorer.score(persons, posts)
    kept = dict(zip(zip(sm.to_frame()["person_id"], sm.to_frame()["post_id"]), sm.to_frame()["score"]))
    allowed = oracle_allowed(scorer.persons_, scorer.posts_)
    for pid in scorer.person_index_:
        for qid in scorer.post_index_:
            e = scorer.explain(pid, qid)
            if (pid, qid) in kept:
                assert e.status == "candidate" and e.score == pytest.approx(kept[(pid, qid)], abs=1e-6)
            elif (pid, qid) in allowed:
                assert e.status == "not_in_top_k" and not e.rules
            else:
                assert e.status == "excluded" and e.rules and e.score == 0.0
