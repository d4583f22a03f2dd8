"""The counts and the employment rate describe the same city (one scaling rule, an employment account).

Before: the demo's persons were a seekers' register (15 % employed) read as all certificate
holders, and its 840 open places (22,000 city-wide, 17 years of openings) were all filled in the
first year: 37,700 "new jobs" by 2025 against a rate that could not move with them.
"""

from __future__ import annotations

import numpy as np
import pytest

from jhmatch.simulate import FLOWS, JOB_GROUPS, SimulationScenario, build_model, simulate
from jhmatch.simulate.demo import DEMO_EMPLOYED_SHARE, simulation_demo
from jhmatch.simulate.scaling import table_scale, to_city, to_table

F = {name: i for i, name in enumerate(FLOWS)}
SCENARIO = SimulationScenario()


@pytest.fixture(scope="module")
def city():
    return simulation_demo(SCENARIO, n_persons=400, seed=6)


@pytest.fixture(scope="module")
def model(city):
    return build_model(city.persons, city.posts, SCENARIO, seed=6)


@pytest.fixture(scope="module")
def result(model):
    return simulate(None, None, SCENARIO, replications=5, seed=6, model=model)


def _c(result, flow):
    return result.counts[..., F[flow]]


def test_employment_account_every_replication_year_and_county(result):
    emp_end = _c(result, "emp_start") + _c(result, "emp_in") + _c(result, "placed") - _c(result, "lost") \
        - _c(result, "emp_out")
    assert np.array_equal(emp_end, _c(result, "emp_end"))
    assert np.array_equal(_c(result, "emp_start")[:, 1:], _c(result, "emp_end")[:, :-1])
    assert _c(result, "lost").sum() > 0 and _c(result, "emp_out").sum() > 0 and _c(result, "emp_in").sum() > 0


def test_change_in_employed_city_wide_is_new_jobs_minus_losses_and_leavers_plus_entrants(result):
    """Per replication, scaled by the one rule: Δ employed = new jobs − jobs ended − leaving + entering."""
    total = {f: to_city(_c(result, f).sum(axis=(1, 2)), result.scale) for f in ("lost", "emp_out", "emp_in")}
    start = to_city(_c(result, "emp_start")[:, 0].sum(axis=1), result.scale)
    end = to_city(_c(result, "emp_end")[:, -1].sum(axis=1), result.scale)
    new_jobs = result.values("new_jobs")[:, -1, 0]
    assert np.allclose(end - start, new_jobs - total["lost"] - total["emp_out"] + total["emp_in"])


def test_the_rate_is_the_employed_of_the_account(result):
    """Every age is known in the demo: the working-age employed on 31 December are the employed after retirements."""
    assert np.array_equal(_c(result, "emp_num"), _c(result, "emp_end"))
    assert np.array_equal(_c(result, "emp_den"), _c(result, "end"))
    rate = result.values("employment_rate")[:, :, 0]
    assert np.allclose(rate, _c(result, "emp_end").sum(axis=2) / _c(result, "end").sum(axis=2))


def test_demo_is_a_sample_of_all_holders_with_one_year_of_openings_open(city):
    from jhmatch.policy.workingage import working_age

    wa = working_age(city.persons, "2022-12-31")["working_age"].to_numpy(bool)
    assert city.persons["employed"].to_numpy(bool)[wa].mean() == pytest.approx(DEMO_EMPLOYED_SHARE, abs=0.01)
    scale = table_scale(int(wa.sum()), SCENARIO.rate("city_holders"))
    yearly = SCENARIO.rate("welfare_places") + SCENARIO.rate("reserved_places") + SCENARIO.rate("quota_places")
    assert abs(int(city.posts["capacity"].sum()) - to_table(yearly, scale)) <= 1.5  # rounding of three classes


def test_new_jobs_are_of_the_plans_order_and_the_rate_moves_with_them(result, city):
    new_jobs = result.values("new_jobs")[:, -1, 0]
    assert (1_000 < new_jobs).all() and (new_jobs < 15_000).all()  # thousands, not tens of thousands
    seats = int(city.posts["capacity"].sum()) + sum(_c(result, f).sum(axis=(1, 2)) for f in ("opened", "lost",
                                                                                             "emp_out"))
    assert (new_jobs <= to_city(seats, result.scale) + 1e-6).all()  # every new job fills a seat open or freed
    rate = result.values("employment_rate")[:, :, 0]
    assert np.abs(np.diff(rate, axis=1)).max() < 0.05  # no jump of tens of points in a year


def test_persons_placed_again_are_part_of_new_jobs_and_need_a_job_that_ended(result, model):
    again, placed = _c(result, "placed_again"), _c(result, "placed")
    assert (again <= placed).all() and (again[:, 0] == 0).all()  # nobody is placed again in the first year
    assert again.sum() > 0
    quiet = simulate(None, None, SCENARIO.replace(job_loss={g: 0 for g in JOB_GROUPS}), replications=2, seed=6,
                     model=model)
    assert _c(quiet, "placed_again").sum() == 0 and _c(quiet, "lost").sum() == 0
