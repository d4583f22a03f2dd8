"""The hidden ground-truth outcome model: which placements last six months.

This is the simulated world's truth for research benchmarks. It is built from its
own sources and its own judgement, and shares no table, formula or vocabulary with
the scorers jhmatch ships: it imports nothing from :mod:`jhmatch.matching` or
:mod:`jhmatch.taxonomy`, does not read the post kind's functional profile, nor the
``cap_*`` / ``dem_*`` columns, nor the hazard codes a planner may write on a post.
Scorers are evaluated against it and learned scorers trained on the placement
history it produces. Every coefficient is an ASSUMPTION of the synthetic world,
chosen to be plausible for these pairs, not fitted to any scorer.

The world
---------
*Persons* (:mod:`jhmatch.datasets._functioning`): body-function measures in the
units of GB/T 26341-2010 (logMAR acuity, dB HL, speech intelligibility %, working
hands, mobility level incl. wheelchair use, endurance, IQ band, WHO-DAS 2.0 score,
sign language, literacy), drawn inside the band of each component's grade so that
persons of one grade differ; recorded details (``wheelchair``, ``residual_vision``,
``hearing_aid``, ``sign_language``, ``literate``, ``certificates``) replace the
draws. From them, activity limitations in the spirit of the ICF d1–d4 chapters.

*Posts* (:mod:`jhmatch.datasets._tasks`): a task profile of twenty ICF-style tasks
(road driving, riding deliveries, in-plant vehicles, climbing/height, live
electrical work, hot work, machinery, heavy handling, standing, walking about,
telephone, conversation, reading, visual detail, fine hand use, complex tasks,
machine pace, night work, customer stress, tactile work) read from the title and
required skills with the model's own keyword rules, else from the CSCO 2022 code
(its own judgement of the groups), with hidden per-post variation; the skill
families the work belongs to; the licences the law requires (driving classes,
special-operation certificates, 盲人医疗按摩人员资格, teacher and nurse).

The model
---------
A placement fails (job lost, quit, or an accident) at a monthly hazard

``λ = min(λ0 · exp(η), 0.5) + Σ_task S_task · (t_task · L_task)² + λ_licence + λ_access``

and lasts six months with probability ``p = exp(-6 λ)``, the product of surviving the
functional risks (``p_function``, the last three terms) and the fit risk (``p_fit``, the
first); ``simulate_outcomes(..., detail=True)`` returns both:

``λ0 = 0.035``
    base monthly hazard: p ≈ 0.81 for an average compatible placement, ≈ 0.93 with a
    skill match and a stated preference (ASSUMPTION).
``0.5``
    cap of the fit hazard (``p_fit ≥ 0.05``): the fit terms add on a log scale and
    would otherwise compound to p_fit ~ 1e-5 for an unwilling person far from a post; real
    quit hazards saturate (ASSUMPTION).
``S_task · (t · L)²``
    functional failure: ``t`` is the post's true intensity of the task (0–1) and
    ``L = 1 - Π_source (1 - x_source · relief)`` the person's limitation in it (0–1),
    combined over the functions that limit it, each relieved by the post's offered
    accommodations (:data:`RELIEF`). ``S`` (:data:`~jhmatch.datasets._tasks.SEVERITY`)
    is the monthly hazard of a core task the person cannot do at all: 6 for road
    driving, 5 for height, electrical work and in-plant vehicles, 4 for hot work and
    deliveries in traffic, 3 for machinery and the telephone, down to 0.6 for night
    work. A blind person driving, a deaf person on the telephone or a wheelchair user
    standing all day therefore keeps the post with p < 0.01; the square lets small
    limitations in minor tasks cost little.
``λ_licence``
    0.65 a month without a driving licence of an accepted class (or a teacher's or
    nurse's qualification) the work legally needs, 0.3 without a 盲人医疗按摩 licence,
    0.12 without a special-operation certificate (employers often train for it).
``λ_access``
    0.25 for a wheelchair user at an on-site post without step-free access.
``η`` (log-multiplier of the base hazard; non-functional fit)
    ``-0.6`` when the person's skills share a skill family with the post, else
    ``+1.2 × the post's training need`` (0.05 cleaning … 1.0 electrical/welding);
    ``+0.4`` per education level below the post's minimum and ``+0.3`` for a
    graduate in an unskilled post; ``-0.4`` when the post's kind is a stated
    preference, ``+0.15`` when the person stated others only; commute
    ``+0.25 · ln(1 + km / 4) · (1 + 0.8 wheelchair + 0.6 blind + 0.3 limited walking)``
    for on-site posts; ``+1.0`` for a remote post the person refuses;
    ``-0.6 · clip(ln(wage / county minimum), -0.3, 0.8)``; ``+0.6`` outside the post's
    age limits; ``+1.2`` when the person is not willing to work; plus unobserved
    effects: person ``N(0, 0.45²)``, employer (else post) ``N(0, 0.4²)`` and pair
    ``N(0, 0.3²)``.

The outcome is ``success = U_ij < p``. Person measures, post variation, random
effects and ``U_ij`` are hashes of the ids with the seed, so each pair's probability
and outcome depend only on the pair, its two rows and the seed — not on which other
pairs are simulated or in what order.

ASSUMPTIONS
-----------
* Failure causes are independent competing risks (their hazards add, their
  survival probabilities multiply); function does not interact with motivation.
* The work is what the post's title, required skills and occupation code say, read
  with the model's own rules, plus hidden per-post variation; vague titles (云客服,
  普工) hide part of it. The post kind is read only as the person's stated
  preference; planner-marked hazards and required certificates are not read (they
  are observations a scorer may use; the licences the law requires are re-derived
  from the title).
* Within a grade, measures are uniform in the GB/T 26341 band; the prevalence of
  hearing aids, wheelchairs, sign language, field-graded visual loss and prelingual
  deafness by grade; the limitation curves (thresholds and slopes); a licence other
  than C5 certifies adequate sight and no wheelchair.
* Severities, relief factors, skill families and their training needs, licence
  hazards, the access hazard and every coefficient of ``η``.
* Remote posts involve no on-site task; an on-site commute is costlier for
  wheelchair users, blind persons and limited walkers.

Sources
-------
GB/T 26341-2010 (grade bands of every category); WHO ICF (2001) activity chapters
d1–d4 and WHO-DAS 2.0; 机动车驾驶证申领和使用规定 (Ministry of Public Security order
162, 2021: acuity 5.0/4.9 ≈ 0.8, hearing-impaired drivers limited to small cars,
C5 for disabled drivers); 特种作业人员安全技术培训考核管理规定 (SAWS order 30, 2010)
and TSG Z6001 (special-equipment operators); 盲人医疗按摩管理办法 (2009); CSCO 2022
group descriptions. Everything else — the limitation curves, severities, relief
factors, keyword rules and coefficients — is ASSUMPTION.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import ndtri

from jhmatch.datasets._functioning import LIMITATION_SOURCES, limitations, measures
from jhmatch.datasets._tasks import (
    LICENCE_HAZARD,
    LICENCE_MASKS,
    SEVERITY,
    TASKS,
    families,
    family_need,
    licence_needs,
    task_profile,
)
from jhmatch.datasets._truth import _coords, _hash, _km, _mix, _num, _uniform, _validated
from jhmatch.datasets.constants import MINIMUM_WAGE
from jhmatch.errors import ParameterError

__all__ = ["DANGER", "Outcomes", "simulate_history", "simulate_outcomes"]

MONTHS = 6
BASE_HAZARD = 0.035
COEF = {"skill_shared": 0.6, "skill_missing": 1.2, "education_gap": 0.4, "overqualified": 0.3, "preferred": 0.4,
        "other_preferred": 0.15, "commute": 0.25, "remote_refused": 1.0, "wage": 0.6, "age_limit": 0.6,
        "unwilling": 1.2}
"""Coefficients of ``η`` (see the module docstring)."""
SD = {"person": 0.45, "employer": 0.4, "pair": 0.3}
"""Standard deviations of the unobserved effects (log-hazard scale)."""
ACCESS_HAZARD = 0.25
FIT_HAZARD_CAP = 0.5
"""Largest monthly fit hazard (``p_fit ≥ exp(-3) ≈ 0.05``): motivation, pay and commute make people
quit, but some of even the worst-fitting placements last (a placement ending in a few weeks for
everyone is a functional failure, not a fit one)."""
DANGER = 0.1
"""A pair whose six-month probability is below this is *dangerous* (job lost or an accident is likely)."""

RELIEF: dict[str, dict[tuple[str, str], float]] = {
    "adapted_workstation": {("stand_station", "legs"): 0.25, ("stand_station", "endurance"): 0.5,
                            ("fine_hands", "hands"): 0.6, ("line_pace", "hands"): 0.6},
    "job_coach": {("complex_tasks", "mind"): 0.5, ("line_pace", "mind"): 0.6, ("customer_stress", "psyche"): 0.7,
                  ("walk_about", "sight"): 0.6, ("machine_tend", "mind"): 0.7, ("fine_hands", "mind"): 0.6},
    "written_instructions": {("talk_public", "hearing"): 0.75, ("complex_tasks", "mind"): 0.8},
    "flexible_hours": {("night_work", "psyche"): 0.3, ("night_work", "endurance"): 0.3,
                       ("customer_stress", "psyche"): 0.8, ("stand_station", "endurance"): 0.6,
                       ("heavy_handling", "endurance"): 0.7, ("line_pace", "psyche"): 0.8},
    "quiet_space": {("customer_stress", "psyche"): 0.7, ("line_pace", "psyche"): 0.85},
}
"""Factor by which an offered accommodation multiplies one limitation piece. Also: a
screen reader multiplies the sight piece of reading by ``1 - 0.9 × screen share``;
a sign-language interpreter the hearing (speech) piece of conversation by 0.3 (0.4)
for signers and 0.85 (1.0) for others; step-free access removes ``λ_access``."""
_SIGN = {("talk_public", "hearing"): (0.3, 0.85), ("talk_public", "speech"): (0.4, 1.0)}


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

def _has(posts: pd.DataFrame, name: str) -> np.ndarray:
    acc = posts["accommodations"].astype("object").fillna("").astype(str) if "accommodations" in posts \
        else pd.Series([""] * len(posts))
    return acc.str.contains(name, regex=False).to_numpy(dtype=bool)


def _texts(frame: pd.DataFrame, col: str) -> pd.Series:
    """A text column as an object Series ("" when absent)."""
    if col not in frame:
        return pd.Series([""] * len(frame), dtype=object)
    return pd.Series(frame[col].to_numpy(dtype=object), dtype=object)


def _functional(persons: pd.DataFrame, posts: pd.DataFrame, m: dict[str, np.ndarray], pi: np.ndarray,
                qj: np.ndarray, seed: int) -> np.ndarray:
    """``Σ_task S · (t · L)²`` of each pair, with the posts' accommodations."""
    lim = limitations(m)
    tasks = task_profile(posts, seed)
    screen = tasks[:, -1]
    offered = {name: _has(posts, name) for name in (*RELIEF, "screen_reader", "sign_language")}
    signer = m["signer"][pi]
    out = np.zeros(len(pi))
    for k, task in enumerate(TASKS):
        t_post = tasks[:, k]
        if not (t_post > 0).any():
            continue
        idx = np.flatnonzero(t_post[qj] > 0)
        if not idx.size:
            continue
        p_i, q_j = pi[idx], qj[idx]
        able = np.ones(idx.size)
        for source in LIMITATION_SOURCES[task]:
            factor = np.ones(len(posts))
            for acc, table in RELIEF.items():
                if (task, source) in table:
                    factor = np.where(offered[acc], factor * table[(task, source)], factor)
            if (task, source) == ("read_print", "sight"):
                factor = np.where(offered["screen_reader"], factor * (1 - 0.9 * screen), factor)
            x = lim[(task, source)][p_i] * factor[q_j]
            if (task, source) in _SIGN:
                yes, no = _SIGN[(task, source)]
                x = np.where(offered["sign_language"][q_j], x * np.where(signer[idx], yes, no), x)
            able *= 1.0 - x
        out[idx] += SEVERITY[task] * (t_post[q_j] * (1.0 - able)) ** 2
    return out


