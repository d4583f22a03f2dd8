"""``run_suite``: run the cases of a suite and write JSON, Markdown and plots."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from jhmatch.bench._measure import machine_info
from jhmatch.bench.cases import case_orlib, case_scaling, case_solvers, case_throughput
from jhmatch.bench.config import CASES, SUITES, CaseResult, SuiteConfig, SuiteResult
from jhmatch.bench.quality_case import case_quality
from jhmatch.bench.registry import registered_scorers, registered_solvers
from jhmatch.bench.report import case_payload, write_json, write_markdown, write_plots
from jhmatch.bench.rules_case import case_rules
from jhmatch.bench.training_case import case_training
from jhmatch.errors import ParameterError

__all__ = ["run_suite"]


def _pick(names: Sequence[str] | None, table: dict[str, Any], what: str) -> dict[str, Any]:
    if names is None:
        return table
    unknown = [n for n in names if n not in table]
    if unknown:
        raise ParameterError(f"unknown {what} {unknown}; registered: {sorted(table)}")
    return {n: table[n] for n in names}


def run_suite(suite: str | SuiteConfig = "quick", out: str | Path | None = "benchmarks/results",
              cases: Sequence[str] | None = None, seed: int = 0, *, solvers: Sequence[str] | None = None,
              scorers: Sequence[str] | None = None, command: str | None = None,
              progress: Callable[[str], None] | None = None) -> SuiteResult:
    """Run a benchmark suite and write ``results.json``, ``results.md`` and plots.

    Parameters
    ----------
    suite : str or SuiteConfig, default "quick"
        ``"tiny"`` (seconds, for tests), ``"quick"`` (≤ 2 minutes on 2 cores),
        ``"standard"`` (the issues' sizes; many minutes), or a :class:`SuiteConfig`.
    out : path-like or None, default "benchmarks/results"
        Results go to ``out / <suite name>/``; ``None`` writes nothing.
    cases : sequence of str, optional
        Subset of :data:`CASES` (default: all, in order).
    seed : int, default 0
        Seeds every instance and scenario; same seed, same instances.
    solvers, scorers : sequence of str, optional
        Subset of the registered competitors (default: all, including those added
        with :func:`register_solver` / :func:`register_scorer`).
    command : str, optional
        How the run was started (recorded in the outputs).
    progress : callable, optional
        Called with a short message before each case.

    Returns
    -------
    SuiteResult

    Raises
    ------
    ParameterError
        Unknown suite, case or competitor name.

    Examples
    --------
    >>> result = run_suite("tiny", out=None, cases=["solvers"], solvers=["jhmatch flow", "OR-Tools raw min-cost flow"])
    >>> t = result.table("solvers")
    >>> sorted(set(t["status"])), bool(t["optimal"].all())
    (['ok'], True)
    """
    if isinstance(suite, str):
        if suite not in SUITES:
            raise ParameterError(f"unknown suite {suite!r}; expected one of {sorted(SUITES)}")
        cfg = SUITES[suite]
    elif isinstance(suite, SuiteConfig):
        cfg = suite
    else:
        raise ParameterError(f"suite must be a name or a SuiteConfig, got {type(suite).__name__}")
    chosen = list(CASES) if cases is None else list(cases)
    unknown = [c for c in chosen if c not in CASES]
    if unknown:
        raise ParameterError(f"unknown cases {unknown}; expected some of {list(CASES)}")
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise ParameterError(f"seed must be an integer, got {seed!r}")
    solver_specs = _pick(solvers, registered_solvers(), "solvers")
    scorer_specs = _pick(scorers, registered_scorers(), "scorers")
    command = command or f"jhmatch bench --suite {cfg.name} --seed {seed}"
    machine = machine_info()
    t0 = time.perf_counter()
    results: dict[str, CaseResult] = {}
    runners: dict[str, Callable[[], CaseResult]] = {
        "throughput": lambda: case_throughput(cfg, seed, scorer_specs),
        "quality": lambda: case_quality(cfg, seed, scorer_specs),
        "solvers": lambda: case_solvers(cfg, seed, solver_specs),
        "rules": lambda: case_rules(cfg, seed, solver_specs),
        "orlib": lambda: case_orlib(cfg, seed, solver_specs),
        "scaling": lambda: case_scaling(cfg, seed, solver_specs),
        "training": lambda: case_training(cfg, seed),
    }
    for name in CASES:
        if name in chosen:
            if progress is not None:
                progress(f"{cfg.name}: {name} ...")
            results[name] = runners[name]()
    seconds = time.perf_counter() - t0
    files: dict[str, Path] = {}
    if out is not None:
        folder = Path(out) / cfg.name
        folder.mkdir(parents=True, exist_ok=True)
        plots, plot_note = write_plots(folder, results)
        files.update(plots)
        payload = {
            "suite": cfg.name, "seed": seed, "command": command, "seconds": seconds,
            "config": dataclasses.asdict(cfg), "machine": machine,
            "competitors": {
                "solvers": {n: {"kind": s.kind, "source": s.source, "requires": list(s.requires),
                                "max_pairs": s.max_pairs, "description": s.description}
                            for n, s in solver_specs.items()},
                "scorers": {n: {"kind": s.kind, "source": s.source, "requires": list(s.requires),
                                "description": s.description} for n, s in scorer_specs.items()},
            },
            "cases": {name: case_payload(case) for name, case in results.items()},
            "plots": sorted(p.name for p in plots.values()), "plot_note": plot_note,
        }
        files["json"] = write_json(folder / "results.json", payload)
        files["markdown"] = write_markdown(folder / "results.md", f"jhmatch benchmark suite: {cfg.name}", machine,
                                           results, command, plots, plot_note, k=cfg.quality_k)
    return SuiteResult(cfg, seed, machine, results, files, seconds)
