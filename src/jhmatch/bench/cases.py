"""The benchmark cases: matching throughput, solvers against peers, OR-Library, scaling.

The matching-quality case lives in :mod:`jhmatch.bench.quality_case`, the rules case in
:mod:`jhmatch.bench.rules_case`.

Each case takes the suite configuration, the seed and the competitors, and
returns a :class:`~jhmatch.bench.config.CaseResult` whose table has one row per
(instance, competitor). A competitor that is not installed is a ``skipped`` row
with the reason; one that raises is a ``failed`` row with the error; nothing a
competitor does stops the suite.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.bench._measure import call_with_deadline, measure
from jhmatch.bench.config import CaseResult, SuiteConfig
from jhmatch.bench.instances import find_shared_benchmarks, orlib_assignment, orlib_gap, random_problem
from jhmatch.bench.registry import ScorerSpec, SolverSpec
from jhmatch.bench.solvers import check_solution
from jhmatch.errors import SolverError
from jhmatch.optimize import AllocationProblem

__all__ = ["hard_deadline", "run_solver"]  # the case_* functions are run by jhmatch.bench.run_suite

_REL_TOL = 1e-7  # objectives within this relative distance count as equal (integer-cost rounding)


def _error(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= 240 else text[:237] + "..."


def hard_deadline(time_limit: float) -> float:
    """Seconds after which an isolated peer is killed: twice its time limit plus a minute.

    Examples
    --------
    >>> hard_deadline(30)
    120.0
    """
    return 2.0 * float(time_limit) + 60.0


# ----------------------------------------------------------------------------- matching throughput

def _matmul_seconds(n: int, m: int, block: int = 2000, features: int = 64, seed: int = 0) -> float:
    """A plain float32 matmul with the same output shape, in row blocks into a reused buffer."""
    rng = np.random.default_rng(seed)
    a = rng.random((n, features), dtype=np.float32)
    b = rng.random((features, m), dtype=np.float32)
    out = np.empty((min(block, n), m), np.float32)
    t0 = time.perf_counter()
    for s in range(0, n, block):
        rows = a[s:s + block]
        np.matmul(rows, b, out=out[:rows.shape[0]])
    return time.perf_counter() - t0


def case_throughput(cfg: SuiteConfig, seed: int, scorers: Mapping[str, ScorerSpec]) -> CaseResult:
    """Persons scored per second and peak memory, beside a float32 matmul of the same shape."""
    from jhmatch.datasets import make_jinhua
    from jhmatch.taxonomy import post_kinds

    t_case = time.perf_counter()
    rows: list[dict[str, Any]] = []
    n_kinds = len(post_kinds())
    for n in cfg.throughput_sizes:
        m = max(n_kinds, n // cfg.posts_ratio_matching)
        scen = make_jinhua(n_persons=n, n_posts=m, seed=seed)
        base = {"persons": n, "posts": m, "pairs_considered": n * m}
        t_ref = _matmul_seconds(n, m, seed=seed)
        rows.append({**base, "scorer": "reference: float32 matmul (n×64 @ 64×m)", "source": "peer", "status": "ok",
                     "reason": "", "seconds": t_ref, "persons_per_s": n / t_ref, "pairs_kept": None,
                     "peak_mib": None, "ratio_to_matmul": 1.0})
        for name, spec in scorers.items():
            row = {**base, "scorer": name, "source": spec.source}
            if not spec.throughput:
                continue
            missing = spec.missing()
            if missing:
                rows.append({**row, "status": "skipped", "reason": missing})
                continue
            try:
                scorer = spec.factory()
                got = measure(scorer.score, scen.persons, scen.posts)
            except Exception as exc:  # a competitor's failure is a row, not a crash
                rows.append({**row, "status": "failed", "reason": _error(exc)})
                continue
            rows.append({**row, "status": "ok", "reason": "", "seconds": got.seconds,
                         "persons_per_s": n / got.seconds, "pairs_kept": int(got.value.nnz),
                         "peak_mib": got.peak_mib, "memory_method": got.memory_method,
                         "ratio_to_matmul": got.seconds / t_ref})
    table = pd.DataFrame(rows)
    ok = table[(table["status"] == "ok") & (table["scorer"] == "rule")] if len(table) else table
    summary = {}
    if len(ok):
        last = ok.iloc[-1]
        summary = {"rule_persons_per_s": float(last["persons_per_s"]), "at_persons": int(last["persons"]),
                   "peak_mib": last["peak_mib"], "ratio_to_matmul": float(last["ratio_to_matmul"])}
    notes = (f"make_jinhua(seed={seed}) with posts = persons / {cfg.posts_ratio_matching}; the rule-based scorer "
             "keeps the top 50 posts per person; timed from the scenario's tables to the ScoreMatrix.",
             "peak_mib: peak resident memory above the level at the call's start (psutil, sampled every 5 ms), "
             "else the tracemalloc peak of the call.",
             "The reference is a plain float32 matmul (n × 64) @ (64 × m) in blocks of 2,000 rows (issue 3).")
    return CaseResult("throughput", "Matching throughput", table, notes, summary, time.perf_counter() - t_case)


# ----------------------------------------------------------------------------- solvers

def run_solver(spec: SolverSpec, problem: AllocationProblem, time_limit: float | None = None) -> dict[str, Any]:
    """Run one solver on one problem: status, seconds, checked objective, placements.

    Examples
    --------
    >>> from jhmatch.bench.registry import registered_solvers
    >>> row = run_solver(registered_solvers()["jhmatch flow"], random_problem(50, 5, 3, seed=0))
    >>> row["status"], row["valid"], row["seconds"] > 0
    ('ok', True, True)
    """
    missing = spec.missing()
    if missing:
        return {"status": "skipped", "reason": missing}
    if spec.max_pairs is not None and problem.n_pairs > spec.max_pairs:
        return {"status": "skipped", "reason": f"{problem.n_pairs:,} pairs > max_pairs={spec.max_pairs:,} for this solver"}
    kwargs = {"time_limit": time_limit} if spec.time_limit else {}
    try:
        if spec.isolate:
            deadline = hard_deadline(time_limit if time_limit else 60.0)
            outcome, value, seconds = call_with_deadline(functools.partial(spec.fn, **kwargs), (problem,), deadline)
            if outcome == "timeout":
                return {"status": "timeout", "seconds": seconds, "reason": f"killed after {deadline:g} s"}
            if outcome == "error":
                return {"status": "failed", "reason": str(value)}
        else:
            got = measure(spec.fn, problem, memory=False, **kwargs)
            value, seconds = got.value, got.seconds
        check = check_solution(problem, value)
    except Exception as exc:
        return {"status": "failed", "reason": _error(exc)}
    reported = getattr(value, "objective", None)
    return {"status": "ok" if check.valid else "invalid", "reason": check.problem, "seconds": seconds,
            "objective": check.objective, "placed": check.placed, "valid": check.valid,
            "reported_objective": None if reported is None else float(reported), "_selected": check.selected}


def _compare(rows: list[dict[str, Any]], reference_stable: str = "jhmatch stable") -> None:
    """Fill gap_to_best / optimal / same_matching / speed ratio within one instance (in place)."""
    ok = [r for r in rows if r.get("status") == "ok"]
    exact = [r["objective"] for r in ok if r["kind"] == "exact"]
    best = max(exact) if exact else (max(r["objective"] for r in ok) if ok else None)
    flow = next((r for r in ok if r["solver"] == "jhmatch flow"), None)
    stable = next((r for r in ok if r["solver"] == reference_stable), None)
    for r in ok:
        if best is not None:
            r["gap_to_best"] = (best - r["objective"]) / max(abs(best), 1e-12)
            r["optimal"] = bool(r["gap_to_best"] <= _REL_TOL)
        if flow is not None:
            r["time_vs_jhmatch_flow"] = r["seconds"] / max(flow["seconds"], 1e-9)
        if r["kind"] == "stable" and stable is not None:
            r["same_matching_as_jhmatch_stable"] = bool(np.array_equal(r["_selected"], stable["_selected"]))
    for r in rows:
        r.pop("_selected", None)


def _stable_peer_summary(table: pd.DataFrame, peer: str = "matching HospitalResident") -> dict[str, Any]:
    """The largest instance the stable-matching peer survived, and jhmatch stable's speed ratio there."""
    ok = table[table["status"] == "ok"]
    mine = ok[ok["solver"] == "jhmatch stable"].set_index("instance")
    theirs = ok[ok["solver"] == peer].set_index("instance")
    both = [i for i in theirs.index if i in mine.index]
    if not both:
        return {"peer": peer, "survived": None}
    inst = max(both, key=lambda i: int(theirs.loc[i, "pairs"]))
    same = theirs.loc[inst].get("same_matching_as_jhmatch_stable")
    return {"peer": peer, "largest_survived": inst, "peer_s": float(theirs.loc[inst, "seconds"]),
            "jhmatch_stable_s": float(mine.loc[inst, "seconds"]),
            "speedup": float(theirs.loc[inst, "seconds"] / max(mine.loc[inst, "seconds"], 1e-9)),
            "same_matching": None if same is None or pd.isna(same) else bool(same),
            "failed_at": sorted(set(table.loc[(table["solver"] == peer) & (table["status"] == "failed"), "instance"]))}


