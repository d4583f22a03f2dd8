"""Ranks within groups, vectorised: the one home of "rank within a group" for the backends.

Examples
--------
>>> import numpy as np
>>> ranks_within(np.array([0, 0, 1, 0]), np.array([3.0, 1.0, 2.0, 2.0])).tolist()
[2, 0, 0, 1]
>>> ranks_within(np.array([0, 0, 1, 0]), np.array([3.0, 1.0, 2.0, 2.0]), descending=True).tolist()
[0, 2, 0, 1]
"""

from __future__ import annotations

import numpy as np

__all__ = ["rank_in_sorted_groups", "ranks_within"]


def rank_in_sorted_groups(group: np.ndarray) -> np.ndarray:
    """Position of every element within its run of equal ``group`` values (input sorted by group).

    Examples
    --------
    >>> rank_in_sorted_groups(np.array([4, 4, 7, 7, 7])).tolist()
    [0, 1, 0, 1, 2]
    """
    n = group.size
    if n == 0:
        return np.zeros(0, np.int64)
    start = np.r_[True, group[1:] != group[:-1]]
    first = np.maximum.accumulate(np.where(start, np.arange(n), 0))
    return np.arange(n) - first


def ranks_within(group: np.ndarray, key: np.ndarray, *, descending: bool = False) -> np.ndarray:
    """Rank (0 = first) of every element by ``key`` within its ``group``; ties keep input order.

    One stable integer sort of ``group * n_keys + dense_rank(key)`` instead of a 3-key lexsort.
    """
    if key.size == 0:
        return np.zeros(0, np.int64)
    _uniq, dense = np.unique(-key if descending else key, return_inverse=True)
    combined = group.astype(np.int64) * (int(dense.max()) + 1) + dense
    order = np.argsort(combined, kind="stable")
    rank = np.empty(key.size, np.int64)
    rank[order] = rank_in_sorted_groups(group[order])
    return rank
