"""Telling a caller how far a long job has come: the step listener of the pipeline's jobs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["StepListener", "notify"]

StepListener = Callable[[str, str, dict[str, Any]], None]
"""Called as ``on_step(step, phase, info)`` by :func:`run_plan` and :func:`plan_posts`: ``phase`` is
``"start"`` or ``"done"``, ``step`` one of ``score``, ``allocate``, ``targets``, ``plan_posts``; ``info``
holds counts (``seekers``, ``posts``, ``pairs``, ``placed``, ``time_limit``, ``met``, ``total``, ``sites``)."""


def notify(on_step: StepListener | None, step: str, phase: str, **info: Any) -> None:
    """Tell ``on_step`` (if any) that ``step`` reached ``phase``, with counts in ``info``.

    Examples
    --------
    >>> seen = []
    >>> notify(lambda step, phase, info: seen.append((step, phase, info)), "score", "start", posts=3)
    >>> seen
    [('score', 'start', {'posts': 3})]
    """
    if on_step is not None:
        on_step(step, phase, info)


_step = notify  # the old private name, for branches in flight
