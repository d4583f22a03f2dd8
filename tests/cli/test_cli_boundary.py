"""The CLI boundary: bad input through every command gives a short message and exit 2 (1 infeasible), never a
traceback; every solve the CLI starts has a default time limit."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from jhmatch.cli import DEFAULT_TIME_LIMIT, app
from jhmatch.data.io import read_table

runner = CliRunner()


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("bad")
    assert runner.invoke(app, ["scenario", str(d), "-n", "120", "--seed", "6", "-q"]).exit_code == 0
    (d / "truncated.xlsx").write_bytes(b"PK\x03\x04\x14\x00\x00\x00broken")
    (d / "renamed.xlsx").write_text("person_id,county\np1,义乌\n", encoding="utf-8")
    (d / "duplicate_header.csv").write_text("person_id,county,county\np1,义乌,东阳\n", encoding="utf-8")
    (d / "empty.csv").write_text("", encoding="utf-8")
    (d / "folder.csv").mkdir()
    (d / "no_post_id.csv").write_text("person_id\nP000001\n", encoding="utf-8")
    (d / "unknown_ids.csv").write_text("person_id,post_id\nNOBODY,J000001\n", encoding="utf-8")
    posts = read_table(d / "posts.csv")
    one = posts.loc[posts["capacity"].astype(int) == 1, "post_id"].iloc[0]
    persons = read_table(d / "persons.csv")["person_id"].head(3)
    (d / "over_capacity.csv").write_text("person_id,post_id\n" + "".join(f"{p},{one}\n" for p in persons))
    rules = {"inf_rate": '[[constraint]]\ntype = "CategoryFloor"\nrate = inf\n',
             "string_hard": '[[constraint]]\ntype = "RegionFloor"\nminimum = 1\nhard = "false"\n',
             "int_constraint": "constraint = 3\n", "not_toml": "[[[",
             "infeasible": '[[constraint]]\ntype = "RegionFloor"\nminimum = 100000\nhard = true\n'}
    for name, text in rules.items():
        (d / f"{name}.toml").write_text(text, encoding="utf-8")
    (d / "a_file").write_text("not a folder")
    return d


def _cases():
    p, q = "{d}/persons.csv", "{d}/posts.csv"
    alloc = ["allocate", p, q, "--out", "{out}", "--no-report", "-q"]
    return [
        ["validate", "--table", "foo", p], ["validate", "--table", "ids", p], ["validate", "{d}/truncated.xlsx"],
        ["validate", "--table", "persons", "{d}/renamed.xlsx"],
        ["validate", "--table", "persons", "{d}/duplicate_header.csv"], ["validate", "{d}/missing_persons.csv"],
        ["validate", "--table", "persons", "{d}/empty.csv"], ["validate", "--table", "persons", "{d}/folder.csv"],
        ["validate", p, "--map", "x"], ["validate", p, "--map", "{d}/nothing.toml"],
        [*alloc, "--rules", "{d}/inf_rate.toml"], [*alloc, "--rules", "{d}/string_hard.toml"],
        [*alloc, "--rules", "{d}/int_constraint.toml"], [*alloc, "--rules", "{d}/not_toml.toml"],
        [*alloc, "--rules", "{d}/missing.toml"], [*alloc, "--time-limit", "0"], [*alloc, "--time-limit", "inf"],
        [*alloc, "--time-limit", "nan"], [*alloc, "--gap", "2"], [*alloc, "--method", "teleport"],
        [*alloc, "--format", "pdf"], ["allocate", "{d}/truncated.xlsx", q, "--out", "{out}", "-q"],
        ["allocate", p, "{d}/missing.csv", "--out", "{out}", "-q"],
        ["allocate", p, q, "--out", "{d}/a_file", "--no-report", "-q"],
        ["demo", "-n", "0", "--out", "{out}", "-q"], ["demo", "-n", "-5", "--out", "{out}", "-q"],
        ["demo", "--time-limit", "-1", "--out", "{out}", "-q"], ["demo", "--method", "x", "--out", "{out}", "-q"],
        ["plan-posts", p, q, "--spacing", "wide", "--out", "{out}", "-q"],
        ["plan-posts", p, q, "--tobacco", "-1", "--out", "{out}", "-q"],
        ["plan-posts", p, "{d}/missing.csv", "--out", "{out}", "-q"],
        ["progress", p, q, "--allocation", "{d}/no_post_id.csv"],
        ["progress", p, q, "--allocation", "{d}/unknown_ids.csv"],
        ["progress", p, q, "--allocation", "{d}/over_capacity.csv"], ["progress", p, q, "--year", "1900"],
        ["progress", p, q, "--out", "{out}/x.pdf"],
        ["policy", "{d}/employers.csv", "--year", "2019"], ["policy", p], ["policy", "{d}/missing.csv"],
        ["policy", "{d}/employers.csv", "--vat-months", "{d}/missing.csv"],
        ["recommend", p, q, "-k", "0", "--out", "{out}/r.csv", "-q"],
        ["recommend", p, "{d}/missing.csv", "--out", "{out}/r.csv", "-q"],
        ["scenario", "{out}", "-n", "0"], ["scenario", "{out}", "--format", "doc"],
        ["bench", "--suite", "huge", "--out", "{out}"],
    ]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("args", _cases(), ids=lambda a: " ".join(a[:1] + [x.split("/")[-1] for x in a[1:]]))
def test_bad_input_gives_a_short_message_never_a_traceback(files, tmp_path, args, lang):
    argv = [a.format(d=files, out=tmp_path / "out") for a in args] + ["--lang", lang]
    result = runner.invoke(app, argv)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.exit_code == 2, (result.exit_code, result.output)
    lines = result.stderr.strip().splitlines()
    prefix = ("error:", "infeasible:") if lang == "en" else ("错误：", "无法满足：")
    assert lines and (lines[0].startswith(prefix) or lines[0].startswith(str(files))), result.stderr
    assert len(result.stderr) < 5000


def test_infeasible_rules_exit_1_with_one_status_line(files, tmp_path):
    result = runner.invoke(app, ["allocate", f"{files}/persons.csv", f"{files}/posts.csv", "--rules",
                                 f"{files}/infeasible.toml", "--out", str(tmp_path), "--no-report", "-q"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stdout.splitlines()[0].startswith("no plan: the hard rules cannot all hold")


def test_k_larger_than_any_list_is_warned(files, tmp_path):
    result = runner.invoke(app, ["recommend", f"{files}/persons.csv", f"{files}/posts.csv", "-k", "100000",
                                 "--out", str(tmp_path / "r.csv"), "-q"])
    assert result.exit_code == 0 and "warning: -k 100000 is more than" in result.stderr


def test_unexpected_failures_are_one_line_too(files, tmp_path, monkeypatch):
    import jhmatch.pipeline

    def broken(*args, **kwargs):
        raise AttributeError("'DataFrame' object has no attribute 'dtype'")

    monkeypatch.setattr(jhmatch.pipeline, "run_plan", broken)
    result = runner.invoke(app, ["allocate", f"{files}/persons.csv", f"{files}/posts.csv", "--out", str(tmp_path),
                                 "-q"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr.startswith("error: unexpected failure (AttributeError)") and "JHMATCH_DEBUG=1" in result.stderr


def test_every_solve_has_a_default_time_limit(files, tmp_path, monkeypatch):
    import jhmatch.pipeline

    seen = {}
    real_run, real_plan = jhmatch.pipeline.run_plan, jhmatch.pipeline.plan_posts

    def run_plan(*args, **kwargs):
        seen["allocate"] = kwargs.get("time_limit")
        return real_run(*args, **kwargs)

    def plan_posts(*args, **kwargs):
        seen["plan_posts"] = kwargs.get("time_limit")
        return real_plan(*args, **kwargs)

    monkeypatch.setattr(jhmatch.pipeline, "run_plan", run_plan)
    monkeypatch.setattr(jhmatch.pipeline, "plan_posts", plan_posts)
    p, q = f"{files}/persons.csv", f"{files}/posts.csv"
    assert runner.invoke(app, ["allocate", p, q, "--out", str(tmp_path / "a"), "--no-report", "-q"]).exit_code == 0
    assert runner.invoke(app, ["plan-posts", p, q, "--out", str(tmp_path / "b"), "-q"]).exit_code == 0
    assert seen == {"allocate": DEFAULT_TIME_LIMIT, "plan_posts": DEFAULT_TIME_LIMIT} and DEFAULT_TIME_LIMIT == 120
