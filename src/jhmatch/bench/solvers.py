"""Built-in solver competitors (jhmatch's backends and peers) and the common solution check.

Every peer is written directly against its own library from the problem's
candidate pairs (no jhmatch code in between), so that it is an independent
reference: OR-Tools ``SimpleMinCostFlow`` with vectorised arc adds, a plain
HiGHS MILP through ``scipy.optimize.milp``, a plain CBC MILP through PuLP,
networkx's network simplex, and the PyPI ``matching`` package's
hospital/residents game. :func:`check_solution` turns any solver output into
pair indices, checks it (candidate pairs only, each person at most once, no post
over capacity) and computes its objective.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from jhmatch.errors import ParameterError, SolverError, SolverTimeoutError
from jhmatch.optimize import AllocationProblem, solve

__all__ = ["SolutionCheck", "check_solution", "register_builtins"]

_COST_SCALE = 1e9  # integer costs for the network peers: values in (0, 1] x 1e9


@dataclass(frozen=True)
class SolutionCheck:
    """A solver's output, checked.

    Attributes
    ----------
    selected : ndarray of int
        Chosen pair indices (row-major order of the candidate pairs), sorted.
    objective : float
        Sum of ``weight × score`` over the chosen pairs.
    placed : int
        Number of placements.
    valid : bool
        Candidate pairs only, no person twice, no post over capacity (weighted
        capacity when the problem has ``usage``).
    problem : str
        What is wrong when not valid (empty otherwise).
    """

    selected: np.ndarray
    objective: float
    placed: int
    valid: bool
    problem: str


def _pair_index(problem: AllocationProblem, person_ids: Any, post_ids: Any) -> np.ndarray:
    sm = problem.scores
    r = pd.Index(sm.person_ids).get_indexer(pd.Index(np.asarray(person_ids)))
    c = pd.Index(sm.post_ids).get_indexer(pd.Index(np.asarray(post_ids)))
    keys = problem.pair_person * problem.n_posts + problem.pair_post  # sorted: CSR, row-major
    want = r.astype(np.int64) * problem.n_posts + c
    if not keys.size:
        return np.full(want.size, -1, np.int64)
    pos = np.minimum(np.searchsorted(keys, want), keys.size - 1)
    ok = (r >= 0) & (c >= 0) & (keys[pos] == want)
    return np.where(ok, pos, -1)


def check_solution(problem: AllocationProblem, output: Any) -> SolutionCheck:
    """Check a solver's output and compute its objective independently.

    Parameters
    ----------
    problem : AllocationProblem
    output : Allocation, DataFrame or array
        Anything with an ``assignments`` DataFrame, a DataFrame with ``person_id``
        and ``post_id``, or integer pair indices.

    Examples
    --------
    >>> from jhmatch.bench.instances import random_problem
    >>> prob = random_problem(20, 4, 2, seed=0)
    >>> check = check_solution(prob, solve(prob, method="flow"))
    >>> check.valid, check.placed <= 20
    (True, True)
    >>> check_solution(prob, np.array([0, 1])).problem   # both pairs of person 0
    'person p0 placed 2 times'
    """
    frame = getattr(output, "assignments", output)
    if isinstance(frame, pd.DataFrame):
        if not {"person_id", "post_id"} <= set(frame.columns):
            raise ParameterError(f"a solver's DataFrame needs person_id and post_id columns, got {list(frame.columns)}")
        sel = _pair_index(problem, frame["person_id"].to_numpy(), frame["post_id"].to_numpy())
        bad = np.flatnonzero(sel < 0)
        if bad.size:
            row = frame.iloc[int(bad[0])]
            return SolutionCheck(np.zeros(0, np.int64), float("nan"), len(frame), False,
                                 f"pair ({row['person_id']}, {row['post_id']}) is not a candidate pair")
    else:
        sel = np.asarray(output)
        if sel.dtype == bool:
            sel = np.flatnonzero(sel)
        if sel.size and (sel.dtype.kind not in "iu" or sel.min() < 0 or sel.max() >= problem.n_pairs):
            raise ParameterError("a solver's array output must hold pair indices in 0 … n_pairs - 1")
    sel = np.sort(sel.astype(np.int64))
    objective = float(problem.values[sel].sum())
    if np.unique(sel).size != sel.size:
        return SolutionCheck(sel, objective, sel.size, False, "a pair is chosen twice")
    persons = np.bincount(problem.pair_person[sel], minlength=problem.n_persons)
    if persons.size and persons.max() > 1:
        who = int(np.argmax(persons))
        return SolutionCheck(sel, objective, sel.size, False,
                             f"person {problem.scores.person_ids[who]} placed {int(persons[who])} times")
    use = None if problem.pair_usage is None else problem.pair_usage[sel]
    load = np.bincount(problem.pair_post[sel], weights=use, minlength=problem.n_posts)
    over = np.flatnonzero(load > problem.capacities + 1e-9)
    if over.size:
        j = int(over[0])
        return SolutionCheck(sel, objective, sel.size, False,
                             f"post {problem.scores.post_ids[j]} over capacity ({load[j]:g} > {problem.capacities[j]:g})")
    return SolutionCheck(sel, objective, sel.size, True, "")


# ----------------------------------------------------------------------------- jhmatch backends

def jhmatch_flow(problem: AllocationProblem) -> Any:
    """``solve(problem, method="flow")``."""
    return solve(problem, method="flow")


def jhmatch_milp(problem: AllocationProblem, time_limit: float | None = None) -> Any:
    """``solve(problem, method="milp")``."""
    return solve(problem, method="milp", time_limit=time_limit)


def jhmatch_greedy(problem: AllocationProblem) -> Any:
    """``solve(problem, method="greedy")``."""
    return solve(problem, method="greedy")


def jhmatch_stable(problem: AllocationProblem) -> Any:
    """``solve(problem, method="stable")``: person-proposing deferred acceptance."""
    return solve(problem, method="stable", proposing="person")


# ----------------------------------------------------------------------------- peers

def _pairs(problem: AllocationProblem) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    if problem.usage is not None or problem.constraints:
        raise ParameterError("the plain peers solve capacity-only problems (no usage, no constraints)")
    return problem.pair_person, problem.pair_post, problem.values, problem.capacities.astype(np.int64)


def ortools_min_cost_flow(problem: AllocationProblem) -> np.ndarray:
    """OR-Tools ``SimpleMinCostFlow`` on source → persons → posts → sink (+ a bypass arc)."""
    from ortools.graph.python import min_cost_flow

    i, j, v, cap = _pairs(problem)
    n, m, p = problem.n_persons, problem.n_posts, i.size
    src, snk = n + m, n + m + 1
    tails = np.concatenate([np.full(n, src), i, n + np.arange(m), [src]])
    heads = np.concatenate([np.arange(n), n + j, np.full(m, snk), [snk]])
    caps = np.concatenate([np.ones(n + p, np.int64), cap, [n]])
    costs = np.concatenate([np.zeros(n, np.int64), -np.round(v * _COST_SCALE).astype(np.int64),
                            np.zeros(m + 1, np.int64)])
    mcf = min_cost_flow.SimpleMinCostFlow()
    mcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supplies = np.zeros(n + m + 2, np.int64)
    supplies[src], supplies[snk] = n, -n
    mcf.set_nodes_supplies(np.arange(n + m + 2), supplies)
    status = mcf.solve()
    if status != mcf.OPTIMAL:
        raise SolverError(f"OR-Tools min-cost flow status {status}")
    flows = mcf.flows(np.arange(n, n + p))
    return np.flatnonzero(flows > 0)


def _incidence(problem: AllocationProblem) -> sp.csr_array:
    i, j, _, _ = _pairs(problem)
    p = i.size
    rows = np.concatenate([i, problem.n_persons + j])
    cols = np.concatenate([np.arange(p), np.arange(p)])
    return sp.csr_array((np.ones(2 * p), (rows, cols)), shape=(problem.n_persons + problem.n_posts, p))


def highs_milp(problem: AllocationProblem, time_limit: float | None = None) -> np.ndarray:
    """A plain binary MILP through ``scipy.optimize.milp`` (HiGHS), no structure exploited."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    _, _, v, cap = _pairs(problem)
    ub = np.concatenate([np.ones(problem.n_persons), cap.astype(float)])
    options = {"time_limit": float(time_limit)} if time_limit else {}
    res = milp(-v, integrality=np.ones(v.size), bounds=Bounds(0, 1),
               constraints=LinearConstraint(_incidence(problem), -np.inf, ub), options=options)
    if res.x is None:
        raise SolverError(f"HiGHS found no solution: {res.message}")
    if res.status != 0:
        raise SolverTimeoutError(f"HiGHS stopped before proving optimality: {res.message}")
    return np.flatnonzero(res.x > 0.5)


