"""Time the multi-year simulation of the demo city (issue 17: 2022-2025, 100 replications, ≤ 60 s on 2 cores); write JSON.

Usage::

    PYTHONPATH=src python benchmarks/bench_simulate.py --workers 2 --out benchmarks/results/bench_simulate.json

The demo city is the one ``jhmatch simulate --demo`` simulates (:func:`jhmatch.simulate.demo.simulation_demo`):
``make_jinhua``'s default 2,000 persons read as all certificate holders (half of working age employed, PARAM)
and one year of the scenario's openings open at the start. Timed separately: building the model (pools
drawn and scored once, ages) and the replications (``--workers`` processes; 1 = in this process),
each replication of the same seed giving the same counts whatever runs it. Peak memory is the
largest resident set of this process and of its finished children (``getrusage``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from jhmatch.simulate import SimulationScenario, build_model, sensitivity, simulate
from jhmatch.simulate.demo import simulation_demo


def peak_mb() -> dict[str, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
    return {"peak_rss_mb": round(own, 1), "peak_rss_children_mb": round(children, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--persons", type=int, default=2000)
    ap.add_argument("--replications", type=int, default=100)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--sensitivity-replications", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results/bench_simulate.json"))
    args = ap.parse_args()
    scenario = SimulationScenario()
    t0 = time.perf_counter()
    city = simulation_demo(scenario, n_persons=args.persons, seed=args.seed)
    model = build_model(city.persons, city.posts, scenario, seed=args.seed)
    t_model = time.perf_counter() - t0
    pool = ProcessPoolExecutor(args.workers) if args.workers > 1 else None
    try:
        t1 = time.perf_counter()
        result = simulate(None, None, scenario, replications=args.replications, seed=args.seed, executor=pool,
                          model=model)
        t_run = time.perf_counter() - t1
        t2 = time.perf_counter()
        sens = sensitivity(model, scenario, replications=args.sensitivity_replications, seed=args.seed,
                           executor=pool) if args.sensitivity_replications else None
        t_sens = time.perf_counter() - t2
    finally:
        if pool is not None:
            pool.shutdown()
    city_rows = result.horizon().query("scope == 'city'").set_index("target")
    entry = {
        "persons": args.persons, "posts": len(city.posts), "years": f"{scenario.start_year}-{scenario.end_year}",
        "replications": args.replications, "workers": args.workers, "cpus": os.cpu_count(),
        "model_persons": model.n_persons, "model_posts": int(model.capacity.size),
        "candidate_pairs": int(model.pair_person.size),
        "build_model_s": round(t_model, 2), "replications_s": round(t_run, 2),
        "total_s": round(t_model + t_run, 2), "target_s": 60, "load_average": os.getloadavg()[0],
        "sensitivity_replications": args.sensitivity_replications, "sensitivity_s": round(t_sens, 2),
        "sensitivity_rows": 0 if sens is None else len(sens.table),
        "p_meet_2025": {t: round(float(city_rows.loc[t, "p_meet"]), 3) for t in city_rows.index},
        "mean_2025": {t: round(float(city_rows.loc[t, "mean"]), 3) for t in city_rows.index},
        **peak_mb(),
    }
    print(json.dumps(entry))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"benchmark": "multi-year simulation (issue 17)", "python": platform.python_version(),
                               "machine": platform.machine(), "results": [entry]}, indent=2), encoding="utf-8")
    tmp.replace(args.out)


if __name__ == "__main__":
    main()
