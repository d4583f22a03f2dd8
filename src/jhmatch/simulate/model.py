"""Everything the replications share, computed once: the pools of future persons and posts, the scores, the ages.

:func:`build_model` draws three pools of future entrants with
:func:`jhmatch.datasets.make_jinhua` (new certificate holders with the scenario's category
and grade shares; graduating students — persons with post-secondary education, 22 at the
start; persons reaching working age — 16 at the start) and a pool of posts to open, then
scores every person who may ever seek work against every post that may ever open **once**
(:class:`~jhmatch.matching.CompatibilityScorer`, sparse candidate set). A replication only
selects rows and columns of that candidate set; nobody is rescored.

Ages: an entrant who enters ``e`` years after the start is the pool person ``e`` years later
(birth date shifted by ``e`` years), so they enter at the age drawn. Working age and the
retirement exit on 31 December of every year, for every possible entry year, come from the
one home of the working-age rule, :func:`jhmatch.policy.retirement.working_age_arrays`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.data import ensure_valid
from jhmatch.datasets import make_jinhua
from jhmatch.errors import ParameterError
from jhmatch.optimize import PriorityWeights
from jhmatch.policy.parameters import PolicyParameters
from jhmatch.policy.retirement import working_age_arrays
from jhmatch.policy.workingage import working_age
from jhmatch.simulate.scaling import table_scale, to_table
from jhmatch.simulate.scenario import JOB_GROUPS, OPENING_GROUPS, SimulationScenario, kind_groups
from jhmatch.taxonomy import REGIONS, post_kinds

__all__ = ["POOL_HEADROOM", "UNKNOWN_COUNTY", "SimulationModel", "build_model", "pool_sizes", "posts_with_places",
           "working_age_persons"]

POOL_HEADROOM = 1.6
"""Pools hold the entrants and posts of rates up to this multiple of the scenario's (the
sensitivity's high values are 1.5 times), plus five standard deviations of the draws."""

OPENING_CLASSES = ("welfare_places", "reserved_places", "quota_places")
"""The three yearly opening rates, in the order of :attr:`SimulationModel.post_class`."""
POOL_TYPES = ("new_holders", "graduates", "youth")
GRADUATE_AGE, YOUTH_AGE = 22, 16


@dataclass(frozen=True, eq=False)
class SimulationModel:
    """Arrays shared by every replication (picklable; sent once per batch to an executor).

    Persons are the starting register (``0 … n_start-1``) followed by the pools; posts are the
    starting posts (``0 … n_start_posts-1``) followed by the pool of posts.

    Attributes
    ----------
    years : tuple of int
    n_start, n_start_posts : int
    person_county, post_county : ndarray of int
        Index into :data:`jhmatch.taxonomy.REGIONS`; :data:`UNKNOWN_COUNTY` (the last) without a county.
    pool_type : ndarray of int
        -1 for the starting register, else the index in :data:`POOL_TYPES`.
    willing, employed, graduate : ndarray of bool
        As in the tables (``graduate``: graduating in the first year, or on entry).
    weight : ndarray of float
        Priority weight without the graduate bonus (:class:`~jhmatch.optimize.PriorityWeights`).
    graduate_bonus : float
    capacity, post_class, post_group, post_welfare
        Posts: places, opening class (index in :data:`OPENING_CLASSES`), job group (index in
        :data:`~jhmatch.simulate.scenario.JOB_GROUPS`), whether a welfare post.
    pair_person, pair_post, pair_score : ndarray
        The candidate set (every person who may seek × every post that may open).
    working_age, retired : ndarray of bool, shape (years, years, persons)
        ``[t, e, i]``: person ``i``, entered in year ``e``, is of working age / past the retirement
        age on 31 December of year ``t``.
    scale : float
        Working-age persons of the table ÷ the city's working-age certificate holders
        (:mod:`jhmatch.simulate.scaling`, the one scaling rule).
    scores : ScoreMatrix
        The scores (for inspection and tests).
    start : StartCheck
        The starting tables against the scenario (:func:`jhmatch.simulate.register.start_check`),
        after the scenario's start options.
    past_age : ndarray of bool, shape (n_start,)
        Persons of the register already past their retirement age on 1 January of the first year
        (on 31 December before it): not of working age at the start, left out of the simulation
        when retirement is modelled (not retired in the first year).
    """

    years: tuple[int, ...]
    n_start: int
    n_start_posts: int
    person_county: np.ndarray
    post_county: np.ndarray
    pool_type: np.ndarray
    willing: np.ndarray
    employed: np.ndarray
    graduate: np.ndarray
    weight: np.ndarray
    graduate_bonus: float
    capacity: np.ndarray
    post_class: np.ndarray
    post_group: np.ndarray
    post_welfare: np.ndarray
    pair_person: np.ndarray
    pair_post: np.ndarray
    pair_score: np.ndarray
    working_age: np.ndarray
    retired: np.ndarray
    scale: float
    scores: Any = None
    start: Any = None
    past_age: Any = None

    @property
    def n_persons(self) -> int:
        """Persons of the register and the pools."""
        return int(self.person_county.size)


