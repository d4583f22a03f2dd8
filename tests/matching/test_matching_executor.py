"""Blocks scored through any executor (``map(fn, items)``) give the serial result bit for bit;
the core imports no parallel runtime (issue 15)."""

from __future__ import annotations

import ast
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from jhmatch.data.schema import validate_persons, validate_posts
from jhmatch.datasets.uniform import synthetic_persons, synthetic_posts
from jhmatch.errors import ParameterError
from jhmatch.executor import SerialExecutor, active_executor, as_executor, use_executor
from jhmatch.matching import CompatibilityScorer

AS_OF = "2025-06-30"
MATCHING = Path(__file__).resolve().parents[2] / "src" / "jhmatch" / "matching"


@pytest.fixture(scope="module")
def tables():
    return validate_persons(synthetic_persons(160, seed=3)), validate_posts(synthetic_posts(70, seed=1003))


def identical(a, b) -> bool:
    return (np.array_equal(a.person_ids, b.person_ids) and np.array_equal(a.post_ids, b.post_ids)
            and np.array_equal(a.scores.indptr, b.scores.indptr) and np.array_equal(a.scores.indices, b.scores.indices)
            and a.scores.data.tobytes() == b.scores.data.tobytes() and list(a.components) == list(b.components)
            and all(a.components[k].data.tobytes() == b.components[k].data.tobytes() for k in a.components))


class Recording:
    """A minimal executor: only ``map``; records how many items it ran."""

    def __init__(self):
        self.items = 0

    def map(self, fn, iterable):
        for item in iterable:
            self.items += 1
            yield fn(item)


@pytest.mark.parametrize("params", [{}, {"top_k_persons": 3}, {"top_k": None}])
def test_every_executor_gives_the_serial_result_bit_for_bit(tables, params):
    persons, posts = tables
    serial = CompatibilityScorer(as_of=AS_OF, block_size=17, n_jobs=1, **params).score(persons, posts)
    recording = Recording()
    with ThreadPoolExecutor(3) as threads:
        for executor in (SerialExecutor(), threads, recording):
            got = CompatibilityScorer(as_of=AS_OF, block_size=17, **params).score(persons, posts, executor=executor)
            assert identical(got, serial), executor
    assert recording.items > 5  # the blocks went through the executor's map
    with use_executor(recording):  # the context form
        assert identical(CompatibilityScorer(as_of=AS_OF, block_size=17, **params).score(persons, posts), serial)


def test_blocks_pickle_to_other_processes(tables):
    persons, posts = tables
    serial = CompatibilityScorer(as_of=AS_OF, block_size=40, top_k_persons=2).score(persons, posts)
    scorer = CompatibilityScorer(as_of=AS_OF, block_size=40, top_k_persons=2)
    with ProcessPoolExecutor(2) as processes:
        assert identical(scorer.score(persons, posts, executor=processes), serial)
    e = scorer.explain(serial.person_ids[0], serial.post_ids[serial.scores.indices[0]])
    assert e.status == "candidate" and e.score == float(serial.scores.data[0])  # explain after any executor


def test_bad_executor_arguments_are_parameter_errors(tables):
    persons, posts = tables
    with pytest.raises(ParameterError, match="map"):
        CompatibilityScorer().score(persons, posts, executor=42)
    with pytest.raises(ParameterError, match="not both"):
        CompatibilityScorer().score(persons, posts, executor=SerialExecutor(), client=object())
    assert as_executor(SerialExecutor()).map(abs, [-2]) == [2] and active_executor() is None


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):  # function-level imports included
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_matching_source_imports_no_higher_layer():
    higher = ("jhmatch.distributed", "jhmatch.datasets", "jhmatch.optimize", "jhmatch.pipeline", "jhmatch.cli",
              "jhmatch.bench", "jhmatch.report", "jhmatch.policy", "dask", "distributed")
    bad = {f"{p.name}: {name}" for p in MATCHING.glob("*.py") for name in _imports(p) if name.startswith(higher)}
    assert not bad, sorted(bad)


def test_import_and_scoring_load_no_dask_datasets_or_distributed():
    code = """
import sys
import jhmatch.matching
loaded = {m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed') or m.startswith(('jhmatch.distributed', 'jhmatch.datasets'))}
assert not loaded, sorted(loaded)
import pandas as pd
persons = pd.DataFrame({"person_id": ["a"], "category": ["visual"], "grade": [1], "county": ["义乌"]})
posts = pd.DataFrame({"post_id": ["q"], "kind": ["blind_massage"], "county": ["义乌"], "capacity": [1]})
jhmatch.matching.CompatibilityScorer(as_of="2025-01-01").score(persons, posts)
loaded = {m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed') or m.startswith(('jhmatch.distributed', 'jhmatch.datasets'))}
assert not loaded, sorted(loaded)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