def case_solvers(cfg: SuiteConfig, seed: int, solvers: Mapping[str, SolverSpec]) -> CaseResult:
    """Speed and optimality of every solver on the same capacity-only instances."""
    t_case = time.perf_counter()
    rows: list[dict[str, Any]] = []
    for s_idx, (n, m, k) in enumerate(cfg.solver_sizes):
        problem = random_problem(n, m, k, seed=seed + s_idx)
        inst = {"instance": f"{n}×{m}, {k} candidates", "persons": n, "posts": m, "pairs": problem.n_pairs}
        here = []
        for name, spec in solvers.items():
            here.append({**inst, "solver": name, "source": spec.source, "kind": spec.kind,
                         **run_solver(spec, problem, cfg.time_limit)})
        _compare(here)
        rows.extend(here)
    table = pd.DataFrame(rows)
    summary: dict[str, Any] = {}
    if len(table):
        flow = table[(table["solver"] == "jhmatch flow") & (table["status"] == "ok")]
        raw = table[(table["solver"] == "OR-Tools raw min-cost flow") & (table["status"] == "ok")]
        if len(flow) and len(raw):
            f, r = flow.iloc[-1], raw[raw["instance"] == flow.iloc[-1]["instance"]]
            if len(r):
                r = r.iloc[0]
                summary = {"instance": f["instance"], "jhmatch_flow_s": float(f["seconds"]),
                           "ortools_raw_s": float(r["seconds"]), "ratio": float(f["seconds"] / r["seconds"]),
                           "same_objective": bool(abs(f["objective"] - r["objective"])
                                                  <= _REL_TOL * max(1.0, abs(r["objective"])))}
        optimal = table["optimal"] if "optimal" in table else pd.Series(True, index=table.index)
        bad = table[(table["kind"] == "exact") & (table["status"] == "ok") & ~optimal.fillna(True).astype(bool)]
        summary["exact_solvers_off_optimum"] = sorted(set(bad["solver"]))
        summary["failed"] = sorted(set(table.loc[table["status"] == "failed", "solver"]))
        summary["stable_peer"] = _stable_peer_summary(table)
    notes = (f"random_problem(persons, posts, k, seed={seed}+i): k distinct random candidate posts per person, "
             "continuous scores in [0.01, 1), capacities 1–15; capacity-only (a pure assignment/flow problem).",
             "seconds: wall time of the solver call from the AllocationProblem to its answer (model building "
             "included, for jhmatch and for every peer).",
             "objective: sum of scores of the returned pairs, recomputed by the suite for every row; valid = "
             "candidate pairs only, nobody twice, no post over capacity. gap_to_best is relative to the best "
             "exact objective of the instance (tolerance 1e-7 for integer-cost rounding).",
             "Stable solvers are not meant to maximise the sum: compare them through same_matching_as_jhmatch_stable "
             "(strict preferences: the person-optimal stable matching is unique).",
             f"MILP peers get time_limit={cfg.time_limit:g} s; slow peers are skipped above their max_pairs.")
    return CaseResult("solvers", "Solver speed and optimality against peers", table, notes, summary,
                      time.perf_counter() - t_case)


