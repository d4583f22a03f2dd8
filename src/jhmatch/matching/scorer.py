"""The rule-based :class:`CompatibilityScorer`: candidates → components → ScoreMatrix.

Order and determinism
    Both tables are validated and then sorted by id (``person_id``, ``post_id``);
    the ScoreMatrix's rows and columns follow that order whatever the input order,
    and ties in the top-k are broken in favour of the post that sorts first. So a
    shuffled input gives an identical result.

Candidates
    A pair is a candidate when no hard rule and no blocking step excludes it
    (:mod:`jhmatch.matching.components`, :mod:`jhmatch.matching.functional`), the
    post has capacity > 0 (a full post has no candidates), and its score is > 0.
    Of those, the ``top_k`` best posts per person are kept (``None``: all).

Score
    ``score = sum_c weight_c * value_c`` with weights normalised to sum to 1
    (:data:`DEFAULT_WEIGHTS`), so it lies in [0, 1].

Memory and speed
    Persons are processed in blocks of ``block_size`` rows, grouped by county so a
    block only looks at posts that blocking can admit (same county, remote, or
    within commuting distance). Each component binds a block's posts once
    (:meth:`~jhmatch.matching.components.Component.bind`); the block's rows are then
    scored in chunks of about :data:`~jhmatch.matching._blockscore.CHUNK_PAIRS` pairs,
    so the largest dense arrays are one chunk × those posts and stay in the
    processor's cache. Blocks run on ``n_jobs`` threads, or through any executor
    (``score(..., executor=)``, :mod:`jhmatch.executor`; a Dask client through
    :class:`jhmatch.distributed.executor.DaskExecutor`). On ``make_jinhua(100_000, 10_000)`` (562 million pairs
    scored) this takes about 14 s on one core and 10 s on two, with a peak of 0.9 GiB
    (``benchmarks/bench_matching.py``).
"""

from __future__ import annotations

import copy
import os
import sys
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

from jhmatch.checks import optional_positive_int, positive_int
from jhmatch.data.ids import mask_id
from jhmatch.data.valid import ensure_valid
from jhmatch.errors import ParameterError, UnknownLabelError
from jhmatch.executor import SerialExecutor, resolve_executor
from jhmatch.i18n import N_, format_number
from jhmatch.i18n import gettext as _
from jhmatch.limits import SCORING_BYTES_PER_PAIR, check_size, estimate_scoring_bytes
from jhmatch.matching._blockscore import BlockScorer
from jhmatch.matching._frozen import FrozenMapping
from jhmatch.matching._params import init_params, param_repr
from jhmatch.matching.candidates import person_blocks
from jhmatch.matching.certificates import CertificateComponent
from jhmatch.matching.components import (
    AgeComponent,
    CallableComponent,
    Component,
    EducationComponent,
    PreferenceComponent,
)
from jhmatch.matching.explain import Contribution, Explanation, RuleFired
from jhmatch.matching.functional import FunctionalComponent
from jhmatch.matching.location import LocationComponent
from jhmatch.matching.messages import Text, as_text
from jhmatch.matching.recommend import top_persons, top_posts
from jhmatch.matching.score_matrix import ScoreMatrix
from jhmatch.matching.skills import SkillsComponent

__all__ = ["DEFAULT_WEIGHTS", "CompatibilityScorer"]

DEFAULT_WEIGHTS: FrozenMapping[str, float] = FrozenMapping({
    "functional": 0.35,  # the heart of it: can the person do the work, with the post's accommodations
    "skills": 0.25,      # requirements met (training, experience)
    "location": 0.15,    # commuting is the most cited barrier after function
    "education": 0.10,
    "preference": 0.10,  # the person's own stated preferences (求职意向)
    "age": 0.05,
    "certificates": 0.0,  # a hard rule only: licences and certificates the post requires
})
"""Default component weights (sum 1); read-only (pass ``weights=`` to change them)."""


