"""Small helpers around an optional ``dask.distributed`` client: tasks in order, worker loss handled."""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Sequence
from typing import Any

from jhmatch.errors import SolverError, require

__all__ = ["RETRIES", "active_client", "require_distributed", "run_tasks", "use_client"]

RETRIES = 1
"""Times a batch's lost tasks are submitted again (fresh broadcast data included) after
Dask's own retries (``distributed.scheduler.allowed-failures``) gave up on them."""


def require_distributed(purpose: str) -> Any:
    """Import ``distributed`` or raise :class:`~jhmatch.errors.MissingDependencyError` naming the extra."""
    return require("distributed", "dask", purpose)


def _lost(future: Any) -> BaseException | None:
    """The reason ``future`` failed through the cluster (lost worker, cancelled), or None if it finished.

    An error raised by the task itself is re-raised here unchanged.
    """
    if future.status == "finished":
        return None
    if future.status == "pending":  # left behind when wait() stopped at a cancelled sibling
        future.cancel()
        return RuntimeError(f"task {future.key} abandoned with its batch")
    if future.status == "error":
        exc = future.exception()
        if type(exc).__module__.split(".")[0] in {"distributed", "concurrent", "asyncio"} or type(exc).__name__ in {
                "KilledWorker", "CommClosedError", "FutureCancelledError", "CancelledError"}:
            return exc
        raise exc
    return RuntimeError(f"task {future.key} ended {future.status!r}")


def run_tasks(func: Callable[..., Any], items: Sequence[Any], client: Any, what: str, *args: Any,
              broadcast: tuple[int, ...] = ()) -> list[Any]:
    """``[func(item, *args) for item in items]``, on ``client`` when given, results in order.

    ``args`` whose positions are in ``broadcast`` are scattered to every worker once
    (``client.scatter(..., broadcast=True)``). Tasks lost with a worker are re-run
    by Dask; if Dask gives up (or broadcast data was lost), the lost tasks are
    submitted again up to :data:`RETRIES` times, and then a
    :class:`~jhmatch.errors.SolverError` says so. Nothing is returned half done.
    """
    if client is None:
        return [func(item, *args) for item in items]
    distributed = require_distributed(what)
    results: list[Any] = [None] * len(items)
    todo = list(range(len(items)))
    reason: BaseException | None = None
    for _ in range(RETRIES + 1):
        refs = [client.scatter(a, broadcast=True, hash=False) if i in broadcast else a for i, a in enumerate(args)]
        futures = {i: client.submit(func, items[i], *refs, pure=False) for i in todo}
        try:
            try:
                distributed.wait(list(futures.values()))
            except Exception as exc:  # FuturesCancelledError: dependencies lost with a worker
                reason = exc
            failed = []
            for i, future in futures.items():
                why = _lost(future)
                if why is None:
                    results[i] = future.result()
                else:
                    failed.append(i)
                    reason = why
        finally:
            for future in futures.values():
                future.release()
            for i in broadcast:
                refs[i].release()
        if not failed:
            return results
        todo = failed
    raise SolverError(
        f"distributed {what} failed: {len(todo)} task(s) lost ({type(reason).__name__}: {reason}); workers died "
        f"more often than Dask and jhmatch retry a task, or the cluster shut down; nothing was written, "
        f"re-run when the cluster is healthy")


_ACTIVE: contextvars.ContextVar[Any] = contextvars.ContextVar("jhmatch_dask_client", default=None)


class use_client:
    """Run every ``jhmatch.distributed`` call inside the block on ``client`` unless one is passed.

    Examples
    --------
    >>> with use_client(None):
    ...     active_client() is None
    True
    """

    def __init__(self, client: Any):
        self.client = client
        self._token: Any = None

    def __enter__(self) -> Any:
        self._token = _ACTIVE.set(self.client)
        return self.client

    def __exit__(self, *exc: object) -> None:
        _ACTIVE.reset(self._token)


def active_client(client: Any = None) -> Any:
    """``client`` if given, else the one set by :class:`use_client`, else ``None`` (run locally).

    Examples
    --------
    >>> active_client() is None
    True
    """
    return client if client is not None else _ACTIVE.get()