# ----------------------------------------------------------------------------- OR-Library

def _scipy_assignment(problem: AllocationProblem) -> np.ndarray:
    """Peer: scipy min_weight_full_bipartite_matching on the candidate pairs (max score = min cost)."""
    import scipy.sparse as sp
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    cost = sp.csr_array((2.0 - problem.pair_score, (problem.pair_person, problem.pair_post)),
                        shape=(problem.n_persons, problem.n_posts))
    rows, cols = min_weight_full_bipartite_matching(cost)
    keys = problem.pair_person * problem.n_posts + problem.pair_post
    return np.searchsorted(keys, rows.astype(np.int64) * problem.n_posts + cols)


def _highs_gap(problem: AllocationProblem, time_limit: float | None = None) -> np.ndarray:
    """Peer: plain HiGHS MILP of the GAP (every job placed once, agents' budgets)."""
    import scipy.sparse as sp
    from scipy.optimize import Bounds, LinearConstraint, milp

    p = problem.n_pairs
    persons = sp.csr_array((np.ones(p), (problem.pair_person, np.arange(p))), shape=(problem.n_persons, p))
    budget = sp.csr_array((problem.pair_usage, (problem.pair_post, np.arange(p))), shape=(problem.n_posts, p))
    res = milp(-problem.values, integrality=np.ones(p), bounds=Bounds(0, 1),
               constraints=[LinearConstraint(persons, 1, 1), LinearConstraint(budget, -np.inf, problem.capacities)],
               options={"time_limit": time_limit} if time_limit else {})
    if res.x is None or res.status != 0:
        raise SolverError(f"HiGHS: {res.message}")
    return np.flatnonzero(res.x > 0.5)


