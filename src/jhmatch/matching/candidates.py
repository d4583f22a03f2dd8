"""Candidate generation helpers: blocks of persons and deterministic top-k selection."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

__all__ = ["person_blocks", "top_k_per_row"]


def top_k_per_row(values: np.ndarray, k: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the ``k`` largest *positive* values of each row, ties to the lower column.

    Parameters
    ----------
    values : ndarray, shape (b, m)
        Scores; zero means "not a candidate".
    k : int or None
        Entries to keep per row; ``None`` keeps every positive entry.

    Returns
    -------
    rows, cols : ndarray of int64
        Selected positions in row-major order (columns ascending within a row).

    Examples
    --------
    >>> v = np.array([[0.5, 0.9, 0.5, 0.5], [0.0, 0.0, 0.3, 0.0]], dtype=np.float32)
    >>> r, c = top_k_per_row(v, 2)
    >>> r.tolist(), c.tolist()
    ([0, 0, 1], [0, 1, 2])
    """
    b, m = values.shape
    if k is None or k >= m:
        r, c = np.nonzero(values > 0)
        return r.astype(np.int64), c.astype(np.int64)
    if k <= 0 or b == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    # A lower bound on each row's k-th largest value: the k-th largest of the maxima
    # of 2k column chunks (k chunk maxima >= t means k entries >= t). Only entries
    # at or above it are sorted exactly, by (score descending, column ascending).
    chunks = 2 * k
    if m >= 4 * k:
        starts = (np.arange(chunks) * m) // chunks
        maxima = np.maximum.reduceat(values, starts, axis=1)
        bound = np.partition(maxima, chunks - k, axis=1)[:, chunks - k]
    else:
        bound = np.partition(values, m - k, axis=1)[:, m - k]
    np.maximum(bound, np.finfo(values.dtype).tiny, out=bound)  # only positive entries
    r, c = np.nonzero(values >= bound[:, None])
    v = values[r, c]
    order = np.lexsort((c, -v, r))
    r, c = r[order], c[order]
    starts = np.searchsorted(r, np.arange(b))
    rank = np.arange(r.size) - starts[r]
    keep = rank < k
    r, c = r[keep], c[keep]
    order = np.lexsort((c, r))
    return r[order].astype(np.int64), c[order].astype(np.int64)


def person_blocks(groups: np.ndarray, block_size: int, within: np.ndarray | None = None) -> Iterator[np.ndarray]:
    """Row indices grouped by ``groups`` (e.g. county code) and cut into blocks.

    Blocks of one group share their candidate posts (blocking); within a group
    rows are ordered by ``within`` (e.g. latitude, so a block covers a compact
    area), then by index.

    Examples
    --------
    >>> [b.tolist() for b in person_blocks(np.array([1, 0, 1, 1, 0]), 2)]
    [[1, 4], [0, 2], [3]]
    """
    order = np.lexsort((np.arange(groups.size), groups) if within is None else (np.arange(groups.size), within, groups))
    bounds = np.flatnonzero(np.diff(groups[order])) + 1
    for part in np.split(order, bounds):
        for start in range(0, part.size, block_size):
            yield part[start:start + block_size]
