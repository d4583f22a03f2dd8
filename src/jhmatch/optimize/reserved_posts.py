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

Solved in two steps, both within the time limit: the min-cost-flow relaxation
(:mod:`jhmatch.optimize.reserved_flow`) gives an upper bound and, once repaired, a
plan that keeps every rule — optimal when nothing needed repair; otherwise the MILP,
aggregated by (county, kind) (:mod:`jhmatch.optimize.reserved_model`: one binary per
person and suited kind, not per person and site), runs with the time left, and the
better of the two plans is returned with its gap.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from jhmatch.checks import non_negative_number, one_of, rate
from jhmatch.errors import Problem, SchemaError, SolverError
from jhmatch.i18n import N_
from jhmatch.i18n import gettext as _
from jhmatch.optimize.deadline import Deadline
from jhmatch.optimize.reserved_flow import flow_plan, plan_objective
from jhmatch.optimize.reserved_model import PlanModel, build_plan_model, solve_plan_milp
from jhmatch.optimize.result import Status

__all__ = ["SPACING_MODES", "ReservedPostPlan", "SpacingRule", "plan_reserved_posts", "solve_plan"]

SPACING_MODES: Mapping[str, str] = MappingProxyType({"none": N_("standard distance"), "reduced": N_("reduced distance"),
                                                     "exempt": N_("no spacing")})
"""Plain names of the spacing modes (English; translated where shown)."""


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

    def __post_init__(self) -> None:
        one_of("spacing mode", self.mode, tuple(SPACING_MODES))
        non_negative_number("standard_m", self.standard_m)
        non_negative_number("reduction_m", self.reduction_m)

    @property
    def distance_m(self) -> float:
        """Effective minimum distance in metres."""
        if self.mode == "none":
            return float(self.standard_m)
        if self.mode == "reduced":
            return max(float(self.standard_m - self.reduction_m), 0.0)
        return 0.0


@dataclass(frozen=True, eq=False)
class ReservedPostPlan:
    """Outcome of :func:`plan_reserved_posts`: the reserved-post plan (formerly ``PlanResult``).

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
    method: str = "auto",
) -> ReservedPostPlan:
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
    time_limit : float, optional
        Seconds for the whole planning (``None``: no limit); a plan found by then is
        returned with status ``time_limit`` and its gap, never an empty plan presented
        as a plan. Ends within ``time_limit + jhmatch.limits.TIME_LIMIT_SLACK``.
    gap : float, optional
        Relative gap at which to stop (HiGHS ``mip_rel_gap``; default 0: optimal).
    method : {"auto", "flow", "milp"}
        ``"auto"``: the repaired flow relaxation first (fast; optimal when nothing
        needed repair), then the aggregated MILP with the time left;
        ``"flow"``: the repaired relaxation only; ``"milp"``: the MILP only.

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
    deadline = Deadline(time_limit)
    gap = None if gap is None else rate("gap", gap, below_one=True)
    one_of("method", method, ("auto", "flow", "milp"))
    _need(persons, "persons", ("person_id", "county"))
    _need(suitability, "suitability", ("person_id", "kind", "score"))
    _need(sites, "sites", ("site_id", "county", "kind", "max_posts"))
    spacing = spacing or SpacingRule()
    sites = sites.reset_index(drop=True)
    w = np.ones(len(persons)) if weights is None else np.asarray(weights, dtype=float)
    need = np.zeros(len(sites))
    if "site_posts" in sites.columns:
        need = np.ceil(kiosk_share * sites["site_posts"].fillna(0).to_numpy(dtype=float) - 1e-9)
    conf = _conflicts(sites, spacing)
    if county_limits is not None:
        _need(county_limits, "county_limits", ("county", "kind", "max_posts"))
    target = {str(k): float(v) for k, v in (targets or {}).items()}
    model = build_plan_model(persons, suitability, sites, w, need, conf, target, soft_targets, county_limits)
    return solve_plan(model, persons, sites, deadline, gap, method, spacing)


def _assemble(model: PlanModel, persons: pd.DataFrame, sites: pd.DataFrame, x: np.ndarray | None,
              fills: np.ndarray | None, opened: np.ndarray | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sites with ``opened``/``filled`` and the person-to-site assignments of a plan (empty without one)."""
    n_s = model.n_sites
    if x is None or fills is None or opened is None:
        x, fills, opened = np.zeros(model.n_pairs, bool), np.zeros(n_s), np.zeros(n_s, bool)
    sel = np.flatnonzero(x)
    sel = sel[np.lexsort((model.pg_person[sel], -model.pg_value[sel], model.pg_group[sel]))]
    site_order = np.lexsort((np.arange(n_s), model.site_group))
    slots = np.repeat(site_order, fills[site_order].astype(np.int64))
    if slots.size != sel.size:  # a bug, never a plan: every placed person has exactly one place
        raise SolverError(f"reserved-post plan does not add up: {sel.size} persons for {slots.size} places")
    site = sites.iloc[slots]
    assign = pd.DataFrame({"person_id": persons["person_id"].to_numpy()[model.pg_person[sel]],
                           "site_id": site["site_id"].to_numpy(), "kind": site["kind"].to_numpy(),
                           "county": site["county"].to_numpy(), "score": model.pg_score[sel]})
    assign = assign.sort_values(["site_id", "person_id"], kind="stable").reset_index(drop=True)
    return sites.assign(opened=opened, filled=fills.astype(np.int64)), assign


