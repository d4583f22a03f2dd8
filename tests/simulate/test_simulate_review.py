"""Issue 17 review: persons without a county, seekers' registers, retirements at the start, messages."""

from __future__ import annotations

import warnings

import pytest

from jhmatch.cli import main
from jhmatch.simulate import FLOWS, SimulationScenario, simulate
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
