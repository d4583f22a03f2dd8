"""The simulation engine: conservation, the single-year allocation, determinism, executors, intervals."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from jhmatch.data import ensure_valid
from jhmatch.executor import SerialExecutor
from jhmatch.matching import CompatibilityScorer
from jhmatch.optimize import AllocationProblem, solve
from jhmatch.simulate import FLOWS, JOB_GROUPS, SimulationScenario, build_model, demo_city, sensitivity, simulate

F = {name: i for i, name in enumerate(FLOWS)}
SCENARIO = SimulationScenario(end_year=2024)
ZERO = dict(new_holders_rate=0, graduates_rate=0, youth_rate=0, death_rate=0, move_rate=0,
            job_loss={g: 0 for g in JOB_GROUPS}, welfare_places=0, reserved_places=0, quota_places=0)


@pytest.fixture(scope="module")
def city():
    return demo_city(n_persons=400, posts_per_person=0.15, seed=4)


@pytest.fixture(scope="module")
def model(city):
    return build_model(city.persons, city.posts, SCENARIO, seed=3)


@pytest.fixture(scope="module")
def result(model):
    return simulate(None, None, SCENARIO, replications=6, seed=3, model=model)


def test_conservation_every_year_replication_and_county(result):
    c = result.counts
    inflow = c[..., F["start"]] + c[..., F["new_holders"]] + c[..., F["graduates"]] + c[..., F["youth"]]
    outflow = c[..., F["died"]] + c[..., F["moved"]] + c[..., F["retired"]] + c[..., F["end"]]
    assert np.array_equal(inflow, outflow)
    assert np.array_equal(c[:, 1:, :, F["start"]], c[:, :-1, :, F["end"]])  # next year starts where this one ended
    assert c[..., F["new_holders"]].sum() > 0 and c[..., F["died"]].sum() > 0 and c[..., F["retired"]].sum() > 0


def test_first_year_starts_with_the_register(result, city):
    # persons past their retirement age at the start are not of working age: left out, counted, said
    start = result.counts[:, 0, :, F["start"]].sum(axis=1)
    assert (start + result.start.past_working_age == len(city.persons)).all()


def test_zero_inflow_exit_full_retention_reproduces_the_single_year_allocation(city):
    # without retirement every willing person without a job seeks, as in the single-year allocation
    scenario = SimulationScenario(end_year=2022).replace(**ZERO, retirement=False)
    run = simulate(city.persons, city.posts, scenario, replications=1)
    persons = ensure_valid(city.persons, "persons")
    seekers = persons[persons["willing"].to_numpy(bool) & ~persons["employed"].to_numpy(bool)]
    scores = CompatibilityScorer(as_of="2022-12-31").score(seekers, city.posts)
    single = solve(AllocationProblem.from_frames(scores, persons, city.posts), method="flow")
    assert int(run.counts[0, 0, :, F["placed"]].sum()) == single.n_placed
    assert run.objective[0, 0] == pytest.approx(single.objective, rel=1e-9)
    c = run.counts[0, 0]
    assert c[:, F["end"]].sum() == len(persons) and c[:, F["retired"]].sum() == 0
    assert c[:, F["lost"]].sum() == 0 and c[:, F["opened"]].sum() == 0


def test_same_seed_same_result_other_seed_other_result(model):
    a = simulate(None, None, SCENARIO, replications=3, seed=11, model=model)
    b = simulate(None, None, SCENARIO, replications=3, seed=11, model=model)
    c = simulate(None, None, SCENARIO, replications=3, seed=12, model=model)
    assert np.array_equal(a.counts, b.counts) and np.array_equal(a.objective, b.objective)
    assert not np.array_equal(a.counts, c.counts)


def test_serial_and_executors_give_identical_results(model):
    serial = simulate(None, None, SCENARIO, replications=7, seed=5, model=model)
    for executor in (SerialExecutor(), ThreadPoolExecutor(2)):
        other = simulate(None, None, SCENARIO, replications=7, seed=5, model=model, executor=executor)
        assert np.array_equal(serial.counts, other.counts)
        assert np.array_equal(serial.objective, other.objective)


def test_process_executor_gives_identical_results(model):
    from concurrent.futures import ProcessPoolExecutor

    serial = simulate(None, None, SCENARIO, replications=6, seed=8, model=model)
    with ProcessPoolExecutor(2) as pool:
        other = simulate(None, None, SCENARIO, replications=6, seed=8, model=model, executor=pool)
    assert np.array_equal(serial.counts, other.counts)


def test_intervals_contain_the_mean_and_probabilities_are_shares(result):
    t = result.targets()
    ok = t["mean"].notna()
    assert (t.loc[ok, "low"] <= t.loc[ok, "mean"] + 1e-12).all() and (t.loc[ok, "mean"] <= t.loc[ok, "high"] + 1e-12).all()
    p = t["p_meet"].dropna()
    assert ((p >= 0) & (p <= 1)).all()
    assert set(t["scope"]) == {"city", *(f"3307{c}" for c in ("02", "03", "23", "26", "27", "81", "82", "83", "84"))}
    assert sorted(t["year"].unique()) == [2022, 2023, 2024]


def test_city_is_the_sum_of_the_counties(result):
    v = result.values("new_jobs")
    assert np.allclose(v[..., 0], v[..., 1:].sum(axis=-1))


def test_counts_are_city_wide_equivalents(result):
    placed = result.counts[..., F["placed"]].sum(axis=(1, 2))
    assert np.allclose(result.values("new_jobs")[:, -1, 0], placed / result.scale)


def test_more_quota_places_more_new_jobs(model):
    base = simulate(None, None, SCENARIO, replications=4, seed=1, model=model)
    more = simulate(None, None, SCENARIO.replace(quota_places=20000), replications=4, seed=1, model=model)
    assert more.values("new_jobs")[:, -1, 0].mean() > base.values("new_jobs")[:, -1, 0].mean()


def test_sensitivity_is_sorted_by_effect(model):
    table = sensitivity(model, SCENARIO, replications=2, rates=("death_rate", "quota_places")).table
    assert set(table["rate"]) == {"death_rate", "quota_places"}
    assert table["effect"].is_monotonic_decreasing or (table["effect"].diff().dropna() <= 1e-12).all()
    assert (table["low_value"] <= table["value"]).all() and (table["value"] <= table["high_value"]).all()


def test_model_built_for_other_years_is_refused(model):
    from jhmatch.errors import ParameterError

    with pytest.raises(ParameterError, match="years"):
        simulate(None, None, SimulationScenario(end_year=2025), replications=1, model=model)


def test_replications_must_be_positive(model):
    from jhmatch.errors import ParameterError

    with pytest.raises(ParameterError):
        simulate(None, None, SCENARIO, replications=0, model=model)


def test_welfare_posts_count_the_places_opened(model):
    from jhmatch.simulate.engine import YearRates

    run = simulate(None, None, SCENARIO, replications=3, seed=2, model=model)
    opened = run.counts[..., F["welfare_opened"]].sum(axis=(1, 2))
    assert np.allclose(run.values("welfare_posts")[:, -1, 0], opened / run.scale)
    with_start = simulate(None, None, SCENARIO.replace(count_start_posts=True), replications=3, seed=2, model=model)
    start_places = model.capacity[:model.n_start_posts][model.post_welfare[:model.n_start_posts]].sum()
    extra = with_start.counts[:, 0, :, F["welfare_opened"]].sum(axis=1) - run.counts[:, 0, :, F["welfare_opened"]].sum(axis=1)
    assert (extra == start_places).all() and start_places > 0
    assert YearRates(SCENARIO, model).count_start_posts is False
