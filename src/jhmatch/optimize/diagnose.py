"""Explain infeasibility within a time budget: which hard rules conflict, in plain words.

Cheapest checks first, each one a proof when it finds something:

1. counting checks (:mod:`jhmatch.optimize.quickcheck`): a hard row that needs more
   placements than its persons or posts can reach — milliseconds;
2. each hard rule alone with the capacities (a min-cost-flow re-solve when the rule
   is a group rule, else the LP relaxation, then a time-capped MILP);
3. each pair of hard rules;
4. a deletion filter over all hard rules (drop one at a time, keep it only when
   the rest become feasible without it) with the time that is left.

A set found in step 2 or 3, or by a complete step 4, is irreducible: dropping any
one member makes the rest feasible. When the time runs out first the diagnosis says
so (``proven=False``) and names the rules still suspected. An elastic re-solve
(every conflicting row relaxed with a unit penalty per unit of violation) then
reports the rows left short, again only within the time left.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable

import numpy as np
import pandas as pd

from jhmatch.i18n import get_language
from jhmatch.i18n import gettext as _
from jhmatch.limits import DEFAULT_TIME_LIMIT
from jhmatch.optimize.constraints import Block
from jhmatch.optimize.deadline import Deadline
from jhmatch.optimize.evaluate import evaluate
from jhmatch.optimize.network import build_network, laminar_split
from jhmatch.optimize.problem import AllocationProblem
from jhmatch.optimize.quickcheck import counting_conflicts, describe_short_rows, short_rows_frame
from jhmatch.optimize.result import Diagnosis
from jhmatch.optimize.wording import label_name, rule_name, rule_names

__all__ = ["diagnose", "elastic_blocks", "is_feasible", "least_violation"]

Feasible = Callable[[list[Block], Deadline], "bool | None"]
Elastic = Callable[[list[Block], Deadline], "np.ndarray | None"]
_ROWS = ["constraint", "label", "lb", "ub", "activity", "violation"]


def elastic_blocks(blocks: list[Block]) -> list[Block]:
    """Hard blocks made soft with penalty 1 (soft blocks dropped: they never conflict).

    Examples
    --------
    >>> hard = Block("g", np.array(["a"], dtype=object), np.ones(1), np.full(1, np.inf), True, 10.0, "person", np.zeros(1, int))
    >>> [(b.hard, b.penalty) for b in elastic_blocks([hard])]
    [(False, 1.0)]
    """
    return [dataclasses.replace(b, hard=False, penalty=1.0) for b in blocks if b.hard]


def _flow(problem: AllocationProblem, blocks: list[Block]) -> tuple[str, np.ndarray | None] | None:
    """Min-cost-flow re-solve without values when ``blocks`` fit the network, else None."""
    if problem.usage is not None or laminar_split(blocks)[1]:
        return None
    from jhmatch.optimize.backends.flow import run_network

    return run_network(build_network(problem, blocks, use_values=False))


def is_feasible(problem: AllocationProblem, hard: list[Block], deadline: Deadline) -> bool | None:
    """Can ``hard`` rules hold together with the capacities? ``None`` when not decided by ``deadline``.

    Group rules that fit one flow network are decided exactly by a min-cost flow;
    otherwise the LP relaxation (infeasible LP: infeasible; integral LP: feasible),
    then the MILP without objective.

    Examples
    --------
    >>> from jhmatch.matching.score_matrix import ScoreMatrix
    >>> from jhmatch.optimize import PlacementGuarantee
    >>> from jhmatch.optimize.evaluate import compile_blocks
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a", "b"], "post_id": ["x", "x"], "score": [1.0, 1.0]}))
    >>> prob = AllocationProblem(sm, [1], constraints=[PlacementGuarantee(["a", "b"])])
    >>> is_feasible(prob, compile_blocks(prob), Deadline(10))
    False
    """
    if not hard:
        return True  # nobody placed satisfies the capacities
    flow = _flow(problem, hard)
    if flow is not None:
        status, x = flow
        return True if x is not None else (False if status == "INFEASIBLE" else None)
    from jhmatch.optimize.backends.milp import build_model, run_model

    model = build_model(problem, hard, use_values=False)
    if problem.usage is None:
        lp = run_model(model, True, deadline, None)
        if lp.status == 2:
            return False
        if lp.status == 0 and lp.x is not None and np.all(np.abs(lp.x - np.round(lp.x)) < 1e-7):
            return True
    if deadline.expired:
        return None
    res = run_model(model, False, deadline, None)
    return {0: True, 2: False}.get(res.status)


def least_violation(problem: AllocationProblem, soft: list[Block], deadline: Deadline) -> np.ndarray | None:
    """A 0/1 pair vector with the least total violation of the (elastic) ``soft`` rows, or None.

    Examples
    --------
    >>> from jhmatch.matching.score_matrix import ScoreMatrix
    >>> from jhmatch.optimize import PlacementGuarantee
    >>> from jhmatch.optimize.evaluate import compile_blocks
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a", "b"], "post_id": ["x", "x"], "score": [1.0, 1.0]}))
    >>> prob = AllocationProblem(sm, [1], constraints=[PlacementGuarantee(["a", "b"])])
    >>> least_violation(prob, elastic_blocks(compile_blocks(prob)), Deadline(10)).sum()
    np.float64(1.0)
    """
    flow = _flow(problem, soft)
    if flow is not None:
        return flow[1]
    from jhmatch.optimize.backends.milp import build_model, run_model

    res = run_model(build_model(problem, soft, use_values=False), False, deadline, None)
    return None if res.x is None else np.asarray(res.x[: problem.n_pairs])


def _rows_short(problem: AllocationProblem, soft: list[Block], x: np.ndarray | None) -> pd.DataFrame:
    parts = []
    if x is not None:
        ev = evaluate(problem, x, soft)
        for b, act, vio in zip(soft, ev.activity, ev.violation):
            short = np.flatnonzero(vio > 0)
            parts.append(pd.DataFrame({"constraint": b.name, "label": b.labels[short].astype(str), "lb": b.lb[short],
                                       "ub": b.ub[short], "activity": act[short], "violation": vio[short]}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=_ROWS)


def _describe_rows(rows: pd.DataFrame, shown: int = 8) -> str:
    if not len(rows):
        return ""
    examples = "; ".join(_("{rule} for {label}: {short} short").format(
        rule=rule_name(r.constraint), label=label_name(r.label), short=f"{r.violation:g}")
        for r in rows.head(shown).itertuples())
    text = _("at least {total} placement(s) short in total, e.g. {examples}").format(
        total=f"{rows['violation'].sum():g}", examples=examples)
    if len(rows) > shown:
        text += _(" (and {n} more row(s))").format(n=len(rows) - shown)
    return text


def diagnose(problem: AllocationProblem, blocks: list[Block], deadline: Deadline | None = None, *,
             feasible: Feasible | None = None, elastic: Elastic | None = None) -> Diagnosis:
    """Find a smallest set of conflicting hard rules, cheapest checks first, by ``deadline``.

    Parameters
    ----------
    problem : AllocationProblem
    blocks : list of Block
        Its compiled rules (the hard ones are examined).
    deadline : Deadline, optional
        When to stop looking (default :data:`jhmatch.limits.DEFAULT_TIME_LIMIT` from now).
    feasible, elastic : callable, optional
        ``feasible(hard_blocks, deadline) -> bool | None`` and ``elastic(soft_blocks,
        deadline) -> pair vector | None``; default :func:`is_feasible` and
        :func:`least_violation` on ``problem``.

    Examples
    --------
    >>> from jhmatch.matching.score_matrix import ScoreMatrix
    >>> from jhmatch.optimize import AllocationProblem, PlacementGuarantee
    >>> from jhmatch.optimize.evaluate import compile_blocks
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame(
    ...     {"person_id": ["a", "a", "b"], "post_id": ["x", "y", "x"], "score": [0.9, 0.5, 0.8]}))
    >>> prob = AllocationProblem(sm, [1, 0], constraints=[PlacementGuarantee(["a"]), PlacementGuarantee(["b"], name="b")])
    >>> diag = diagnose(prob, compile_blocks(prob))
    >>> diag.conflicting, diag.proven
    (('PlacementGuarantee', 'b'), True)
    """
    deadline = deadline or Deadline(DEFAULT_TIME_LIMIT)
    feasible = feasible or (lambda hard, d: is_feasible(problem, hard, d))
    elastic = elastic or (lambda soft, d: least_violation(problem, soft, d))
    hard = [i for i, b in enumerate(blocks) if b.hard]

    short = counting_conflicts(problem, blocks)
    if short:
        first = short[0].block
        mine = [r for r in short if r.block == first]
        msg = _("{rule} cannot hold even on its own, whatever else is decided: {details}").format(
            rule=rule_name(blocks[first].name), details=describe_short_rows(mine))
        return Diagnosis((blocks[first].name,), short_rows_frame(mine), msg, True)

    def check(indices: list[int]) -> bool | None:
        if deadline.expired:
            return None
        left = deadline.left()
        return feasible([blocks[k] for k in indices], deadline.cap(None if left is None else max(1.0, left / 3)))

    found: list[int] | None = None
    proven = True
    for i in hard:  # each rule alone
        if check([i]) is False:
            found = [i]
            break
    if found is None and len(hard) > 2:  # each pair
        for i, j in itertools.combinations(hard, 2):
            if check([i, j]) is False:
                found = [i, j]
                break
    if found is None:  # deletion filter over everything
        found = list(hard)
        for i in hard:
            if len(found) <= 1:
                break
            verdict = check([j for j in found if j != i])
            if verdict is False:
                found = [j for j in found if j != i]
            elif verdict is None:
                proven = False
    names = tuple(dict.fromkeys(blocks[i].name for i in found))
    soft = elastic_blocks([blocks[i] for i in found])
    x = None if deadline.expired else elastic(soft, deadline)
    rows = _rows_short(problem, soft, x)
    if len(found) == 1 and proven:
        msg = _("{rule} cannot hold even on its own, with these candidate posts and capacities").format(
            rule=rule_name(names[0]))
    elif proven:
        msg = _("these rules cannot all hold together, though without any one of them the rest can: {rules}").format(
            rules=rule_names(names))
    else:
        msg = _("these rules cannot all hold together: {rules} (the search for a smaller conflicting set stopped "
                "at the time limit)").format(rules=rule_names(names))
    details = _describe_rows(rows)
    if details:
        msg += ("；" if get_language() == "zh" else "; ") + details
    return Diagnosis(names, rows, msg, proven)