def pulp_cbc(problem: AllocationProblem, time_limit: float | None = None) -> np.ndarray:
    """A plain binary MILP built with PuLP (affine expressions, no ``lpSum`` loops) and solved by CBC."""
    import warnings

    import pulp

    with warnings.catch_warnings():  # PuLP 3.x announces API changes for 4.0 on every variable
        warnings.simplefilter("ignore", DeprecationWarning)
        return _pulp_cbc(pulp, problem, time_limit)


def _pulp_cbc(pulp: Any, problem: AllocationProblem, time_limit: float | None) -> np.ndarray:
    i, j, v, cap = _pairs(problem)
    model = pulp.LpProblem("plain_assignment", pulp.LpMaximize)
    x = [pulp.LpVariable(f"x{k}", cat=pulp.LpBinary) for k in range(v.size)]
    model += pulp.LpAffineExpression(zip(x, v.tolist()))
    order = np.argsort(j, kind="stable")
    for group, idx, bound in ((i, np.arange(v.size), None), (j[order], order, cap)):
        starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]]) if group.size else np.zeros(0, np.int64)
        ends = np.r_[starts[1:], group.size]
        for s, e in zip(starts.tolist(), ends.tolist()):
            rhs = 1 if bound is None else int(bound[group[s]])
            model += pulp.LpAffineExpression([(x[k], 1) for k in idx[s:e].tolist()]) <= rhs
    solver = pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit)
    model.solve(solver)
    # read the solution status, not LpStatus: CBC may say "Optimal" after a time limit
    if model.sol_status != pulp.LpSolutionOptimal:
        raise SolverTimeoutError(f"CBC stopped without a proven optimum (solution status {model.sol_status})")
    values = np.array([var.varValue or 0.0 for var in x])
    return np.flatnonzero(values > 0.5)


