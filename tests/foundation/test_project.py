"""Project-level promises: ruff-clean sources, typed package, curated public API, README commands."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import jhmatch

ROOT = Path(__file__).resolve().parents[2]


def test_ruff_is_clean():
    if shutil.which("ruff") is None and subprocess.run([sys.executable, "-m", "ruff", "--version"],
                                                       capture_output=True).returncode != 0:
        pytest.skip("ruff is not installed (it comes with the test extra)")
    targets = [p for p in ("src", "tests", "benchmarks") if (ROOT / p).exists()]
    result = subprocess.run([sys.executable, "-m", "ruff", "check", *targets], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_package_is_typed_and_versioned():
    from importlib.metadata import PackageNotFoundError, version

    assert (Path(jhmatch.__file__).parent / "py.typed").exists()
    try:
        installed = version("jhmatch")
    except PackageNotFoundError:
        pytest.skip("jhmatch is not installed (running from the source tree)")
    assert jhmatch.__version__ == installed


def test_public_api_is_explicit():
    for name in jhmatch.__all__:
        assert hasattr(jhmatch, name), name


def test_readme_opens_with_the_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("```bash", 1)[1].split("```", 1)[0].strip().splitlines()
    assert block[0] == "pip install . && jhmatch demo"
    assert block[1] == "pip install '.[test]' && pytest"
    ci = (ROOT / ".ci" / "run").read_text()
    assert "pip install --quiet '.[test]'" in ci and "pytest" in ci
