"""Read-only mappings for the module-level tables matching exports (weights, rules, profiles).

A :class:`FrozenMapping` behaves like a ``dict`` for reading (``m[k]``, ``in``,
iteration, ``dict(m)``, ``{**m, k: v}``) and refuses writes, so a caller cannot
change a default for everyone by accident. Unlike ``types.MappingProxyType`` it
pickles and deep-copies (``sklearn.base.clone`` deep-copies parameters).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

__all__ = ["FrozenMapping", "frozen"]

K = TypeVar("K")
V = TypeVar("V")


class FrozenMapping(Mapping[K, V]):
    """An immutable mapping (reads like a dict; no item assignment, no ``update``).

    Examples
    --------
    >>> m = FrozenMapping({"a": 1})
    >>> m["a"], dict(m), {**m, "b": 2}
    (1, {'a': 1}, {'a': 1, 'b': 2})
    >>> m["a"] = 2
    Traceback (most recent call last):
    ...
    TypeError: 'FrozenMapping' object does not support item assignment
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[K, V] | None = None, /):
        object.__setattr__(self, "_data", dict(data or {}))

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._data!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self._data,))

    def __or__(self, other: Mapping[K, V]) -> dict[K, V]:
        """A new plain ``dict``: this mapping updated with ``other``."""
        return {**self._data, **other}


def frozen(value: Any) -> Any:
    """``value`` with every dict (nested in dicts, lists and tuples) made a :class:`FrozenMapping`.

    Examples
    --------
    >>> frozen({"a": {"b": [1, 2]}})
    FrozenMapping({'a': FrozenMapping({'b': (1, 2)})})
    """
    if isinstance(value, Mapping):
        return FrozenMapping({k: frozen(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)) and not hasattr(value, "_fields"):
        return tuple(frozen(v) for v in value)
    return value
