"""Executors: how the core runs independent pieces of work side by side.

The core (:mod:`jhmatch.matching`, :mod:`jhmatch.optimize`) never depends on a
particular parallel runtime. Where it has independent pieces of work (the scorer's
blocks of persons), it accepts an **executor**: any object with a method

``map(fn, iterable) -> iterable of results``

that calls ``fn`` once per item and returns the results *in the order of the
items* (lazily or not). That is the method of :class:`concurrent.futures.Executor`
(``ThreadPoolExecutor``, ``ProcessPoolExecutor``), of
``distributed.Client.get_executor()``, of :class:`SerialExecutor`, and of the Dask
adapter :class:`jhmatch.distributed.DaskExecutor`. ``fn`` is picklable (a
module-level class or function), so executors that send work to other processes
can ship it; results do not depend on the executor.

Adapters
    A parallel runtime whose natural handle is not an executor (a Dask
    ``distributed.Client``) is turned into one by an *adapter* registered under the
    top-level package of the handle's type (:func:`register_adapter`): the layer
    that owns the runtime registers it, the core only looks it up
    (:func:`as_executor`). So ``scorer.score(persons, posts, client=client)`` works
    without :mod:`jhmatch.matching` importing :mod:`jhmatch.distributed`. Like
    fsspec's ``known_implementations``, :data:`KNOWN_ADAPTERS` names (as a string) the
    module that registers the adapter of a known runtime; it is imported only when
    such a handle is passed and no adapter is registered yet.

Retained items
    Work that maps over the same large items several times (the decomposition's
    regions, once per price iteration) passes them through :func:`retained`. The
    protocol's optional half, :class:`Retaining`: an executor that ships work to
    other processes offers ``retain(items)``, which sends them once and returns
    stand-ins its ``map`` accepts in their place, and ``release(stand_ins)``
    (:class:`jhmatch.distributed.DaskExecutor` scatters them to the workers once per
    solve). In-process executors need neither: :class:`SerialExecutor` has both as
    no-ops, and :func:`retained` gives any executor without them the items themselves.

Active executor
    ``with use_executor(executor):`` makes every call inside the block that accepts
    an executor use it unless one is passed; a runtime may also register a function
    that says which executor its own context selects (:func:`register_adapter`'s
    ``active``), e.g. ``with jhmatch.distributed.use_client(client):``.

Examples
--------
>>> from concurrent.futures import ThreadPoolExecutor
>>> with ThreadPoolExecutor(2) as pool:
...     list(as_executor(pool).map(abs, [-1, 2, -3]))
[1, 2, 3]
>>> list(SerialExecutor().map(abs, [-1, 2]))
[1, 2]
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextvars import ContextVar
from types import MappingProxyType
from typing import Any, Protocol, TypeVar, runtime_checkable

from jhmatch.errors import ParameterError

__all__ = [
    "KNOWN_ADAPTERS",
    "Executor",
    "Retaining",
    "SerialExecutor",
    "active_executor",
    "as_executor",
    "register_adapter",
    "resolve_executor",
    "retained",
    "use_executor",
]

T = TypeVar("T")
R = TypeVar("R")


@runtime_checkable
class Executor(Protocol):
    """Anything that maps a function over items, results in the items' order.

    Examples
    --------
    >>> isinstance(SerialExecutor(), Executor)
    True
    """

    def map(self, fn: Callable[[Any], Any], iterable: Iterable[Any], /) -> Iterable[Any]:
        """``[fn(x) for x in iterable]``, possibly computed side by side; order kept."""
        ...  # pragma: no cover - a protocol


@runtime_checkable
class Retaining(Protocol):
    """The optional half of the executor protocol: keep items where the work runs across ``map`` calls.

    Examples
    --------
    >>> isinstance(SerialExecutor(), Retaining)
    True
    """

    def retain(self, items: Sequence[Any], /) -> Sequence[Any]:
        """Stand-ins for ``items`` that ``map`` accepts in their place (sent once)."""
        ...  # pragma: no cover - a protocol

    def release(self, stand_ins: Sequence[Any], /) -> None:
        """Let the places where the work runs drop retained items."""
        ...  # pragma: no cover - a protocol


class SerialExecutor:
    """Runs every call here, one after the other (the reference executor).

    Examples
    --------
    >>> SerialExecutor().map(len, ["ab", "c"])
    [2, 1]
    """

    def map(self, fn: Callable[[T], R], iterable: Iterable[T], /) -> list[R]:
        """``[fn(x) for x in iterable]``."""
        return [fn(x) for x in iterable]

    def retain(self, items: Sequence[T], /) -> Sequence[T]:
        """The items themselves: the work runs here, nothing to send."""
        return items

    def release(self, stand_ins: Sequence[Any], /) -> None:
        """Nothing to release."""

    def __repr__(self) -> str:
        return "SerialExecutor()"


KNOWN_ADAPTERS: MappingProxyType[str, str] = MappingProxyType({"distributed": "jhmatch.distributed.executor"})
"""Top-level package of a runtime's handle → module that registers its adapter (imported on first use)."""

