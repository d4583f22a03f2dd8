"""The decomposition backend: executors, time limit and gap, errors, details; the MILP as its oracle."""

from __future__ import annotations

import pickle
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import scipy.sparse as sp

from jhmatch.errors import ParameterError, SizeLimitError, SolverError
from jhmatch.executor import SerialExecutor, use_executor
from jhmatch.limits import TIME_LIMIT_SLACK
from jhmatch.matching.score_matrix import ScoreMatrix
from jhmatch.optimize import AllocationProblem, Status, solve


def regional_problem(seed: int, n: int = 800, regions: int = 4, local: int = 30, shared: int = 12):
    """Persons of ``regions`` regions with 4 local candidate posts each and 3 of ``shared`` posts open to all."""
    rng = np.random.default_rng(seed)
    reg = rng.integers(0, regions, n)
    m = regions * local + shared
    local_pick = rng.random((n, local)).argsort(axis=1)[:, :4] + reg[:, None] * local
    shared_pick = rng.random((n, shared)).argsort(axis=1)[:, :3] + regions * local
    cols = np.concatenate([local_pick, shared_pick], axis=1).ravel()
    rows = np.repeat(np.arange(n), 7)
    vals = np.round(rng.uniform(0.05, 1, rows.size), 2)
    s = sp.csr_array((vals, (rows, cols)), shape=(n, m))
    prob = AllocationProblem(ScoreMatrix(s, np.arange(n), np.arange(m)), rng.integers(1, 6, m))
    return prob, reg


def feasible(problem: AllocationProblem, selected: np.ndarray) -> bool:
    rows, cols = problem.pair_person[selected], problem.pair_post[selected]
    return np.unique(rows).size == rows.size and bool(
        (np.bincount(cols, minlength=problem.n_posts) <= problem.capacities).all())


class Counting:
    """An executor that records its calls (and offers retain/release like a cluster's)."""

    def __init__(self, delay: float = 0.0):
        self.maps, self.retained, self.released, self.delay = [], 0, 0, delay

    def retain(self, items):
        self.retained += 1
        return [("kept", item) for item in items]

    def release(self, kept):
        self.released += 1

    def map(self, fn, items):
        items = list(items)
        assert all(isinstance(k, tuple) and k[0] == "kept" for k in items), "map got the items, not the stand-ins"
        self.maps.append(len(items))
        time.sleep(self.delay)
        return [fn(k[1]) for k in items]


@pytest.mark.parametrize("seed", [0, 2, 3])
def test_bound_and_objective_against_the_milp(seed: int) -> None:
    prob, reg = regional_problem(seed)
    exact = solve(prob, method="milp").objective
    res = solve(prob, method="decompose", regions=reg, gap=0, max_iter=60)
    assert res.backend == "decompose" and feasible(prob, res.selected)
    assert res.objective <= exact + 1e-9 and res.bound >= exact - 1e-9
    assert res.gap >= (exact - res.objective) / exact - 1e-12
    assert res.details["shared_posts"] == 12 and res.details["regions"] == 4
    if res.status is Status.OPTIMAL:
        assert res.objective == pytest.approx(exact, rel=1e-6)


def test_executors_give_the_same_result_and_are_used() -> None:
    prob, reg = regional_problem(2)
    serial = solve(prob, method="decompose", regions=reg, gap=0)
    assert serial.details["executor"] == "SerialExecutor()" and "in this process" in serial.message
    counting = Counting()
    with ThreadPoolExecutor(2) as pool:
        threads = solve(prob, method="decompose", regions=reg, gap=0, executor=pool)
        with use_executor(pool):
            active = solve(prob, method="decompose", regions=reg, gap=0)
    via_counting = solve(prob, method="decompose", regions=reg, gap=0, executor=counting)
    for other in (threads, active, via_counting):
        assert np.array_equal(other.selected, serial.selected) and other.bound == serial.bound
        assert other.details["iterations"] == serial.details["iterations"]
        assert other.backend == "decompose"
    assert "ThreadPoolExecutor" in threads.details["executor"] == active.details["executor"]
    # one map per price iteration over the 4 regions; their data retained once, released once
    assert counting.maps == [4] * serial.details["iterations"]
    assert counting.retained == counting.released == 1


