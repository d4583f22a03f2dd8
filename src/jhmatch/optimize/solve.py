"""``solve``: dispatch an :class:`AllocationProblem` to a backend."""

from __future__ import annotations

import dataclasses
import time
from typing import Any

from jhmatch.checks import check_options, rate
from jhmatch.errors import ParameterError, SizeLimitError, SolverError
from jhmatch.executor import resolve_executor
from jhmatch.i18n import N_
from jhmatch.i18n import gettext as _
from jhmatch.limits import check_size, estimate_allocation_bytes
from jhmatch.optimize.backends import BACKENDS
from jhmatch.optimize.backends.base import SolveOptions
from jhmatch.optimize.deadline import Deadline
from jhmatch.optimize.evaluate import REASON_SOLVER_FAILED, compile_blocks, make_allocation
from jhmatch.optimize.problem import AllocationProblem
from jhmatch.optimize.result import Allocation, Status

__all__ = ["SIZE_SUGGESTION", "check_problem_size", "choose_method", "solve"]

SIZE_SUGGESTION = N_("keep fewer candidate posts per person (CompatibilityScorer(top_k=...)), allocate county by "
                     "county, or use the dask extra (jhmatch.distributed)")
"""What to do about a problem too large for memory (English; translated where shown)."""


def choose_method(problem: AllocationProblem) -> tuple[str, str]:
    """The method ``"auto"`` picks for ``problem``, and why.

    ``"flow"`` when capacities and every rule fit one min-cost-flow network
    (exact and fastest); otherwise ``"milp"`` (exact, slower).

    Examples
    --------
    >>> import pandas as pd
    >>> from jhmatch.matching.score_matrix import ScoreMatrix
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a"], "post_id": ["x"], "score": [1.0]}))
    >>> choose_method(AllocationProblem(sm, [1]))[0]
    'flow'
    """
    blocks = compile_blocks(problem)
    reason = BACKENDS["flow"].supports(problem, blocks)
    if reason is None:
        return "flow", _("capacities and rules form one min-cost-flow network")
    return "milp", _("not a pure flow: {reason}").format(reason=reason)


