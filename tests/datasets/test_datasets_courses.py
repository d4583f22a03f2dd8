"""Tests of the synthetic course catalogue (make_jinhua(courses=...), jhmatch.datasets._courses)."""

from __future__ import annotations

import pandas as pd
import pytest

from jhmatch.datasets import make_jinhua
from jhmatch.datasets._courses import course_templates, default_course_count, make_courses
from jhmatch.errors import ParameterError
from jhmatch.training import FORMATS, validate_courses

TABLES = ("persons", "posts", "employers", "households")

# Hashes of make_jinhua's four tables before the course catalogue existed (pandas hash of every cell and
# the index, summed mod 2**61): asking for no courses must keep the tables bit-identical.
BEFORE = {(300, 3): {"persons": 1410237519651672965, "posts": 657702540166648826,
                     "employers": 1309729102306308942, "households": 329786065066705081},
          (1000, 0): {"persons": 1056402700256241513, "posts": 2145711932933142970,
                      "employers": 989937382170816560, "households": 398242486668555664}}


def _hash(frame: pd.DataFrame) -> int:
    return int(pd.util.hash_pandas_object(frame, index=True).sum() % (1 << 61))


@pytest.fixture(scope="module")
def city():
    return make_jinhua(4000, seed=2, courses=True)


@pytest.mark.parametrize(("n", "seed"), sorted(BEFORE))
def test_tables_unchanged_when_no_courses_asked(n, seed):
    s = make_jinhua(n, seed=seed)
    assert s.courses is None
    assert {k: _hash(v) for k, v in s.tables().items()} == BEFORE[(n, seed)]
    assert "courses" not in repr(s)


def test_tables_unchanged_when_courses_asked(city):
    plain = make_jinhua(4000, seed=2)
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(city, name), getattr(plain, name))
    assert set(city.tables()) == {*TABLES, "courses"}
    assert f"courses={len(city.courses)}" in repr(city)


def test_catalogue_is_valid_and_synthetic(city):
    c = city.courses
    again = validate_courses(c.astype(object))
    pd.testing.assert_frame_equal(again.reset_index(drop=True), c.reset_index(drop=True), check_dtype=False)
    assert len(c) == default_course_count(len(city.posts))
    assert c["course_id"].is_unique
    assert c["source"].str.startswith("synthetic").all()
    assert c["source"].str.contains("ASSUMPTION").all()
    assert set(c["format"]) <= set(FORMATS) and c["format"].nunique() == len(FORMATS)
    assert (c["cost"] > 0).all() and (c["seats"] >= 10).all() and (c["duration_days"] >= 7).all()
    assert c["provider"].str.contains("合成").all()


def test_every_certificate_the_posts_ask_for_is_granted(city):
    asked = {x for cell in city.posts["required_certificates"].fillna("") for x in str(cell).split(";") if x}
    granted = {x for cell in city.courses["grants_certificates"] for x in str(cell).split(";") if x}
    assert asked and asked <= granted


def test_plausible_accessibility():
    t = course_templates()
    assert not t.loc[t["grants_certificates"].str.startswith("driving"), "accessible"].str.contains("视力").any()
    c = make_courses(make_jinhua(3000, seed=4).posts, 60, seed=4)
    driving = c[c["grants_certificates"].str.startswith("driving")]
    assert len(driving) and not driving["accessible_categories"].str.contains("visual").any()
    massage = c[c["grants_certificates"] == "blind_medical_massage"]
    assert len(massage) and (massage["accessible_categories"] == "visual").all()
    phone = c[c["name"].str.contains("电话")]
    assert not phone["accessible_categories"].str.contains("hearing").any()


def test_deterministic_by_seed():
    posts = make_jinhua(2000, seed=9).posts
    a, b = make_courses(posts, 30, seed=9), make_courses(posts, 30, seed=9)
    pd.testing.assert_frame_equal(a, b)
    assert not make_courses(posts, 30, seed=10).equals(a)


def test_number_of_courses_and_errors():
    s = make_jinhua(500, seed=1, courses=7)
    assert len(s.courses) == 7
    for bad in (0, -1, 10**6, 2.5):
        with pytest.raises(ParameterError):
            make_jinhua(200, seed=1, courses=bad)


def test_written_with_the_other_tables(tmp_path, city):
    paths = city.write(tmp_path)
    assert paths["courses"].name == "courses.csv"
    back = validate_courses(pd.read_csv(paths["courses"], dtype=str, keep_default_na=False))
    assert back["course_id"].tolist() == city.courses["course_id"].tolist()


@pytest.mark.parametrize(("n", "seed", "courses"), [(2000, 0, True), (300, 1, 40), (4000, 2, True), (1000, 7, 200),
                                                    (20000, 3, True)])
def test_course_names_are_distinct(n, seed, courses):
    c = make_jinhua(n, seed=seed, courses=courses).courses
    assert not c["name"].duplicated().any(), c.loc[c["name"].duplicated(keep=False), ["course_id", "name"]]
    assert c["name"].str.contains("培训").all()


def test_issue_16_scenario_has_one_公益性岗位保洁员培训_name():
    c = make_jinhua(2000, n_posts=300, seed=0, courses=True).courses
    assert c["name"].is_unique and len(c) == 12
