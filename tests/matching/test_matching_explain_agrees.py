"""``explain`` agrees with ``score`` for every component configuration (issue 15 bug).

Replacing the ``location`` component by a function used to drop the blocking rule from
``explain``: a pair the scorer never scored (another county, beyond commuting) was
explained as allowed with a positive score.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jhmatch.data.schema import validate_persons, validate_posts
from jhmatch.datasets.uniform import synthetic_persons, synthetic_posts
from jhmatch.matching import (
    AgeComponent,
    CallableComponent,
    CompatibilityScorer,
    EducationComponent,
    LocationComponent,
    SkillsComponent,
)

AS_OF = "2025-06-30"
BUILT_IN = ("functional", "skills", "location", "education", "preference", "age", "certificates")


def grade_mix(p, q):  # depends on the pair only, in [0, 1]
    g = p["grade"].to_numpy(dtype=float, na_value=2.0)
    c = q["capacity"].to_numpy(dtype=float, na_value=1.0)
    return ((g[:, None] * 3 + c[None, :]) % 7) / 6


def zero(p, q):
    return np.zeros((len(p), len(q)))


REPLACEMENTS = {
    "function": lambda: grade_mix,
    "zero": lambda: zero,
    "wrapped": lambda: CallableComponent("x", grade_mix, zh="混合"),
    "short_commute": lambda: LocationComponent(max_commute_km=5.0),
    "strict_education": lambda: EducationComponent(hard_gap=1),
    "strict_age": lambda: AgeComponent(as_of=AS_OF, min_working_age=18),
    "unigram_skills": lambda: SkillsComponent(ngram_range=(1, 1)),
}


@st.composite
def configurations(draw):
    replaced = draw(st.dictionaries(st.sampled_from((*BUILT_IN, "extra")), st.sampled_from(sorted(REPLACEMENTS)),
                                    max_size=3))
    components = {name: REPLACEMENTS[kind]() for name, kind in replaced.items()}
    names = list(dict.fromkeys((*BUILT_IN, *components)))
    weights = None
    if "extra" in components or draw(st.booleans()):
        weights = {n: draw(st.sampled_from([0.0, 0.5, 1.0, 2.0])) for n in names}
        weights[draw(st.sampled_from(names))] = 1.0  # not all zero
    return components, weights, draw(st.sampled_from([None, 1, 3])), draw(st.sampled_from([None, 2]))


@pytest.fixture(scope="module")
def tables():
    return validate_persons(synthetic_persons(10, seed=11)), validate_posts(synthetic_posts(12, seed=1011))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(config=configurations())
def test_explain_total_equals_score_for_every_configuration(tables, config):
    persons, posts = tables
    components, weights, top_k, top_k_persons = config
    options = dict(components=components, weights=weights, as_of=AS_OF, max_commute_km=20.0)
    scorer = CompatibilityScorer(top_k=top_k, top_k_persons=top_k_persons, **options)
    sm = scorer.score(persons, posts)
    full = CompatibilityScorer(top_k=None, **options).score(persons, posts)  # every allowed pair with score > 0
    kept = {(sm.person_ids[r], sm.post_ids[c]): s for r, c, s in zip(*sm.pairs())}
    allowed = {(full.person_ids[r], full.post_ids[c]): s for r, c, s in zip(*full.pairs())}
    for pid in sm.person_ids:
        for qid in sm.post_ids:
            e = scorer.explain(pid, qid)
            parts = sum(c.contribution for c in e.contributions)
            if (pid, qid) in kept:
                assert e.status == "candidate" and e.score == float(kept[(pid, qid)]), (pid, qid, e)
                assert parts == pytest.approx(e.score, abs=2e-6)
            elif (pid, qid) in allowed:
                assert e.status == "not_in_top_k" and not e.rules and e.score == float(allowed[(pid, qid)]), e
                assert parts == pytest.approx(e.score, abs=2e-6)
            else:
                assert e.status == "excluded" and e.rules and e.score == 0.0, (pid, qid, e)


def test_replaced_location_keeps_the_blocking_rule_in_explain(tables):
    persons, posts = tables
    scorer = CompatibilityScorer(top_k=None, as_of=AS_OF, components={"location": grade_mix})
    sm = scorer.score(persons, posts)
    kept = set(zip(*sm.pairs()[:2]))
    far = [(i, j) for i in range(sm.shape[0]) for j in range(sm.shape[1])
           if (i, j) not in kept and scorer.location_.evaluate(np.array([i]), np.array([j]))[1][0, 0]]
    assert far
    e = scorer.explain(sm.person_ids[far[0][0]], sm.post_ids[far[0][1]])
    assert e.status == "excluded" and e.score == 0.0 and any(r.component == "location" for r in e.rules)
