"""Benchmark instances: seeded random allocation problems and the OR-Library files.

:func:`random_problem` builds a capacity-only :class:`~jhmatch.optimize.AllocationProblem`
with ``k`` distinct random candidate posts per person and continuous scores (no
ties, so stable matchings are unique and every peer sees strict preferences).
The OR-Library readers parse Beasley's assignment files and the generalized
assignment (GAP) files of ``../shared/benchmarks`` (format notes in that folder's
README); they are not packaged data, so the suite skips them when absent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd
import scipy.sparse as sp

from jhmatch.errors import ParameterError
from jhmatch.matching.score_matrix import ScoreMatrix
from jhmatch.optimize import AllocationProblem, PlacementGuarantee

__all__ = [
    "ASSIGN_OPTIMA",
    "GAP_C_SIZES",
    "OrlibInstance",
    "find_shared_benchmarks",
    "orlib_assignment",
    "orlib_gap",
    "random_problem",
]

ASSIGN_OPTIMA: Mapping[str, int] = MappingProxyType({
    "assign100": 305, "assign200": 475, "assign300": 626, "assign400": 804, "assign500": 991,
    "assign600": 1176, "assign700": 1362, "assign800": 1552, "assignp800": 2239,
    "assignp1500": 5839, "assignp3000": 18696, "assignp5000": 48533,
})
"""Published optima (minimum cost) of Beasley's OR-Library assignment instances."""

GAP_C_SIZES = ("c0515", "c0520", "c0525", "c0530", "c0824", "c0832", "c0840", "c0848",
               "c1030", "c1040", "c1050", "c1060")
"""Names of OR-Library's gap1 … gap12 files (type c, maximisation) in ``bounds.txt``."""


def random_problem(n_persons: int, n_posts: int, k: int, seed: int = 0) -> AllocationProblem:
    """A capacity-only problem: ``k`` distinct random candidate posts per person.

    Scores are uniform in [0.01, 1) (continuous: no ties); capacities are uniform
    integers 1 … 15 (mean 8, so ``n_posts = n_persons / 10`` gives 0.8 places per
    person). Persons are ``p0 …``, posts ``q0 …``. Memory is O(n_persons × k).

    Examples
    --------
    >>> prob = random_problem(100, 10, 3, seed=1)
    >>> prob.n_persons, prob.n_posts, prob.n_pairs
    (100, 10, 300)
    >>> bool(np.array_equal(random_problem(100, 10, 3, seed=1).values, prob.values))
    True
    """
    if n_persons < 1 or n_posts < 1 or k < 1:
        raise ParameterError(f"need n_persons, n_posts and k >= 1, got {n_persons}, {n_posts}, {k}")
    k = min(k, n_posts)
    rng = np.random.default_rng(seed)
    # k distinct sorted columns per row: sorted draws from 0 … m-k plus 0 … k-1
    draws = np.sort(rng.integers(0, n_posts - k + 1, (n_persons, k), dtype=np.int64), axis=1)
    cols = (draws + np.arange(k)).ravel()
    indptr = np.arange(0, n_persons * k + 1, k, dtype=np.int64)
    data = rng.uniform(0.01, 1.0, n_persons * k)
    scores = sp.csr_array((data, cols, indptr), shape=(n_persons, n_posts))
    sm = ScoreMatrix(scores, np.char.add("p", np.arange(n_persons).astype(str)).astype(object),
                     np.char.add("q", np.arange(n_posts).astype(str)).astype(object))
    return AllocationProblem(sm, rng.integers(1, 16, n_posts))


@dataclass(frozen=True)
class OrlibInstance:
    """One OR-Library instance as an allocation problem.

    Attributes
    ----------
    name : str
        E.g. ``"assign100"`` or ``"c0515_1"``.
    family : str
        ``"assignment"`` or ``"gap"``.
    problem : AllocationProblem
        Every person must be placed (:class:`~jhmatch.optimize.PlacementGuarantee`).
    optimum : int
        Published optimum in the instance's own units.
    sense : str
        ``"min"`` (assignment costs) or ``"max"`` (GAP type c profits).
    scale : int
        Converts an objective back to the instance's units (see :meth:`to_units`).
    """

    name: str
    family: str
    problem: AllocationProblem
    optimum: int
    sense: str
    scale: int

    def to_units(self, objective: float) -> float:
        """The instance's cost/profit of a solution with the given jhmatch objective.

        Assignment: scores are ``(K - c) / K`` so the cost is ``K (n - objective)``;
        GAP: scores are ``c / max(c)`` so the profit is ``max(c) · objective``.

        Examples
        --------
        >>> inst = OrlibInstance("toy", "assignment", random_problem(2, 2, 2), 3, "min", 10)
        >>> round(inst.to_units(1.7), 9)   # 10 * (2 - 1.7)
        3.0
        """
        if self.family == "assignment":
            return self.scale * (self.problem.n_persons - objective)
        return self.scale * objective


