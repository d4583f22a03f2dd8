"""Limits of a run: the default time limit of a solve, and the size guard for memory.

Time: :data:`DEFAULT_TIME_LIMIT` is the limit callers use when the user gives
none (the command line does); a solve given ``time_limit=T`` returns within
``T + TIME_LIMIT_SLACK`` seconds with status ``time_limit`` when it ran out,
infeasibility diagnosis included.

Memory: estimate before building a large structure (scoring, the allocation
model, the solver's copies), and refuse with a :class:`~jhmatch.errors.SizeLimitError`
that says what was estimated and how to shrink it, before Python's ``MemoryError``
or the operating system's OOM killer can end the run half-way.

The budget is the smallest of

- the configured limit: :func:`set_memory_limit`, else the environment variable
  ``JHMATCH_MEMORY_LIMIT`` (bytes, or with a suffix ``K``, ``M``, ``G``, ``T``),
  else 75% of the machine's physical memory;
- the process's address-space limit (``ulimit -v``, ``RLIMIT_AS``) less the
  address space already in use (``VmSize``), of which 80% is counted (threads and
  allocator arenas reserve address space beyond the arrays themselves);
- the memory limit of the process's control group (a container's limit: cgroup v2
  ``memory.max``, v1 ``memory.limit_in_bytes``) less its working set (usage
  without reclaimable page cache).

Infinite, NaN, zero or negative limits are refused with a
:class:`~jhmatch.errors.ParameterError`.
"""

from __future__ import annotations

import math
import os

from jhmatch.errors import ParameterError, SizeLimitError
from jhmatch.i18n import N_
from jhmatch.i18n import gettext as _

__all__ = ["ALLOCATION_BYTES_PER_PAIR", "DEFAULT_TIME_LIMIT", "TIME_LIMIT_SLACK", "address_space", "cgroup_memory", "check_size",
           "estimate_allocation_bytes", "estimate_scoring_bytes", "memory_budget", "memory_limit", "set_memory_limit"]

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
_AS_SHARE = 0.8
_CGROUP_ROOT = "/sys/fs/cgroup"

SOURCE_CONFIGURED = N_("the configured limit (JHMATCH_MEMORY_LIMIT or jhmatch.limits.set_memory_limit)")
SOURCE_PHYSICAL = N_("75% of the physical memory (set JHMATCH_MEMORY_LIMIT to change it)")
SOURCE_ADDRESS_SPACE = N_("the address-space limit of this process (ulimit -v)")
SOURCE_CGROUP = N_("the memory limit of this container (cgroup)")


def _parse_bytes(value: object, what: str = "JHMATCH_MEMORY_LIMIT") -> int:
    """Bytes from ``8G``, ``500M``, ``1e9`` or a number; ParameterError for anything else."""
    if isinstance(value, bool):
        raise ParameterError(f"{what}={value!r}: expected bytes such as 8G or 500M")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        t = str(value).strip().upper().removesuffix("B").removesuffix("I")
        factor = _SUFFIX.get(t[-1:], 1)
        digits = t[:-1] if t[-1:] in _SUFFIX else t
        try:
            number = float(digits) * factor
        except ValueError:
            raise ParameterError(f"{what}={value!r}: expected bytes such as 8G or 500M") from None
    if not math.isfinite(number):
        raise ParameterError(f"{what}={value!r}: must be a finite number of bytes such as 8G (not inf or nan)")
    if number < 1:
        raise ParameterError(f"{what}={value!r}: must be a positive number of bytes such as 8G")
    return int(number)


def _configured() -> tuple[int, str]:
    if _override is not None:
        return _override, SOURCE_CONFIGURED
    env = os.environ.get("JHMATCH_MEMORY_LIMIT")
    if env:
        return _parse_bytes(env), SOURCE_CONFIGURED
    try:
        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - non-POSIX
        physical = 8 * 2**30
    return int(0.75 * physical), SOURCE_PHYSICAL


def _read_int(path: str) -> int | None:
    try:
        with open(path, encoding="ascii") as fh:
            text = fh.read().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def _stat(path: str, key: str) -> int:
    try:
        with open(path, encoding="ascii") as fh:
            for line in fh:
                name, _sep, value = line.partition(" ")
                if name == key and value.strip().isdigit():
                    return int(value)
    except OSError:
        pass
    return 0


def cgroup_memory(root: str | None = None) -> tuple[int, int] | None:
    """``(limit, working set)`` in bytes of this process's memory cgroup, or None without a limit.

    Reads cgroup v2 (``memory.max``, ``memory.current`` less ``inactive_file``) or v1
    (``memory.limit_in_bytes``, ``memory.usage_in_bytes`` less ``total_inactive_file``),
    at the process's own cgroup when visible, else at the mount's root.

    Examples
    --------
    >>> cgroup_memory("/nonexistent") is None
    True
    """
    root = root or _CGROUP_ROOT
    own = ""
    try:
        with open("/proc/self/cgroup", encoding="utf-8") as fh:
            for line in fh:
                parts = line.strip().split(":", 2)
                if len(parts) == 3 and (parts[0] == "0" or "memory" in parts[1].split(",")):
                    own = parts[2].lstrip("/") if parts[0] == "0" else own or parts[2].lstrip("/")
    except OSError:
        pass
    candidates = [(os.path.join(root, own), "v2"), (root, "v2"), (os.path.join(root, "memory", own), "v1"),
                  (os.path.join(root, "memory"), "v1")]
    for folder, kind in candidates:
        if kind == "v2":
            limit = _read_int(os.path.join(folder, "memory.max"))
            usage = _read_int(os.path.join(folder, "memory.current"))
            cache = _stat(os.path.join(folder, "memory.stat"), "inactive_file")
        else:
            limit = _read_int(os.path.join(folder, "memory.limit_in_bytes"))
            usage = _read_int(os.path.join(folder, "memory.usage_in_bytes"))
            cache = _stat(os.path.join(folder, "memory.stat"), "total_inactive_file")
        if limit is not None and usage is not None:
            if limit >= 2**60:  # "max" is not a number; v1 writes 2**63 rounded to pages for no limit
                return None
            return limit, max(usage - cache, 0)
    return None


