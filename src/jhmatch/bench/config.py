"""Suite configurations and result types."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd

__all__ = ["CASES", "SUITES", "CaseResult", "SuiteConfig", "SuiteResult"]

CASES = ("throughput", "quality", "solvers", "rules", "orlib", "scaling", "training")
"""The benchmark cases, in run order."""


@dataclass(frozen=True)
class SuiteConfig:
    """Sizes and limits of one suite.

    Attributes
    ----------
    name : str
        Suite name (also the output sub-folder).
    throughput_sizes : tuple of int
        Persons in the throughput case; posts are ``persons / posts_ratio_matching``.
    posts_ratio_matching : int
        Persons per post in the throughput case (issue 3: 100,000 × 10,000).
    quality_persons : int
        Persons in the quality scenario (``make_jinhua``; posts = 0.3 × persons).
    quality_test_share : float
        Share of persons held out as new persons (evaluated); the rest have a
        placement history (training).
    quality_history : int
        Placements in the training history.
    quality_k : int
        Cut-off of the ranking metrics (NDCG@k etc.).
    relevance_threshold : float
        A post is relevant to a person when the hidden model's probability that the
        placement lasts six months is at least this (default 0.5: more likely than not
        to last; nearly every held-out person then has a relevant post, so persons with
        severe disabilities are not left out of the means).
    solver_sizes : tuple of (persons, posts, candidates per person)
        Instances of the solver case.
    rules_sizes : tuple of (persons, posts, candidates per person)
        Instances of the rules case (plan rules as side constraints).
    rules_gap : float
        Relative gap at which the rules case's solvers may stop.
    orlib_assign : tuple of str
        OR-Library assignment instances (``()``: none).
    orlib_gap : tuple of int
        OR-Library ``gapK`` files, type c (5 instances each).
    scaling_sizes : tuple of int
        Persons in the scaling curves; posts = persons / 10, ``scaling_k`` candidates each.
    scaling_k : int
    scaling_budget : float
        A solver taking longer than this (seconds) at one size is skipped at larger sizes.
    time_limit : float
        Seconds given to each MILP peer.
    """

    name: str
    throughput_sizes: tuple[int, ...] = (2_000,)
    posts_ratio_matching: int = 10
    quality_persons: int = 2_000
    quality_test_share: float = 0.25
    quality_history: int = 4_000
    quality_k: int = 10
    relevance_threshold: float = 0.5
    solver_sizes: tuple[tuple[int, int, int], ...] = ((500, 50, 10),)
    rules_sizes: tuple[tuple[int, int, int], ...] = ((300, 30, 6),)
    rules_gap: float = 1e-3
    orlib_assign: tuple[str, ...] = ()
    orlib_gap: tuple[int, ...] = ()
    scaling_sizes: tuple[int, ...] = (1_000, 2_000)
    scaling_k: int = 20
    scaling_budget: float = 60.0
    time_limit: float = 60.0


SUITES: Mapping[str, SuiteConfig] = MappingProxyType({
    "tiny": SuiteConfig(
        "tiny", throughput_sizes=(300,), quality_persons=400, quality_history=800,
        solver_sizes=((120, 12, 4), (300, 30, 6)), rules_sizes=((300, 30, 6),), orlib_assign=("assign100",), orlib_gap=(1,),
        scaling_sizes=(500, 1_000, 2_000), scaling_budget=20.0, time_limit=20.0),
    "quick": SuiteConfig(
        "quick", throughput_sizes=(2_000, 10_000), quality_persons=3_000, quality_history=6_000,
        solver_sizes=((500, 50, 10), (1_000, 100, 15), (2_000, 200, 20)), rules_sizes=((1_000, 100, 15),),
        orlib_assign=("assign100", "assign400", "assignp800", "assignp1500"), orlib_gap=(1, 6),
        scaling_sizes=(1_000, 2_000, 5_000, 10_000, 20_000), scaling_budget=20.0, time_limit=30.0),
    "standard": SuiteConfig(
        "standard", throughput_sizes=(10_000, 30_000, 100_000), quality_persons=12_000, quality_history=30_000,
        solver_sizes=((500, 50, 10), (2_000, 100, 20), (2_000, 200, 50), (5_000, 500, 30), (20_000, 2_000, 50),
                      (100_000, 5_000, 30)),
        rules_sizes=((2_000, 200, 20), (20_000, 2_000, 50)),
        orlib_assign=("assign100", "assign200", "assign300", "assign400", "assign500", "assign600", "assign700",
                      "assign800", "assignp800", "assignp1500", "assignp3000", "assignp5000"),
        orlib_gap=tuple(range(1, 13)),
        scaling_sizes=(1_000, 3_000, 10_000, 30_000, 100_000, 300_000, 1_000_000), scaling_budget=120.0,
        time_limit=120.0),
})
"""Built-in suites: ``tiny`` (tests, seconds), ``quick`` (≤ 2 minutes on 2 cores), ``standard`` (the issues' sizes)."""


@dataclass(frozen=True)
class CaseResult:
    """The figures of one case.

    Attributes
    ----------
    name : str
        Case name (one of :data:`CASES`).
    title : str
        Heading for the report.
    table : DataFrame
        One row per (instance, competitor); ``status`` is ``ok``, ``skipped``,
        ``failed`` or ``invalid``, with the ``reason``.
    notes : tuple of str
        How the figures were made (protocol, units, caveats).
    summary : mapping
        Headline figures.
    seconds : float
        Wall time of the whole case.
    """

    name: str
    title: str
    table: pd.DataFrame
    notes: tuple[str, ...] = ()
    summary: Mapping[str, Any] = field(default_factory=dict)
    seconds: float = 0.0


@dataclass(frozen=True)
class SuiteResult:
    """Everything :func:`jhmatch.bench.run_suite` measured, and where it wrote it.

    Attributes
    ----------
    suite : SuiteConfig
    seed : int
    machine : mapping
        Cores, RAM, versions, date (:func:`jhmatch.bench.machine_info`).
    cases : mapping of str to CaseResult
    files : mapping of str to Path
        ``"json"``, ``"markdown"`` and one entry per plot written.
    seconds : float
        Wall time of the suite.
    """

    suite: SuiteConfig
    seed: int
    machine: Mapping[str, Any]
    cases: Mapping[str, CaseResult]
    files: Mapping[str, Path]
    seconds: float

    def table(self, case: str) -> pd.DataFrame:
        """The table of one case (a copy)."""
        return self.cases[case].table.copy()

    def headlines(self) -> list[str]:
        """A few lines with the headline figures of each case (for a terminal)."""
        from jhmatch.bench.report import headlines

        return headlines(self.cases)

    def __repr__(self) -> str:
        return (f"SuiteResult(suite={self.suite.name!r}, seed={self.seed}, cases={list(self.cases)}, "
                f"seconds={self.seconds:.1f})")
