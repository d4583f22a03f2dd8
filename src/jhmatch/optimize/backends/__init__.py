"""Solver backends sharing one protocol (:class:`~jhmatch.optimize.backends.base.Backend`)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from jhmatch.optimize.backends.base import Backend, SolveOptions
from jhmatch.optimize.backends.decompose import DecomposeBackend
from jhmatch.optimize.backends.flow import FlowBackend
from jhmatch.optimize.backends.greedy import GreedyBackend
from jhmatch.optimize.backends.lap import LapBackend
from jhmatch.optimize.backends.milp import MilpBackend
from jhmatch.optimize.backends.stable import StableBackend, blocking_pairs, deferred_acceptance

__all__ = [
    "BACKENDS",
    "Backend",
    "DecomposeBackend",
    "FlowBackend",
    "GreedyBackend",
    "LapBackend",
    "MilpBackend",
    "SolveOptions",
    "StableBackend",
    "blocking_pairs",
    "deferred_acceptance",
]

BACKENDS: Mapping[str, Backend] = MappingProxyType({
    b.name: b for b in (FlowBackend(), MilpBackend(), LapBackend(), GreedyBackend(), StableBackend(),
                        DecomposeBackend())
})
"""Registered backends by name (read-only: ``solve(method=...)`` accepts exactly these)."""
