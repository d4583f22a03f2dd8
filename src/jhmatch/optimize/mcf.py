"""Max-value assignment over a set of pairs: one OR-Tools min-cost flow.

The kernel of the decomposition backend (:mod:`jhmatch.optimize.backends.decompose`):
every regional subproblem and the master problem are solved by
:func:`max_value_assignment`.
"""

from __future__ import annotations

import numpy as np

from jhmatch.errors import SolverError

__all__ = ["max_value_assignment"]


def max_value_assignment(row: np.ndarray, col: np.ndarray, vals: np.ndarray, caps: np.ndarray, pair: np.ndarray,
           n_rows: int) -> tuple[np.ndarray, float, float]:
    """Max-value assignment over the given pairs: one OR-Tools min-cost flow.

    Network: source -> person (1) -> post (1, cost ``-round(v * scale)``) -> sink
    (capacity), plus a free source -> sink arc so that nobody has to be placed.
    Returns the chosen pairs (entries of ``pair``), their exact value, and a
    proven upper bound that adds the worst-case effect of rounding the costs.
    """
    from ortools.graph.python import min_cost_flow

    n_cols = caps.size
    top = float(vals.max())
    # OR-Tools' cost scaling multiplies costs by the node count: keep that below 2**63
    scale = 2.0**58 / max(top, 1e-300) / (n_rows + n_cols + 3)
    cost = -np.rint(vals * scale).astype(np.int64)
    source, sink = n_rows + n_cols, n_rows + n_cols + 1
    persons = np.arange(n_rows, dtype=np.int64)
    posts = np.arange(n_cols, dtype=np.int64) + n_rows
    tails = np.concatenate([np.full(n_rows, source), row, posts, [source]]).astype(np.int64)
    heads = np.concatenate([persons, col + n_rows, np.full(n_cols, sink), [sink]]).astype(np.int64)
    capacity = np.concatenate([np.ones(n_rows + row.size, np.int64), caps.astype(np.int64), [n_rows]])
    costs = np.concatenate([np.zeros(n_rows, np.int64), cost, np.zeros(n_cols + 1, np.int64)])
    supplies = np.zeros(n_rows + n_cols + 2, np.int64)
    supplies[source], supplies[sink] = n_rows, -n_rows
    mcf = min_cost_flow.SimpleMinCostFlow()
    mcf.add_arcs_with_capacity_and_unit_cost(tails, heads, capacity, costs)
    mcf.set_nodes_supplies(np.arange(supplies.size, dtype=np.int64), supplies)
    status = mcf.solve()
    if status != mcf.OPTIMAL:  # pragma: no cover - this network is always feasible
        raise SolverError(f"OR-Tools min-cost flow returned {status} on a regional subproblem")
    flows = np.asarray(mcf.flows(np.arange(n_rows, n_rows + row.size, dtype=np.int64)))
    chosen = np.flatnonzero(flows > 0)
    value = float(vals[chosen].sum())
    # integer optimum within 0.5/scale per arc of the real one, on both sides
    return pair[chosen], value, value + (chosen.size + min(n_rows, int(caps.sum()))) / scale
