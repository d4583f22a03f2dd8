"""Compile an allocation problem with laminar group rules into one min-cost-flow network.

Nodes: source, sink, one per person, one per post, one per person group and one
per post group. Arcs::

    source -> (person groups, nested) -> person -> post -> (post groups, nested) -> sink
    source -> sink                       (bypass: persons may stay unplaced)

A group with bounds ``[lb, ub]`` becomes the arc into (person side) or out of
(post side) its node. Hard lower bounds use the standard transformation
(capacity ``ub - lb``, supplies moved by ``lb``); a soft bound becomes parallel
arcs with a bonus below ``lb`` / a cost above ``ub`` of ``penalty`` per unit.
Costs are integers: values scaled and rounded by the one rule of
:mod:`jhmatch.optimize.mcf` (penalties on the same scale).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jhmatch.optimize.constraints import Block
from jhmatch.optimize.mcf import cost_scale, integer_costs
from jhmatch.optimize.problem import AllocationProblem

__all__ = ["FlowNetwork", "build_network", "laminar_split"]


def _crossing(a: np.ndarray, b: np.ndarray) -> bool:
    """True when some group of partition ``a`` crosses some group of ``b`` (neither nested nor disjoint)."""
    both = (a >= 0) & (b >= 0)
    if not both.any():
        return False
    size_a = np.bincount(a[a >= 0], minlength=int(a.max()) + 1)
    size_b = np.bincount(b[b >= 0], minlength=int(b.max()) + 1)
    key = a[both] * (int(b.max()) + 1) + b[both]
    uniq, n_ab = np.unique(key, return_counts=True)
    ga, gb = uniq // (int(b.max()) + 1), uniq % (int(b.max()) + 1)
    return bool(np.any((n_ab < size_a[ga]) & (n_ab < size_b[gb])))


def laminar_split(blocks: list[Block]) -> tuple[list[int], list[int]]:
    """Indices of the blocks that fit the network (laminar per side) and of the rest.

    Blocks are taken in order; a group block joins the network when its groups
    cross no group of a block already in it on the same side.

    Examples
    --------
    >>> import numpy as np
    >>> def blk(m):
    ...     m = np.array(m)
    ...     k = m.max() + 1
    ...     return Block("b", np.arange(k).astype(object), np.ones(k), np.full(k, np.inf), True, 1.0, "person", m)
    >>> laminar_split([blk([0, 0, 1, 1]), blk([0, -1, 1, -1]), blk([0, 1, 1, 0])])
    ([0, 1], [2])
    """
    inside: list[int] = []
    rest: list[int] = []
    for i, b in enumerate(blocks):
        if not b.is_group:
            rest.append(i)
            continue
        assert b.membership is not None
        ok = all(not _crossing(b.membership, blocks[j].membership)  # type: ignore[arg-type]
                 for j in inside if blocks[j].side == b.side)
        (inside if ok else rest).append(i)
    return inside, rest


@dataclass(frozen=True, eq=False)
class _Tree:
    """Laminar groups of one side: bounds, parent group (-1 root), deepest group per element."""

    lb: np.ndarray
    ub: np.ndarray
    hard: np.ndarray
    penalty: np.ndarray
    parent: np.ndarray
    deepest: np.ndarray


def _tree(blocks: list[Block], n: int, amount: np.ndarray) -> _Tree:
    """Nest the groups of ``blocks`` (laminar, one side) into a tree."""
    sizes, lbs, ubs, hards, pens, owner, rows = [], [], [], [], [], [], []
    for bi, b in enumerate(blocks):
        assert b.membership is not None
        m = b.membership
        cnt = np.bincount(m[m >= 0], minlength=b.n_rows)
        room = np.bincount(m[m >= 0], weights=amount[m >= 0], minlength=b.n_rows)
        sizes.append(cnt)
        lbs.append(np.maximum(b.lb, 0.0))
        ubs.append(np.minimum(b.ub, room))
        hards.append(np.full(b.n_rows, b.hard))
        pens.append(np.full(b.n_rows, b.penalty))
        owner.append(np.full(b.n_rows, bi))
        rows.append(np.arange(b.n_rows))
    if not blocks:
        z = np.zeros(0)
        return _Tree(z, z, z.astype(bool), z, z.astype(np.int64), np.full(n, -1, np.int64))
    size = np.concatenate(sizes)
    own = np.concatenate(owner)
    row = np.concatenate(rows)
    order = np.lexsort((row, own, -size))  # biggest first; equal sets: earlier block is the parent
    gid_of = [np.empty(b.n_rows, np.int64) for b in blocks]
    for g, k in enumerate(order):
        gid_of[own[k]][row[k]] = g
    parent = np.full(order.size, -1, np.int64)
    label = np.full(n, -1, np.int64)
    start = 0
    while start < order.size:  # runs of consecutive groups from one block (disjoint: set at once)
        stop = start
        while stop < order.size and own[order[stop]] == own[order[start]]:
            stop += 1
        b = blocks[own[order[start]]]
        m = b.membership
        assert m is not None
        sel_rows = row[order[start:stop]]
        in_run = np.zeros(b.n_rows, bool)
        in_run[sel_rows] = True
        elems = np.flatnonzero((m >= 0) & in_run[np.maximum(m, 0)])
        if elems.size:
            grp = gid_of[own[order[start]]][m[elems]]
            uniq, first = np.unique(grp, return_index=True)
            parent[uniq] = label[elems[first]]
            label[elems] = grp
        start = stop
    # group g is the g-th in sorted order
    return _Tree(np.concatenate(lbs)[order], np.concatenate(ubs)[order], np.concatenate(hards)[order],
                 np.concatenate(pens)[order], parent, label)


@dataclass(frozen=True, eq=False)
class FlowNetwork:
    """Arrays of a min-cost-flow network (integer costs and capacities).

    ``pair_arcs`` is the slice of arcs that carry the person → post pairs, in pair order;
    ``rounding`` is the largest rounding error of a pair's value (in value units).
    See :func:`build_network` for an example.
    """

    tails: np.ndarray
    heads: np.ndarray
    capacities: np.ndarray
    costs: np.ndarray
    supplies: np.ndarray
    pair_arcs: slice
    scale: float
    rounding: float


def _bounded_arcs(tail: np.ndarray, head: np.ndarray, tree: _Tree, pen_scale: float,
                  supplies: np.ndarray) -> list[tuple[np.ndarray, ...]]:
    """Arcs for group bounds; hard lower bounds move supplies, soft ones split arcs."""
    lb = np.ceil(tree.lb - 1e-9).astype(np.int64)
    ub = np.floor(np.where(np.isfinite(tree.ub), tree.ub, 0) + 1e-9).astype(np.int64)
    out = []
    hard = tree.hard
    hl = np.minimum(lb, ub)
    h = np.flatnonzero(hard)
    # hard: x = lb + x', x' in [0, ub - lb]; infeasible lb > ub is left for the solver to report
    np.subtract.at(supplies, tail[h], lb[h])
    np.add.at(supplies, head[h], lb[h])
    out.append((tail[h], head[h], np.maximum(ub[h] - lb[h], 0), np.zeros(h.size, np.int64)))
    s = np.flatnonzero(~hard)
    p = integer_costs(tree.penalty[s], pen_scale)[0]
    low = hl[s]
    out.append((tail[s], head[s], low, -p))  # bonus for the first lb units
    mid = np.maximum(ub[s] - low, 0)
    out.append((tail[s], head[s], mid, np.zeros(s.size, np.int64)))
    # soft upper bound: anything above ub costs the penalty (up to what the members can take)
    return out


def build_network(problem: AllocationProblem, blocks: list[Block], scale: float | None = None,
                  use_values: bool = True, pair_bonus: np.ndarray | None = None) -> FlowNetwork:
    """Build the network of ``problem`` with the (laminar) group ``blocks``.

    Soft upper bounds are enforced by capping at the group's size plus a costly
    overflow arc. ``use_values=False`` sets every pair's cost to 0 (feasibility
    and elastic re-solves); ``pair_bonus`` is added to every pair's value
    (Lagrangian multipliers of side rows).

    Examples
    --------
    >>> import pandas as pd
    >>> from jhmatch.matching.score_matrix import ScoreMatrix
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a"], "post_id": ["x"], "score": [0.5]}))
    >>> net = build_network(AllocationProblem(sm, [1]), [], scale=100)
    >>> net.costs[net.pair_arcs].tolist(), net.supplies.tolist()
    ([-50], [1, -1, 0, 0])
    """
    n, m = problem.n_persons, problem.n_posts
    pblocks = [b for b in blocks if b.side == "person"]
    qblocks = [b for b in blocks if b.side == "post"]
    cap = problem.capacities.astype(np.int64)
    ptree = _tree(pblocks, n, np.ones(n))
    qtree = _tree(qblocks, m, cap.astype(float))
    n_pg, n_qg = ptree.parent.size, qtree.parent.size
    src, snk = 0, 1
    person0, post0 = 2, 2 + n
    pg0, qg0 = 2 + n + m, 2 + n + m + n_pg
    n_nodes = qg0 + n_qg
    values = problem.values if use_values else np.zeros(problem.n_pairs)
    if pair_bonus is not None:
        values = values + pair_bonus
    pens = np.concatenate([ptree.penalty[~ptree.hard], qtree.penalty[~qtree.hard], [0.0]])
    vmax = max(float(np.abs(values).max()) if values.size else 0.0, float(pens.max()), 1e-9)
    if scale is None:
        scale = cost_scale(vmax, n_nodes)
    supplies = np.zeros(n_nodes, np.int64)
    flow = n
    supplies[src], supplies[snk] = flow, -flow
    arcs: list[tuple[np.ndarray, ...]] = []
    # person side
    pnode = lambda g: np.where(g >= 0, pg0 + g, src)  # noqa: E731
    if n_pg:
        unlimited = ~np.isfinite(ptree.ub)
        ptree.ub[unlimited] = n
        arcs += _bounded_arcs(pnode(ptree.parent), pg0 + np.arange(n_pg), ptree, scale, supplies)
        soft_ub = np.flatnonzero(~ptree.hard)
        arcs.append((pnode(ptree.parent)[soft_ub], pg0 + soft_ub, np.full(soft_ub.size, n, np.int64),
                     integer_costs(ptree.penalty[soft_ub], scale)[0]))
    arcs.append((pnode(ptree.deepest), person0 + np.arange(n), np.ones(n, np.int64), np.zeros(n, np.int64)))
    # pairs
    costs, rounding = integer_costs(values, scale)
    costs = -costs
    first_pair = sum(a[0].size for a in arcs)
    arcs.append((person0 + problem.pair_person, post0 + problem.pair_post,
                 np.ones(problem.n_pairs, np.int64), costs))
    # post side
    qnode = lambda g: np.where(g >= 0, qg0 + g, snk)  # noqa: E731
    arcs.append((post0 + np.arange(m), qnode(qtree.deepest), cap, np.zeros(m, np.int64)))
    if n_qg:
        unlimited = ~np.isfinite(qtree.ub)
        qtree.ub[unlimited] = int(cap.sum())
        arcs += _bounded_arcs(qg0 + np.arange(n_qg), qnode(qtree.parent), qtree, scale, supplies)
        soft_ub = np.flatnonzero(~qtree.hard)
        arcs.append((qg0 + soft_ub, qnode(qtree.parent)[soft_ub], np.full(soft_ub.size, int(cap.sum()), np.int64),
                     integer_costs(qtree.penalty[soft_ub], scale)[0]))
    arcs.append((np.array([src]), np.array([snk]), np.array([flow], np.int64), np.zeros(1, np.int64)))
    tails, heads, caps, cst = (np.concatenate([a[i] for a in arcs]).astype(np.int64) for i in range(4))
    return FlowNetwork(tails, heads, np.maximum(caps, 0), cst, supplies, slice(first_pair, first_pair + problem.n_pairs),
                       scale, rounding)
