"""The main job: determinism (also under shuffled rows), seekers only, rules, outputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jhmatch.datasets import make_jinhua
from jhmatch.errors import ParameterError
from jhmatch.optimize import RegionFloor
from jhmatch.pipeline import run_plan
from jhmatch.rules import Rules, load_rules, plan_rules


@pytest.fixture(scope="module")
def city():
    return make_jinhua(n_persons=600, seed=3)


def test_shuffled_rows_give_byte_identical_outputs(city, tmp_path):
    a = run_plan(city.persons, city.posts)
    shuffled_persons = city.persons.sample(frac=1.0, random_state=1).reset_index(drop=True)
    shuffled_posts = city.posts.sample(frac=1.0, random_state=2).reset_index(drop=True)
    b = run_plan(shuffled_persons, shuffled_posts)
    pa = a.write(tmp_path / "a", report=False)
    pb = b.write(tmp_path / "b", report=False)
    for name in ("allocation", "unplaced", "counties", "targets", "constraints", "summary"):
        assert pa[name].read_bytes() == pb[name].read_bytes(), name


def test_only_willing_unemployed_seekers_are_placed(city):
    run = run_plan(city.persons, city.posts)
    placed = city.persons.set_index("person_id").loc[run.allocation.assignments["person_id"]]
    assert placed["willing"].all() and not placed["employed"].any()
    assert run.allocation.assignments["person_id"].is_unique


def test_capacities_hold(city):
    run = run_plan(city.persons, city.posts)
    used = run.allocation.assignments.groupby("post_id").size()
    cap = city.posts.set_index("post_id")["capacity"]
    assert (used <= cap.loc[used.index]).all()


def test_hard_region_floor_is_met_or_reported(city):
    rules = Rules(constraints=(RegionFloor(minimum=5),))
    run = run_plan(city.persons, city.posts, rules=rules)
    counts = city.persons.set_index("person_id").loc[run.allocation.assignments["person_id"], "county"].value_counts()
    assert run.allocation.ok and (counts >= 5).all() and len(counts) == 9


def test_rules_file_errors_name_the_entry(tmp_path):
    p = tmp_path / "rules.toml"
    p.write_text('[[constraint]]\ntype = "RegionFloor"\nspeed = 3\n')
    with pytest.raises(ParameterError, match=r"constraint 1 \(RegionFloor\).*parameters"):
        load_rules(p)
    p.write_text('[priority]\nvip = 3\n')
    with pytest.raises(ParameterError, match=r"\[priority\]"):
        load_rules(p)
    p.write_text("not toml [")
    with pytest.raises(ParameterError, match="cannot read rules"):
        load_rules(p)


def test_plan_rules_are_soft_by_default():
    assert all(not c.hard for c in plan_rules().constraints)


def test_raw_tables_are_validated(city):
    raw = city.persons.rename(columns={"county": "县市区"})
    run = run_plan(raw, city.posts)
    assert run.persons["county"].isin([r for r in pd.unique(city.persons["county"])]).all()


def test_size_guard_refuses_with_a_suggestion(city, monkeypatch):
    from jhmatch.errors import SizeLimitError
    from jhmatch.limits import set_memory_limit

    set_memory_limit("1K")
    try:
        with pytest.raises(SizeLimitError, match=r"(candidate pairs|posts would need).*top_k"):
            run_plan(city.persons, city.posts)
    finally:
        set_memory_limit(None)
    monkeypatch.setenv("JHMATCH_MEMORY_LIMIT", "lots")
    with pytest.raises(ParameterError, match="JHMATCH_MEMORY_LIMIT"):
        run_plan(city.persons, city.posts)


def test_cross_county_chain_places_only_unplaced_seekers_within_capacities():
    from jhmatch.datasets import make_chain_network
    from jhmatch.pipeline import chain_flows, cross_county_chain

    city = make_jinhua(n_persons=1500, n_posts=150, seed=8)
    run = run_plan(city.persons, city.posts)
    mids, bases = make_chain_network(run.persons)
    chain = cross_county_chain(run, city.employers, mids, bases)
    placed = chain.placements
    assert chain.total_placed == len(placed) > 0
    assert placed["person_id"].is_unique
    assert not placed["person_id"].isin(run.allocation.assignments["person_id"]).any()
    used = placed.groupby("intermediary_id").size()
    assert (used <= mids.set_index("intermediary_id")["capacity"].loc[used.index]).all()
    used = placed.groupby("base_id").size()
    assert (used <= bases.set_index("base_id")["capacity"].loc[used.index]).all()
    person_county = run.persons.set_index("person_id").loc[placed["person_id"], "county"].to_numpy()
    assert (("B" + person_county) == placed["base_id"].to_numpy()).all()  # bases of the person's county
    emp = chain.employers
    assert emp["placed"].sum() == chain.total_placed
    assert (emp["shortfall_after"] <= emp["shortfall_before"]).all()
    flows = chain_flows(chain, city.employers)
    assert flows.groupby("stage")["flow"].sum().tolist() == [chain.total_placed] * 2


def test_demo_chain_money_equals_fund_due_before_minus_after():
    """The demo's "fund saved" is fund_due before minus after (issue 14: it was 100,000 yuan a placement).

    Recomputed here independently: each placed person is counted at the employer as dispatched staff
    (+1 staff, +1 disabled, grade 1–2 ×2: 财税〔2015〕72号), and fund_due applies the ≤ 30-staff
    exemption and the 50 % / 90 % tiers (财政部公告2019年第98号, 2023年第8号).
    """
    from jhmatch.pipeline import cross_county_chain
    from jhmatch.policy import fund_due, validate_policy_employers

    city = make_jinhua(n_persons=2000, n_posts=300, seed=0)
    run = run_plan(city.persons, city.posts)
    chain = cross_county_chain(run, city.employers)
    assert chain.total_placed > 0
    before = fund_due(city.employers, year=run.progress.year).table
    pl = chain.placements.merge(run.persons[["person_id", "grade"]].astype({"person_id": object}), on="person_id")
    emp = validate_policy_employers(city.employers).copy()
    ids = emp["employer_id"].astype(object)
    emp["dispatched_in"] = ids.map(pl.groupby("employer_id").size()).fillna(0).astype("int64").to_numpy()
    emp["dispatched_in_severe"] = ids.map((pl["grade"] <= 2).groupby(pl["employer_id"]).sum()).fillna(0).astype(
        "int64").to_numpy()
    emp.attrs = {}
    after = fund_due(emp, year=run.progress.year).table
    assert chain.fund_before == pytest.approx(before["fund_due"].sum())
    assert chain.fund_after == pytest.approx(after["fund_due"].sum())
    assert chain.fund_saved == pytest.approx(before["fund_due"].sum() - after["fund_due"].sum())
    table = chain.employers.set_index("employer_id")
    assert np.allclose(table["fund_due_before"], before["fund_due"]) and np.allclose(table["fund_due_after"],
                                                                                     after["fund_due"])
    # nobody who owes nothing (exempt or at quota) gets a placement
    assert (table.loc[before["fund_due"].to_numpy() == 0, "placed"] == 0).all()
    assert not (table["placed"] > table["steps"]).any()


# ----------------------------------------------------------------------------- reserved-post planning (issue 14)

@pytest.fixture(scope="module")
def small():
    return make_jinhua(n_persons=400, seed=0)


def _kiosks(plan):
    return plan.sites[plan.sites["kind"] == "kiosk"].set_index("site_id")


def test_plan_posts_applies_the_kiosk_rule_by_default(small):
    # PLAN §二(二): 新增建设邮政报刊零售亭等社区公共服务点时，应当预留不低于10%的岗位专门安排残疾人就业.
    from jhmatch.pipeline import plan_posts

    base = _kiosks(plan_posts(small.persons, small.posts, target_scale=0))
    assert len(base) and base["site_posts"].notna().all()
    # kiosk posts with one site_id are one point
    k = small.posts[small.posts["kind"] == "kiosk"]
    assert set(base.index) == set(k["site_id"].dropna().astype(str)) | set(k.loc[k["site_id"].isna(), "post_id"])
    a, b = base.index[0], base.index[-1]
    cap_a, cap_b = int(base.loc[a, "max_posts"]), int(base.loc[b, "max_posts"])
    assert base.loc[a, "filled"] > 0  # without the larger point the seeker is placed there
    # a: 10 * cap + 1 posts at the point -> floor ceil(cap + 0.1) = cap + 1 > cap: it cannot open;
    # b: 10 * cap posts -> floor exactly cap: opened only if full.
    plan = plan_posts(small.persons, small.posts, target_scale=0,
                      kiosk_site_posts={a: 10 * cap_a + 1, b: 10 * cap_b})
    ks = _kiosks(plan)
    assert not ks.loc[a, "opened"] and ks.loc[a, "filled"] == 0
    assert (not ks.loc[b, "opened"]) or ks.loc[b, "filled"] == cap_b
    row = plan.targets.set_index("kind").loc["kiosk_reserve"]
    assert row["achieved"] >= row["target"] and "10%" in row["basis"]
    off = _kiosks(plan_posts(small.persons, small.posts, target_scale=0, kiosk_share=0.0,
                             kiosk_site_posts={a: 10 * cap_a + 1}))
    assert off.loc[a, "filled"] == base.loc[a, "filled"] > 0
    assert "kiosk_reserve" not in set(plan_posts(small.persons, small.posts, target_scale=0,
                                                 kiosk_share=0.0).targets["kind"])


def test_kiosk_rule_binds_in_the_demo_city():
    """The demo's kiosk points carry their total of posts (site_posts), so 10 % can exceed one person.

    PLAN §二(二): at least 10 % of the posts at each new community service point for disabled persons.
    In the demo city (2,000 persons, seed 0) every opened point holds its floor, and at one point at
    least the floor takes every listed kiosk post: the rule is tight, not a formality.
    """
    import math

    from jhmatch.pipeline import plan_posts, run_plan

    city = make_jinhua(n_persons=2000, seed=0)
    k = city.posts[city.posts["kind"] == "kiosk"]
    assert k["site_posts"].notna().all() and (k["site_posts"] >= k["capacity"]).all()
    run = run_plan(city.persons, city.posts)
    points = _kiosks(plan_posts(run.persons, run.posts, run.scores))
    opened = points[points["opened"].astype(bool)]
    need = [math.ceil(0.10 * t - 1e-9) for t in opened["site_posts"]]
    assert len(opened) and (opened["filled"].to_numpy() >= need).all()
    assert any(n >= 2 and n == m for n, m in zip(need, opened["max_posts"])), "the floor binds at no point"


def test_plan_posts_tobacco_scale_is_explicit_and_shown(small):
    # PLAN §二(二): "十四五"全市...烟草制品零售点不少于300个 — a city-wide total; the scale is the caller's.
    from jhmatch.pipeline import plan_posts

    full = plan_posts(small.persons, small.posts).targets.set_index("kind").loc["tobacco_outlet"]
    assert full[["target", "city_total", "scale"]].tolist() == [300.0, 300.0, 1.0]
    part = plan_posts(small.persons, small.posts, target_scale=0.02).targets.set_index("kind").loc["tobacco_outlet"]
    assert part[["target", "city_total", "scale"]].tolist() == [6.0, 300.0, 0.02]  # 300 x 0.02
    assert "target_scale 0.02" in part["basis"]
    given = plan_posts(small.persons, small.posts, targets={"tobacco_outlet": 2}).targets.set_index("kind")
    assert given.loc["tobacco_outlet", ["target", "basis"]].tolist() == [2.0, "supplied"]
    with pytest.raises(ParameterError, match="target_scale"):
        plan_posts(small.persons, small.posts, target_scale=-1)
    with pytest.raises(ParameterError, match="kiosk_share"):
        plan_posts(small.persons, small.posts, kiosk_share=1.5)


def test_summary_opens_with_the_honest_status(city, tmp_path):
    from jhmatch.report.status import status_line

    run = run_plan(city.persons, city.posts, time_limit=1e-3, method="milp")
    for lang in ("en", "zh"):
        paths = run.write(tmp_path / lang, report=False, lang=lang)
        paragraphs = paths["summary"].read_text(encoding="utf-8").split("\n\n")
        assert paragraphs[1] == status_line(run.allocation, lang)
    assert run.allocation.status != "optimal" or paragraphs[1].startswith("计划已求得最优方案")


def test_report_names_the_assumed_parameters_behind_its_figures(small, tmp_path):
    """Issue 14: every output that uses a PARAM value marks it; the employment rate rests on the working age."""
    from jhmatch.i18n import language
    from jhmatch.pipeline import run_plan

    run = run_plan(small.persons, small.posts)
    with language("zh"):
        paths = run.write(tmp_path / "out")
    page = (paths["report"] / "index.html").read_text(encoding="utf-8")
    note = page.split('id="assumptions">', 1)[1].split("</p>", 1)[0]
    assert "假设参数" in note and "劳动年龄下限 = 16" in note
