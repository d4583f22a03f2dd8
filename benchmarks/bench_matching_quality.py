"""Matching quality and safety against the hidden outcome model, for several seeds.

Runs the suite's quality case (:mod:`jhmatch.bench.quality_case`) with the given
suite's sizes for each seed: every scorer's NDCG@10 and friends, ``danger@5`` (share
of recommended top-5 pairs whose hidden six-month probability is below 0.1),
``unsafe@5`` (the same for the functional factor alone), the Spearman correlation
between the score and the hidden probability, the ablation ``rule, functional off``
(the functional component a constant: weight 0, no hard rules) and a reference row
that peeks at the hidden functional factor (what a functional part that knew the
world could gain). The hidden model (:mod:`jhmatch.datasets.outcomes`) shares no
table, formula or vocabulary with the scorers. Results go to
``benchmarks/results/bench_matching_quality.json``. Run from the repository root::

    PYTHONPATH=src python benchmarks/bench_matching_quality.py                  # quick sizes, seeds 0 1 2
    PYTHONPATH=src python benchmarks/bench_matching_quality.py --suite standard --seeds 0
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from jhmatch.bench import SUITES
from jhmatch.bench.quality_case import case_quality
from jhmatch.bench.registry import registered_scorers

COLUMNS = ["ndcg@10", "precision@10", "mean_true_p@10", "danger@5", "unsafe@5", "persons_danger@5", "spearman_kept",
           "spearman_all"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", default="quick", choices=sorted(SUITES))
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--out", default=str(Path(__file__).parent / "results" / "bench_matching_quality.json"))
    args = parser.parse_args(argv)
    cfg = SUITES[args.suite]
    t0 = time.perf_counter()
    tables, notes = [], []
    for seed in args.seeds:
        result = case_quality(cfg, seed, registered_scorers())
        table = result.table[result.table["status"] == "ok"].set_index("scorer")[COLUMNS]
        tables.append(table.assign(seed=seed))
        notes = list(result.notes)
        print(f"seed {seed} ({result.seconds:.1f} s)")
        print(table.round(3).to_string())
    both = pd.concat(tables)
    mean = both.groupby(level=0, sort=False)[COLUMNS].mean()
    spread = both.groupby(level=0, sort=False)[COLUMNS].agg(lambda x: float(np.ptp(x)))
    print(f"\nmean over seeds {args.seeds}")
    print(mean.round(3).to_string())
    out = {
        "benchmark": "matching quality and safety against the hidden outcome model (jhmatch.bench.quality_case)",
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "command": "PYTHONPATH=src python benchmarks/bench_matching_quality.py " + " ".join(sys.argv[1:] if argv is None
                                                                                           else argv),
        "suite": args.suite, "quality_persons": cfg.quality_persons, "test_share": cfg.quality_test_share,
        "history": cfg.quality_history, "relevance_threshold": cfg.relevance_threshold, "seeds": args.seeds,
        "mean": {s: {c: round(float(v), 4) for c, v in row.items() if pd.notna(v)} for s, row in mean.iterrows()},
        "range": {s: {c: round(float(v), 4) for c, v in row.items() if pd.notna(v)} for s, row in spread.iterrows()},
        "per_seed": [{"seed": int(t["seed"].iloc[0]),
                      "rows": {s: {c: round(float(v), 4) for c, v in row.items() if pd.notna(v) and c != "seed"}
                               for s, row in t.iterrows()}} for t in tables],
        "notes": notes,
        "seconds": round(time.perf_counter() - t0, 1),
    }
    path = Path(args.out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
