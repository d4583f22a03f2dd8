"""Renamed clashing names (issue 15): the old public names still work one release, with a DeprecationWarning."""

from __future__ import annotations

import pytest

import jhmatch.matching as matching
from jhmatch.matching import components


def test_function_component_is_callable_component_with_a_warning():
    with pytest.warns(DeprecationWarning, match="CallableComponent"):
        old = matching.FunctionComponent
    assert old is matching.CallableComponent
    with pytest.warns(DeprecationWarning):
        from jhmatch.matching.components import FunctionComponent
    assert FunctionComponent is components.CallableComponent


def test_matching_block_alias_is_component_values_with_a_warning():
    with pytest.warns(DeprecationWarning, match="ComponentValues"):
        assert components.Block is components.ComponentValues


def test_unknown_names_still_raise():
    with pytest.raises(AttributeError):
        components.NoSuchThing  # noqa: B018
    with pytest.raises(AttributeError):
        matching.NoSuchThing  # noqa: B018