_ADAPTERS: dict[str, Callable[[Any], Executor | None]] = {}
_ACTIVE_HOOKS: list[Callable[[], Executor | None]] = []
_CURRENT: ContextVar[Executor | None] = ContextVar("jhmatch_executor", default=None)


def register_adapter(package: str, adapt: Callable[[Any], Executor | None],
                     active: Callable[[], Executor | None] | None = None) -> None:
    """Turn handles whose type comes from ``package`` into executors with ``adapt``.

    Parameters
    ----------
    package : str
        Top-level package of the handle's type (``"distributed"`` for a Dask client).
    adapt : callable
        ``adapt(handle) -> Executor``, or None to decline a handle that is already an
        executor (e.g. ``distributed.Client.get_executor()``).
    active : callable, optional
        ``active() -> Executor or None``: the executor the runtime's own context
        selects now (consulted by :func:`active_executor` after :func:`use_executor`).

    Examples
    --------
    >>> register_adapter("my_runtime", lambda handle: SerialExecutor())
    """
    _ADAPTERS[package] = adapt
    if active is not None and active not in _ACTIVE_HOOKS:
        _ACTIVE_HOOKS.append(active)


def _package(obj: Any) -> str:
    return (type(obj).__module__ or "").split(".")[0]


def as_executor(obj: Any) -> Executor:
    """``obj`` as an executor: itself, or through the adapter registered for its runtime.

    Raises
    ------
    ParameterError
        When ``obj`` has no ``map`` method and no adapter knows its type.

    Examples
    --------
    >>> as_executor(SerialExecutor())
    SerialExecutor()
    >>> as_executor(42)
    Traceback (most recent call last):
    ...
    jhmatch.errors.ParameterError: executor: expected an object with a map(fn, items) method (e.g. a concurrent.futures executor) or a Dask client; got int
    """
    package = _package(obj)
    if package not in _ADAPTERS and package in KNOWN_ADAPTERS:
        importlib.import_module(KNOWN_ADAPTERS[package])  # the runtime's layer registers its adapter
    adapted = _ADAPTERS[package](obj) if package in _ADAPTERS else None
    if adapted is not None:
        return adapted
    if callable(getattr(obj, "map", None)):
        return obj
    raise ParameterError(f"executor: expected an object with a map(fn, items) method (e.g. a concurrent.futures "
                         f"executor) or a Dask client; got {type(obj).__name__}")


@contextlib.contextmanager
def use_executor(executor: Any) -> Iterator[Executor | None]:
    """Use ``executor`` inside the ``with`` block wherever none is passed (``None``: back to none).

    Examples
    --------
    >>> with use_executor(SerialExecutor()):
    ...     active_executor()
    SerialExecutor()
    >>> active_executor() is None
    True
    """
    token = _CURRENT.set(None if executor is None else as_executor(executor))
    try:
        yield _CURRENT.get()
    finally:
        _CURRENT.reset(token)


def active_executor() -> Executor | None:
    """The executor of the innermost :func:`use_executor`, else one a runtime's context selects, else None.

    Examples
    --------
    >>> active_executor() is None
    True
    """
    current = _CURRENT.get()
    if current is not None:
        return current
    for hook in _ACTIVE_HOOKS:
        found = hook()
        if found is not None:
            return found
    return None


def resolve_executor(executor: Any = None, client: Any = None) -> Executor | None:
    """The executor a call should use: ``executor``, else ``client`` adapted, else the active one.

    ``None`` means "no executor": the caller runs its work itself (e.g. on its own threads).

    Raises
    ------
    ParameterError
        When both ``executor`` and ``client`` are given, or either is not usable.

    Examples
    --------
    >>> resolve_executor() is None
    True
    >>> resolve_executor(SerialExecutor())
    SerialExecutor()
    """
    if executor is not None and client is not None:
        raise ParameterError("pass either executor= or client=, not both (a client is adapted into an executor)")
    if executor is not None:
        return as_executor(executor)
    if client is not None:
        return as_executor(client)
    return active_executor()


@contextlib.contextmanager
def retained(executor: Any, items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    """``items`` for several ``executor.map`` calls, kept where the work runs if the executor can.

    Inside the block, map over what it yields instead of ``items``: the stand-ins of
    an executor with ``retain(items)`` (sent once, released at the end of the
    block with its ``release(stand_ins)``), else the items themselves.

    Examples
    --------
    >>> with retained(SerialExecutor(), [1, -2]) as kept:
    ...     SerialExecutor().map(abs, kept)
    [1, 2]
    """
    retain = getattr(executor, "retain", None)
    if not callable(retain):
        yield items
        return
    kept = retain(items)
    try:
        yield kept
    finally:
        executor.release(kept)
