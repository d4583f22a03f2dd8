"""Benchmark the synthetic Jinhua scenario and the hidden outcome model.

Measures, for each size, the time to generate a scenario with :func:`make_jinhua`
and the time to validate its four tables with the ``validate_*`` functions, then
the time of :func:`simulate_outcomes` over random pairs and of
:func:`simulate_history`. The target (issue 2) is 1,000,000 persons generated and
validated in under a minute. Results go to ``benchmarks/results/datasets.json``.

Run::

    PYTHONPATH=src python benchmarks/bench_datasets.py            # 100 … 1,000,000 persons
    PYTHONPATH=src python benchmarks/bench_datasets.py --quick    # 100 … 10,000 persons
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import time
from pathlib import Path

import numpy as np
import pandas as pd

from jhmatch.data.schema import validate_employers, validate_households, validate_persons, validate_posts
from jhmatch.datasets import make_jinhua, simulate_history, simulate_outcomes

TARGET_SECONDS = 60.0


def bench_size(n: int, seed: int) -> dict:
    t0 = time.perf_counter()
    s = make_jinhua(n_persons=n, seed=seed)
    t1 = time.perf_counter()
    validate_persons(s.persons)
    validate_posts(s.posts)
    validate_employers(s.employers)
    validate_households(s.households)
    t2 = time.perf_counter()
    rng = np.random.default_rng(seed)
    n_pairs = min(10 * n, 1_000_000)
    pairs = pd.DataFrame({"person_id": s.persons["person_id"].to_numpy()[rng.integers(0, n, n_pairs)],
                          "post_id": s.posts["post_id"].to_numpy()[rng.integers(0, len(s.posts), n_pairs)]})
    t3 = time.perf_counter()
    out = simulate_outcomes(s, pairs=pairs, seed=seed)
    t4 = time.perf_counter()
    n_hist = min(n, 100_000)
    simulate_history(s, n_hist, seed=seed)
    t5 = time.perf_counter()
    row = {
        "n_persons": n, "n_posts": len(s.posts), "n_employers": len(s.employers), "n_households": len(s.households),
        "generate_s": round(t1 - t0, 3), "validate_s": round(t2 - t1, 3), "total_s": round(t2 - t0, 3),
        "within_target": (t2 - t0) < TARGET_SECONDS,
        "outcome_pairs": n_pairs, "simulate_outcomes_s": round(t4 - t3, 3),
        "mean_success_probability": round(float(out.probability.mean()), 4),
        "history_placements": n_hist, "simulate_history_s": round(t5 - t4, 3),
    }
    print(json.dumps(row), flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="sizes up to 10,000 only")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "datasets.json")
    args = parser.parse_args()
    sizes = [100, 1_000, 10_000] if args.quick else [100, 10_000, 100_000, 1_000_000]
    rows = [bench_size(n, args.seed) for n in sizes]
    result = {
        "benchmark": "datasets", "target": f"{TARGET_SECONDS:g} s for 1,000,000 persons (generate + validate)",
        "python": platform.python_version(), "numpy": np.__version__, "pandas": pd.__version__,
        "machine": platform.machine(), "cpus": os.cpu_count(),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "results": rows,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
