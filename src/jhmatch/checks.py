"""Parameter checks shared by every layer of jhmatch (one rule, one message each).

Each check returns the value in its canonical type (``int``, ``float``) or raises a
:class:`~jhmatch.errors.ParameterError` that names the parameter, the value given
and what was expected, in the planner's language. Booleans are never numbers here:
``top_k=True`` is refused, not read as 1.

Examples
--------
>>> positive_int("max_iter", 30)
30
>>> rate("share", 0.1)
0.1
>>> positive_int("top_k", True)
Traceback (most recent call last):
...
jhmatch.errors.ParameterError: top_k must be a positive integer, got True
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Callable, Collection, Iterable, Mapping
from numbers import Integral, Real
from typing import Any

from jhmatch.errors import ArgumentError, ParameterError
from jhmatch.i18n import gettext as _

__all__ = [
    "check_options",
    "deprecated_alias",
    "finite_number",
    "non_negative_int",
    "non_negative_number",
    "one_of",
    "optional_positive_int",
    "positive_int",
    "positive_number",
    "rate",
    "renamed_keyword",
]


def _is_int(value: Any) -> bool:
    return isinstance(value, Integral) and not isinstance(value, bool)


def _is_real(value: Any) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


def positive_int(name: str, value: Any) -> int:
    """``value`` as an ``int`` >= 1 (numpy integers accepted; bools, floats and text refused).

    Examples
    --------
    >>> positive_int("master_every", 5)
    5
    """
    if not _is_int(value) or int(value) < 1:
        raise ParameterError(_("{name} must be a positive integer, got {value}").format(name=name, value=repr(value)))
    return int(value)


def optional_positive_int(name: str, value: Any) -> int | None:
    """``None``, or ``value`` as an ``int`` >= 1 (bools, floats and text refused).

    Examples
    --------
    >>> optional_positive_int("top_k", None), optional_positive_int("top_k", 5)
    (None, 5)
    """
    if value is None:
        return None
    if not _is_int(value) or int(value) < 1:
        raise ParameterError(_("{name} must be a positive integer or None, got {value}").format(
            name=name, value=repr(value)))
    return int(value)


def non_negative_int(name: str, value: Any) -> int:
    """``value`` as an ``int`` >= 0 (bools refused).

    Examples
    --------
    >>> non_negative_int("capacity", 0)
    0
    """
    if not _is_int(value) or int(value) < 0:
        raise ParameterError(_("{name} must be an integer >= 0, got {value}").format(name=name, value=repr(value)))
    return int(value)


def finite_number(name: str, value: Any) -> float:
    """``value`` as a finite ``float`` (not inf, not NaN, not a bool).

    Examples
    --------
    >>> finite_number("bonus", -2)
    -2.0
    """
    if not _is_real(value) or not math.isfinite(float(value)):
        raise ParameterError(_("{name} must be a finite number, got {value}").format(name=name, value=repr(value)))
    return float(value)


def positive_number(name: str, value: Any) -> float:
    """``value`` as a finite ``float`` > 0.

    Examples
    --------
    >>> positive_number("penalty", 10)
    10.0
    """
    if not _is_real(value) or not (math.isfinite(float(value)) and float(value) > 0):
        raise ParameterError(_("{name} must be a finite number > 0, got {value}").format(name=name, value=repr(value)))
    return float(value)


def non_negative_number(name: str, value: Any) -> float:
    """``value`` as a finite ``float`` >= 0.

    Examples
    --------
    >>> non_negative_number("tol", 0)
    0.0
    """
    if not _is_real(value) or not (math.isfinite(float(value)) and float(value) >= 0):
        raise ParameterError(_("{name} must be a finite number >= 0, got {value}").format(name=name, value=repr(value)))
    return float(value)


def rate(name: str, value: Any, *, below_one: bool = False) -> float:
    """``value`` as a ``float`` in [0, 1] (``below_one=True``: in [0, 1)).

    Examples
    --------
    >>> rate("gap", 0.01, below_one=True)
    0.01
    >>> rate("gap", 1, below_one=True)
    Traceback (most recent call last):
    ...
    jhmatch.errors.ParameterError: gap must be a number in [0, 1), got 1
    """
    ok = _is_real(value) and 0 <= float(value) and (float(value) < 1 if below_one else float(value) <= 1)
    if not ok:
        interval = "[0, 1)" if below_one else "[0, 1]"
        raise ParameterError(_("{name} must be a number in {interval}, got {value}").format(
            name=name, interval=interval, value=repr(value)))
    return float(value)


def one_of(name: str, value: Any, choices: Collection[Any]) -> Any:
    """``value`` when it is one of ``choices``.

    Examples
    --------
    >>> one_of("side", "post", ("person", "post"))
    'post'
    """
    if isinstance(value, bool) or value not in choices:
        raise ParameterError(_("{name} must be one of {choices}, got {value}").format(
            name=name, choices=", ".join(repr(c) for c in choices), value=repr(value)))
    return value


def check_options(method: str, given: Mapping[str, Any] | Iterable[str], accepted: Collection[str]) -> None:
    """Refuse options of ``method`` that it does not know, naming them and the accepted ones.

    Examples
    --------
    >>> check_options("stable", {"proposing": "post"}, ("proposing", "ranks"))
    >>> check_options("flow", {"max_iter": 3}, ())
    Traceback (most recent call last):
    ...
    jhmatch.errors.ParameterError: method 'flow' does not take the option(s) max_iter; it accepts only time_limit and gap
    """
    unknown = sorted(set(given) - set(accepted))
    if not unknown:
        return
    if accepted:
        raise ParameterError(_("method {method} does not take the option(s) {unknown}; it accepts {known}, "
                               "time_limit and gap").format(method=repr(method), unknown=", ".join(unknown),
                                                            known=", ".join(sorted(accepted))))
    raise ParameterError(_("method {method} does not take the option(s) {unknown}; it accepts only time_limit "
                           "and gap").format(method=repr(method), unknown=", ".join(unknown)))


# ----------------------------------------------------------------------------- renamed names (issue 15)
def renamed_keyword(new: str, value: Any, old: str, old_value: Any, *, unset: Any = None, stacklevel: int = 3) -> Any:
    """The value of a keyword that was renamed: the new one, or the old one with a warning.

    Old names keep working one release with a :class:`DeprecationWarning`; giving both is
    an :class:`~jhmatch.errors.ArgumentError` (also a ``TypeError``).

    Parameters
    ----------
    new, value : str, object
        The new keyword and its value (``unset`` when not given).
    old, old_value : str, object
        The old keyword and its value (``unset`` when not given).
    unset : object, default None
        What "not given" looks like.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as seen:
    ...     warnings.simplefilter("always")
    ...     renamed_keyword("as_of", None, "year", 2025)
    2025
    >>> str(seen[0].message)
    'year= is deprecated; use as_of='
    """
    if old_value is unset:
        return value
    if value is not unset:
        raise ArgumentError(f"give {new}= only ({old}= is its old name)")
    warnings.warn(f"{old}= is deprecated; use {new}=", DeprecationWarning, stacklevel=stacklevel)
    return old_value


def deprecated_alias(func: Callable[..., Any], old: str, new: str | None = None) -> Callable[..., Any]:
    """``func`` under an old name: the same call, with a :class:`DeprecationWarning`.

    Examples
    --------
    >>> import warnings
    >>> old_abs = deprecated_alias(abs, "old_abs")
    >>> with warnings.catch_warnings(record=True) as seen:
    ...     warnings.simplefilter("always")
    ...     old_abs(-2)
    2
    >>> str(seen[0].message)
    'old_abs is deprecated; use abs'
    """
    new = new or func.__name__

    @functools.wraps(func)
    def alias(*args: Any, **kwargs: Any) -> Any:
        warnings.warn(f"{old} is deprecated; use {new}", DeprecationWarning, stacklevel=2)
        return func(*args, **kwargs)

    alias.__name__ = alias.__qualname__ = old
    alias.__doc__ = f"Deprecated alias of :func:`{new}` (kept one release; issue 15)."
    return alias
