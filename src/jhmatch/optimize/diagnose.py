"""Explain infeasibility: a smallest conflicting set of hard rules, and the rows left short.

The deletion filter drops hard constraints one at a time and keeps a constraint
only when the rest become feasible without it; what remains is an irreducible
conflicting set (dropping any one member restores feasibility). The elastic
re-solve relaxes every hard row with a unit penalty per unit of violation and
reports the rows it had to leave short.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np
import pandas as pd

from jhmatch.optimize.constraints import Block
from jhmatch.optimize.evaluate import evaluate
from jhmatch.optimize.problem import AllocationProblem
from jhmatch.optimize.result import Diagnosis

__all__ = ["diagnose", "elastic_blocks"]


def elastic_blocks(blocks: list[Block]) -> list[Block]:
    """Hard blocks made soft with penalty 1 (soft blocks dropped: they never conflict).

    Examples
    --------
    >>> hard = Block("g", np.array(["a"], dtype=object), np.ones(1), np.full(1, np.inf), True, 10.0, "person", np.zeros(1, int))
    >>> [(b.hard, b.penalty) for b in elastic_blocks([hard])]
    [(False, 1.0)]
    """
    return [dataclasses.replace(b, hard=False, penalty=1.0) for b in blocks if b.hard]


def diagnose(problem: AllocationProblem, blocks: list[Block], feasible: Callable[[list[Block]], bool],
             elastic: Callable[[list[Block]], np.ndarray | None]) -> Diagnosis:
    """Find an irreducible conflicting set of hard blocks and the short rows.

    Parameters
    ----------
    feasible : callable
        Given hard blocks, True when they can all hold (with the capacities).
    elastic : callable
        Given soft blocks, a 0/1 pair vector minimising total violation (or None).

    Examples
    --------
    >>> import pandas as pd
    >>> from jhmatch.matching.score_matrix import ScoreMatrix
    >>> from jhmatch.optimize import AllocationProblem
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame(
    ...     {"person_id": ["a", "a", "b"], "post_id": ["x", "y", "x"], "score": [0.9, 0.5, 0.8]}))
    >>> from jhmatch.optimize import PlacementGuarantee
    >>> from jhmatch.optimize.backends.flow import FlowBackend
    >>> prob = AllocationProblem(sm, [1, 0], constraints=[PlacementGuarantee(["a"]), PlacementGuarantee(["b"], name="b")])
    >>> from jhmatch.optimize.evaluate import compile_blocks
    >>> FlowBackend().diagnose(prob, compile_blocks(prob)).conflicting
    ('PlacementGuarantee', 'b')
    """
    hard = [i for i, b in enumerate(blocks) if b.hard]
    keep = list(hard)
    for i in hard:
        trial = [j for j in keep if j != i]
        if not feasible([blocks[j] for j in trial]):
            keep = trial
    names = tuple(dict.fromkeys(blocks[i].name for i in keep))
    soft = elastic_blocks([blocks[i] for i in keep])
    x = elastic(soft)
    parts = []
    if x is not None:
        ev = evaluate(problem, x, soft)
        for b, act, vio in zip(soft, ev.activity, ev.violation):
            short = np.flatnonzero(vio > 0)
            parts.append(pd.DataFrame({"constraint": b.name, "label": b.labels[short].astype(str), "lb": b.lb[short],
                                       "ub": b.ub[short], "activity": act[short], "violation": vio[short]}))
    rows = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["constraint", "label", "lb", "ub", "activity", "violation"])
    if len(names) == 1:
        msg = f"hard rule {names[0]} cannot hold even alone, given the candidate pairs and capacities"
    else:
        msg = f"hard rules {', '.join(names)} cannot hold together (each one alone or without the others can)"
    if len(rows):
        shown = "; ".join(f"{r.constraint}[{r.label}] short by {r.violation:g}" for r in rows.head(8).itertuples())
        msg += f"; at least {rows['violation'].sum():g} unit(s) short in total, e.g. {shown}"
        if len(rows) > 8:
            msg += f" (+{len(rows) - 8} more rows)"
    return Diagnosis(names, rows, msg)