def test_time_limit_stops_the_iterations() -> None:
    prob, reg = regional_problem(2)
    full = solve(prob, method="decompose", regions=reg, gap=0, max_iter=200)
    assert full.details["iterations"] > 5  # this problem needs several rounds
    slow = Counting(delay=0.15)
    t0 = time.perf_counter()
    res = solve(prob, method="decompose", regions=reg, gap=0, max_iter=200, time_limit=0.2, executor=slow)
    elapsed = time.perf_counter() - t0
    assert res.status is Status.TIME_LIMIT and "time limit" in res.message
    assert res.details["iterations"] <= 3 and elapsed < 0.2 + 0.15 + TIME_LIMIT_SLACK
    assert feasible(prob, res.selected) and res.gap > 0 and res.bound >= full.objective - 1e-9


def test_gap_stops_earlier_and_is_kept() -> None:
    prob, reg = regional_problem(2)
    exact = solve(prob, method="decompose", regions=reg, gap=0, max_iter=200)
    loose = solve(prob, method="decompose", regions=reg, gap=0.01, max_iter=200)
    assert loose.details["iterations"] < exact.details["iterations"]
    assert loose.status is Status.OPTIMAL and loose.gap <= 0.01
    assert loose.objective >= exact.objective * (1 - 0.01) - 1e-9


def test_details_are_documented_and_pickle() -> None:
    prob, reg = regional_problem(0, n=200)
    res = solve(prob, method="decompose", regions=reg)
    d = pickle.loads(pickle.dumps(res)).details
    assert set(d) == {"regions", "shared_posts", "master_persons", "iterations", "prices", "prices_kind",
                      "history", "region_time", "executor"}
    assert d["prices"].shape == (prob.n_posts,) and (d["prices"] >= 0).all()
    assert d["prices_kind"] in ("lagrangian", "dual")
    assert list(d["history"].columns) == ["iteration", "bound", "objective", "step", "master_persons"]
    assert solve(prob, method="flow").details == {}


def test_bad_options_are_refused() -> None:
    prob, _reg = regional_problem(0, n=50)
    with pytest.raises(ParameterError, match=r"tol.*master_every, max_iter, regions"):
        solve(prob, method="decompose", tol=1e-3)
    with pytest.raises(ParameterError, match="max_iter"):
        solve(prob, method="decompose", max_iter=True)
    with pytest.raises(ParameterError, match="master_every"):
        solve(prob, method="decompose", master_every=0)
    with pytest.raises(ParameterError, match="one label per person"):
        solve(prob, method="decompose", regions=[1, 2])
    with pytest.raises(ParameterError, match="gap"):
        solve(prob, method="decompose", gap=1.5)
    with pytest.raises(ParameterError, match="'flow' runs in this process only"):
        solve(prob, method="flow", executor=SerialExecutor())
    with pytest.raises(ParameterError, match="either executor= or client="):
        solve(prob, method="decompose", executor=SerialExecutor(), client=SerialExecutor())


class Failing:
    def __init__(self, exc: BaseException):
        self.exc = exc

    def map(self, fn, items):
        raise self.exc


def test_failures_are_handled_like_every_backend() -> None:
    prob, reg = regional_problem(0, n=50)
    res = solve(prob, method="decompose", regions=reg, executor=Failing(SolverError("workers lost")))
    assert res.status is Status.ERROR and res.backend == "decompose" and "workers lost" in res.message
    assert res.n_placed == 0
    with pytest.raises(SizeLimitError):
        solve(prob, method="decompose", regions=reg, executor=Failing(MemoryError()))
