"""Timing, peak memory and machine information for the benchmark suite."""

from __future__ import annotations

import datetime as dt
import importlib
import os
import platform
import threading
import time
import tracemalloc
from dataclasses import dataclass
from typing import Any

__all__ = ["Measured", "call_with_deadline", "machine_info", "measure", "version_of"]

_GIB = 2.0**30


def version_of(module: str) -> str | None:
    """Version of an importable module, or ``None`` when it is not installed.

    Examples
    --------
    >>> version_of("numpy") is not None, version_of("surely_not_a_module_xyz")
    (True, None)
    """
    try:
        mod = importlib.import_module(module)
    except ImportError:
        return None
    return str(getattr(mod, "__version__", "unknown"))


def machine_info() -> dict[str, Any]:
    """Cores, RAM, load, Python and library versions, and the UTC date.

    Examples
    --------
    >>> info = machine_info()
    >>> info["cores"] >= 1 and "numpy" in info["versions"]
    True
    """
    ram = None
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        ram = round(pages * size / _GIB, 2)
    except (ValueError, OSError, AttributeError):  # pragma: no cover - non-POSIX
        pass
    try:
        load = round(os.getloadavg()[0], 2)
    except (OSError, AttributeError):  # pragma: no cover - non-POSIX
        load = None
    libs = ("jhmatch", "numpy", "scipy", "pandas", "sklearn", "ortools", "pulp", "networkx", "matching",
            "psutil", "matplotlib")
    return {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "ram_gib": ram,
        "load_avg_1min_at_start": load,
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "versions": {name: version_of(name) for name in libs},
    }


@dataclass(frozen=True)
class Measured:
    """Wall time and peak memory of one call.

    Attributes
    ----------
    value : Any
        What the call returned.
    seconds : float
        Wall time.
    peak_mib : float or None
        Peak memory above the level at the start of the call, in MiB: resident set
        size sampled every 5 ms by a thread when ``psutil`` is installed
        (``memory_method="rss"``), else the peak of Python allocations traced by
        ``tracemalloc`` (numpy buffers included); ``None`` when not measured.
    peak_rss_mib : float or None
        Absolute peak resident set size seen (psutil only).
    memory_method : str
        ``"rss"``, ``"tracemalloc"`` or ``"none"``.
    """

    value: Any
    seconds: float
    peak_mib: float | None
    peak_rss_mib: float | None
    memory_method: str


def measure(fn: Any, *args: Any, memory: bool = True, **kwargs: Any) -> Measured:
    """Call ``fn(*args, **kwargs)``; return its value, wall time and peak memory.

    Examples
    --------
    >>> import numpy as np
    >>> m = measure(lambda: np.ones(1_000_000).sum())
    >>> float(m.value), m.seconds > 0, m.memory_method in ("rss", "tracemalloc")
    (1000000.0, True, True)
    """
    if not memory:
        t0 = time.perf_counter()
        value = fn(*args, **kwargs)
        return Measured(value, time.perf_counter() - t0, None, None, "none")
    try:
        import psutil
    except ImportError:
        psutil = None
    if psutil is not None:
        proc = psutil.Process()
        base = proc.memory_info().rss
        peak = [base]
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                peak[0] = max(peak[0], proc.memory_info().rss)
                stop.wait(0.005)

        thread = threading.Thread(target=sample, daemon=True)
        thread.start()
        t0 = time.perf_counter()
        try:
            value = fn(*args, **kwargs)
        finally:
            seconds = time.perf_counter() - t0
            stop.set()
            thread.join()
        peak[0] = max(peak[0], proc.memory_info().rss)
        return Measured(value, seconds, (peak[0] - base) / 2**20, peak[0] / 2**20, "rss")
    started = not tracemalloc.is_tracing()
    if started:
        tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    t0 = time.perf_counter()
    try:
        value = fn(*args, **kwargs)
    finally:
        seconds = time.perf_counter() - t0
        peak = tracemalloc.get_traced_memory()[1]
        if started:
            tracemalloc.stop()
    return Measured(value, seconds, (peak - base) / 2**20, None, "tracemalloc")


def call_with_deadline(fn: Any, args: tuple[Any, ...], seconds: float) -> tuple[str, Any, float]:
    """Run ``fn(*args)`` in a forked child process and kill it after ``seconds``.

    For peers that do not honour their own time limit (e.g. HiGHS's MIP presolve
    on a million binaries): the suite moves on instead of hanging. Returns
    ``(outcome, value, seconds)`` with outcome ``"ok"`` (value = the result, which
    must be picklable; seconds measured in the child), ``"error"`` (value = the
    error text) or ``"timeout"``. Where ``fork`` is not available the call runs in
    this process, without a deadline.

    Examples
    --------
    >>> call_with_deadline(sum, ([1, 2, 3],), 30)[:2]
    ('ok', 6)
    >>> call_with_deadline(time.sleep, (5,), 0.2)[0]
    'timeout'
    """
    import multiprocessing as mp

    try:
        ctx = mp.get_context("fork")
    except ValueError:  # pragma: no cover - platforms without fork
        t0 = time.perf_counter()
        try:
            return "ok", fn(*args), time.perf_counter() - t0
        except Exception as exc:
            return "error", f"{type(exc).__name__}: {exc}", time.perf_counter() - t0
    recv, send = ctx.Pipe(duplex=False)

    def child() -> None:
        t0 = time.perf_counter()
        try:
            value = fn(*args)
            send.send(("ok", value, time.perf_counter() - t0))
        except BaseException as exc:
            send.send(("error", f"{type(exc).__name__}: {exc}", time.perf_counter() - t0))
        finally:
            send.close()

    proc = ctx.Process(target=child, daemon=True)
    t0 = time.perf_counter()
    proc.start()
    send.close()
    try:
        if recv.poll(seconds):
            outcome, value, took = recv.recv()
        else:
            outcome, value, took = "timeout", None, time.perf_counter() - t0
    except EOFError:
        outcome, value, took = "error", "the child process died without an answer", time.perf_counter() - t0
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        recv.close()
    if outcome == "error" and proc.exitcode not in (0, None) and value is None:  # pragma: no cover
        value = f"child exited with code {proc.exitcode}"
    return outcome, value, took
