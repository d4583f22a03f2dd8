"""The Dask adapter: a ``distributed.Client`` as an executor of the core (:mod:`jhmatch.executor`).

:class:`DaskExecutor` gives a client the executor protocol the core accepts,
``map(fn, items) -> results in order``. The function is sent to every worker once
(``scatter(..., broadcast=True)``: a scorer's fitted state travels once per worker,
not once per block); each item is a task; tasks lost with a worker are re-run
(:func:`jhmatch.distributed._client.run_tasks`), and when that fails a
:class:`~jhmatch.errors.SolverError` says so and nothing is returned half done.

Items mapped over several times (the decomposition's regions, once per price
iteration) are *retained* (:func:`jhmatch.executor.retained`): ``retain(items)``
scatters them to the workers once and returns stand-ins that ``map`` accepts in their
place; ``release(stand_ins)`` lets the workers drop them. When a worker holding some
is lost, they are scattered again and the map re-run once.

Importing this module registers the adapter, so the core turns a Dask client into
a ``DaskExecutor`` wherever it accepts ``client=`` (e.g.
``CompatibilityScorer.score(persons, posts, client=client)``), and follows
``with jhmatch.distributed.use_client(client):``. Dask itself is imported only
when a task runs.

Examples
--------
>>> list(DaskExecutor(None).map(abs, [-1, 2]))  # no client: runs here
[1, 2]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from jhmatch.distributed._client import active_client, run_tasks
from jhmatch.errors import SolverError
from jhmatch.executor import register_adapter

__all__ = ["DaskExecutor"]


def _call(item: Any, fn: Callable[[Any], Any]) -> Any:
    return fn(item)


class _Kept:
    """An item placed on the workers once (``client.scatter``), with its value to place it again."""

    __slots__ = ("future", "value")

    def __init__(self, value: Any, future: Any):
        self.value, self.future = value, future


class DaskExecutor:
    """Map a function over items on a Dask cluster, results in order (the core's executor protocol).

    Also a retaining executor (:class:`jhmatch.executor.Retaining`): ``retain`` /
    ``release`` keep items on the workers across several ``map`` calls.

    Parameters
    ----------
    client : distributed.Client or None
        The cluster; ``None`` runs every call in this process.
    what : str, default "tasks"
        What the tasks do, for the error raised when the cluster loses them.

    Examples
    --------
    >>> DaskExecutor(None)
    DaskExecutor(client=None)
    >>> ex = DaskExecutor(None)  # no client: runs here, retained items kept as they are
    >>> ex.map(abs, ex.retain([-1, 2]))
    [1, 2]
    """

    def __init__(self, client: Any, what: str = "tasks"):
        self.client, self.what = client, what

    def __repr__(self) -> str:
        return f"DaskExecutor(client={'None' if self.client is None else type(self.client).__name__})"

    def retain(self, items: Sequence[Any]) -> list[Any]:
        """Stand-ins for ``items``, scattered over the workers in one call (the items themselves without a client)."""
        items = list(items)
        if self.client is None or not items:
            return items
        return [_Kept(v, f) for v, f in zip(items, self.client.scatter(items, hash=False))]

    def release(self, kept: Sequence[Any]) -> None:
        """Let the workers drop retained items."""
        for k in kept:
            if isinstance(k, _Kept):
                k.future.release()

    def map(self, fn: Callable[[Any], Any], iterable: Iterable[Any], /) -> list[Any]:
        """``[fn(x) for x in iterable]`` on the cluster; ``fn`` is broadcast to the workers once per call.

        Retained stand-ins are resolved on the workers (only the function travels).
        """
        items = list(iterable)
        if not items:
            return []
        kept = [k for k in items if isinstance(k, _Kept)]
        for attempt in range(2):
            try:
                return run_tasks(_call, [k.future if isinstance(k, _Kept) else k for k in items], self.client,
                                 self.what, fn, broadcast=(0,))
            except SolverError:
                if attempt or not kept:
                    raise
                self.release(kept)  # a worker holding retained items was lost: place them again once
                for k, future in zip(kept, self.client.scatter([k.value for k in kept], hash=False)):
                    k.future = future
        raise SolverError(f"{self.what}: the cluster lost retained data twice")  # pragma: no cover


def _active() -> DaskExecutor | None:
    client = active_client()
    return None if client is None else DaskExecutor(client)


def _adapt(handle: Any) -> DaskExecutor | None:
    """A client (it scatters and submits) becomes a DaskExecutor; Dask's own executors are left as they are."""
    return DaskExecutor(handle) if callable(getattr(handle, "scatter", None)) else None


register_adapter("distributed", _adapt, active=_active)
