"""Plan reserved posts across counties: which candidate sites to open, jointly with who fills them.

A capacitated facility-location MILP (HiGHS via ``scipy.optimize.milp``):

- ``y[s]`` opens candidate site ``s`` (a tobacco outlet, a kiosk point, a welfare
  post bundle, ...) at cost ``open_cost[s]``; an open site takes at most
  ``max_posts[s]`` persons;
- ``x[i, s]`` places person ``i`` at site ``s`` of the same county whose kind the
  person suits (``suitability``: person, kind, score);
- plan totals per kind (e.g. ≥ 300 tobacco outlets' operators, ≥ 500 welfare
  posts), optional per-county limits per kind, and the kiosk rule (an opened
  point reserves at least ``share`` of its ``site_posts`` for disabled persons);
- tobacco-outlet spacing (:class:`SpacingRule`): two outlets closer than the
  effective distance cannot both open (exempt / reduced distance / no relaxation).

Objective: maximise ``sum(weight × score × x) - sum(open_cost × y)`` minus penalties
of soft totals. Status and bound follow the :class:`~jhmatch.optimize.Status`
rules (OPTIMAL only when proven).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

from jhmatch.errors import ParameterError, Problem, SchemaError
from jhmatch.optimize.result import Status

__all__ = ["PlanResult", "SpacingRule", "plan_reserved_posts"]


@dataclass(frozen=True)
class SpacingRule:
    """Minimum distance between tobacco outlets, and how it is relaxed for disabled applicants.

    ``mode``: ``"none"`` (the standard distance applies), ``"reduced"`` (standard
    minus ``reduction_m``) or ``"exempt"`` (no spacing). The 30 m / -10 m defaults
    are what comparable cities use (PARAM, see docs/domain.md), not Jinhua figures.

    Examples
    --------
    >>> SpacingRule("reduced").distance_m, SpacingRule("exempt").distance_m
    (20.0, 0.0)
    """

    mode: str = "reduced"
    standard_m: float = 30.0
    reduction_m: float = 10.0
    kinds: tuple[str, ...] = ("tobacco_outlet",)

    @property
    def distance_m(self) -> float:
        """Effective minimum distance in metres."""
        if self.mode == "none":
            return float(self.standard_m)
        if self.mode == "reduced":
            return max(float(self.standard_m - self.reduction_m), 0.0)
        if self.mode == "exempt":
            return 0.0
        raise ParameterError(f"spacing mode must be 'none', 'reduced' or 'exempt', got {self.mode!r}")


@dataclass(frozen=True, eq=False)
class PlanResult:
    """Outcome of :func:`plan_reserved_posts`.

    Attributes
    ----------
    status : Status
    message : str
    objective, bound, gap : float or None
    sites : DataFrame
        The candidate sites with ``opened`` and ``filled``.
    assignments : DataFrame
        ``person_id, site_id, kind, county, score``.
    by_county : DataFrame
        ``county, kind, sites_opened, posts_filled``.
    targets : DataFrame
        ``kind, target, achieved, shortfall``.
    """

    status: Status
    message: str
    objective: float
    bound: float | None
    gap: float | None
    sites: pd.DataFrame
    assignments: pd.DataFrame
    by_county: pd.DataFrame
    targets: pd.DataFrame


def _need(frame: pd.DataFrame, table: str, cols: tuple[str, ...]) -> None:
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        raise SchemaError([Problem(None, c, "(missing column)", f"a {c!r} column") for c in missing], table)


def _conflicts(sites: pd.DataFrame, rule: SpacingRule) -> np.ndarray:
    """Pairs (s, t) of spaced-kind sites closer than the rule's distance (local metric projection)."""
    d = rule.distance_m
    idx = np.flatnonzero(sites["kind"].isin(rule.kinds).to_numpy())
    if d <= 0 or idx.size < 2:
        return np.zeros((0, 2), np.int64)
    _need(sites, "sites", ("lat", "lon"))
    from scipy.spatial import cKDTree

    lat = sites["lat"].to_numpy(dtype=float)[idx]
    lon = sites["lon"].to_numpy(dtype=float)[idx]
    r = 6_371_000.0
    xy = np.column_stack([np.radians(lon) * r * np.cos(np.radians(lat.mean())), np.radians(lat) * r])
    pairs = np.array(sorted(cKDTree(xy).query_pairs(d - 1e-9)), dtype=np.int64).reshape(-1, 2)
    return idx[pairs]


