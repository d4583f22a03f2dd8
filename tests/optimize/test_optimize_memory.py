"""The size guard: real process limits, refused bad limits, clean refusals instead of MemoryError."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest

from jhmatch import limits
from jhmatch.errors import ParameterError, SizeLimitError
from jhmatch.matching.score_matrix import ScoreMatrix
from jhmatch.optimize import AllocationProblem, solve


@pytest.fixture(autouse=True)
def _restore():
    yield
    limits.set_memory_limit(None)


@pytest.mark.parametrize("bad", ["inf", "nan", "-1G", "0", "lots", "1e400"])
def test_bad_environment_limits_are_refused(monkeypatch, bad) -> None:
    monkeypatch.setenv("JHMATCH_MEMORY_LIMIT", bad)
    with pytest.raises(ParameterError, match="JHMATCH_MEMORY_LIMIT"):
        limits.memory_limit()


@pytest.mark.parametrize("bad", [float("inf"), float("nan"), -5, 0, "inf", True])
def test_bad_set_limits_are_refused(bad) -> None:
    with pytest.raises(ParameterError, match="memory limit"):
        limits.set_memory_limit(bad)


def test_configured_limit_refuses_with_a_suggestion() -> None:
    limits.set_memory_limit("1M")
    sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": [f"p{i}" for i in range(2000)], "post_id": "x",
                                              "score": 0.5}))
    with pytest.raises(SizeLimitError, match="configured limit") as info:
        solve(AllocationProblem(sm, [10]))
    assert "keep fewer candidate posts per person" in str(info.value)


def _write(path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_cgroup_v2_and_v1_limits_are_read(tmp_path, monkeypatch) -> None:
    v2 = tmp_path / "v2"
    _write(v2 / "memory.max", "4294967296\n")
    _write(v2 / "memory.current", "1073741824\n")
    _write(v2 / "memory.stat", "anon 1\ninactive_file 536870912\n")
    assert limits.cgroup_memory(str(v2)) == (4 * 2**30, 2**29)
    v1 = tmp_path / "v1"
    _write(v1 / "memory" / "memory.limit_in_bytes", str(2 * 2**30))
    _write(v1 / "memory" / "memory.usage_in_bytes", str(2**30))
    _write(v1 / "memory" / "memory.stat", "total_inactive_file 0\n")
    assert limits.cgroup_memory(str(v1)) == (2 * 2**30, 2**30)
    _write(tmp_path / "none" / "memory.max", "max\n")
    _write(tmp_path / "none" / "memory.current", "1\n")
    assert limits.cgroup_memory(str(tmp_path / "none")) is None
    # a container limit below the configured one becomes the budget
    monkeypatch.setattr(limits, "_CGROUP_ROOT", str(v2))
    budget, source = limits.memory_budget()
    assert budget == 4 * 2**30 - 2**29 and source == limits.SOURCE_CGROUP
    assert limits.memory_limit() <= 4 * 2**30


_UNDER_RLIMIT = textwrap.dedent("""
    import resource, sys
    import numpy as np, scipy.sparse as sp
    from jhmatch.errors import SizeLimitError
    from jhmatch.matching.score_matrix import ScoreMatrix
    from jhmatch.optimize import AllocationProblem, CategoryFloor, RegionFloor, solve
    solve_mod = sys.modules['jhmatch.optimize.solve']
    from jhmatch import limits

    n, m, k = 200_000, 2_000, 8  # 1.6 million candidate pairs: about 2.2 GiB to solve
    rng = np.random.default_rng(0)
    cols = (rng.integers(0, m, n)[:, None] + 7 * np.arange(k)) % m  # distinct posts per person
    cols.sort(axis=1)
    sm = ScoreMatrix(sp.csr_array((np.full(n * k, 0.5), cols.ravel(), np.arange(0, n * k + 1, k)), shape=(n, m)),
                     np.arange(n).astype(str), np.arange(m).astype(str))
    import pandas as pd
    persons = pd.DataFrame({"person_id": sm.person_ids, "county": rng.choice(["330702", "330782"], n),
                            "category": rng.choice(["visual", "physical"], n)})
    posts = pd.DataFrame({"post_id": sm.post_ids, "county": "330702", "kind": "kiosk"})
    problem = AllocationProblem.from_frames(sm, persons, posts.assign(capacity=50),
                                            constraints=[RegionFloor(minimum=1), CategoryFloor(minimum=1)])
    used = limits.address_space() or (0, 0)
    vm = int(open("/proc/self/status").read().split("VmSize:")[1].split()[0]) * 1024
    cap = vm + 700 * 2**20  # 700 MiB of address space left
    resource.setrlimit(resource.RLIMIT_AS, (cap, resource.getrlimit(resource.RLIMIT_AS)[1]))
    if sys.argv[1] == "guard":
        try:
            solve(problem, time_limit=60)
        except SizeLimitError as exc:
            print("REFUSED", exc)
    else:  # the estimate is wrong on purpose: the MemoryError inside solve must still come out typed
        solve_mod.estimate_allocation_bytes = lambda *a, **kw: 0.0
        from jhmatch.optimize.backends import milp
        milp.MilpBackend.lagrange_min_pairs = 10**12  # the HiGHS path, which needs the memory
        # Where memory runs out decides how it shows: numpy raises MemoryError, but HiGHS's C++
        # std::bad_alloc aborts the process, which no Python code can catch. Building the model in
        # numpy under the lowered limit is the part jhmatch controls; stop there deterministically.
        build = milp.build_model
        def build_then_fail(*a, **kw):
            build(*a, **kw)
            np.ones(2**31)  # 16 GiB: beyond any address space left, a real MemoryError from numpy
        milp.build_model = build_then_fail
        try:
            result = solve(problem, time_limit=60)
            print("STATUS", result.status.value, result.message[:200])
        except SizeLimitError as exc:
            print("TYPED", type(exc.__cause__).__name__, exc)
""")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS and /proc are Linux features")
@pytest.mark.parametrize("mode", ["guard", "escape"])
def test_lowered_address_space_gives_a_clean_refusal(mode) -> None:
    out = subprocess.run([sys.executable, "-c", _UNDER_RLIMIT, mode], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    assert "Traceback" not in out.stderr and "MemoryError" not in out.stderr
    if mode == "guard":
        assert out.stdout.startswith("REFUSED"), out.stdout
        assert "address-space limit of this process (ulimit -v)" in out.stdout
        assert "keep fewer candidate posts per person" in out.stdout
    else:
        assert out.stdout.startswith(("TYPED MemoryError", "STATUS error")), out.stdout


def test_estimates_grow_with_the_pairs() -> None:
    small = limits.estimate_allocation_bytes(100, 10, 1_000)
    assert limits.estimate_allocation_bytes(100, 10, 2_000) > small
    assert limits.estimate_scoring_bytes(1_000, 100, top_k=10) < limits.estimate_scoring_bytes(1_000, 100, top_k=50)
    assert np.isfinite(limits.estimate_scoring_bytes(10, 10, top_k=None))
