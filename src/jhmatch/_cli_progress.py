"""Progress of a command, step by step: a live display on a terminal, one log line per step otherwise.

Steps are named (``read``, ``score``, ``allocate``, ``targets``, ``plan_posts``, ``chain``,
``write``, ...). On a terminal each step is a line of a rich progress display with its
counts and elapsed time; a step with a time limit shows at most how long it may still
take. Without a terminal (a log file, a scheduler), each finished step writes one line
to stderr: ``jhmatch [2/5] scoring compatibility: 1,200 seekers × 300 posts, 9,870
candidate pairs (3.1 s)``. With ``--quiet`` nothing is shown.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from jhmatch.i18n import N_, format_number
from jhmatch.i18n import gettext as _

__all__ = ["STEPS", "Steps"]

STEPS: Mapping[str, str] = MappingProxyType({
    "read": N_("reading and checking the tables"), "scenario": N_("building the synthetic Jinhua scenario"),
    "score": N_("scoring compatibility"), "allocate": N_("allocating posts"),
    "targets": N_("measuring the plan's targets"), "plan_posts": N_("planning reserved posts"),
    "chain": N_("cross-county quota employment"), "recommend": N_("choosing recommendations"),
    "write": N_("writing results"),
})
"""Step → what it does, shown in the planner's language."""

_DONE: dict[str, str] = {
    "read": N_("{persons} persons, {posts} posts"),
    "scenario": N_("{persons} persons, {posts} posts"),
    "score": N_("{seekers} seekers × {posts} posts, {pairs} candidate pairs"),
    "allocate": N_("placed {placed} of {seekers} seekers"),
    "targets": N_("{met} of {total} city-wide targets met"),
    "plan_posts": N_("{sites} sites to open"),
    "chain": N_("{placed} more seekers placed"),
    "recommend": N_("{rows} recommendations"),
    "write": N_("{files} files"),
}


def _detail(step: str, info: dict[str, Any]) -> str:
    template = _DONE.get(step)
    if template is None:
        return ""
    values = {k: format_number(v) if isinstance(v, int | float) and not isinstance(v, bool) else v
              for k, v in info.items()}
    try:
        return _(template).format(**values)
    except (KeyError, IndexError, ValueError):
        return ""


class Steps:
    """Show a command's steps; use as a context manager and call :meth:`start` / :meth:`done`, or pass it
    as ``on_step`` to :func:`jhmatch.pipeline.run_plan`.

    Parameters
    ----------
    total : int
        How many steps the command has (shown as ``[2/5]``).
    quiet : bool
        Show nothing.
    live : bool, optional
        Use the live display; default: when stderr is a terminal.
    """

    def __init__(self, total: int, quiet: bool = False, live: bool | None = None):
        self.total = total
        self.quiet = quiet
        self.live = (sys.stderr.isatty() if live is None else live) and not quiet
        self.count = 0
        self._progress: Any = None
        self._task: Any = None
        self._t0 = 0.0
        self._started = time.perf_counter()
        self._step: str | None = None

    def __enter__(self) -> Steps:
        if self.live:
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self._progress = Progress(SpinnerColumn(finished_text="✓"), TextColumn("{task.description}"),
                                      TimeElapsedColumn(), _LimitColumn(), console=Console(stderr=True))
            self._progress.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc)
            self._progress = None

    def __call__(self, step: str, phase: str, info: dict[str, Any]) -> None:
        """The ``on_step`` listener of :mod:`jhmatch.pipeline`."""
        if phase == "start":
            self.start(step, **info)
        else:
            self.done(step, **info)

    def _label(self, step: str) -> str:
        return f"[{self.count}/{self.total}] " + (_(STEPS[step]) if step in STEPS else step)

    def start(self, step: str, **info: Any) -> None:
        """A step begins (``time_limit`` in ``info``: the most it may take, shown as an estimate)."""
        if self._step is not None and self._step != step:
            self.done(self._step)
        self.count += 1
        self._step, self._t0 = step, time.perf_counter()
        if self._progress is not None:
            limit = info.get("time_limit")
            self._task = self._progress.add_task(self._label(step), total=None,
                                                 limit=float(limit) if limit else None)

    def done(self, step: str, **info: Any) -> None:
        """A step ended; ``info`` holds its counts."""
        if self._step != step:
            self.start(step)
        seconds = time.perf_counter() - self._t0
        detail = _detail(step, info)
        if self._progress is not None and self._task is not None:
            text = self._label(step) + (_(": {detail}").format(detail=detail) if detail else "")
            self._progress.update(self._task, description=text, total=1, completed=1, limit=None)
        elif not self.quiet:
            line = self._label(step) + (_(": {detail}").format(detail=detail) if detail else "")
            line += _(" ({seconds} s)").format(seconds=format_number(seconds, 1))
            print(f"jhmatch {line}", file=sys.stderr, flush=True)
        self._step = None


try:
    from rich.progress import ProgressColumn as _ProgressColumn
    from rich.text import Text as _Text

    class _LimitColumn(_ProgressColumn):
        """For a step with a time limit: at most how many seconds it may still take."""

        def render(self, task: Any) -> Any:
            limit = task.fields.get("limit")
            if not limit or task.finished:
                return _Text("")
            left = max(0.0, float(limit) - float(task.elapsed or 0.0))
            return _Text(_("at most {seconds} s left").format(seconds=format_number(left)), style="dim")
except ImportError:  # pragma: no cover - rich comes with typer
    _LimitColumn = None  # type: ignore[assignment,misc]