def plan_reserved_posts(
    persons: pd.DataFrame,
    suitability: pd.DataFrame,
    sites: pd.DataFrame,
    targets: Mapping[str, int] | None = None,
    county_limits: pd.DataFrame | None = None,
    kiosk_share: float = 0.10,
    spacing: SpacingRule | None = None,
    weights: np.ndarray | None = None,
    soft_targets: float | None = None,
    time_limit: float | None = None,
    gap: float | None = None,
) -> PlanResult:
    """Decide which sites to open in each county and who fills them.

    Parameters
    ----------
    persons : DataFrame
        ``person_id, county``.
    suitability : DataFrame
        ``person_id, kind, score`` (score in (0, 1]) for the kinds a person suits.
    sites : DataFrame
        ``site_id, county, kind, max_posts``; optional ``open_cost`` (objective
        units), ``site_posts`` (all posts at a kiosk point, for ``kiosk_share``),
        ``lat, lon`` (needed for spacing).
    targets : mapping kind -> int, optional
        Minimum placements per kind across the city (e.g. ``{"tobacco_outlet": 300}``).
    county_limits : DataFrame, optional
        ``county, kind, max_posts``: at most that many placements of the kind there.
    kiosk_share : float
        An opened site with ``site_posts`` reserves at least this share of them.
    spacing : SpacingRule, optional
        Default ``SpacingRule("reduced")``.
    weights : array, optional
        Priority weight per person (default 1).
    soft_targets : float, optional
        Penalty per missing placement; ``None`` makes the targets hard.
    time_limit, gap : float, optional
        Passed to HiGHS.

    Examples
    --------
    >>> persons = pd.DataFrame({"person_id": ["a", "b", "c"], "county": ["330727"] * 3})
    >>> suit = pd.DataFrame({"person_id": ["a", "b", "c"], "kind": ["tobacco_outlet"] * 3, "score": [0.9, 0.8, 0.7]})
    >>> sites = pd.DataFrame({"site_id": ["s1", "s2"], "county": ["330727"] * 2, "kind": ["tobacco_outlet"] * 2,
    ...                       "max_posts": [1, 1], "lat": [29.05, 29.05001], "lon": [120.4, 120.4]})
    >>> plan = plan_reserved_posts(persons, suit, sites, spacing=SpacingRule("none"))  # 1.1 m apart: one opens
    >>> plan.status.value, int(plan.sites["opened"].sum()), round(plan.objective, 6)
    ('optimal', 1, 0.9)
    >>> int(plan_reserved_posts(persons, suit, sites, spacing=SpacingRule("exempt")).sites["opened"].sum())
    2
    """
    t0 = time.perf_counter()
    _need(persons, "persons", ("person_id", "county"))
    _need(suitability, "suitability", ("person_id", "kind", "score"))
    _need(sites, "sites", ("site_id", "county", "kind", "max_posts"))
    spacing = spacing or SpacingRule()
    sites = sites.reset_index(drop=True)
    n_p, n_s = len(persons), len(sites)
    w = np.ones(n_p) if weights is None else np.asarray(weights, dtype=float)
    person_pos = pd.Series(np.arange(n_p), index=persons["person_id"].astype(object))
    pairs = (suitability[["person_id", "kind", "score"]]
             .merge(persons[["person_id", "county"]], on="person_id")
             .merge(sites[["site_id", "county", "kind"]].assign(site=np.arange(n_s)), on=["county", "kind"]))
    pi = person_pos.reindex(pairs["person_id"].astype(object)).to_numpy(dtype=np.int64)
    si = pairs["site"].to_numpy(dtype=np.int64)
    e = len(pairs)
    value = w[pi] * pairs["score"].to_numpy(dtype=float)
    cost = sites["open_cost"].to_numpy(dtype=float) if "open_cost" in sites.columns else np.zeros(n_s)
    cap = sites["max_posts"].to_numpy(dtype=float)
    kinds = sites["kind"].astype(str).to_numpy()
    target = {str(k): float(v) for k, v in (targets or {}).items()}
    tk = sorted(target)
    n_slack = len(tk) if soft_targets is not None else 0
    nv = e + n_s + n_slack  # x, y, slack
    rows: list[sp.csr_array] = []
    lbs: list[np.ndarray] = []
    ubs: list[np.ndarray] = []

    def add(a: sp.coo_array, lb: np.ndarray, ub: np.ndarray) -> None:
        rows.append(sp.csr_array(a, shape=(a.shape[0], nv)))
        lbs.append(lb)
        ubs.append(ub)

    add(sp.coo_array((np.ones(e), (pi, np.arange(e))), shape=(n_p, nv)), np.full(n_p, -np.inf), np.ones(n_p))
    # site capacity: sum_i x - cap * y <= 0, and the kiosk reserve: sum_i x - need * y >= 0
    need = np.zeros(n_s)
    if "site_posts" in sites.columns:
        need = np.ceil(kiosk_share * sites["site_posts"].fillna(0).to_numpy(dtype=float) - 1e-9)
    r = np.concatenate([si, np.arange(n_s)])
    c = np.concatenate([np.arange(e), e + np.arange(n_s)])
    add(sp.coo_array((np.concatenate([np.ones(e), -cap]), (r, c)), shape=(n_s, nv)), np.full(n_s, -np.inf), np.zeros(n_s))
    if need.any():
        add(sp.coo_array((np.concatenate([np.ones(e), -need]), (r, c)), shape=(n_s, nv)), np.zeros(n_s), np.full(n_s, np.inf))
    conf = _conflicts(sites, spacing)
    if conf.size:
        k = len(conf)
        add(sp.coo_array((np.ones(2 * k), (np.repeat(np.arange(k), 2), e + conf.ravel())), shape=(k, nv)),
            np.full(k, -np.inf), np.ones(k))
    if tk:
        kind_pair = kinds[si]
        rr = [np.flatnonzero(kind_pair == k) for k in tk]
        rix = np.concatenate([np.full(x.size, j) for j, x in enumerate(rr)])
        cix = np.concatenate(rr)
        a = sp.coo_array((np.ones(cix.size), (rix, cix)), shape=(len(tk), nv))
        if n_slack:
            a = sp.coo_array(sp.hstack([sp.csr_array(a)[:, : e + n_s], sp.eye_array(len(tk))]))
        add(a, np.array([target[k] for k in tk]), np.full(len(tk), np.inf))
    if county_limits is not None:
        _need(county_limits, "county_limits", ("county", "kind", "max_posts"))
        key = pd.MultiIndex.from_arrays([pairs["county"].astype(str), pairs["kind"].astype(str)])
        lim = county_limits.assign(county=county_limits["county"].astype(str), kind=county_limits["kind"].astype(str))
        row = pd.MultiIndex.from_frame(lim[["county", "kind"]]).get_indexer(key)
        ok = row >= 0
        add(sp.coo_array((np.ones(int(ok.sum())), (row[ok], np.flatnonzero(ok))), shape=(len(lim), nv)),
            np.full(len(lim), -np.inf), lim["max_posts"].to_numpy(dtype=float))
    obj = np.concatenate([-value, cost, np.full(n_slack, float(soft_targets or 0.0))])
    ub = np.concatenate([np.ones(e + n_s), np.full(n_slack, np.inf)])
    integrality = np.concatenate([np.ones(e + n_s), np.zeros(n_slack)])
    options: dict[str, object] = {"disp": False, "mip_rel_gap": float(gap or 0.0)}
    if time_limit is not None:
        options["time_limit"] = float(time_limit)
    res = milp(obj, integrality=integrality, bounds=Bounds(np.zeros(nv), ub),
               constraints=[LinearConstraint(sp.vstack(rows, format="csr"), np.concatenate(lbs), np.concatenate(ubs))],
               options=options)
    if res.x is None:
        status = Status.INFEASIBLE if res.status == 2 else Status.TIME_LIMIT
        z = np.zeros(nv)
    else:
        status = Status.OPTIMAL if res.status == 0 else Status.TIME_LIMIT
        z = np.round(res.x)
    x, y = z[:e] > 0.5, z[e:e + n_s] > 0.5
    objective = float(-obj @ z) if res.x is not None else float("nan")
    dual = getattr(res, "mip_dual_bound", None)
    bound = None if dual is None or res.x is None else float(-dual)
    gap_v = None if bound is None else max(bound - objective, 0.0) / max(abs(objective), 1e-9)
    filled = np.bincount(si[x], minlength=n_s)
    out_sites = sites.assign(opened=y, filled=filled)
    assign = pairs.loc[x, ["person_id", "site_id", "kind", "county", "score"]].reset_index(drop=True)
    by_county = (out_sites.groupby(["county", "kind"], sort=True)
                 .agg(sites_opened=("opened", "sum"), posts_filled=("filled", "sum")).reset_index())
    achieved = [int(filled[kinds == k].sum()) for k in tk]
    tgt = pd.DataFrame({"kind": tk, "target": [target[k] for k in tk], "achieved": achieved,
                        "shortfall": [max(target[k] - a, 0) for k, a in zip(tk, achieved)]})
    msg = {Status.OPTIMAL: "optimal (HiGHS)", Status.TIME_LIMIT: "time limit reached",
           Status.INFEASIBLE: "infeasible: the targets, capacities, county limits and spacing cannot all hold; "
                              "try soft_targets=<penalty> to see the shortfall per kind"}[status]
    msg += f" in {time.perf_counter() - t0:.2f}s; spacing {spacing.mode} ({spacing.distance_m:g} m), "
    msg += f"{len(conf)} conflicting site pair(s)"
    if status is Status.INFEASIBLE:
        objective = float("nan")
    return PlanResult(status, msg, objective, bound, gap_v, out_sites, assign, by_county, tgt)
