"""Time the price-of-fairness curve of the demo city (issue 17: >= 10 points in <= 60 s on 2 cores); write JSON.

Usage::

    PYTHONPATH=src python benchmarks/bench_tradeoff.py --out benchmarks/results/bench_tradeoff.json

The demo city is the one ``jhmatch demo`` and ``jhmatch tradeoff --demo`` use: ``make_jinhua`` with
5,000 persons and 750 posts (0.15 posts per person, about 0.4 openings per person, so the allocation
has to choose); the problem is built as the command builds it (:func:`jhmatch._cli_tradeoff.tradeoff_problem`:
seekers, scores, the plan's priority weights, no soft rules). ``--city default`` takes
``make_jinhua``'s own default instead (2,000 persons and 600 posts: 1,760 openings for 1,416 seekers,
so nearly everyone is placed and the curve is short). Timed: the scoring (once), then the curve by
county and by category (``--points`` floors, the requested ``--gap``), each with its phases, every
point's status and gap, r_max, the knee and the 1 % answer, and the lift of the mountain counties.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

from jhmatch._cli_run import DEMO_POSTS_PER_PERSON
from jhmatch._cli_tradeoff import tradeoff_problem
from jhmatch.datasets import make_jinhua
from jhmatch.optimize import lift_groups, tradeoff


def curve_entry(curve) -> dict:
    knee = curve.points[curve.knee]
    one = curve.one_percent
    return {
        "by": curve.by, "points": len(curve.points), "seconds": round(curve.seconds, 2), "target_s": 60,
        "phases_s": {k: round(v, 2) for k, v in curve.timings.items()},
        "all_proven": all(p.status.value == "optimal" for p in curve.points),
        "max_gap": max((p.gap or 0.0) for p in curve.points), "requested_gap": curve.gap,
        "r0": round(curve.r0, 5), "r_max": round(curve.r_max, 5), "r_max_proven": curve.r_max_proven,
        "z0": round(curve.z0, 4),
        "knee": {"floor": round(knee.floor, 5), "ratio": round(knee.ratio, 5), "loss": knee.loss},
        "one_percent": {"ratio": round(one.ratio, 5), "limit": None if one.limit is None else round(one.limit, 5),
                        "loss": one.point.loss},
        "table": [{"floor": None if p.floor != p.floor else round(p.floor, 5), "objective": round(p.objective, 4),
                   "loss": p.loss, "worst": p.worst, "ratio": round(p.ratio, 5), "status": p.status.value,
                   "gap": p.gap, "placed": p.placed, "seconds": round(p.seconds, 2)} for p in curve.points],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--city", choices=["demo", "default"], default="demo")
    ap.add_argument("--persons", type=int, default=5000)
    ap.add_argument("--points", type=int, default=10)
    ap.add_argument("--gap", type=float, default=1e-4)
    ap.add_argument("--time-limit", type=float, default=120.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results/bench_tradeoff.json"))
    args = ap.parse_args()
    t0 = time.perf_counter()
    city = (make_jinhua(n_persons=args.persons, n_posts=max(40, round(DEMO_POSTS_PER_PERSON * args.persons)),
                        seed=args.seed) if args.city == "demo" else make_jinhua(seed=args.seed))
    problem = tradeoff_problem(city.persons, city.posts)
    t_score = time.perf_counter() - t0
    curves = [curve_entry(tradeoff(problem, by=by, points=args.points, time_limit=args.time_limit, gap=args.gap))
              for by in ("county", "category")]
    t1 = time.perf_counter()
    lift = lift_groups(problem, gap=min(args.gap, 1e-7), time_limit=args.time_limit)
    entry = {
        "city": args.city, "persons": len(city.persons), "posts": len(city.posts), "seekers": problem.n_persons,
        "openings": int(problem.capacities.sum()), "candidate_pairs": problem.n_pairs, "cpus": os.cpu_count(),
        "load_average": round(os.getloadavg()[0], 2), "score_s": round(t_score, 2), "curves": curves,
        "mountain_lift": {"groups": list(lift.groups), "ratio": lift.ratio, "lost": lift.lost,
                          "lost_share": lift.lost_share, "lost_interval": [lift.lost_low, lift.lost_high],
                          "status": lift.lifted.status.value, "seconds": round(time.perf_counter() - t1, 2)},
    }
    print(json.dumps({k: v for k, v in entry.items() if k != "curves"}))
    for c in curves:
        print(json.dumps({k: v for k, v in c.items() if k != "table"}))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"benchmark": "price of fairness (issue 17)", "python": platform.python_version(),
                               "machine": platform.machine(), "results": [entry]}, indent=2), encoding="utf-8")
    tmp.replace(args.out)


if __name__ == "__main__":
    main()
