"""Benchmark: CompatibilityScorer on make_jinhua(100,000 persons, 10,000 posts), top-50 per person.

Targets (issue 12 item 8): <= 30 s wall on 2 cores and <= 1.5 GiB peak memory for the
realistic ``jhmatch.datasets.make_jinhua`` tables. The easier ``_synthetic`` tables of
issue 3 (uniform draws, half without coordinates) are a second line.

The machine may be shared, so each line also times, in the same process and with the
same threads, a reference of the same shape: for every block of persons the scorer
uses, a float32 ``(rows x 64) @ (64 x candidate posts)`` product into a reused buffer,
then the 50 best columns of each row with ``np.argpartition``. Reported: wall and CPU
seconds of both, the ratios (score / matmul alone, score / matmul + top-50), the pairs
scored (rows x candidate posts summed over blocks), and peak memory: the process's
``ru_maxrss`` (each line runs in its own process) and the RSS sampled every 5 ms while
scoring. Run from the repository root:

    PYTHONPATH=src python benchmarks/bench_matching.py                    # both lines, n_jobs=1 and 2
    PYTHONPATH=src python benchmarks/bench_matching.py --datasets jinhua --jobs 2 --out /tmp/b.json
    PYTHONPATH=src python benchmarks/bench_matching.py --stages           # + CPU seconds per stage

``--stages`` adds one single-threaded make_jinhua run whose stages are timed (CPU
time, by wrapping the scorer's methods): each component's fit, bind (per block) and
evaluation (per chunk), the blocking step, the weighted sum, top-k and assembly.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy

from jhmatch.data.schema import validate_persons, validate_posts
from jhmatch.matching import CompatibilityScorer, LocationComponent
from jhmatch.matching.candidates import person_blocks

TARGET_SECONDS, TARGET_GIB = 30.0, 1.5


def peak_rss_gib() -> float:
    """Peak resident memory of this process so far (Linux: ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


class RssSampler:
    """Highest RSS seen by a thread sampling every ``interval`` seconds (psutil), in GiB."""

    def __init__(self, interval: float = 0.005):
        import psutil

        self.process, self.interval, self.peak = psutil.Process(), interval, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss / 2**30)
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def tables(dataset: str, n: int, m: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    if dataset == "jinhua":
        from jhmatch.datasets import make_jinhua

        s = make_jinhua(n_persons=n, n_posts=m, seed=seed)
        return s.persons, s.posts
    from jhmatch.datasets.uniform import synthetic_persons, synthetic_posts

    return synthetic_persons(n, seed=seed), synthetic_posts(m, seed=seed + 1)


def block_shapes(persons: pd.DataFrame, posts: pd.DataFrame, block: int, max_commute_km: float = 30.0) -> list:
    """(rows, candidate columns) of every block the scorer scores (its blocking, recomputed)."""
    persons = persons.sort_values("person_id", kind="stable").reset_index(drop=True)
    posts = posts.sort_values("post_id", kind="stable").reset_index(drop=True)
    loc = LocationComponent(max_commute_km).fit(persons, posts)
    has_xy = ~np.isnan(loc.plat_) & ~np.isnan(loc.plon_)
    groups = (loc.pc_.astype(np.int64) + 1) * 4 + loc.remote_ok_ * 2 + has_xy
    open_cols = np.flatnonzero(posts["capacity"].to_numpy() > 0)
    shapes = []
    for rows in person_blocks(groups, block, np.nan_to_num(loc.plat_)):
        cols = loc.candidate_columns(np.sort(rows), open_cols)
        if cols.size:
            shapes.append((rows.size, cols.size))
    return shapes


def reference(shapes: list, k: int, jobs: int, seed: int, features: int = 64) -> dict[str, float]:
    """Wall and CPU seconds of the float32 matmul, and of matmul + top-k, over the blocks' shapes."""
    from threadpoolctl import threadpool_limits

    rng = np.random.default_rng(seed)
    b_max, m_max = max(s[0] for s in shapes), max(s[1] for s in shapes)
    a = rng.random((b_max, features), dtype=np.float32)
    b = rng.random((features, m_max), dtype=np.float32)
    local = threading.local()

    def one(shape: tuple[int, int], select: bool) -> None:
        rows, cols = shape
        if getattr(local, "out", None) is None:
            local.out = np.empty((b_max, m_max), np.float32)
        out = local.out[:rows, :cols]
        np.matmul(a[:rows], b[:, :cols], out=out)
        if select and cols > k:
            np.argpartition(out, cols - k, axis=1)[:, cols - k:]

    times = {}
    with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(max_workers=jobs) as pool:
        for select in (False, True):
            w0, c0 = time.perf_counter(), time.process_time()
            list(pool.map(one, shapes, [select] * len(shapes)))
            name = "reference_matmul_topk" if select else "reference_matmul"
            times[name], times[name + "_cpu"] = time.perf_counter() - w0, time.process_time() - c0
    return times


def stages(args: argparse.Namespace) -> dict:
    """CPU seconds per stage of one single-threaded scoring of make_jinhua (wrapped methods)."""
    import functools


    spent: dict[str, float] = {}

    def timed(func: Callable, label: str) -> Callable:
        @functools.wraps(func)
        def wrapper(*a: Any, **k: Any) -> Any:
            start = time.process_time()
            try:
                return func(*a, **k)
            finally:
                spent[label] = spent.get(label, 0.0) + time.process_time() - start
        return wrapper

    persons, posts = tables("jinhua", args.persons, args.posts, args.seed)
    persons, posts = validate_persons(persons), validate_posts(posts)
    scorer = CompatibilityScorer(top_k=args.k, block_size=args.block, as_of="2025-06-30", n_jobs=1)
    components = scorer._components

    def wrapped_components() -> tuple:
        comps, weights = components()
        for name, comp in comps.items():
            comp.fit = timed(comp.fit, f"fit {name}")
            bind = comp.bind
            comp.bind = timed(lambda cols, bind=bind, name=name: timed(bind(cols), f"evaluate {name}"),
                              f"bind {name}")
        return comps, weights

    scorer._components = wrapped_components
    from jhmatch.matching import _blockscore

    original_weighted, original_call = _blockscore.weighted_total, _blockscore.BlockScorer.__call__
    _blockscore.weighted_total = timed(original_weighted, "chunks: evaluate + weighted sum")
    _blockscore.BlockScorer.__call__ = timed(original_call, "blocks (all but fit and assembly)")
    scorer._assemble = timed(scorer._assemble, "assemble ScoreMatrix")
    original_top_k = _blockscore.top_k_per_row
    _blockscore.top_k_per_row = timed(original_top_k, "top-k per row")
    original_columns = LocationComponent.candidate_columns
    LocationComponent.candidate_columns = timed(original_columns, "blocking (candidate columns)")
    try:
        start = time.process_time()
        scorer.score(persons, posts)
        total = time.process_time() - start
    finally:
        _blockscore.top_k_per_row = original_top_k
        LocationComponent.candidate_columns = original_columns
        _blockscore.weighted_total, _blockscore.BlockScorer.__call__ = original_weighted, original_call
    evaluated = sum(v for k, v in spent.items() if k.startswith("evaluate "))
    spent["weighted sum and exclusions"] = spent["chunks: evaluate + weighted sum"] - evaluated
    spent["other block work (zeroing, picks, joining)"] = (spent["blocks (all but fit and assembly)"]
                                                         - spent["chunks: evaluate + weighted sum"]
                                                         - spent["top-k per row"] - spent["blocking (candidate columns)"]
                                                         - sum(v for k, v in spent.items() if k.startswith("bind ")))
    return {"dataset": "make_jinhua", "n_jobs": 1, "total_cpu": round(total, 2),
            "cpu_seconds": {k: round(v, 2) for k, v in sorted(spent.items(), key=lambda kv: -kv[1])}}


def run_one(args: argparse.Namespace, dataset: str, jobs: int) -> dict:
    w0 = time.perf_counter()
    persons, posts = tables(dataset, args.persons, args.posts, args.seed)
    t_gen = time.perf_counter() - w0
    w0 = time.perf_counter()
    persons, posts = validate_persons(persons), validate_posts(posts)  # marks them: score() skips it
    t_validate = time.perf_counter() - w0
    shapes = block_shapes(persons, posts, args.block)
    pairs = int(sum(r * c for r, c in shapes))
    ref = reference(shapes, args.k, jobs, args.seed)
    scorer = CompatibilityScorer(top_k=args.k, block_size=args.block, as_of="2025-06-30", n_jobs=jobs)
    with RssSampler() as rss:
        w0, c0 = time.perf_counter(), time.process_time()
        sm = scorer.score(persons, posts)
        t_score, c_score = time.perf_counter() - w0, time.process_time() - c0
    peak = peak_rss_gib()
    return {
        "dataset": "make_jinhua" if dataset == "jinhua" else "_synthetic",
        "persons": args.persons, "posts": args.posts, "top_k": args.k, "block_size": args.block, "n_jobs": jobs,
        "pairs_considered": args.persons * args.posts, "pairs_scored": pairs, "blocks": len(shapes),
        "candidate_pairs_kept": int(sm.nnz),
        "seconds": {"generate": round(t_gen, 2), "validate": round(t_validate, 2), "score": round(t_score, 2),
                    "score_cpu": round(c_score, 2), **{k: round(v, 2) for k, v in ref.items()}},
        "ns_per_pair_scored": round(t_score / pairs * 1e9, 2),
        "ratio_score_to_matmul": round(t_score / ref["reference_matmul"], 2),
        "ratio_score_to_matmul_topk": round(t_score / ref["reference_matmul_topk"], 2),
        "ratio_cpu_score_to_matmul_topk": round(c_score / ref["reference_matmul_topk_cpu"], 2),
        "peak_rss_gib": round(peak, 3), "peak_rss_scoring_gib": round(rss.peak, 3),
        "load_avg_1min_at_end": round(os.getloadavg()[0], 2),
        "targets": {f"score_seconds_le_{TARGET_SECONDS:g}": t_score <= TARGET_SECONDS,
                    f"peak_gib_le_{TARGET_GIB:g}": peak <= TARGET_GIB},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--k", type=int, default=50)
    parser.add_argument("--block", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--datasets", default="jinhua,synthetic", help="comma-separated: jinhua, synthetic")
    parser.add_argument("--jobs", default="1,2", help="comma-separated CompatibilityScorer n_jobs (threads)")
    parser.add_argument("--out", default=str(Path(__file__).parent / "results" / "bench_matching.json"))
    parser.add_argument("--stages", action="store_true", help="also time each stage (one single-threaded run)")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: "dataset:jobs", one line, JSON on stdout
    args = parser.parse_args()
    if args.one:
        if args.one == "stages":
            print(json.dumps(stages(args)))
            return
        dataset, jobs = args.one.split(":")
        print(json.dumps(run_one(args, dataset, int(jobs))))
        return
    def child(one: str) -> dict:  # each line in its own process: its peak memory is its own
        cmd = [sys.executable, __file__, "--one", one, "--persons", str(args.persons), "--posts", str(args.posts),
               "--k", str(args.k), "--block", str(args.block), "--seed", str(args.seed)]
        line = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
        print(json.dumps(line), flush=True)
        return line

    lines = [child(f"{dataset}:{jobs}") for dataset in args.datasets.split(",") for jobs in args.jobs.split(",")]
    result = {
        "benchmark": "matching.CompatibilityScorer.score",
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "command": f"PYTHONPATH=src python benchmarks/bench_matching.py --persons {args.persons} --posts {args.posts} "
                   f"--k {args.k} --block {args.block} --seed {args.seed} --datasets {args.datasets} --jobs {args.jobs}"
                   + (" --stages" if args.stages else ""),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "numpy": np.__version__,
                    "scipy": scipy.__version__, "pandas": pd.__version__},
        "targets": {"issue": 12, "score_seconds": TARGET_SECONDS, "peak_gib": TARGET_GIB,
                    "on": "make_jinhua, 2 cores (n_jobs=2)"},
        "reference": "per block of the scorer: float32 (rows x 64) @ (64 x candidate posts) into a reused "
                     "buffer, then np.argpartition top-50 per row; same threads as the scorer, BLAS 1 thread each",
        "results": lines,
    }
    if args.stages:
        result["stages"] = child("stages")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written {out}")


if __name__ == "__main__":
    main()
