"""The benchmark suite end to end on the tiny configuration: files, keys and sane figures."""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

import pytest

from jhmatch.bench import CASES, SUITES, SuiteConfig, run_suite
from jhmatch.errors import ParameterError


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("bench")
    t0 = time.perf_counter()
    result = run_suite("tiny", out=out, seed=0)
    return result, out / "tiny", time.perf_counter() - t0


def test_tiny_suite_runs_fast_and_writes_files(tiny) -> None:
    result, folder, seconds = tiny
    assert seconds < 60
    assert list(result.cases) == list(CASES)
    assert result.files["json"] == folder / "results.json"
    assert result.files["markdown"] == folder / "results.md"
    assert not list(folder.glob(".*tmp*"))  # atomic writes leave no temporary files
    try:
        import matplotlib  # noqa: F401
    except ImportError:  # plots are skipped with a note, never a crash
        assert "matplotlib" in json.loads((folder / "results.json").read_text())["plot_note"]
        return
    for name in ("scaling", "solvers", "quality"):
        png = folder / f"{name}.png"
        assert png.is_file() and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_json_has_machine_and_every_case(tiny) -> None:
    _, folder, _ = tiny
    data = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    assert {"suite", "seed", "command", "seconds", "config", "machine", "competitors", "cases", "plots"} <= set(data)
    assert data["suite"] == "tiny" and data["seed"] == 0
    machine = data["machine"]
    assert machine["cores"] >= 1 and machine["ram_gib"] > 0 and machine["date"].startswith("20")
    for lib in ("numpy", "scipy", "ortools"):
        assert machine["versions"][lib]
    assert set(data["cases"]) == set(CASES)
    for case in data["cases"].values():
        assert {"title", "seconds", "notes", "summary", "rows"} <= set(case)
        assert case["rows"] and all("status" in row for row in case["rows"])
    assert "jhmatch flow" in data["competitors"]["solvers"]
    assert "rule" in data["competitors"]["scorers"]
    # strict JSON: no NaN or Infinity anywhere
    json.loads((folder / "results.json").read_text(), parse_constant=lambda c: pytest.fail(f"non-JSON {c}"))


def test_markdown_has_a_section_and_table_per_case(tiny) -> None:
    result, folder, _ = tiny
    text = (folder / "results.md").read_text(encoding="utf-8")
    for case in result.cases.values():
        assert f"## {case.title}" in text
    assert "| instance | jhmatch flow |" in text  # solvers side by side
    assert "OR-Tools raw min-cost flow" in text and "ndcg@10" in text
    assert "![Scaling curves](scaling.png)" in text or "Plots skipped" in text


def test_flow_matches_ortools_raw_and_every_exact_solver_is_optimal(tiny) -> None:
    result, _, _ = tiny
    t = result.table("solvers")
    ok = t[t["status"] == "ok"]
    for _, inst in ok.groupby("instance"):
        flow = inst[inst["solver"] == "jhmatch flow"].iloc[0]
        raw = inst[inst["solver"] == "OR-Tools raw min-cost flow"].iloc[0]
        assert flow["objective"] == pytest.approx(raw["objective"], rel=1e-9)
        assert flow["reported_objective"] == pytest.approx(flow["objective"], rel=1e-9)
        exact = inst[inst["kind"] == "exact"]
        assert exact["optimal"].all()
        # a heuristic can never beat the optimum
        assert (inst["objective"] <= flow["objective"] * (1 + 1e-9)).all()
    assert (ok["seconds"] > 0).all() and ok["valid"].all()
    assert result.cases["solvers"].summary["same_objective"] is True


def test_rules_case_gap_and_rules_hold(tiny) -> None:
    result, _, _ = tiny
    t = result.table("rules").set_index("solver")
    assert set(t.index) == {"jhmatch auto", "HiGHS MILP (scipy, plain)", "CBC via problem.to_pulp()"}
    ok = t[t["status"] == "ok"]
    assert ok["rules_hold"].all() and (ok["seconds"] > 0).all()
    mine = t.loc["jhmatch auto"]
    assert mine["status"] == "ok" and mine["gap"] <= SUITES["tiny"].rules_gap + 1e-12
    # the proven bounds of the others cap jhmatch's objective, and jhmatch's bound caps theirs
    for _, row in ok.iterrows():
        assert row["objective"] <= mine["bound"] + 1e-9
        if row["bound"] is not None and not math.isnan(row["bound"]):
            assert mine["objective"] <= row["bound"] + 1e-9


