"""One answer to "is this table already validated?" (issue 15): jhmatch.data.ensure_valid."""

from __future__ import annotations

import pandas as pd
import pytest

from jhmatch.data import ensure_valid
from jhmatch.data.schema import POSTS, validate_persons, validate_posts
from jhmatch.datasets.uniform import synthetic_persons, synthetic_posts
from jhmatch.errors import ParameterError, SchemaError
from jhmatch.matching import CompatibilityScorer

AS_OF = "2025-06-30"


@pytest.fixture
def tables():
    return validate_persons(synthetic_persons(12, seed=4)), validate_posts(synthetic_posts(15, seed=5))


def test_canonical_frames_pass_through_unchanged(tables):
    persons, posts = tables
    assert ensure_valid(persons, "persons") is persons
    assert ensure_valid(posts, POSTS) is posts


def test_validated_posts_are_canonical():
    """Posts' ``remote`` is filled by a cross check (plain bool): still canonical, not validated again."""
    posts = validate_posts(pd.DataFrame({"post_id": ["q1"], "kind": ["云客服"], "county": ["磐安"], "capacity": [3]}))
    assert POSTS.is_canonical(posts)


def test_raw_frames_are_validated():
    raw = pd.DataFrame({"post_id": ["q1"], "kind": ["云客服"], "county": ["磐安"], "capacity": [3]})
    out = ensure_valid(raw, "posts")
    assert out is not raw and out.attrs["validated"] == "posts" and out.loc[0, "county"] == "330727"


def test_renamed_column_is_validated_again_not_a_key_error(tables):
    persons, posts = tables
    renamed = persons.rename(columns={"county": "所在地区"})  # an alias: validated again, same scores
    assert renamed.attrs.get("validated") == "persons"
    base = CompatibilityScorer(as_of=AS_OF).score(persons, posts).to_frame()
    again = CompatibilityScorer(as_of=AS_OF).score(renamed, posts).to_frame()
    pd.testing.assert_frame_equal(base, again)


def test_unknown_rename_validates_to_a_missing_column_not_a_key_error(tables):
    persons, posts = tables
    broken = persons.rename(columns={"county": "where_from"})  # persons may lack a county: validated, kept
    out = CompatibilityScorer(as_of=AS_OF).score(broken, posts)
    assert out.shape == (len(persons), len(posts))
    with pytest.raises(SchemaError, match="capacity"):  # posts may not lack a capacity: a typed error
        CompatibilityScorer(as_of=AS_OF).score(persons, posts.rename(columns={"capacity": "places"}))


def test_bad_arguments_are_parameter_errors():
    with pytest.raises(ParameterError):
        ensure_valid([1, 2], "persons")
    with pytest.raises(ParameterError):
        ensure_valid(pd.DataFrame(), "people")
