"""One min-cost-flow kernel (jhmatch.optimize.mcf): one integer cost rule, used by every network, checked by oracles."""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

import jhmatch
from jhmatch.optimize import mcf
from jhmatch.optimize.mcf import COST_RANGE, cost_scale, integer_costs, max_value_assignment

SRC = Path(jhmatch.__file__).parent


def test_only_the_kernel_calls_or_tools_and_rounds_costs() -> None:
    """No module but optimize/mcf.py imports OR-Tools' min-cost flow or turns values into integer costs itself.

    (jhmatch.bench's raw OR-Tools solver is a peer in the benchmark, written independently on purpose.)
    """
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel == "optimize/mcf.py" or rel.startswith("bench/"):
            continue
        flows_here = rel.split("/")[0] in ("optimize", "policy", "distributed")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([node.module or ""] if isinstance(node, ast.ImportFrom)
                     else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            if any(n.startswith("ortools") for n in names):
                offenders.append(f"{rel}:{node.lineno} imports OR-Tools")
            if flows_here and isinstance(node, ast.Call) and ast.unparse(node.func) in ("np.round", "np.rint") and \
                    any(isinstance(n, ast.Name) and n.id == "scale" for n in ast.walk(node)):
                offenders.append(f"{rel}:{node.lineno} rounds costs: {ast.unparse(node)}")
    assert not offenders, "\n".join(offenders)


@pytest.mark.parametrize("largest", [1e-3, 0.7, 1.0, 2.5, 10.0, 73_080.0, 1e9])
@pytest.mark.parametrize("n_nodes", [2, 1_000, 250_000, 3_000_000, 10**8])
def test_one_scale_rule_fits_or_tools_and_is_a_power_of_ten(largest: float, n_nodes: int) -> None:
    scale = cost_scale(largest, n_nodes)
    assert largest * scale * (n_nodes + 1) <= COST_RANGE * (1 + 1e-12) < 2.0**63 / 32
    assert largest * scale <= mcf.COST_RESOLUTION * (1 + 1e-12)
    assert scale * largest * 10 > min(mcf.COST_RESOLUTION, COST_RANGE / (n_nodes + 1))  # largest power of ten
    assert np.log10(scale) == pytest.approx(round(np.log10(scale)), abs=1e-9)
    assert mcf.scale_fits(largest, n_nodes, scale)


def test_networks_without_costs_still_solve() -> None:
    """All-zero costs (e.g. a quota chain where nobody owes a fund): a finite scale, OR-Tools accepts it."""
    scale = cost_scale(0.0, 5)
    assert np.isfinite(scale) and integer_costs(np.zeros(3), scale)[0].tolist() == [0, 0, 0]
    status, flows = mcf.solve_min_cost_flow(np.array([0]), np.array([1]), np.array([2]),
                                            integer_costs(np.zeros(1), scale)[0], np.array([2, -2]))
    assert status == "OPTIMAL" and flows.tolist() == [2]


def test_integer_costs_are_exact_for_decimal_values_and_report_their_rounding() -> None:
    values = np.array([0.125, 0.7, 1.35, 2.0])
    scale = cost_scale(2.0, 100)
    costs, err = integer_costs(values, scale)
    assert err < 1e-15 and costs.tolist() == [12_500_000_000, 70_000_000_000, 135_000_000_000, 200_000_000_000]
    odd = np.array([1 / 3, 2 / 7])
    costs, err = integer_costs(odd, 1e3)
    assert costs.tolist() == [333, 286] and err == pytest.approx(max(abs(odd * 1e3 - costs)) / 1e3)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 6), st.integers(1, 4), st.integers(0, 2**31 - 1))
