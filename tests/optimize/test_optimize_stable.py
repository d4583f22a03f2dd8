"""Stable matching: no blocking pair, rural-hospitals invariants, person/post optimality."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from optimize_strategies import Instance, choice_of, instances

from jhmatch.errors import ParameterError
from jhmatch.matching.score_matrix import ScoreMatrix
from jhmatch.optimize import AllocationProblem, blocking_pairs, solve
from jhmatch.optimize.backends.stable import preference_ranks


def _prefs(prob: AllocationProblem) -> tuple[dict, dict]:
    """Independent preference lists from scores (persons: score desc; posts: weight*score desc; ties by index)."""
    per_person: dict[int, list[int]] = {}
    per_post: dict[int, list[int]] = {}
    for i, j, s, v in zip(prob.pair_person, prob.pair_post, prob.pair_score, prob.values):
        per_person.setdefault(int(i), []).append((-s, int(j)))
        per_post.setdefault(int(j), []).append((-v, int(i)))
    return ({i: [j for _, j in sorted(lst)] for i, lst in per_person.items()},
            {j: [i for _, i in sorted(lst)] for j, lst in per_post.items()})


def _is_stable(choice: np.ndarray, prob: AllocationProblem) -> bool:
    """Textbook stability check with Python lists (independent of blocking_pairs)."""
    pp, qp = _prefs(prob)
    caps = prob.capacities
    for i, lst in pp.items():
        for j in lst:
            if choice[i] == j:
                break  # every post i prefers less is not blocking
            holders = [k for k in range(len(choice)) if choice[k] == j]
            if len(holders) < caps[j] or any(qp[j].index(i) < qp[j].index(k) for k in holders):
                return False
    return True


@settings(max_examples=30, deadline=None)
@given(instances(max_persons=12, max_posts=5), st.sampled_from(["person", "post"]))
def test_no_blocking_pair(inst: Instance, proposing: str) -> None:
    prob = inst.problem()
    result = solve(prob, method="stable", proposing=proposing)
    choice = choice_of(result, inst)
    assert _is_stable(choice, prob)
    pr, qr = preference_ranks(prob)
    assert blocking_pairs(prob.pair_person, prob.pair_post, pr, qr, prob.capacities, prob.n_persons,
                          result.selected).size == 0


@settings(max_examples=30, deadline=None)
@given(instances(max_persons=12, max_posts=5))
def test_rural_hospitals_invariants(inst: Instance) -> None:
    prob = inst.problem()
    a = solve(prob, method="stable", proposing="person")
    b = solve(prob, method="stable", proposing="post")
    assert set(a.assignments["person_id"]) == set(b.assignments["person_id"])
    assert a.assignments["post_id"].value_counts().to_dict() == b.assignments["post_id"].value_counts().to_dict()


@settings(max_examples=25, deadline=None)
@given(instances(max_persons=5, max_posts=3))
def test_person_proposing_is_person_optimal(inst: Instance) -> None:
    prob = inst.problem()
    pp, _ = _prefs(prob)
    dense = prob.scores.scores.toarray()
    caps = prob.capacities
    stable = []
    options = [[-1, *np.flatnonzero(dense[i] > 0).tolist()] for i in range(prob.n_persons)]
    for choice in itertools.product(*options):
        c = np.array(choice)
        if not (np.bincount(c[c >= 0], minlength=prob.n_posts) > caps).any() and _is_stable(c, prob):
            stable.append(c)
    assert stable
    rank = lambda i, j: pp[i].index(j) if j >= 0 else 10**6  # noqa: E731
    best = choice_of(solve(prob, method="stable", proposing="person"), inst)
    worst = choice_of(solve(prob, method="stable", proposing="post"), inst)
    for c in stable:
        for i in range(prob.n_persons):
            assert rank(i, best[i]) <= rank(i, c[i]) <= rank(i, worst[i])


def test_explicit_ranks_override_scores() -> None:
    sm = ScoreMatrix.from_frame(pd.DataFrame({
        "person_id": ["a", "a", "b", "b"], "post_id": ["x", "y", "x", "y"], "score": [0.9, 0.1, 0.9, 0.1]}))
    prob = AllocationProblem(sm, [1, 1])
    # a prefers y, b prefers x (ranks: lower is better), posts both prefer a
    person_ranks = sp.csr_array(np.array([[2.0, 1.0], [1.0, 2.0]]))
    post_ranks = sp.csr_array(np.array([[1.0, 1.0], [2.0, 2.0]]))
    result = solve(prob, method="stable", person_ranks=person_ranks, post_ranks=post_ranks)
    assert result.assignments.set_index("person_id")["post_id"].to_dict() == {"a": "y", "b": "x"}
    with pytest.raises(ParameterError, match="sparsity"):
        solve(prob, method="stable", person_ranks=sp.csr_array(np.array([[1.0, 0.0], [1.0, 2.0]])))
    with pytest.raises(ParameterError, match="proposing"):
        solve(prob, method="stable", proposing="both")


@settings(max_examples=30, deadline=None)
@given(instances(max_persons=15, max_posts=5, density=0.6), st.sampled_from(["person", "post"]))
def test_same_as_matching_package(inst: Instance, proposing: str) -> None:
    games = pytest.importorskip("matching.games")
    prob = inst.problem()
    pp, qp = _prefs(prob)
    open_ = prob.capacities > 0  # the peer rejects hospitals without places
    residents = {f"r{i}": [f"h{j}" for j in pp.get(i, []) if open_[j]] for i in range(prob.n_persons)}
    hospitals = {f"h{j}": [f"r{i}" for i in qp.get(j, [])] for j in range(prob.n_posts) if open_[j]}
    residents = {r: lst for r, lst in residents.items() if lst}
    hospitals = {h: lst for h, lst in hospitals.items() if lst}
    if not residents or not hospitals:
        return
    caps = {h: int(prob.capacities[int(h[1:])]) for h in hospitals}
    game = games.HospitalResident.create_from_dictionaries(residents, hospitals, caps)
    peer = game.solve(optimal="resident" if proposing == "person" else "hospital")
    expected = {int(r.name[1:]): int(h.name[1:]) for h, rs in peer.items() for r in rs}
    ours = choice_of(solve(prob, method="stable", proposing=proposing), inst)
    assert {i: int(j) for i, j in enumerate(ours) if j >= 0} == expected


def test_row_wise_ranks_equal_global_sort_ranks() -> None:
    from jhmatch.optimize.backends.stable import _ranks_in_rows
    from jhmatch.optimize.ranks import ranks_within as _ranks_within

    rng = np.random.default_rng(4)
    s = sp.random_array((300, 40), density=0.2, random_state=rng, format="csr")
    s.data = np.round(s.data, 1) * 0.9 + 0.05  # many ties: broken by index in both methods
    sm = ScoreMatrix(s, np.arange(300), np.arange(40))
    prob = AllocationProblem(sm, np.ones(40))
    key = -prob.pair_score
    np.testing.assert_array_equal(_ranks_in_rows(s.indptr, np.arange(prob.n_pairs), key),
                                  _ranks_within(prob.pair_person, key))