def pool_sizes(scenario: SimulationScenario, n_start: int, scale: float) -> dict[str, int]:
    """Pool sizes: entrants of each type and places of each opening class the replications may need.

    Examples
    --------
    >>> sizes = pool_sizes(SimulationScenario(), 2000, 0.036)
    >>> sizes["new_holders"] > 4 * 0.03 * 2000, sizes["welfare_places"] > 0
    (True, True)
    """
    years = len(scenario.years)

    def enough(mean: float) -> int:
        mean = mean * POOL_HEADROOM
        return 0 if mean <= 0 else math.ceil(mean + 5 * math.sqrt(mean) + 5)

    out = {t: enough(scenario.rate(r) * n_start * years)
           for t, r in zip(POOL_TYPES, ("new_holders_rate", "graduates_rate", "youth_rate"))}
    for c in OPENING_CLASSES:  # places per year x scale
        out[c] = enough(to_table(scenario.rate(c), scale) * years)
    return out


UNKNOWN_COUNTY = len(REGIONS)
"""County index of persons and posts without a (known) county: the "county unknown" group, last."""


def _region_index(frame: pd.DataFrame) -> np.ndarray:
    """Index into :data:`~jhmatch.taxonomy.REGIONS`; :data:`UNKNOWN_COUNTY` where the county is missing or unknown."""
    if "county" not in frame.columns:
        return np.full(len(frame), UNKNOWN_COUNTY, dtype=np.int64)
    order = {r.code: i for i, r in enumerate(REGIONS)}
    idx = frame["county"].astype("object").map(order)
    return idx.fillna(UNKNOWN_COUNTY).to_numpy(dtype=np.int64)


def _birth_dates(frame: pd.DataFrame, year: int) -> pd.Series:
    """Birth dates; where only an age is known, the date that makes the person age + ½ on 31 December of ``year``."""
    birth = pd.to_datetime(frame["birth_date"]) if "birth_date" in frame.columns else \
        pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    age = pd.to_numeric(frame["age"], errors="coerce") if "age" in frame.columns else \
        pd.Series(np.nan, index=frame.index)
    approx = pd.to_datetime({"year": (year - age - 1).fillna(1900).astype(int), "month": 7, "day": 1})
    return birth.where(birth.notna(), approx.where(age.notna()))


