"""The protocol every backend follows, and the options passed to it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from jhmatch.errors import ParameterError
from jhmatch.optimize.constraints import Block
from jhmatch.optimize.deadline import Deadline
from jhmatch.optimize.evaluate import compile_blocks
from jhmatch.optimize.problem import AllocationProblem
from jhmatch.optimize.result import Allocation

__all__ = ["Backend", "SolveOptions"]


@dataclass(frozen=True)
class SolveOptions:
    """Options common to every backend.

    Attributes
    ----------
    time_limit : float or None
        Seconds for the whole solve, infeasibility diagnosis included; exact
        backends stop and return TIME_LIMIT with their gap.
    gap : float or None
        Relative optimality gap at which a MILP may stop (reported; default 0).
    extra : mapping
        Backend-specific options (e.g. ``proposing="post"`` for ``"stable"``).
    deadline : Deadline, optional
        The clock of the whole solve (set by :func:`jhmatch.optimize.solve`, so that
        time spent before the backend starts counts); default ``time_limit`` from
        when :meth:`clock` is first asked.
    executor : Executor, optional
        Where a backend that runs independent pieces of work side by side (one with
        ``uses_executor = True``) runs them (:mod:`jhmatch.executor`); ``None``: the
        active executor, else in this process.

    Examples
    --------
    >>> SolveOptions(time_limit=5).time_limit
    5
    >>> SolveOptions(time_limit=5).clock().left() <= 5
    True
    """

    time_limit: float | None = None
    gap: float | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    deadline: Deadline | None = None
    executor: Any = None

    def clock(self) -> Deadline:
        """The deadline of this solve (:attr:`deadline`, else ``time_limit`` from now)."""
        return self.deadline if self.deadline is not None else Deadline(self.time_limit)


@runtime_checkable
class Backend(Protocol):
    """A solver backend: ``name``, ``options``, ``available()``, ``supports()`` and ``solve()``.

    ``options`` names the backend-specific options it accepts (``SolveOptions.extra``);
    :func:`jhmatch.optimize.solve` refuses any other with a ParameterError naming them.

    Examples
    --------
    >>> from jhmatch.optimize.backends import BACKENDS
    >>> all(isinstance(b, Backend) for b in BACKENDS.values()), sorted(BACKENDS)
    (True, ['decompose', 'flow', 'greedy', 'lap', 'milp', 'stable'])
    """

    name: str
    options: tuple[str, ...]

    def available(self) -> bool:
        """True when its dependencies import."""
        ...

    def supports(self, problem: AllocationProblem, blocks: list[Block]) -> str | None:
        """``None`` when it can solve ``problem`` exactly as stated, else the reason why not."""
        ...

    def solve(self, problem: AllocationProblem, options: SolveOptions) -> Allocation:
        """Solve and return an :class:`Allocation` (never a bare solver error)."""
        ...


def heuristic_support(problem: AllocationProblem, blocks: list[Block], method: str, hard_note: str) -> str | None:
    """Why a heuristic ``method`` (greedy, stable) cannot take ``problem``, or ``None`` when it can.

    Heuristics take no weighted capacity and cannot guarantee hard rules (soft rules are only scored).
    """
    if problem.usage is not None:
        return f"weighted capacity (usage) is not supported by {method}"
    hard = sorted({b.name for b in blocks if b.hard})
    if hard:
        return f"{hard_note} ({', '.join(hard)})"
    return None


def supported_blocks(backend: Backend, problem: AllocationProblem, hint: str = "") -> list[Block]:
    """Compile ``problem``'s rules and check that ``backend`` can take them.

    Raises
    ------
    ParameterError
        Naming the method, why it cannot solve the problem, and ``hint`` (what to use instead).
    """
    blocks = compile_blocks(problem)
    reason = backend.supports(problem, blocks)
    if reason:
        raise ParameterError(f"method {backend.name!r} cannot solve this problem: {reason}{hint}")
    return blocks
