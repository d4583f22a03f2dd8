"""Time the policy rules over synthetic employers and employer-months; write JSON.

Usage::

    PYTHONPATH=src python benchmarks/bench_policy.py --sizes 10000 100000 --out benchmarks/results/bench_policy.json

Each rule is timed once per size on an already validated table (validation is timed
separately), on this machine, with the packaged 2025 parameters.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import numpy as np
import pandas as pd

from jhmatch.policy import (
    PolicyParameters,
    concentrated_employment,
    fund_due,
    over_quota_reward,
    quota_employment,
    validate_policy_employers,
    validate_vat_months,
    vat_refund,
)

COUNTIES = ["330702", "330703", "330723", "330726", "330727", "330781", "330782", "330783", "330784"]


def employers(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    staff = rng.integers(0, 500, n)
    dis = (rng.random(n) * staff * 0.05).astype(int)
    return pd.DataFrame({
        "employer_id": [f"E{i:07d}" for i in range(n)], "county": rng.choice(COUNTIES, n), "staff": staff,
        "disabled_staff": dis, "severe_disabled_staff": (rng.random(n) * dis).astype(int),
        "average_wage": rng.uniform(3e4, 3e5, n), "is_enterprise": rng.random(n) < 0.9,
    })


def months(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    k = n // 12 + 1
    staff = rng.integers(1, 80, k * 12)
    return pd.DataFrame({
        "employer_id": np.repeat([f"T{i:06d}" for i in range(k)], 12),
        "month": np.tile([f"2025-{m:02d}" for m in range(1, 13)], k), "county": np.repeat(rng.choice(COUNTIES, k), 12),
        "staff": staff, "disabled_staff": np.minimum(rng.integers(0, 30, k * 12), staff),
        "vat_paid": rng.uniform(0, 1.5e5, k * 12),
    }).iloc[:n]


def timed(fn, *args) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - t0, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results/bench_policy.json"))
    args = ap.parse_args()
    p = PolicyParameters.for_year(2025)
    rows = []
    for n in args.sizes:
        t_val, emp = timed(validate_policy_employers, employers(n, args.seed))
        entry = {"rows": n, "validate_employers_s": round(t_val, 3)}
        for rule in (quota_employment, fund_due, concentrated_employment, over_quota_reward):
            entry[f"{rule.__name__}_s"] = round(timed(rule, emp, p)[0], 3)
        t_mval, mon = timed(validate_vat_months, months(n, args.seed))
        entry["validate_vat_months_s"] = round(t_mval, 3)
        entry["vat_refund_s"] = round(timed(vat_refund, mon, p)[0], 3)
        rows.append(entry)
        print(json.dumps(entry))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"benchmark": "policy rules", "python": platform.python_version(),
                                    "machine": platform.machine(), "results": rows}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
