"""Shared fixtures: the location of ../shared (tests that need it skip when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The project's ../shared folder; skips the test when it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture(autouse=True)
def _restore_post_kind_catalogue():
    """Tests that register post kinds must not leak them into later tests (or Dask workers)."""
    from jhmatch import taxonomy

    kinds, aliases = dict(taxonomy._KINDS), dict(taxonomy._KIND_ALIASES)
    yield
    taxonomy._KINDS.clear()
    taxonomy._KINDS.update(kinds)
    taxonomy._KIND_ALIASES.clear()
    taxonomy._KIND_ALIASES.update(aliases)
