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
    m = values.shape[1]
    positive = values > 0
    if k is None or k >= m:
        r, c = np.nonzero(positive)
        return r.astype(np.int64), c.astype(np.int64)
    if k <= 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    kth = np.partition(values, m - k, axis=1)[:, m - k][:, None]
    selected = values > kth
    equal = (values == kth) & positive
    need = k - selected.sum(axis=1)
    ties = np.flatnonzero(equal.sum(axis=1) > need)
    if ties.size:
        sub = equal[ties]
        equal[ties] = sub & (np.cumsum(sub, axis=1) <= need[ties, None])
    selected |= equal
    r, c = np.nonzero(selected)
    return r.astype(np.int64), c.astype(np.int64)


def person_blocks(groups: np.ndarray, block_size: int) -> Iterator[np.ndarray]:
    """Row indices grouped by ``groups`` (e.g. county code) and cut into blocks.

    Blocks of one group share their candidate posts (blocking); within a block
    rows keep ascending order.

    Examples
    --------
    >>> [b.tolist() for b in person_blocks(np.array([1, 0, 1, 1, 0]), 2)]
    [[1, 4], [0, 2], [3]]
    """
    order = np.argsort(groups, kind="stable")
    bounds = np.flatnonzero(np.diff(groups[order])) + 1
    for part in np.split(order, bounds):
        for start in range(0, part.size, block_size):
            yield part[start:start + block_size]
