"""jhmatch.distributed: scoring, recommendation and allocation on a Dask cluster.

Every function takes ``client=`` (a ``distributed.Client``), or picks one up from
``with use_client(client):``; with no client the same partitioned computation
runs in this process and gives the same result.
Dask is optional (``pip install 'jhmatch[dask]'``) and imported only when a client
is used. Scoring partitions persons by county and broadcasts the posts once per
worker; its result equals the single-process ScoreMatrix exactly. Allocation
(:func:`allocate`) runs the decomposition backend of :mod:`jhmatch.optimize`
(``solve(method="decompose")``: regions, shared posts coordinated by Lagrangian
prices, its gap to a proven upper bound) with the regions on the workers.

Cluster set-up: Dask starts worker processes with ``MALLOC_TRIM_THRESHOLD_=65536``,
which makes the scorer's large temporary arrays about 50 % slower than in a plain
process; ``benchmarks/bench_dask.py`` (``start_cluster``) shows how to start
workers with glibc's defaults instead.
"""

from jhmatch.distributed._client import active_client, use_client
from jhmatch.distributed.decompose import DecomposedAllocation, allocate, dual_prices, regions_of
from jhmatch.distributed.executor import DaskExecutor
from jhmatch.distributed.scoring import partition_persons, recommend_posts, score

__all__ = [
    "DaskExecutor",
    "DecomposedAllocation",
    "active_client",
    "allocate",
    "dual_prices",
    "partition_persons",
    "recommend_posts",
    "regions_of",
    "score",
    "use_client",
]
