"""``CompatibilityScorer.score(client=...)`` through the Dask adapter: bit for bit the serial result."""

from __future__ import annotations

import numpy as np
import pytest

distributed = pytest.importorskip("distributed")

from jhmatch.data.schema import validate_persons, validate_posts  # noqa: E402
from jhmatch.datasets.uniform import synthetic_persons, synthetic_posts  # noqa: E402
from jhmatch.distributed import use_client  # noqa: E402
from jhmatch.distributed.executor import DaskExecutor  # noqa: E402
from jhmatch.matching import CompatibilityScorer  # noqa: E402

AS_OF = "2025-06-30"


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  memory_limit="1GiB", silence_logs=50) as cluster, distributed.Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def tables():
    return validate_persons(synthetic_persons(300, seed=8)), validate_posts(synthetic_posts(120, seed=1008))


def identical(a, b) -> bool:
    return (np.array_equal(a.person_ids, b.person_ids) and np.array_equal(a.post_ids, b.post_ids)
            and np.array_equal(a.scores.indptr, b.scores.indptr) and np.array_equal(a.scores.indices, b.scores.indices)
            and a.scores.data.tobytes() == b.scores.data.tobytes() and list(a.components) == list(b.components)
            and all(a.components[k].data.tobytes() == b.components[k].data.tobytes() for k in a.components))


@pytest.mark.parametrize("params", [{"top_k": 5}, {"top_k": 3, "top_k_persons": 4}])
def test_client_executor_and_context_equal_serial(client, tables, params):
    persons, posts = tables
    serial = CompatibilityScorer(as_of=AS_OF, block_size=25, n_jobs=1, **params).score(persons, posts)
    scorer = CompatibilityScorer(as_of=AS_OF, block_size=25, **params)
    assert identical(scorer.score(persons, posts, client=client), serial)
    e = scorer.explain(serial.person_ids[0], serial.post_ids[serial.scores.indices[0]])  # fitted here: explain works
    assert e.status == "candidate" and e.score == float(serial.scores.data[0])
    assert identical(CompatibilityScorer(as_of=AS_OF, block_size=25, **params).score(
        persons, posts, executor=DaskExecutor(client)), serial)
    with use_client(client):
        assert identical(CompatibilityScorer(as_of=AS_OF, block_size=25, **params).score(persons, posts), serial)
    # Dask's own concurrent.futures executor is an executor too (no adapter needed)
    assert identical(CompatibilityScorer(as_of=AS_OF, block_size=25, **params).score(
        persons, posts, executor=client.get_executor()), serial)


def test_blocks_ran_on_the_workers(client, tables):
    persons, posts = tables
    with distributed.get_task_stream(client) as stream:
        CompatibilityScorer(as_of=AS_OF, block_size=25).score(persons, posts, client=client)
    workers = {t["worker"] for t in stream.data if str(t["key"]).startswith("_call")}
    assert len([t for t in stream.data if str(t["key"]).startswith("_call")]) > 5 and workers


def test_a_client_is_adapted_without_importing_jhmatch_distributed_first():
    import subprocess
    import sys

    code = """
import sys
from jhmatch.executor import as_executor
class Client:  # stands for distributed.Client: only its package matters for the lookup
    def scatter(self, *a, **k): pass
Client.__module__ = "distributed.client"
assert "jhmatch.distributed" not in sys.modules
executor = as_executor(Client())
assert type(executor).__name__ == "DaskExecutor" and "jhmatch.distributed.executor" in sys.modules
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