def solve_plan(model: PlanModel, persons: pd.DataFrame, sites: pd.DataFrame, deadline: Deadline,
               gap: float | None = None, method: str = "auto", spacing: SpacingRule | None = None) -> ReservedPostPlan:
    """Solve an aggregated planning model by ``deadline`` (see :func:`plan_reserved_posts`).

    Examples
    --------
    >>> from jhmatch.optimize.reserved_model import build_plan_model
    >>> persons = pd.DataFrame({"person_id": ["a", "b"], "county": ["A", "A"]})
    >>> suit = pd.DataFrame({"person_id": ["a", "b"], "kind": ["kiosk", "kiosk"], "score": [0.5, 0.7]})
    >>> sites = pd.DataFrame({"site_id": ["s"], "county": ["A"], "kind": ["kiosk"], "max_posts": [1]})
    >>> m = build_plan_model(persons, suit, sites, np.ones(2), np.zeros(1), np.zeros((0, 2), int), {}, None, None)
    >>> plan = solve_plan(m, persons, sites, Deadline(10))
    >>> plan.status.value, plan.assignments["person_id"].tolist()
    ('optimal', ['b'])
    """
    spacing = spacing or SpacingRule()
    target = max(float(gap or 0.0), 1e-9)
    bound: float | None = None
    best: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    status, how = Status.TIME_LIMIT, ""
    if method in ("auto", "flow"):
        fp = flow_plan(model)
        bound = fp.bound
        if not fp.targets_reachable:
            status, how = Status.INFEASIBLE, "flow"
        elif model.penalty is not None or not plan_objective(model, fp.x, fp.fills, fp.opened)[1].any():
            best = (fp.x, fp.fills, fp.opened)  # keeps every rule (hard targets checked after the repair)
            obj, _short = plan_objective(model, *best)
            if bound - obj <= target * max(abs(obj), 1e-9):
                status, how = Status.OPTIMAL, "flow"
            elif method == "flow":
                status, how = Status.FEASIBLE, "flow"
        elif method == "flow":
            status, how = Status.ERROR, "flow"
    if status is Status.TIME_LIMIT and method != "flow":
        res, x, fills, opened = solve_plan_milp(model, deadline, gap)
        dual = getattr(res, "mip_dual_bound", None)
        if dual is not None and np.isfinite(dual) and x is not None:
            bound = -float(dual) if bound is None else min(bound, -float(dual))
        if res.status == 2:
            status, how, best = Status.INFEASIBLE, "milp", None
        elif x is not None:
            mine = (x, fills, opened)
            if best is None or plan_objective(model, *mine)[0] >= plan_objective(model, *best)[0]:
                best = mine
            status, how = (Status.OPTIMAL, "milp") if res.status == 0 else (Status.TIME_LIMIT, "milp")
        elif res.status not in (0, 1):
            raise SolverError(f"HiGHS returned status {res.status} for the reserved-post plan: {res.message}")
    if status is Status.INFEASIBLE:
        best = None
    out_sites, assign = _assemble(model, persons, sites, *(best or (None, None, None)))
    objective, gap_v = float("nan"), None
    filled = out_sites["filled"].to_numpy(dtype=float)
    if best is not None:
        objective = plan_objective(model, *best)[0]
        if bound is not None:
            bound = max(bound, objective)
            gap_v = max(bound - objective, 0.0) / max(abs(objective), 1e-9)
            gap_v = 0.0 if gap_v < 1e-9 else gap_v
    else:
        bound = None
    kinds = out_sites["kind"].astype(str).to_numpy()
    achieved = [int(filled[kinds == k].sum()) for k in model.target_kinds]
    tgt = pd.DataFrame({"kind": model.target_kinds, "target": model.targets.tolist(), "achieved": achieved,
                        "shortfall": [max(t - a, 0) for t, a in zip(model.targets.tolist(), achieved)]})
    by_county = (out_sites.groupby(["county", "kind"], sort=True)
                 .agg(sites_opened=("opened", "sum"), posts_filled=("filled", "sum")).reset_index())
    msg = _plan_message(status, how, best is not None, deadline.elapsed(), gap_v)
    msg += _("; spacing: {mode} ({distance} m), {n} conflicting site pair(s)").format(
        mode=_(SPACING_MODES.get(spacing.mode, spacing.mode)), distance=f"{spacing.distance_m:g}",
        n=len(model.conflicts))
    return ReservedPostPlan(status, msg, objective, bound, gap_v, out_sites, assign, by_county, tgt)


def _plan_message(status: Status, how: str, has_plan: bool, seconds: float, gap: float | None) -> str:
    fmt = {"seconds": f"{seconds:.2f}", "gap": "n/a" if gap is None else f"{gap:.2%}"}
    if status is Status.OPTIMAL and how == "flow":
        return _("optimal in {seconds} s: the plan of the flow relaxation keeps every rule").format(**fmt)
    if status is Status.OPTIMAL:
        return _("optimal (HiGHS) in {seconds} s").format(**fmt)
    if status is Status.FEASIBLE:
        return _("a plan that keeps every rule, found in {seconds} s; not proven optimal (gap {gap})").format(**fmt)
    if status is Status.ERROR:
        return _("the repaired flow relaxation found no plan that meets the hard targets; use the method 'auto'")
    if status is Status.INFEASIBLE:
        return _("infeasible: the targets, capacities, county limits and spacing cannot all hold; give the targets "
                 "a penalty (soft targets) to see the shortfall per kind")
    if has_plan:
        return _("time limit reached in {seconds} s; the best plan found keeps every rule but is not proven "
                 "optimal (gap {gap})").format(**fmt)
    return _("time limit reached in {seconds} s before any plan that keeps every rule was found").format(**fmt)


def __getattr__(name: str) -> object:
    if name == "PlanResult":  # the old, ambiguous name (issue 15): kept one release
        import warnings

        warnings.warn("PlanResult is deprecated; use ReservedPostPlan", DeprecationWarning, stacklevel=2)
        return ReservedPostPlan
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