def case_orlib(cfg: SuiteConfig, seed: int, solvers: Mapping[str, SolverSpec]) -> CaseResult:
    """OR-Library instances with published optima: reproduced or not, and time."""
    from jhmatch.optimize import solve

    t_case = time.perf_counter()
    folder = find_shared_benchmarks()
    if folder is None:
        table = pd.DataFrame([{"instance": "(all)", "solver": "-", "status": "skipped",
                               "reason": "shared/benchmarks not found (set JHMATCH_SHARED or run beside ../shared)"}])
        return CaseResult("orlib", "OR-Library instances", table, ("Skipped: no instance files.",), {},
                          time.perf_counter() - t_case)
    instances = []
    for name in cfg.orlib_assign:
        path = folder / "orlib-assign" / f"{name}.txt"
        instances.append(("assignment", name, path))
    for k in cfg.orlib_gap:
        instances.append(("gap", f"gap{k}", folder / "orlib-gap" / "raw" / f"gap{k}.txt"))
    competitors: dict[str, dict[str, Callable[..., Any]]] = {
        "assignment": {"jhmatch flow": lambda p: solve(p, method="flow"),
                       "scipy min_weight_full_bipartite_matching": _scipy_assignment},
        "gap": {"jhmatch auto (milp)": lambda p: solve(p, method="auto", time_limit=cfg.time_limit),
                "HiGHS MILP (scipy, plain)": lambda p: _highs_gap(p, cfg.time_limit)},
    }
    rows: list[dict[str, Any]] = []
    for family, name, path in instances:
        if not path.is_file():
            rows.append({"instance": name, "family": family, "solver": "-", "status": "skipped",
                         "reason": f"{path.name} not found in {path.parent}"})
            continue
        try:
            loaded = [orlib_assignment(path)] if family == "assignment" else orlib_gap(
                path, folder / "orlib-gap" / "bounds.txt")
        except Exception as exc:
            rows.append({"instance": name, "family": family, "solver": "-", "status": "failed", "reason": _error(exc)})
            continue
        for inst in loaded:
            base = {"instance": inst.name, "family": family, "persons": inst.problem.n_persons,
                    "posts": inst.problem.n_posts, "pairs": inst.problem.n_pairs, "optimum": inst.optimum,
                    "sense": inst.sense}
            for solver, fn in competitors[family].items():
                row = {**base, "solver": solver, "source": "jhmatch" if solver.startswith("jhmatch") else "peer"}
                try:
                    got = measure(fn, inst.problem, memory=False)
                    check = check_solution(inst.problem, got.value)
                except Exception as exc:
                    rows.append({**row, "status": "failed", "reason": _error(exc)})
                    continue
                complete = check.valid and check.placed == inst.problem.n_persons
                value = inst.to_units(check.objective)
                rows.append({**row, "status": "ok" if complete else "invalid",
                             "reason": "" if complete else (check.problem or "not every person placed"),
                             "seconds": got.seconds, "value": round(value, 6),
                             "reproduced": bool(complete and round(value) == inst.optimum)})
    table = pd.DataFrame(rows)
    summary: dict[str, Any] = {}
    if "reproduced" in table:
        for solver, grp in table[table["status"].isin(["ok", "invalid"])].groupby("solver"):
            summary[str(solver)] = {"reproduced": int(grp["reproduced"].sum()), "instances": len(grp),
                                    "seconds_total": float(grp["seconds"].sum())}
    notes = (f"Instances from {folder} (OR-Library; see its README for sources and formats).",
             "Assignment: costs c become scores (K − c)/K, every person must be placed (PlacementGuarantee); "
             "value = K (n − objective) is the instance's cost. GAP type c (maximisation): jobs are persons, agents "
             "are posts with budgets (weighted capacity); value = max(c) × objective.",
             "reproduced: every person placed, capacities respected, value equal to the published optimum.")
    return CaseResult("orlib", "OR-Library instances (published optima)", table, notes, summary,
                      time.perf_counter() - t_case)


