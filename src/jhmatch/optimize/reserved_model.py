"""The reserved-post planning model, aggregated by (county, kind), and its exact MILP.

A person's value at a site depends only on the site's county and kind (their
suitability for the kind), so sites of one (county, kind) *group* are
interchangeable but for their own limits. The model therefore places persons in
groups (``x[i, g]``, binary) and fills sites with counts (``f[s]``, continuous):

- ``sum_g x[i, g] <= 1`` per person; ``sum_i x[i, g] = sum_{s in g} f[s]`` per group;
- ``f[s] <= cap[s] * y[s]`` and ``f[s] >= need[s] * y[s]`` (the kiosk reserve);
- ``y[s] + y[t] <= 1`` for sites closer than the spacing rule allows;
- per kind ``sum f >= target`` (with a priced slack when targets are soft); per
  (county, kind) ``sum f <= limit``.

Every total the rules constrain is a sum of group totals, which are integers when
``x`` is; so integral fills always exist (:func:`split_fills`) and the model is
exact, with about one binary per (person, suited kind) instead of one per
(person, site): 15,000 instead of 190,000 for a 20,000-person city.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint

from jhmatch.optimize.deadline import Deadline, run_highs

__all__ = ["PlanModel", "build_plan_model", "solve_plan_milp", "split_fills"]


@dataclass(frozen=True, eq=False)
class PlanModel:
    """Arrays of an aggregated planning instance (see the module docstring)."""

    n_persons: int
    n_groups: int
    pg_person: np.ndarray  # person index of each (person, group) pair
    pg_group: np.ndarray
    pg_score: np.ndarray
    pg_value: np.ndarray  # weight x score
    site_group: np.ndarray
    cap: np.ndarray
    need: np.ndarray
    cost: np.ndarray
    site_kind: np.ndarray  # str per site
    conflicts: np.ndarray  # (k, 2) site pairs that cannot both open
    target_kinds: list[str]
    targets: np.ndarray
    penalty: float | None  # None: hard targets
    limit_groups: np.ndarray  # group of each county limit row
    limits: np.ndarray

    @property
    def n_pairs(self) -> int:
        """Number of (person, group) pairs."""
        return int(self.pg_person.size)

    @property
    def n_sites(self) -> int:
        """Number of candidate sites."""
        return int(self.cap.size)


def build_plan_model(persons: pd.DataFrame, suitability: pd.DataFrame, sites: pd.DataFrame, weights: np.ndarray,
                     need: np.ndarray, conflicts: np.ndarray, targets: dict[str, float], penalty: float | None,
                     county_limits: pd.DataFrame | None) -> PlanModel:
    """Group the sites by (county, kind) and the persons' suited kinds onto those groups.

    Examples
    --------
    >>> persons = pd.DataFrame({"person_id": ["a", "b"], "county": ["A", "A"]})
    >>> suit = pd.DataFrame({"person_id": ["a", "b"], "kind": ["kiosk", "kiosk"], "score": [0.5, 0.7]})
    >>> sites = pd.DataFrame({"site_id": ["s", "t"], "county": ["A", "A"], "kind": ["kiosk", "kiosk"], "max_posts": [1, 1]})
    >>> m = build_plan_model(persons, suit, sites, np.ones(2), np.zeros(2), np.zeros((0, 2), int), {}, None, None)
    >>> m.n_groups, m.pg_person.tolist(), m.site_group.tolist()
    (1, [0, 1], [0, 0])
    """
    county = sites["county"].astype("object").astype(str).to_numpy()
    kind = sites["kind"].astype("object").astype(str).to_numpy()
    keys = pd.MultiIndex.from_arrays([county, kind])
    groups = keys.unique()
    site_group = groups.get_indexer(keys).astype(np.int64)
    pos = pd.Series(np.arange(len(persons)), index=pd.Index(persons["person_id"].astype(object)))
    pos = pos[~pos.index.duplicated()]
    suit = suitability[["person_id", "kind", "score"]].astype({"person_id": object})
    pi = pos.reindex(pd.Index(suit["person_id"])).to_numpy()
    ok = ~np.isnan(pi.astype(float))
    pi = pi[ok].astype(np.int64)
    p_county = persons["county"].astype("object").astype(str).to_numpy()[pi]
    g = groups.get_indexer(pd.MultiIndex.from_arrays([p_county, suit["kind"].astype(str).to_numpy()[ok]]))
    score = suit["score"].to_numpy(dtype=float)[ok]
    keep = g >= 0
    frame = pd.DataFrame({"p": pi[keep], "g": g[keep], "s": score[keep]})
    frame = frame.sort_values(["p", "g", "s"], ascending=[True, True, False], kind="stable")
    frame = frame.drop_duplicates(["p", "g"], keep="first")  # the best score of duplicated (person, kind) rows
    pg_person = frame["p"].to_numpy(dtype=np.int64)
    pg_group = frame["g"].to_numpy(dtype=np.int64)
    pg_score = frame["s"].to_numpy(dtype=float)
    cost = sites["open_cost"].to_numpy(dtype=float) if "open_cost" in sites.columns else np.zeros(len(sites))
    tk = sorted(targets)
    lim_g, lim = np.zeros(0, np.int64), np.zeros(0)
    if county_limits is not None and len(county_limits):
        rows = groups.get_indexer(pd.MultiIndex.from_arrays([county_limits["county"].astype(str).to_numpy(),
                                                              county_limits["kind"].astype(str).to_numpy()]))
        lim_g, lim = rows[rows >= 0].astype(np.int64), county_limits["max_posts"].to_numpy(dtype=float)[rows >= 0]
    return PlanModel(len(persons), len(groups), pg_person, pg_group, pg_score, weights[pg_person] * pg_score,
                     site_group, sites["max_posts"].to_numpy(dtype=float), need, cost, kind, conflicts, tk,
                     np.array([targets[k] for k in tk], dtype=float), penalty, lim_g, lim)


def split_fills(model: PlanModel, group_totals: np.ndarray, fills: np.ndarray, opened: np.ndarray) -> np.ndarray:
    """Integral fills per site with the given group totals, close to ``fills``, within each open site's limits.

    Every open site first gets its ``need``; the rest of a group's total goes to its
    open sites in order of their (solver's) fill, each up to its capacity.

    Examples
    --------
    >>> persons = pd.DataFrame({"person_id": ["a", "b"], "county": ["A", "A"]})
    >>> suit = pd.DataFrame({"person_id": ["a", "b"], "kind": ["kiosk", "kiosk"], "score": [0.5, 0.7]})
    >>> sites = pd.DataFrame({"site_id": ["s", "t"], "county": ["A", "A"], "kind": ["kiosk", "kiosk"], "max_posts": [2, 2]})
    >>> m = build_plan_model(persons, suit, sites, np.ones(2), np.array([0.0, 1.0]), np.zeros((0, 2), int), {}, None, None)
    >>> split_fills(m, np.array([3.0]), np.array([1.4, 1.6]), np.array([True, True])).tolist()
    [1.0, 2.0]
    """
    out = np.where(opened, model.need, 0.0)
    order = np.lexsort((np.arange(fills.size), -fills, model.site_group))
    left = group_totals.astype(float) - np.bincount(model.site_group, weights=out, minlength=model.n_groups)
    for s in order:
        if not opened[s]:
            continue
        g = model.site_group[s]
        add = min(model.cap[s] - out[s], max(left[g], 0.0))
        out[s] += add
        left[g] -= add
    return np.round(out)


def _matrix(model: PlanModel) -> tuple[sp.csr_array, np.ndarray, np.ndarray, int]:
    e, s, t = model.n_pairs, model.n_sites, len(model.target_kinds)
    n_slack = t if model.penalty is not None else 0
    nv = e + 2 * s + n_slack
    f0, y0 = e, e + s
    blocks, lbs, ubs = [], [], []

    def add(r, c, v, n_rows, lb, ub):
        blocks.append(sp.csr_array((v, (r, c)), shape=(n_rows, nv)))
        lbs.append(np.broadcast_to(np.asarray(lb, float), (n_rows,)))
        ubs.append(np.broadcast_to(np.asarray(ub, float), (n_rows,)))

    add(model.pg_person, np.arange(e), np.ones(e), model.n_persons, -np.inf, 1.0)
    add(np.concatenate([model.pg_group, model.site_group]), np.concatenate([np.arange(e), f0 + np.arange(s)]),
        np.concatenate([np.ones(e), -np.ones(s)]), model.n_groups, 0.0, 0.0)
    sites = np.arange(s)
    add(np.concatenate([sites, sites]), np.concatenate([f0 + sites, y0 + sites]),
        np.concatenate([np.ones(s), -model.cap]), s, -np.inf, 0.0)
    needy = np.flatnonzero(model.need > 0)
    if needy.size:
        k = np.arange(needy.size)
        add(np.concatenate([k, k]), np.concatenate([f0 + needy, y0 + needy]),
            np.concatenate([np.ones(k.size), -model.need[needy]]), k.size, 0.0, np.inf)
    if len(model.conflicts):
        k = len(model.conflicts)
        add(np.repeat(np.arange(k), 2), y0 + model.conflicts.ravel(), np.ones(2 * k), k, -np.inf, 1.0)
    if t:
        kind_row = pd.Index(model.target_kinds).get_indexer(model.site_kind)
        inside = np.flatnonzero(kind_row >= 0)
        r, c = kind_row[inside], f0 + inside
        v = np.ones(inside.size)
        if n_slack:
            r, c = np.concatenate([r, np.arange(t)]), np.concatenate([c, e + 2 * s + np.arange(t)])
            v = np.concatenate([v, np.ones(t)])
        add(r, c, v, t, model.targets, np.inf)
    if model.limits.size:
        r, c = np.nonzero(model.limit_groups[:, None] == model.site_group[None, :])  # few rows x sites
        add(r, f0 + c, np.ones(r.size), model.limits.size, -np.inf, model.limits)
    return sp.csr_array(sp.vstack(blocks, format="csr")), np.concatenate(lbs), np.concatenate(ubs), n_slack


def solve_plan_milp(model: PlanModel, deadline: Deadline, gap: float | None):
    """Solve the aggregated MILP by ``deadline``; returns ``(result, x, fills, opened)`` (arrays None without a solution).

    Examples
    --------
    >>> persons = pd.DataFrame({"person_id": ["a", "b"], "county": ["A", "A"]})
    >>> suit = pd.DataFrame({"person_id": ["a", "b"], "kind": ["kiosk", "kiosk"], "score": [0.5, 0.7]})
    >>> sites = pd.DataFrame({"site_id": ["s"], "county": ["A"], "kind": ["kiosk"], "max_posts": [1]})
    >>> m = build_plan_model(persons, suit, sites, np.ones(2), np.zeros(1), np.zeros((0, 2), int), {}, None, None)
    >>> res, x, fills, opened = solve_plan_milp(m, Deadline(10), None)
    >>> res.status, x.tolist(), fills.tolist(), opened.tolist()
    (0, [False, True], [1.0], [True])
    """
    e, s = model.n_pairs, model.n_sites
    a, lb, ub, n_slack = _matrix(model)
    c = np.concatenate([-model.pg_value, np.zeros(s), model.cost, np.full(n_slack, float(model.penalty or 0.0))])
    upper = np.concatenate([np.ones(e), model.cap, np.ones(s), np.full(n_slack, np.inf)])
    integrality = np.concatenate([np.ones(e), np.zeros(s), np.ones(s), np.zeros(n_slack)])
    res = run_highs(c, integrality=integrality, bounds=Bounds(np.zeros(c.size), upper),
                    constraints=[LinearConstraint(a, lb, ub)],
                    options={"disp": False, "mip_rel_gap": float(gap or 0.0)}, deadline=deadline)
    if res.x is None:
        return res, None, None, None
    z = np.asarray(res.x)
    x = z[:e] > 0.5
    opened = z[e + s: e + 2 * s] > 0.5
    totals = np.bincount(model.pg_group[x], minlength=model.n_groups).astype(float)
    fills = split_fills(model, totals, z[e: e + s], opened)
    # an empty site open at no cost is the same plan as that site closed: report it closed
    return res, x, fills, opened & ((fills > 0) | (model.cost < 0))
