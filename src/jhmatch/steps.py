"""Telling a caller how far a long job has come: the step listener of the pipeline's jobs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["StepListener"]

StepListener = Callable[[str, str, dict[str, Any]], None]
"""Called as ``on_step(step, phase, info)`` by :func:`run_plan` and :func:`plan_posts`: ``phase`` is
``"start"`` or ``"done"``, ``step`` one of ``score``, ``allocate``, ``targets``, ``plan_posts``; ``info``
holds counts (``seekers``, ``posts``, ``pairs``, ``placed``, ``time_limit``, ``met``, ``total``, ``sites``)."""


def _step(on_step: StepListener | None, step: str, phase: str, **info: Any) -> None:
    if on_step is not None:
        on_step(step, phase, info)
