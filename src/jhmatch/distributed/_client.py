"""Small helpers around an optional ``dask.distributed`` client."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from jhmatch.errors import JhmatchError, SolverError, require

__all__ = ["gather", "require_distributed", "run_tasks"]


def require_distributed(purpose: str) -> Any:
    """Import ``distributed`` or raise :class:`~jhmatch.errors.MissingDependencyError` naming the extra."""
    return require("distributed", "dask", purpose)


def gather(client: Any, futures: Sequence[Any], what: str) -> list[Any]:
    """Gather ``futures``; a lost worker or cancelled task becomes a :class:`~jhmatch.errors.SolverError`.

    Errors raised on purpose by jhmatch inside a task (bad input, ...) pass through
    unchanged. Dask itself re-runs the tasks of a lost worker elsewhere
    (``distributed.scheduler.allowed-failures`` times), so a single lost worker
    normally costs time, not the result; only when that fails does this raise.
    """
    try:
        return list(client.gather(list(futures)))
    except JhmatchError:
        raise
    except Exception as exc:  # KilledWorker, CancelledError, CommClosedError, ... across versions
        raise SolverError(
            f"distributed {what} failed ({type(exc).__name__}: {exc}); a worker was probably lost "
            "more often than the scheduler retries a task, or the cluster shut down; nothing was written, "
            "re-run when the cluster is healthy"
        ) from exc
    finally:
        for future in futures:
            future.release()


def run_tasks(func: Callable[..., Any], items: Sequence[Any], client: Any, what: str,
              *args: Any) -> list[Any]:
    """``[func(item, *args) for item in items]``, on ``client`` when given, in order.

    ``args`` may hold futures (scattered data); without a client they are plain values.
    """
    if client is None:
        return [func(item, *args) for item in items]
    futures = [client.submit(func, item, *args, pure=False) for item in items]
    return gather(client, futures, what)