def networkx_simplex(problem: AllocationProblem) -> np.ndarray:
    """networkx ``network_simplex`` on the same network as the OR-Tools peer (pure Python)."""
    import networkx as nx

    i, j, v, cap = _pairs(problem)
    n = problem.n_persons
    g = nx.DiGraph()
    g.add_node("s", demand=-n)
    g.add_node("t", demand=n)
    g.add_edge("s", "t", capacity=n, weight=0)
    g.add_edges_from((("s", ("p", a)) for a in range(n)), capacity=1, weight=0)
    g.add_edges_from(((("q", b), "t", {"capacity": int(c), "weight": 0}) for b, c in enumerate(cap.tolist())))
    costs = (-np.round(v * _COST_SCALE)).astype(np.int64).tolist()
    g.add_edges_from(((("p", a), ("q", b), {"capacity": 1, "weight": w})
                      for a, b, w in zip(i.tolist(), j.tolist(), costs)))
    _, flow = nx.network_simplex(g)
    chosen = np.array([flow[("p", a)].get(("q", b), 0) > 0 for a, b in zip(i.tolist(), j.tolist())], dtype=bool)
    return np.flatnonzero(chosen)


def matching_hospital_resident(problem: AllocationProblem) -> pd.DataFrame:
    """The PyPI ``matching`` package: resident-optimal ``HospitalResident`` game.

    Persons rank their candidate posts by score, posts rank their candidates by
    value (weight × score), as jhmatch's stable backend does.
    """
    from matching.games import HospitalResident

    i, j, _, cap = _pairs(problem)
    pid = np.asarray(problem.scores.person_ids).astype(str)
    qid = np.asarray(problem.scores.post_ids).astype(str)
    frame = pd.DataFrame({"p": pid[i], "q": qid[j], "s": problem.pair_score, "v": problem.values})
    person_prefs = frame.sort_values(["p", "s"], ascending=[True, False], kind="stable").groupby("p")["q"].agg(list)
    post_prefs = frame.sort_values(["q", "v"], ascending=[True, False], kind="stable").groupby("q")["p"].agg(list)
    capacities = dict(zip(post_prefs.index, cap[pd.Index(qid).get_indexer(post_prefs.index)].tolist()))
    game = HospitalResident.create_from_dictionaries(person_prefs.to_dict(), post_prefs.to_dict(), capacities)
    result = game.solve(optimal="resident")
    rows = [(r.name, h.name) for h, residents in result.items() for r in residents]
    out = pd.DataFrame(rows, columns=["person_id", "post_id"])
    # back to the problem's id types
    out["person_id"] = np.asarray(problem.scores.person_ids)[pd.Index(pid).get_indexer(out["person_id"])]
    out["post_id"] = np.asarray(problem.scores.post_ids)[pd.Index(qid).get_indexer(out["post_id"])]
    return out


