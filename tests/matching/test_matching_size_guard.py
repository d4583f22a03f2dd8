"""The size guard covers CompatibilityScorer.score itself (issue 15), not only the pipeline."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from jhmatch.datasets.uniform import synthetic_persons, synthetic_posts
from jhmatch.errors import SizeLimitError
from jhmatch.limits import set_memory_limit
from jhmatch.matching import CompatibilityScorer

AS_OF = "2025-06-30"


class Spread:
    """An executor that stands for one spreading work elsewhere (its memory is not ours)."""

    def map(self, fn, items):
        return [fn(x) for x in items]


@pytest.fixture
def tables():
    return synthetic_persons(10, seed=1), synthetic_posts(8, seed=2)


@pytest.fixture
def tiny_limit():
    set_memory_limit("1K")
    yield
    set_memory_limit(None)


def test_score_refuses_what_would_not_fit(tables, tiny_limit):
    with pytest.raises(SizeLimitError, match="scoring 10 persons against 8 posts"):
        CompatibilityScorer(as_of=AS_OF).score(*tables)
    with pytest.raises(SizeLimitError):  # threads share this process's memory
        CompatibilityScorer(as_of=AS_OF).score(*tables, executor=ThreadPoolExecutor(2))


def test_environment_limit_is_honoured(tables, monkeypatch):
    monkeypatch.setenv("JHMATCH_MEMORY_LIMIT", "2K")
    with pytest.raises(SizeLimitError):
        CompatibilityScorer(as_of=AS_OF).score(*tables)


def test_spreading_executor_skips_the_guard(tables, tiny_limit):
    sm = CompatibilityScorer(as_of=AS_OF).score(*tables, executor=Spread())
    assert sm.shape == (10, 8)


def test_within_the_limit_scores(tables):
    set_memory_limit("64G")
    try:
        assert CompatibilityScorer(as_of=AS_OF).score(*tables).shape == (10, 8)
    finally:
        set_memory_limit(None)
