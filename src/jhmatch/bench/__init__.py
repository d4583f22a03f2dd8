"""Benchmark suite: matching throughput and quality, solvers against peers, OR-Library, scaling.

:func:`run_suite` runs a built-in suite (``"tiny"``, ``"quick"``, ``"standard"``)
and writes ``results.json``, ``results.md`` and PNG plots. Researchers add their
own competitors with :func:`register_solver` and :func:`register_scorer` and get
the same tables with their entry as a row. Peers that are not installed are
reported as ``skipped`` with the reason (``pip install 'jhmatch[bench]'``).
"""

from jhmatch.bench._measure import Measured, machine_info, measure
from jhmatch.bench.config import CASES, SUITES, CaseResult, SuiteConfig, SuiteResult
from jhmatch.bench.instances import random_problem
from jhmatch.bench.registry import (
    ScorerSpec,
    SolverSpec,
    TrainingData,
    register_scorer,
    register_solver,
    registered_scorers,
    registered_solvers,
    unregister_scorer,
    unregister_solver,
)
from jhmatch.bench.solvers import SolutionCheck, check_solution
from jhmatch.bench.suite import run_suite

__all__ = [
    "CASES",
    "SUITES",
    "CaseResult",
    "Measured",
    "ScorerSpec",
    "SolutionCheck",
    "SolverSpec",
    "SuiteConfig",
    "SuiteResult",
    "TrainingData",
    "check_solution",
    "machine_info",
    "measure",
    "random_problem",
    "register_scorer",
    "register_solver",
    "registered_scorers",
    "registered_solvers",
    "run_suite",
    "unregister_scorer",
    "unregister_solver",
]
