"""jhmatch.optimize: allocate persons to posts under the plan's rules.

Build an :class:`AllocationProblem` from a :class:`~jhmatch.matching.ScoreMatrix`
(plus capacities, priority weights and constraint objects), then
:func:`solve` it with one of the backends (``"flow"``, ``"milp"``, ``"lap"``,
``"greedy"``, ``"stable"``, ``"decompose"``, or ``"auto"``) to get an
:class:`Allocation`. ``"decompose"`` solves regions side by side through any
executor (:mod:`jhmatch.executor`; a Dask client with ``client=``).
:func:`tradeoff` prices fairness between counties or categories (the worst group's placement
rate relative to the city's, :class:`RelativeRateFloor`) and :func:`lift_groups` lifts chosen groups.
:func:`plan_reserved_posts` decides which reserved-post sites to open per county.
The cross-county quota chain, which prices placements with the policy's fund rule,
is :func:`jhmatch.policy.chain.quota_chain` (a layer above).
"""

from __future__ import annotations

from jhmatch.optimize.backends import BACKENDS, Backend, SolveOptions, blocking_pairs, deferred_acceptance
from jhmatch.optimize.constraints import (
    Block,
    CategoryFloor,
    Constraint,
    GraduateGuarantee,
    HouseholdCoverage,
    KindTarget,
    LinearRows,
    PlacementGuarantee,
    RegionCap,
    RegionFloor,
    ReservedShare,
)
from jhmatch.optimize.fairness import RelativeRateFloor
from jhmatch.optimize.problem import AllocationProblem, PriorityWeights
from jhmatch.optimize.reserved_posts import ReservedPostPlan, SpacingRule, plan_reserved_posts
from jhmatch.optimize.result import Allocation, Diagnosis, Status
from jhmatch.optimize.solve import choose_method, solve
from jhmatch.optimize.tradeoff import GroupLift, TradeoffCurve, TradeoffPoint, lift_groups, tradeoff

__all__ = [
    "BACKENDS",
    "Allocation",
    "AllocationProblem",
    "Backend",
    "Block",
    "CategoryFloor",
    "Constraint",
    "Diagnosis",
    "GraduateGuarantee",
    "GroupLift",
    "HouseholdCoverage",
    "KindTarget",
    "LinearRows",
    "PlacementGuarantee",
    "PriorityWeights",
    "RegionCap",
    "RegionFloor",
    "RelativeRateFloor",
    "ReservedPostPlan",
    "ReservedShare",
    "SolveOptions",
    "SpacingRule",
    "Status",
    "TradeoffCurve",
    "TradeoffPoint",
    "blocking_pairs",
    "choose_method",
    "deferred_acceptance",
    "lift_groups",
    "plan_reserved_posts",
    "solve",
    "tradeoff",
]


def __getattr__(name: str) -> object:
    if name == "PlanResult":  # the old, ambiguous name of ReservedPostPlan (issue 15): kept one release
        import warnings

        warnings.warn("PlanResult is deprecated; use ReservedPostPlan", DeprecationWarning, stacklevel=2)
        return ReservedPostPlan
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
