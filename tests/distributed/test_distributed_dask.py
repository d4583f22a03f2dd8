"""jhmatch.distributed on a real ``distributed.LocalCluster`` (2 worker processes).

Results are compared with the local (``client=None``) and single-process ones;
a worker is killed mid-run: the run completes with the same answer (Dask re-runs
the lost tasks) or, with retries switched off, fails with a SolverError and
leaves no half-written output.
"""

from __future__ import annotations

import copy
import os
import signal
import threading
import time

import numpy as np
import pandas as pd
import pytest

distributed = pytest.importorskip("distributed")

from jhmatch.datasets import make_jinhua  # noqa: E402
from jhmatch.distributed import allocate, recommend_posts, score, use_client  # noqa: E402
from jhmatch.errors import SolverError  # noqa: E402
from jhmatch.matching import CompatibilityScorer  # noqa: E402
from jhmatch.optimize import AllocationProblem, solve  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, memory_limit="1.5GiB",
                                  dashboard_address=None, silence_logs=50) as cluster, \
            distributed.Client(cluster) as client:
        yield cluster, client


@pytest.fixture(scope="module")
def scenario():
    return make_jinhua(1200, 300, seed=5)


@pytest.fixture(scope="module")
def scorer():
    return CompatibilityScorer(as_of="2025-01-01", top_k=10, block_size=120)


@pytest.fixture(scope="module")
def reference(scenario, scorer):
    local = copy.deepcopy(scorer)
    return local.score(scenario.persons, scenario.posts), local


def same(a, b) -> bool:
    return (np.array_equal(a.person_ids, b.person_ids) and np.array_equal(a.post_ids, b.post_ids)
            and np.array_equal(a.scores.indptr, b.scores.indptr)
            and np.array_equal(a.scores.indices, b.scores.indices)
            and np.array_equal(a.scores.data, b.scores.data)
            and all(np.array_equal(a.components[k].data, b.components[k].data) for k in b.components))


def test_score_on_cluster_equals_local(cluster, scenario, scorer, reference):
    _, client = cluster
    got = score(scenario.persons, scenario.posts, scorer, client=client)
    assert same(got, reference[0])
    assert same(got, score(scenario.persons, scenario.posts, scorer))  # client=None: identical
    with use_client(client):  # the context-manager form
        assert same(score(scenario.persons, scenario.posts, scorer), reference[0])


def test_score_from_parquet_dask_frame(cluster, scenario, scorer, tmp_path):
    import dask.dataframe as dd

    _, client = cluster
    path = tmp_path / "persons.parquet"
    scenario.persons.to_parquet(path, row_group_size=400)
    ddf = dd.read_parquet(path, split_row_groups=True)
    assert ddf.npartitions > 1
    want = copy.deepcopy(scorer).score(pd.read_parquet(path), scenario.posts)
    got = score(ddf, scenario.posts, scorer, client=client, n_partitions=3)
    assert same(got, want)
    assert same(score(ddf, scenario.posts, scorer), want)  # dask frame, no client


def test_recommend_on_cluster(cluster, scenario, scorer, tmp_path):
    _, client = cluster
    want = copy.deepcopy(scorer).recommend_posts(scenario.persons, scenario.posts, k=4)
    got = recommend_posts(scenario.persons, scenario.posts, k=4, scorer=scorer, client=client,
                          out=tmp_path / "rec.parquet")
    pd.testing.assert_frame_equal(got, want)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "rec.parquet"), got, check_dtype=False)


def test_allocate_on_cluster_equals_local_and_bounds_monolithic(cluster, reference):
    _, client = cluster
    sm, local = reference
    problem = AllocationProblem.from_frames(sm, local.persons_, local.posts_)
    on_cluster = allocate(problem, client=client, max_iter=25)
    here = allocate(problem, max_iter=25)
    assert np.array_equal(on_cluster.selected, here.selected)
    assert on_cluster.objective == here.objective and on_cluster.bound == here.bound
    mono = solve(problem, method="flow").objective
    assert on_cluster.bound >= mono * (1 - 1e-9)
    assert on_cluster.objective <= mono + 1e-9
    assert on_cluster.gap <= 1e-3


def _kill_when_busy(cluster, pids: dict[str, int], done: threading.Event, killed: list[str]) -> None:
    """Kill (SIGKILL) the first worker seen processing a task."""
    deadline = time.monotonic() + 30
    while not done.is_set() and time.monotonic() < deadline:
        busy = [ws.address for ws in list(cluster.scheduler.workers.values()) if ws.processing]
        if busy and busy[0] in pids:
            os.kill(pids[busy[0]], signal.SIGKILL)
            killed.append(busy[0])
            return
        time.sleep(0.005)


def _run_with_kill(cluster, client, func):
    pids = client.run(os.getpid)
    done, killed = threading.Event(), []
    killer = threading.Thread(target=_kill_when_busy, args=(cluster, pids, done, killed))
    killer.start()
    try:
        return func(), killed
    finally:
        done.set()
        killer.join()
        client.wait_for_workers(2, timeout=60)


def test_worker_killed_mid_run_same_answer(cluster, scenario, scorer, reference, tmp_path):
    cl, client = cluster
    out = tmp_path / "rec.csv"
    want = copy.deepcopy(scorer).recommend_posts(scenario.persons, scenario.posts, k=3)
    got, killed = _run_with_kill(cl, client, lambda: recommend_posts(
        scenario.persons, scenario.posts, k=3, scorer=scorer, client=client, n_partitions=2, out=out))
    assert killed, "no worker was killed: the test did not exercise worker loss"
    pd.testing.assert_frame_equal(got, want)  # the lost tasks were re-run elsewhere
    assert len(pd.read_csv(out)) == len(want)


def test_worker_killed_without_retries_fails_cleanly(cluster, scenario, scorer, tmp_path, monkeypatch):
    import jhmatch.distributed._client as jc

    monkeypatch.setattr(jc, "RETRIES", 0)
    cl, client = cluster
    out = tmp_path / "rec.csv"
    out.write_text("previous run\n", encoding="utf-8")
    saved = cl.scheduler.allowed_failures
    cl.scheduler.allowed_failures = 0  # the first lost worker fails the task
    try:
        with pytest.raises(SolverError, match="worker"):
            _run_with_kill(cl, client, lambda: recommend_posts(
                scenario.persons, scenario.posts, k=3, scorer=scorer, client=client, n_partitions=2, out=out))
    finally:
        cl.scheduler.allowed_failures = saved
    assert out.read_text(encoding="utf-8") == "previous run\n"  # not replaced, not half-written
    assert [p.name for p in tmp_path.iterdir()] == ["rec.csv"]  # no temporary file left behind


def test_worker_killed_during_allocation(cluster, reference):
    cl, client = cluster
    sm, local = reference
    problem = AllocationProblem.from_frames(sm, local.persons_, local.posts_)
    want = allocate(problem, max_iter=8, tol=0.0)
    got, killed = _run_with_kill(cl, client, lambda: allocate(problem, client=client, max_iter=8, tol=0.0))
    assert killed
    assert np.array_equal(got.selected, want.selected) and got.bound == want.bound
