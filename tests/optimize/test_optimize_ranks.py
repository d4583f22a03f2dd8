"""Ranks within groups (jhmatch.optimize.ranks) against a lexsort oracle written here."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from jhmatch.optimize.ranks import ranks_within


def _oracle(group: np.ndarray, key: np.ndarray, descending: bool) -> np.ndarray:
    out = np.empty(group.size, np.int64)
    for g in np.unique(group):
        idx = np.flatnonzero(group == g)
        order = sorted(idx, key=lambda i: ((-key[i] if descending else key[i]), i))
        out[order] = np.arange(len(order))
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(-3, 3)), max_size=40), st.booleans())
def test_ranks_within_match_a_sort_per_group(pairs, descending):
    group = np.array([g for g, _ in pairs], dtype=np.int64)
    key = np.array([k for _, k in pairs], dtype=float)
    assert ranks_within(group, key, descending=descending).tolist() == _oracle(group, key, descending).tolist()