def address_space() -> tuple[int, int] | None:
    """``(RLIMIT_AS soft limit, VmSize)`` in bytes, or None when the address space is unlimited.

    Examples
    --------
    >>> address_space() is None or address_space()[0] > 0
    True
    """
    try:
        import resource

        soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    except (ImportError, OSError, ValueError):  # pragma: no cover - non-POSIX
        return None
    if soft == resource.RLIM_INFINITY or soft <= 0:
        return None
    used = 0
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    used = int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):  # pragma: no cover - no procfs
        pass
    return int(soft), used


def memory_budget() -> tuple[float, str]:
    """Bytes a new structure may take now, and where that figure comes from (an English msgid).

    Examples
    --------
    >>> budget, source = memory_budget()
    >>> budget > 0, isinstance(source, str)
    (True, True)
    """
    best, source = _configured()
    budget = float(best)
    space = address_space()
    if space is not None and _AS_SHARE * (space[0] - space[1]) < budget:
        budget, source = _AS_SHARE * max(space[0] - space[1], 0), SOURCE_ADDRESS_SPACE
    group = cgroup_memory()
    if group is not None and group[0] - group[1] < budget:
        budget, source = float(max(group[0] - group[1], 0)), SOURCE_CGROUP
    return budget, source


def memory_limit() -> int:
    """The memory limit in bytes: the configured limit, or the process's real limit when lower.

    Examples
    --------
    >>> memory_limit() > 0
    True
    """
    limit = _configured()[0]
    space = address_space()
    if space is not None:
        limit = min(limit, space[0])
    group = cgroup_memory()
    if group is not None:
        limit = min(limit, group[0])
    return int(limit)


def set_memory_limit(limit: int | float | str | None) -> None:
    """Set the limit for this process (``None`` restores the default).

    Raises
    ------
    ParameterError
        For ``inf``, NaN, zero, negative or unreadable limits.

    Examples
    --------
    >>> set_memory_limit("2G"); memory_limit() <= 2 * 2**30
    True
    >>> set_memory_limit(None)
    """
    global _override
    _override = None if limit is None else _parse_bytes(limit, "memory limit")


def check_size(estimate: float, what: str, suggestion: str) -> None:
    """Raise :class:`SizeLimitError` when ``estimate`` bytes exceed the memory budget.

    ``what`` and ``suggestion`` are shown as given (translate them before passing).

    Examples
    --------
    >>> check_size(1e3, "a tiny problem", "nothing")
    >>> try:
    ...     check_size(1e18, "a huge problem", "use fewer candidates")
    ... except SizeLimitError as exc:
    ...     print(str(exc).split(";")[0])
    a huge problem would need about 888 PiB of memory
    """
    if not math.isfinite(estimate):
        estimate = float("inf")
    budget, source = memory_budget()
    if estimate > budget:
        raise SizeLimitError(_("{what} would need about {need} of memory; {free} is available under {source}. "
                               "To make it fit: {suggestion}").format(what=what, need=_human(estimate), free=_human(budget),
                                                      source=_(source), suggestion=suggestion))


ALLOCATION_BYTES_PER_PAIR = 1500.0
"""Peak bytes per candidate pair of building and solving an allocation (measured on the MILP path
with the plan's rules, 10,000 and 40,000 persons: 1,180-1,220 B resident and 1,440 B of address space
per pair: the pair arrays, the sparse model, HiGHS's presolved copies and its LP factorisation)."""

SCORING_BYTES_PER_PAIR = 200.0
SCORING_BASE_BYTES = 160.0 * 2**20
"""Scoring keeps ``top_k`` pairs per person (about 130 B each while scoring, measured) plus a working
set of about 150 MiB for a block of persons against their county's posts."""


def estimate_allocation_bytes(n_persons: int, n_posts: int, n_pairs: int, n_rows: int = 0) -> float:
    """Rough peak bytes of building and solving an allocation problem.

    :data:`ALLOCATION_BYTES_PER_PAIR` per candidate pair and 200 bytes per person,
    post or constraint row: a slightly generous figure from measurements, not a
    count of arrays.

    Examples
    --------
    >>> round(estimate_allocation_bytes(20_000, 2_000, 1_000_000) / 2**30, 2)
    1.4
    """
    return ALLOCATION_BYTES_PER_PAIR * n_pairs + 200.0 * (n_persons + n_posts + n_rows)


def estimate_scoring_bytes(n_persons: int, n_posts: int, top_k: int | None = 50) -> float:
    """Rough peak bytes of scoring ``n_persons`` against ``n_posts`` keeping ``top_k`` posts each.

    Call it before scoring (``check_size(estimate_scoring_bytes(...), ...)``): the
    kept pairs are at most ``n_persons × min(top_k, n_posts)``.

    Examples
    --------
    >>> round(estimate_scoring_bytes(3_000_000, 450_000) / 2**30, 1)
    28.7
    """
    kept = float(n_persons) * float(min(top_k, n_posts) if top_k is not None else n_posts)
    return SCORING_BASE_BYTES + SCORING_BYTES_PER_PAIR * kept + 200.0 * (n_persons + n_posts)


def _human(n: float) -> str:
    if not math.isfinite(n):
        return "∞"
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024:
            return f"{n:.0f} {unit}"
        n /= 1024
    return f"{n:.0f} PiB"
