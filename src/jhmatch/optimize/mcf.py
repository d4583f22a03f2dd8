"""The min-cost-flow kernel: one integer cost-scaling rule and one call of OR-Tools.

Every network jhmatch solves goes through here: the allocation network of the
flow backend (:mod:`jhmatch.optimize.network`, also used by the Lagrangian phase
and the infeasibility diagnosis), the regional subproblems and master problem of
the decomposition (:func:`max_value_assignment`), the relaxation of reserved-post
planning (:mod:`jhmatch.optimize.reserved_flow`) and the policy's quota chain
(:mod:`jhmatch.policy.chain`).

Integer costs
    OR-Tools takes integer costs, so values are multiplied by a *scale* and rounded:
    ``cost = round(value * scale)`` (:func:`integer_costs`, which also returns the
    largest rounding error in value units, for the bounds the callers prove). The
    one rule for the scale (:func:`cost_scale`): the largest cost magnitude becomes
    at most :data:`COST_RESOLUTION` units, and less when OR-Tools' cost scaling,
    which multiplies every cost by the number of nodes + 1, would leave
    :data:`COST_RANGE`; the scale is a power of ten, so values with a few decimals
    scale exactly.

Examples
--------
>>> scale = cost_scale(2.0, 10)
>>> scale, integer_costs(np.array([0.5, 2.0]), scale)[0].tolist()
(100000000000.0, [50000000000, 200000000000])
>>> status, flows = solve_min_cost_flow(np.array([0, 0]), np.array([1, 1]), np.array([1, 1]), np.array([-5, -3]),
...                                     np.array([1, -1]))
>>> status, flows.tolist()
('OPTIMAL', [1, 0])
"""

from __future__ import annotations

import numpy as np

from jhmatch.errors import MissingDependencyError, SolverError

__all__ = ["COST_RANGE", "COST_RESOLUTION", "available", "cost_scale", "integer_costs", "max_value_assignment",
           "scale_fits", "solve_min_cost_flow"]

COST_RESOLUTION = 1e12
"""Integer units given to the largest cost magnitude (values resolved to 1e-12 of the largest)."""

COST_RANGE = 2.0**57
"""Bound on ``|cost| * (nodes + 1)``: OR-Tools' cost scaling multiplies costs by the node count + 1 and
must stay within 64-bit integers (2**63); the factor 64 left is room for the sums of costs it forms
(checked at 300,000 persons × 5 candidates: the same optimum at 2**51, 2**57 and 2**60)."""


def available() -> bool:
    """True when OR-Tools' min-cost flow imports.

    Examples
    --------
    >>> available()
    True
    """
    try:
        import ortools.graph.python.min_cost_flow  # noqa: F401
    except ImportError:  # pragma: no cover - ortools is a core dependency
        return False
    return True


def cost_scale(largest: float, n_nodes: int) -> float:
    """The scale of a network's integer costs: ``min(COST_RESOLUTION, COST_RANGE / (n_nodes + 1)) / largest``
    rounded down to a power of ten (so that values with a few decimals scale exactly).

    Parameters
    ----------
    largest : float
        The largest magnitude of a per-unit value on any arc (values, bonuses, penalties, fees);
        read as at least 1e-9.
    n_nodes : int
        Nodes of the network.

    Examples
    --------
    >>> cost_scale(1.0, 3), cost_scale(1.5, 3), cost_scale(1.0, 10**6), cost_scale(0.0, 3)
    (1000000000000.0, 100000000000.0, 100000000000.0, 1e+21)
    """
    largest = max(float(largest), 1e-9) if np.isfinite(largest) else 1.0  # all-zero costs: any scale will do
    return float(10.0 ** np.floor(np.log10(min(COST_RESOLUTION, COST_RANGE / (n_nodes + 1)) / largest)))


def scale_fits(largest: float, n_nodes: int, scale: float) -> bool:
    """True when values up to ``largest`` at ``scale`` stay within :data:`COST_RANGE` for ``n_nodes`` nodes.

    Examples
    --------
    >>> scale_fits(1.0, 10, cost_scale(1.0, 10)), scale_fits(1e6, 10, cost_scale(1.0, 10))
    (True, False)
    """
    return float(largest) * scale * (n_nodes + 1) <= COST_RANGE * (1 + 1e-12)