def test_max_value_assignment_against_brute_force(n: int, m: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    mask = rng.random((n, m)) < 0.6
    row, col = np.nonzero(mask)
    if not row.size:
        return
    vals = rng.choice([0.1, 1 / 3, 0.5, 0.77, 1.0], row.size) * rng.choice([1.0, 1.5], row.size)
    caps = rng.integers(0, 3, m)
    chosen, value, bound = max_value_assignment(row, col, vals, caps, np.arange(row.size), n)
    assert np.unique(row[chosen]).size == chosen.size
    assert (np.bincount(col[chosen], minlength=m) <= caps).all()
    best = 0.0
    options = [[-1, *np.flatnonzero(row == i).tolist()] for i in range(n)]
    for pick in itertools.product(*options):
        e = np.array([p for p in pick if p >= 0], dtype=int)
        if (np.bincount(col[e], minlength=m) <= caps).all():
            best = max(best, float(vals[e].sum()))
    assert value == pytest.approx(best, abs=1e-9)
    assert best <= bound <= best + 1e-9


def test_max_value_assignment_equals_scipy_on_a_dense_square() -> None:
    rng = np.random.default_rng(3)
    n = 60
    v = rng.random((n, n)).astype(np.float32).astype(float) + 1e-3
    row, col = np.nonzero(np.ones((n, n)))
    _, value, bound = max_value_assignment(row, col, v[row, col], np.ones(n, np.int64), np.arange(n * n), n)
    r, c = linear_sum_assignment(v, maximize=True)
    assert value == pytest.approx(float(v[r, c].sum()), abs=1e-9) and bound >= value


def test_the_quota_chain_and_planning_flows_use_the_kernel(monkeypatch) -> None:
    """Both solve through mcf.solve_min_cost_flow (and still find the documented answers)."""
    calls = []
    real = mcf.solve_min_cost_flow

    def spy(*args, **kwargs):
        calls.append(kwargs.get("max_flow", False))
        return real(*args, **kwargs)

    import jhmatch.optimize.reserved_flow as planning_flow
    import jhmatch.policy.chain as chain

    monkeypatch.setattr(chain, "solve_min_cost_flow", spy)
    monkeypatch.setattr(planning_flow, "solve_min_cost_flow", spy)
    emp = pd.DataFrame({"employer_id": ["e1", "e2", "e3"], "county": ["义乌"] * 3, "staff": [400, 100, 25],
                        "disabled_staff": [2, 0, 0], "average_wage": [80000] * 3})
    res = chain.quota_chain(emp, pd.DataFrame({"intermediary_id": ["d1"], "capacity": [10]}),
                            pd.DataFrame({"base_id": ["b1"], "county": ["330727"], "capacity": [3]}),
                            pd.DataFrame({"person_id": ["p1", "p2", "p3", "p4"],
                                          "county": ["330727"] * 3 + ["330702"]}), year=2025)
    assert res.employers["placed"].tolist() == [3, 0, 0] and round(res.fund_saved, 2) == 246200.0
    from jhmatch.optimize.reserved_model import build_plan_model

    persons = pd.DataFrame({"person_id": ["a", "b"], "county": ["A", "A"]})
    suit = pd.DataFrame({"person_id": ["a", "b"], "kind": ["kiosk", "kiosk"], "score": [0.5, 0.7]})
    sites = pd.DataFrame({"site_id": ["s"], "county": ["A"], "kind": ["kiosk"], "max_posts": [1]})
    model = build_plan_model(persons, suit, sites, np.ones(2), np.zeros(1), np.zeros((0, 2), int), {}, None, None)
    fp = planning_flow.flow_plan(model)
    assert fp.x.tolist() == [False, True] and fp.bound == pytest.approx(0.7)
    assert calls == [True, False]


def test_hard_planning_targets_out_of_reach_are_proven_infeasible_by_the_flow() -> None:
    from jhmatch.optimize.reserved_flow import flow_plan
    from jhmatch.optimize.reserved_model import build_plan_model

    persons = pd.DataFrame({"person_id": ["a", "b"], "county": ["A", "A"]})
    suit = pd.DataFrame({"person_id": ["a", "b"], "kind": ["kiosk", "kiosk"], "score": [0.5, 0.7]})
    sites = pd.DataFrame({"site_id": ["s"], "county": ["A"], "kind": ["kiosk"], "max_posts": [2]})
    reachable = build_plan_model(persons, suit, sites, np.ones(2), np.zeros(1), np.zeros((0, 2), int),
                                 {"kiosk": 2}, None, None)
    fp = flow_plan(reachable)
    assert fp.targets_reachable and fp.x.all() and fp.bound == pytest.approx(1.2)
    too_many = build_plan_model(persons, suit, sites, np.ones(2), np.zeros(1), np.zeros((0, 2), int),
                                {"kiosk": 3}, None, None)
    assert not flow_plan(too_many).targets_reachable
