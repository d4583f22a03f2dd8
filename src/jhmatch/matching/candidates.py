"""Candidate generation helpers: blocks of persons and deterministic top-k selection."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

__all__ = ["ColumnTop", "person_blocks", "top_k_per_row"]


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
    flat = np.flatnonzero(values >= bound[:, None])  # row-major: columns ascending within a row
    r = flat // m
    v = values.reshape(-1)[flat]
    if v.dtype == np.float32:
        # one int64 key: row ascending, then value descending (the bits of positive
        # float32 values sort like the values); a stable sort keeps columns ascending on ties
        key = (r << 31) | (0x7FFFFFFF - v.view(np.int32).astype(np.int64))
        order = np.argsort(key, kind="stable")
    else:
        order = np.lexsort((flat, -v, r))
    r_sorted = r[order]
    counts = np.bincount(r_sorted, minlength=b)
    rank = np.arange(r.size) - (np.cumsum(counts) - counts)[r_sorted]  # position within its row
    flat = np.sort(flat[order[rank < k]], kind="stable")  # (stable: a merge of sorted runs, fast here)
    return (flat // m).astype(np.int64), (flat % m).astype(np.int64)


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


def _take(values: np.ndarray, r: np.ndarray, c: np.ndarray, m: int) -> np.ndarray:
    """``broadcast_to(values, (rows, m))[r, c]`` for values of shape (rows, m), (rows, 1) or (1, m)."""
    if values.shape[0] == 1:
        return np.broadcast_to(values[0], (m,))[c]
    if values.shape[1] == 1:
        return values[r, 0]
    return values.reshape(-1)[r * m + c]


class ColumnTop:
    """Running best ``k`` rows of every column over chunks of rows given in ascending row order.

    Each chunk's positive entries at or above their column's current threshold (the
    ``k``-th best value kept so far; none until ``k`` rows were offered) are kept with
    their payload. Kept entries are cut back to the ``k`` best of each column (score
    descending, then row ascending), raising the thresholds, once ``k`` rows were
    offered and again whenever they exceed ``4 k`` per column; :meth:`result` cuts
    them back a last time. Entries are kept in the order offered (rows ascending).

    Several blocks of rows may share their thresholds through ``shared`` (one value
    per global column, ``cols`` mapping this block's columns to it): a value below
    the ``k``-th best of *any* block cannot be among a column's ``k`` best overall.
    Threads may update it side by side: a lost update only leaves a lower threshold.

    Examples
    --------
    >>> top = ColumnTop(n_cols=2, k=1)
    >>> top.add(np.array([[0.5, 0.0]], np.float32), np.array([0]), {})
    >>> top.add(np.array([[0.5, 0.2], [0.9, 0.1]], np.float32), np.array([1, 2]), {})
    >>> r, c, s, _ = top.result()
    >>> r.tolist(), c.tolist(), [round(float(x), 2) for x in s]
    ([1, 2], [1, 0], [0.2, 0.9])
    """

    def __init__(self, n_cols: int, k: int, shared: np.ndarray | None = None, cols: np.ndarray | None = None):
        self.k = k
        self.threshold = np.full(n_cols, np.finfo(np.float32).tiny, np.float32)
        self.shared, self.cols = shared, cols
        self.parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, np.ndarray]]] = []
        self.size = 0
        self.offered = 0  # rows offered so far

    def add(self, values: np.ndarray, rows: np.ndarray, payload: dict[str, np.ndarray]) -> None:
        """Offer a chunk: float32 ``values`` (len(rows) x n_cols) and arrays broadcastable to it."""
        m = values.shape[1]
        if self.shared is not None:
            np.maximum(self.threshold, self.shared[self.cols], out=self.threshold)
        flat = np.flatnonzero(values >= self.threshold)
        r, c = flat // m, flat % m
        self.parts.append((rows[r], c, values.reshape(-1)[flat],
                           {name: _take(v, r, c, m) for name, v in payload.items()}))
        self.size += flat.size
        before, self.offered = self.offered, self.offered + rows.size
        if self.size > 4 * self.k * m or (before < self.k <= self.offered):
            self._cut()

    def _cut(self) -> None:
        r, c, s, p = self._concat()
        # one int64 key: column ascending, then value descending (bits of positive float32
        # values sort like the values); the stable sort keeps rows ascending on ties
        key = (c << 31) | (0x7FFFFFFF - s.view(np.int32).astype(np.int64))
        order = np.argsort(key, kind="stable")
        c_sorted = c[order]
        counts = np.bincount(c_sorted, minlength=self.threshold.size)
        rank = np.arange(order.size) - (np.cumsum(counts) - counts)[c_sorted]  # position within its column
        full = order[rank == self.k - 1]  # the k-th best of columns that have k entries
        self.threshold[c[full]] = s[full]
        if self.shared is not None:
            at = self.cols[c[full]]
            self.shared[at] = np.maximum(self.shared[at], s[full])
        keep = np.sort(order[rank < self.k])
        self.parts = [(r[keep], c[keep], s[keep], {name: v[keep] for name, v in p.items()})]
        self.size = keep.size

    def _concat(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        if len(self.parts) == 1:
            return self.parts[0]
        r, c, s, p = zip(*self.parts)
        return (np.concatenate(r), np.concatenate(c), np.concatenate(s),
                {name: np.concatenate([x[name] for x in p]) for name in p[0]})

    def result(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        """Rows, columns, values and payloads of the ``k`` best entries of every column."""
        if not self.parts:
            return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.float32), {}
        self._cut()
        return self.parts[0]
