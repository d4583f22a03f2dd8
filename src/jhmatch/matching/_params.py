"""Estimator conventions shared by the scorer and the components: parameters and short reprs.

Parameters are the arguments of ``__init__``, stored unchanged as attributes of the
same name (scikit-learn's convention), so ``get_params`` reads them back and
``sklearn.base.clone`` rebuilds an unfitted copy. A repr shows the parameters that
differ from their defaults, each cut to a few dozen characters: never a table.
"""

from __future__ import annotations

import inspect
from typing import Any

__all__ = ["init_params", "param_repr"]

_MAX_VALUE = 48


def init_params(cls: type) -> list[inspect.Parameter]:
    """The keyword parameters of ``cls.__init__`` (no ``self``, ``*args`` or ``**kwargs``).

    Examples
    --------
    >>> class A:
    ...     def __init__(self, x=1, *, y=None):
    ...         self.x, self.y = x, y
    >>> [p.name for p in init_params(A)]
    ['x', 'y']
    """
    signature = inspect.signature(cls.__init__)
    return [p for p in list(signature.parameters.values())[1:]
            if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]


def _short(value: Any) -> str:
    text = repr(value) if not callable(value) or isinstance(value, type) else \
        getattr(value, "__qualname__", None) or type(value).__name__
    return text if len(text) <= _MAX_VALUE else text[:_MAX_VALUE - 3] + "..."


def _differs(value: Any, default: Any) -> bool:
    if default is inspect.Parameter.empty:
        return True
    try:
        return bool(value != default)
    except Exception:  # e.g. arrays: shown
        return True


def param_repr(obj: Any) -> str:
    """``ClassName(param=value, ...)`` with the parameters that differ from their defaults.

    Examples
    --------
    >>> class A:
    ...     def __init__(self, x=1, y="a" * 100):
    ...         self.x, self.y = x, y
    >>> param_repr(A(x=2))
    'A(x=2)'
    >>> len(param_repr(A(y="b" * 100))) < 60
    True
    """
    shown = [f"{p.name}={_short(getattr(obj, p.name))}" for p in init_params(type(obj))
             if hasattr(obj, p.name) and _differs(getattr(obj, p.name), p.default)]
    return f"{type(obj).__name__}({', '.join(shown)})"
