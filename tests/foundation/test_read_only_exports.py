"""Exported tables are read-only (issue 15: "immutable public defaults").

A module-level ``dict``, ``list`` or ``set`` named in a module's ``__all__`` lets any caller
change a default for everyone (``CATEGORY_SHARES["visual"] = 0.5`` would skew every later
synthetic city in the process). Public tables are ``types.MappingProxyType`` (tuples,
frozensets, frozen dataclasses inside); a caller who wants a variant builds a new mapping
(``{**TABLE, key: value}``), and registries change only through their registration
functions (``jhmatch.taxonomy.register_post_kind``). ``matching.DEFAULT_WEIGHTS`` and
``COMPONENT_LABELS`` are ``FrozenMapping`` because scikit-learn deep-copies parameters.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import importlib.util
import json
import pkgutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

import jhmatch

MUTABLE = (dict, list, set)

ALLOWED: frozenset[str] = frozenset()
"""``module.NAME`` exported as a plain dict/list/set on purpose (none so far; say why beside each)."""


def _warns_on_import(path: Path) -> bool:
    """A deprecated shim warns at import; importing it here would spend the warning its own test checks."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
               and ast.unparse(node.value.func) == "warnings.warn" for node in tree.body)


def _modules() -> Iterator[Any]:
    for info in pkgutil.walk_packages(jhmatch.__path__, "jhmatch."):
        if info.name.endswith("__main__"):
            continue
        spec = importlib.util.find_spec(info.name)
        if spec is not None and spec.origin and _warns_on_import(Path(spec.origin)):
            continue
        yield importlib.import_module(info.name)


def _mutable_inside(value: Any, path: str, depth: int = 0) -> list[str]:
    """Paths of plain dicts/lists/sets in ``value`` (through mappings, tuples and frozen dataclasses)."""
    if depth > 6:
        return []
    if isinstance(value, MUTABLE):
        return [f"{path} ({type(value).__name__})"]
    if isinstance(value, Mapping):
        return [p for k, v in value.items() for p in _mutable_inside(v, f"{path}[{k!r}]", depth + 1)]
    if isinstance(value, (tuple, frozenset)):
        return [p for i, v in enumerate(value) for p in _mutable_inside(v, f"{path}[{i}]", depth + 1)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [p for f in dataclasses.fields(value)
                for p in _mutable_inside(getattr(value, f.name), f"{path}.{f.name}", depth + 1)]
    return []


def mutable_exports() -> list[str]:
    found = []
    for mod in _modules():
        for name in getattr(mod, "__all__", ()):
            if f"{mod.__name__}.{name}" in ALLOWED or not hasattr(mod, name):
                continue
            found += _mutable_inside(getattr(mod, name), f"{mod.__name__}.{name}")
    return sorted(set(found))


def test_no_exported_table_is_a_plain_dict_list_or_set() -> None:
    found = mutable_exports()
    assert not found, ("make these read-only (types.MappingProxyType / tuple / frozenset), or build a new mapping "
                       "where code changed them:\n" + "\n".join(found))


def test_the_scan_sees_a_mutable_table() -> None:
    assert _mutable_inside({"a": 1}, "x") == ["x (dict)"]
    assert _mutable_inside((1, [2]), "x") == ["x[1] (list)"]
    assert _mutable_inside(MappingProxyType({"a": {"b": 1}}), "x") == ["x['a'] (dict)"]


@pytest.mark.parametrize(("module", "name", "key"), [
    ("jhmatch.datasets.constants", "CATEGORY_SHARES", "visual"),
    ("jhmatch.datasets.constants", "MINIMUM_WAGE", "330702"),
    ("jhmatch.reserved", "RESERVED_TARGETS", "tobacco_outlet"),
    ("jhmatch.optimize.fairness", "GROUPINGS", "county"),
    ("jhmatch.training.ledger", "POLICIES", "new"),
    ("jhmatch.bench", "SUITES", "tiny"),
    ("jhmatch.outputs", "COLUMN_LABELS", "person_id"),
])
def test_assignment_raises_type_error(module: str, name: str, key: str) -> None:
    table = getattr(importlib.import_module(module), name)
    with pytest.raises(TypeError):
        table[key] = 1
    with pytest.raises((TypeError, AttributeError)):
        table.update({key: 1})  # type: ignore[attr-defined]
    assert key not in table or table[key] != 1


def test_a_variant_is_a_new_mapping_and_serialises() -> None:
    from jhmatch.datasets.constants import CATEGORY_SHARES

    variant = {**CATEGORY_SHARES, "visual": 0.5}
    assert variant["visual"] == 0.5 and CATEGORY_SHARES["visual"] != 0.5
    assert json.loads(json.dumps(dict(CATEGORY_SHARES))) == dict(CATEGORY_SHARES)
