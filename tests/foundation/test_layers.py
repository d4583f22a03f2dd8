"""The import contract: jhmatch's layers import downward only (issue 15).

Layers, top to bottom (docs/architecture.md)::

    cli (+ _cli_*) > {pipeline, reserved, steps, simulate}
        > {report, policy, training, bench, datasets, distributed, rules, templates, outputs}
        > optimize > matching > data > {reference, taxonomy, requirements, limits} > {errors, i18n, executor, masking, checks}

Every ``import`` of a jhmatch module is read from the source with :mod:`ast`,
function-level imports included (they hide circles from Python but not from a
reader), except those under ``if TYPE_CHECKING:``. A module may import its own layer
and the layers below it, never a layer above.
"""

from __future__ import annotations

import ast
from pathlib import Path

import jhmatch

LAYERS = [
    {"errors", "i18n", "executor", "masking", "checks"},
    {"taxonomy", "reference", "requirements", "limits"},
    {"data"},
    {"matching"},
    {"optimize"},
    {"report", "policy", "training", "bench", "datasets", "distributed", "rules", "templates", "outputs", "_output_labels",
     "_workbook"},
    {"pipeline", "reserved", "steps", "simulate"},
    {"cli"},  # and every _cli_* module: the command line's own parts
]
SRC = Path(jhmatch.__file__).parent


def _layer(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] != "jhmatch" or len(parts) < 2:
        return None
    top = "cli" if parts[1].startswith("_cli_") else parts[1]
    return next((i for i, names in enumerate(LAYERS) if top in names), None)


def _module(path: Path) -> str:
    rel = path.relative_to(SRC).with_suffix("").parts
    return ".".join(("jhmatch", *rel)).removesuffix(".__init__")


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_lines(tree)
    found = []
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
    return [(line, name) for line, name in found if name.startswith("jhmatch.")]


def test_every_module_has_a_layer():
    tops = {p.relative_to(SRC).parts[0].removesuffix(".py") for p in SRC.rglob("*.py")}
    tops -= {"__init__", "__main__"}
    unplaced = sorted(t for t in tops if _layer(f"jhmatch.{t}") is None)
    assert not unplaced, f"modules without a layer (add them to LAYERS and docs/architecture.md): {unplaced}"


def test_imports_go_downward_only():
    upward = []
    for path in sorted(SRC.rglob("*.py")):
        mine = _layer(_module(path))
        if mine is None:
            continue
        for line, target in _imports(path):
            theirs = _layer(target)
            if theirs is not None and theirs > mine:
                upward.append(f"{path.relative_to(SRC)}:{line} imports {target}")
    assert not upward, "imports against the layers:\n" + "\n".join(upward)
