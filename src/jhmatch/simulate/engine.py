"""The yearly loop of one replication, and :func:`simulate` mapping replications through an executor.

Each simulated year, in this order (all draws vectorised over persons with the
replication's own ``numpy.random.Generator``):

1. **inflows** — new certificate holders, graduating students and persons reaching working
   age enter (Poisson numbers, rate × persons in the register at the start), taken in a
   random order from the model's pools (:mod:`jhmatch.simulate.model`);
2. **job losses** — every job held at the start of the year ends with probability
   ``job_loss[group] × (1 + fit_effect × (1 − 2 × fit))`` (the fit of a job held before the
   start is taken as 0.5); the person seeks work again and the seat is free;
3. **posts opened** — for each opening class a Poisson number of places (city-wide rate ×
   :attr:`~jhmatch.simulate.model.SimulationModel.scale`) from the pool of posts;
4. **allocation** — the seekers (active, willing, without a job, not reaching the retirement
   age this year when retirement is modelled) and the posts with free
   places form the year's problem: the restriction of the scored candidate set, solved
   exactly by jhmatch's min-cost-flow kernel (:func:`jhmatch.optimize.mcf.max_value_assignment`,
   the kernel of ``solve(method="flow")``) maximising priority weight × score;
5. **exits** — deaths and moves (shares of the active persons), then the measures on 31
   December, then the persons past their statutory retirement age leave
   (:func:`jhmatch.policy.retirement.working_age_arrays`).

Every count is kept per county: persons at the start + entrants = deaths + moves + retirements
+ persons at the end, every year and every replication.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.checks import positive_int
from jhmatch.executor import resolve_executor
from jhmatch.optimize.mcf import max_value_assignment
from jhmatch.simulate.model import OPENING_CLASSES, SimulationModel, build_model
from jhmatch.simulate.scaling import to_table
from jhmatch.simulate.scenario import JOB_GROUPS, SimulationScenario
from jhmatch.taxonomy import REGIONS

__all__ = ["BATCH", "FLOWS", "YearRates", "run_replication", "simulate"]

FLOWS = ("start", "new_holders", "graduates", "youth", "lost", "opened", "welfare_opened", "placed", "died",
         "moved", "emp_num", "emp_den", "grad_num", "grad_den", "retired", "end", "emp_start", "emp_in", "emp_out",
         "emp_end", "placed_again")
"""What is counted per year and county (``opened``/``welfare_opened``: places, by the post's county).

The employment account: ``emp_start`` persons with a job on 1 January, ``emp_in`` entrants who
come with a job, ``placed`` and ``lost``, ``emp_out`` persons with a job who die, move or retire,
``emp_end`` persons with a job at the end of the year; ``emp_end = emp_start + emp_in + placed −
lost − emp_out`` in every replication, year and county (tested). ``placed_again``: the part of
``placed`` of persons the simulation had placed in an earlier year (their job ended since)."""
BATCH = 5
"""Replications per task sent to the executor (fixed, so results never depend on the executor)."""
EXISTING = -2  # job held at the start (or on entry), outside the posts table
_F = {name: i for i, name in enumerate(FLOWS)}
_NC = len(REGIONS) + 1  # the counties, then "county unknown" (persons and posts without a county)


class YearRates:
    """The scenario's numbers as the replication uses them (small, picklable)."""

    def __init__(self, scenario: SimulationScenario, model: SimulationModel):
        n0 = model.n_start
        self.inflow = np.array([scenario.rate(r) * n0 for r in ("new_holders_rate", "graduates_rate", "youth_rate")])
        self.loss = np.array([scenario.rate("job_loss")[g] for g in JOB_GROUPS])
        self.fit_effect = float(scenario.rate("fit_effect"))
        self.places = to_table(np.array([scenario.rate(c) for c in OPENING_CLASSES]), model.scale)
        self.death, self.move = float(scenario.rate("death_rate")), float(scenario.rate("move_rate"))
        self.retirement = scenario.retirement
        self.count_start_posts = scenario.count_start_posts


def _count(out: np.ndarray, t: int, flow: str, county: np.ndarray, weights: Any = None) -> None:
    out[t, :, _F[flow]] += np.bincount(county, weights=weights, minlength=_NC).astype(np.int64)


def run_replication(model: SimulationModel, rates: YearRates,
                    seed: np.random.SeedSequence) -> tuple[np.ndarray, np.ndarray, int]:
    """One replication: counts ``(years, counties, len(FLOWS))``, the objective of each year, pool shortfall.

    Examples
    --------
    >>> from jhmatch.datasets import make_jinhua
    >>> city = make_jinhua(n_persons=150, seed=2)
    >>> s = SimulationScenario(end_year=2023)
    >>> m = build_model(city.persons, city.posts, s)
    >>> counts, objective, short = run_replication(m, YearRates(s, m), np.random.SeedSequence(0))
    >>> counts.shape, objective.shape, short
    ((2, 10, 21), (2,), 0)
    """
    # one stream per kind of draw (pool orders, each inflow, job losses, each opening class, exits): a rate
    # changed in a sensitivity run changes only its own draws (common random numbers for everything else)
    rng, *streams = (np.random.default_rng(np.random.SeedSequence(seed.entropy, spawn_key=(*seed.spawn_key, i)))
                     for i in range(9))  # derived without spawning: the same seed object gives the same draws
    r_in, r_loss, r_open, r_exit = streams[0:3], streams[3], streams[4:7], streams[7]
    n, m, h = model.n_persons, model.capacity.size, len(model.years)
    ar = np.arange(n)
    pc, qc = model.person_county, model.post_county
    out = np.zeros((h, _NC, len(FLOWS)), dtype=np.int64)
    objective = np.zeros(h)
    active = np.zeros(n, bool)
    active[:model.n_start] = True
    if rates.retirement and model.past_age is not None:  # past the working age on 1 January: not in the start
        active[:model.n_start] &= ~model.past_age
    entry = np.zeros(n, np.int64)
    job = np.where(model.employed, EXISTING, -1)
    fit = np.full(n, 0.5)
    ever_placed = np.zeros(n, bool)
    willing = model.willing.copy()
    grad_year = np.where(model.graduate & (model.pool_type < 0), 0, -1)
    is_open = np.zeros(m, bool)
    is_open[:model.n_start_posts] = True
    cap = model.capacity.copy()
    used = np.zeros(m, np.int64)
    orders = [rng.permutation(np.flatnonzero(model.pool_type == k)) for k in range(3)]
    pool_posts = np.arange(m) >= model.n_start_posts
    post_orders = [rng.permutation(np.flatnonzero(pool_posts & (model.post_class == c))) for c in range(3)]
    taken, opened_n, short = [0, 0, 0], [0, 0, 0], 0

    def free(mask: np.ndarray) -> None:
        seats = job[mask]
        used[:] -= np.bincount(seats[seats >= 0], minlength=m)

    for t in range(h):
        _count(out, t, "start", pc[active])
        _count(out, t, "emp_start", pc[active & (job != -1)])
        for k, flow in enumerate(("new_holders", "graduates", "youth")):  # 1. inflows
            want = int(r_in[k].poisson(rates.inflow[k]))
            take = orders[k][taken[k]:taken[k] + want]
            taken[k] += take.size
            short += want - take.size
            active[take], entry[take] = True, t
            if k == 1:
                grad_year[take] = t
            _count(out, t, flow, pc[take])
            _count(out, t, "emp_in", pc[take[job[take] != -1]])
        held = active & (job != -1)  # 2. job losses
        group = np.where(job >= 0, model.post_group[np.maximum(job, 0)], 0)
        p_loss = np.clip(rates.loss[group] * (1 + rates.fit_effect * (1 - 2 * fit)), 0.0, 1.0)
        lost = held & (r_loss.random(n) < p_loss)
        free(lost)
        job[lost], willing[lost] = -1, True
        _count(out, t, "lost", pc[lost])
        if t == 0 and rates.count_start_posts:  # 3. posts opened (the starting welfare posts count in year one)
            first = np.flatnonzero(~pool_posts & model.post_welfare)
            _count(out, t, "welfare_opened", qc[first], cap[first])
        for c in range(3):
            want = int(r_open[c].poisson(rates.places[c]))
            order = post_orders[c][opened_n[c]:]
            if want == 0 or order.size == 0:
                short += want if order.size == 0 else 0
                continue
            cum = np.cumsum(cap[order])
            k_posts = min(int(np.searchsorted(cum, want)) + 1, order.size)
            chosen = order[:k_posts]
            if cum[k_posts - 1] > want:
                cap[chosen[-1]] -= int(cum[k_posts - 1] - want)
            short += max(0, want - int(cum[k_posts - 1]))
            is_open[chosen] = True
            opened_n[c] += k_posts
            _count(out, t, "opened", qc[chosen], cap[chosen])
            wel = chosen[model.post_welfare[chosen]]
            _count(out, t, "welfare_opened", qc[wel], cap[wel])
        seek = active & willing & (job == -1)  # 4. allocation (not persons who reach retirement age this year)
        if rates.retirement:
            seek &= ~model.retired[t, entry, ar]
        free_places = cap - used
        pick = seek[model.pair_person] & (is_open & (free_places > 0))[model.pair_post]
        if pick.any():
            pp, pq, ps = model.pair_person[pick], model.pair_post[pick], model.pair_score[pick]
            rows, r_idx = np.unique(pp, return_inverse=True)
            cols, c_idx = np.unique(pq, return_inverse=True)
            value = (model.weight[pp] + model.graduate_bonus * (grad_year[pp] == t)) * ps
            chosen, objective[t], _ = max_value_assignment(r_idx, c_idx, value, free_places[cols],
                                                           np.arange(pp.size), rows.size)
            who, where = pp[chosen], pq[chosen]
            job[who], fit[who] = where, ps[chosen]
            used += np.bincount(where, minlength=m)
            _count(out, t, "placed", pc[who])
            _count(out, t, "placed_again", pc[who[ever_placed[who]]])
            ever_placed[who] = True
        u_exit = r_exit.random((2, n))
        died = active & (u_exit[0] < rates.death)  # 5. exits, measures, retirement
        moved = active & ~died & (u_exit[1] < rates.move)
        gone = died | moved
        _count(out, t, "emp_out", pc[gone & (job != -1)])
        free(gone)
        job[gone] = -1
        active &= ~gone
        _count(out, t, "died", pc[died])
        _count(out, t, "moved", pc[moved])
        wa = active & model.working_age[t, entry, ar]
        employed = job != -1
        _count(out, t, "emp_num", pc[wa & employed])
        _count(out, t, "emp_den", pc[wa])
        grads = active & willing & (grad_year == t)
        _count(out, t, "grad_num", pc[grads & employed])
        _count(out, t, "grad_den", pc[grads])
        if rates.retirement:
            retired = active & model.retired[t, entry, ar]
            _count(out, t, "emp_out", pc[retired & (job != -1)])
            free(retired)
            job[retired] = -1
            active &= ~retired
            _count(out, t, "retired", pc[retired])
        _count(out, t, "end", pc[active])
        _count(out, t, "emp_end", pc[active & (job != -1)])
    return out, objective, short


class _Batch:
    """Runs a batch of replications (module level, so process executors can pickle it)."""

    def __init__(self, model: SimulationModel, rates: YearRates):
        self.model, self.rates = model, rates

    def __call__(self, seeds: Sequence[np.random.SeedSequence]) -> tuple[np.ndarray, np.ndarray, int]:
        runs = [run_replication(self.model, self.rates, s) for s in seeds]
        return (np.stack([r[0] for r in runs]), np.stack([r[1] for r in runs]), sum(r[2] for r in runs))


def run_batches(model: SimulationModel, scenario: SimulationScenario, replications: int, seed: int,
                executor: Any = None, client: Any = None) -> tuple[np.ndarray, np.ndarray, int]:
    """Every replication of ``scenario`` on ``model``: counts ``(R, years, counties, flows)``, objectives, shortfall.

    Replication ``i`` uses the ``i``-th child of ``SeedSequence(seed)``, whatever runs it.
    """
    replications = positive_int("replications", replications)
    children = np.random.SeedSequence([int(seed), 29]).spawn(replications)
    batches = [children[i:i + BATCH] for i in range(0, replications, BATCH)]
    work = _Batch(model, YearRates(scenario, model))
    runner = resolve_executor(executor, client)
    parts = list(runner.map(work, batches)) if runner is not None else [work(b) for b in batches]
    return (np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]),
            int(sum(p[2] for p in parts)))


