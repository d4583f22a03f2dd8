"""Who to train under a budget: the training MILP against the greedy baseline on the demo city; write JSON.

Usage::

    PYTHONPATH=src python benchmarks/bench_training.py --persons 2000 --posts 0 300 --budget 200000 \
        --out benchmarks/results/bench_training.json

``--posts 0`` is the default city (posts = 0.3 × persons, more places than seekers);
a smaller number makes a tight market. Each row is one planner on one city, both at
the same budget in the same run; placements are the allocation model's (the
counterfactual allocation solved by ``jhmatch.optimize.solve``), with the sample
course catalogue (``jhmatch.training.load_sample_courses``).
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from jhmatch.bench import machine_info
from jhmatch.bench.training_case import training_rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--persons", type=int, default=2000)
    ap.add_argument("--posts", type=int, nargs="+", default=[0, 300], help="0: the default 0.3 x persons")
    ap.add_argument("--budget", type=float, default=200_000.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--time-limit", type=float, default=120.0)
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results/bench_training.json"))
    args = ap.parse_args()
    rows = []
    for m in args.posts:
        for row in training_rows(args.persons, m or None, args.budget, seed=args.seed, time_limit=args.time_limit):
            rows.append(row)
            print(json.dumps({k: row.get(k) for k in ("instance", "planner", "placed_no_training", "placed",
                                                       "budget_used", "gap", "seconds")}, ensure_ascii=False))
    payload = {"benchmark": "training plan vs greedy baseline", "machine": machine_info(),
               "command": "python benchmarks/bench_training.py " + " ".join(
                   f"--{k.replace('_', '-')} {' '.join(map(str, v)) if isinstance(v, list) else v}"
                   for k, v in vars(args).items() if k != "out"), "results": rows}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_name(f".{args.out.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(tmp, args.out)


if __name__ == "__main__":
    main()
