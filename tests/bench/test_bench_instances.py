"""OR-Library readers of the suite, checked against scipy on the raw cost matrices."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment

from jhmatch.bench.instances import ASSIGN_OPTIMA, find_shared_benchmarks, orlib_assignment, orlib_gap
from jhmatch.errors import ParameterError


def test_assignment_reader_and_units(shared_dir: Path) -> None:
    path = shared_dir / "benchmarks" / "orlib-assign" / "assign100.txt"
    inst = orlib_assignment(path)
    tokens = np.array(path.read_text().split(), dtype=np.int64)
    n = int(tokens[0])
    cost = tokens[1:].reshape(n, n)
    r, c = linear_sum_assignment(cost)
    assert cost[r, c].sum() == ASSIGN_OPTIMA["assign100"] == inst.optimum
    # the same permutation, as a jhmatch objective, converts back to the cost
    objective = float(((inst.scale - cost[r, c]) / inst.scale).sum())
    assert round(inst.to_units(objective)) == ASSIGN_OPTIMA["assign100"]
    assert inst.problem.n_pairs == n * n and inst.sense == "min"


def test_gap_reader(shared_dir: Path) -> None:
    folder = shared_dir / "benchmarks" / "orlib-gap"
    instances = orlib_gap(folder / "raw" / "gap1.txt", folder / "bounds.txt")
    assert [i.name for i in instances] == [f"c0515_{k}" for k in range(1, 6)]
    assert [i.optimum for i in instances] == [336, 327, 339, 341, 326]  # OR-Library's table
    first = instances[0]
    assert first.problem.n_persons == 15 and first.problem.n_posts == 5 and first.problem.usage is not None
    with pytest.raises(ParameterError):
        orlib_gap(folder / "raw" / "gapa.txt", folder / "bounds.txt")


def test_find_shared_benchmarks_honours_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "benchmarks" / "orlib-gap").mkdir(parents=True)
    monkeypatch.setenv("JHMATCH_SHARED", str(tmp_path))
    assert find_shared_benchmarks() == tmp_path / "benchmarks"
    monkeypatch.delenv("JHMATCH_SHARED")
    lonely = tmp_path / "a" / "b"
    lonely.mkdir(parents=True)
    assert find_shared_benchmarks(lonely) is None  # no shared/benchmarks above a temporary folder
