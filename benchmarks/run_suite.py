"""Run a jhmatch benchmark suite; writes results.json, results.md and PNG plots.

Usage (from the repository root)::

    PYTHONPATH=src python benchmarks/run_suite.py --suite quick            # <= 2 minutes on 2 cores
    PYTHONPATH=src python benchmarks/run_suite.py --suite standard         # the issues' sizes (long)
    PYTHONPATH=src python benchmarks/run_suite.py --suite quick --cases solvers,scaling --out /tmp/bench

Results go to ``<out>/<suite>/``. The same run is available as ``jhmatch bench``
and as ``jhmatch.bench.run_suite(...)``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from jhmatch.bench import CASES, SUITES, run_suite


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", default="quick", choices=sorted(SUITES), help="which suite (default: quick)")
    parser.add_argument("--out", default=str(Path(__file__).parent / "results"),
                        help="results folder (default: benchmarks/results); the suite writes <out>/<suite>/")
    parser.add_argument("--cases", default=",".join(CASES), help=f"comma-separated subset of {','.join(CASES)}")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    command = "PYTHONPATH=src python benchmarks/run_suite.py " + " ".join(sys.argv[1:] if argv is None else argv)
    result = run_suite(args.suite, out=args.out, cases=cases, seed=args.seed, command=command.strip(),
                       progress=lambda msg: print(msg, flush=True))
    print(f"done in {result.seconds:.1f} s")
    for line in result.headlines():
        print("  " + line)
    for name, path in result.files.items():
        print(f"  {name}: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
