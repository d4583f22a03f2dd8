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


def test_no_pickle_eval_or_shell_in_the_package():
    import ast

    banned_calls = {"eval", "exec", "read_pickle", "load_pickle", "loads"}
    problems = []
    for path in (ROOT / "src" / "jhmatch").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) else [])
                if any(n and n.split(".")[0] in ("pickle", "dill", "cloudpickle", "joblib", "shelve") for n in names):
                    problems.append(f"{path.name}:{node.lineno} imports a pickle library")
            elif isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in banned_calls and not (name == "loads" and isinstance(func, ast.Attribute)
                                                 and getattr(func.value, "id", "") in ("json", "tomllib", "tomli")):
                    problems.append(f"{path.name}:{node.lineno} calls {name}")
                for kw in node.keywords:
                    if kw.arg in ("shell", "allow_pickle") and isinstance(kw.value, ast.Constant) and kw.value.value:
                        problems.append(f"{path.name}:{node.lineno} {kw.arg}=True")
    assert problems == []


def test_core_imports_load_neither_scikit_learn_nor_the_synthetic_city():
    """Layering (issue 15): optimize and matching's core do not pull in scikit-learn or jhmatch.datasets."""
    import subprocess
    import sys

    code = ("import sys, jhmatch.optimize, jhmatch.matching; "
            "print('sklearn' in sys.modules, 'jhmatch.datasets' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False"]


def test_matching_never_imports_the_synthetic_city_or_its_outcome_model():
    """The scorers must not see the hidden outcome model: no import of jhmatch.datasets under matching/."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "src" / "jhmatch" / "matching"
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
                [a.name for a in node.names] if isinstance(node, ast.Import) else []
            assert not any(n.startswith("jhmatch.datasets") for n in names), path.name
