"""Zhejiang-sized scale-out on a Dask LocalCluster: distributed scoring and decomposed allocation; writes JSON.

Scenario
    :func:`jhmatch.datasets.make_province`: 11 synthetic cities (Zhejiang's 11
    prefecture-level cities by name), each a ``make_jinhua`` city with its own seed
    and prefixed ids, sharing the seekers and posts evenly (target 500,000 x
    100,000). On-site posts are open to their own city; remote posts also to the
    previous city (a ring), so the cities are coupled by the remote posts only.
    :meth:`Province.score` scores every city's seekers against its open posts with
    :func:`jhmatch.distributed.score` (persons partitioned by county, the posts
    broadcast once per worker).

Allocation
    :func:`jhmatch.distributed.allocate` with one region per city (11 regions; the
    shared posts are the remote posts with candidates in two cities), and for
    comparison one region per city x county (99 regions; commuting across county
    lines makes most posts shared). Each reports its gap to its proven bound and
    the size of its master problem; the whole province is also solved in this
    process (one OR-Tools min-cost flow) for the true gap.

Cluster
    ``LocalCluster(n_workers, threads_per_worker=1, processes=True, memory_limit=...)``
    with spilling and pausing off, so the limit is hard (the nanny kills a worker
    above 98 %), and glibc's malloc defaults (see ``start_cluster``). The limit is
    set below the size of the province's tables and score matrix, so the problem
    does not fit one worker. The workers are
    restarted between scoring and allocation. Peak memory per worker is sampled
    from this process (psutil RSS every 20 ms) during each phase, with the
    number of worker processes seen (more than the workers: one was replaced).
    Strong scaling of scoring (this process, 1 worker, 2 workers) runs on the
    first ``--scaling-cities`` cities; the load average is recorded beside the
    timings.

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
import sys
import threading
import time
from pathlib import Path

import pandas as pd

from jhmatch.data.schema import validate_persons, validate_posts
from jhmatch.datasets import make_province
from jhmatch.distributed import allocate
from jhmatch.errors import SolverError
from jhmatch.matching import CompatibilityScorer
from jhmatch.optimize import AllocationProblem, solve


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def start_cluster(n_workers: int, memory_limit: str):
    import dask

    import distributed

    # a hard limit: no spilling or pausing (they hide the limit); the nanny kills a worker above 98 %
    dask.config.set({"distributed.worker.memory.target": False, "distributed.worker.memory.spill": False,
                     "distributed.worker.memory.pause": False, "distributed.worker.memory.terminate": 0.98})
    # Dask starts workers with MALLOC_TRIM_THRESHOLD_=65536, which also switches off glibc's dynamic
    # mmap threshold: every large temporary of the scorer is then mmap-ed and faulted in afresh, and
    # scoring runs ~50 % slower than in this process. Keep the thread pins, leave malloc's defaults
    # (set after importing distributed, which adds its defaults on import: dask/distributed#8143).
    environ = dict(dask.config.get("distributed.nanny.pre-spawn-environ"))
    environ.pop("MALLOC_TRIM_THRESHOLD_", None)
    dask.config.set({"distributed.nanny.pre-spawn-environ": environ})

    cluster = distributed.LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                                       memory_limit=memory_limit, dashboard_address=None, silence_logs=40)
    return cluster, distributed.Client(cluster)


class WorkerMemory:
    """Peak resident memory of the cluster's worker processes, sampled every 20 ms from this process.

    (A worker's own ``ru_maxrss`` is useless here: a spawned worker starts with its
    parent's high-water mark.) The worker processes are looked up every second, so
    a worker that is killed and replaced shows up as one more process.
    """

    def __init__(self, client) -> None:
        import psutil  # a dependency of distributed

        self._psutil, self._client = psutil, client
        self.peak_mb: dict[str, float] = {}
        self.processes: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        pids: dict[str, int] = {}
        last = -1.0
        while not self._stop.is_set():
            if time.monotonic() - last > 1.0:  # refresh: a replaced worker has a new process
                try:
                    pids = self._client.run(os.getpid)
                except Exception:
                    pass
                last = time.monotonic()
            for addr, pid in pids.items():
                try:
                    rss = self._psutil.Process(pid).memory_info().rss / 2**20
                except self._psutil.Error:
                    continue
                self.processes.add(pid)
                self.peak_mb[addr] = max(self.peak_mb.get(addr, 0.0), rss)
            self._stop.wait(0.02)

    def __enter__(self) -> WorkerMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def report(self) -> dict:
        return {"peak_rss_mb_per_worker": {k: round(v, 1) for k, v in sorted(self.peak_mb.items())},
                "worker_processes_seen": len(self.processes)}


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
    parser.add_argument("--regions", default="city,city_county",
                        help="decompositions to run, in order (city: 11 regions, city_county: 99)")
    parser.add_argument("--block-size", type=int, default=250, help="scorer block size (memory per task)")
    parser.add_argument("--monolithic", action=argparse.BooleanOptionalAction, default=True,
                        help="also solve the whole province in this process (the true gap)")
    parser.add_argument("--quick", action="store_true", help="22,000 x 4,400 for development")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", help="JSON file (default: results/dask_500k.json, or dask_quick.json with --quick)")
    args = parser.parse_args()
    if args.quick:
        args.persons, args.posts = 22_000, 4_400
    if args.out is None:
        args.out = str(Path(__file__).parent / "results" / ("dask_quick.json" if args.quick else "dask_500k.json"))
    result: dict = {
        "benchmark": "bench_dask",
        "command": "PYTHONPATH=src python benchmarks/bench_dask.py " + " ".join(sys.argv[1:]),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "loadavg_start": os.getloadavg()},
        "scenario": {"persons": args.persons, "posts": args.posts, "cities": args.cities, "top_k": args.top_k,
                     "seed": args.seed, "block_size": args.block_size},
        "cluster": {"workers": args.workers, "threads_per_worker": 1, "memory_limit_per_worker": args.memory_limit},
    }
    t0 = time.perf_counter()
    province = make_province(args.persons, args.posts, n_cities=args.cities, seed=args.seed)
    persons, posts = province.persons, province.posts
    result["scenario"]["build_s"] = round(time.perf_counter() - t0, 2)
    result["scenario"]["persons_table_mb"] = round(frame_mb(persons), 1)
    result["scenario"]["posts_table_mb"] = round(frame_mb(posts), 1)
    scorer = CompatibilityScorer(as_of="2025-01-01", top_k=args.top_k, block_size=args.block_size)

    cluster, client = start_cluster(args.workers, args.memory_limit)
    try:
        t1 = time.perf_counter()
        with WorkerMemory(client) as mem:
            sm = province.score(scorer, client=client)
        t_score = time.perf_counter() - t1
        sm_mb = (sm.scores.data.nbytes + sm.scores.indices.nbytes + sm.scores.indptr.nbytes) / 2**20
        print("scored", round(t_score, 1), "s", flush=True)
        result["scoring"] = {"wall_s": round(t_score, 2), "pairs": sm.nnz, "score_matrix_mb": round(sm_mb, 1),
                             "partitions": "one per county of each city (99); each city's open posts broadcast",
                             **mem.report()}
        client.restart()  # fresh worker processes: the allocation's peaks are its own
        t1 = time.perf_counter()
        persons_v, posts_v = validate_persons(persons), validate_posts(posts)
        problem = AllocationProblem.from_frames(sm, persons_v, posts_v)
        result["problem_build_s"] = round(time.perf_counter() - t1, 2)
        city = problem.persons["city"].astype(str)
        choices = {"city": city.to_numpy(), "city_county": (city + "|" + problem.persons["county"].astype(str)).to_numpy()}
        shared_capacity = {}
        result["allocation"] = {}
        for name in args.regions.split(","):
            t1 = time.perf_counter()
            try:
                with WorkerMemory(client) as mem:
                    res = allocate(problem, client=client, regions=choices[name], max_iter=args.max_iter, tol=1e-4)
            except SolverError as exc:  # e.g. one region's flow does not fit a worker's memory limit
                result["allocation"][name] = {"wall_s": round(time.perf_counter() - t1, 2), "failed": str(exc)[:400]}
                print(name, "failed", exc, flush=True)
                client.wait_for_workers(args.workers, timeout=120)
                continue
            labels = pd.factorize(choices[name])[0][problem.pair_person]
            per_post = pd.DataFrame({"post": problem.pair_post, "r": labels}).groupby("post")["r"].nunique()
            shared_capacity[name] = int(problem.capacities[per_post.index[per_post > 1]].sum())
            result["allocation"][name] = {
                "wall_s": round(time.perf_counter() - t1, 2), "status": res.status.value,
                "objective": res.objective, "bound": res.bound, "gap_to_bound": res.gap, "placed": res.n_placed,
                "regions": res.n_regions, "shared_posts": res.n_shared_posts,
                "shared_posts_capacity": shared_capacity[name], "master_persons": res.n_master_persons,
                "master_share_of_persons": round(res.n_master_persons / problem.n_persons, 4),
                "iterations": res.iterations, "region_wall_s": round(res.region_time, 2),
                "this_process_wall_s": round(res.solve_time - res.region_time, 2), **mem.report(),
            }
            print(name, result["allocation"][name], flush=True)
        result["cluster"]["note"] = ("peak RSS of the worker processes sampled every 20 ms during each phase "
                                     "(psutil); worker_processes_seen > workers means a worker was replaced")
        result["fits_one_worker"] = {
            "tables_mb": round(result["scenario"]["persons_table_mb"] + result["scenario"]["posts_table_mb"], 1),
            "score_matrix_with_components_mb": round(7 * sm_mb, 1),
            "worker_limit": args.memory_limit,
            "note": ("a single process holds both tables and the ScoreMatrix with its 6 component matrices "
                     "(what CompatibilityScorer.score returns), on top of ~180 MB of imports"),
        }
    finally:
        client.close()
        cluster.close()
    result["driver_peak_rss_mb"] = round(peak_rss_mb(), 1)
    if args.monolithic:
        t2 = time.perf_counter()
        mono = solve(problem, method="flow")
        result["monolithic"] = {"wall_s": round(time.perf_counter() - t2, 2), "objective": mono.objective,
                                "note": "the whole province in this process: one OR-Tools min-cost flow"}
        for row in result["allocation"].values():
            if "objective" in row:
                row["true_gap"] = (mono.objective - row["objective"]) / mono.objective
                row["bound_valid"] = bool(row["bound"] >= mono.objective * (1 - 1e-9))
    # strong scaling of scoring on the first cities: this process, 1 worker, 2 workers
    n_sub = max(0, min(args.scaling_cities, args.cities))
    if n_sub:
        rows: list[dict] = []
        scaling(province, n_sub, scorer, args, rows)
        result["strong_scaling_scoring"] = {
            "cities": n_sub, "persons": int(sum(len(c.persons) for c in province.cities[:n_sub])),
            "posts": int(sum(len(province.open_posts(k)) for k in range(n_sub))), "rows": rows}
    result["machine"]["loadavg_end"] = os.getloadavg()
    result["total_wall_s"] = round(time.perf_counter() - t0, 1)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".tmp")
    tmp.write_text(json.dumps(result, indent=2, default=float) + "\n", encoding="utf-8")
    os.replace(tmp, out)  # atomic: never a half-written result file
    print(json.dumps(result, indent=2, default=float))


def scaling(province, n_sub, scorer, args, rows) -> None:
    """Scoring wall time of the first ``n_sub`` cities in this process, then on 1 and 2 workers."""
    from jhmatch.distributed import score

    def run(client) -> float:
        t = time.perf_counter()
        for k in range(n_sub):
            score(province.cities[k].persons, province.open_posts(k), scorer, client=client, components=False)
        return time.perf_counter() - t

    rows.append({"workers": 0, "note": "client=None, this process", "wall_s": round(run(None), 2),
                 "loadavg": os.getloadavg()[0]})
    for n in (1, 2):
        cluster, client = start_cluster(n, args.memory_limit)
        try:
            client.run(lambda: __import__("jhmatch.matching"))  # warm imports outside the timing
            with WorkerMemory(client) as mem:
                wall = run(client)
            rows.append({"workers": n, "wall_s": round(wall, 2), "loadavg": os.getloadavg()[0], **mem.report()})
        finally:
            client.close()
            cluster.close()
    for row in rows[1:]:
        row["speedup_vs_1"] = round(rows[1]["wall_s"] / row["wall_s"], 2)


if __name__ == "__main__":
    main()