def test_stable_peer_finds_the_same_matching_where_it_survives(tiny) -> None:
    result, _, _ = tiny
    t = result.table("solvers")
    peer = t[t["solver"] == "matching HospitalResident"]
    if (peer["status"] == "skipped").all():
        pytest.skip("the matching package is not installed")
    survived = peer[peer["status"] == "ok"]
    assert len(survived) and survived["same_matching_as_jhmatch_stable"].all()


def test_quality_figures_are_sane(tiny) -> None:
    result, _, _ = tiny
    q = result.table("quality").set_index("scorer")
    assert set(q.index) >= {"oracle (hidden model)", "rule", "learned", "random", "popularity"}
    assert (q["status"] == "ok").all()
    assert q.loc["oracle (hidden model)", "ndcg@10"] == pytest.approx(1.0)
    for name in ("rule", "learned", "random", "popularity"):
        assert 0 <= q.loc[name, "ndcg@10"] <= 1
        assert q.loc[name, "mean_true_p@10"] <= q.loc["oracle (hidden model)", "mean_true_p@10"] + 1e-12
    assert q.loc["rule", "ndcg@10"] > q.loc["random", "ndcg@10"]


def test_throughput_and_scaling_figures_are_sane(tiny) -> None:
    result, _, _ = tiny
    th = result.table("throughput")
    rule = th[th["scorer"] == "rule"].iloc[0]
    assert rule["status"] == "ok" and rule["seconds"] > 0 and rule["persons_per_s"] > 0 and rule["pairs_kept"] > 0
    assert rule["peak_mib"] is not None and not math.isnan(rule["peak_mib"])
    sc = result.table("scaling")
    assert set(sc["solver"]) == {"jhmatch flow", "jhmatch stable", "OR-Tools raw min-cost flow"}
    assert sorted(set(sc["persons"])) == list(SUITES["tiny"].scaling_sizes)
    ok = sc[sc["status"] == "ok"]
    assert (ok["seconds"] > 0).all()
    assert ok[ok["kind"] == "exact"]["optimal"].all()


def test_orlib_optima_reproduced_or_skipped(tiny) -> None:
    result, _, _ = tiny
    t = result.table("orlib")
    if (t["status"] == "skipped").all():
        assert "not found" in t["reason"].iloc[0]
        return
    assert (t["status"] == "ok").all() and t["reproduced"].all()
    assert set(t["instance"]) == {"assign100", "c0515_1", "c0515_2", "c0515_3", "c0515_4", "c0515_5"}


def test_same_seed_same_instances_and_objectives() -> None:
    cfg = SuiteConfig("mini", solver_sizes=((80, 8, 3),), scaling_sizes=(300,))
    runs = [run_suite(cfg, out=None, cases=["solvers"], seed=5, solvers=["jhmatch flow", "jhmatch greedy"])
            for _ in range(2)]
    a, b = (r.table("solvers")["objective"].tolist() for r in runs)
    assert a == b
    other = run_suite(cfg, out=None, cases=["solvers"], seed=6, solvers=["jhmatch flow"]).table("solvers")
    assert other["objective"].iloc[0] != a[0]


def test_scaling_budget_skips_larger_sizes() -> None:
    cfg = SuiteConfig("budget", scaling_sizes=(200, 400), scaling_budget=1e-9)
    t = run_suite(cfg, out=None, cases=["scaling"], solvers=["jhmatch greedy", "jhmatch flow"]).table("scaling")
    # only solvers marked for scaling run; the second size is skipped after exceeding the budget
    assert set(t["solver"]) == {"jhmatch flow"}
    second = t[t["persons"] == 400].iloc[0]
    assert second["status"] == "skipped" and "budget" in second["reason"]


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ParameterError, match="unknown suite"):
        run_suite("huge", out=None)
    with pytest.raises(ParameterError, match="unknown cases"):
        run_suite("tiny", out=None, cases=["speed"])
    with pytest.raises(ParameterError, match="unknown solvers"):
        run_suite("tiny", out=None, cases=["solvers"], solvers=["nope"])
    with pytest.raises(ParameterError, match="seed"):
        run_suite("tiny", out=None, cases=["solvers"], seed=1.5)  # type: ignore[arg-type]


