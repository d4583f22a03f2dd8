"""Shared fixtures: the location of ../shared, else the small OR-Library files vendored in tests/data/orlib."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
VENDORED = Path(__file__).resolve().parent / "data" / "orlib"

if not SHARED.is_dir():  # a clone without ../shared: the benchmark finder uses the vendored instances
    os.environ.setdefault("JHMATCH_SHARED", str(VENDORED))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The project's ../shared folder, else the vendored OR-Library files (tests/data/orlib)."""
    return SHARED if SHARED.is_dir() else VENDORED


@pytest.fixture(scope="session")
def shared_file(shared_dir: Path):
    """``shared_file(*parts)``: a file under :func:`shared_dir`; skips the test for a large instance not vendored."""

    def get(*parts: str) -> Path:
        path = shared_dir.joinpath(*parts)
        if not path.is_file():
            pytest.skip(f"{'/'.join(parts)} is only in ../shared (not vendored in tests/data/orlib)")
        return path

    return get


@pytest.fixture(autouse=True)
def _restore_post_kind_catalogue():
    """Tests that register post kinds must not leak them into later tests (or Dask workers)."""
    from jhmatch import taxonomy

    kinds, aliases = dict(taxonomy.kinds._KINDS), dict(taxonomy.kinds._KIND_ALIASES)
    yield
    taxonomy.kinds._KINDS.clear()
    taxonomy.kinds._KINDS.update(kinds)
    taxonomy.kinds._KIND_ALIASES.clear()
    taxonomy.kinds._KIND_ALIASES.update(aliases)