def simulate(persons: pd.DataFrame, posts: pd.DataFrame, scenario: SimulationScenario | None = None, *,
             replications: int = 100, seed: int = 0, executor: Any = None, client: Any = None,
             scorer: Any = None, model: SimulationModel | None = None) -> Any:
    """Simulate the plan's years: inflows, exits, job losses, posts opened and each year's allocation.

    Parameters
    ----------
    persons : DataFrame
        The register of certificate holders at the start (persons schema): everyone, employed
        or not, as the employment rate needs.
    posts : DataFrame
        Posts open at the start (posts schema).
    scenario : SimulationScenario, optional
        Years and rates (default :class:`SimulationScenario()`: 2022-2025, the documented rates).
    replications : int, default 100
        Monte Carlo replications.
    seed : int, default 0
        Seeds the pools and every replication (``numpy.random.SeedSequence``).
    executor : executor, optional
        Where batches of replications run (:mod:`jhmatch.executor`: a ``concurrent.futures``
        executor, ``jhmatch.distributed.DaskExecutor``...); results are identical to the serial run.
        Default: the executor of ``jhmatch.executor.use_executor`` / ``jhmatch.distributed.use_client``,
        else in this process.
    client : distributed.Client, optional
        Run the batches on this Dask cluster (adapted by :mod:`jhmatch.distributed`; extra ``dask``).
    scorer : CompatibilityScorer, optional
        Default ``CompatibilityScorer(as_of=f"{start_year}-12-31")``.
    model : SimulationModel, optional
        A model already built for these tables and years (:func:`build_model`), e.g. for a
        sensitivity analysis; ``persons``/``posts`` are then not read again.

    Returns
    -------
    SimulationResult

    Examples
    --------
    >>> from jhmatch.datasets import make_jinhua
    >>> city = make_jinhua(n_persons=200, seed=3)
    >>> r = simulate(city.persons, city.posts, SimulationScenario(end_year=2023), replications=4)
    >>> r.counts.shape
    (4, 2, 10, 21)
    >>> sorted(r.targets()["target"].unique())
    ['employment_rate', 'graduate_rate', 'new_jobs', 'welfare_posts']
    """
    from jhmatch.simulate.result import SimulationResult

    scenario = scenario or SimulationScenario()
    replications = positive_int("replications", replications)
    model = model or build_model(persons, posts, scenario, seed=seed, scorer=scorer)
    if model.years != scenario.years:
        from jhmatch.errors import ParameterError

        raise ParameterError(f"model: built for the years {model.years[0]}-{model.years[-1]}, the scenario has "
                             f"{scenario.start_year}-{scenario.end_year}")
    counts, objective, short = run_batches(model, scenario, replications, seed, executor, client)
    return SimulationResult(scenario, counts, objective, model.scale, short, seed, model.start)
