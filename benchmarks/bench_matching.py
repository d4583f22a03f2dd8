"""Benchmark: CompatibilityScorer on 100,000 persons x 10,000 posts, top-50 per person.

Targets (issue 3): <= 60 s wall, <= 4 GiB peak memory, and at most 3x the time of
a plain float32 numpy matmul with the same output shape (persons x posts), run in
the same process. The reference matmul is (n x 64) @ (64 x m), computed in the
same row blocks into one reused output buffer (a full 100,000 x 10,000 float32
output would itself need 4 GB).

Inputs are synthetic and seeded (``jhmatch.matching._synthetic``): categories,
grades, counties, skills, preferences, accommodations; half of persons and posts
have coordinates. Run from the repository root:

    PYTHONPATH=src python benchmarks/bench_matching.py            # full size
    PYTHONPATH=src python benchmarks/bench_matching.py --persons 10000 --out /tmp/small.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import time
from pathlib import Path

import numpy as np
import scipy

from jhmatch.data.schema import validate_persons, validate_posts
from jhmatch.matching import CompatibilityScorer
from jhmatch.matching._synthetic import synthetic_persons, synthetic_posts


def peak_rss_gib() -> float:
    """Peak resident memory of this process so far (Linux: ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def reference_matmul(n: int, m: int, block: int, features: int = 64, seed: int = 0) -> float:
    rng = np.random.default_rng(seed)
    a = rng.random((n, features), dtype=np.float32)
    b = rng.random((features, m), dtype=np.float32)
    out = np.empty((block, m), np.float32)
    start = time.perf_counter()
    for s in range(0, n, block):
        rows = a[s:s + block]
        np.matmul(rows, b, out=out[:rows.shape[0]])
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--k", type=int, default=50)
    parser.add_argument("--block", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default=str(Path(__file__).parent / "results" / "bench_matching.json"))
    args = parser.parse_args()

    t0 = time.perf_counter()
    persons = synthetic_persons(args.persons, seed=args.seed)
    posts = synthetic_posts(args.posts, seed=args.seed + 1)
    t_gen = time.perf_counter() - t0
    t0 = time.perf_counter()
    persons, posts = validate_persons(persons), validate_posts(posts)
    t_validate = time.perf_counter() - t0

    t_ref = reference_matmul(args.persons, args.posts, args.block, seed=args.seed)

    scorer = CompatibilityScorer(top_k=args.k, block_size=args.block, as_of="2025-06-30")
    t0 = time.perf_counter()
    sm = scorer.score(persons, posts)
    t_score = time.perf_counter() - t0
    peak = peak_rss_gib()

    result = {
        "benchmark": "matching.CompatibilityScorer.score",
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "command": f"PYTHONPATH=src python benchmarks/bench_matching.py --persons {args.persons} "
                   f"--posts {args.posts} --k {args.k} --block {args.block} --seed {args.seed}",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "numpy": np.__version__,
                    "scipy": scipy.__version__, "load_avg_1min_at_end": os.getloadavg()[0]},
        "persons": args.persons, "posts": args.posts, "top_k": args.k, "block_size": args.block,
        "pairs_considered": args.persons * args.posts,
        "candidate_pairs_kept": sm.nnz,
        "seconds": {"generate": round(t_gen, 2), "validate": round(t_validate, 2), "score": round(t_score, 2),
                    "reference_matmul_f32_64": round(t_ref, 2)},
        "ratio_score_to_matmul": round(t_score / t_ref, 2),
        "peak_rss_gib": round(peak, 3),
        "targets": {"score_seconds_le_60": t_score <= 60, "peak_gib_le_4": peak <= 4.0,
                    "ratio_le_3": t_score / t_ref <= 3},
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
