"""``solve(method="decompose", client=...)`` sends each region's data once per solve (issue 15).

The executor protocol's optional ``retain``/``release`` (``jhmatch.executor.Retaining``):
the Dask adapter scatters the regions once and maps over the stand-ins at every price
iteration; results are bit-for-bit those of the serial run. An in-process
``distributed.LocalCluster`` (threads) is enough to count the scatter calls.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

distributed = pytest.importorskip("distributed")

from test_optimize_decompose import regional_problem  # noqa: E402

from jhmatch.distributed import DaskExecutor, allocate  # noqa: E402
from jhmatch.executor import Retaining, SerialExecutor, as_executor, retained  # noqa: E402
from jhmatch.optimize import solve  # noqa: E402


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None,
                                  silence_logs=50) as cluster, distributed.Client(cluster) as client:
        yield client


class ScatterCounter:
    """Wraps ``client.scatter``: calls with a list (retained items) and broadcasts (a task's function)."""

    def __init__(self, client, monkeypatch):
        self.lists, self.broadcasts, self.items = 0, 0, 0
        real = client.scatter

        def scatter(data, *args, **kwargs):
            if kwargs.get("broadcast"):
                self.broadcasts += 1
            elif isinstance(data, list):
                self.lists += 1
                self.items += len(data)
            return real(data, *args, **kwargs)

        monkeypatch.setattr(client, "scatter", scatter)


def test_both_executors_are_retaining():
    assert isinstance(SerialExecutor(), Retaining) and isinstance(DaskExecutor(None), Retaining)
    items = [object(), object()]
    with retained(SerialExecutor(), items) as kept:
        assert kept is items  # in process: nothing sent, nothing copied


def test_decompose_on_a_client_scatters_each_region_once(client, monkeypatch):
    prob, reg = regional_problem(2)
    serial = solve(prob, method="decompose", regions=reg, gap=0)
    assert serial.details["iterations"] > 3  # several rounds: the regions would have been sent each time
    count = ScatterCounter(client, monkeypatch)
    on_cluster = solve(prob, method="decompose", regions=reg, gap=0, client=client)
    assert count.lists == 1 and count.items == serial.details["regions"] == 4
    assert count.broadcasts == on_cluster.details["iterations"]  # only the prices' solver, once per round
    assert np.array_equal(on_cluster.selected, serial.selected)
    assert on_cluster.objective == serial.objective and on_cluster.bound == serial.bound
    assert on_cluster.details["iterations"] == serial.details["iterations"]
    assert "DaskExecutor" in on_cluster.details["executor"]


def test_allocate_uses_the_same_executor(client, monkeypatch):
    prob, reg = regional_problem(3)
    count = ScatterCounter(client, monkeypatch)
    res = allocate(prob, client, regions=reg, tol=0)
    assert count.lists == 1
    assert np.array_equal(res.selected, solve(prob, method="decompose", regions=reg, gap=0).selected)


def test_retained_items_are_released(client):
    ex = as_executor(client)
    assert isinstance(ex, DaskExecutor)
    with retained(ex, [np.arange(3), np.arange(4)]) as kept:
        assert ex.map(len, kept) == [3, 4]
        keys = [k.future.key for k in kept]
        assert all(client.refcount.get(key, 0) > 0 for key in keys)
    deadline = time.monotonic() + 5  # Future.release() lets the client's event loop drop the reference
    while any(client.refcount.get(key, 0) for key in keys) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert all(client.refcount.get(key, 0) == 0 for key in keys)