def _hazard(persons: pd.DataFrame, posts: pd.DataFrame, pi: np.ndarray, qj: np.ndarray, seed: int
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Monthly hazards of each pair (rows ``pi`` of persons, ``qj`` of posts): function and fit, and its hash."""
    m = measures(persons, seed)
    lam = _functional(persons, posts, m, pi, qj, seed)
    # licences the work legally requires
    title, required = _texts(posts, "title"), _texts(posts, "required_skills")
    need = licence_needs(title) | licence_needs(required)
    for g in np.flatnonzero(need.any(axis=0)):
        missing = need[qj, g] & ((m["licences"][pi] & LICENCE_MASKS[g]) == 0)
        lam += LICENCE_HAZARD[g] * missing
    remote = posts["remote"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    lam += ACCESS_HAZARD * (m["wheelchair"][pi] & ~remote[qj] & ~_has(posts, "step_free")[qj])
    # non-functional fit: skills
    fam_post = families(title) | families(required)
    fam_person = families(_texts(persons, "skills")) | families(_texts(persons, "certificates"))
    need_q = family_need(fam_post)
    shared = (fam_post[qj] & fam_person[pi]) != 0
    eta = np.where(shared, -COEF["skill_shared"], COEF["skill_missing"] * need_q[qj])
    # education
    edu = np.nan_to_num(_num(persons, "education"), nan=2.0)
    gap = np.nan_to_num(_num(posts, "min_education")[qj] - edu[pi], nan=0.0)
    eta += COEF["education_gap"] * np.maximum(gap, 0.0)
    eta += COEF["overqualified"] * ((edu[pi] >= 5) & (need_q[qj] <= 0.2) & (fam_post[qj] != 0))
    # stated preferences (the person's own words, read as given)
    pref = persons["preferred_kinds"].astype("object").fillna("").astype(str).str.split(";").explode()
    pref = pref[pref != ""]
    kinds = posts["kind"].astype("object").fillna("").astype(str).to_numpy(dtype=object)
    codes = pd.Index(pd.unique(np.concatenate([pref.to_numpy(dtype=object), kinds])))
    keys = pref.index.to_numpy(np.int64) * len(codes) + codes.get_indexer(pref.to_numpy(dtype=object))
    preferred = np.isin(pi.astype(np.int64) * len(codes) + codes.get_indexer(kinds)[qj], keys)
    has_pref = np.bincount(pref.index.to_numpy(np.int64), minlength=len(persons))[pi] > 0
    eta += -COEF["preferred"] * preferred + COEF["other_preferred"] * (has_pref & ~preferred)
    # commute, harder for wheelchair users, blind persons and limited walkers
    plat, plon = _coords(persons)
    qlat, qlon = _coords(posts)
    km = np.nan_to_num(_km(plat[pi], plon[pi], qlat[qj], qlon[qj]), nan=30.0)
    burden = 1 + 0.8 * m["wheelchair"] + 0.6 * ((m["logmar"] > 1.3) | m["field_loss"]) \
        + 0.3 * ((m["walk"] < 2) & ~m["wheelchair"])
    eta += np.where(remote[qj], 0.0, COEF["commute"] * np.log1p(km / 4.0) * burden[pi])
    remote_ok = persons["remote_ok"].astype("boolean").fillna(True).to_numpy(dtype=bool)
    eta += COEF["remote_refused"] * (remote[qj] & ~remote_ok[pi])
    # wage, age limits, willingness
    minimum = posts["county"].astype("object").map(MINIMUM_WAGE).to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        wage = np.clip(np.log(_num(posts, "wage") / minimum), -0.3, 0.8)
    eta -= COEF["wage"] * np.nan_to_num(wage, nan=0.0)[qj]
    age = _num(persons, "age")[pi]
    eta += COEF["age_limit"] * ((age < _num(posts, "min_age")[qj]) | (age > _num(posts, "max_age")[qj]))
    eta += COEF["unwilling"] * ~persons["willing"].astype("boolean").fillna(True).to_numpy(dtype=bool)[pi]
    # unobserved effects
    pid = persons["person_id"].astype(str).to_numpy(dtype=object)
    qid = posts["post_id"].astype(str).to_numpy(dtype=object)
    emp = posts["employer_id"].astype("object").fillna("post:" + posts["post_id"].astype("object")) \
        .astype(str).to_numpy(dtype=object)
    eta += SD["person"] * ndtri(_uniform(_hash(pid, seed, "person")))[pi]
    eta += SD["employer"] * ndtri(_uniform(_hash(emp, seed, "employer")))[qj]
    pair = _mix(_hash(pid, seed, "pair-person")[pi], _hash(qid, seed, "pair-post")[qj])
    eta += SD["pair"] * ndtri(_uniform(pair))
    return lam, np.minimum(BASE_HAZARD * np.exp(eta), FIT_HAZARD_CAP), pair


def simulate_outcomes(scenario_or_persons: Any, posts: pd.DataFrame | None = None,
                      pairs: pd.DataFrame | None = None, seed: int = 0, *, detail: bool = False) -> Outcomes:
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
    detail : bool, default False
        Also return the two factors of the probability (competing risks multiply):
        ``p_function`` (surviving the functional, licence and access hazards) and
        ``p_fit`` (surviving the base hazard scaled by skills, preference, commute,
        wage and the unobserved effects); ``probability = p_function × p_fit``.

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
    >>> d = simulate_outcomes(s, pairs=pairs, seed=3, detail=True).table
    >>> bool(np.allclose(d["probability"], d["p_function"] * d["p_fit"]))
    True
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
        if detail:
            empty = empty.assign(p_function=np.zeros(0), p_fit=np.zeros(0))
        return Outcomes(empty, int(seed))
    up, pi = np.unique(p_idx, return_inverse=True)
    uq, qj = np.unique(q_idx, return_inverse=True)
    function, fit, pair = _hazard(persons.iloc[up].reset_index(drop=True), posts.iloc[uq].reset_index(drop=True),
                                  pi.ravel(), qj.ravel(), int(seed))
    prob = np.exp(-MONTHS * (function + fit))
    draw = _uniform(_mix(pair, np.uint64(0x632BE59BD9B4E019)))
    table = pd.DataFrame({
        "person_id": pairs["person_id"].to_numpy(),
        "post_id": pairs["post_id"].to_numpy(),
        "probability": prob,
        "success": draw < prob,
    })
    if detail:
        table = table.assign(p_function=np.exp(-MONTHS * function), p_fit=np.exp(-MONTHS * fit))
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
