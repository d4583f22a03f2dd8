"""Counting checks: hard rule rows that cannot hold on their own, found in milliseconds.

Before any solver runs, every row of a hard rule that needs placements
(``lb > 0``) is compared with an upper bound on what any allocation can reach:

- person-side groups (a county's seekers, a household, a listed person): the
  members with at least one candidate post, and the places in the posts they can
  reach;
- post-side groups (posts of a kind, a site): the places in the group's posts that
  have a candidate, and the persons who are candidates for them;
- general rows: the sum of the positive coefficients (every pair chosen).

A row whose need exceeds its bound is infeasible whatever else happens, so the
problem is infeasible and that rule alone is a smallest conflicting set. The
checks are necessary conditions only: passing them proves nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from jhmatch.i18n import gettext as _
from jhmatch.optimize.constraints import Block
from jhmatch.optimize.problem import AllocationProblem
from jhmatch.optimize.wording import label_name

__all__ = ["ShortRow", "counting_conflicts", "describe_short_rows", "short_rows_frame"]

_TOL = 1e-9


@dataclass(frozen=True)
class ShortRow:
    """A hard row that cannot reach its lower bound: ``need`` placements, at most ``most`` possible."""

    block: int
    constraint: str
    label: str
    need: float
    ub: float
    most: float
    persons: float
    places: float
    side: str | None


def _unique_sum(group: np.ndarray, other: np.ndarray, amount: np.ndarray, n_groups: int) -> np.ndarray:
    """Per group, the sum of ``amount[other]`` over the distinct ``other`` elements linked to it."""
    keep = group >= 0
    if not keep.any():
        return np.zeros(n_groups)
    key = np.unique(np.column_stack([group[keep], other[keep]]), axis=0)
    return np.bincount(key[:, 0], weights=amount[key[:, 1]], minlength=n_groups)


def _group_bounds(problem: AllocationProblem, b: Block) -> tuple[np.ndarray, np.ndarray]:
    """Upper bounds on a group block's activity: (persons in reach, places in reach) per row."""
    assert b.membership is not None
    k = b.n_rows
    caps = problem.capacities.astype(float)
    if problem.pair_usage is not None:  # weighted capacity: places are a budget, not a head count
        caps = np.full(problem.n_posts, np.inf)
    if b.side == "person":
        group = b.membership[problem.pair_person]
        persons = _unique_sum(group, problem.pair_person, np.ones(problem.n_persons), k)
        places = _unique_sum(group, problem.pair_post, caps, k)
    else:
        group = b.membership[problem.pair_post]
        persons = _unique_sum(group, problem.pair_person, np.ones(problem.n_persons), k)
        places = _unique_sum(group, problem.pair_post, caps, k)
    return persons, places


def counting_conflicts(problem: AllocationProblem, blocks: list[Block], limit: int = 50) -> list[ShortRow]:
    """Hard rows whose need exceeds what any allocation can reach (at most ``limit`` rows).

    Examples
    --------
    >>> from jhmatch.matching.score_matrix import ScoreMatrix
    >>> from jhmatch.optimize import PlacementGuarantee
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a", "b"], "post_id": ["x", "x"], "score": [1.0, 1.0]}))
    >>> prob = AllocationProblem(sm, [0], constraints=[PlacementGuarantee(["a"])])
    >>> from jhmatch.optimize.evaluate import compile_blocks
    >>> [(r.label, r.need, r.most) for r in counting_conflicts(prob, compile_blocks(prob))]
    [('a', 1.0, 0.0)]
    """
    out: list[ShortRow] = []
    for i, b in enumerate(blocks):
        if not b.hard or b.n_rows == 0:
            continue
        impossible = b.lb > b.ub + _TOL
        needs = b.lb > _TOL
        if not (needs.any() or impossible.any() or (b.ub < -_TOL).any()):
            continue
        if b.is_group:
            persons, places = _group_bounds(problem, b)
            most = np.minimum(persons, places)
            least = np.zeros(b.n_rows)
        else:
            m = b.pair_matrix(problem)
            most = np.asarray(m.maximum(0).sum(axis=1)).ravel()
            least = np.asarray(m.minimum(0).sum(axis=1)).ravel()
            persons = places = np.full(b.n_rows, np.nan)
        bad = np.flatnonzero(impossible | (b.lb > most + _TOL) | (b.ub < least - _TOL))
        for r in bad[: max(limit - len(out), 0)]:
            out.append(ShortRow(i, b.name, str(b.labels[r]), float(b.lb[r]), float(b.ub[r]), float(min(most[r], b.ub[r])),
                                float(persons[r]), float(places[r]), b.side))
        if len(out) >= limit:
            break
    return out


def _one(row: ShortRow) -> str:
    fmt = {"label": label_name(row.label), "need": f"{row.need:g}",
           "most": f"{row.most:g}", "persons": f"{row.persons:g}", "places": f"{row.places:g}"}
    if row.side == "person":
        text = _("{label} needs at least {need} placement(s), but at most {most} are possible "
                 "({persons} of its persons have a candidate post; {places} place(s) in those posts)")
    elif row.side == "post":
        text = _("{label} needs at least {need} placement(s), but at most {most} are possible "
                 "({places} place(s) in its posts that have candidates; {persons} candidate person(s))")
    else:
        text = _("row {label} needs at least {need}, but at most {most} is possible with the candidate pairs")
    return text.format(**fmt)


def describe_short_rows(rows: list[ShortRow], shown: int = 5) -> str:
    """The rows (of one rule) in plain words, at most ``shown`` of them (then how many more).

    Examples
    --------
    >>> describe_short_rows([ShortRow(0, "GraduateGuarantee", "p1", 1.0, np.inf, 0.0, 0.0, 0.0, "person")])[:45]
    'p1 needs at least 1 placement(s), but at most'
    """
    text = "; ".join(_one(r) for r in rows[:shown])
    if len(rows) > shown:
        text += _(" (and {n} more row(s))").format(n=len(rows) - shown)
    return text


def short_rows_frame(rows: list[ShortRow]) -> pd.DataFrame:
    """The rows as the diagnosis table: ``constraint, label, lb, ub, activity, violation``.

    ``activity`` is the most any allocation reaches, ``violation`` the shortfall.
    """
    return pd.DataFrame({"constraint": [r.constraint for r in rows], "label": [r.label for r in rows],
                         "lb": [r.need for r in rows], "ub": [r.ub for r in rows],
                         "activity": [r.most for r in rows], "violation": [r.need - r.most for r in rows]},
                        columns=["constraint", "label", "lb", "ub", "activity", "violation"])
