"""Registries of competitors: solvers and scorers, built-in and registered by users.

A **solver** is a callable ``fn(problem) -> result`` taking an
:class:`~jhmatch.optimize.AllocationProblem` (capacity-only in the solver and
scaling cases) and returning an :class:`~jhmatch.optimize.Allocation` (anything
with an ``assignments`` DataFrame), a DataFrame with ``person_id`` and
``post_id`` columns, or an integer array of selected pair indices (row-major
order of the candidate pairs). The suite times the call, then checks the
solution and computes its objective itself, the same way for every row.

A **scorer** is a factory ``factory() -> scorer`` whose product has
``score(persons, posts) -> ScoreMatrix`` and, optionally,
``fit(train: TrainingData)`` (called before scoring in the quality case, with the
placement history of the training persons).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from jhmatch.errors import ParameterError

__all__ = [
    "ScorerSpec",
    "SolverSpec",
    "TrainingData",
    "register_scorer",
    "register_solver",
    "registered_scorers",
    "registered_solvers",
    "unregister_scorer",
    "unregister_solver",
]

SOLVER_KINDS = ("exact", "heuristic", "stable")
SCORER_KINDS = ("model", "ablation", "baseline")


@dataclass(frozen=True)
class TrainingData:
    """What a learning scorer may fit on in the quality case.

    Attributes
    ----------
    persons : DataFrame
        The training persons (validated; none of them is evaluated).
    posts : DataFrame
        All posts (the same posts are recommended to the test persons).
    history : DataFrame
        Past placements of the training persons: ``person_id, post_id, placed,
        success`` (:func:`jhmatch.datasets.simulate_history`).
    as_of : Timestamp
        Reference date of the scenario (for ages).
    """

    persons: pd.DataFrame
    posts: pd.DataFrame
    history: pd.DataFrame
    as_of: pd.Timestamp


@dataclass(frozen=True)
class SolverSpec:
    """A solver competitor.

    Attributes
    ----------
    name : str
        Row label in the tables.
    fn : callable
        ``fn(problem)`` (or ``fn(problem, time_limit=...)`` when ``time_limit`` is True).
    kind : {"exact", "heuristic", "stable"}
        Exact solvers are expected to reach the best objective of the instance;
        stable ones are compared with jhmatch's stable matching instead.
    source : {"jhmatch", "peer", "user"}
        Who wrote it.
    requires : tuple of str
        Modules imported before the run; a missing one makes the row ``skipped``.
    extra : str
        The pip extra that provides ``requires`` (named in the skip reason).
    max_pairs : int or None
        Larger instances are skipped (slow peers, pure-Python solvers).
    scaling : bool
        Also run in the scaling curves.
    time_limit : bool
        ``fn`` accepts a ``time_limit`` keyword (seconds).
    description : str
        One line for the Markdown report.
    isolate : bool
        Run in a forked child process killed at a hard deadline (twice the suite's
        time limit plus a minute); the result must be picklable.
    """

    name: str
    fn: Callable[..., Any]
    kind: str = "exact"
    source: str = "user"
    requires: tuple[str, ...] = ()
    extra: str = "bench"
    max_pairs: int | None = None
    scaling: bool = False
    time_limit: bool = False
    description: str = ""
    isolate: bool = False

    def missing(self) -> str | None:
        """Why the solver cannot run here (a missing module), or ``None``.

        Examples
        --------
        >>> SolverSpec("x", print, requires=("surely_not_installed_xyz",)).missing()
        "surely_not_installed_xyz is not installed (pip install 'jhmatch[bench]')"
        """
        return _missing(self.requires, self.extra)


@dataclass(frozen=True)
class ScorerSpec:
    """A scorer competitor.

    Attributes
    ----------
    name : str
        Row label in the tables.
    factory : callable
        ``factory()`` returns an object with ``score(persons, posts) -> ScoreMatrix``
        and optionally ``fit(train: TrainingData)``.
    kind : {"model", "baseline"}
        Label in the tables.
    source : {"jhmatch", "peer", "user"}
    requires : tuple of str
        Modules imported before the run; a missing one makes the row ``skipped``.
    extra : str
        The pip extra that provides ``requires``.
    throughput : bool
        Timed in the throughput case (baselines and trained models are not).
    description : str
        One line for the Markdown report.
    """

    name: str
    factory: Callable[[], Any]
    kind: str = "model"
    source: str = "user"
    requires: tuple[str, ...] = ()
    extra: str = "bench"
    throughput: bool = True
    description: str = ""

    def missing(self) -> str | None:
        """Why the scorer cannot run here (a missing module), or ``None``.

        Examples
        --------
        >>> ScorerSpec("x", dict).missing() is None
        True
        """
        return _missing(self.requires, self.extra)


def _missing(modules: tuple[str, ...], extra: str) -> str | None:
    for module in modules:
        try:
            importlib.import_module(module)
        except ImportError:
            return f"{module} is not installed (pip install 'jhmatch[{extra}]')"
    return None


_SOLVERS: dict[str, SolverSpec] = {}
_SCORERS: dict[str, ScorerSpec] = {}
_BUILTINS_LOADED = False


def _ensure_builtins() -> None:
    global _BUILTINS_LOADED
    if not _BUILTINS_LOADED:
        _BUILTINS_LOADED = True
        from jhmatch.bench import scorers, solvers

        solvers.register_builtins()
        scorers.register_builtins()


def _check_name(name: Any, table: Mapping[str, Any], replace: bool, what: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ParameterError(f"a {what} needs a non-empty name, got {name!r}")
    if name in table and not replace:
        raise ParameterError(f"a {what} named {name!r} is already registered (pass replace=True to replace it)")
    return name


def register_solver(name: str, fn: Callable[..., Any], *, kind: str = "exact", requires: tuple[str, ...] = (),
                    max_pairs: int | None = None, scaling: bool = False, time_limit: bool = False,
                    description: str = "", source: str = "user", extra: str = "bench", isolate: bool = False,
                    replace: bool = False) -> SolverSpec:
    """Add a solver to every solver table of the suite.

    Parameters
    ----------
    name : str
        Row label; must be new unless ``replace``.
    fn : callable
        ``fn(problem) -> Allocation | DataFrame[person_id, post_id] | array of pair indices``.
    kind : {"exact", "heuristic", "stable"}, default "exact"
    requires : tuple of str
        Modules it needs (missing ones make its rows ``skipped``).
    max_pairs : int, optional
        Skip instances with more candidate pairs.
    scaling : bool, default False
        Also run it in the scaling curves.
    time_limit : bool, default False
        Pass ``time_limit=`` (seconds) to ``fn``.
    description : str
    source : str, default "user"
    extra : str, default "bench"
    isolate : bool, default False
        Run each call in a forked child process, killed at a hard deadline (for
        solvers that may not stop by themselves); results must be picklable.
    replace : bool, default False
        Replace an existing entry of the same name.

    Returns
    -------
    SolverSpec

    Examples
    --------
    >>> def first_choice(problem):  # everyone gets their best post, capacities ignored
    ...     import numpy as np
    ...     return np.unique(problem.pair_person, return_index=True)[1]
    >>> spec = register_solver("first choice", first_choice, kind="heuristic")
    >>> "first choice" in registered_solvers()
    True
    >>> unregister_solver("first choice")
    """
    _ensure_builtins()
    name = _check_name(name, _SOLVERS, replace, "solver")
    if not callable(fn):
        raise ParameterError(f"solver {name!r}: fn must be callable, got {type(fn).__name__}")
    if kind not in SOLVER_KINDS:
        raise ParameterError(f"solver {name!r}: kind must be one of {SOLVER_KINDS}, got {kind!r}")
    if max_pairs is not None and (not isinstance(max_pairs, int) or max_pairs < 1):
        raise ParameterError(f"solver {name!r}: max_pairs must be a positive integer or None, got {max_pairs!r}")
    spec = SolverSpec(name, fn, kind, source, tuple(requires), extra, max_pairs, bool(scaling), bool(time_limit),
                      description, bool(isolate))
    _SOLVERS[name] = spec
    return spec


def register_scorer(name: str, factory: Callable[[], Any], *, kind: str = "model", requires: tuple[str, ...] = (),
                    throughput: bool = True, description: str = "", source: str = "user", extra: str = "bench",
                    replace: bool = False) -> ScorerSpec:
    """Add a scorer to the matching throughput and quality tables.

    Parameters
    ----------
    name : str
        Row label; must be new unless ``replace``.
    factory : callable
        ``factory()`` returns a fresh scorer with ``score(persons, posts) -> ScoreMatrix``
        and optionally ``fit(train)`` (:class:`TrainingData`).
    kind : {"model", "ablation", "baseline"}, default "model"
        An ablation is a model with a part switched off (to measure what the part is worth).
    requires : tuple of str
        Modules it needs (missing ones make its rows ``skipped``).
    throughput : bool, default True
        Also time it in the throughput case (without ``fit``).
    description, source, extra : str
    replace : bool, default False

    Returns
    -------
    ScorerSpec

    Examples
    --------
    >>> from jhmatch.matching import CompatibilityScorer
    >>> spec = register_scorer("rule, top 20", lambda: CompatibilityScorer(top_k=20))
    >>> spec.kind, "rule, top 20" in registered_scorers()
    ('model', True)
    >>> unregister_scorer("rule, top 20")
    """
    _ensure_builtins()
    name = _check_name(name, _SCORERS, replace, "scorer")
    if not callable(factory):
        raise ParameterError(f"scorer {name!r}: factory must be callable, got {type(factory).__name__}")
    if kind not in SCORER_KINDS:
        raise ParameterError(f"scorer {name!r}: kind must be one of {SCORER_KINDS}, got {kind!r}")
    spec = ScorerSpec(name, factory, kind, source, tuple(requires), extra, bool(throughput), description)
    _SCORERS[name] = spec
    return spec


def unregister_solver(name: str) -> None:
    """Remove a solver (built-in or registered); unknown names raise ParameterError.

    Examples
    --------
    >>> _ = register_solver("flow again", registered_solvers()["jhmatch flow"].fn)
    >>> unregister_solver("flow again")
    >>> "flow again" in registered_solvers()
    False
    """
    _ensure_builtins()
    if name not in _SOLVERS:
        raise ParameterError(f"no solver named {name!r}; registered: {sorted(_SOLVERS)}")
    del _SOLVERS[name]


def unregister_scorer(name: str) -> None:
    """Remove a scorer (built-in or registered); unknown names raise ParameterError.

    Examples
    --------
    >>> _ = register_scorer("rule again", registered_scorers()["rule"].factory)
    >>> unregister_scorer("rule again")
    >>> "rule again" in registered_scorers()
    False
    """
    _ensure_builtins()
    if name not in _SCORERS:
        raise ParameterError(f"no scorer named {name!r}; registered: {sorted(_SCORERS)}")
    del _SCORERS[name]


def registered_solvers() -> dict[str, SolverSpec]:
    """The solvers, in registration order (built-ins first).

    Examples
    --------
    >>> "jhmatch flow" in registered_solvers() and "OR-Tools raw min-cost flow" in registered_solvers()
    True
    """
    _ensure_builtins()
    return dict(_SOLVERS)


def registered_scorers() -> dict[str, ScorerSpec]:
    """The scorers, in registration order (built-ins first).

    Examples
    --------
    >>> [name for name, s in registered_scorers().items() if s.kind == "baseline"]
    ['random', 'popularity']
    """
    _ensure_builtins()
    return dict(_SCORERS)
