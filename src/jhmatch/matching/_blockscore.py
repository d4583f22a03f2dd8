"""Scoring one block of persons: the function the scorer maps over its blocks.

:class:`BlockScorer` holds what a block needs (the fitted components, the weights,
the blocking step, ``top_k``) and is called with one block of person rows. It is a
plain picklable object, so an executor may run blocks on threads, in other
processes or on a cluster (:mod:`jhmatch.executor`); every block's result depends
only on the block, so the assembled result does not depend on where blocks ran.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from jhmatch.matching.candidates import ColumnTop, top_k_per_row
from jhmatch.matching.components import Component
from jhmatch.matching.location import LocationComponent

__all__ = ["CHUNK_PAIRS", "BlockResult", "BlockScorer"]

CHUNK_PAIRS = 1 << 19
"""Pairs scored at a time (rows of one block). A float32 array of this size is 2 MiB:
a chunk's arrays stay in the processor's cache, which makes the many elementwise
passes faster than on a whole block, while each chunk's fixed cost (a few hundred
numpy calls) stays small. On make_jinhua 100,000 x 10,000, 2**16 … 2**22 were tried:
CPU time falls up to 2**20, but from 2**20 on glibc's malloc returns the chunks'
memory to the system after every chunk (about 600,000 page faults, +2 s)."""

BlockResult = tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, np.ndarray], np.ndarray]
"""Rows, columns (global indices), scores, component values and "in its person's top-k" flags."""


def _pick(values: np.ndarray, r: np.ndarray, c: np.ndarray, flat: np.ndarray) -> np.ndarray:
    """``broadcast_to(values, (rows, cols))[r, c]`` for values of shape (rows, cols), (rows, 1) or (1, cols);
    ``flat = r * cols + c``."""
    if values.shape[0] == 1:
        return values[0, c] if values.shape[1] > 1 else np.repeat(values[0, 0], c.size)
    if values.shape[1] == 1:
        return values[r, 0]
    return values.reshape(-1)[flat]


def weighted_total(bound: list, rows: np.ndarray, total: np.ndarray, buf: np.ndarray,
                   excluded: np.ndarray) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Weighted total, hard exclusions, and each component's values for one chunk of rows.

    ``bound`` lists ``(name, evaluator, float32 weight)``; a name ``""`` only blocks.
    ``total``, ``buf`` and ``excluded`` are (rows, columns) arrays to fill (any content).
    The total is summed in float32 in the order of ``bound`` and clipped to [0, 1]:
    :meth:`CompatibilityScorer.explain` repeats exactly this arithmetic for one pair.
    """
    values: dict[str, np.ndarray] = {}
    first, none_excluded = True, True
    for name, evaluate, w in bound:
        v, x = evaluate(rows)
        if name:
            values[name] = v
        if x is not None:
            if none_excluded:
                np.copyto(excluded, x)
            elif x.ndim == 2 and x.shape[1] == 1 < excluded.shape[1]:
                excluded[x[:, 0]] = True  # (numpy's | with a broadcast column is ~10x slower)
            else:
                excluded |= x
            none_excluded = False
        if w:
            if v.shape != total.shape:  # broadcast (one value per row or column): multiply the small array
                small = np.multiply(v, w).astype(np.float32, copy=False)
                if first:
                    np.copyto(total, small)
                else:
                    total += small
            else:
                np.multiply(v, w, out=total if first else buf)  # the first product needs no addition
                if not first:
                    total += buf
            first = False
    if first:
        total.fill(0.0)
    if none_excluded:
        excluded.fill(False)
    np.clip(total, 0.0, 1.0, out=total)
    return total, excluded, values


class BlockScorer:
    """Score one block of persons and keep its candidate pairs (a picklable function of the block).

    Parameters
    ----------
    components : mapping of str to Component
        Fitted components, in the scorer's order.
    weights : mapping of str to float
        Normalised weights, one per component.
    location : LocationComponent
        The blocking step (the ``location`` component itself when it is one).
    open_cols : ndarray of int
        Posts with capacity left.
    top_k, top_k_persons : int or None
        As for :class:`~jhmatch.matching.CompatibilityScorer`.
    post_threshold : ndarray of float32, optional
        Each post's k-th best score so far, shared by the blocks run in this process
        (``top_k_persons`` only): a lower bound that lets later blocks skip pairs that
        cannot be among a post's best. It only saves work; results never depend on it.
    """

    def __init__(self, components: Mapping[str, Component], weights: Mapping[str, float],
                 location: LocationComponent, open_cols: np.ndarray, top_k: int | None,
                 top_k_persons: int | None, post_threshold: np.ndarray | None = None):
        self.components, self.weights, self.location = dict(components), dict(weights), location
        self.open_cols, self.top_k, self.top_k_persons = open_cols, top_k, top_k_persons
        self.post_threshold = post_threshold

    def __repr__(self) -> str:
        return f"BlockScorer(components={list(self.components)}, top_k={self.top_k})"

    def __call__(self, block: np.ndarray) -> BlockResult | None:
        """Candidate pairs of one block (global row/column indices), or None when it has none.

        The block's candidate columns are bound once (:meth:`Component.bind`); rows are then
        scored in chunks of about :data:`CHUNK_PAIRS` pairs, small enough for a core's cache.
        """
        rows = np.sort(block)  # ascending inside a block: ties go to the person that sorts first
        cols = self.location.candidate_columns(rows, self.open_cols)
        if not cols.size:
            return None
        bound = [(name, comp.bind(cols), np.float32(self.weights[name])) for name, comp in self.components.items()]
        if self.location is not self.components.get("location"):
            bound.append(("", self.location.bind(cols), np.float32(0.0)))  # blocking only
        post_side = None if self.top_k_persons is None else \
            ColumnTop(cols.size, self.top_k_persons, self.post_threshold, cols)
        step = max(1, min(CHUNK_PAIRS // cols.size, rows.size))
        # the chunks' total, product and exclusion arrays are reused: fewer page faults
        buffers = (np.empty((step, cols.size), np.float32), np.empty((step, cols.size), np.float32),
                   np.empty((step, cols.size), bool))
        parts = []
        for start in range(0, rows.size, step):
            chunk = rows[start:start + step]
            total, excluded, values = weighted_total(bound, chunk, *(b[:chunk.size] for b in buffers))
            total *= np.logical_not(excluded, out=excluded)  # excluded pairs to 0 (a masked store is ~15x slower)
            r, c = top_k_per_row(total, self.top_k)
            flat = r * cols.size + c
            parts.append((chunk[r], c, total.reshape(-1)[flat], {name: _pick(v, r, c, flat) for name, v in values.items()}))
            if post_side is not None:
                post_side.add(total, chunk, values)
        rr, cc, ss, picked = zip(*parts)
        r, c, s = np.concatenate(rr), np.concatenate(cc), np.concatenate(ss)
        picked = {name: np.concatenate([p[name] for p in picked]) for name in picked[0]}
        in_row = np.ones(r.size, bool)
        if post_side is not None:
            pr, pc, ps, pp = post_side.result()
            if pr.size:
                keys = np.concatenate([r * cols.size + c, pr * cols.size + pc])
                keys, first = np.unique(keys, return_index=True)  # a pair on both sides is kept once
                in_row = first < r.size
                r, c, s = keys // cols.size, keys % cols.size, np.concatenate([s, ps])[first]
                picked = {name: np.concatenate([v, pp[name]])[first] for name, v in picked.items()}
        return r, cols[c], s, picked, in_row

