"""Fairness between groups: each group's placement rate against the city's.

The measure (issue 17) is the *relative rate* of a group ``g`` — its placement
rate over the city's::

    ratio_g = (placed_g / seekers_g) / (placed / seekers)

and the fairness of an allocation is its worst group's ratio (at most 1: the
city rate is the seekers-weighted mean of the group rates). *Seekers* are the
problem's persons who are willing (``willing`` column; everyone without it);
*placed* counts placements of seekers. A group is a county (``by="county"``) or a
disability category (``by="category"``) of the persons table; a seeker without a
group counts in the city's figures and in no group.

A floor ``ratio_g >= r`` is linear in the pair variables ``x`` once multiplied out::

    placed_g - r * (seekers_g / seekers) * placed >= 0

so :class:`RelativeRateFloor` adds one row per group (a general row: it touches
every seeker's pairs, so it never joins the flow network; the MILP backend takes
it, and its Lagrangian phase prices it around the min-cost flow on large
problems). An allocation that places nobody meets every floor; its ratio is
undefined (NaN here).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from jhmatch.checks import non_negative_number, one_of
from jhmatch.errors import ParameterError
from jhmatch.optimize.blocks import Block, _category, _column, _county, _flag, _keys
from jhmatch.optimize.constraints import Constraint

if TYPE_CHECKING:  # pragma: no cover
    from jhmatch.optimize.problem import AllocationProblem

__all__ = ["GROUPINGS", "RelativeRateFloor", "group_keys", "group_rates", "max_min_rate", "worst_group"]

GROUPINGS: Mapping[str, str] = MappingProxyType({"county": "county", "category": "category"})
"""The groupings the fairness measure knows: name -> persons column."""


def _parse_group(by: str) -> Any:
    return _county if by == "county" else _category


def group_keys(problem: AllocationProblem, by: str) -> np.ndarray:
    """The group of every person of ``problem`` (``None``: not a seeker, or no group).

    Examples
    --------
    >>> from jhmatch.matching.score_matrix import ScoreMatrix
    >>> from jhmatch.optimize import AllocationProblem
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a", "b"], "post_id": ["x", "x"], "score": [1, 1]}))
    >>> persons = pd.DataFrame({"person_id": ["a", "b"], "county": ["330723", None]})
    >>> group_keys(AllocationProblem(sm, [1], persons=persons), "county").tolist()
    ['330723', None]
    """
    one_of("by", by, tuple(GROUPINGS))
    keys = _keys(_column(problem, "persons", GROUPINGS[by], f"fairness by {by}"))
    keys[~_flag(problem, "willing", "fairness", default=True)] = None
    return keys


def _seekers(problem: AllocationProblem) -> np.ndarray:
    return _flag(problem, "willing", "fairness", default=True)


def group_rates(problem: AllocationProblem, selected: np.ndarray | None, by: str = "county") -> pd.DataFrame:
    """Seekers, placements, rate and ratio to the city rate of every group, for the chosen pairs.

    Parameters
    ----------
    problem : AllocationProblem
        The problem (its persons table has the ``by`` column).
    selected : array of int or None
        Indices of the chosen pairs (:attr:`Allocation.selected`); ``None``: nobody placed.
    by : {"county", "category"}
        The grouping.

    Returns
    -------
    DataFrame
        ``group, seekers, placed, rate, ratio`` sorted by group; ``ratio`` is NaN when
        nobody is placed.

    Examples
    --------
    >>> from jhmatch.matching.score_matrix import ScoreMatrix
    >>> from jhmatch.optimize import AllocationProblem
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a", "b", "c"], "post_id": ["x", "x", "x"],
    ...                                           "score": [1.0, 1.0, 1.0]}))
    >>> persons = pd.DataFrame({"person_id": ["a", "b", "c"], "county": ["330723", "330723", "330727"]})
    >>> prob = AllocationProblem(sm, [2], persons=persons)
    >>> group_rates(prob, np.array([0, 2]))[["group", "rate", "ratio"]].round(3).values.tolist()
    [['330723', 0.5, 0.75], ['330727', 1.0, 1.5]]
    """
    keys = group_keys(problem, by)
    seek = _seekers(problem)
    placed = np.zeros(problem.n_persons, dtype=bool)
    if selected is not None and len(selected):
        placed[problem.pair_person[np.asarray(selected, dtype=np.int64)]] = True
    placed &= seek
    has = np.array([k is not None for k in keys], dtype=bool)
    frame = pd.DataFrame({"group": keys[has].astype(str), "seekers": 1, "placed": placed[has].astype(int)})
    out = frame.groupby("group", sort=True)[["seekers", "placed"]].sum().reset_index()
    out["rate"] = out["placed"] / out["seekers"]
    city = placed.sum() / max(int(seek.sum()), 1)
    out["ratio"] = out["rate"] / city if city > 0 else np.nan
    return out


def worst_group(rates: pd.DataFrame, groups: Sequence[Any] | None = None) -> tuple[str | None, float]:
    """The group with the lowest ratio in a :func:`group_rates` table (among ``groups``), and that ratio.

    Examples
    --------
    >>> worst_group(pd.DataFrame({"group": ["a", "b"], "ratio": [1.2, 0.8]}))
    ('b', 0.8)
    """
    sub = rates if groups is None else rates[rates["group"].isin([str(g) for g in groups])]
    if sub.empty or sub["ratio"].isna().all():
        return None, float("nan")
    row = sub.loc[sub["ratio"].idxmin()]
    return str(row["group"]), float(row["ratio"])


@dataclass(frozen=True)
class RelativeRateFloor(Constraint):
    """Every group places at least ``ratio`` times the city's placement rate.

    One row per group ``g``: ``placed_g - ratio_g * (seekers_g / seekers) * placed >= 0``
    (see the module docstring). A general row, solved by the MILP backend.

    Parameters
    ----------
    ratio : float or mapping group -> float
        The floor, e.g. 0.9 (each group at least 90 % of the city rate); a mapping
        sets it per group and puts rows on those groups only.
    by : {"county", "category"}
        Group persons by county or by disability category.
    groups : sequence, optional
        Only these groups get a row (default: every group present, or the mapping's
        keys). Counties by code or name, categories by value or Chinese name.

    Examples
    --------
    >>> RelativeRateFloor(ratio=0.9, groups=["武义", "磐安"]).by
    'county'
    """

    ratio: Any = 1.0
    by: str = "county"
    groups: Sequence[Any] | None = None

    def _floors(self, present: list[str]) -> dict[str, float]:
        parse = _parse_group(self.by)
        if isinstance(self.ratio, Mapping):
            floors = {parse(k): non_negative_number(f"{self.label}: ratio[{k!r}]", v) for k, v in self.ratio.items()}
        else:
            value = non_negative_number(f"{self.label}: ratio", self.ratio)
            wanted = present if self.groups is None else [parse(g) for g in self.groups]
            floors = dict.fromkeys(wanted, value)
        if self.groups is not None and isinstance(self.ratio, Mapping):
            keep = {parse(g) for g in self.groups}
            floors = {k: v for k, v in floors.items() if k in keep}
        return floors

    def compile(self, problem: AllocationProblem) -> Block:
        self._check_penalty()
        one_of(f"{self.label}: by", self.by, tuple(GROUPINGS))
        keys = group_keys(problem, self.by)
        seek = _seekers(problem)
        text = np.array([None if k is None else str(k) for k in keys], dtype=object)
        present = sorted({k for k in text if k is not None})
        floors = self._floors(present)
        labels = sorted(floors)
        total = int(seek.sum())
        counts = {k: int(np.sum(text == k)) for k in labels}
        empty = [k for k in labels if counts[k] == 0]
        if empty and not isinstance(self.ratio, Mapping) and self.groups is None:  # pragma: no cover - by construction
            raise ParameterError(f"{self.label}: no seekers in {empty[0]}")
        coef = np.array([floors[k] * counts[k] / total if total else 0.0 for k in labels], dtype=float)
        e = problem.n_pairs
        person_row = pd.Index(labels, dtype=object).get_indexer(pd.Index(text, dtype=object))
        pair_row = person_row[problem.pair_person]
        pair_seek = seek[problem.pair_person]
        inside = np.flatnonzero(pair_row >= 0)
        member = sp.csr_array((np.ones(inside.size), (pair_row[inside], inside)), shape=(len(labels), e))
        # the city's share of each row: dense over the seekers' pairs (coefficients below 1e-15 dropped)
        cols = np.flatnonzero(pair_seek)
        rows_with = np.flatnonzero(coef > 0)
        city = sp.csr_array((np.repeat(coef[rows_with], cols.size), (np.repeat(rows_with, cols.size),
                                                                     np.tile(cols, rows_with.size))),
                            shape=(len(labels), e))
        matrix = sp.csr_array(member - city)
        matrix.sum_duplicates()
        return Block(self.label, np.array(labels, dtype=object), np.zeros(len(labels)), np.full(len(labels), np.inf),
                     self.hard, float(self.penalty), None, None, matrix)


def max_min_rate(counts: np.ndarray, total: int, m_max: float) -> tuple[float, float]:
    """Best ratio reachable when every group's rate can be raised up to ``m_max`` and no further.

    For counts ``s_g`` of seekers and a common rate ``m``, the fewest placements with
    every group's rate at least ``m`` are ``ceil(m * s_g)`` (one can always leave a
    placed person out), so the ratio reachable at ``m`` is
    ``m * S / sum_g ceil(m * s_g)`` with ``S`` (``total``) the city's seekers (a seeker
    without a group stays unplaced); the best over the candidate rates
    ``k / s_g <= m_max`` is returned with its ``m``.

    Examples
    --------
    >>> max_min_rate(np.array([2, 3]), 5, 0.5)
    (0.8333333333333334, 0.5)
    """
    counts = np.asarray(counts, dtype=np.int64)
    if total == 0 or m_max <= 0:
        return float("nan"), 0.0
    cands = np.unique(np.concatenate([np.arange(1, math.floor(m_max * s + 1e-9) + 1) / s for s in counts if s > 0]))
    if cands.size == 0:
        return float("nan"), 0.0
    need = np.ceil(np.outer(cands, counts) - 1e-9).sum(axis=1)
    ratio = cands * total / need
    best = int(np.argmax(ratio))
    return float(ratio[best]), float(cands[best])
