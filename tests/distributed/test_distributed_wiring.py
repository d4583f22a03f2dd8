"""The public functions take ``client=`` (or ``use_client``) and give the local results."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("distributed")

from jhmatch.datasets import make_jinhua
from jhmatch.distributed import use_client
from jhmatch.matching import CompatibilityScorer
from jhmatch.optimize import AllocationProblem, solve


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      memory_limit="1GiB") as cluster, Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def city():
    return make_jinhua(n_persons=800, seed=21)


def same(a, b):
    return (np.array_equal(a.scores.indptr, b.scores.indptr) and np.array_equal(a.scores.indices, b.scores.indices)
            and np.array_equal(a.scores.data, b.scores.data) and list(a.person_ids) == list(b.person_ids))


def test_scorer_with_client_equals_local(client, city):
    scorer = CompatibilityScorer(as_of="2025-12-31")
    local = scorer.score(city.persons, city.posts)
    assert same(CompatibilityScorer(as_of="2025-12-31").score(city.persons, city.posts, client=client), local)
    with use_client(client):
        assert same(CompatibilityScorer(as_of="2025-12-31").score(city.persons, city.posts), local)


def test_solve_decompose_with_client_is_feasible_and_near_the_flow_optimum(client, city):
    sm = CompatibilityScorer(as_of="2025-12-31").score(city.persons, city.posts)
    problem = AllocationProblem.from_frames(sm, city.persons, city.posts)
    exact = solve(problem, method="flow")
    dec = solve(problem, method="decompose", client=client)
    assert dec.assignments["person_id"].is_unique
    assert dec.objective <= exact.objective + 1e-6
    assert dec.objective >= exact.objective * (1 - 1e-3)
