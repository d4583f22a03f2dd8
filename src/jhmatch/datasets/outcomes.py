"""The hidden ground-truth outcome model: which placements last six months.

This is the simulated world's truth for research benchmarks. It is defined here,
independently of every scorer jhmatch ships (no code or table is shared with
:mod:`jhmatch.matching`), so that scorers can be evaluated against it and learned
scorers trained on the placement history it produces. All coefficients and
profiles are ASSUMPTIONS of the synthetic world, chosen to be plausible.

The model
---------
For a pair (person *i*, post *j*) the probability that *i* is still employed in *j*
six months after placement is ``p = 1 / (1 + exp(-z))`` with

``z = 1.8``
    baseline (a compatible, average pair keeps the job with probability ≈ 0.75–0.85)
``- 2.5 · Σ_d s_d - 4.0 · max_d s_d``
    functional shortfall ``s_d = max(0, demand_jd - capacity_id)`` over the eight
    functional dimensions. The true capacity comes from the category (the
    components of a multiple disability), grade and affected limbs
    (:func:`jhmatch.datasets._truth.true_capacity`), replaced by the person's
    ``cap_*`` where assessed; the true demand comes from the post kind
    (:data:`~jhmatch.datasets._truth.KIND_DEMANDS`), replaced by ``dem_*`` where
    given, then relieved by each offered accommodation and by remote work
    (:data:`~jhmatch.datasets._truth.ACCOMMODATION_RELIEF`).
``+ 1.0 · skill``
    skill match: the person's skills and the post's occupation and required skills
    are mapped to CSCO 2022 occupations (names and aliases); 1 for a shared
    occupation, 0.6 for a shared unit group (``X-XX-XX``), 0.3 for a shared minor
    group (``X-XX``), else 0.
``+ 0.6 · preferred - 0.3 · other_preferred``
    the post's kind is among the person's preferred kinds / the person named other
    kinds only.
``- 0.35 · ln(1 + km / 5) · (2 - capacity_mobility)``
    commute: great-circle distance between person and post (county-box centres
    when coordinates are missing); 0 for remote posts.
``- 1.2 · [remote post and person does not accept remote work]``
``- 0.5 · education levels below the post's minimum``
``- 0.8 · [age outside the post's min_age … max_age]``
``+ 0.5 · clip(ln(wage / county minimum wage), -0.5, 0.7)``
``- 1.5 · [person not willing to work]``
``+ u_i + v_e + w_ij``
    unobserved effects: a person effect ``u ~ N(0, 0.5²)``, an employer (or, without
    an employer, post) effect ``v ~ N(0, 0.4²)`` and a pair effect
    ``w ~ N(0, 0.3²)``.

The outcome is ``success = U_ij < p``. The random effects and ``U_ij`` are derived by
hashing the ids with the seed, so each pair's probability and outcome depend only on
the pair, its two rows and the seed — not on which other pairs are simulated or in
what order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import expit, ndtri

from jhmatch.datasets._truth import (
    DIMS,
    _code_sets,
    _coords,
    _hash,
    _km,
    _mix,
    _num,
    _overlap,
    _uniform,
    _validated,
    true_capacity,
    true_demand,
)
from jhmatch.datasets.constants import MINIMUM_WAGE
from jhmatch.errors import ParameterError
from jhmatch.taxonomy import post_kinds

__all__ = ["Outcomes", "simulate_history", "simulate_outcomes"]

BASELINE = 1.8
COEF = {"shortfall_sum": 2.5, "shortfall_max": 4.0, "skill": 1.0, "preferred": 0.6, "other_preferred": 0.3,
        "commute": 0.35, "remote_refused": 1.2, "education_gap": 0.5, "age_limit": 0.8, "wage": 0.5,
        "unwilling": 1.5}
"""Coefficients of the latent score (see the module docstring)."""
SD = {"person": 0.5, "employer": 0.4, "pair": 0.3}
"""Standard deviations of the unobserved effects."""


@dataclass(frozen=True, repr=False)
class Outcomes:
    """Simulated outcomes of a set of placements.

    Attributes
    ----------
    table : DataFrame
        One row per input pair, in input order: ``person_id``, ``post_id``,
        ``probability`` (of still being employed after six months) and ``success``
        (the sampled outcome, bool).
    seed : int
        Seed of the hidden effects and draws.

    Examples
    --------
    >>> out = Outcomes(pd.DataFrame({"person_id": ["p1"], "post_id": ["j1"], "probability": [0.8],
    ...                              "success": [True]}), seed=0)
    >>> out
    Outcomes(pairs=1, success_rate=1.000, seed=0)
    """

    table: pd.DataFrame
    seed: int

    @property
    def probability(self) -> np.ndarray:
        """Success probabilities as a float array."""
        return self.table["probability"].to_numpy()

    @property
    def success(self) -> np.ndarray:
        """Sampled outcomes as a bool array."""
        return self.table["success"].to_numpy()

    @property
    def success_rate(self) -> float:
        """Share of successful placements (NaN when there are none)."""
        return float(self.success.mean()) if len(self.table) else float("nan")

    def __repr__(self) -> str:
        return f"Outcomes(pairs={len(self.table)}, success_rate={self.success_rate:.3f}, seed={self.seed})"


# ----------------------------------------------------------------------------- the model

def _latent(persons: pd.DataFrame, posts: pd.DataFrame, pi: np.ndarray, qj: np.ndarray, seed: int
            ) -> tuple[np.ndarray, np.ndarray]:
    """Latent score ``z`` of each pair (rows ``pi`` of persons, ``qj`` of posts) and its hash."""
    cap = true_capacity(persons["category"].to_numpy(dtype=object),
                        persons["grade"].fillna(3).to_numpy(dtype=np.int64),
                        persons["limbs"].fillna("unknown").to_numpy(dtype=object),
                        persons["components"].fillna("").to_numpy(dtype=object))
    assessed = np.column_stack([_num(persons, f"cap_{d}") for d in DIMS])
    cap = np.where(np.isnan(assessed), cap, assessed)
    kinds = posts["kind"].to_numpy(dtype=object)
    remote = posts["remote"].fillna(False).to_numpy(dtype=bool)
    dem = true_demand(kinds, posts["accommodations"].fillna("").to_numpy(dtype=object), remote,
                      np.column_stack([_num(posts, f"dem_{d}") for d in DIMS]))
    short = np.maximum(dem[qj] - cap[pi], 0.0)
    z = BASELINE - COEF["shortfall_sum"] * short.sum(axis=1) - COEF["shortfall_max"] * short.max(axis=1)
    # skills: shared occupation, unit group or minor group
    first_code = {k.code: k.csco[0] for k in post_kinds()}
    occ = posts["occupation"].astype("object").fillna(posts["kind"].astype("object").map(first_code)).to_numpy(dtype=object)
    left, right = _code_sets(persons["skills"]), _code_sets(posts["required_skills"], occ)
    n_p, n_q = len(persons), len(posts)
    skill = np.select([_overlap(left, right, n_p, n_q, pi, qj, w) for w in (10, 7, 4)], [1.0, 0.6, 0.3], 0.0)
    z += COEF["skill"] * skill
    # preferences
    pref = persons["preferred_kinds"].fillna("").astype(str).str.split(";").explode()
    pref = pref[pref != ""]
    codes = pd.Index(pd.unique(np.concatenate([pref.to_numpy(dtype=object), kinds])))
    keys = pref.index.to_numpy(np.int64) * len(codes) + codes.get_indexer(pref.to_numpy(dtype=object))
    preferred = np.isin(pi.astype(np.int64) * len(codes) + codes.get_indexer(kinds)[qj], keys)
    has_pref = np.bincount(pref.index.to_numpy(np.int64), minlength=n_p)[pi] > 0
    z += COEF["preferred"] * preferred - COEF["other_preferred"] * (has_pref & ~preferred)
    # commute and remote work
    plat, plon = _coords(persons)
    qlat, qlon = _coords(posts)
    km = np.nan_to_num(_km(plat[pi], plon[pi], qlat[qj], qlon[qj]), nan=30.0)
    commute = np.log1p(km / 5.0) * (2.0 - cap[pi, DIMS.index("mobility")])
    z -= COEF["commute"] * np.where(remote[qj], 0.0, commute)
    remote_ok = persons["remote_ok"].fillna(True).to_numpy(dtype=bool)
    z -= COEF["remote_refused"] * (remote[qj] & ~remote_ok[pi])
    # education, age, wage, willingness
    edu = np.nan_to_num(_num(persons, "education"), nan=2.0)
    gap = np.nan_to_num(_num(posts, "min_education")[qj] - edu[pi], nan=0.0)
    z -= COEF["education_gap"] * np.maximum(gap, 0.0)
    age = _num(persons, "age")[pi]
    outside = (age < _num(posts, "min_age")[qj]) | (age > _num(posts, "max_age")[qj])
    z -= COEF["age_limit"] * outside
    minimum = posts["county"].astype("object").map(MINIMUM_WAGE).to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        wage = np.clip(np.log(_num(posts, "wage") / minimum), -0.5, 0.7)
    z += COEF["wage"] * np.nan_to_num(wage, nan=0.0)[qj]
    z -= COEF["unwilling"] * ~persons["willing"].fillna(True).to_numpy(dtype=bool)[pi]
    # unobserved effects
    pid = persons["person_id"].to_numpy(dtype=object)
    qid = posts["post_id"].to_numpy(dtype=object)
    emp = posts["employer_id"].astype("object").fillna("post:" + posts["post_id"].astype("object")).to_numpy(dtype=object)
    z += SD["person"] * ndtri(_uniform(_hash(pid, seed, "person")))[pi]
    z += SD["employer"] * ndtri(_uniform(_hash(emp, seed, "employer")))[qj]
    pair = _mix(_hash(pid, seed, "pair-person")[pi], _hash(qid, seed, "pair-post")[qj])
    z += SD["pair"] * ndtri(_uniform(pair))
    return z, pair


def simulate_outcomes(scenario_or_persons: Any, posts: pd.DataFrame | None = None,
                      pairs: pd.DataFrame | None = None, seed: int = 0) -> Outcomes:
    """Simulate whether placements succeed (still employed after six months).

    The hidden model is described in the module docstring of
    :mod:`jhmatch.datasets.outcomes`; it shares nothing with jhmatch's scorers.

    Parameters
    ----------
    scenario_or_persons : Scenario or DataFrame
        A :class:`~jhmatch.datasets.Scenario` (its persons and posts are used) or a
        persons table.
    posts : DataFrame, optional
        Posts table; required when a persons table is given.
    pairs : DataFrame
        Columns ``person_id`` and ``post_id``; repeated pairs are allowed.
    seed : int, default 0
        Seed of the unobserved effects and of the draws.

    Returns
    -------
    Outcomes

    Raises
    ------
    ParameterError
        Missing posts or pairs, missing pair columns, or ids not in the tables.

    Examples
    --------
    >>> from jhmatch.datasets import make_jinhua
    >>> s = make_jinhua(n_persons=300, seed=2)
    >>> pairs = pd.DataFrame({"person_id": s.persons["person_id"][:5], "post_id": s.posts["post_id"][:5]})
    >>> out = simulate_outcomes(s, pairs=pairs, seed=3)
    >>> len(out.table), bool(((out.probability > 0) & (out.probability < 1)).all())
    (5, True)
    """
    from jhmatch.datasets.jinhua import Scenario

    if isinstance(scenario_or_persons, Scenario):
        persons = scenario_or_persons.persons
        posts = scenario_or_persons.posts if posts is None else posts
    else:
        persons = scenario_or_persons
    if not isinstance(persons, pd.DataFrame) or not isinstance(posts, pd.DataFrame):
        raise ParameterError("simulate_outcomes needs a Scenario, or a persons and a posts DataFrame")
    if not isinstance(pairs, pd.DataFrame) or not {"person_id", "post_id"} <= set(pairs.columns):
        raise ParameterError("pairs must be a DataFrame with columns 'person_id' and 'post_id'")
    persons, posts = _validated(persons, "persons"), _validated(posts, "posts")
    p_idx = pd.Index(persons["person_id"].astype(str)).get_indexer(pairs["person_id"].astype(str))
    q_idx = pd.Index(posts["post_id"].astype(str)).get_indexer(pairs["post_id"].astype(str))
    for name, idx in (("person_id", p_idx), ("post_id", q_idx)):
        if (idx < 0).any():
            bad = pairs[name].to_numpy()[idx < 0]
            raise ParameterError(f"pairs column {name!r} has {len(bad)} id(s) not in the table, e.g. {list(bad[:3])}")
    if not len(pairs):
        empty = pd.DataFrame({"person_id": pairs["person_id"].to_numpy(), "post_id": pairs["post_id"].to_numpy(),
                              "probability": np.zeros(0), "success": np.zeros(0, bool)})
        return Outcomes(empty, int(seed))
    up, pi = np.unique(p_idx, return_inverse=True)
    uq, qj = np.unique(q_idx, return_inverse=True)
    z, pair = _latent(persons.iloc[up].reset_index(drop=True), posts.iloc[uq].reset_index(drop=True),
                      pi.ravel(), qj.ravel(), int(seed))
    prob = expit(z)
    draw = _uniform(_mix(pair, np.uint64(0x632BE59BD9B4E019)))
    table = pd.DataFrame({
        "person_id": pairs["person_id"].to_numpy(),
        "post_id": pairs["post_id"].to_numpy(),
        "probability": prob,
        "success": draw < prob,
    })
    return Outcomes(table, int(seed))


def simulate_history(scenario: Any, n_placements: int, seed: int = 0, *, start: str = "2022-01-01",
                     end: str = "2024-06-30") -> pd.DataFrame:
    """A placement history with six-month outcomes, for training learned scorers.

    Placements imitate caseworkers (a selection-biased process, as in real records):
    a willing person is drawn uniformly, then a post of the person's first preferred
    kind (45 %), a post in the person's county (40 %) or any post (15 %); the date is
    uniform between ``start`` and ``end``. Outcomes come from
    :func:`simulate_outcomes` with the same seed. Pair features are not computed here.

    Parameters
    ----------
    scenario : Scenario
    n_placements : int
        Number of placements (≥ 0).
    seed : int, default 0
    start, end : date-like
        Range of placement dates.

    Returns
    -------
    DataFrame
        ``person_id``, ``post_id``, ``placed`` (datetime64), ``success`` (bool), in
        date order.

    Examples
    --------
    >>> from jhmatch.datasets import make_jinhua
    >>> h = simulate_history(make_jinhua(n_persons=300, seed=1), 50, seed=4)
    >>> list(h.columns), len(h)
    (['person_id', 'post_id', 'placed', 'success'], 50)
    """
    from jhmatch.datasets.jinhua import Scenario

    if not isinstance(scenario, Scenario):
        raise ParameterError(f"simulate_history needs a Scenario, got {type(scenario).__name__}")
    if not isinstance(n_placements, (int, np.integer)) or n_placements < 0:
        raise ParameterError(f"n_placements must be a non-negative integer, got {n_placements!r}")
    t0, t1 = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    if t1 < t0:
        raise ParameterError(f"end ({t1.date()}) is before start ({t0.date()})")
    rng = np.random.default_rng(seed)
    persons, posts = scenario.persons, scenario.posts
    willing = np.flatnonzero(persons["willing"].to_numpy(dtype=bool))
    pool = willing if willing.size else np.arange(len(persons))
    who = pool[rng.integers(0, len(pool), n_placements)]
    first_kind = persons["preferred_kinds"].fillna("").astype(str).str.split(";").str[0].to_numpy(dtype=object)[who]
    county = persons["county"].to_numpy(dtype=object)[who]

    def pick(keys: np.ndarray, want: np.ndarray, u: np.ndarray) -> np.ndarray:
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        lo = np.searchsorted(sorted_keys, want, side="left")
        hi = np.searchsorted(sorted_keys, want, side="right")
        found = hi > lo
        return np.where(found, order[np.minimum(lo + (u * (hi - lo)).astype(np.int64), len(keys) - 1)], -1)

    route = rng.choice(3, size=n_placements, p=[0.45, 0.40, 0.15])
    u = rng.random(n_placements)
    by_kind = pick(posts["kind"].to_numpy(dtype=str), first_kind.astype(str), u)
    by_county = pick(posts["county"].to_numpy(dtype=str), county.astype(str), u)
    anywhere = rng.integers(0, len(posts), n_placements)
    post = np.where((route == 0) & (by_kind >= 0), by_kind, np.where((route <= 1) & (by_county >= 0), by_county, anywhere))
    days = rng.integers(0, (t1 - t0).days + 1, n_placements)
    pairs = pd.DataFrame({"person_id": persons["person_id"].to_numpy()[who], "post_id": posts["post_id"].to_numpy()[post]})
    outcome = simulate_outcomes(scenario, pairs=pairs, seed=seed)
    history = pairs.assign(placed=(t0 + pd.to_timedelta(days, unit="D")).astype("datetime64[ns]"),
                           success=outcome.success)
    return history.sort_values("placed", kind="stable").reset_index(drop=True)
