"""Renamed public names keep working one release, with a DeprecationWarning (issue 15).

The reference date of the ages is ``as_of`` everywhere (it was ``on``, ``as_of_year`` and
``as_of``); the year assessed stays ``year``.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from jhmatch.checks import renamed_keyword
from jhmatch.errors import ArgumentError
from jhmatch.policy import employment_rate
from jhmatch.policy.workingage import working_age


def persons() -> pd.DataFrame:
    return pd.DataFrame({"person_id": list("abcd"), "category": [1] * 4, "grade": [4] * 4, "county": ["武义"] * 4,
                         "sex": ["M", "M", "F", "F"], "birth_date": ["1965-10-15", "1990-01-01", "1969-12-31",
                                                                     "2009-12-31"], "employed": [1, 0, 1, 1]})


def test_working_age_takes_as_of_and_still_on():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        new = working_age(persons(), as_of="2025-12-31")
        assert new.equals(working_age(persons(), "2025-12-31"))
    with pytest.warns(DeprecationWarning, match="on= is deprecated; use as_of="):
        old = working_age(persons(), on="2025-12-31")
    pd.testing.assert_frame_equal(old, new)
    with pytest.raises(ArgumentError):
        working_age(persons())


def test_employment_rate_as_of_year_and_old_on():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        by_date = employment_rate(persons(), as_of="2025-12-31")
        by_year = employment_rate(persons(), year=2025)  # the year assessed: not renamed
    assert by_date.explanation == by_year.explanation and by_date.as_of.isoformat() == "2025-12-31"
    with pytest.warns(DeprecationWarning):
        assert employment_rate(persons(), on="2025-12-31").explanation == by_date.explanation
    with pytest.warns(DeprecationWarning, match="use as_of"):
        assert by_date.on == by_date.as_of
    with pytest.raises(ArgumentError):
        employment_rate(persons(), as_of="2025-12-31", on="2025-12-31")


def test_renamed_keyword_refuses_both_names():
    assert renamed_keyword("as_of", 1, "on", None) == 1
    with pytest.raises(TypeError):
        renamed_keyword("as_of", 1, "on", 2)


def test_plan_posts_as_of_year_is_as_of_on_31_december():
    from jhmatch.datasets import make_jinhua
    from jhmatch.pipeline import plan_posts

    city = make_jinhua(n_persons=150, n_posts=40, seed=1)
    new = plan_posts(city.persons, city.posts, as_of="2024-12-31", target_scale=0, time_limit=20)
    with pytest.warns(DeprecationWarning, match="as_of_year= is deprecated; use as_of="):
        old = plan_posts(city.persons, city.posts, as_of_year=2024, target_scale=0, time_limit=20)
    pd.testing.assert_frame_equal(old.assignments, new.assignments)


def test_reserved_post_planning_modules_and_result_renamed():
    import importlib
    import sys

    import jhmatch.optimize as optimize
    from jhmatch.optimize import ReservedPostPlan

    for old, new in (("planning", "reserved_posts"), ("planning_flow", "reserved_flow"),
                     ("planning_model", "reserved_model")):
        sys.modules.pop(f"jhmatch.optimize.{old}", None)
        with pytest.warns(DeprecationWarning, match=f"use jhmatch.optimize.{new}"):
            shim = importlib.import_module(f"jhmatch.optimize.{old}")
        real = importlib.import_module(f"jhmatch.optimize.{new}")
        assert all(getattr(shim, name) is getattr(real, name) for name in real.__all__)
    assert shim.__name__ == "jhmatch.optimize.planning_model"
    assert sys.modules["jhmatch.optimize.planning"].PlanResult is ReservedPostPlan
    with pytest.warns(DeprecationWarning, match="use ReservedPostPlan"):
        assert optimize.PlanResult is ReservedPostPlan
