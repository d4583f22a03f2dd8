"""Soak: allocate many random scenarios in one process and report memory growth.

Run: ``python benchmarks/bench_soak.py [--runs 200] [--out benchmarks/results/soak.json]``

Each run builds a random synthetic city (size and seed vary), runs the main job
(score, allocate under the plan's rules, progress) and records the process's
resident memory (RSS, from /proc) and Python's traced allocations. Growth is
measured after a warm-up (the first 10% of runs: imports, caches), as the slope
of RSS over the remaining runs and the difference between the last and the
first post-warm-up tenth.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import time
import tracemalloc
from pathlib import Path

import numpy as np

from jhmatch.datasets import make_jinhua
from jhmatch.pipeline import run_plan


def rss_mib() -> float:
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "soak.json")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    tracemalloc.start()
    rss, traced, times, placed = [], [], [], []
    t_all = time.perf_counter()
    for _ in range(args.runs):
        n = int(rng.integers(150, 600))
        city = make_jinhua(n_persons=n, seed=int(rng.integers(1 << 30)))
        t0 = time.perf_counter()
        run = run_plan(city.persons, city.posts)
        times.append(time.perf_counter() - t0)
        placed.append(run.allocation.n_placed)
        assert run.allocation.ok, run.allocation.message
        del run, city
        gc.collect()
        rss.append(rss_mib())
        traced.append(tracemalloc.get_traced_memory()[0] / 2**20)
    warm = max(1, args.runs // 10)
    steady = np.asarray(rss[warm:])
    slope = float(np.polyfit(np.arange(len(steady)), steady, 1)[0]) if len(steady) > 1 else 0.0
    tenth = max(1, len(steady) // 10)
    result = {
        "benchmark": "soak",
        "runs": args.runs,
        "warmup_runs": warm,
        "rss_mib_after_warmup": round(float(steady[:tenth].mean()), 1),
        "rss_mib_last_tenth": round(float(steady[-tenth:].mean()), 1),
        "rss_growth_mib": round(float(steady[-tenth:].mean() - steady[:tenth].mean()), 2),
        "rss_slope_mib_per_run": round(slope, 4),
        "traced_python_mib_after_warmup": round(float(np.mean(traced[warm:warm + tenth])), 2),
        "traced_python_mib_last_tenth": round(float(np.mean(traced[-tenth:])), 2),
        "median_run_seconds": round(float(np.median(times)), 3),
        "total_seconds": round(time.perf_counter() - t_all, 1),
        "placements_total": int(np.sum(placed)),
        "machine": {"cores": os.cpu_count(), "python": platform.python_version()},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(json.dumps(result, indent=2) + "\n")
    tmp.replace(args.out)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
