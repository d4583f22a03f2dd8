"""Zhejiang-sized scale-out on a Dask LocalCluster: distributed scoring and decomposed allocation; writes JSON.

Scenario
    Zhejiang has 11 prefecture-level cities. jhmatch's schema knows only Jinhua's 9
    counties (``jhmatch.taxonomy``), so the province is built as 11 synthetic
    "cities", each a :func:`jhmatch.datasets.make_jinhua` scenario with its own
    seed (``seed + k``) and ids prefixed by the city number (``"03-..."``), with an
    even share of the seekers and posts (target 500,000 x 100,000). Each city is
    scored against its own posts (:func:`jhmatch.distributed.score`, persons
    partitioned by county, the city's posts broadcast to every worker) — scoring
    the whole province against all posts at once would match persons to same-named
    counties of other cities. The cities' ScoreMatrices are stacked block-diagonally
    (ids sort by city prefix, so the stack is in ScoreMatrix order) and the province
    is allocated by :func:`jhmatch.distributed.allocate` with one region per
    city x county (99 regions; shared posts: remote posts and posts within
    commuting distance of another county), reporting the gap to its Lagrangian/LP
    dual bound.

Cluster
    ``LocalCluster(n_workers, threads_per_worker=1, processes=True, memory_limit=...)``;
    the memory limit is set below the size of the province's tables and score
    matrix, so the problem does not fit one worker. Peak memory per worker is the
    worker processes' peak RSS (``ru_maxrss``). Strong scaling of scoring (1 vs 2
    workers) runs on the first ``--scaling-cities`` cities. The machine has 2 cores
    shared with other jobs: the load average is recorded beside the timings.

Usage::

    PYTHONPATH=src python benchmarks/bench_dask.py --quick            # development size
    PYTHONPATH=src python benchmarks/bench_dask.py                    # 500,000 x 100,000
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
import scipy.sparse as sp

from jhmatch.datasets import make_jinhua
from jhmatch.distributed import allocate, score
from jhmatch.errors import SolverError
from jhmatch.matching import CompatibilityScorer, ScoreMatrix
from jhmatch.optimize import AllocationProblem, PriorityWeights, solve

CITIES = ("Hangzhou", "Ningbo", "Wenzhou", "Jiaxing", "Huzhou", "Shaoxing", "Jinhua", "Quzhou", "Zhoushan",
          "Taizhou", "Lishui")


def build_province(n_persons: int, n_posts: int, n_cities: int, seed: int) -> list[tuple[pd.DataFrame, pd.DataFrame]]:
    """One (persons, posts) pair per city, ids prefixed by the city number."""
    out = []
    for k in range(n_cities):
        np_k = n_persons // n_cities + (k < n_persons % n_cities)
        nq_k = n_posts // n_cities + (k < n_posts % n_cities)
        sc = make_jinhua(np_k, nq_k, seed=seed + k)
        prefix = f"{k:02d}-"
        persons = sc.persons.copy()
        posts = sc.posts.copy()
        for frame, cols in ((persons, ("person_id", "household_id")), (posts, ("post_id", "employer_id", "site_id"))):
            for col in cols:
                if col in frame.columns:
                    frame[col] = prefix + frame[col].astype(str)
        persons["city"] = CITIES[k % len(CITIES)]
        posts["city"] = CITIES[k % len(CITIES)]
        out.append((persons, posts))
    return out


def stack(parts: list[ScoreMatrix]) -> ScoreMatrix:
    """Block-diagonal province ScoreMatrix from the cities' (disjoint persons and posts)."""
    scores = sp.csr_array(sp.block_diag([p.scores for p in parts], format="csr"))
    return ScoreMatrix(scores, np.concatenate([p.person_ids for p in parts]),
                       np.concatenate([p.post_ids for p in parts]))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def start_cluster(n_workers: int, memory_limit: str):
    import dask

    import distributed

    # a hard limit: no spilling or pausing (they hide the limit); the nanny kills a worker above 98 %
    dask.config.set({"distributed.worker.memory.target": False, "distributed.worker.memory.spill": False,
                     "distributed.worker.memory.pause": False, "distributed.worker.memory.terminate": 0.98})

    cluster = distributed.LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                                       memory_limit=memory_limit, dashboard_address=None, silence_logs=40)
    return cluster, distributed.Client(cluster)


