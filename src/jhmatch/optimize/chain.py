"""Cross-county quota employment as one min-cost flow (OR-Tools).

Employers short of their disability-employment quota (1.5% of staff in Zhejiang)
hire through labour-dispatch intermediaries, who place persons at employment
bases in (mountain) counties::

    source -> employer (shortfall) -> intermediary (capacity, fee) -> base (capacity) -> person (1) -> sink

The flow first maximises the number of placements and, among maximum flows,
minimises the employment security fund still owed minus the intermediaries'
fees (``SimpleMinCostFlow.solve_max_flow_with_min_cost``). Each placement
lowers its employer's shortfall by one and its fund by ``fund_per_place``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from jhmatch.errors import Problem, SchemaError, SolverError

__all__ = ["ChainResult", "quota_chain"]


@dataclass(frozen=True, eq=False)
class ChainResult:
    """Outcome of :func:`quota_chain`.

    Attributes
    ----------
    placements : DataFrame
        ``employer_id, intermediary_id, base_id, person_id`` of every placement.
    employers : DataFrame
        Per employer: ``shortfall_before, placed, shortfall_after, fund_before,
        fund_after`` (fund = shortfall × fund_per_place).
    total_placed : int
        Number of placements (the maximum possible).
    fund_saved : float
        Fund owed before minus after.
    fees : float
        Intermediary fees paid.
    """

    placements: pd.DataFrame
    employers: pd.DataFrame
    total_placed: int
    fund_saved: float
    fees: float


def _need(frame: pd.DataFrame, table: str, cols: tuple[str, ...]) -> None:
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        raise SchemaError([Problem(None, c, "(missing column)", f"a {c!r} column") for c in missing], table)


def _links(frame: pd.DataFrame | None, left: pd.Series, right: pd.Series, lname: str, rname: str) -> pd.DataFrame:
    if frame is None:  # everyone with everyone
        return pd.DataFrame({lname: np.repeat(left.to_numpy(), len(right)), rname: np.tile(right.to_numpy(), len(left))})
    _need(frame, "links", (lname, rname))
    return frame[[lname, rname]].drop_duplicates()


def quota_chain(
    employers: pd.DataFrame,
    intermediaries: pd.DataFrame,
    bases: pd.DataFrame,
    persons: pd.DataFrame,
    quota_rate: float = 0.015,
    fund_per_place: float = 60000.0,
    employer_intermediary: pd.DataFrame | None = None,
    intermediary_base: pd.DataFrame | None = None,
    base_person: pd.DataFrame | None = None,
) -> ChainResult:
    """Place persons through the employer → intermediary → base chain.

    Parameters
    ----------
    employers : DataFrame
        ``employer_id`` and either ``shortfall`` or ``staff`` + ``disabled_staff``
        (shortfall = ceil(quota_rate × staff) - disabled_staff, at least 0);
        optional ``fund_per_place`` (yuan a year saved per placement).
    intermediaries : DataFrame
        ``intermediary_id, capacity`` and optional ``fee`` per placement.
    bases : DataFrame
        ``base_id, county, capacity``.
    persons : DataFrame
        ``person_id, county``; a person can work at bases of their county unless
        ``base_person`` lists the allowed pairs.
    quota_rate : float
        Quota share of staff (Zhejiang: 1.5%).
    fund_per_place : float
        Default fund saved per placement (e.g. the local average annual wage);
        a PARAM to set from jhmatch.policy.
    employer_intermediary, intermediary_base, base_person : DataFrame, optional
        Allowed links (default: all employer–intermediary and intermediary–base
        pairs; bases with persons of the same county).

    Returns
    -------
    ChainResult

    Examples
    --------
    >>> emp = pd.DataFrame({"employer_id": ["e1", "e2"], "staff": [400, 100], "disabled_staff": [2, 2]})
    >>> mid = pd.DataFrame({"intermediary_id": ["d1"], "capacity": [10]})
    >>> bases = pd.DataFrame({"base_id": ["b1"], "county": ["330727"], "capacity": [3]})
    >>> persons = pd.DataFrame({"person_id": ["p1", "p2", "p3", "p4"], "county": ["330727"] * 3 + ["330702"]})
    >>> res = quota_chain(emp, mid, bases, persons)
    >>> res.total_placed, res.employers["shortfall_after"].tolist()
    (3, [1, 0])
    """
    from ortools.graph.python import min_cost_flow

    _need(employers, "employers", ("employer_id",))
    _need(intermediaries, "intermediaries", ("intermediary_id", "capacity"))
    _need(bases, "bases", ("base_id", "county", "capacity"))
    _need(persons, "persons", ("person_id", "county"))
    if "shortfall" in employers.columns:
        short = employers["shortfall"].to_numpy(dtype=float)
    else:
        _need(employers, "employers", ("staff", "disabled_staff"))
        quota = np.ceil(quota_rate * employers["staff"].to_numpy(dtype=float) - 1e-9)
        short = quota - employers["disabled_staff"].to_numpy(dtype=float)
    short = np.maximum(short, 0).astype(np.int64)
    fund = (employers["fund_per_place"].to_numpy(dtype=float) if "fund_per_place" in employers.columns
            else np.full(len(employers), float(fund_per_place)))
    fee = intermediaries["fee"].to_numpy(dtype=float) if "fee" in intermediaries.columns else np.zeros(len(intermediaries))
    e_ids, d_ids = employers["employer_id"], intermediaries["intermediary_id"]
    b_ids, p_ids = bases["base_id"], persons["person_id"]
    ed = _links(employer_intermediary, e_ids, d_ids, "employer_id", "intermediary_id")
    db = _links(intermediary_base, d_ids, b_ids, "intermediary_id", "base_id")
    if base_person is None:
        bp = bases[["base_id", "county"]].merge(persons[["person_id", "county"]], on="county")[["base_id", "person_id"]]
    else:
        bp = _links(base_person, b_ids, p_ids, "base_id", "person_id")
    ne, nd, nb, npn = len(employers), len(intermediaries), len(bases), len(persons)
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

    scale = 1e6 / max(float(fund.max(initial=0)), float(fee.max(initial=0)), 1.0)
    cost_e = -np.round(fund * scale).astype(np.int64)
    tails = [np.zeros(ne, np.int64), e0 + idx(e_ids, ed["employer_id"], "employer_id"),
             d_in + np.arange(nd), d_out + idx(d_ids, db["intermediary_id"], "intermediary_id"),
             b_in + np.arange(nb), b_out + idx(b_ids, bp["base_id"], "base_id"), p0 + np.arange(npn)]
    heads = [e0 + np.arange(ne), d_in + idx(d_ids, ed["intermediary_id"], "intermediary_id"),
             d_out + np.arange(nd), b_in + idx(b_ids, db["base_id"], "base_id"),
             b_out + np.arange(nb), p0 + idx(p_ids, bp["person_id"], "person_id"), np.ones(npn, np.int64)]
    big = int(short.sum())
    caps = [short, np.full(len(ed), big), intermediaries["capacity"].to_numpy(dtype=np.int64), np.full(len(db), big),
            bases["capacity"].to_numpy(dtype=np.int64), np.ones(len(bp), np.int64), np.ones(npn, np.int64)]
    costs = [cost_e, np.zeros(len(ed), np.int64), np.round(fee * scale).astype(np.int64), np.zeros(len(db), np.int64),
             np.zeros(nb, np.int64), np.zeros(len(bp), np.int64), np.zeros(npn, np.int64)]
    sizes = np.cumsum([0] + [len(t) for t in tails])
    mcf = min_cost_flow.SimpleMinCostFlow()
    mcf.add_arcs_with_capacity_and_unit_cost(*(np.concatenate(a).astype(np.int64) for a in (tails, heads, caps, costs)))
    n_nodes = p0 + npn
    supplies = np.zeros(n_nodes, np.int64)
    supplies[0], supplies[1] = big, -big
    mcf.set_nodes_supplies(np.arange(n_nodes), supplies)
    status = mcf.solve_max_flow_with_min_cost()
    if status != mcf.OPTIMAL:
        raise SolverError(f"OR-Tools max-flow-min-cost returned {status}")
    flows = mcf.flows(np.arange(sizes[-1]))
    seg = [flows[sizes[k]:sizes[k + 1]] for k in range(7)]
    placed = seg[0]
    placements = _decompose(ed, db, bp, seg[1], seg[3], seg[5])
    table = pd.DataFrame({"employer_id": e_ids.to_numpy(), "shortfall_before": short, "placed": placed,
                          "shortfall_after": short - placed, "fund_before": short * fund,
                          "fund_after": (short - placed) * fund})
    return ChainResult(placements, table, int(placed.sum()), float((placed * fund).sum()),
                       float((seg[2] * fee).sum()) if nd else 0.0)


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
