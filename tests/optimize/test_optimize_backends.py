"""One contract test class, subclassed per backend, plus differential tests between backends."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from optimize_strategies import Instance, brute_force, choice_of, instances

from jhmatch.errors import ParameterError
from jhmatch.matching.score_matrix import ScoreMatrix
from jhmatch.optimize import BACKENDS, AllocationProblem, GraduateGuarantee, Status, solve

# the contract class is subclassed per backend on purpose: same test, different executors
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.differing_executors])


def _check_valid(result, inst: Instance) -> None:
    a = result.assignments
    assert list(a.columns) == ["person_id", "post_id", "score", "weight"]
    assert not a["person_id"].duplicated().any(), "a person placed twice"
    fill = a["post_id"].value_counts()
    caps = inst.posts.set_index("post_id")["capacity"]
    assert (fill <= caps.reindex(fill.index)).all(), "a post over capacity"
    dense = inst.scores.scores.toarray()
    c = choice_of(result, inst)
    placed = np.flatnonzero(c >= 0)
    assert (dense[placed, c[placed]] > 0).all(), "a non-candidate pair chosen"
    pi = pd.Index(inst.scores.person_ids).get_indexer(a["person_id"])
    qi = pd.Index(inst.scores.post_ids).get_indexer(a["post_id"])
    np.testing.assert_array_equal(a["score"].to_numpy(), dense[pi, qi])
    np.testing.assert_array_equal(a["weight"].to_numpy(), inst.weights[pi])
    expected = float((inst.weights[placed] * dense[placed, c[placed]]).sum())
    assert result.objective == pytest.approx(expected, abs=1e-9)
    assert set(result.unplaced["person_id"]) == set(inst.scores.person_ids) - set(a["person_id"])


class BackendContract:
    """Every backend: valid allocations, deterministic, empty input, typed errors.

    ``exact``: proves optimality (compared with brute force). ``bounded``: not always
    optimal, but always reports a proven bound (checked against brute force) and says
    OPTIMAL only when its gap to that bound is within 1e-6.
    """

    method: str
    exact: bool = False
    bounded: bool = False

    @FAST
    @given(instances())
    def test_valid_allocation(self, inst: Instance) -> None:
        result = solve(inst.problem(), method=self.method)
        assert result.backend == self.method
        assert result.status in (Status.OPTIMAL, Status.FEASIBLE)
        if self.bounded:
            assert result.bound is not None and (result.status is Status.OPTIMAL) == (result.gap <= 1e-6)
        else:
            assert result.status is (Status.OPTIMAL if self.exact else Status.FEASIBLE)
        _check_valid(result, inst)

    @FAST
    @given(instances(max_persons=5, max_posts=3))
    def test_objective_vs_brute_force(self, inst: Instance) -> None:
        result = solve(inst.problem(), method=self.method)
        best = brute_force(inst)
        if self.exact:
            assert result.objective == pytest.approx(best, abs=1e-7)
            assert result.bound is not None and result.bound >= best - 1e-7 and result.gap < 1e-6
        elif self.bounded:
            assert result.objective <= best + 1e-9
            assert result.bound >= best - 1e-7, "the reported bound must bound the true optimum"
            if result.status is Status.OPTIMAL:
                assert result.objective >= best - 1e-6 * max(best, 1.0)
        else:
            assert result.objective <= best + 1e-9
            assert result.bound is None

    def test_deterministic(self) -> None:
        rng = np.random.default_rng(7)
        s = sp.random_array((60, 12), density=0.3, random_state=rng, format="csr")
        s.data = np.ceil(s.data * 10) / 10
        sm = ScoreMatrix(s, np.arange(60), np.arange(12))
        prob = AllocationProblem(sm, rng.integers(1, 4, 12))
        a, b = solve(prob, method=self.method), solve(prob, method=self.method)
        pd.testing.assert_frame_equal(a.assignments, b.assignments)

    def test_no_pairs(self) -> None:
        sm = ScoreMatrix(sp.csr_array((3, 2)), np.array(["a", "b", "c"]), np.array(["x", "y"]))
        result = solve(AllocationProblem(sm, [1, 1]), method=self.method)
        assert result.n_placed == 0 and result.objective == 0
        assert result.unplaced["reason"].eq("no candidate post").all()

    def test_available_and_protocol(self) -> None:
        backend = BACKENDS[self.method]
        assert backend.name == self.method and backend.available()

    def test_unknown_option_is_refused(self) -> None:
        sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a"], "post_id": ["x"], "score": [1.0]}))
        accepted = ", ".join(sorted(BACKENDS[self.method].options)) or "only time_limit and gap"
        with pytest.raises(ParameterError, match=rf"'{self.method}' does not take the option\(s\) unknown_option; "
                                                 rf"it accepts {accepted}"):
            solve(AllocationProblem(sm, [1]), method=self.method, unknown_option=1)


class TestFlow(BackendContract):
    method, exact = "flow", True


class TestMilp(BackendContract):
    method, exact = "milp", True


class TestLap(BackendContract):
    method, exact = "lap", True

    def test_refuses_rules(self) -> None:
        sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a"], "post_id": ["x"], "score": [1.0]}))
        persons = pd.DataFrame({"person_id": ["a"], "graduate": [True]})
        prob = AllocationProblem.from_frames(sm, persons, pd.DataFrame({"post_id": ["x"], "capacity": [1]}),
                                             constraints=[GraduateGuarantee()])
        with pytest.raises(ParameterError, match="lap"):
            solve(prob, method="lap")


class TestGreedy(BackendContract):
    method = "greedy"

    @FAST
    @given(instances(max_persons=8, max_posts=4))
    def test_same_as_sequential_greedy(self, inst: Instance) -> None:
        prob = inst.problem()
        order = np.lexsort((prob.pair_post, prob.pair_person, -prob.values))
        free = np.ones(prob.n_persons, bool)
        room = prob.capacities.copy()
        total = 0.0
        for e in order:  # the textbook sequential greedy (small sizes only)
            i, j = prob.pair_person[e], prob.pair_post[e]
            if free[i] and room[j] > 0:
                free[i] = False
                room[j] -= 1
                total += prob.values[e]
        assert solve(prob, method="greedy").objective == pytest.approx(total, abs=1e-12)


class TestStable(BackendContract):
    method = "stable"


class TestDecompose(BackendContract):
    """Regions = the instances' two counties (posts shared between them), by default."""

    method, bounded = "decompose", True

    @FAST
    @given(instances(max_persons=5, max_posts=3))
    def test_components_are_exact(self, inst: Instance) -> None:
        result = solve(inst.problem(), method=self.method, regions="components")
        assert result.objective == pytest.approx(brute_force(inst), abs=1e-7)
        assert result.status is Status.OPTIMAL and result.details["shared_posts"] == 0

    def test_refuses_rules(self) -> None:
        sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a"], "post_id": ["x"], "score": [1.0]}))
        persons = pd.DataFrame({"person_id": ["a"], "graduate": [True]})
        prob = AllocationProblem.from_frames(sm, persons, pd.DataFrame({"post_id": ["x"], "capacity": [1]}),
                                             constraints=[GraduateGuarantee()])
        with pytest.raises(ParameterError, match=r"'decompose' cannot solve this problem.*GraduateGuarantee"):
            solve(prob, method="decompose")