def score_cities(cities, scorer, client) -> tuple[list[ScoreMatrix], float]:
    t0 = time.perf_counter()
    sms = [score(p, q, scorer, client=client, components=False) for p, q in cities]
    return sms, time.perf_counter() - t0


def frame_mb(frame: pd.DataFrame) -> float:
    return float(frame.memory_usage(deep=True).sum()) / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=500_000)
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--cities", type=int, default=11)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory-limit", default="512MiB", help="per worker")
    parser.add_argument("--top-k", type=int, default=20)
    parser.add_argument("--max-iter", type=int, default=20)
    parser.add_argument("--scaling-cities", type=int, default=1,
                        help="cities in the 1-vs-2-worker scoring table (0: skip the table)")
    parser.add_argument("--regions", default="city_county,city",
                        help="decompositions to run, in order (city_county: 99 regions, city: 11)")
    parser.add_argument("--block-size", type=int, default=500, help="scorer block size (memory per task)")
    parser.add_argument("--monolithic", action=argparse.BooleanOptionalAction, default=None,
                        help="also solve the whole province in this process (default: only with --quick)")
    parser.add_argument("--quick", action="store_true", help="22,000 x 4,400 for development")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default=str(Path(__file__).parent / "results" / "dask.json"))
    args = parser.parse_args()
    if args.quick:
        args.persons, args.posts = 22_000, 4_400
    if args.monolithic is None:
        args.monolithic = args.quick
    result: dict = {
        "benchmark": "bench_dask",
        "command": "PYTHONPATH=src python benchmarks/bench_dask.py " + " ".join(__import__("sys").argv[1:]),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "loadavg_start": os.getloadavg()},
        "scenario": {"persons": args.persons, "posts": args.posts, "cities": args.cities, "top_k": args.top_k,
                     "seed": args.seed},
        "cluster": {"workers": args.workers, "threads_per_worker": 1, "memory_limit_per_worker": args.memory_limit},
    }
    t0 = time.perf_counter()
    cities = build_province(args.persons, args.posts, args.cities, args.seed)
    result["scenario"]["build_s"] = round(time.perf_counter() - t0, 2)
    persons = pd.concat([p for p, _ in cities], ignore_index=True)
    posts = pd.concat([q for _, q in cities], ignore_index=True)
    result["scenario"]["persons_table_mb"] = round(frame_mb(persons), 1)
    result["scenario"]["posts_table_mb"] = round(frame_mb(posts), 1)
    scorer = CompatibilityScorer(as_of="2025-01-01", top_k=args.top_k, block_size=args.block_size)
    result["scenario"]["block_size"] = args.block_size

    cluster, client = start_cluster(args.workers, args.memory_limit)
    try:
        sms, t_score = score_cities(cities, scorer, client)
        sm = stack(sms)
        del sms
        sm_mb = (sm.scores.data.nbytes + sm.scores.indices.nbytes + sm.scores.indptr.nbytes) / 2**20
        print("scored", round(t_score, 1), "s", flush=True)
        result["scoring"] = {"wall_s": round(t_score, 2), "pairs": sm.nnz, "score_matrix_mb": round(sm_mb, 1),
                             "partitions": "one per county, 9 per city; posts broadcast per city"}
        order = pd.Index(persons["person_id"].astype(str)).get_indexer(sm.person_ids.astype(str))
        aligned = persons.iloc[order].reset_index(drop=True)
        qorder = pd.Index(posts["post_id"].astype(str)).get_indexer(sm.post_ids.astype(str))
        problem = AllocationProblem(sm, posts["capacity"].to_numpy()[qorder], PriorityWeights().of(aligned))
        result["allocation"] = {}
        choices = {"city_county": (aligned["city"].astype(str) + "|" + aligned["county"].astype(str)).to_numpy(),
                   "city": aligned["city"].astype(str).to_numpy()}
        for name in args.regions.split(","):
            regions = choices[name]
            t1 = time.perf_counter()
            try:
                res = allocate(problem, client=client, regions=regions, max_iter=args.max_iter, tol=1e-4)
            except SolverError as exc:  # e.g. one region's flow does not fit a worker's memory limit
                result["allocation"][name] = {"wall_s": round(time.perf_counter() - t1, 2), "failed": str(exc)[:400]}
                print(name, "failed", exc, flush=True)
                try:
                    client.wait_for_workers(args.workers, timeout=120)
                except Exception as exc2:
                    result["allocation"][name]["restart"] = str(exc2)[:200]
                continue
            result["allocation"][name] = {
                "wall_s": round(time.perf_counter() - t1, 2), "status": res.status.value,
                "objective": res.objective, "bound": res.bound, "gap_to_bound": res.gap, "placed": res.n_placed,
                "regions": res.n_regions, "shared_posts": res.n_shared_posts,
                "master_persons": res.n_master_persons, "iterations": res.iterations,
            }
            print(name, result["allocation"][name], flush=True)
            if name == "city_county":
                res_cc = res
        peaks = client.run(lambda: __import__("resource").getrusage(
            __import__("resource").RUSAGE_SELF).ru_maxrss / 1024.0)
        result["cluster"]["peak_rss_mb_per_worker"] = {k: round(v, 1) for k, v in sorted(peaks.items())}
        result["cluster"]["note"] = ("peak RSS since each worker process started; a worker restarted after "
                                     "exceeding its limit would show a fresh (lower) peak")
        result["fits_one_worker"] = {
            "tables_mb": round(result["scenario"]["persons_table_mb"] + result["scenario"]["posts_table_mb"], 1),
            "score_matrix_with_components_mb": round(7 * sm_mb, 1),
            "worker_limit": args.memory_limit,
            "note": ("a single process holds both tables and the ScoreMatrix with its 6 component matrices "
                     "(what CompatibilityScorer.score returns), on top of ~250 MB of imports"),
        }
    finally:
        client.close()
        cluster.close()
    result["driver_peak_rss_mb"] = round(peak_rss_mb(), 1)
    if args.monolithic:
        t2 = time.perf_counter()
        mono = solve(problem, method="flow")
        result["monolithic"] = {"wall_s": round(time.perf_counter() - t2, 2), "objective": mono.objective,
                                "true_gap_city_county": (mono.objective - res_cc.objective) / mono.objective,
                                "bound_valid_city_county": bool(res_cc.bound >= mono.objective * (1 - 1e-9))}
    # strong scaling of scoring on the first cities: this process, 1 worker, 2 workers
    sub = cities[:max(0, min(args.scaling_cities, len(cities)))]
    rows: list[dict] = []
    if sub:
        scaling(sub, scorer, args, rows)
        result["strong_scaling_scoring"] = {"cities": len(sub), "persons": int(sum(len(p) for p, _ in sub)),
                                            "posts": int(sum(len(q) for _, q in sub)), "rows": rows}
    result["machine"]["loadavg_end"] = os.getloadavg()
    result["total_wall_s"] = round(time.perf_counter() - t0, 1)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".tmp")
    tmp.write_text(json.dumps(result, indent=2, default=float) + "\n", encoding="utf-8")
    os.replace(tmp, out)  # atomic: never a half-written result file
    print(json.dumps(result, indent=2, default=float))


def scaling(sub, scorer, args, rows) -> None:
    """Scoring wall time of ``sub`` in this process, then on 1 and 2 workers."""
    _, t_local = score_cities(sub, scorer, None)
    rows.append({"workers": 0, "note": "client=None, this process", "wall_s": round(t_local, 2)})
    for n in (1, 2):
        cluster, client = start_cluster(n, args.memory_limit)
        try:
            client.run(lambda: __import__("jhmatch.matching"))  # warm imports outside the timing
            _, t = score_cities(sub, scorer, client)
        finally:
            client.close()
            cluster.close()
        rows.append({"workers": n, "wall_s": round(t, 2), "speedup_vs_1": None})
    for row in rows[1:]:
        row["speedup_vs_1"] = round(rows[1]["wall_s"] / row["wall_s"], 2)


if __name__ == "__main__":
    main()