def register_builtins() -> None:
    """Register jhmatch's backends and the peers (called once by the registry)."""
    from jhmatch.bench.registry import register_solver

    reg = register_solver
    reg("jhmatch flow", jhmatch_flow, kind="exact", source="jhmatch", scaling=True,
        description='solve(method="flow"): OR-Tools min-cost flow from the ScoreMatrix to the Allocation')
    reg("jhmatch milp", jhmatch_milp, kind="exact", source="jhmatch", max_pairs=200_000, time_limit=True,
        description='solve(method="milp"): HiGHS MILP built by jhmatch')
    reg("jhmatch greedy", jhmatch_greedy, kind="heuristic", source="jhmatch",
        description='solve(method="greedy"): best pairs first (baseline)')
    reg("jhmatch stable", jhmatch_stable, kind="stable", source="jhmatch", scaling=True,
        description='solve(method="stable"): person-proposing deferred acceptance on integer arrays')
    reg("OR-Tools raw min-cost flow", ortools_min_cost_flow, kind="exact", source="peer", requires=("ortools",),
        extra="bench", scaling=True,
        description="ortools SimpleMinCostFlow written directly (vectorised arc adds, integer costs ×1e9)")
    reg("HiGHS MILP (scipy, plain)", highs_milp, kind="exact", source="peer", requires=("scipy",),
        max_pairs=200_000, time_limit=True,
        isolate=True, description="scipy.optimize.milp on the plain binary model (persons ≤ 1, posts ≤ capacity)")
    reg("CBC MILP (PuLP, plain)", pulp_cbc, kind="exact", source="peer", requires=("pulp",), max_pairs=50_000,
        time_limit=True, isolate=True, description="PuLP model of the same binary program solved by CBC")
    reg("networkx network simplex", networkx_simplex, kind="exact", source="peer", requires=("networkx",),
        max_pairs=50_000, isolate=True, description="networkx.network_simplex on the same network (pure Python)")
    reg("matching HospitalResident", matching_hospital_resident, kind="stable", source="peer",
        requires=("matching",), max_pairs=100_000,
        isolate=True, description="PyPI matching package, resident-optimal hospital/residents game (pure Python)")
