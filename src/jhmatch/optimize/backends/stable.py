"""Stable matching with capacities (hospitals/residents): deferred acceptance on integer arrays.

Preferences come from the scores (a person prefers a higher score; a post
prefers a higher value = weight × score, i.e. priority groups first), ties broken
by index, or from explicit ranks (lower is better) with the sparsity of the
scores. Every round, all free proposers propose at once and every receiver keeps
its best offers — one sort of the current pool per round, no Python loop over
pairs. ``blocking_pairs`` checks a matching independently.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import scipy.sparse as sp

from jhmatch.checks import one_of
from jhmatch.errors import ParameterError
from jhmatch.i18n import gettext as _
from jhmatch.optimize.backends.base import SolveOptions, heuristic_support, supported_blocks
from jhmatch.optimize.constraints import Block
from jhmatch.optimize.evaluate import REASON_REJECTED, make_allocation
from jhmatch.optimize.problem import AllocationProblem
from jhmatch.optimize.ranks import rank_in_sorted_groups, ranks_within
from jhmatch.optimize.result import Allocation, Status

__all__ = ["StableBackend", "blocking_pairs", "deferred_acceptance", "preference_ranks"]


def preference_ranks(problem: AllocationProblem, person_ranks: Any = None,
                     post_ranks: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """Rank of every pair in its person's and in its post's list (0 = first choice).

    Examples
    --------
    >>> import pandas as pd
    >>> from jhmatch.matching.score_matrix import ScoreMatrix
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame(
    ...     {"person_id": ["a", "a", "b"], "post_id": ["x", "y", "x"], "score": [0.9, 0.5, 0.8]}))
    >>> [r.tolist() for r in preference_ranks(AllocationProblem(sm, [1, 1]))]
    [[0, 1, 0], [0, 0, 1]]
    """
    i, j = problem.pair_person, problem.pair_post

    def from_explicit(ranks: Any) -> np.ndarray:
        r = sp.csr_array(ranks)
        r.sort_indices()
        s = problem.scores.scores
        if r.shape != s.shape or r.nnz != s.nnz or not np.array_equal(r.indices, s.indices):
            raise ParameterError("explicit ranks must have exactly the sparsity of the scores")
        return r.data.astype(float)

    key_p = from_explicit(person_ranks) if person_ranks is not None else -problem.pair_score
    key_q = from_explicit(post_ranks) if post_ranks is not None else -problem.values
    e = i.size
    s = problem.scores.scores
    by_post = sp.csr_array((np.arange(1, e + 1, dtype=np.int64), s.indices, s.indptr), shape=s.shape).tocsc()
    pr = _ranks_in_rows(s.indptr, np.arange(e), key_p)
    qr = _ranks_in_rows(by_post.indptr, by_post.data - 1, key_q)
    return (pr if pr is not None else ranks_within(i, key_p)), (qr if qr is not None else ranks_within(j, key_q))


def _ranks_in_rows(indptr: np.ndarray, members: np.ndarray, key: np.ndarray) -> np.ndarray | None:
    """Ranks by ``key`` within CSR-like groups (members listed in tie order) via a padded row-wise sort.

    ``None`` when the padding would be too large (very uneven group sizes).
    """
    lengths = np.diff(indptr)
    width = int(lengths.max(initial=0))
    if lengths.size * width > 4 * members.size + 100_000:
        return None
    grp = np.repeat(np.arange(lengths.size), lengths)
    pos = np.arange(members.size) - np.repeat(indptr[:-1], lengths)
    pad = np.full((lengths.size, width), np.inf)
    pad[grp, pos] = key[members]
    order = np.argsort(pad, axis=1, kind="stable")
    rank_at = np.empty_like(order)
    np.put_along_axis(rank_at, order, np.broadcast_to(np.arange(width), order.shape), axis=1)
    rank = np.empty(members.size, np.int64)
    rank[members] = rank_at[grp, pos]
    return rank


def deferred_acceptance(person: np.ndarray, post: np.ndarray, pr: np.ndarray, qr: np.ndarray,
                        capacity: np.ndarray, n_persons: int, proposing: str = "person") -> tuple[np.ndarray, int]:
    """Stable matching: indices of the matched pairs and the number of rounds.

    Examples
    --------
    >>> person, post = np.array([0, 0, 1]), np.array([0, 1, 0])
    >>> pr, qr = np.array([0, 1, 0]), np.array([1, 0, 0])
    >>> deferred_acceptance(person, post, pr, qr, np.array([1, 1]), 2)[0].tolist()
    [1, 2]
    """
    one_of("proposing", proposing, ("person", "post"))
    cap = capacity.astype(np.int64)
    n_posts = cap.size
    # one int64 sort key per pair instead of a two-key lexsort in every round
    post_key = post.astype(np.int64) * (int(qr.max(initial=0)) + 1) + qr
    person_key = person.astype(np.int64) * (int(pr.max(initial=0)) + 1) + pr
    if proposing == "person":
        order = np.lexsort((pr, person))
        start = np.searchsorted(person[order], np.arange(n_persons))
        length = np.bincount(person, minlength=n_persons)
        ptr = np.zeros(n_persons, np.int64)
        held = np.zeros(0, np.int64)
        matched = np.zeros(n_persons, bool)
        rounds = 0
        while True:
            who = np.flatnonzero(~matched & (ptr < length))
            if who.size == 0:
                return np.sort(held), rounds
            rounds += 1
            new = order[start[who] + ptr[who]]
            ptr[who] += 1
            pool = np.concatenate([held, new])
            o = pool[np.argsort(post_key[pool])]  # by post, then the post's preference
            keep = rank_in_sorted_groups(post[o]) < cap[post[o]]
            held = o[keep]
            matched[:] = False
            matched[person[held]] = True
    order = np.lexsort((qr, post))
    start = np.searchsorted(post[order], np.arange(n_posts))
    length = np.bincount(post, minlength=n_posts)
    ptr = np.zeros(n_posts, np.int64)
    held = np.zeros(0, np.int64)
    rounds = 0
    while True:
        count = np.bincount(post[held], minlength=n_posts)
        k = np.minimum(cap - count, length - ptr)
        k[k < 0] = 0
        total = int(k.sum())
        if total == 0:
            return np.sort(held), rounds
        rounds += 1
        base = np.repeat(start + ptr, k)
        offs = np.arange(total) - np.repeat(np.cumsum(k) - k, k)
        new = order[base + offs]
        ptr += k
        pool = np.concatenate([held, new])
        o = pool[np.argsort(person_key[pool])]
        held = o[rank_in_sorted_groups(person[o]) == 0]


def blocking_pairs(person: np.ndarray, post: np.ndarray, pr: np.ndarray, qr: np.ndarray, capacity: np.ndarray,
                   n_persons: int, matched: np.ndarray) -> np.ndarray:
    """Indices of the pairs that block the matching ``matched`` (pair indices).

    A pair blocks when its person prefers the post to their match (or is unmatched)
    and the post has a free place or prefers the person to its worst assignee.

    Examples
    --------
    >>> person, post = np.array([0, 0, 1]), np.array([0, 1, 0])
    >>> pr, qr = np.array([0, 1, 0]), np.array([1, 0, 0])
    >>> blocking_pairs(person, post, pr, qr, np.array([1, 1]), 2, np.array([0])).tolist()
    [2]
    """
    n_posts = capacity.size
    my_rank = np.full(n_persons, np.iinfo(np.int64).max)
    my_rank[person[matched]] = pr[matched]
    count = np.bincount(post[matched], minlength=n_posts)
    worst = np.full(n_posts, -1, np.int64)
    np.maximum.at(worst, post[matched], qr[matched])
    wants = pr < my_rank[person]
    accepts = (count[post] < capacity[post]) | (qr < worst[post])
    is_matched = np.zeros(person.size, bool)
    is_matched[matched] = True
    return np.flatnonzero(wants & accepts & ~is_matched)


class StableBackend:
    """Deferred acceptance with capacities (``proposing`` = "person" or "post").

    Examples
    --------
    >>> import pandas as pd
    >>> from jhmatch.matching.score_matrix import ScoreMatrix
    >>> from jhmatch.optimize import AllocationProblem
    >>> from jhmatch.optimize.backends.base import SolveOptions
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame(
    ...     {"person_id": ["a", "a", "b"], "post_id": ["x", "y", "x"], "score": [0.9, 0.5, 0.8]}))
    >>> prob = AllocationProblem(sm, [1, 1])
    >>> backend = StableBackend()
    >>> backend.available(), backend.supports(prob, [])
    (True, None)
    >>> result = backend.solve(prob, SolveOptions())
    >>> result.assignments['post_id'].tolist()
    ['x']
    """

    name = "stable"
    options = ("proposing", "person_ranks", "post_ranks")

    def available(self) -> bool:
        """Always."""
        return True

    def supports(self, problem: AllocationProblem, blocks: list[Block]) -> str | None:
        """No weighted capacity, no hard rules."""
        return heuristic_support(problem, blocks, "stable matching", "stable matching ignores rules, but hard rules are set")

    def solve(self, problem: AllocationProblem, options: SolveOptions) -> Allocation:
        """Stable matching; options.extra: ``proposing``, ``person_ranks``, ``post_ranks``."""
        t0 = time.perf_counter()
        blocks = supported_blocks(self, problem)
        proposing = one_of("proposing", options.extra.get("proposing", "person"), ("person", "post"))
        pr, qr = preference_ranks(problem, options.extra.get("person_ranks"), options.extra.get("post_ranks"))
        held, rounds = deferred_acceptance(problem.pair_person, problem.pair_post, pr, qr, problem.capacities,
                                           problem.n_persons, proposing)
        x = np.zeros(problem.n_pairs)
        x[held] = 1.0
        return make_allocation(problem, x, status=Status.FEASIBLE, backend=self.name, blocks=blocks,
                               message=(_("stable matching (deferred acceptance, persons propose; {rounds} rounds)")
                                        if proposing == "person" else
                                        _("stable matching (deferred acceptance, posts propose; {rounds} rounds)")
                                        ).format(rounds=rounds),
                               solve_time=time.perf_counter() - t0,
                               unplaced_reason=REASON_REJECTED)