def _validated(frame: Any, name: str, key: str) -> pd.DataFrame:
    frame = ensure_valid(frame, name)
    ids = frame[key].astype("object").to_numpy()
    order = np.argsort(ids.astype(str), kind="stable")
    out = frame.iloc[order].reset_index(drop=True)
    out.attrs = dict(frame.attrs)
    return out


def _default_jobs() -> int:
    """Threads for ``n_jobs=None``: the CPUs this process may use (at most 8); 1 in a Dask worker."""
    if "distributed" in sys.modules:
        try:
            sys.modules["distributed"].get_worker()
            return 1
        except (AttributeError, ValueError):
            pass
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cpus, 8))


def _cat(parts: list | tuple, dtype: Any) -> np.ndarray:
    return np.concatenate(parts).astype(dtype, copy=False) if len(parts) else np.empty(0, dtype)


class CompatibilityScorer:
    """Rule-based person–post compatibility scorer.

    Parameters
    ----------
    weights : mapping of str to float, optional
        Component weights (normalised to sum 1); defaults :data:`DEFAULT_WEIGHTS`.
        A component with weight 0 still applies its hard rules.
    components : mapping of str to Component or callable, optional
        Extra components, or replacements of built-ins by name. A callable
        ``func(persons_rows, posts_cols) -> array in [0, 1]`` is wrapped in
        :class:`~jhmatch.matching.components.CallableComponent`; give it a weight.
    top_k : int or None, default 50
        Posts kept per person (``None``: every candidate pair).
    block_size : int, default 2000
        Persons per block.
    max_commute_km : float, default 30
        Blocking: farthest on-site post in another county.
    as_of : date or str, optional
        Date for ages computed from birth dates (default today).
    top_k_persons : int, optional
        Also keep each post's best ``top_k_persons`` persons (ties to the person
        that sorts first), so that :func:`~jhmatch.matching.recommend.top_persons`
        is exact for ``k <= top_k_persons``; default: person side only.
    n_jobs : int, optional
        Threads scoring blocks side by side (numpy works outside the GIL; the
        result does not depend on it). Default: one per CPU this process may use,
        at most 8, and 1 inside a Dask worker (the cluster already runs a task per core).

    Examples
    --------
    >>> persons = pd.DataFrame({"person_id": ["p1", "p2"], "category": ["visual", "physical"], "grade": [1, 3],
    ...                         "limbs": ["", "lower"], "county": ["义乌", "义乌"], "skills": ["按摩 推拿", "电脑 客服"]})
    >>> posts = pd.DataFrame({"post_id": ["q1", "q2"], "kind": ["blind_massage", "cloud_customer_service"],
    ...                       "county": ["义乌", "东阳"], "capacity": [2, 5], "required_skills": ["按摩", "客服 打字"]})
    >>> scorer = CompatibilityScorer(as_of="2025-01-01")
    >>> sm = scorer.score(persons, posts)
    >>> sm.to_frame().sort_values("score", ascending=False).groupby("person_id").head(1)["post_id"].tolist()
    ['q1', 'q2']
    >>> scorer.explain("p1", "q1").status
    'candidate'
    """

    def __init__(self, weights: Mapping[str, float] | None = None,
                 components: Mapping[str, Component | Callable[..., Any]] | None = None,
                 top_k: int | None = 50, block_size: int = 2000, max_commute_km: float = 30.0,
                 as_of: Any = None, top_k_persons: int | None = None, n_jobs: int | None = None):
        self.weights = weights
        self.components = components
        self.top_k = top_k
        self.block_size = block_size
        self.max_commute_km = max_commute_km
        self.as_of = as_of
        self.top_k_persons = top_k_persons
        self.n_jobs = n_jobs

    # ------------------------------------------------------------------ parameters
    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The parameters given to ``__init__`` (scikit-learn's estimator convention).

        ``deep`` is accepted for compatibility; the parameters hold no nested estimators.

        Examples
        --------
        >>> CompatibilityScorer(top_k=5).get_params()["top_k"]
        5
        """
        return {p.name: getattr(self, p.name) for p in init_params(type(self))}

    def set_params(self, **params: Any) -> CompatibilityScorer:
        """Set parameters by name (checked when scoring); returns ``self``.

        Raises
        ------
        ParameterError
            For a name that is not a parameter.

        Examples
        --------
        >>> CompatibilityScorer().set_params(top_k=3, block_size=500).top_k
        3
        """
        known = {p.name for p in init_params(type(self))}
        unknown = sorted(set(params) - known)
        if unknown:
            raise ParameterError(f"unknown parameter(s) {unknown} for CompatibilityScorer; known: {sorted(known)}")
        for name, value in params.items():
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        return param_repr(self)

    # ------------------------------------------------------------------ set-up
    def _components(self) -> tuple[dict[str, Component], dict[str, float]]:
        comps: dict[str, Component] = {
            "functional": FunctionalComponent(),
            "skills": SkillsComponent(),
            "location": LocationComponent(max_commute_km=self.max_commute_km),
            "education": EducationComponent(),
            "preference": PreferenceComponent(),
            "age": AgeComponent(as_of=self.as_of),
            "certificates": CertificateComponent(),
        }
        for name, comp in (self.components or {}).items():
            if isinstance(comp, Component):
                comps[name] = copy.copy(comp)
            elif callable(comp):
                comps[name] = CallableComponent(name, comp)
            else:
                raise ParameterError(f"component {name!r} must be a Component or a callable, got {type(comp).__name__}")
            comps[name].name = name
        weights = dict(DEFAULT_WEIGHTS)
        if self.weights is not None:
            unknown = set(self.weights) - set(comps)
            if unknown:
                raise ParameterError(f"weights for unknown components {sorted(unknown)}; known: {sorted(comps)}")
            weights = {name: float(self.weights.get(name, 0.0)) for name in comps}
        missing = [n for n in comps if n not in weights]
        if missing:
            raise ParameterError(f"components {missing} need a weight (pass weights=...)")
        if any(not np.isfinite(w) or w < 0 for w in weights.values()) or sum(weights.values()) <= 0:
            raise ParameterError(f"weights must be finite, >= 0 and not all 0; got {weights}")
        total = sum(weights.values())
        return comps, {n: weights[n] / total for n in comps}

    def _check(self) -> None:
        for name in ("top_k", "top_k_persons", "n_jobs"):
            optional_positive_int(name, getattr(self, name))
        positive_int("block_size", self.block_size)

    # ------------------------------------------------------------------ scoring
    def score(self, persons: pd.DataFrame, posts: pd.DataFrame, client: Any = None, *,
              executor: Any = None) -> ScoreMatrix:
        """Score every candidate pair and keep the top-k posts per person.

        Parameters
        ----------
        persons, posts : DataFrame
            Raw or validated tables (:func:`~jhmatch.data.schema.validate_persons`,
            :func:`~jhmatch.data.schema.validate_posts`); unknown columns are kept and
            ignored by the built-in components. A canonical frame (validated and
            not restructured since; :func:`jhmatch.data.ensure_valid`) is not validated again.
        client : distributed.Client, optional
            Score the blocks on a Dask cluster: shorthand for
            ``executor=jhmatch.distributed.DaskExecutor(client)`` (extra ``dask``). Also
            used inside ``with jhmatch.distributed.use_client(client):``.
        executor : executor, optional
            Where the blocks of persons are scored: any object with ``map(fn, items)``
            returning results in order (:mod:`jhmatch.executor`), e.g. a
            :class:`concurrent.futures.ThreadPoolExecutor`; default the active one
            (:func:`jhmatch.executor.use_executor`), else ``n_jobs`` threads. The
            result is bit for bit the same whatever runs the blocks, and
            :meth:`explain` works after any of them.

        Returns
        -------
        ScoreMatrix
            Rows and columns sorted by id; ``components`` holds each component's
            values over the same pairs.
        """
        self._check()
        runner = resolve_executor(executor, client)
        persons = _validated(persons, "persons", "person_id")
        posts = _validated(posts, "posts", "post_id")
        if runner is None or isinstance(runner, (SerialExecutor, ThreadPoolExecutor)):  # else the workers' memory
            self._check_size(len(persons), len(posts))
        comps, weights = self._components()
        for comp in comps.values():
            comp.fit(persons, posts)
        self.persons_, self.posts_ = persons, posts
        self.components_, self.weights_ = comps, weights
        self.person_index_ = pd.Index(persons["person_id"].astype("object"))
        self.post_index_ = pd.Index(posts["post_id"].astype("object"))
        n, m = len(persons), len(posts)
        open_cols = np.flatnonzero(posts["capacity"].to_numpy() > 0)
        location = comps["location"] if isinstance(comps.get("location"), LocationComponent) else \
            LocationComponent(self.max_commute_km).fit(persons, posts)
        self.location_ = location
        # blocks share candidate posts: group persons by county, remote_ok and whether they have
        # coordinates, and sort by latitude inside a group so a block's commuting box stays small
        has_xy = ~np.isnan(location.plat_) & ~np.isnan(location.plon_)
        groups = (location.pc_.astype(np.int64) + 1) * 4 + location.remote_ok_ * 2 + has_xy
        blocks = list(person_blocks(groups, self.block_size, np.nan_to_num(location.plat_)))
        # each post's k-th best score so far over the blocks of this process (top_k_persons only)
        threshold = None if self.top_k_persons is None else np.zeros(m, np.float32)
        task = BlockScorer(comps, weights, location, open_cols, self.top_k, self.top_k_persons, threshold)
        # the chunks' small matrix products run best on one BLAS thread each (OpenBLAS would
        # otherwise spread some over every core and spin): parallelism is over blocks
        with threadpool_limits(limits=1, user_api="blas"):
            if runner is not None:
                results = list(runner.map(task, blocks))
            else:
                jobs = _default_jobs() if self.n_jobs is None else int(self.n_jobs)
                if jobs > 1 and len(blocks) > 1:
                    # numpy releases the GIL in its loops: blocks run side by side; map keeps block order
                    with ThreadPoolExecutor(max_workers=jobs) as pool:
                        results = list(pool.map(task, blocks))
                else:
                    results = [task(block) for block in blocks]
        fields = list(zip(*[res for res in results if res is not None])) or [[], [], [], [], []]
        del results
        r, c, s, in_row = _cat(fields[0], np.int64), _cat(fields[1], np.int64), _cat(fields[2], np.float32), \
            _cat(fields[4], bool)
        picked = fields[3]
        del fields
        values = {}
        for name in comps:  # joined one component at a time, each block's copy freed at once
            values[name] = _cat([p.pop(name) for p in picked], np.float32)
        if self.top_k_persons is not None and r.size:
            keep = self._keep_post_side(r, c, s, in_row)
            r, c, s = r[keep], c[keep], s[keep]
            values = {name: v[keep] for name, v in values.items()}
        self.result_ = self._assemble(r, c, s, values, (n, m))
        return self.result_

    def _check_size(self, n: int, m: int) -> None:
        """Refuse (:class:`~jhmatch.errors.SizeLimitError`) scoring that would not fit in memory."""
        estimate = estimate_scoring_bytes(n, m, self.top_k)
        if self.top_k_persons is not None:
            estimate += SCORING_BYTES_PER_PAIR * m * min(self.top_k_persons, n)  # the post side's extra pairs
        check_size(estimate, _("scoring {persons} persons against {posts} posts").format(
                       persons=format_number(n), posts=format_number(m)),
                   _("Score county by county, keep fewer candidates per person (CompatibilityScorer(top_k=...)), "
                     "or use the dask extra (jhmatch.distributed)."))

    def _keep_post_side(self, r: np.ndarray, c: np.ndarray, s: np.ndarray, in_row: np.ndarray) -> np.ndarray:
        """Mask of the pairs in their person's top_k (``in_row``) or in their post's global top_k_persons."""
        r_bits, c_bits = int(r.max()).bit_length(), int(c.max()).bit_length()
        if s.dtype == np.float32 and r_bits + c_bits + 30 <= 63 and s.min() > 0 and s.max() <= 1:
            # one int64 key per pair: post, then score descending (the bits of a float32 in
            # (0, 1] fit in 30 and sort like it), then person; keys are distinct
            key = (c << (30 + r_bits)) | ((0x3F800000 - s.view(np.int32).astype(np.int64)) << r_bits) | r
            order = np.argsort(key, kind="stable")
            del key
        else:
            order = np.lexsort((r, -s, c))  # per post: score descending, then person order
        sc = c[order]
        counts = np.bincount(sc, minlength=len(self.post_index_))
        rank = np.empty(r.size, np.int64)
        rank[order] = np.arange(r.size) - (np.cumsum(counts) - counts)[sc]
        return in_row | (rank < self.top_k_persons)

    def _assemble(self, r: np.ndarray, c: np.ndarray, s: np.ndarray, values: dict[str, np.ndarray],
                  shape: tuple[int, int]) -> ScoreMatrix:
        """The ScoreMatrix of pairs (r, c) with scores s; ``values`` (component arrays) is emptied."""
        # every row comes from one block, with its columns ascending: a stable sort by row suffices
        order = np.argsort(r, kind="stable")
        rs, cs = r[order], c[order]
        if rs.size > 1 and not np.all((rs[1:] > rs[:-1]) | (cs[1:] > cs[:-1])):  # pragma: no cover - safety net
            order = np.lexsort((c, r))
            rs, cs = r[order], c[order]
        index = np.int32 if max(shape[1], rs.size) < 2**31 else np.int64  # one dtype: scipy then copies nothing
        indptr = np.zeros(shape[0] + 1, index)
        np.cumsum(np.bincount(rs, minlength=shape[0]), out=indptr[1:])
        indices = cs.astype(index)
        del rs, cs

        def csr(v: np.ndarray) -> sp.csr_array:
            out = sp.csr_array((v[order], indices, indptr), shape=shape)
            out.has_sorted_indices = True
            return out

        comp_mats = {name: csr(values.pop(name)) for name in list(values)}
        return ScoreMatrix(csr(s), self.person_index_.to_numpy(), self.post_index_.to_numpy(), comp_mats)

    def recommend_posts(self, persons: pd.DataFrame, posts: pd.DataFrame, k: int = 10, *, person_ids: Any = None,
                        min_score: float = 0.0, max_per_kind: int | None = None, exclude_full: bool = True,
                        reasons: bool = False) -> pd.DataFrame:
        """Score, then the top-k posts per person.

        The keywords are those of :func:`~jhmatch.matching.recommend.top_posts`, in its order
        (the posts table and the weights are the scorer's own); the result equals
        ``top_posts(self.score(persons, posts), k, posts=..., weights=self.weights_, ...)`` and
        :func:`jhmatch.distributed.recommend_posts` on the same data.

        Examples
        --------
        >>> persons = pd.DataFrame({"person_id": ["p1"], "category": ["visual"], "grade": [1], "county": ["义乌"]})
        >>> posts = pd.DataFrame({"post_id": ["q1", "q2"], "kind": ["blind_massage", "kiosk"],
        ...                       "county": ["义乌", "义乌"], "capacity": [2, 1]})
        >>> CompatibilityScorer(as_of="2025-01-01").recommend_posts(persons, posts, k=1)["post_id"].tolist()
        ['q1']
        """
        sm = self.score(persons, posts)
        return top_posts(sm, k, posts=self.posts_, person_ids=person_ids, min_score=min_score,
                         max_per_kind=max_per_kind, exclude_full=exclude_full, reasons=reasons, weights=self.weights_)

    def recommend_persons(self, persons: pd.DataFrame, posts: pd.DataFrame, k: int = 10, *, post_ids: Any = None,
                          min_score: float = 0.0, only_willing: bool = True, exclude_employed: bool = False,
                          reasons: bool = False) -> pd.DataFrame:
        """Score, then the top-k persons per post (keywords of :func:`~jhmatch.matching.recommend.top_persons`)."""
        sm = self.score(persons, posts)
        return top_persons(sm, k, persons=self.persons_, post_ids=post_ids, min_score=min_score,
                           only_willing=only_willing, exclude_employed=exclude_employed, reasons=reasons,
                           weights=self.weights_)

    # ------------------------------------------------------------------ explanations
    def explain(self, person_id: Any, post_id: Any) -> Explanation:
        """Each component's contribution to one pair and the hard rule that fired, if any.

        Call after :meth:`score`. Identifiers in the result are masked.

        Raises
        ------
        UnknownLabelError
            When the person or post is not in the last scored tables (masked in the message).
        """
        if not hasattr(self, "result_"):
            raise ParameterError("call score(persons, posts) before explain()")
        i = self.person_index_.get_indexer([str(person_id)])[0]
        j = self.post_index_.get_indexer([str(post_id)])[0]
        if i < 0:
            raise UnknownLabelError("person id", mask_id(person_id))
        if j < 0:
            raise UnknownLabelError("post id", mask_id(post_id))
        rows, cols = np.array([i]), np.array([j])
        contributions, rules = [], []
        total = None  # summed exactly as the scorer sums a block (float32, in component order)
        for name, comp in self.components_.items():
            v, x = comp.evaluate(rows, cols)
            v = np.broadcast_to(v, (1, 1))
            value = float(v[0, 0])
            w = self.weights_[name]
            part = np.multiply(v, np.float32(w)).astype(np.float32)[0, 0]
            if np.float32(w):
                total = part if total is None else np.float32(total + part)
            label = comp.display_name()
            contributions.append(Contribution(name, label, value, w, float(part), as_text(comp.describe(i, j, value))))
            if x is not None and np.broadcast_to(x, (1, 1))[0, 0]:
                rules.append(RuleFired(name, as_text(comp.exclusion_reason(i, j)), label))
        if self.location_ is not self.components_.get("location") and self.location_.evaluate(rows, cols)[1][0, 0]:
            rules.append(RuleFired("location", self.location_.exclusion_reason(i, j),  # blocking only
                                   self.location_.display_name()))
        if self.posts_["capacity"].iloc[j] <= 0:
            rules.append(RuleFired("capacity", Text(N_("the post has no capacity left (capacity 0)")),
                                   Text(N_("post capacity"))))
        total = float(np.clip(np.float32(0.0) if total is None else total, np.float32(0.0), np.float32(1.0)))
        sm = self.result_.scores
        start, stop = sm.indptr[i], sm.indptr[i + 1]
        hit = np.flatnonzero(sm.indices[start:stop] == j)
        if not hit.size and not rules and total <= 0.0:
            rules.append(RuleFired("score", Text(N_("the combined score is 0: not a candidate")),
                                   Text(N_("combined score"))))
        if hit.size:
            status, score = "candidate", float(sm.data[start + hit[0]])
        elif rules:
            status, score = "excluded", 0.0
        else:
            status, score = "not_in_top_k", total
        return Explanation(mask_id(self.person_index_[i]), mask_id(self.post_index_[j]), score, status,
                           tuple(contributions), tuple(rules))
