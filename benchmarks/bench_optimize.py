"""Benchmark jhmatch.optimize against raw solvers in the same run; writes JSON.

Cases (sizes from issue 4):
- ``capacity``: 20,000 persons x 2,000 posts, 50 candidates each (1M pairs), capacities only:
  ``AllocationProblem`` + ``solve(method="flow")`` from ScoreMatrix to Allocation, against the
  same network solved with OR-Tools ``SimpleMinCostFlow`` directly (vectorised arc adds); same objective.
- ``side``: same size with county floors (rate), category floors (rate), household coverage and
  graduate guarantee (category floors cross county floors: not a flow) via ``solve(method="milp")``,
  beside a plain HiGHS MILP of the same model (``scipy.optimize.milp``, no LP-first step).
- ``stable``: 100,000 persons x 5,000 posts with 30 preferences each, deferred acceptance, both
  directions, blocking pairs checked.
- ``peer``: the ``matching`` package's HospitalResident on growing sizes until it fails
  (RecursionError): same matching? speed ratio.
- ``scaling``: 1k to 200k persons (posts = persons / 10) for the flow and stable methods.

Usage::

    PYTHONPATH=src python benchmarks/bench_optimize.py [--scale 1.0] [--cases capacity,side,stable] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import time
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from jhmatch.matching.score_matrix import ScoreMatrix
from jhmatch.optimize import (
    AllocationProblem,
    CategoryFloor,
    GraduateGuarantee,
    HouseholdCoverage,
    RegionFloor,
    blocking_pairs,
    solve,
)
from jhmatch.optimize.backends.stable import preference_ranks

COUNTIES = ["330702", "330703", "330723", "330726", "330727", "330781", "330782", "330783", "330784"]
CATEGORIES = ["visual", "hearing", "speech", "physical", "intellectual", "mental", "multiple"]


def scenario(n: int, m: int, k: int, seed: int) -> tuple[ScoreMatrix, pd.DataFrame, pd.DataFrame]:
    """n persons, m posts, k distinct random candidate posts per person, scores in (0, 1]."""
    rng = np.random.default_rng(seed)
    cols = np.argsort(rng.random((n, m)), axis=1)[:, :k] if n * m <= 5e7 else _sample_cols(rng, n, m, k)
    cols = np.sort(cols, axis=1)
    rows = np.repeat(np.arange(n), k)
    data = np.round(rng.uniform(0.01, 1.0, n * k), 4)
    scores = sp.csr_array((data, (rows, cols.ravel())), shape=(n, m))
    sm = ScoreMatrix(scores, np.array([f"p{i}" for i in range(n)]), np.array([f"q{j}" for j in range(m)]))
    household = rng.integers(0, n // 2, n)
    persons = pd.DataFrame({
        "person_id": sm.person_ids,
        "county": np.array(COUNTIES)[household % 9],  # a household lives in one county
        "category": np.array(CATEGORIES)[rng.integers(0, 7, n)],
        "graduate": rng.random(n) < 0.02,
        "willing": rng.random(n) < 0.9,
        "low_income": rng.random(n) < 0.1,
        "household_id": [f"h{h}" for h in household],
        "household_difficulty": (household % 10) == 0,
    })
    posts = pd.DataFrame({"post_id": sm.post_ids, "kind": "enterprise_post",
                          "county": np.array(COUNTIES)[rng.integers(0, 9, m)],
                          "capacity": rng.integers(1, 16, m)})
    return sm, persons, posts


def _sample_cols(rng: np.random.Generator, n: int, m: int, k: int) -> np.ndarray:
    """k distinct columns per row for large m: draw with replacement, drop repeats, redraw the rare short rows."""
    draws = rng.integers(0, m, (n, 2 * k))
    draws.sort(axis=1)
    repeat = np.zeros_like(draws, dtype=bool)
    repeat[:, 1:] = draws[:, 1:] == draws[:, :-1]
    priority = rng.random(draws.shape)  # a uniform random subset of the distinct draws
    priority[repeat] = 2.0
    pick = np.take_along_axis(draws, np.argsort(priority, axis=1)[:, :k], axis=1)
    short = np.flatnonzero(repeat.sum(axis=1) > k)
    for i in short:  # almost never (needs > k repeats among 2k draws)
        pick[i] = rng.choice(m, k, replace=False)
    return pick


def raw_ortools(sm: ScoreMatrix, cap: np.ndarray, weights: np.ndarray) -> dict:
    """The same capacity-only problem written directly against OR-Tools (peer)."""
    from ortools.graph.python import min_cost_flow

    t0 = time.perf_counter()
    n, m = sm.shape
    rows = np.repeat(np.arange(n), np.diff(sm.scores.indptr))
    cols = sm.scores.indices
    value = weights[rows] * sm.scores.data
    scale = 1e9
    src, snk = n + m, n + m + 1
    tails = np.concatenate([np.full(n, src), rows, n + np.arange(m), [src]])
    heads = np.concatenate([np.arange(n), n + cols, np.full(m, snk), [snk]])
    caps = np.concatenate([np.ones(n), np.ones(rows.size), cap, [n]]).astype(np.int64)
    costs = np.concatenate([np.zeros(n), -np.round(value * scale), np.zeros(m), [0]]).astype(np.int64)
    mcf = min_cost_flow.SimpleMinCostFlow()
    mcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supplies = np.zeros(n + m + 2, np.int64)
    supplies[src], supplies[snk] = n, -n
    mcf.set_nodes_supplies(np.arange(n + m + 2), supplies)
    t1 = time.perf_counter()
    status = mcf.solve()
    t2 = time.perf_counter()
    flows = mcf.flows(np.arange(n, n + rows.size))
    objective = float(value[flows > 0].sum())
    return {"status": status.name, "build_s": t1 - t0, "solve_s": t2 - t1, "total_s": time.perf_counter() - t0,
            "objective": objective, "placed": int(flows.sum())}


def case_capacity(n: int, m: int, k: int, seed: int) -> dict:
    sm, _, posts = scenario(n, m, k, seed)
    cap = posts["capacity"].to_numpy()
    t0 = time.perf_counter()
    prob = AllocationProblem(sm, cap)
    result = solve(prob, method="flow")
    ours = time.perf_counter() - t0
    peer = raw_ortools(sm, cap, np.ones(n))
    return {"persons": n, "posts": m, "pairs": sm.nnz,
            "jhmatch": {"status": result.status.value, "seconds": ours, "objective": result.objective,
                        "placed": result.n_placed, "gap": result.gap},
            "ortools_raw": peer,
            "ratio_vs_raw_total": ours / peer["total_s"], "ratio_vs_raw_solve": ours / peer["solve_s"],
            "same_objective": abs(result.objective - peer["objective"]) <= 1e-6 * max(1.0, abs(peer["objective"]))}


def case_side(n: int, m: int, k: int, seed: int, time_limit: float) -> dict:
    from jhmatch.optimize.backends.milp import build_model
    from jhmatch.optimize.evaluate import compile_blocks

    sm, persons, posts = scenario(n, m, k, seed)
    rules = [RegionFloor(rate=0.8), CategoryFloor(rate={"mental": 0.86, "intellectual": 0.86, "multiple": 0.85}),
             HouseholdCoverage(), GraduateGuarantee()]
    t0 = time.perf_counter()
    prob = AllocationProblem.from_frames(sm, persons, posts, constraints=rules)
    result = solve(prob, method="auto", time_limit=time_limit, gap=1e-3)
    ours = time.perf_counter() - t0
    out = {"persons": n, "posts": m, "pairs": sm.nnz, "rules": [type(r).__name__ for r in rules],
           "jhmatch": {"method": result.backend, "status": result.status.value, "seconds": ours,
                       "objective": result.objective, "bound": result.bound, "gap": result.gap,
                       "message": result.message}}
    model = build_model(prob, compile_blocks(prob))
    # HiGHS may overrun its time limit by far on a million binaries (presolve): run it in a child
    # process and stop waiting at 3x the limit
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_plain_milp, args=(model, time_limit, queue))
    t0 = time.perf_counter()
    child.start()
    child.join(3 * time_limit + 30)
    plain = time.perf_counter() - t0
    if child.is_alive():
        child.terminate()
        child.join()
        out["highs_plain_milp"] = {"seconds": plain, "status": "killed",
                                   "message": f"no answer within {3 * time_limit + 30:g} s (time_limit={time_limit:g})"}
    else:
        out["highs_plain_milp"] = {"seconds": plain, **queue.get()}
    return out


def _plain_milp(model: object, time_limit: float, queue: object) -> None:
    from scipy.optimize import milp

    res = milp(model.c, integrality=model.integrality, bounds=model.bounds,  # type: ignore[attr-defined]
               constraints=model.constraints, options={"time_limit": time_limit, "mip_rel_gap": 1e-3})  # type: ignore[attr-defined]
    queue.put({"status": int(res.status), "message": res.message,  # type: ignore[attr-defined]
               "objective": None if res.x is None else float(-res.fun),
               "bound": None if getattr(res, "mip_dual_bound", None) is None else -res.mip_dual_bound,
               "gap": getattr(res, "mip_gap", None)})


def case_stable(n: int, m: int, k: int, seed: int) -> dict:
    sm, _, posts = scenario(n, m, k, seed)
    prob = AllocationProblem(sm, posts["capacity"].to_numpy())
    out: dict = {"persons": n, "posts": m, "pairs": sm.nnz}
    pr, qr = preference_ranks(prob)
    for proposing in ("person", "post"):
        t0 = time.perf_counter()
        result = solve(prob, method="stable", proposing=proposing)
        secs = time.perf_counter() - t0
        blocking = blocking_pairs(prob.pair_person, prob.pair_post, pr, qr, prob.capacities, prob.n_persons,
                                  result.selected).size
        out[proposing] = {"seconds": secs, "placed": result.n_placed, "blocking_pairs": int(blocking),
                          "message": result.message}
    return out


def case_peer_stable(seed: int, sizes: tuple[tuple[int, int], ...]) -> dict:
    """The ``matching`` package (HospitalResident) on growing sizes, until it fails; same matching, speed ratio."""
    try:
        from matching.games import HospitalResident
    except ImportError:
        return {"skipped": "the matching package is not installed (pip install matching)"}
    rows = []
    for n, m in sizes:
        sm, _, posts = scenario(n, m, min(30, m), seed)
        prob = AllocationProblem(sm, posts["capacity"].to_numpy())
        t0 = time.perf_counter()
        ours = solve(prob, method="stable")
        t_ours = time.perf_counter() - t0
        pr, qr = preference_ranks(prob)
        i, j = prob.pair_person, prob.pair_post
        o = np.lexsort((pr, i))
        res_prefs: dict[str, list[str]] = {}
        for a, b in zip(i[o], j[o]):
            res_prefs.setdefault(f"r{a}", []).append(f"h{b}")
        o = np.lexsort((qr, j))
        hosp_prefs: dict[str, list[str]] = {}
        for a, b in zip(j[o], i[o]):
            hosp_prefs.setdefault(f"h{a}", []).append(f"r{b}")
        caps = {h: int(prob.capacities[int(h[1:])]) for h in hosp_prefs}
        row: dict = {"persons": n, "posts": m, "jhmatch_s": t_ours}
        try:
            t0 = time.perf_counter()
            game = HospitalResident.create_from_dictionaries(res_prefs, hosp_prefs, caps)
            peer = game.solve(optimal="resident")
            row["matching_s"] = time.perf_counter() - t0
        except (RecursionError, MemoryError) as exc:
            row["matching_error"] = type(exc).__name__
            rows.append(row)
            break
        expected = {(int(r.name[1:]), int(h.name[1:])) for h, rs in peer.items() for r in rs}
        got = set(zip(i[ours.selected].tolist(), j[ours.selected].tolist()))
        row["same_matching"] = expected == got
        row["speed_ratio"] = row["matching_s"] / max(t_ours, 1e-9)
        rows.append(row)
    return {"sizes": rows}


def case_scaling(seed: int, sizes: tuple[int, ...]) -> dict:
    """Seconds from ScoreMatrix to Allocation for flow (50 candidates) and stable (30 preferences)."""
    rows = []
    for n in sizes:
        m = max(n // 10, 1)
        sm, _, posts = scenario(n, m, 50, seed)
        t0 = time.perf_counter()
        flow = solve(AllocationProblem(sm, posts["capacity"].to_numpy()), method="flow")
        t_flow = time.perf_counter() - t0
        sm, _, posts = scenario(n, m, 30, seed)
        t0 = time.perf_counter()
        stable = solve(AllocationProblem(sm, posts["capacity"].to_numpy()), method="stable")
        t_stable = time.perf_counter() - t0
        rows.append({"persons": n, "posts": m, "flow_s": t_flow, "flow_placed": flow.n_placed,
                     "stable_s": t_stable, "stable_placed": stable.n_placed})
        print("scaling", rows[-1])
    return {"sizes": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the persons/posts counts")
    parser.add_argument("--cases", default="capacity,side,stable,peer,scaling")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds for each MILP in the side case")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default=str(Path(__file__).parent / "results" / "bench_optimize.json"))
    args = parser.parse_args()
    s = args.scale
    cases = set(args.cases.split(","))
    report: dict = {"machine": {"python": platform.python_version(), "processor": platform.processor(),
                                "platform": platform.platform(), "cpus": os.cpu_count(),
                                "load_average_at_start": os.getloadavg()}, "seed": args.seed, "scale": s}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists():  # keep the cases not run this time
        report = {**json.loads(out.read_text()), **report}

    def save() -> None:
        out.write_text(json.dumps(report, indent=2, default=str))

    if "capacity" in cases:
        report["capacity"] = case_capacity(int(20000 * s), int(2000 * s), 50, args.seed)
        print("capacity", json.dumps(report["capacity"], default=str))
        save()
    if "side" in cases:
        report["side"] = case_side(int(20000 * s), int(2000 * s), 50, args.seed, args.time_limit)
        print("side", json.dumps(report["side"], default=str))
        save()
    if "stable" in cases:
        report["stable"] = case_stable(int(100000 * s), int(5000 * s), 30, args.seed)
        print("stable", json.dumps(report["stable"], default=str))
        save()
    if "peer" in cases:
        report["peer_stable"] = case_peer_stable(args.seed, ((200, 10), (500, 25), (1000, 50), (2000, 100), (5000, 250)))
        print("peer", json.dumps(report["peer_stable"], default=str))
        save()
    if "scaling" in cases:
        sizes = tuple(int(x * s) for x in (1000, 5000, 20000, 50000, 100000, 200000))
        report["scaling"] = case_scaling(args.seed, sizes)
        save()
    print("wrote", out)


if __name__ == "__main__":
    main()