# ----------------------------------------------------------------------------- scaling

def case_scaling(cfg: SuiteConfig, seed: int, solvers: Mapping[str, SolverSpec]) -> CaseResult:
    """Time against persons for the solvers marked ``scaling`` (posts = persons / 10)."""
    t_case = time.perf_counter()
    rows: list[dict[str, Any]] = []
    chosen = {name: spec for name, spec in solvers.items() if spec.scaling}
    too_slow: dict[str, str] = {}
    for n in cfg.scaling_sizes:
        m = max(1, n // 10)
        problem = random_problem(n, m, cfg.scaling_k, seed=seed)
        inst = {"persons": n, "posts": m, "pairs": problem.n_pairs}
        here = []
        for name, spec in chosen.items():
            if name in too_slow:
                here.append({**inst, "solver": name, "source": spec.source, "kind": spec.kind,
                             "status": "skipped", "reason": too_slow[name]})
                continue
            row = {**inst, "solver": name, "source": spec.source, "kind": spec.kind,
                   **run_solver(spec, problem, cfg.time_limit)}
            if row.get("seconds", 0.0) > cfg.scaling_budget:
                too_slow[name] = f"took {row['seconds']:.1f} s at {n:,} persons (budget {cfg.scaling_budget:g} s)"
            here.append(row)
        _compare(here)
        rows.extend(here)
        del problem
    table = pd.DataFrame(rows)
    summary: dict[str, Any] = {}
    if len(table):
        ok = table[table["status"] == "ok"]
        for name, grp in ok.groupby("solver", sort=False):
            last = grp.iloc[-1]
            summary[str(name)] = {"largest_persons": int(last["persons"]), "seconds": float(last["seconds"])}
    notes = (f"random_problem(persons, persons / 10, {cfg.scaling_k}, seed={seed}); capacity-only.",
             "seconds: wall time from the AllocationProblem to the answer; optimal/gap as in the solver case.")
    return CaseResult("scaling", "Scaling curves", table, notes, summary, time.perf_counter() - t_case)
