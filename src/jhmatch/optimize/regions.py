"""Regions of an allocation problem, and a feasible allocation from the regions' choices.

The pieces of the decomposition backend (:mod:`jhmatch.optimize.backends.decompose`)
that run in the calling process: which region every person belongs to
(:func:`regions_of`), the regional subproblems (:func:`region_payloads`), and the
two ways to turn the regions' choices, which may overfill a shared post, into a
feasible allocation: a free repair (:func:`repair`: each post keeps its best
``capacity`` persons) and the exact master problem over the shared posts
(:func:`master`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from jhmatch.errors import ParameterError, Problem, SchemaError
from jhmatch.i18n import gettext as _
from jhmatch.matching.score_matrix import ScoreMatrix  # noqa: F401 - used by the doctests
from jhmatch.optimize.mcf import max_value_assignment
from jhmatch.optimize.problem import AllocationProblem
from jhmatch.optimize.ranks import ranks_within

__all__ = ["master", "rank_within", "region_payloads", "regions_of", "repair"]


def regions_of(problem: AllocationProblem, regions: Any = "county") -> np.ndarray:
    """Region code (0, 1, ...) of every person of ``problem``.

    Parameters
    ----------
    problem : AllocationProblem
    regions : "county", "components", str, array or None
        ``"county"`` (or any other column of ``problem.persons``): that column;
        ``"components"``: connected components of the candidate graph (no shared
        posts at all); an array: one label per person; ``None``: ``"county"`` when
        the persons table has that column, else ``"components"``.

    Raises
    ------
    SchemaError
        The named column is not in the persons table.
    ParameterError
        An array without one label per person.

    Examples
    --------
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame(
    ...     {"person_id": ["a", "b", "c"], "post_id": ["x", "x", "y"], "score": [0.9, 0.5, 0.7]}))
    >>> regions_of(AllocationProblem(sm, [1, 1]), "components").tolist()
    [0, 0, 1]
    """
    n = problem.n_persons
    if regions is None:
        regions = "county" if problem.persons is not None and "county" in problem.persons.columns else "components"
    if isinstance(regions, str) and regions == "components":
        from scipy.sparse.csgraph import connected_components

        m = problem.n_posts
        adj = sp.coo_array((np.ones(problem.n_pairs), (problem.pair_person, n + problem.pair_post)),
                           shape=(n + m, n + m))
        _count, labels = connected_components(adj, directed=False)
        return pd.factorize(labels[:n], sort=False)[0].astype(np.int64)
    if isinstance(regions, str):
        if problem.persons is None or regions not in problem.persons.columns:
            raise SchemaError([Problem(None, regions, "(missing column)",
                                       "a persons column naming each person's region (build the problem "
                                       "with AllocationProblem.from_frames, or pass regions='components')")],
                              "persons")
        labels = problem.persons[regions].astype("object").fillna("").astype(str).to_numpy()
    else:
        labels = np.asarray(regions, dtype=object).astype(str)
        if labels.shape != (n,):
            raise ParameterError(_("regions must have one label per person ({n}), got shape {shape}").format(
                n=n, shape=labels.shape))
    return pd.factorize(labels, sort=True)[0].astype(np.int64)


def region_payloads(problem: AllocationProblem, preg: np.ndarray) -> list[dict[str, Any]]:
    """One subproblem per non-empty region ``r`` of the person regions ``preg``.

    Each is a dict: ``pair`` (the region's pairs, global indices, kept by the
    caller), ``row``/``col`` (local person and post of each pair), ``values``,
    ``caps`` and ``posts`` (the region's posts: capacity and global index) and
    ``n_rows`` (the region's persons with a candidate).

    Examples
    --------
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame(
    ...     {"person_id": ["a", "b", "c"], "post_id": ["x", "x", "y"], "score": [0.9, 0.5, 0.7]}))
    >>> [p["pair"].tolist() for p in region_payloads(AllocationProblem(sm, [1, 1]), np.array([0, 1, 1]))]
    [[0], [1, 2]]
    """
    rows, cols, vals = problem.pair_person, problem.pair_post, problem.values
    pair_reg = preg[rows]
    order = np.argsort(pair_reg, kind="stable")
    bounds = np.searchsorted(pair_reg[order], np.arange(int(preg.max(initial=-1)) + 2))
    out = []
    for r in range(bounds.size - 1):
        idx = order[bounds[r]:bounds[r + 1]]
        if not idx.size:
            continue
        prow, lrow = np.unique(rows[idx], return_inverse=True)
        pcol, lcol = np.unique(cols[idx], return_inverse=True)
        # the global pair indices stay here: workers answer with positions in their payload
        out.append({"region": r, "pair": idx, "row": lrow.astype(np.int32), "col": lcol.astype(np.int32),
                    "values": vals[idx], "caps": problem.capacities[pcol], "posts": pcol,
                    "n_rows": prow.size})
    return out


def rank_within(group: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Rank (0 = largest ``key``) of every element within its ``group``; ties by position."""
    return ranks_within(group, key, descending=True)


def repair(problem: AllocationProblem, sel: np.ndarray) -> np.ndarray:
    """Feasible allocation from regional choices at no cost: each post keeps its best ``capacity`` persons."""
    cols = problem.pair_post[sel]
    return np.sort(sel[rank_within(cols, problem.values[sel]) < problem.capacities[cols]])


def master(problem: AllocationProblem, sel: np.ndarray, shared: np.ndarray) -> tuple[np.ndarray, int]:
    """Feasible allocation from regional choices: the shared posts are re-allocated exactly.

    Placements on posts that are not shared are kept (each region respects every
    capacity, so only shared posts can be overfilled). The master problem takes
    the persons the regions placed on shared posts, and for every shared post its
    best ``capacity`` outsiders (unplaced persons; only where the post has room or
    the outsider values it above its worst placed person); it allocates them
    exactly over the shared posts (full capacity) and the places left on the
    others. A shared post brings at most its capacity once per region sharing it,
    plus once more, whatever the size of the regions.
    """
    rows, cols, vals = problem.pair_person, problem.pair_post, problem.values
    n, m = problem.n_persons, problem.n_posts
    on_shared = shared[cols[sel]]
    fixed, on = sel[~on_shared], sel[on_shared]
    left = problem.capacities - np.bincount(cols[fixed], minlength=m)
    placed = np.zeros(n, bool)
    placed[rows[fixed]] = True
    free = np.zeros(n, bool)
    free[rows[on]] = True
    worst = np.full(m, np.inf)
    np.minimum.at(worst, cols[on], vals[on])
    worst[np.bincount(cols[on], minlength=m) < problem.capacities] = 0.0
    outside = np.flatnonzero(shared[cols] & ~placed[rows] & ~free[rows] & (vals > worst[cols]))
    best = rank_within(cols[outside], vals[outside]) < problem.capacities[cols[outside]]
    free[rows[outside[best]]] = True
    cand = np.flatnonzero(free[rows] & (shared[cols] | (left[cols] > 0)))
    if not cand.size:
        return np.sort(fixed), 0
    caps = np.where(shared, problem.capacities, left)
    prow, lrow = np.unique(rows[cand], return_inverse=True)
    pcol, lcol = np.unique(cols[cand], return_inverse=True)
    chosen, _value, _bound = max_value_assignment(lrow.astype(np.int64), lcol.astype(np.int64), vals[cand], caps[pcol],
                                        cand, prow.size)
    return np.sort(np.concatenate([fixed, chosen])), int(prow.size)