def _working_age_tables(birth: pd.Series, sex: pd.Series, years: tuple[int, ...],
                        shiftable: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    h, n = len(years), len(birth)
    wa = np.zeros((h, h, n), dtype=bool)
    ret = np.zeros((h, h, n), dtype=bool)
    for e in range(h):
        shifted = birth.where(~shiftable, birth + pd.DateOffset(years=e)) if e else birth
        for t in range(e, h):
            y = years[t]
            p = PolicyParameters.for_year(min(max(y, 2022), 2027)).require(
                "working_age", "working_age_min", "retirement_age_male", "retirement_age_female")
            r = working_age_arrays(shifted, [None] * n, sex, dt.date(y, 12, 31), p.working_age_min,
                                   p.retirement_age_male, p.retirement_age_female)
            wa[t, e] = r["working_age"]
            with np.errstate(invalid="ignore"):
                ret[t, e] = r["known"] & (r["age_months"] >= r["retire_months"])
    return wa, ret


def _pool(kind: str, n: int, seed: int, scenario: SimulationScenario) -> pd.DataFrame:
    """``n`` entrants of one type from a synthetic city (ids prefixed, attributes of the type)."""
    start = scenario.start_year
    as_of = f"{start}-12-31"
    if kind == "new_holders":
        city = make_jinhua(n_persons=max(n, 1), n_posts=25, seed=seed, as_of=as_of,
                           category_shares=dict(scenario.rate("holder_categories")),
                           grade_shares=dict(scenario.rate("holder_grades")), coordinates=True)
        frame = city.persons.iloc[:n].copy()
    else:
        share = 0.13 if kind == "graduates" else 1.0  # persons with post-secondary education in the synthetic city
        city = make_jinhua(n_persons=max(int(n / share * 1.3) + 30, 30), n_posts=25, seed=seed, as_of=as_of)
        frame = city.persons
        if kind == "graduates":
            frame = frame[frame["education"].to_numpy(dtype=float, na_value=0) >= 4]
        frame = frame.iloc[:n].copy()
        age = GRADUATE_AGE if kind == "graduates" else YOUTH_AGE
        frame["birth_date"] = pd.Timestamp(start - age, 7, 1)
        frame["age"] = pd.array([age] * len(frame), dtype="Int64")
        frame["graduate"] = kind == "graduates"
        frame["employed"] = False
        if kind == "youth":
            frame["education"] = frame["education"].clip(upper=2)
    if len(frame) < n:  # pragma: no cover - the pool city is sized for n
        raise ParameterError(f"could not draw {n} {kind} for the simulation pool")
    frame["person_id"] = f"F{POOL_TYPES.index(kind)}-" + frame["person_id"].astype(str)
    frame["household_id"] = None
    frame.attrs = dict(city.persons.attrs)
    return frame


def posts_with_places(places: dict[str, int], seed: int, start_year: int, prefix: str = "Q") -> pd.DataFrame:
    """Synthetic posts with exactly ``places[class]`` places of each opening class (:data:`OPENING_CLASSES`).

    Posts of the class's kinds are drawn with :func:`~jhmatch.datasets.make_jinhua` and taken
    in order until the places are reached; the last post keeps only the places still needed.
    Ids are ``{prefix}{class index}-…``.

    Examples
    --------
    >>> q = posts_with_places({"welfare_places": 7, "quota_places": 30}, 0, 2022)
    >>> int(q["capacity"].sum())
    37
    """
    groups = kind_groups()
    frames = []
    for i, cls in enumerate(OPENING_CLASSES):
        n = int(places.get(cls, 0))
        if n <= 0:
            continue
        kinds = {k.code: 1.0 for k in post_kinds() if OPENING_GROUPS.get(groups[k.code], "quota_places") == cls}
        city = make_jinhua(n_persons=50, n_posts=n + 25, seed=seed + i, as_of=f"{start_year}-12-31",
                           kind_shares=kinds)
        q = city.posts[city.posts["kind"].isin(list(kinds))]
        cum = q["capacity"].to_numpy(dtype=np.int64).cumsum()
        k = min(int(np.searchsorted(cum, n)) + 1, len(q))
        q = q.iloc[:k].copy()
        q.iloc[-1, q.columns.get_loc("capacity")] = int(q["capacity"].iloc[-1]) - max(0, int(cum[k - 1]) - n)
        q["post_id"] = f"{prefix}{i}-" + q["post_id"].astype(str)
        q["site_id"] = None
        q.attrs = dict(city.posts.attrs)
        frames.append(q)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def working_age_persons(persons: pd.DataFrame, scenario: SimulationScenario) -> int:
    """Persons of the table of working age on 31 December of the start year (the numerator of the scale).

    Examples
    --------
    >>> from jhmatch.datasets import make_jinhua
    >>> 0 < working_age_persons(make_jinhua(n_persons=100, seed=1).persons, SimulationScenario()) <= 100
    True
    """
    start = ensure_valid(persons, "persons")
    birth0 = _birth_dates(start, scenario.start_year)
    wa0, _ = _working_age_tables(birth0, start["sex"], scenario.years[:1], np.zeros(len(start), bool))
    return int(wa0[0, 0].sum())


def build_model(persons: pd.DataFrame, posts: pd.DataFrame, scenario: SimulationScenario, *, seed: int = 0,
                scorer: Any = None) -> SimulationModel:
    """Pools, scores and age tables for ``simulate`` (see the module docstring).

    Parameters
    ----------
    persons, posts : DataFrame
        The register of certificate holders and the posts open at the start (raw or validated).
    scenario : SimulationScenario
    seed : int
        Seed of the pools (:func:`~jhmatch.datasets.make_jinhua` seeds derived from it).
    scorer : CompatibilityScorer, optional
        Default ``CompatibilityScorer(as_of=f"{start_year}-12-31")``.

    Examples
    --------
    >>> from jhmatch.datasets import make_jinhua
    >>> city = make_jinhua(n_persons=200, seed=1)
    >>> m = build_model(city.persons, city.posts, SimulationScenario(end_year=2023))
    >>> m.n_start, m.working_age.shape[:2]
    (200, (2, 2))
    """
    from jhmatch.matching import CompatibilityScorer
    from jhmatch.simulate.register import adapt_start, start_check

    start = ensure_valid(persons, "persons")
    start = start.sort_values("person_id", kind="stable", ignore_index=True)
    qstart = ensure_valid(posts, "posts").sort_values("post_id", kind="stable", ignore_index=True)
    adapted = scenario.start_employed_share is not None or scenario.start_open_years is not None
    if adapted:
        start, qstart = adapt_start(start, qstart, scenario, employed_share=scenario.start_employed_share,
                                    open_years=scenario.start_open_years, seed=seed)
    check = start_check(start, qstart, scenario, adapted=adapted)
    years = scenario.years
    # the one home of the working-age rule checks the ages and sexes it needs (typed errors naming the rows)
    working_age(start, dt.date(min(max(scenario.start_year, 2022), 2027), 12, 31))
    scale = table_scale(working_age_persons(start, scenario), scenario.rate("city_holders"))
    sizes = pool_sizes(scenario, len(start), scale)
    seeds = np.random.SeedSequence([int(seed), 17]).generate_state(len(POOL_TYPES) + 1)
    pools = [(i, _pool(kind, sizes[kind], int(s), scenario))
             for i, (kind, s) in enumerate(zip(POOL_TYPES, seeds)) if sizes[kind]]
    everyone = pd.concat([start, *(p for _, p in pools)], ignore_index=True) if pools else start
    everyone.attrs = dict(start.attrs)
    pool_type = np.concatenate([np.full(len(start), -1, dtype=np.int64)]
                               + [np.full(len(p), i, dtype=np.int64) for i, p in pools])
    qpool = posts_with_places(sizes, int(seeds[-1]), scenario.start_year)
    allposts = pd.concat([qstart, qpool], ignore_index=True) if len(qpool) else qstart
    allposts.attrs = dict(qstart.attrs)

    birth = _birth_dates(everyone, scenario.start_year)
    wa, ret = _working_age_tables(birth, everyone["sex"], years, pool_type >= 0)
    n0 = len(start)
    _wa_before, ret_before = _working_age_tables(birth.iloc[:n0], everyone["sex"].iloc[:n0],
                                                 (scenario.start_year - 1,), np.zeros(n0, bool))
    past_age = ret_before[0, 0]
    if scenario.retirement:
        check = dataclasses.replace(check, past_working_age=int(past_age.sum()))
    willing = everyone["willing"].to_numpy(dtype=bool)
    employed = everyone["employed"].to_numpy(dtype=bool)
    seekable = willing | employed
    scorer = scorer or CompatibilityScorer(as_of=f"{scenario.start_year}-12-31")
    scores = scorer.score(everyone[seekable], allposts)
    row_of = pd.Index(everyone["person_id"].astype("object")).get_indexer(pd.Index(scores.person_ids))
    col_of = pd.Index(allposts["post_id"].astype("object")).get_indexer(pd.Index(scores.post_ids))
    r, c, v = scores.pairs()
    priority = PriorityWeights()
    groups = kind_groups()
    kinds = allposts["kind"].astype("object")
    group = kinds.map(lambda k: groups.get(k, "enterprise"))
    group = group.where(group.isin(JOB_GROUPS), "enterprise")  # a kind registered with a group of its own
    cls = group.map(lambda g: OPENING_CLASSES.index(OPENING_GROUPS.get(g, "quota_places")))
    welfare = {k.code for k in post_kinds() if k.welfare}
    return SimulationModel(
        years=years, n_start=len(start), n_start_posts=len(qstart),
        person_county=_region_index(everyone), post_county=_region_index(allposts),
        pool_type=pool_type, willing=willing, employed=employed,
        graduate=everyone["graduate"].astype("boolean").fillna(False).to_numpy(dtype=bool),
        weight=priority.of(everyone.assign(graduate=False)), graduate_bonus=float(priority.graduate),
        capacity=allposts["capacity"].to_numpy(dtype=np.int64),
        post_class=cls.to_numpy(dtype=np.int64), post_group=group.map(JOB_GROUPS.index).to_numpy(dtype=np.int64),
        post_welfare=kinds.isin(list(welfare)).to_numpy(dtype=bool),
        pair_person=row_of[r].astype(np.int64), pair_post=col_of[c].astype(np.int64),
        pair_score=np.asarray(v, dtype=float), working_age=wa, retired=ret, scale=float(scale), scores=scores,
        start=check, past_age=past_age)