def test_script_writes_into_suite_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    path = Path(__file__).parents[2] / "benchmarks" / "run_suite.py"
    spec = importlib.util.spec_from_file_location("run_suite_script", path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    assert module.main(["--suite", "tiny", "--cases", "solvers", "--out", str(tmp_path)]) == 0
    data = json.loads((tmp_path / "tiny" / "results.json").read_text())
    assert list(data["cases"]) == ["solvers"] and "run_suite.py --suite tiny" in data["command"]


def test_headlines_name_each_case(tiny) -> None:
    result, _, _ = tiny
    text = "\n".join(result.headlines())
    for word in ("persons/s", "NDCG@10", "OR-Tools raw", "rules at", "OR-Library", "scaling"):
        assert word in text


def test_plots_skipped_with_a_note_without_matplotlib(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    cfg = SuiteConfig("noplots", scaling_sizes=(200,))
    result = run_suite(cfg, out=tmp_path, cases=["scaling"], solvers=["jhmatch flow"])
    data = json.loads(result.files["json"].read_text())
    assert data["plots"] == [] and "matplotlib" in data["plot_note"]
    assert "Plots skipped" in result.files["markdown"].read_text() and not list((tmp_path / "noplots").glob("*.png"))


def test_quality_reports_safety_agreement_and_the_ablation(tiny) -> None:
    result, folder, _ = tiny
    q = result.table("quality").set_index("scorer")
    assert {"rule, functional off", "rule × hidden p_function (peeks)"} <= set(q.index)
    assert q.loc["rule, functional off", "kind"] == "ablation"
    for col in ("danger@5", "unsafe@5", "persons_danger@5"):
        assert q[col].between(0, 1).all(), col
    assert (q["unsafe@5"] <= q["danger@5"] + 1e-12).all()  # unsafe pairs are a part of the dangerous ones
    for name in ("rule", "rule, functional off"):
        assert -1 <= q.loc[name, "spearman_all"] <= 1 and -1 <= q.loc[name, "spearman_kept"] <= 1
    # the benchmark sees function: knowing the hidden functional factor removes most dangerous recommendations
    peek = q.loc["rule × hidden p_function (peeks)"]
    assert peek["unsafe@5"] < 0.5 * q.loc["rule", "unsafe@5"]
    assert peek["ndcg@10"] > q.loc["rule", "ndcg@10"]
    summary = result.cases["quality"].summary
    assert {"ndcg@10", "danger@5", "unsafe@5", "spearman_all"} <= set(summary)
    text = (folder / "results.md").read_text(encoding="utf-8")
    assert "danger@5" in text and "spearman_all" in text


def test_ranking_metrics_agree_with_jhmatch_metrics() -> None:
    import numpy as np
    import pandas as pd

    from jhmatch.matching import mrr, ndcg_at_k, precision_at_k, recall_at_k
    from jhmatch.matching.metrics import ranking_metrics

    rng = np.random.default_rng(3)
    n, m, k = 40, 30, 5
    relevant = rng.random((n, m)) < 0.15
    relevant[:3] = False  # persons without a relevant post are left out
    order = np.argsort(rng.random((n, m)), axis=1)[:, :8]
    person, post = np.repeat(np.arange(n), 8), order.ravel()
    rank = np.tile(np.arange(1, 9), n)
    mine = ranking_metrics(person, post, rank, relevant, k)
    ids_p, ids_q = np.array([f"p{i}" for i in range(n)]), np.array([f"q{j}" for j in range(m)])
    rec = pd.DataFrame({"person_id": ids_p[person], "post_id": ids_q[post], "rank": rank})
    r, c = np.nonzero(relevant)
    rel = pd.DataFrame({"person_id": ids_p[r], "post_id": ids_q[c]})
    assert mine["ndcg@5"] == pytest.approx(ndcg_at_k(rec, rel, k))
    assert mine["precision@5"] == pytest.approx(precision_at_k(rec, rel, k))
    assert mine["recall@5"] == pytest.approx(recall_at_k(rec, rel, k))
    assert mine["mrr"] == pytest.approx(mrr(rec, rel, k))
