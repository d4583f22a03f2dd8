"""A solver that fails gives a status and a message, never a crash; the CLI says so and exits 1."""

from __future__ import annotations

import pandas as pd
import pytest

from jhmatch.errors import JhmatchError, SizeLimitError, SolverError
from jhmatch.matching.score_matrix import ScoreMatrix
from jhmatch.optimize import BACKENDS, AllocationProblem, Status, solve


@pytest.fixture()
def problem():
    sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a", "a", "b"], "post_id": ["x", "y", "x"],
                                              "score": [0.9, 0.5, 0.8]}))
    return AllocationProblem(sm, [1, 1])


@pytest.mark.parametrize("failure", [SolverError("HiGHS returned status 4"), RuntimeError("segfault-like"),
                                     OSError("solver binary missing")])
def test_failing_backend_gives_error_status(problem, monkeypatch, failure):
    def broken(self, problem, options):
        raise failure

    monkeypatch.setattr(type(BACKENDS["flow"]), "solve", broken)
    result = solve(problem, method="flow")
    assert result.status is Status.ERROR and not result.ok
    assert type(failure).__name__ in result.message and str(failure) in result.message
    assert result.n_placed == 0 and len(result.unplaced) == 2
    assert set(result.unplaced["reason"]) == {"the solver failed; nobody was allocated"}
    with pytest.raises(SolverError, match="solver failed"):
        result.raise_for_status()


def test_memory_error_in_a_backend_becomes_a_size_refusal(problem, monkeypatch):
    def hungry(self, problem, options):
        raise MemoryError()

    monkeypatch.setattr(type(BACKENDS["flow"]), "solve", hungry)
    with pytest.raises(SizeLimitError, match="ran out of memory; keep fewer candidate posts") as info:
        solve(problem, method="flow")
    assert isinstance(info.value, JhmatchError) and isinstance(info.value.__cause__, MemoryError)


def test_programming_errors_are_not_swallowed(problem, monkeypatch):
    def buggy(self, problem, options):
        raise KeyError("a bug")

    monkeypatch.setattr(type(BACKENDS["flow"]), "solve", buggy)
    with pytest.raises(KeyError):
        solve(problem, method="flow")
