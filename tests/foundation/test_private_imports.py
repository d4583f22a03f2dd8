"""No private name crosses a package boundary (issue 15).

A name starting with one underscore is private to its home: the top-level module that
defines it (``jhmatch.steps``) or the subpackage it lives in (``jhmatch.datasets._truth``
used by ``jhmatch.datasets.outcomes`` is fine). The command line (``cli.py`` and
``_cli_*.py``) is one family. A helper that another package needs is a shared concept:
make it public (documented, in ``__all__``) or move it to the module that owns it.
Private *modules* (``jhmatch._output_labels``) may be imported for their public names.
"""

from __future__ import annotations

import ast
from pathlib import Path

import jhmatch

SRC = Path(jhmatch.__file__).parent


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _home(module: str) -> str:
    """The unit a module belongs to: ``cli`` for the command line, else its first component."""
    parts = module.split(".")
    first = parts[1] if len(parts) > 1 else ""
    if first == "cli" or first.startswith("_cli_"):
        return "cli"
    return first


def _module(path: Path, root: Path) -> str:
    rel = path.relative_to(root).with_suffix("").parts
    return ".".join(("jhmatch", *rel)).removesuffix(".__init__")


def cross_package_private_imports(root: Path = SRC) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        me = _module(path, root)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom) or node.level or not (node.module or "").startswith("jhmatch"):
                continue
            for alias in node.names:
                if not _private(alias.name):
                    continue
                target = node.module if node.module != "jhmatch" else f"jhmatch.{alias.name}"
                if _home(target) != _home(me):
                    found.append(f"{path.relative_to(root.parent).as_posix()}:{node.lineno}: from {node.module} "
                                 f"import {alias.name}")
    return found


def test_no_private_name_is_imported_from_another_package():
    found = cross_package_private_imports()
    assert not found, "make these public (documented, in __all__) or move them home:\n" + "\n".join(found)


def test_the_check_sees_a_cross_package_import(tmp_path):
    pkg = tmp_path / "jhmatch"
    (pkg / "optimize").mkdir(parents=True)
    (pkg / "distributed").mkdir()
    (pkg / "optimize" / "blocks.py").write_text("def _county(): ...\n")
    (pkg / "optimize" / "constraints.py").write_text("from jhmatch.optimize.blocks import _county\n")
    (pkg / "distributed" / "scoring.py").write_text("from jhmatch.optimize.blocks import _county\n")
    (pkg / "cli.py").write_text("from jhmatch import _cli_plan\n")
    (pkg / "_cli_plan.py").write_text("from jhmatch.cli import _guard\n")
    found = cross_package_private_imports(pkg)
    assert found == ["jhmatch/distributed/scoring.py:1: from jhmatch.optimize.blocks import _county"]
