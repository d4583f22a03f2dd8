"""Hypothesis strategies and independent oracles for the optimize tests."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from jhmatch.matching.score_matrix import ScoreMatrix
from jhmatch.optimize import AllocationProblem

COUNTIES = ["330702", "330782"]
CATEGORIES = ["visual", "physical"]
KINDS = ["kiosk", "tobacco_outlet"]


@dataclass
class Instance:
    """A random problem with its attribute tables."""

    scores: ScoreMatrix
    persons: pd.DataFrame
    posts: pd.DataFrame
    weights: np.ndarray

    def problem(self, constraints=()) -> AllocationProblem:
        return AllocationProblem.from_frames(self.scores, self.persons, self.posts, constraints=constraints,
                                             weights=self.weights)


@st.composite
def instances(draw, max_persons: int = 5, max_posts: int = 3, density: float | None = None) -> Instance:
    n = draw(st.integers(1, max_persons))
    m = draw(st.integers(1, max_posts))
    if density is None:
        mask = draw(arrays(bool, (n, m)))
    else:
        seed = draw(st.integers(0, 2**31 - 1))
        mask = np.random.default_rng(seed).random((n, m)) < density
    vals = draw(arrays(np.float64, (n, m), elements=st.sampled_from([0.1, 0.2, 0.35, 0.5, 0.7, 0.9, 1.0])))
    weights = draw(arrays(np.float64, n, elements=st.sampled_from([1.0, 1.5, 2.0])))
    caps = draw(arrays(np.int64, m, elements=st.integers(0, 2)))
    i, j = np.nonzero(mask)
    sm = ScoreMatrix(sp.csr_array((vals[i, j], (i, j)), shape=(n, m)), np.array([f"p{k}" for k in range(n)]),
                     np.array([f"q{k}" for k in range(m)]))
    pick = lambda opts, size: draw(arrays(np.int64, size, elements=st.integers(0, len(opts) - 1)))  # noqa: E731
    persons = pd.DataFrame({
        "person_id": sm.person_ids,
        "county": np.array(COUNTIES)[pick(COUNTIES, n)],
        "category": np.array(CATEGORIES)[pick(CATEGORIES, n)],
        "graduate": draw(arrays(bool, n)),
        "willing": draw(arrays(bool, n, elements=st.sampled_from([True, True, False]))),
        "household_id": np.array(["h0", "h1", "h2"])[pick([0, 1, 2], n)],
        "household_difficulty": draw(arrays(bool, n)),
        "low_income": False,
    })
    posts = pd.DataFrame({
        "post_id": sm.post_ids,
        "kind": np.array(KINDS)[pick(KINDS, m)],
        "county": np.array(COUNTIES)[pick(COUNTIES, m)],
        "capacity": caps,
        "site_id": np.array(["s0", "s1"])[pick([0, 1], m)],
    })
    return Instance(sm, persons, posts, weights)


def brute_force(inst: Instance, ok: Callable[[np.ndarray], bool] = lambda c: True) -> float | None:
    """Best total weight × score over every choice (post index or -1 per person) that fits capacities and ``ok``."""
    dense = inst.scores.scores.toarray()
    n, m = dense.shape
    willing = inst.persons["willing"].to_numpy()  # from_frames drops the pairs of unwilling persons
    options = [[-1, *np.flatnonzero(dense[i] > 0).tolist()] if willing[i] else [-1] for i in range(n)]
    caps = inst.posts["capacity"].to_numpy()
    best = None
    for choice in itertools.product(*options):
        c = np.array(choice)
        placed = c >= 0
        if (np.bincount(c[placed], minlength=m) > caps).any() or not ok(c):
            continue
        value = float((inst.weights[placed] * dense[np.flatnonzero(placed), c[placed]]).sum())
        best = value if best is None or value > best else best
    return best


def choice_of(result, inst: Instance) -> np.ndarray:
    """Post index or -1 per person, from an Allocation's assignments."""
    c = np.full(len(inst.scores.person_ids), -1)
    pi = pd.Index(inst.scores.person_ids).get_indexer(result.assignments["person_id"])
    qi = pd.Index(inst.scores.post_ids).get_indexer(result.assignments["post_id"])
    c[pi] = qi
    return c


# ---- independent rule checks on a choice vector (mirroring the documented semantics)

def graduates_placed(inst: Instance) -> Callable[[np.ndarray], bool]:
    must = (inst.persons["graduate"] & inst.persons["willing"]).to_numpy()
    return lambda c: bool((c[must] >= 0).all())


def households_covered(inst: Instance) -> Callable[[np.ndarray], bool]:
    has_cand = np.diff(inst.scores.scores.indptr) > 0
    elig = (inst.persons["household_difficulty"] & inst.persons["willing"]).to_numpy() & has_cand
    hh = inst.persons["household_id"].to_numpy()

    def ok(c: np.ndarray) -> bool:
        return all((c[elig & (hh == h)] >= 0).any() for h in set(hh[elig]))
    return ok


def county_floor(inst: Instance, k: int) -> Callable[[np.ndarray], bool]:
    will = inst.persons["willing"].to_numpy()
    county = inst.persons["county"].to_numpy()

    def ok(c: np.ndarray) -> bool:
        return all(((c >= 0) & will & (county == x)).sum() >= k for x in set(county[will]))
    return ok


def category_floor(inst: Instance, k: int) -> Callable[[np.ndarray], bool]:
    will = inst.persons["willing"].to_numpy()
    cat = inst.persons["category"].to_numpy()

    def ok(c: np.ndarray) -> bool:
        return all(((c >= 0) & will & (cat == x)).sum() >= k for x in set(cat[will]))
    return ok


def kind_target(inst: Instance, kind: str, k: int) -> Callable[[np.ndarray], bool]:
    kinds = inst.posts["kind"].to_numpy()
    return lambda c: int((kinds[c[c >= 0]] == kind).sum()) >= k


def all_of(*checks: Callable[[np.ndarray], bool]) -> Callable[[np.ndarray], bool]:
    return lambda c: all(f(c) for f in checks)