def integer_costs(values: np.ndarray, scale: float) -> tuple[np.ndarray, float]:
    """``round(values * scale)`` as int64, and the largest rounding error in value units.

    Examples
    --------
    >>> costs, err = integer_costs(np.array([0.25, 0.3]), 10)
    >>> costs.tolist(), round(err, 12)
    ([2, 3], 0.05)
    """
    raw = np.asarray(values, dtype=float) * scale
    costs = np.round(raw)
    rounding = float(np.abs(raw - costs).max(initial=0.0)) / scale
    return costs.astype(np.int64), rounding


def solve_min_cost_flow(tails: np.ndarray, heads: np.ndarray, capacities: np.ndarray, costs: np.ndarray,
                        supplies: np.ndarray, *, arcs: np.ndarray | None = None,
                        max_flow: bool = False) -> tuple[str, np.ndarray | None]:
    """Solve a min-cost flow with OR-Tools; status name and the flows (int64) on ``arcs`` (default all).

    ``max_flow=True`` sends as much of the supplies as the network can take, at
    minimum cost among maximum flows (``solve_max_flow_with_min_cost``). The flows
    are None unless the status is ``"OPTIMAL"``.

    Raises
    ------
    MissingDependencyError
        OR-Tools does not import.
    """
    try:
        from ortools.graph.python import min_cost_flow
    except ImportError as exc:  # pragma: no cover - ortools is a core dependency
        raise MissingDependencyError("ortools", "flow", "min-cost flows") from exc
    mcf = min_cost_flow.SimpleMinCostFlow()
    mcf.add_arcs_with_capacity_and_unit_cost(*(np.asarray(a, dtype=np.int64) for a in (tails, heads, capacities,
                                                                                       costs)))
    mcf.set_nodes_supplies(np.arange(len(supplies), dtype=np.int64), np.asarray(supplies, dtype=np.int64))
    status = mcf.solve_max_flow_with_min_cost() if max_flow else mcf.solve()
    name = status.name if hasattr(status, "name") else str(status)
    if status != mcf.OPTIMAL:
        return name, None
    which = np.arange(len(tails), dtype=np.int64) if arcs is None else np.asarray(arcs, dtype=np.int64)
    return name, np.asarray(mcf.flows(which), dtype=np.int64)


def max_value_assignment(row: np.ndarray, col: np.ndarray, vals: np.ndarray, caps: np.ndarray, pair: np.ndarray,
                         n_rows: int) -> tuple[np.ndarray, float, float]:
    """Max-value assignment over the given pairs (values > 0): one min-cost flow.

    Network: source -> person (1) -> post (1, cost ``-value``) -> sink (capacity),
    plus a free source -> sink arc so that nobody has to be placed. Returns the
    chosen pairs (entries of ``pair``), their exact value, and a proven upper bound
    that adds the worst effect of rounding the costs (on the chosen pairs and on
    those of any optimum: at most one per person and one per place).

    Examples
    --------
    >>> chosen, value, bound = max_value_assignment(np.array([0, 0, 1]), np.array([0, 1, 0]),
    ...                                             np.array([0.9, 0.5, 0.8]), np.array([1, 1]), np.arange(3), 2)
    >>> chosen.tolist(), round(value, 9), bound - value < 1e-9
    ([1, 2], 1.3, True)
    """
    n_cols = caps.size
    n_nodes = n_rows + n_cols + 2
    scale = cost_scale(float(vals.max()), n_nodes)
    cost, rounding = integer_costs(vals, scale)
    source, sink = n_rows + n_cols, n_rows + n_cols + 1
    persons = np.arange(n_rows, dtype=np.int64)
    posts = np.arange(n_cols, dtype=np.int64) + n_rows
    tails = np.concatenate([np.full(n_rows, source), row, posts, [source]])
    heads = np.concatenate([persons, col + n_rows, np.full(n_cols, sink), [sink]])
    capacity = np.concatenate([np.ones(n_rows + row.size, np.int64), caps.astype(np.int64), [n_rows]])
    costs = np.concatenate([np.zeros(n_rows, np.int64), -cost, np.zeros(n_cols + 1, np.int64)])
    supplies = np.zeros(n_nodes, np.int64)
    supplies[source], supplies[sink] = n_rows, -n_rows
    status, flows = solve_min_cost_flow(tails, heads, capacity, costs, supplies,
                                        arcs=np.arange(n_rows, n_rows + row.size))
    if flows is None:  # pragma: no cover - this network is always feasible
        raise SolverError(f"OR-Tools min-cost flow returned {status} on an assignment subproblem")
    chosen = np.flatnonzero(flows > 0)
    value = float(vals[chosen].sum())
    return pair[chosen], value, value + (chosen.size + min(n_rows, int(caps.sum()))) * rounding
