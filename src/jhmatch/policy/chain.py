"""Cross-county quota employment (异地按比例就业) as one min-cost flow (OR-Tools).

The plan's chain (金政办发〔2022〕50号 §二(三): "按比例就业用工企业 — 劳务派遣人力资源中介服务企业 —
就业基地 — 残疾人") lets employers short of their disability-employment quota hire
persons from (mountain) counties through labour-dispatch intermediaries and
employment bases::

    source -> employer (steps) -> intermediary (capacity, fee) -> base (capacity) -> person (1) -> sink

The money comes from :mod:`jhmatch.policy` only (one rule, one home): an employer's
*steps* are the employment security fund it would owe after each further placement,
computed by :func:`jhmatch.policy.fund_due` with the placed persons counted at the
employer as dispatched staff (``dispatched_in``: +1 staff, +1 disabled each). Exempt
employers (enterprises with ≤ 30 staff) and employers at or above the quota owe
nothing and get no steps, so no placements. The shortfall is fractional; an employer
gets ``ceil(shortfall / (1 − quota_ratio))`` steps, enough to meet the quota with
persons who count once.

The flow first maximises the number of placements and, among maximum flows,
minimises the fund still owed plus the intermediaries' fees
(``SimpleMinCostFlow.solve_max_flow_with_min_cost``, through the min-cost-flow kernel
:mod:`jhmatch.optimize.mcf` and its integer cost rule). Because the 50 % / 90 % tiers
make the fund a non-convex function of the placements, each step is priced by the
concave envelope of the employer's cumulative savings (exact at the envelope's
corners). The figures reported — fund due before and after, per employer and in
total — are recomputed by :func:`~jhmatch.policy.fund_due` on the result, with each
placed person's own severity (grade 1–2 counts ×2), so ``fund_saved`` is exactly
``fund_due`` before minus after.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from jhmatch.errors import Problem, SchemaError, SolverError
from jhmatch.i18n import N_
from jhmatch.optimize.mcf import cost_scale, integer_costs, solve_min_cost_flow
from jhmatch.policy.fund import fund_due
from jhmatch.policy.parameters import ParameterValue, PolicyParameters
from jhmatch.policy.quota import _resolve
from jhmatch.policy.tables import validate_policy_employers

__all__ = ["ChainResult", "fund_steps", "quota_chain"]


@dataclass(frozen=True, eq=False)
class ChainResult:
    """Outcome of :func:`quota_chain`.

    Attributes
    ----------
    placements : DataFrame
        ``employer_id, intermediary_id, base_id, person_id, severe`` of every placement.
    employers : DataFrame
        Per employer: ``employer_id, county, exempt, steps, shortfall_before,
        fund_due_before, placed, placed_severe, shortfall_after, fund_due_after,
        fund_saved, explanation`` (the fund from :func:`jhmatch.policy.fund_due`).
    total_placed : int
        Number of placements (the maximum possible).
    fund_before, fund_after : float
        Fund due in total before and after the placements.
    fund_saved : float
        ``fund_before − fund_after``.
    fees : float
        Intermediary fees paid.
    parameters : tuple of ParameterValue
        The policy parameters used (with status: PARAM values are placeholders).
    """

    placements: pd.DataFrame
    employers: pd.DataFrame
    total_placed: int
    fund_before: float
    fund_after: float
    fund_saved: float
    fees: float
    parameters: tuple[ParameterValue, ...] = ()


def _need(frame: pd.DataFrame, table: str, cols: tuple[str, ...]) -> None:
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        raise SchemaError([Problem(None, c, "(missing column)", f"a {c!r} column") for c in missing], table)


def _links(frame: pd.DataFrame | None, left: pd.Series, right: pd.Series, lname: str, rname: str) -> pd.DataFrame:
    if frame is None:  # everyone with everyone
        return pd.DataFrame({lname: np.repeat(left.to_numpy(), len(right)), rname: np.tile(right.to_numpy(), len(left))})
    _need(frame, "links", (lname, rname))
    return frame[[lname, rname]].drop_duplicates()


def _with_placed(df: pd.DataFrame, rows: np.ndarray, placed: np.ndarray, severe: np.ndarray) -> pd.DataFrame:
    """Employers ``rows`` of ``df`` with ``placed`` (of which ``severe``) more persons dispatched in."""
    out = df.iloc[rows].reset_index(drop=True)
    out["employer_id"] = pd.array([f"{i}#{k}" for i, k in enumerate(np.arange(len(rows)))], dtype="string")
    out["dispatched_in"] = out["dispatched_in"].to_numpy(dtype=np.int64) + placed.astype(np.int64)
    out["dispatched_in_severe"] = out["dispatched_in_severe"].to_numpy(dtype=np.int64) + severe.astype(np.int64)
    out.attrs = dict(df.attrs)
    return out


def _envelope(saving: np.ndarray) -> np.ndarray:
    """Marginal savings of the concave envelope of ``cumsum(saving)`` (non-increasing)."""
    pts = np.concatenate([[0.0], np.cumsum(saving)])
    hull = [0]
    for k in range(1, len(pts)):  # upper hull of (k, F(k)), a few points per employer
        while len(hull) >= 2:
            a, b = hull[-2], hull[-1]
            if (pts[b] - pts[a]) * (k - a) <= (pts[k] - pts[a]) * (b - a):
                hull.pop()
            else:
                break
        hull.append(k)
    out = np.empty(len(saving))
    for a, b in itertools.pairwise(hull):
        out[a:b] = (pts[b] - pts[a]) / (b - a)
    return out


def fund_steps(employers: pd.DataFrame, params: PolicyParameters | None = None, *,
               year: int | None = None) -> pd.DataFrame:
    """The fund an employer would owe after each further placement (the chain's prices).

    Parameters
    ----------
    employers : DataFrame
        See :data:`jhmatch.policy.POLICY_EMPLOYERS` (``average_wage`` where a fund is due).
    params : PolicyParameters, optional
        Parameters in force; default those of 31 December of ``year``.
    year : int, optional
        The year of the fund.

    Returns
    -------
    DataFrame
        ``employer_id, step, fund_due, saving, envelope_saving``: step ``k`` places the
        k-th person (counted once); ``saving`` is the fund due at step k − 1 minus at k,
        ``envelope_saving`` its concave envelope (what the flow is priced by).

    Examples
    --------
    >>> emp = pd.DataFrame({"employer_id": ["e1", "e2"], "county": ["义乌"] * 2, "staff": [200, 20],
    ...                     "disabled_staff": [1, 0], "average_wage": [80000, 80000]})
    >>> fund_steps(emp, year=2025)[["employer_id", "step", "fund_due"]].round(2).values.tolist()
    [['e1', 1, 73080.0], ['e1', 2, 1200.0], ['e1', 3, 0.0]]
    """
    p = _resolve(params, year)
    df = validate_policy_employers(employers)
    before = fund_due(df, p).table
    owes = before["fund_due"].to_numpy() > 0
    per_step = 1.0 - p.quota_ratio  # a placement adds 1 to the count and 1 to the staff
    n = np.where(owes, np.ceil(before["shortfall"].to_numpy() / per_step - 1e-9), 0).astype(np.int64)
    rows = np.repeat(np.arange(len(df)), n)
    step = np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n) + 1
    after = fund_due(_with_placed(df, rows, step, np.zeros_like(step)), p).table["fund_due"].to_numpy()
    prev = np.where(step == 1, before["fund_due"].to_numpy()[rows], np.concatenate([[0.0], after[:-1]]))
    saving = prev - after
    envelope = np.empty(len(saving))
    starts = np.cumsum(n) - n
    for i in np.flatnonzero(n):  # one short loop per owing employer
        envelope[starts[i]:starts[i] + n[i]] = _envelope(saving[starts[i]:starts[i] + n[i]])
    return pd.DataFrame({"employer_id": df["employer_id"].to_numpy()[rows], "step": step, "fund_due": after,
                         "saving": saving, "envelope_saving": envelope})


def quota_chain(
    employers: pd.DataFrame,
    intermediaries: pd.DataFrame,
    bases: pd.DataFrame,
    persons: pd.DataFrame,
    params: PolicyParameters | None = None,
    *,
    year: int | None = None,
    employer_intermediary: pd.DataFrame | None = None,
    intermediary_base: pd.DataFrame | None = None,
    base_person: pd.DataFrame | None = None,
) -> ChainResult:
    """Place persons through the employer → intermediary → base chain.

    Parameters
    ----------
    employers : DataFrame
        An employers table for the policy rules (:data:`jhmatch.policy.POLICY_EMPLOYERS`:
        ``employer_id, county, staff, disabled_staff``, optional ``severe_disabled_staff``,
        ``is_enterprise``, ``average_wage`` — needed where a fund is due).
    intermediaries : DataFrame
        ``intermediary_id, capacity`` and optional ``fee`` per placement.
    bases : DataFrame
        ``base_id, county, capacity``.
    persons : DataFrame
        ``person_id, county`` and optional ``severe`` (grade 1–2: counts ×2 once placed);
        a person can work at bases of their county unless ``base_person`` lists the pairs.
    params : PolicyParameters, optional
        Parameters in force; default those of 31 December of ``year``.
    year : int, optional
        The year of the fund (when ``params`` is not given).
    employer_intermediary, intermediary_base, base_person : DataFrame, optional
        Allowed links (default: all employer–intermediary and intermediary–base
        pairs; bases with persons of the same county).

    Returns
    -------
    ChainResult

    Examples
    --------
    >>> emp = pd.DataFrame({"employer_id": ["e1", "e2", "e3"], "county": ["义乌"] * 3, "staff": [400, 100, 25],
    ...                     "disabled_staff": [2, 0, 0], "average_wage": [80000] * 3})
    >>> mid = pd.DataFrame({"intermediary_id": ["d1"], "capacity": [10]})
    >>> bases = pd.DataFrame({"base_id": ["b1"], "county": ["330727"], "capacity": [3]})
    >>> persons = pd.DataFrame({"person_id": ["p1", "p2", "p3", "p4"], "county": ["330727"] * 3 + ["330702"]})
    >>> res = quota_chain(emp, mid, bases, persons, year=2025)
    >>> res.employers["placed"].tolist(), res.employers["fund_due_after"].round(2).tolist()
    ([3, 0, 0], [41800.0, 108000.0, 0.0])
    >>> round(res.fund_before - res.fund_after, 2) == round(res.fund_saved, 2) == 246200.0
    True
    """
    p = _resolve(params, year)
    _need(intermediaries, "intermediaries", ("intermediary_id", "capacity"))
    _need(bases, "bases", ("base_id", "county", "capacity"))
    _need(persons, "persons", ("person_id", "county"))
    df = validate_policy_employers(employers)
    before = fund_due(df, p)
    steps = fund_steps(df, p)
    fee = intermediaries["fee"].to_numpy(dtype=float) if "fee" in intermediaries.columns else np.zeros(len(intermediaries))
    e_ids, d_ids = df["employer_id"].astype(object), intermediaries["intermediary_id"]
    b_ids, p_ids = bases["base_id"], persons["person_id"]
    ed = _links(employer_intermediary, e_ids, d_ids, "employer_id", "intermediary_id")
    db = _links(intermediary_base, d_ids, b_ids, "intermediary_id", "base_id")
    if base_person is None:
        bp = bases[["base_id", "county"]].merge(persons[["person_id", "county"]], on="county")[["base_id", "person_id"]]
    else:
        bp = _links(base_person, b_ids, p_ids, "base_id", "person_id")
    ne, nd, nb, npn, ns = len(df), len(intermediaries), len(bases), len(persons), len(steps)
    # nodes: 0 source, 1 sink, employers, intermediaries in/out, bases in/out, persons
    e0 = 2
    d_in, d_out = e0 + ne, e0 + ne + nd
    b_in, b_out = d_out + nd, d_out + nd + nb
    p0 = b_out + nb

    def idx(ids: pd.Series, values: pd.Series, what: str) -> np.ndarray:
        pos = pd.Index(ids.astype(object)).get_indexer(values.astype(object))
        if (pos < 0).any():
            raise SchemaError([Problem(None, what, values.to_numpy()[pos < 0][0], f"a known {what}")], "links")
        return pos

    gain = steps["envelope_saving"].to_numpy(dtype=float)
    step_emp = idx(e_ids, steps["employer_id"].astype(object), "employer_id")
    tails = [np.zeros(ns, np.int64), e0 + idx(e_ids, ed["employer_id"], "employer_id"),
             d_in + np.arange(nd), d_out + idx(d_ids, db["intermediary_id"], "intermediary_id"),
             b_in + np.arange(nb), b_out + idx(b_ids, bp["base_id"], "base_id"), p0 + np.arange(npn)]
    heads = [e0 + step_emp, d_in + idx(d_ids, ed["intermediary_id"], "intermediary_id"),
             d_out + np.arange(nd), b_in + idx(b_ids, db["base_id"], "base_id"),
             b_out + np.arange(nb), p0 + idx(p_ids, bp["person_id"], "person_id"), np.ones(npn, np.int64)]
    big = max(ns, 1)
    caps = [np.ones(ns, np.int64), np.full(len(ed), big), intermediaries["capacity"].to_numpy(dtype=np.int64),
            np.full(len(db), big), bases["capacity"].to_numpy(dtype=np.int64), np.ones(len(bp), np.int64),
            np.ones(npn, np.int64)]
    n_nodes = p0 + npn
    scale = cost_scale(max(float(gain.max(initial=0)), float(fee.max(initial=0))), n_nodes)
    costs = [-integer_costs(gain, scale)[0], np.zeros(len(ed), np.int64), integer_costs(fee, scale)[0],
             np.zeros(len(db), np.int64), np.zeros(nb, np.int64), np.zeros(len(bp), np.int64), np.zeros(npn, np.int64)]
    sizes = np.cumsum([0] + [len(t) for t in tails])
    supplies = np.zeros(n_nodes, np.int64)
    supplies[0], supplies[1] = ns, -ns
    status, flows = solve_min_cost_flow(*(np.concatenate(a) for a in (tails, heads, caps, costs)), supplies,
                                        max_flow=True)
    if flows is None:
        raise SolverError(f"OR-Tools max-flow-min-cost returned {status}")
    seg = [flows[sizes[k]:sizes[k + 1]] for k in range(7)]
    placed = np.bincount(step_emp, weights=seg[0], minlength=ne).astype(np.int64)
    placements = _decompose(ed, db, bp, seg[1], seg[3], seg[5])
    sev_of = (persons.set_index(persons["person_id"].astype(object))["severe"].fillna(False).astype(bool)
              if "severe" in persons.columns else None)
    placements["severe"] = (placements["person_id"].astype(object).map(sev_of).fillna(False).astype(bool).to_numpy()
                            if sev_of is not None else np.zeros(len(placements), dtype=bool))
    placed_sev = (placements[placements["severe"]].groupby("employer_id").size()
                  .reindex(e_ids, fill_value=0).to_numpy(dtype=np.int64))
    after = fund_due(_with_placed(df, np.arange(ne), placed, placed_sev), p).table
    table = _employer_table(df, before.table, after, steps, placed, placed_sev)
    fb, fa = float(table["fund_due_before"].sum()), float(table["fund_due_after"].sum())
    return ChainResult(placements, table, int(placed.sum()), fb, fa, fb - fa,
                       float((seg[2] * fee).sum()) if nd else 0.0, before.parameters)


# fixed explanations (English in the data; the output layer shows them with gettext)
NOTE_EXEMPT = N_("owes no fund (exempt: enterprise with ≤ 30 staff): no chain placements")
NOTE_QUOTA_MET = N_("owes no fund (quota met): no chain placements")


def _employer_table(df: pd.DataFrame, before: pd.DataFrame, after: pd.DataFrame, steps: pd.DataFrame,
                    placed: np.ndarray, placed_sev: np.ndarray) -> pd.DataFrame:
    from jhmatch.policy.results import cat, fmt, money

    n_steps = steps.groupby("employer_id").size().reindex(df["employer_id"].astype(object), fill_value=0).to_numpy()
    fb, fa = before["fund_due"].to_numpy(), after["fund_due"].to_numpy()
    sb, sa = before["shortfall"].to_numpy(), after["shortfall"].to_numpy()
    exempt = before["exempt"].to_numpy(dtype=bool)
    text = np.where(
        n_steps == 0,
        np.where(exempt, NOTE_EXEMPT, NOTE_QUOTA_MET),
        cat("placed ", fmt(placed, "%d"), " (", fmt(placed_sev, "%d"), " severe, counted ×2) as dispatched staff "
            "counted here: shortfall ", fmt(sb, "%.3f"), " → ", fmt(sa, "%.3f"), ", fund due ", money(fb), " → ",
            money(fa), ", saved ", money(fb - fa), "; after: ", after["explanation"].astype(str).to_numpy(dtype=object)),
    )
    return pd.DataFrame({
        "employer_id": df["employer_id"], "county": df["county"], "exempt": exempt, "steps": n_steps,
        "shortfall_before": sb, "fund_due_before": fb, "placed": placed, "placed_severe": placed_sev,
        "shortfall_after": sa, "fund_due_after": fa, "fund_saved": fb - fa,
        "explanation": pd.array(text.astype(str), dtype="string"),
    })


def _decompose(ed: pd.DataFrame, db: pd.DataFrame, bp: pd.DataFrame, f_ed: np.ndarray, f_db: np.ndarray,
               f_bp: np.ndarray) -> pd.DataFrame:
    """Split the stage flows into employer–intermediary–base–person paths (flow conservation makes this exact)."""
    units_ed = ed.loc[np.repeat(np.arange(len(ed)), f_ed)].sort_values("intermediary_id", kind="stable")
    units_db = db.loc[np.repeat(np.arange(len(db)), f_db)].sort_values(["intermediary_id", "base_id"], kind="stable")
    units_bp = bp.loc[np.repeat(np.arange(len(bp)), f_bp)].sort_values("base_id", kind="stable")
    # match units intermediary by intermediary, then base by base (both sides have equal counts per key)
    first = pd.DataFrame({"employer_id": units_ed["employer_id"].to_numpy(),
                          "intermediary_id": units_db["intermediary_id"].to_numpy(),
                          "base_id": units_db["base_id"].to_numpy()})
    first = first.sort_values("base_id", kind="stable").reset_index(drop=True)
    first["person_id"] = units_bp["person_id"].to_numpy()
    return first[["employer_id", "intermediary_id", "base_id", "person_id"]]
