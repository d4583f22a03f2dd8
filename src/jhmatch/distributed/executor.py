"""The Dask adapter: a ``distributed.Client`` as an executor of the core (:mod:`jhmatch.executor`).

:class:`DaskExecutor` gives a client the executor protocol the core accepts,
``map(fn, items) -> results in order``. The function is sent to every worker once
(``scatter(..., broadcast=True)``: a scorer's fitted state travels once per worker,
not once per block); each item is a task; tasks lost with a worker are re-run
(:func:`jhmatch.distributed._client.run_tasks`), and when that fails a
:class:`~jhmatch.errors.SolverError` says so and nothing is returned half done.

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

from collections.abc import Callable, Iterable
from typing import Any

from jhmatch.distributed._client import active_client, run_tasks
from jhmatch.executor import register_adapter

__all__ = ["DaskExecutor"]


def _call(item: Any, fn: Callable[[Any], Any]) -> Any:
    return fn(item)


class DaskExecutor:
    """Map a function over items on a Dask cluster, results in order (the core's executor protocol).

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
    """

    def __init__(self, client: Any, what: str = "tasks"):
        self.client, self.what = client, what

    def __repr__(self) -> str:
        return f"DaskExecutor(client={'None' if self.client is None else type(self.client).__name__})"

    def map(self, fn: Callable[[Any], Any], iterable: Iterable[Any], /) -> list[Any]:
        """``[fn(x) for x in iterable]`` on the cluster; ``fn`` is broadcast to the workers once."""
        items = list(iterable)
        if not items:
            return []
        return run_tasks(_call, items, self.client, self.what, fn, broadcast=(0,))


def _active() -> DaskExecutor | None:
    client = active_client()
    return None if client is None else DaskExecutor(client)


def _adapt(handle: Any) -> DaskExecutor | None:
    """A client (it scatters and submits) becomes a DaskExecutor; Dask's own executors are left as they are."""
    return DaskExecutor(handle) if callable(getattr(handle, "scatter", None)) else None


register_adapter("distributed", _adapt, active=_active)
