"""Score components: the protocol, and the simple built-in components.

A component turns a block of persons (rows) × posts (columns) into values in
[0, 1] and, optionally, a boolean mask of pairs a *hard rule* excludes. It also
explains one pair with a :class:`~jhmatch.matching.messages.Text`, written in the
planner's language when shown (:mod:`jhmatch.i18n`). The built-ins are:

=============  ==========================================================================
component      rule (defaults; all are parameters)
=============  ==========================================================================
functional     see :mod:`jhmatch.matching.functional`
skills         see :mod:`jhmatch.matching.skills`
education      1 when the person meets ``min_education`` (or the post sets none); 0.6 one
               level short; **hard** exclusion two or more levels short; 0.5 when the
               person's education is unknown and the post sets a minimum
location       (:mod:`jhmatch.matching.location`) remote post and ``remote_ok`` → 1; otherwise ``exp(-km / 20)`` when both
               have coordinates (haversine), 0.8 in the same county without coordinates.
               **Blocking**: an on-site pair in another county is a candidate only when
               both have coordinates and the commute is at most ``max_commute_km`` (30)
preference     kind among ``preferred_kinds`` → 1; no preferences → 0.6; same group as a
               preferred kind → 0.5; otherwise 0.2
age            **hard** exclusion under 16 (Labour Law art. 15) and outside the post's
               ``min_age``/``max_age``; above retirement age (60 men / 55 women, PARAM)
               0.5 for employee posts, 1 for self-employed outlets; unknown age → 1 and
               the age rules are not applied (said in the explanation)
=============  ==========================================================================
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.errors import ParameterError, UnknownLabelError
from jhmatch.i18n import N_
from jhmatch.matching._params import param_repr
from jhmatch.matching.messages import Joined, Label, Text
from jhmatch.taxonomy import EDUCATION_LEVELS, post_kind, post_kinds

__all__ = [
    "AgeComponent",
    "CallableComponent",
    "Component",
    "DistinctRows",
    "EducationComponent",
    "PreferenceComponent",
]

_DEPRECATED = {"FunctionComponent": "CallableComponent", "Block": "ComponentValues"}


def __getattr__(name: str) -> object:
    """Old names kept one release (issue 15), with a :class:`DeprecationWarning`."""
    if name in _DEPRECATED:
        import warnings

        warnings.warn(f"{name} is deprecated; use {_DEPRECATED[name]}", DeprecationWarning, stacklevel=2)
        return globals()[_DEPRECATED[name]]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


ComponentValues = tuple[np.ndarray, "np.ndarray | None"]
"""What a component returns for a block of persons × posts: values in [0, 1], reasons or None."""
Evaluator = Callable[[np.ndarray], ComponentValues]


class Component:
    """Base class of score components.

    Subclasses set ``name`` and ``label`` (the display name: English, marked
    ``N_`` and translated where shown), implement :meth:`fit`
    (called with the validated persons and posts tables, both sorted by id) and
    :meth:`evaluate`, and may override :meth:`describe` and :meth:`exclusion_reason`
    (returning a :class:`~jhmatch.matching.messages.Text`; an ``(english, chinese)``
    pair is still accepted from custom components). A component whose
    column-side work is costly overrides :meth:`bind` too: the scorer binds the
    columns once per block of persons and calls the result once per chunk of rows.

    A component whose values depend on a person only through a few distinct
    profiles (e.g. capacities by category and grade) may set ``row_keys_`` in
    :meth:`fit`: an int array, one key per person, equal keys meaning equal rows of
    :meth:`evaluate` whatever the other rows. The default :meth:`bind` then evaluates
    one person per key and block, and copies that row to the others.
    """

    name: str = "component"
    label: str = N_("component")

    def fit(self, persons: pd.DataFrame, posts: pd.DataFrame) -> Component:
        """Prepare arrays from the persons and posts tables; returns ``self``."""
        return self

    def __repr__(self) -> str:  # the parameters that differ from their defaults, never fitted arrays
        return param_repr(self)

    def evaluate(self, rows: np.ndarray, cols: np.ndarray) -> ComponentValues:
        """Values and the hard-excluded mask (or None) of the pairs ``rows`` × ``cols``.

        Both are arrays broadcastable to ``(len(rows), len(cols))`` (e.g. one column
        when a value depends on the person only); values are float32 in [0, 1].
        The caller may modify the returned arrays.
        """
        raise NotImplementedError

    row_keys_: np.ndarray | None = None

    def bind(self, cols: np.ndarray) -> Evaluator:
        """A function of ``rows`` equal to ``evaluate(rows, cols)`` for these fixed columns.

        The default forwards to :meth:`evaluate` (once per distinct ``row_keys_``
        when set, see the class notes); components override it to prepare
        column-side arrays once. The scorer calls a bound function from one thread
        at a time and does not modify what it returns.
        """
        keys = self.row_keys_
        if keys is not None and keys.size and 4 * (int(keys.max()) + 1) <= keys.size:
            return DistinctRows(self, cols, keys)
        return partial(_forward, self, cols)

    def display_name(self) -> Text | Label:
        """The component's name as shown to planners (translated when shown)."""
        zh = getattr(self, "zh", None)  # a custom component's own Chinese name
        if isinstance(zh, str) and zh and self.label == Component.label:
            return Label(self.name, zh)
        return Text(self.label) if self.label != Component.label else Label(self.name, self.name)

    def describe(self, i: int, j: int, value: float) -> Text | Label | Joined | tuple[str, str]:
        """What the value of pair (i, j) means (a text, written in the language current when shown)."""
        return Text(N_("{component} = {value:.2f}"), component=self.display_name(), value=value)

    def exclusion_reason(self, i: int, j: int) -> Text | Label | Joined | tuple[str, str]:
        """Which hard rule excluded pair (i, j) (a text, written in the language current when shown)."""
        return Text(N_("excluded by the rule of {component}"), component=self.display_name())