@settings(max_examples=25, deadline=None)
@given(instances(max_persons=40, max_posts=10, density=0.3))
def test_exact_backends_agree_with_networkx(inst: Instance) -> None:
    nx = pytest.importorskip("networkx")
    prob = inst.problem()
    results = {m: solve(prob, method=m).objective for m in ("flow", "milp", "lap")}
    g = nx.DiGraph()
    n, m = prob.n_persons, prob.n_posts
    g.add_node("s", demand=-n)
    g.add_node("t", demand=n)
    g.add_edge("s", "t", capacity=n, weight=0)
    for i in range(n):
        g.add_edge("s", ("p", i), capacity=1, weight=0)
    for j in range(m):
        g.add_edge(("q", j), "t", capacity=int(prob.capacities[j]), weight=0)
    for i, j, v in zip(prob.pair_person, prob.pair_post, prob.values):
        g.add_edge(("p", int(i)), ("q", int(j)), capacity=1, weight=-round(v * 10**6))
    cost, _ = nx.network_simplex(g)
    for method, objective in results.items():
        assert objective == pytest.approx(-cost / 10**6, abs=1e-6), method


def test_auto_says_what_it_picked() -> None:
    sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a"], "post_id": ["x"], "score": [1.0]}))
    result = solve(AllocationProblem(sm, [1]))
    assert result.backend == "flow" and "auto picked 'flow'" in result.message


def test_unknown_method_and_bad_options() -> None:
    sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a"], "post_id": ["x"], "score": [1.0]}))
    prob = AllocationProblem(sm, [1])
    with pytest.raises(ParameterError, match="unknown method"):
        solve(prob, method="simplex")
    with pytest.raises(ParameterError, match="time_limit"):
        solve(prob, time_limit=0)
    for bad in ({"time_limit": True}, {"gap": True}, {"gap": False}, {"gap": float("nan")}):
        with pytest.raises(ParameterError, match=f"{next(iter(bad))} must be"):
            solve(prob, **bad)
    with pytest.raises(ParameterError, match="'flow' does not take the option"):
        solve(prob, top_k=5)  # auto picks flow; an option meant for the scorer is not silently dropped
    with pytest.raises(ParameterError, match="proposing must be one of 'person', 'post', got 'both'"):
        solve(prob, method="stable", proposing="both")


def test_backend_registry_is_read_only():
    with pytest.raises(TypeError):
        BACKENDS["mine"] = BACKENDS["flow"]  # type: ignore[index]
    assert set(BACKENDS) == {"flow", "milp", "lap", "greedy", "stable", "decompose"}
