"""One linear form of the model (jhmatch.optimize.linear), read by the MILP, its Lagrangian phase and to_pulp."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

import jhmatch.optimize.backends.milp as milp_module
import jhmatch.optimize.lagrange as lagrange_module
from jhmatch.matching.score_matrix import ScoreMatrix
from jhmatch.optimize import AllocationProblem, CategoryFloor, GraduateGuarantee, KindTarget, RegionFloor, solve
from jhmatch.optimize.backends.milp import MilpBackend, build_model
from jhmatch.optimize.evaluate import compile_blocks
from jhmatch.optimize.linear import linear_form

OPTIMIZE = Path(milp_module.__file__).parents[1]


def _instance(seed: int, n: int = 300, m: int = 30, rules=None) -> AllocationProblem:
    rng = np.random.default_rng(seed)
    i, j = np.nonzero(rng.random((n, m)) < 0.2)
    sm = ScoreMatrix(sp.csr_array((np.round(rng.uniform(0.05, 1, i.size), 3), (i, j)), shape=(n, m)),
                     np.arange(n).astype(str), np.arange(m).astype(str))
    persons = pd.DataFrame({"person_id": sm.person_ids, "county": rng.choice(["330702", "330782", "330727"], n),
                            "category": rng.choice(["visual", "mental", "physical"], n, p=[0.4, 0.2, 0.4]),
                            "graduate": rng.random(n) < 0.03, "willing": True})
    posts = pd.DataFrame({"post_id": sm.post_ids, "capacity": rng.integers(1, 9, m),
                          "kind": rng.choice(["kiosk", "tobacco_outlet"], m)})
    rules = rules if rules is not None else [RegionFloor(rate=0.4, hard=False, penalty=0.5),
                                             CategoryFloor(rate={"mental": 0.75}), GraduateGuarantee(),
                                             KindTarget({"kiosk": 10}, maximum={"tobacco_outlet": 40},
                                                        hard=False, penalty=0.3)]
    return AllocationProblem.from_frames(sm, persons, posts, constraints=rules)


def test_one_milp_solve_builds_the_model_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lagrangian phase, LP relaxation and MILP read one linear form; neither re-stacks the rule rows."""
    prob = _instance(0)
    built = []
    real = milp_module.linear_form

    def counting(problem, blocks=None):
        built.append(len(blocks or []))
        return real(problem, blocks)

    monkeypatch.setattr(milp_module, "linear_form", counting)
    monkeypatch.setattr(lagrange_module, "linear_form", counting)
    monkeypatch.setattr(MilpBackend, "lagrange_min_pairs", 0)  # run the Lagrangian phase too
    result = solve(prob, method="milp", gap=1e-12)
    assert result.ok and built == [4]


def test_form_rows_and_slacks() -> None:
    prob = _instance(1)
    form = linear_form(prob)
    blocks = compile_blocks(prob)
    assert [b.name for b in form.blocks] == [b.name for b in blocks]
    assert form.rule_rows.shape == (sum(b.n_rows for b in blocks), prob.n_pairs)
    for b, rows in zip(blocks, form.block_rows):
        np.testing.assert_array_equal(form.rule_rows[rows.start:rows.stop].toarray(), b.pair_matrix(prob).toarray())
        assert (form.hard[rows] == b.hard).all()
    soft = ~form.hard
    np.testing.assert_array_equal(form.shortfall_rows, np.flatnonzero(soft & np.isfinite(form.lb)))
    np.testing.assert_array_equal(form.excess_rows, np.flatnonzero(soft & np.isfinite(form.ub)))
    model = build_model(prob, blocks, form=form)
    assert model.c.size == prob.n_pairs + form.n_slacks
    np.testing.assert_array_equal(model.c[: prob.n_pairs], -prob.values)


@pytest.mark.parametrize("seed", [2, 3])
def test_pulp_and_milp_solve_the_same_model(seed: int) -> None:
    pytest.importorskip("pulp")
    prob = _instance(seed, n=120, m=15)
    form = linear_form(prob)
    pm = prob.to_pulp()
    n_rows = (int((np.diff(form.person_rows.indptr) > 0).sum()) + int((np.diff(form.post_rows.indptr) > 0).sum())
              + int(np.isfinite(form.lb).sum()) + int(np.isfinite(form.ub).sum()))
    assert pm.model.numConstraints() == n_rows
    assert len(pm.model.variables()) == prob.n_pairs + form.n_slacks
    assert pm.solve().objective == pytest.approx(solve(prob, method="milp").objective, abs=1e-6)


def _runtime_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = {n.lineno for node in ast.walk(tree) if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for child in node.body for n in ast.walk(child) if hasattr(n, "lineno")}
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.lineno not in skip:
            found.add(node.module)
        elif isinstance(node, ast.Import) and node.lineno not in skip:
            found.update(a.name for a in node.names)
    return {m for m in found if m.startswith("jhmatch.optimize.")}


def test_problem_and_pulp_export_import_in_one_direction() -> None:
    """problem.py -> pulp_export.py (AllocationProblem.to_pulp) and nothing reachable from pulp_export imports problem."""
    seen, todo = set(), ["jhmatch.optimize.pulp_export"]
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        rel = module.removeprefix("jhmatch.optimize.").replace(".", "/")
        path = OPTIMIZE / f"{rel}.py"
        if path.exists():
            todo.extend(_runtime_imports(path))
    assert "jhmatch.optimize.problem" not in seen, sorted(seen)
