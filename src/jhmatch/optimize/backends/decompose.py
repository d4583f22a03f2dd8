"""Decomposition backend: regions solved side by side, shared posts coordinated by prices.

Model
    The allocation problem (each person at most one post, each post at most its
    capacity, maximise ``sum weight * score``) splits into independent regions
    (the persons' counties, the connected components of the candidate graph, or
    any labels: :func:`~jhmatch.optimize.regions.regions_of`) except for *shared
    posts*: posts with candidates in more than one region (remote posts, on-site
    posts within commuting distance of another county). Their capacity rows are
    relaxed with prices ``lambda_j >= 0``; every region then solves its own exact
    min-cost-flow subproblem with values ``v_ij - lambda_j`` on shared posts,
    keeping ``sum_{i in region} x_ij <= c_j`` (implied by the original problem, so
    it only tightens the bound). For any prices

        L(lambda) = sum_regions Z_r(lambda) + sum_shared lambda_j c_j

    is an upper bound on the monolithic optimum (weak duality). Prices follow a
    projected subgradient step of Polyak's size towards the best primal value,
    and jump to the LP-dual prices of every new best primal solution
    (:func:`~jhmatch.optimize.prices.dual_prices`). Because each subproblem is a
    network flow (integral LP), the best such bound converges to the LP
    relaxation, which equals the integer optimum.

Master problem (primal recovery)
    Placements on posts that are not shared are kept; the shared posts are
    re-allocated by one exact min-cost flow in the calling process
    (:func:`~jhmatch.optimize.regions.master`), on the first iteration and every
    ``master_every``; in between each post keeps its best ``capacity`` persons
    (:func:`~jhmatch.optimize.regions.repair`). Every result is feasible and its
    gap to the best bound is reported.

Where the regions run
    Through the executor protocol of :mod:`jhmatch.executor`: ``executor=`` (any
    object with ``map``), ``client=`` (a Dask client, turned into an executor by the
    adapter that :mod:`jhmatch.distributed` registers), the executor of
    ``use_executor`` / ``use_client``, else one after the other in this process.
    The regions' data are sent once (:func:`jhmatch.executor.retained`), the prices
    once per iteration. Results do not depend on the executor.

Choosing regions
    Good regions are nearly self-contained: cities of a province, which share
    only the remote posts open across city lines, give a small master and a small
    gap. Counties of one city are a poor choice where commuting across county
    lines is common (in the Jinhua demo nearly every post is shared, so the master
    holds most persons). ``regions="components"`` shares nothing and is exact in
    one round.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.checks import check_options, positive_int
from jhmatch.executor import Executor, SerialExecutor, resolve_executor, retained
from jhmatch.i18n import gettext as _
from jhmatch.optimize.backends.base import SolveOptions, supported_blocks
from jhmatch.optimize.constraints import Block
from jhmatch.optimize.deadline import Deadline
from jhmatch.optimize.evaluate import make_allocation
from jhmatch.optimize.mcf import available as flow_available
from jhmatch.optimize.mcf import max_value_assignment
from jhmatch.optimize.prices import dual_prices
from jhmatch.optimize.problem import AllocationProblem
from jhmatch.optimize.regions import master, region_payloads, regions_of, repair
from jhmatch.optimize.result import Allocation, Status

__all__ = ["DEFAULT_GAP", "OPTIMAL_GAP", "DecomposeBackend"]

DEFAULT_GAP = 1e-4
"""Relative gap at which the price iterations stop when the solve asks for none (``gap=None``)."""
OPTIMAL_GAP = 1e-6
"""Largest gap reported as OPTIMAL when no gap was requested (the flows' integer costs leave ~1e-9)."""


class _RegionSolver:
    """The regional subproblems at given post prices (picklable: executors may send it to workers)."""

    def __init__(self, prices: np.ndarray):
        self.prices = prices

    def __call__(self, payload: dict[str, Any]) -> tuple[np.ndarray, float, float]:
        """Chosen pairs (positions in the payload), objective and proven bound, in values ``v - price``."""
        vals = payload["values"] - self.prices[payload["posts"]][payload["col"]]
        keep = np.flatnonzero(vals > 0)
        if not keep.size:
            return np.empty(0, np.int64), 0.0, 0.0
        return max_value_assignment(payload["row"][keep], payload["col"][keep], vals[keep], payload["caps"], keep,
                                    payload["n_rows"])


@dataclass
class _Run:
    """State of the price iterations (best solution, best bound and the prices proving it)."""

    best_obj: float = -np.inf
    best_bound: float = np.inf
    best_sel: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    best_prices: np.ndarray = field(default_factory=lambda: np.zeros(0))
    prices_kind: str = "lagrangian"
    master_size: int = 0
    region_time: float = 0.0
    iterations: int = 0
    timed_out: bool = False
    history: list[tuple[int, float, float, float, int]] = field(default_factory=list)

    @property
    def gap(self) -> float:
        gap = max(self.best_bound - self.best_obj, 0.0) / max(abs(self.best_obj), 1e-9)
        return 0.0 if gap < 1e-12 else gap


def _iterate(problem: AllocationProblem, preg: np.ndarray, executor: Executor, tol: float, max_iter: int,
             master_every: int, deadline: Deadline) -> tuple[_Run, int, int]:
    """The price iterations; returns the run, the number of regions and of shared posts."""
    rows, cols, vals = problem.pair_person, problem.pair_post, problem.values
    m = problem.n_posts
    cap = problem.capacities.astype(float)
    k = int(preg.max(initial=0)) + 1
    shared = np.bincount(np.unique(cols * k + preg[rows]) // k, minlength=m) > 1  # candidates in > 1 region
    shared_idx = np.flatnonzero(shared)
    payloads = region_payloads(problem, preg)
    light = [{key: v for key, v in p.items() if key != "pair"} for p in payloads]  # workers answer in positions
    run = _Run(best_prices=np.zeros(m))
    prices = np.zeros(m)
    theta, stall = 1.0, 0
    pending: np.ndarray | None = None  # dual prices recovered from a new best primal, tried next
    with retained(executor, light) as kept:
        for it in range(1, max_iter + 1):
            run.iterations = it
            t_region = time.perf_counter()
            out = [(p["pair"][o[0]], o[1], o[2]) for p, o in zip(payloads, executor.map(_RegionSolver(prices), kept))]
            run.region_time += time.perf_counter() - t_region
            late = deadline.expired  # past the deadline: finish this round with the free repair only
            sel = np.concatenate([o[0] for o in out]) if out else np.empty(0, np.int64)
            bound = float(sum(o[2] for o in out) + prices[shared_idx] @ cap[shared_idx])
            if bound < run.best_bound:
                run.best_bound, run.best_prices, run.prices_kind, stall = bound, prices.copy(), "lagrangian", 0
            else:
                stall += 1
            usage = np.bincount(cols[sel], minlength=m).astype(float)
            g = cap[shared_idx] - usage[shared_idx]  # subgradient of L on the shared prices
            overfilled = bool((g < 0).any())
            solved = overfilled and (it == 1 or it % master_every == 0 or it == max_iter) and not late
            size = 0
            if solved:
                cand, size = master(problem, sel, shared)
                run.master_size = max(run.master_size, size)
            else:
                cand = repair(problem, sel)
            obj = float(vals[cand].sum())
            if obj > run.best_obj:
                run.best_obj, run.best_sel = obj, cand
                if (solved or not overfilled) and not late:
                    dual, dual_bound = dual_prices(problem, cand)
                    if dual_bound < run.best_bound:
                        run.best_bound, run.best_prices, run.prices_kind = dual_bound, dual.copy(), "dual"
                    pending = dual
            step = 0.0
            if run.gap <= tol or not shared_idx.size or late or deadline.expired:
                run.timed_out = run.gap > tol and bool(shared_idx.size)
                run.history.append((it, bound, run.best_obj, step, size))
                break
            if pending is not None:
                prices = np.where(shared, pending, 0.0)
                pending = None
            else:
                if stall >= 3:
                    theta, stall = theta / 2, 0
                active = (g != 0) & ~((prices[shared_idx] <= 0) & (g > 0))
                norm = float(g[active] @ g[active])
                if norm > 0:
                    step = theta * max(bound - run.best_obj, 1e-12 * abs(bound)) / norm
                    prices[shared_idx] = np.maximum(prices[shared_idx] - step * g, 0.0)
            run.history.append((it, bound, run.best_obj, step, size))
    return run, len(payloads), int(shared_idx.size)


class DecomposeBackend:
    """Regions solved through an executor, shared posts priced; capacities and priority weights only.

    Options (``solve(..., method="decompose", **options)``)
        ``regions`` ("county", "components", a persons column or one label per
        person; default ``None``: "county" when the persons table has it, else
        "components"), ``max_iter`` (price iterations at most, default 30),
        ``master_every`` (solve the master problem on the first iteration, every this
        many and on the last; default 5). ``gap`` stops the iterations (default
        :data:`DEFAULT_GAP`); ``time_limit`` is checked after every round of regions.

    Result
        Status OPTIMAL when the gap to the best bound is within the requested gap
        (within :data:`OPTIMAL_GAP` when none was requested), TIME_LIMIT when the
        time limit stopped it first, else FEASIBLE; always a feasible allocation
        and its bound. :attr:`Allocation.details <jhmatch.optimize.Allocation.details>`
        holds ``regions``, ``shared_posts``, ``master_persons`` (persons in the
        largest master problem), ``iterations``, ``prices`` (one per post: the prices
        that prove the bound), ``prices_kind`` (``"lagrangian"``: prices of the
        shared posts, zero elsewhere; ``"dual"``: LP-dual prices of every post),
        ``history`` (DataFrame ``iteration, bound, objective, step,
        master_persons``), ``region_time`` (seconds spent waiting for the regions)
        and ``executor`` (where they ran).

    Examples
    --------
    >>> from jhmatch.matching.score_matrix import ScoreMatrix
    >>> from jhmatch.optimize import solve
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a", "a", "b", "c"],
    ...     "post_id": ["x", "r", "r", "y"], "score": [0.6, 0.9, 0.8, 0.5]}))
    >>> res = solve(AllocationProblem(sm, [1, 1, 1]), method="decompose", regions=["east", "west", "west"])
    >>> res.status.value, res.backend, round(res.objective, 6), res.details["shared_posts"]
    ('optimal', 'decompose', 1.9, 1)
    """

    name = "decompose"
    uses_executor = True
    options = ("regions", "max_iter", "master_every")

    def available(self) -> bool:
        """True when OR-Tools imports."""
        return flow_available()

    def supports(self, problem: AllocationProblem, blocks: list[Block]) -> str | None:
        """Capacities and priority weights only: no rules, no weighted capacity."""
        if blocks:
            names = ", ".join(sorted({b.name for b in blocks}))
            return _("decomposition handles capacities and priority weights only; the problem has rules "
                     "({rules})").format(rules=names)
        if problem.usage is not None:
            return _("weighted capacity (usage) is not supported by decomposition")
        return None

    def solve(self, problem: AllocationProblem, options: SolveOptions) -> Allocation:
        """Price iterations over the regions; a feasible allocation with its gap to the best bound."""
        t0 = time.perf_counter()
        deadline = options.clock()
        supported_blocks(self, problem, "; use method='flow', 'milp' or 'auto'")
        check_options(self.name, options.extra, self.options)
        max_iter = positive_int("max_iter", options.extra.get("max_iter", 30))
        master_every = positive_int("master_every", options.extra.get("master_every", 5))
        preg = regions_of(problem, options.extra.get("regions"))
        executor = options.executor if options.executor is not None else resolve_executor() or SerialExecutor()
        tol = DEFAULT_GAP if options.gap is None else float(options.gap)
        run, n_regions, n_shared = _iterate(problem, preg, executor, tol, max_iter, master_every, deadline)
        gap = run.gap
        status = (Status.OPTIMAL if gap <= max(options.gap or 0.0, OPTIMAL_GAP)
                  else Status.TIME_LIMIT if run.timed_out else Status.FEASIBLE)
        where = (_("in this process") if isinstance(executor, SerialExecutor)
                 else _("with {executor}").format(executor=repr(executor)))
        message = _("{regions} regions solved {where}, {shared} shared posts priced, {iterations} iteration(s); "
                    "gap to the Lagrangian bound {gap}").format(regions=n_regions, where=where, shared=n_shared,
                                                                iterations=run.iterations, gap=f"{gap:.3g}")
        if status is Status.TIME_LIMIT:
            message += "; " + _("stopped at the time limit")
        x = np.zeros(problem.n_pairs)
        x[run.best_sel] = 1.0
        details = {
            "regions": n_regions, "shared_posts": n_shared, "master_persons": run.master_size,
            "iterations": run.iterations, "prices": run.best_prices, "prices_kind": run.prices_kind,
            "history": pd.DataFrame(run.history, columns=["iteration", "bound", "objective", "step", "master_persons"]),
            "region_time": run.region_time, "executor": repr(executor),
        }
        return make_allocation(problem, x, status=status, backend=self.name, message=message, blocks=[],
                               bound=float(run.best_bound), solve_time=time.perf_counter() - t0, details=details)