def find_shared_benchmarks(start: str | Path | None = None) -> Path | None:
    """The ``shared/benchmarks`` folder: ``$JHMATCH_SHARED/benchmarks`` or ``../shared/benchmarks``.

    Looks upwards from ``start`` (default: the working directory) for a sibling
    ``shared/benchmarks``; ``None`` when not found.

    Examples
    --------
    >>> folder = find_shared_benchmarks()
    >>> folder is None or (folder / "orlib-assign").is_dir() or (folder / "orlib-gap").is_dir()
    True
    """
    import os

    env = os.environ.get("JHMATCH_SHARED")
    if env and (Path(env) / "benchmarks").is_dir():
        return Path(env) / "benchmarks"
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for cand in (folder / "shared" / "benchmarks", folder.parent / "shared" / "benchmarks"):
            if (cand / "orlib-assign").is_dir() or (cand / "orlib-gap").is_dir():
                return cand
    return None


def orlib_assignment(path: str | Path) -> OrlibInstance:
    """Read a Beasley assignment file (dense ``assignN`` or sparse ``assignpN``).

    Costs ``c`` become scores ``(K - c) / K`` with ``K = max(c) + 1``; every person is
    placed, so minimising cost is maximising the score sum.

    Examples
    --------
    >>> folder = find_shared_benchmarks()
    >>> inst = orlib_assignment(folder / "orlib-assign" / "assign100.txt") if folder else None
    >>> inst is None or (inst.optimum, inst.problem.n_persons, inst.problem.n_pairs) == (305, 100, 10000)
    True
    """
    path = Path(path)
    tokens = np.array(path.read_text().split(), dtype=np.int64)
    n = int(tokens[0])
    if path.stem.startswith("assignp"):
        t = tokens[1:].reshape(-1, 3)
        i, j, c = t[:, 0] - 1, t[:, 1] - 1, t[:, 2]
    else:
        c = tokens[1:1 + n * n]
        i, j = np.divmod(np.arange(n * n), n)
    top = int(c.max()) + 1
    scores = sp.csr_array(((top - c) / top, (i, j)), shape=(n, n))
    sm = ScoreMatrix(scores, np.arange(n), np.arange(n))
    problem = AllocationProblem(sm, np.ones(n), constraints=(PlacementGuarantee(list(range(n))),))
    if path.stem not in ASSIGN_OPTIMA:
        raise ParameterError(f"no published optimum known for {path.stem!r}; known: {sorted(ASSIGN_OPTIMA)}")
    return OrlibInstance(path.stem, "assignment", problem, ASSIGN_OPTIMA[path.stem], "min", top)


def _gap_optima(bounds: Path) -> dict[str, int]:
    table = pd.read_csv(bounds, sep="\t", header=None, names=["name", "lb", "ub"])
    exact = table[table["lb"] == table["ub"]]
    return dict(zip(exact["name"].astype(str), exact["lb"].astype(int)))


def orlib_gap(path: str | Path, bounds: str | Path) -> list[OrlibInstance]:
    """Read an OR-Library ``gapK.txt`` file (type c, maximisation) with optima from ``bounds.txt``.

    Jobs are persons and agents are posts; a job uses ``r(i, j)`` of its agent's
    budget ``b(i)`` (weighted capacity); every job is placed; scores are
    ``c / max(c)``.

    Examples
    --------
    >>> folder = find_shared_benchmarks()
    >>> gap = folder / "orlib-gap" if folder else None
    >>> insts = orlib_gap(gap / "raw" / "gap1.txt", gap / "bounds.txt") if gap else None
    >>> insts is None or [i.optimum for i in insts] == [336, 327, 339, 341, 326]
    True
    """
    path = Path(path)
    stem = path.stem
    if not stem.startswith("gap") or not stem[3:].isdigit() or not 1 <= int(stem[3:]) <= 12:
        raise ParameterError(f"expected gap1.txt … gap12.txt, got {path.name!r}")
    size = GAP_C_SIZES[int(stem[3:]) - 1]
    optima = _gap_optima(Path(bounds))
    tokens = np.array(path.read_text().split(), dtype=np.int64)
    count, pos, out = int(tokens[0]), 1, []
    for idx in range(1, count + 1):
        m, n = int(tokens[pos]), int(tokens[pos + 1])
        pos += 2
        cost = tokens[pos:pos + m * n].reshape(m, n)
        pos += m * n
        use = tokens[pos:pos + m * n].reshape(m, n)
        pos += m * n
        cap = tokens[pos:pos + m]
        pos += m
        top = int(cost.max())
        sm = ScoreMatrix(sp.csr_array(cost.T / top), np.arange(n), np.arange(m))
        problem = AllocationProblem(sm, cap.astype(float), usage=sp.csr_array(use.T.astype(float)),
                                    constraints=(PlacementGuarantee(list(range(n))),))
        name = f"{size}_{idx}"
        out.append(OrlibInstance(name, "gap", problem, optima[f"{name}_Max"], "max", top))
    return out