def _forward(component: Component, cols: np.ndarray, rows: np.ndarray) -> ComponentValues:
    return component.evaluate(rows, cols)


class DistinctRows:
    """Bound evaluation that computes each distinct row key once (see :class:`Component`).

    Rows of keys not seen before are evaluated (one person per key) and kept; every
    call returns the kept rows of its persons' keys.

    Examples
    --------
    >>> c = CallableComponent("f", lambda p, q: np.outer(p["x"], q["y"]))
    >>> c = c.fit(pd.DataFrame({"x": [0.5, 0.5, 1.0]}), pd.DataFrame({"y": [1.0, 0.5]}))
    >>> ev = DistinctRows(c, np.arange(2), keys=np.array([0, 0, 1]))
    >>> ev(np.array([0, 1, 2]))[0].tolist(), ev.computed
    ([[0.5, 0.25], [0.5, 0.25], [1.0, 0.5]], 2)
    """

    def __init__(self, component: Component, cols: np.ndarray, keys: np.ndarray):
        self.component, self.cols, self.keys = component, cols, keys
        self.slot = np.full(int(keys.max()) + 1, -1, np.int64)  # key -> row of the kept arrays
        self.values = np.empty((0, cols.size), np.float32)
        self.excluded: np.ndarray | None = None
        self.computed = 0

    def __call__(self, rows: np.ndarray) -> ComponentValues:
        keys = self.keys[rows]
        slots = self.slot[keys]
        if (slots < 0).any():
            self._add(rows[slots < 0], keys[slots < 0])
            slots = self.slot[keys]
        return self.values[slots], (None if self.excluded is None else self.excluded[slots])

    def _add(self, rows: np.ndarray, keys: np.ndarray) -> None:
        new, first = np.unique(keys, return_index=True)
        v, x = self.component.evaluate(rows[first], self.cols)
        shape = (new.size, self.cols.size)
        start, stop = self.computed, self.computed + new.size
        if stop > self.values.shape[0]:  # grow geometrically
            size = max(stop, 2 * self.values.shape[0], 16)
            self.values = _grown(self.values, size)
            self.excluded = None if self.excluded is None else _grown(self.excluded, size)
        self.values[start:stop] = np.broadcast_to(v, shape)
        if x is not None:
            if self.excluded is None:
                self.excluded = np.zeros(self.values.shape, bool)
            self.excluded[start:stop] = np.broadcast_to(x, shape)
        elif self.excluded is not None:
            self.excluded[start:stop] = False
        self.slot[new] = np.arange(start, stop)
        self.computed = stop


