"""CLI: demo, allocate and recommend through the entry point; the rules file; outputs and exit codes."""

from __future__ import annotations

import pytest

from jhmatch.cli import main
from jhmatch.data.io import read_table
from jhmatch.taxonomy import post_kind
from privacy_scan import leaked_ids


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    folder = tmp_path_factory.mktemp("city")
    assert main(["scenario", str(folder), "-n", "400", "--seed", "11", "-q"]) == 0
    return folder


def test_demo_writes_results_and_masks_ids(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path), "--persons", "400", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "Yiwu" in out and "placed" in out
    allocation = read_table(tmp_path / "allocation.csv")
    assert allocation["person_id"].is_unique and len(allocation) > 0
    chain = read_table(tmp_path / "quota_chain.csv")
    assert not chain["person_id"].isin(allocation["person_id"]).any()
    assert (tmp_path / "reserved_posts.csv").exists() and "cross-county quota employment" in out
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert leaked_ids(path.read_text(encoding="utf-8-sig", errors="ignore")) == [], path


def test_demo_is_deterministic(tmp_path):
    for name in ("a", "b"):
        assert main(["demo", "--out", str(tmp_path / name), "-n", "300", "-q"]) == 0
    for file in ("allocation.csv", "counties.csv", "unplaced.csv"):
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes()


def test_allocate_respects_capacities_and_rules_file(city, tmp_path, capsys):
    rules = tmp_path / "rules.toml"
    rules.write_text('[priority]\ngraduate = 1.0\n\n[[constraint]]\ntype = "RegionFloor"\nminimum = 1\nhard = true\n')
    out = tmp_path / "out"
    code = main(["allocate", str(city / "persons.csv"), str(city / "posts.csv"), "--rules", str(rules),
                 "--out", str(out), "--no-report", "-q"])
    assert code == 0
    allocation = read_table(out / "allocation.csv")
    posts = read_table(city / "posts.csv").set_index("post_id")
    used = allocation.groupby("post_id").size()
    assert (used <= posts.loc[used.index, "capacity"].astype(int)).all()
    assert allocation["person_id"].is_unique
    assert not (out / "report").exists()


def test_infeasible_hard_rule_exits_1_with_diagnosis(city, tmp_path, capsys):
    rules = tmp_path / "rules.toml"
    rules.write_text('[[constraint]]\ntype = "RegionFloor"\nminimum = 100000\nhard = true\n')
    code = main(["allocate", str(city / "persons.csv"), str(city / "posts.csv"), "--rules", str(rules),
                 "--out", str(tmp_path / "out"), "--no-report", "-q"])
    assert code == 1
    err = capsys.readouterr().err
    assert "minimum placements per county" in err and "Traceback" not in err


def test_bad_rules_file_exits_2(city, tmp_path, capsys):
    rules = tmp_path / "rules.toml"
    rules.write_text('[[constraint]]\ntype = "Teleport"\n')
    assert main(["allocate", str(city / "persons.csv"), str(city / "posts.csv"), "--rules", str(rules), "-q",
                 "--out", str(tmp_path / "o")]) == 2
    assert "Teleport" in capsys.readouterr().err


def test_recommend_both_ways(city, tmp_path):
    out = tmp_path / "rec.csv"
    assert main(["recommend", str(city / "persons.csv"), str(city / "posts.csv"), "-k", "3", "--out", str(out), "-q"]) == 0
    table = read_table(out)
    assert table.groupby("person_id").size().max() <= 3
    out2 = tmp_path / "cand.csv"
    assert main(["recommend", str(city / "persons.csv"), str(city / "posts.csv"), "-k", "2", "--for-posts",
                 "--out", str(out2), "-q"]) == 0
    assert read_table(out2).groupby("post_id").size().max() <= 2


def test_leak_scanner_finds_real_ids_only():
    assert leaked_ids("a 11010519491231002X42, b 0.11010519491231002 c 110105194912310021") == ["11010519491231002X"]


def test_plan_posts_respects_site_capacity_and_target(city, tmp_path, capsys):
    out = tmp_path / "plan"
    assert main(["plan-posts", str(city / "persons.csv"), str(city / "posts.csv"), "--tobacco", "2",
                 "--out", str(out), "-q"]) == 0
    sites = read_table(out / "reserved_sites.csv")
    filled = sites["filled"].astype(int)
    assert (filled <= sites["max_posts"].astype(int)).all()
    assert (filled[sites["opened"].str.lower() == "false"] == 0).all()
    per_kind = read_table(out / "reserved_posts.csv").assign(n=lambda t: t["posts_filled"].astype(int))
    tobacco = post_kind("tobacco_outlet").en  # outputs show kind names, not codes
    assert per_kind.loc[per_kind["kind"] == tobacco, "n"].sum() >= 2
    assert "reserved posts to open per county" in capsys.readouterr().out


def test_plan_posts_bad_spacing_is_bad_input(city, tmp_path):
    assert main(["plan-posts", str(city / "persons.csv"), str(city / "posts.csv"), "--spacing", "wide",
                 "--out", str(tmp_path), "-q"]) == 2


def test_bench_tiny_suite_writes_json_and_markdown(tmp_path, capsys):
    import json

    assert main(["bench", "--suite", "tiny", "--cases", "solvers,orlib", "--out", str(tmp_path), "-q"]) == 0
    data = json.loads((tmp_path / "tiny" / "results.json").read_text())
    assert {"solvers", "orlib"} <= set(data["cases"]) and (tmp_path / "tiny" / "results.md").exists()
    assert "same objective: True" in capsys.readouterr().out


def test_bench_unknown_suite_is_bad_input(tmp_path, capsys):
    assert main(["bench", "--suite", "huge", "--out", str(tmp_path), "-q"]) == 2
    assert "error:" in capsys.readouterr().err
