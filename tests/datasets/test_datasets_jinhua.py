"""Tests of the synthetic Jinhua scenario (jhmatch.datasets.make_jinhua)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jhmatch.data.ids import parse_id_column
from jhmatch.data.schema import validate_employers, validate_households, validate_persons, validate_posts
from jhmatch.datasets import Scenario, load_occupations, make_jinhua
from jhmatch.datasets.constants import CATEGORY_SHARES, COUNTY_BOXES, GRADE_SHARES, KIND_SHARES, MALE_SHARE
from jhmatch.errors import ParameterError, SchemaError
from jhmatch.taxonomy import REGIONS, post_kinds

TABLES = ("persons", "posts", "employers", "households")
BUILTIN_KINDS = tuple(KIND_SHARES)  # the 25 kinds of the action plan


def validate_all(s: Scenario) -> dict[str, pd.DataFrame]:
    return {"persons": validate_persons(s.persons), "posts": validate_posts(s.posts),
            "employers": validate_employers(s.employers), "households": validate_households(s.households)}


@pytest.fixture(scope="module")
def big() -> Scenario:
    return make_jinhua(n_persons=20_000, seed=11)


@pytest.fixture(scope="module")
def small() -> Scenario:
    return make_jinhua(n_persons=2_000, seed=5)


def test_same_seed_gives_identical_tables() -> None:
    a, b = make_jinhua(n_persons=800, seed=3), make_jinhua(n_persons=800, seed=3)
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))


def test_different_seeds_differ() -> None:
    a, b = make_jinhua(n_persons=800, seed=3), make_jinhua(n_persons=800, seed=4)
    for name in TABLES:
        assert not getattr(a, name).equals(getattr(b, name)), name


def test_every_table_validates_unchanged(small: Scenario) -> None:
    validated = validate_all(small)
    for name in TABLES:
        pd.testing.assert_frame_equal(validated[name], getattr(small, name), check_like=False)


def test_validate_flag_gives_the_same_tables() -> None:
    a, b = make_jinhua(n_persons=300, seed=8), make_jinhua(n_persons=300, seed=8, validate=True)
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))


def test_county_shares_follow_population(big: Scenario) -> None:
    pop = np.array([r.population for r in REGIONS])
    target = pd.Series(pop / pop.sum(), index=[r.code for r in REGIONS])
    for frame in (big.persons, big.households):
        share = frame["county"].value_counts(normalize=True).reindex(target.index, fill_value=0)
        assert np.abs(share - target).max() < 0.012, (share - target).round(4).to_dict()


def test_category_grade_and_sex_shares(big: Scenario) -> None:
    share = big.persons["category"].value_counts(normalize=True)
    for cat, p in CATEGORY_SHARES.items():
        assert abs(share.get(cat, 0) - p) < 0.012, (cat, share.get(cat, 0), p)
    grades = big.persons["grade"].value_counts(normalize=True)
    for g, p in GRADE_SHARES.items():
        assert abs(grades.get(g, 0) - p) < 0.012, (g, grades.get(g, 0), p)
    severe = (big.persons["grade"] <= 2).mean()
    assert abs(severe - 0.296) < 0.012
    assert abs((big.persons["sex"] == "M").mean() - MALE_SHARE) < 0.012


def test_certificates_are_valid_and_consistent(big: Scenario) -> None:
    p = big.persons
    has = p["certificate_number"].notna()
    assert 0.27 < has.mean() < 0.33
    assert (p["id_number"].notna() == has).all()
    parsed = parse_id_column(p.loc[has, "certificate_number"], kind="certificate")
    assert (parsed["error"] == "").all()
    sub = p[has]
    assert (parsed["category"].to_numpy() == sub["category"].to_numpy()).all()
    assert (parsed["grade"].to_numpy() == sub["grade"].to_numpy()).all()
    assert (parsed["sex"].to_numpy() == sub["sex"].to_numpy()).all()
    assert (parsed["birth_date"].to_numpy() == sub["birth_date"].to_numpy()).all()
    assert (parsed["address_code"].to_numpy() == sub["county"].to_numpy()).all()
    ids = parse_id_column(sub["id_number"], kind="resident")
    assert (ids["error"] == "").all()
    assert (sub["certificate_number"].str[:18] == sub["id_number"]).all()
    assert sub["id_number"].is_unique


def test_certificate_check_character_is_checked() -> None:
    s = make_jinhua(n_persons=200, seed=2, id_share=1.0)
    cert = s.persons["certificate_number"].iloc[0]
    wrong = cert[:17] + ("0" if cert[17] != "0" else "1") + cert[18:]
    bad = s.persons.copy()
    bad.loc[0, "certificate_number"] = wrong
    with pytest.raises(SchemaError, match="check character"):
        validate_persons(bad)


def test_persons_are_plausible(big: Scenario) -> None:
    p = big.persons
    retire = np.where(p["sex"] == "M", 60, 55)
    age = p["age"].to_numpy(dtype=int)
    assert ((age >= 16) & (age < retire)).mean() > 0.9
    assert age.min() >= 16 and age.max() <= 70
    as_of = pd.Timestamp("2025-01-01")
    bd = p["birth_date"]
    exact = as_of.year - bd.dt.year - ((bd.dt.month > as_of.month) | ((bd.dt.month == as_of.month) & (bd.dt.day > as_of.day)))
    assert (exact.to_numpy() == age).all()
    grads = p[p["graduate"]]
    assert 0.005 < len(grads) / len(p) < 0.02
    assert (grads["education"] >= 4).all() and grads["age"].between(21, 24).all()
    assert (p.loc[p["category"] == "intellectual", "education"] <= 3).all()
    physical = p["category"] == "physical"
    assert (p.loc[physical, "limbs"] != "unknown").mean() > 0.85
    other = ~physical & (p["category"] != "multiple")
    assert (p.loc[other, "limbs"] == "unknown").all()
    multi = p["category"] == "multiple"
    assert (p.loc[multi, "components"].str.count(";") >= 1).all()
    assert p.loc[~multi, "components"].isna().all()
    assert 0.8 < p["willing"].mean() < 0.9
    cap = [c for c in p.columns if c.startswith("cap_")]
    assert cap and p[cap].isna().all().all()  # no assessments carry the hidden model's numbers
    # visual disabilities prefer blind massage far more often than others
    prefers = p["preferred_kinds"].str.contains("blind_massage")
    assert prefers[p["category"] == "visual"].mean() > 3 * prefers[p["category"] != "visual"].mean()


def test_skills_come_from_the_job_and_occupation_catalogues(small: Scenario) -> None:
    from jhmatch.datasets._jobs import JOBS

    occ = load_occupations()
    terms = set(occ["name"]) | {t for jobs in JOBS.values() for j in jobs for t in j.person_skills}
    for aliases in occ["aliases"]:
        terms |= {t.strip().rstrip("LS").strip() for t in aliases.split(",")}
    used = small.persons["skills"].str.split(";").explode()
    used = used[used != ""]
    assert len(used) > 1000
    assert used.isin(terms).all()
    required = {s for jobs in JOBS.values() for j in jobs for s in j.skills}
    assert small.posts["required_skills"].isin(required).mean() > 0.95


def test_households_are_consistent(small: Scenario) -> None:
    p, h = small.persons, small.households.set_index("household_id")
    assert p["household_id"].isin(h.index).all()
    assert (h.loc[p["household_id"], "county"].to_numpy() == p["county"].to_numpy()).all()
    members = p["household_id"].value_counts()
    assert (h.loc[members.index, "size"].to_numpy() >= members.to_numpy()).all()
    assert (h.loc[p["household_id"], "low_income"].to_numpy() == p["low_income"].to_numpy()).all()
    assert (~p["low_income"] | p["household_difficulty"]).all()
    assert 0.03 < h["low_income"].mean() < 0.2 and h["difficulty"].mean() > h["low_income"].mean()
    assert (h["monthly_income"] >= 0).all()


def test_posts_cover_every_kind(small: Scenario) -> None:
    posts = small.posts
    kinds = {k.code: k for k in post_kinds()}  # other tests may have registered extra kinds
    assert set(BUILTIN_KINDS) <= set(posts["kind"]) <= set(kinds)
    assert (posts["capacity"] >= 1).all()
    assert set(posts["county"]) == {r.code for r in REGIONS}
    remote_kind = posts["kind"].map({c: k.remote for c, k in kinds.items()})
    assert not (posts["remote"] & ~remote_kind).any()
    assert (posts.loc[posts["accommodations"].str.contains("remote"), "remote"]).all()
    self_employed = posts["kind"].map({c: k.self_employed for c, k in kinds.items()})
    assert posts.loc[self_employed, "employer_id"].isna().all()
    assert posts.loc[~self_employed, "employer_id"].isin(small.employers["employer_id"]).all()
    assert posts.loc[posts["kind"] == "kiosk", "site_id"].notna().all()
    dem = [c for c in posts.columns if c.startswith("dem_")]
    assert dem and posts[dem].isna().all().all()  # no demand analyses carry the hidden model's numbers


def test_employers_quota_mix(small: Scenario) -> None:
    e = small.employers
    assert (e["disabled_staff"] <= e["staff"]).all()
    assert (e["severe_disabled_staff"] <= e["disabled_staff"]).all()
    ratio = e["disabled_staff"] / e["staff"]
    assert (ratio < 0.015).sum() > 10 and ((ratio >= 0.015) & (ratio < 0.25)).sum() > 10
    concentrated = ratio >= 0.25
    assert concentrated.sum() >= 3
    assert (e.loc[concentrated, "staff"] >= 10).all()
    assert (~e["is_enterprise"]).sum() >= 1


def test_coordinates_inside_county_boxes(small: Scenario) -> None:
    for frame in (small.persons, small.posts):
        box = np.array([COUNTY_BOXES[c] for c in frame["county"]])
        assert ((frame["lat"] >= box[:, 0]) & (frame["lat"] <= box[:, 1])).all()
        assert ((frame["lon"] >= box[:, 2]) & (frame["lon"] <= box[:, 3])).all()
    bare = make_jinhua(n_persons=100, seed=1, coordinates=False)
    assert bare.persons["lat"].isna().all() and bare.posts["lon"].isna().all()


def test_repr_hides_identity_numbers() -> None:
    s = make_jinhua(n_persons=100, seed=1, id_share=1.0)
    text = repr(s)
    assert "persons=100" in text
    assert s.persons["id_number"].iloc[0] not in text


def test_overrides_of_shares() -> None:
    s = make_jinhua(n_persons=500, seed=1, category_shares={"visual": 1.0})
    assert (s.persons["category"] == "visual").all()
    s = make_jinhua(n_persons=500, seed=1, grade_shares={4: 1.0})
    assert (s.persons["grade"] == 4).all()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_persons": 0}, "n_persons must be an integer"),
        ({"n_persons": 100, "n_posts": 5}, r"n_posts must be an integer ≥ \d+ \(one post of every kind\)"),
        ({"n_persons": 100, "n_employers": 2}, "n_employers must be an integer ≥ 3"),
        ({"n_persons": 100, "category_shares": {"purple": 1.0}}, "unknown categories"),
        ({"n_persons": 100, "grade_shares": {5: 1.0}}, "grade_shares keys must be 1-4"),
        ({"n_persons": 100, "kind_shares": {"spaceship": 1.0}}, "unknown kinds"),
        ({"n_persons": 100, "category_shares": {"visual": -1.0}}, "non-negative"),
        ({"n_persons": 100, "id_share": 2.0}, "id_share must be between 0 and 1"),
    ],
)
def test_bad_parameters_raise(kwargs: dict, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        make_jinhua(**kwargs)


@settings(max_examples=12, deadline=None)
@given(n=st.integers(1, 80), seed=st.integers(0, 2**32 - 1), id_share=st.sampled_from([0.0, 0.5, 1.0]))
def test_generation_always_validates(n: int, seed: int, id_share: float) -> None:
    s = make_jinhua(n_persons=n, n_posts=len(post_kinds()) + n // 4, n_employers=3 + n // 20, seed=seed, id_share=id_share)
    validated = validate_all(s)
    for name in TABLES:
        pd.testing.assert_frame_equal(validated[name], getattr(s, name))


def test_user_registered_kinds_are_generated_and_simulated() -> None:
    from jhmatch.datasets import simulate_outcomes
    from jhmatch.taxonomy import PostKind, register_post_kind

    register_post_kind(PostKind("library_aide", "图书馆助理", "Library aide", False, False, ("4-13-01-07",), "public"),
                       replace=True)
    s = make_jinhua(n_persons=300, seed=4)
    assert (s.posts["kind"] == "library_aide").any()
    validated = validate_all(s)
    pd.testing.assert_frame_equal(validated["posts"], s.posts)
    aide = s.posts.loc[s.posts["kind"] == "library_aide", "post_id"]
    pairs = pd.DataFrame({"person_id": s.persons["person_id"][: len(aide)].to_numpy(), "post_id": aide.to_numpy()})
    p = simulate_outcomes(s, pairs=pairs, seed=1).probability
    assert ((p > 0) & (p < 1)).all()


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_written_scenario_validates_back_to_the_same_tables(tmp_path, fmt):
    from jhmatch.data.io import read_table

    validators = {"persons": validate_persons, "posts": validate_posts, "employers": validate_employers,
                  "households": validate_households}
    s = make_jinhua(n_persons=300, seed=5)
    paths = s.write(tmp_path, format=fmt)
    for name, frame in s.tables().items():
        pd.testing.assert_frame_equal(validators[name](read_table(paths[name])), validators[name](frame))


HAZARDS = {"drives_vehicle", "works_at_height", "moving_machinery", "electrical_work", "hot_work", "heavy_lifting",
           "prolonged_standing", "telephone", "reading", "hazardous_substances", "night_shift", "machine_paced", "no"}
CERTIFICATES = {"driving_a1", "driving_a2", "driving_a3", "driving_b1", "driving_b2", "driving_c1", "driving_c2",
                "driving_c5", "electrician", "welder", "height_work", "forklift", "crane", "blind_medical_massage",
                "accounting", "teacher", "nurse"}


def codes(series: pd.Series) -> pd.Series:
    out = series.fillna("").str.split(";").explode()
    return out[out != ""]


def test_enterprise_posts_are_real_jobs_with_some_codes(big: Scenario) -> None:
    posts = big.posts
    ent = posts[posts["kind"] == "enterprise_post"]
    assert ent["title"].nunique() > 60
    words = ("司机", "骑手", "仓库", "普工", "电工", "焊工", "厨师", "保安", "保洁", "文员", "电话客服", "在线客服", "叉车", "搬运")
    for word in words:
        assert ent["title"].str.contains(word).any(), word
    assert 0.25 < posts["occupation"].notna().mean() < 0.55
    assert posts["occupation"].dropna().isin(set(load_occupations()["code"])).all()
    text_cs = posts["title"].str.contains("文字|在线客服")
    phone_cs = posts["title"].str.contains("电话|热线|外呼")
    assert text_cs.sum() > 50 and phone_cs.sum() > 50


def test_hazards_and_required_certificates_on_a_minority(big: Scenario) -> None:
    posts = big.posts
    marked = posts["hazards"].ne("")
    assert 0.1 < marked.mean() < 0.4
    assert codes(posts["hazards"]).isin(HAZARDS).all()
    marked_phone = posts.loc[posts["title"].str.contains("电话客服"), "hazards"]
    assert marked_phone[marked_phone.ne("")].str.contains("telephone").all()
    req = codes(posts["required_certificates"])
    assert 0 < len(req) < 0.1 * len(posts) and req.isin(CERTIFICATES).all()
    forklift = posts["required_certificates"].fillna("").str.contains("forklift")
    assert posts.loc[forklift, "title"].str.contains("叉车").all()


def test_certificates_are_rare_and_consistent_with_the_disability(big: Scenario) -> None:
    p = big.persons
    held = codes(p["certificates"])
    assert held.isin(CERTIFICATES).all()
    share = p["certificates"].ne("").mean()
    assert 0.03 < share < 0.2
    driving = p["certificates"].fillna("").str.contains("driving_")
    assert not driving[p["category"].isin(["visual", "intellectual"])].any()
    assert not driving[p["components"].fillna("").str.contains("visual")].any()
    hearing_classes = codes(p.loc[p["category"] == "hearing", "certificates"])
    assert not hearing_classes.isin(["driving_a1", "driving_a2", "driving_b1", "driving_b2"]).any()
    wheel = p["wheelchair"].astype(str).str.lower() == "true"
    assert not codes(p.loc[wheel, "certificates"]).isin(["driving_c1", "driving_b2", "driving_a2", "forklift"]).any()
    massage = p["certificates"].fillna("").str.contains("blind_medical_massage")
    assert massage.any() and (p.loc[massage, "category"].isin(["visual", "multiple"])).all()


def test_recorded_details_are_partial_and_consistent(big: Scenario) -> None:
    p = big.persons
    for col, who in (("wheelchair", "physical"), ("residual_vision", "visual"), ("hearing_aid", "hearing")):
        values = p[col]
        recorded = values.notna()
        own = (p["category"] == who) | p["components"].fillna("").str.contains(who)
        assert 0.3 < recorded[own].mean() < 0.7, col
        assert not recorded[~own].any(), col
        assert set(values[recorded].astype(str).str.lower()) <= {"true", "false"}
    assert 0.1 < p["literate"].notna().mean() < 0.3
    assert p.loc[p["wheelchair"].astype(str).str.lower() == "true", "limbs"].isin(["lower", "both"]).all()