def _columns(table: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``table[:, cols]`` in C order (numpy returns that indexing in Fortran order: rows would be strided)."""
    return np.ascontiguousarray(np.take(table, cols, axis=1))


def _grown(array: np.ndarray, rows: int) -> np.ndarray:
    out = np.zeros((rows, array.shape[1]), array.dtype)
    out[:array.shape[0]] = array
    return out


class CallableComponent(Component):
    """Wrap a user function ``func(persons_rows, posts_cols) -> array`` as a component.

    The function receives the rows of the (validated, id-sorted) persons table and
    the columns' rows of the posts table, and returns an array of shape
    ``(len(persons_rows), len(posts_cols))`` with values in [0, 1].

    Examples
    --------
    >>> c = CallableComponent("wage", lambda p, q: np.ones((len(p), len(q))), zh="工资")
    >>> c.display_name().render("zh")
    '工资'
    >>> c.fit(pd.DataFrame({"a": [1, 2]}), pd.DataFrame({"b": [1]})).evaluate(np.array([0, 1]), np.array([0]))[0].shape
    (2, 1)
    """

    def __init__(self, name: str, func: Callable[[pd.DataFrame, pd.DataFrame], Any], zh: str | None = None):
        self.name = name
        self.func = func
        self.zh = zh

    def display_name(self) -> Label:
        """``name``, or ``zh`` (when given) in Chinese."""
        return Label(self.name, self.zh or self.name)

    def fit(self, persons: pd.DataFrame, posts: pd.DataFrame) -> CallableComponent:
        self.persons_, self.posts_ = persons, posts
        return self

    def evaluate(self, rows: np.ndarray, cols: np.ndarray) -> ComponentValues:
        return self.bind(cols)(rows)

    def bind(self, cols: np.ndarray) -> Evaluator:
        return partial(self._call, self.posts_.iloc[cols])  # the posts' rows are sliced once

    def _call(self, posts: pd.DataFrame, rows: np.ndarray) -> ComponentValues:
        out = np.array(self.func(self.persons_.iloc[rows], posts), dtype=np.float32)
        if out.shape != (len(rows), len(posts)):
            raise ParameterError(f"component {self.name!r} returned shape {out.shape}, expected {(len(rows), len(posts))}")
        if out.size and (not np.isfinite(out).all() or out.min() < 0 or out.max() > 1):
            raise ParameterError(f"component {self.name!r} returned values outside [0, 1] (or NaN)")
        return out, None


def _int_or(values: pd.Series, missing: int) -> np.ndarray:
    return values.astype("Float64").fillna(missing).to_numpy(dtype=np.int64)


def _education(level: int) -> Label:
    return Label(EDUCATION_LEVELS[level][1].replace("_", " "), EDUCATION_LEVELS[level][2])


def kind_label(code: str) -> Label:
    """A post kind's name: its code in English, its Chinese name in Chinese (unknown codes as given)."""
    try:
        return Label(code, post_kind(code).zh)
    except UnknownLabelError:  # an unknown code is shown as it is
        return Label(str(code), str(code))


class EducationComponent(Component):
    """Person's education level against the post's ``min_education``.

    Parameters
    ----------
    per_level : float, default 0.4
        Score lost per level short.
    hard_gap : int or None, default 2
        Levels short that exclude the pair; ``None`` never excludes.
    unknown : float, default 0.5
        Value when the person's education is unknown and the post sets a minimum.

    Examples
    --------
    >>> p = pd.DataFrame({"education": pd.array([3, None, 1], dtype="Int64")})
    >>> q = pd.DataFrame({"min_education": pd.array([4, None], dtype="Int64")})
    >>> v, x = EducationComponent().fit(p, q).evaluate(np.arange(3), np.arange(2))
    >>> v.astype(float).round(2).tolist(), x.tolist()
    ([[0.6, 1.0], [0.5, 1.0], [0.0, 1.0]], [[False, False], [False, False], [True, False]])
    """

    name, label = "education", N_("education level")

    def __init__(self, per_level: float = 0.4, hard_gap: int | None = 2, unknown: float = 0.5):
        self.per_level, self.hard_gap, self.unknown = per_level, hard_gap, unknown

    def fit(self, persons: pd.DataFrame, posts: pd.DataFrame) -> EducationComponent:
        self.pe_ = _int_or(persons["education"], 7)  # 7 = unknown
        self.qe_ = _int_or(posts["min_education"], 0)  # no minimum = level 0
        table = np.ones((8, 7), np.float32)
        excl = np.zeros((8, 7), bool)
        for p in range(7):
            for q in range(7):
                short = max(q - p, 0)
                table[p, q] = max(0.0, 1.0 - self.per_level * short)
                excl[p, q] = self.hard_gap is not None and short >= self.hard_gap
        table[7, 1:] = self.unknown
        self.table_, self.excl_ = table, excl
        return self

    def evaluate(self, rows: np.ndarray, cols: np.ndarray) -> ComponentValues:
        return self.bind(cols)(rows)

    def bind(self, cols: np.ndarray) -> Evaluator:
        # one row per person level (8 x columns): a chunk's values are a row gather
        qe = self.qe_[cols]
        values, excl = _columns(self.table_, qe), _columns(self.excl_, qe)
        return partial(self._rows, values, excl if excl.any() else None)

    def _rows(self, values: np.ndarray, excl: np.ndarray | None, rows: np.ndarray) -> ComponentValues:
        pe = self.pe_[rows]
        return values[pe], (None if excl is None else excl[pe])

    def describe(self, i: int, j: int, value: float) -> Text:
        p, q = int(self.pe_[i]), int(self.qe_[j])
        if q == 0:
            return Text(N_("the post sets no education minimum"))
        if p == 7:
            return Text(N_("education unknown; the post asks for {needed} (value {value:.2f})"),
                        needed=_education(q), value=value)
        return Text(N_("has {level}, the post asks for {needed} (value {value:.2f})"), level=_education(p),
                    needed=_education(q), value=value)

    def exclusion_reason(self, i: int, j: int) -> Text:
        return Text(N_("education {levels} levels below the post's minimum (hard rule: {gap} or more)"),
                    levels=int(self.qe_[j] - self.pe_[i]), gap=self.hard_gap)


_MAX_TABLE = 1 << 23
"""Largest per-block lookup table (cells) a component prepares (32 MiB of float32)."""


def _gather_rows(table: np.ndarray, codes: np.ndarray, rows: np.ndarray) -> ComponentValues:
    return table[codes[rows]], None


def _gather_cells(table: np.ndarray, codes: np.ndarray, kind: np.ndarray, rows: np.ndarray) -> ComponentValues:
    return np.take(table[codes[rows]], kind, axis=1), None


class PreferenceComponent(Component):
    """The person's ``preferred_kinds`` against the post's kind.

    Examples
    --------
    >>> p = pd.DataFrame({"preferred_kinds": ["kiosk;blind_massage", ""]})
    >>> q = pd.DataFrame({"kind": ["blind_massage", "lottery_outlet", "ecommerce"]})
    >>> PreferenceComponent().fit(p, q).evaluate(np.arange(2), np.arange(3))[0].astype(float).round(2).tolist()
    [[1.0, 0.5, 0.2], [0.6, 0.6, 0.6]]
    """

    name, label = "preference", N_("job preferences")

    def __init__(self, preferred: float = 1.0, no_preference: float = 0.6, same_group: float = 0.5, other: float = 0.2):
        self.levels = (preferred, no_preference, same_group, other)

    def fit(self, persons: pd.DataFrame, posts: pd.DataFrame) -> PreferenceComponent:
        preferred, none, group, other = self.levels
        kinds = [k.code for k in post_kinds()]
        groups = {k.code: k.group for k in post_kinds()}
        kidx = {k: i for i, k in enumerate(kinds)}
        prefs = persons["preferred_kinds"].astype("object").fillna("")
        codes, uniques = pd.factorize(prefs)
        table = np.empty((max(len(uniques), 1), len(kinds)), np.float32)
        for u, text in enumerate(uniques):
            chosen = [k for k in str(text).split(";") if k]
            if not chosen:
                table[u] = none
                continue
            chosen_groups = {groups[k] for k in chosen}
            table[u] = [preferred if k in chosen else group if groups[k] in chosen_groups else other for k in kinds]
        self.table_, self.codes_ = table, codes
        self.kind_ = np.array([kidx[k] for k in posts["kind"].astype("object")], dtype=np.int64)
        self.kinds_ = kinds
        self.prefs_ = prefs.to_numpy()
        return self

    def evaluate(self, rows: np.ndarray, cols: np.ndarray) -> ComponentValues:
        return self.bind(cols)(rows)

    def bind(self, cols: np.ndarray) -> Evaluator:
        kind = self.kind_[cols]
        if self.table_.shape[0] * kind.size <= _MAX_TABLE:  # one row per distinct preference: a row gather
            return partial(_gather_rows, _columns(self.table_, kind), self.codes_)
        return partial(_gather_cells, self.table_, self.codes_, kind)

    def describe(self, i: int, j: int, value: float) -> Text:
        kind = kind_label(self.kinds_[self.kind_[j]])
        if not self.prefs_[i]:
            return Text(N_("no preferred post kinds given"))
        if value >= self.levels[0]:
            return Text(N_("{kind} is among the preferred kinds"), kind=kind)
        preferred = Joined(kind_label(k) for k in str(self.prefs_[i]).split(";") if k)
        return Text(N_("{kind} is not among the preferred kinds ({preferred}) (value {value:.2f})"), kind=kind,
                    preferred=preferred, value=value)


class AgeComponent(Component):
    """Working-age rules and the posts' age limits.

    Parameters
    ----------
    as_of : date, optional
        Date at which ages are computed from ``birth_date`` (when ``age`` is
        missing). Default: today — pass a date for reproducible results.
    min_working_age : int, default 16
        Below it every pair is excluded (Labour Law of the PRC, art. 15).
    retirement_age : dict, default {"M": 60, "F": 55, None: 60}
        Statutory retirement age by sex (PARAM; the 2025 reform raises it gradually).
    above_retirement : float, default 0.5
        Value above retirement age for employee posts (self-employed outlets: 1).

    Examples
    --------
    >>> p = pd.DataFrame({"age": pd.array([15, 40, 58, None], dtype="Int64"), "sex": ["M", "F", "F", None],
    ...                   "birth_date": pd.to_datetime([None] * 4)})
    >>> q = pd.DataFrame({"kind": ["kiosk", "agency_post"], "min_age": pd.array([None, 18], dtype="Int64"),
    ...                   "max_age": pd.array([None, 45], dtype="Int64")})
    >>> v, x = AgeComponent().fit(p, q).evaluate(np.arange(4), np.arange(2))
    >>> v.tolist(), x.tolist()
    ([[1.0, 1.0], [1.0, 1.0], [1.0, 0.5], [1.0, 1.0]], [[True, True], [False, False], [False, True], [False, False]])
    """

    name, label = "age", N_("age rules")

    def __init__(self, as_of: dt.date | str | None = None, min_working_age: int = 16,
                 retirement_age: dict[Any, int] | None = None, above_retirement: float = 0.5):
        self.as_of, self.min_working_age = as_of, min_working_age
        self.retirement_age = retirement_age
        self.above_retirement = above_retirement

    def fit(self, persons: pd.DataFrame, posts: pd.DataFrame) -> AgeComponent:
        as_of = pd.Timestamp(self.as_of if self.as_of is not None else dt.date.today())
        age = persons["age"].to_numpy(dtype=np.float64, na_value=np.nan)
        if "birth_date" in persons:
            bd = pd.to_datetime(persons["birth_date"])
            years = as_of.year - bd.dt.year
            before = (bd.dt.month > as_of.month) | ((bd.dt.month == as_of.month) & (bd.dt.day > as_of.day))
            derived = (years - before.astype("Int64")).to_numpy(dtype=np.float64, na_value=np.nan)
            age = np.where(np.isnan(age), derived, age)
        retire = {"M": 60, "F": 55, None: 60, **(self.retirement_age or {})}
        sex = persons["sex"].astype("object") if "sex" in persons else pd.Series([None] * len(persons))
        self.retire_ = np.array([retire.get(s if isinstance(s, str) else None, retire[None]) for s in sex], np.float64)
        self.age_ = age
        self.lo_ = posts["min_age"].to_numpy(dtype=np.float64, na_value=-np.inf)
        self.hi_ = posts["max_age"].to_numpy(dtype=np.float64, na_value=np.inf)
        selfemp = {k.code: k.self_employed for k in post_kinds()}
        self.self_employed_ = np.array([selfemp.get(k, False) for k in posts["kind"].astype("object")], bool)
        return self

    def evaluate(self, rows: np.ndarray, cols: np.ndarray) -> ComponentValues:
        return self.bind(cols)(rows)

    def bind(self, cols: np.ndarray) -> Evaluator:
        # ages and limits are whole numbers (or NaN / infinite): exact in float32, where comparing is faster
        lo, hi = self.lo_[cols].astype(np.float32), self.hi_[cols].astype(np.float32)
        limited = bool((np.isfinite(lo) | np.isfinite(hi)).any())  # some post has an age range
        old_value = np.where(self.self_employed_[cols], np.float32(1.0), np.float32(self.above_retirement))
        return partial(self._rows, cols.size, limited, lo[None, :], hi[None, :], old_value)

    def _rows(self, m: int, limited: bool, lo: np.ndarray, hi: np.ndarray, old_value: np.ndarray,
              rows: np.ndarray) -> ComponentValues:
        a = self.age_[rows]  # NaN (unknown) compares False: no age rule applies
        young = a < self.min_working_age
        excl = young[:, None]  # broadcasts over the posts
        if limited:
            a32 = a.astype(np.float32)[:, None]
            excl = a32 < lo
            excl |= a32 > hi
            excl[young] = True
        old = np.flatnonzero(a > self.retire_[rows])
        if not old.size:
            return np.ones((rows.size, 1), np.float32), excl
        value = np.ones((rows.size, m), np.float32)
        value[old] = old_value
        return value, excl

    def describe(self, i: int, j: int, value: float) -> Text:
        a = self.age_[i]
        if np.isnan(a):
            return Text(N_("age unknown: age rules not applied"))
        if self.evaluate(np.array([i]), np.array([j]))[1][0, 0]:
            return self.exclusion_reason(i, j)
        if value < 1:
            return Text(N_("age {age:.0f} is above the retirement age {retirement:.0f} (value {value:.2f})"),
                        age=a, retirement=self.retire_[i], value=value)
        return Text(N_("age {age:.0f} within working age and the post's limits"), age=a)

    def exclusion_reason(self, i: int, j: int) -> Text:
        a = self.age_[i]
        if a < self.min_working_age:
            return Text(N_("age {age:.0f} is below the minimum working age {minimum}"), age=a,
                        minimum=self.min_working_age)
        lo, hi = self.lo_[j], self.hi_[j]
        if not np.isfinite(lo):
            return Text(N_("age {age:.0f} is above the post's maximum age {high:g}"), age=a, high=hi)
        if not np.isfinite(hi):
            return Text(N_("age {age:.0f} is below the post's minimum age {low:g}"), age=a, low=lo)
        return Text(N_("age {age:.0f} is outside the post's range {low:g}-{high:g}"), age=a, low=lo, high=hi)
