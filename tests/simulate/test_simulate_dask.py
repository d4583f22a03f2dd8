"""Replications on a Dask cluster through jhmatch.distributed's adapter: identical to the serial run."""

from __future__ import annotations

import numpy as np
import pytest

distributed = pytest.importorskip("distributed")

from jhmatch.simulate import SimulationScenario, build_model, demo_city, simulate  # noqa: E402


def test_client_gives_the_serial_result():
    scenario = SimulationScenario(end_year=2023)
    city = demo_city(n_persons=250, posts_per_person=0.15, seed=6)
    model = build_model(city.persons, city.posts, scenario, seed=1)
    serial = simulate(None, None, scenario, replications=6, seed=2, model=model)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  memory_limit="1GiB", silence_logs=50) as cluster, distributed.Client(cluster) as c:
        on_dask = simulate(None, None, scenario, replications=6, seed=2, model=model, client=c)
    assert np.array_equal(serial.counts, on_dask.counts) and np.array_equal(serial.objective, on_dask.objective)
