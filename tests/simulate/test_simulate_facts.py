"""Outside facts the simulation must follow: the working-age rule's retirement ages and the plan's targets.

Sources: the 2024 decision of the NPC Standing Committee on the gradual delay of the statutory
retirement age (in force 2025-01-01; men 60 delayed 1 month per 4 months of birth from January
1965; women 55 delayed likewise from January 1970) as implemented in
``jhmatch.policy.retirement``; the action plan 金政办发〔2022〕50号 §一 (by end-2025: 5,000 new
jobs, 500 new welfare posts, a 60 % employment rate of working-age certificate holders, 100 % of
graduating students who want work employed).
"""

from __future__ import annotations

import pandas as pd
import pytest

from jhmatch.i18n import language
from jhmatch.simulate import JOB_GROUPS, SimulationScenario, build_model, demo_result

QUIET = dict(new_holders_rate=0, graduates_rate=0, youth_rate=0, death_rate=0, move_rate=0,
             job_loss={g: 0 for g in JOB_GROUPS}, welfare_places=0, reserved_places=0, quota_places=0)


@pytest.fixture(scope="module")
def retirees():
    persons = pd.DataFrame({
        "person_id": ["man65", "man64", "woman69", "woman70", "young"],
        "category": ["physical"] * 5, "grade": [4] * 5, "county": ["婺城"] * 5,
        "sex": ["M", "M", "F", "F", "F"],
        "birth_date": ["1965-10-15", "1964-06-30", "1969-12-31", "1970-01-20", "2000-01-01"],
        "willing": [True] * 5, "employed": [False] * 5})
    posts = pd.DataFrame({"post_id": ["q"], "kind": ["保洁"], "county": ["婺城"], "capacity": [1]})
    scenario = SimulationScenario(start_year=2022, end_year=2026).replace(**QUIET)
    model = build_model(persons, posts, scenario)
    ids = ["man65", "man64", "woman69", "woman70", "young"]  # sorted by id inside the model
    order = sorted(ids)
    return model, {pid: order.index(pid) for pid in ids}


def test_man_born_october_1965_retires_at_60_years_3_months(retirees):
    model, at = retirees
    i = at["man65"]
    # 60 years 3 months on 2026-01-15: of working age on 2025-12-31 (not at 60 on 2025-10-15), out in 2026
    assert model.working_age[3, 0, i] and not model.retired[3, 0, i]
    assert model.retired[4, 0, i] and not model.working_age[4, 0, i]


def test_man_born_1964_retires_at_60(retirees):
    model, at = retirees
    i = at["man64"]
    assert model.working_age[1, 0, i] and not model.retired[1, 0, i]  # 59 on 2023-12-31
    assert model.retired[2, 0, i] and not model.working_age[2, 0, i]  # 60 on 2024-06-30


def test_woman_born_1969_retires_at_55_and_1970_is_delayed(retirees):
    model, at = retirees
    # born 1969-12-31: 55 on 2024-12-31, the last cohort before the delay
    assert model.retired[2, 0, at["woman69"]]
    # born 1970-01-20: 55 years 1 month, i.e. on 2025-02-20; working age on 2024-12-31, retired in 2025
    assert model.working_age[2, 0, at["woman70"]] and not model.retired[2, 0, at["woman70"]]
    assert model.retired[3, 0, at["woman70"]]


def test_young_person_stays_of_working_age(retirees):
    model, at = retirees
    assert model.working_age[:, 0, at["young"]].all() and not model.retired[:, 0, at["young"]].any()


def test_the_plans_targets_by_2025():
    goals = demo_result().goals()
    assert [goals.goal(t, "city", 2025)[0] for t in ("new_jobs", "welfare_posts", "employment_rate",
                                                       "graduate_rate")] == [5000, 500, 0.60, 1.0]


def test_target_names_come_from_the_policy_labels():
    from jhmatch.policy import target_label

    with language("zh"):
        assert target_label("employment_rate") == "劳动年龄段持证残疾人就业率"


def test_welfare_target_of_500_missed_without_new_posts_and_met_with_many():
    from jhmatch.simulate import demo_city, simulate

    city = demo_city(n_persons=200, posts_per_person=0.15, seed=9)
    scenario = SimulationScenario(end_year=2025)
    model = build_model(city.persons, city.posts, scenario.replace(welfare_places=2000))

    def p_meet(places: float) -> float:
        run = simulate(None, None, scenario.replace(welfare_places=places), replications=3, model=model)
        row = run.horizon().query("scope == 'city' and target == 'welfare_posts'").iloc[0]
        assert row["goal"] == 500
        return row["p_meet"]

    assert p_meet(0) == 0.0 and p_meet(1000) == 1.0
