"""Limits of a run: the default time limit of a solve, and the size guard for memory.

Time: :data:`DEFAULT_TIME_LIMIT` is the limit callers use when the user gives
none (the command line does); a solve given ``time_limit=T`` returns within
``T + TIME_LIMIT_SLACK`` seconds with status ``time_limit`` when it ran out,
infeasibility diagnosis included.

Memory: estimate before building a large structure, refuse beyond a limit.

The limit defaults to 75% of the machine's physical memory; set it with the
environment variable ``JHMATCH_MEMORY_LIMIT`` (bytes, or with a suffix ``K``, ``M``,
``G``) or :func:`set_memory_limit`. A refusal is a :class:`~jhmatch.errors.SizeLimitError`
that says what was estimated and how to shrink it, instead of the operating
system killing the process half-way.
"""

from __future__ import annotations

import os

from jhmatch.errors import ParameterError, SizeLimitError

__all__ = ["DEFAULT_TIME_LIMIT", "TIME_LIMIT_SLACK", "check_size", "estimate_allocation_bytes", "memory_limit",
           "set_memory_limit"]

DEFAULT_TIME_LIMIT = 120.0
"""Seconds a solve may take when the caller gives no limit of its own (the command line uses it for
``allocate``, ``plan-posts`` and ``demo``). A 20,000-person city allocates in well under a minute and
plans its reserved posts in seconds; a solve that runs out returns status ``time_limit`` with the best
plan found (or none), never a silent half plan. ``jhmatch.optimize.solve`` and
``jhmatch.optimize.plan_reserved_posts`` themselves default to no limit (Python callers choose)."""

TIME_LIMIT_SLACK = 5.0
"""Seconds a time-limited solve may run past its limit: HiGHS is given up one second after its own
limit (:data:`jhmatch.optimize.deadline.HIGHS_GRACE`), and the result tables (objective, rule activity,
unplaced reasons, summaries) are built after the clock ran out (about a second per million candidate
pairs)."""

_override: int | None = None
_SUFFIX = {"K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}


def _parse_bytes(text: str) -> int:
    t = text.strip().upper().removesuffix("B").removesuffix("I")
    factor = _SUFFIX.get(t[-1:], 1)
    number = t[:-1] if t[-1:] in _SUFFIX else t
    try:
        value = float(number) * factor
    except ValueError:
        raise ParameterError(f"JHMATCH_MEMORY_LIMIT={text!r}: expected bytes such as 8G or 500M") from None
    if value <= 0:
        raise ParameterError(f"JHMATCH_MEMORY_LIMIT={text!r}: must be positive")
    return int(value)


def memory_limit() -> int:
    """The memory limit in bytes (override, environment, or 75% of physical memory).

    Examples
    --------
    >>> memory_limit() > 0
    True
    """
    if _override is not None:
        return _override
    env = os.environ.get("JHMATCH_MEMORY_LIMIT")
    if env:
        return _parse_bytes(env)
    try:
        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - non-POSIX
        physical = 8 * 2**30
    return int(0.75 * physical)


def set_memory_limit(limit: int | str | None) -> None:
    """Set the limit for this process (``None`` restores the default).

    Examples
    --------
    >>> set_memory_limit("2G"); memory_limit() == 2 * 2**30
    True
    >>> set_memory_limit(None)
    """
    global _override
    _override = None if limit is None else (_parse_bytes(limit) if isinstance(limit, str) else int(limit))


def check_size(estimate: float, what: str, suggestion: str) -> None:
    """Raise :class:`SizeLimitError` when ``estimate`` bytes exceed the limit.

    Examples
    --------
    >>> check_size(1e3, "a tiny problem", "nothing")
    >>> try:
    ...     check_size(1e18, "a huge problem", "use fewer candidates")
    ... except SizeLimitError as exc:
    ...     print(str(exc).split(";")[0])
    a huge problem would need about 888 PiB
    """
    limit = memory_limit()
    if estimate > limit:
        raise SizeLimitError(
            f"{what} would need about {_human(estimate)}; the limit is {_human(limit)} "
            f"(JHMATCH_MEMORY_LIMIT or jhmatch.limits.set_memory_limit). {suggestion}"
        )


def estimate_allocation_bytes(n_persons: int, n_posts: int, n_pairs: int, n_rows: int = 0) -> float:
    """Rough peak bytes of building and solving an allocation problem.

    Per candidate pair about 160 bytes (int64 pair indices and float64 scores and
    weights, the flow network's arcs and the solver's own copies, a sparse
    constraint matrix), per person, post or constraint row about 200 bytes. A
    deliberately generous count of the arrays the backends build, not a measurement.

    Examples
    --------
    >>> estimate_allocation_bytes(20_000, 2_000, 1_000_000) / 2**20 < 200
    True
    """
    return 160.0 * n_pairs + 200.0 * (n_persons + n_posts + n_rows)


def _human(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024:
            return f"{n:.0f} {unit}"
        n /= 1024
    return f"{n:.0f} PiB"
