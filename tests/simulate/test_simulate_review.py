"""Issue 17 review: persons without a county, seekers' registers, retirements at the start, messages."""

from __future__ import annotations

import warnings

import pytest

from jhmatch.cli import main
from jhmatch.simulate import FLOWS, SimulationScenario, build_model, simulate
from jhmatch.simulate.demo import simulation_demo

F = {name: i for i, name in enumerate(FLOWS)}
SCENARIO = SimulationScenario(end_year=2023)


@pytest.fixture(autouse=True)
def _english_by_default(monkeypatch):
    monkeypatch.setenv("JHMATCH_LANG", "en")


@pytest.fixture(scope="module")
def city():
    return simulation_demo(SCENARIO, n_persons=300, seed=3)


def test_persons_without_a_county_are_kept_in_a_county_unknown_group(city):
    persons = city.persons.drop(columns=["county"])
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        result = simulate(persons, city.posts, SCENARIO, replications=2, seed=1)
    assert result.has_unknown_county
    flows = result.flows(city_wide=False)
    first = flows[flows["year"] == 2022].set_index("scope")["start"]
    assert first["unknown"] == first["city"] > 0  # every starting person is in the unknown group, none lost
    t = result.horizon()
    unknown = t[t["scope"] == "unknown"]
    assert len(unknown) == 4 and unknown["goal"].isna().all()


def test_cli_without_a_county_says_so_in_chinese(tmp_path, capsys):
    paths = city_paths(tmp_path)
    code = main(["simulate", str(paths["persons"]), str(paths["posts"]), "--replications", "2",
                 "--sensitivity-replications", "0", "--workers", "1", "--out", str(tmp_path / "o"), "--lang", "zh",
                 "-q"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "县市区不详" in out and "RuntimeWarning" not in out + err


def city_paths(tmp_path):
    c = simulation_demo(SCENARIO, n_persons=200, seed=4)
    p = c.persons.copy()
    p["county"] = None
    paths = {"persons": tmp_path / "p.csv", "posts": tmp_path / "q.csv"}
    p.to_csv(paths["persons"], index=False)
    c.posts.to_csv(paths["posts"], index=False)
    return paths


def _seekers(tmp_path):
    from jhmatch.datasets import make_jinhua

    c = make_jinhua(n_persons=300, seed=5)  # a seekers' register: 15 % employed, many open posts
    paths = {"persons": tmp_path / "sp.csv", "posts": tmp_path / "sq.csv"}
    c.persons.to_csv(paths["persons"], index=False)
    c.posts.to_csv(paths["posts"], index=False)
    return paths


def test_a_seekers_register_is_flagged_in_the_first_lines(tmp_path, capsys):
    paths = _seekers(tmp_path)
    code = main(["simulate", str(paths["persons"]), str(paths["posts"]), "--scenario", str(_toml(tmp_path, "")),
                 "--replications", "2", "--sensitivity-replications", "0", "--workers", "1",
                 "--out", str(tmp_path / "o"), "--lang", "zh", "-q"])
    lines = capsys.readouterr().out.splitlines()
    assert code == 0
    assert lines[2].startswith("【警告】所给数据表看起来是求职登记表") and "起始在业比例" in lines[2]
    assert "求职登记表" in (tmp_path / "o" / "index.html").read_text(encoding="utf-8")


def test_start_options_make_a_seekers_register_behave_like_the_demo(tmp_path, capsys):
    from jhmatch.simulate import read_scenario

    paths = _seekers(tmp_path)
    path = _toml(tmp_path, '"起始在业比例" = 0.5\nstart_open_years = 1\n')
    plan = read_scenario(path)
    assert (plan.start_employed_share, plan.start_open_years) == (0.5, 1.0)
    code = main(["simulate", str(paths["persons"]), str(paths["posts"]), "--scenario", str(path),
                 "--replications", "2", "--sensitivity-replications", "0", "--workers", "1",
                 "--out", str(tmp_path / "o"), "--lang", "zh", "-q"])
    out = capsys.readouterr().out
    assert code == 0 and "求职登记表" not in out and "起始数据已按情景文件调整" in out.splitlines()[2]


def test_start_options_keep_the_accounts_and_cut_the_first_year(tmp_path):
    import pandas as pd

    from jhmatch.datasets import make_jinhua

    c = make_jinhua(n_persons=400, seed=5)
    raw = simulate(c.persons, c.posts, SCENARIO, replications=3, seed=2)
    plan = SCENARIO.replace(start_employed_share=0.5, start_open_years=1)
    fixed = simulate(c.persons, c.posts, plan, replications=3, seed=2)
    assert raw.start.seekers_register and not fixed.start.seekers_register and fixed.start.adapted
    new_jobs = {n: r.horizon().set_index(["target", "scope"]).loc[("new_jobs", "city"), "mean"]
                for n, r in (("raw", raw), ("fixed", fixed))}
    assert new_jobs["fixed"] < new_jobs["raw"] / 2
    k = fixed.counts
    assert (k[..., F["emp_end"]] == k[..., F["emp_start"]] + k[..., F["emp_in"]] + k[..., F["placed"]]
            - k[..., F["lost"]] - k[..., F["emp_out"]]).all()
    assert isinstance(fixed.flows(), pd.DataFrame)


def _toml(tmp_path, text):
    path = tmp_path / "s.toml"
    path.write_text("end_year = 2023\n" + text, encoding="utf-8")
    return path


def test_first_year_retirements_are_of_the_order_of_later_years():
    plan = SimulationScenario()
    city = simulation_demo(plan, n_persons=2000, seed=0)
    model = build_model(city.persons, city.posts, plan, seed=0)
    result = simulate(None, None, plan, replications=3, seed=0, model=model)
    retired = result.counts[..., F["retired"]].sum(axis=2).mean(axis=0)  # per year, persons of the table
    assert retired[0] <= 2 * retired[1:].mean()  # before: about 190 in 2022 against 20-35 later
    n_past = result.start.past_working_age
    assert 100 < n_past < 300 and n_past == int(model.past_age.sum())
    assert result.counts[0, 0, :, F["start"]].sum() + n_past == len(city.persons)


@pytest.mark.parametrize(("text", "wanted"), [
    ("end_year = 2021\n", ["填的是 2021", "不早于起始年份（start_year）2022 的年份"]),
    ("death_rate = \n", ["第 1 行", "填的是 'death_rate = '", "TOML 语法", "第 1 行第 14 列"]),
    ("x = 1\n[job_loss\n", ["第 2 行", "第 2 行第 10 列"]),
])
def test_scenario_file_problems_read_in_chinese(tmp_path, capsys, text, wanted):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    code = main(["simulate", "--demo", "--persons", "100", "--scenario", str(path), "--out", str(tmp_path / "o"),
                 "--lang", "zh"])
    err = capsys.readouterr().err
    assert code == 2 and "bad.toml" in err
    assert all(w in err for w in wanted), err
    assert "got" not in err and "expected" not in err and "UTF-8" not in err and "Invalid" not in err