def solve(problem: AllocationProblem, method: str = "auto", time_limit: float | None = None,
          gap: float | None = None, client: Any = None, executor: Any = None, **options: Any) -> Allocation:
    """Solve an allocation problem.

    Parameters
    ----------
    problem : AllocationProblem
        What to solve.
    method : {"auto", "flow", "milp", "lap", "greedy", "stable", "decompose"}
        Backend. ``"auto"`` picks ``"flow"`` when the rules fit a flow network and
        ``"milp"`` otherwise, and says so in the message. ``"decompose"`` solves
        regions side by side and coordinates shared posts by prices (capacities
        only; :class:`~jhmatch.optimize.backends.decompose.DecomposeBackend`),
        reporting its gap and its figures in ``Allocation.details``.
    time_limit : float, optional
        Seconds for the whole solve, counted from this call, infeasibility diagnosis
        included: it returns within ``time_limit + jhmatch.limits.TIME_LIMIT_SLACK``
        seconds, with status TIME_LIMIT (the best plan found, if any, and its gap)
        when the limit cut it short. ``None`` (default): no limit on the solve, and
        the diagnosis of an infeasible problem stops after
        :data:`jhmatch.limits.DEFAULT_TIME_LIMIT` seconds. The command line passes
        :data:`~jhmatch.limits.DEFAULT_TIME_LIMIT` when the user gives none.
    gap : float, optional
        Relative gap at which the MILP may stop (HiGHS ``mip_rel_gap``; default 0:
        exact). A gap > 0 also lets large problems whose rules are a flow plus a few
        side rows stop at a Lagrangian flow solution within that gap. For
        ``"decompose"``: the gap that stops its price iterations (default 1e-4).
    client : distributed.Client, optional
        For ``"decompose"``: run the regions on this Dask cluster (extra ``dask``;
        adapted into an executor by :mod:`jhmatch.distributed`).
    executor : Executor, optional
        For ``"decompose"``: where the regions run (anything with ``map``, see
        :mod:`jhmatch.executor`). With neither ``executor`` nor ``client``: the
        executor of ``use_executor`` / ``use_client``, else in this process.
    **options
        Backend-specific options, e.g. ``proposing="post"`` for ``"stable"``,
        ``regions="county"`` for ``"decompose"``.

    Returns
    -------
    Allocation
        Never raises for infeasible rules (status INFEASIBLE with a diagnosis) nor for
        a failing solver (status ERROR with the failure in the message).

    Raises
    ------
    ParameterError
        Unknown method, a method that cannot handle the problem's rules, a time
        limit or gap out of range, an executor or client for a method that runs in
        this process only, or an option the method does not take.
    SizeLimitError
        The problem would not fit in memory (:mod:`jhmatch.limits`), checked before
        solving; also when memory runs out during the solve despite the estimate.

    Examples
    --------
    >>> import pandas as pd
    >>> from jhmatch.matching.score_matrix import ScoreMatrix
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame(
    ...     {"person_id": ["a", "a", "b"], "post_id": ["x", "y", "x"], "score": [0.9, 0.5, 0.8]}))
    >>> result = solve(AllocationProblem(sm, [1, 1]))
    >>> result.status.value, round(result.objective, 6), result.assignments["post_id"].tolist()
    ('optimal', 1.3, ['y', 'x'])
    """
    deadline = Deadline(time_limit)  # validates the limit; the clock starts now
    gap = None if gap is None else rate("gap", gap, below_one=True)
    check_problem_size(problem)
    note = ""
    if method == "auto":
        method, why = choose_method(problem)
        note = " " + _("[auto picked {method}: {why}]").format(method=repr(method), why=why)
    if method not in BACKENDS:
        raise ParameterError(f"unknown method {method!r}; expected one of auto, {', '.join(BACKENDS)}")
    check_options(method, options, getattr(BACKENDS[method], "options", ()))
    runner = None
    if executor is not None or client is not None:
        if not getattr(BACKENDS[method], "uses_executor", False):
            raise ParameterError(f"method {method!r} runs in this process only; executor= and client= are for "
                                 f"'decompose'")
        runner = resolve_executor(executor, client)
    t0 = time.perf_counter()
    try:
        result = BACKENDS[method].solve(problem, SolveOptions(time_limit, gap, dict(options), deadline, runner))
    except SizeLimitError:
        raise
    except MemoryError as exc:  # the estimate was too low: still a clean, typed refusal
        raise SizeLimitError(_too_big_message(problem)) from exc
    except (SolverError, RuntimeError, OSError) as exc:  # a failing solver is a status, not a crash
        return make_allocation(problem, None, status=Status.ERROR, backend=method, solve_time=time.perf_counter() - t0,
                               message=f"{type(exc).__name__}: {exc}{note}",
                               unplaced_reason=REASON_SOLVER_FAILED)
    return dataclasses.replace(result, message=result.message + note) if note else result


def _too_big_message(problem: AllocationProblem) -> str:
    return _("allocating {persons} persons over {pairs} candidate pairs ran out of memory; {suggestion}").format(
        persons=f"{problem.n_persons:,}", pairs=f"{problem.n_pairs:,}", suggestion=_(SIZE_SUGGESTION))


def check_problem_size(problem: AllocationProblem) -> None:
    """Refuse (:class:`~jhmatch.errors.SizeLimitError`) a problem whose solve would not fit in memory.

    Examples
    --------
    >>> import pandas as pd
    >>> from jhmatch.matching.score_matrix import ScoreMatrix
    >>> check_problem_size(AllocationProblem(ScoreMatrix.from_frame(
    ...     pd.DataFrame({"person_id": ["a"], "post_id": ["x"], "score": [1.0]})), [1]))
    """
    rows = sum(len(getattr(c, "person_ids", ())) for c in problem.constraints)
    check_size(estimate_allocation_bytes(problem.n_persons, problem.n_posts, problem.n_pairs, rows),
               _("allocating {persons} persons over {pairs} candidate pairs").format(
                   persons=f"{problem.n_persons:,}", pairs=f"{problem.n_pairs:,}"), _(SIZE_SUGGESTION))
