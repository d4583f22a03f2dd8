"""Score components: the protocol, and the simple built-in components.

A component turns a block of persons (rows) × posts (columns) into values in
[0, 1] and, optionally, a boolean mask of pairs a *hard rule* excludes. It also
explains one pair in English and Chinese. The built-ins are:

=============  ==========================================================================
component      rule (defaults; all are parameters)
=============  ==========================================================================
functional     see :mod:`jhmatch.matching.functional`
skills         see :mod:`jhmatch.matching.skills`
education      1 when the person meets ``min_education`` (or the post sets none); 0.6 one
               level short; **hard** exclusion two or more levels short; 0.5 when the
               person's education is unknown and the post sets a minimum
location       remote post and ``remote_ok`` → 1; otherwise ``exp(-km / 20)`` when both
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
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.errors import ParameterError
from jhmatch.taxonomy import post_kinds

__all__ = [
    "AgeComponent",
    "Component",
    "EducationComponent",
    "FunctionComponent",
    "LocationComponent",
    "PreferenceComponent",
]

Block = tuple[np.ndarray, "np.ndarray | None"]


class Component:
    """Base class of score components.

    Subclasses set ``name`` and ``zh`` (display names), implement :meth:`fit`
    (called with the validated persons and posts tables, both sorted by id) and
    :meth:`evaluate`, and may override :meth:`describe`.
    """

    name: str = "component"
    zh: str = "组件"

    def fit(self, persons: pd.DataFrame, posts: pd.DataFrame) -> Component:
        """Prepare arrays from the persons and posts tables; returns ``self``."""
        return self

    def evaluate(self, rows: np.ndarray, cols: np.ndarray) -> Block:
        """Values and the hard-excluded mask (or None) of the pairs ``rows`` × ``cols``.

        Both are arrays broadcastable to ``(len(rows), len(cols))`` (e.g. one column
        when a value depends on the person only); values are float32 in [0, 1].
        The caller may modify the returned arrays.
        """
        raise NotImplementedError

    def describe(self, i: int, j: int, value: float) -> tuple[str, str]:
        """English and Chinese sentence explaining the value of pair (i, j)."""
        return f"{self.name} = {value:.2f}", f"{self.zh} = {value:.2f}"

    def exclusion_reason(self, i: int, j: int) -> tuple[str, str]:
        """English and Chinese sentence saying which hard rule excluded pair (i, j)."""
        return f"excluded by the {self.name} rule", f"{self.zh}规则排除"


class FunctionComponent(Component):
    """Wrap a user function ``func(persons_rows, posts_cols) -> array`` as a component.

    The function receives the rows of the (validated, id-sorted) persons table and
    the columns' rows of the posts table, and returns an array of shape
    ``(len(persons_rows), len(posts_cols))`` with values in [0, 1].

    Examples
    --------
    >>> c = FunctionComponent("wage", lambda p, q: np.ones((len(p), len(q))), zh="工资")
    >>> c.fit(pd.DataFrame({"a": [1, 2]}), pd.DataFrame({"b": [1]})).evaluate(np.array([0, 1]), np.array([0]))[0].shape
    (2, 1)
    """

    def __init__(self, name: str, func: Callable[[pd.DataFrame, pd.DataFrame], Any], zh: str | None = None):
        self.name = name
        self.zh = zh or name
        self.func = func

    def fit(self, persons: pd.DataFrame, posts: pd.DataFrame) -> FunctionComponent:
        self.persons_, self.posts_ = persons, posts
        return self

    def evaluate(self, rows: np.ndarray, cols: np.ndarray) -> Block:
        out = np.array(self.func(self.persons_.iloc[rows], self.posts_.iloc[cols]), dtype=np.float32)
        if out.shape != (len(rows), len(cols)):
            raise ParameterError(f"component {self.name!r} returned shape {out.shape}, expected {(len(rows), len(cols))}")
        if out.size and (not np.isfinite(out).all() or out.min() < 0 or out.max() > 1):
            raise ParameterError(f"component {self.name!r} returned values outside [0, 1] (or NaN)")
        return out, None


def _int_or(values: pd.Series, missing: int) -> np.ndarray:
    return values.astype("Float64").fillna(missing).to_numpy(dtype=np.int64)


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

    name, zh = "education", "学历"

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

    def evaluate(self, rows: np.ndarray, cols: np.ndarray) -> Block:
        pe, qe = self.pe_[rows], self.qe_[cols]
        return self.table_[pe][:, qe], self.excl_[pe][:, qe]

    def describe(self, i: int, j: int, value: float) -> tuple[str, str]:
        from jhmatch.taxonomy import EDUCATION_LEVELS

        p, q = int(self.pe_[i]), int(self.qe_[j])
        if q == 0:
            return "the post sets no education minimum", "岗位无学历要求"
        need_en, need_zh = EDUCATION_LEVELS[q][1], EDUCATION_LEVELS[q][2]
        if p == 7:
            return (f"education unknown; the post asks for {need_en} (value {value:.2f})",
                    f"学历不详；岗位要求{need_zh}（得分{value:.2f}）")
        has_en, has_zh = EDUCATION_LEVELS[p][1], EDUCATION_LEVELS[p][2]
        return (f"has {has_en}, the post asks for {need_en} (value {value:.2f})",
                f"学历{has_zh}，岗位要求{need_zh}（得分{value:.2f}）")

    def exclusion_reason(self, i: int, j: int) -> tuple[str, str]:
        return (f"education {self.qe_[j] - self.pe_[i]} levels below the post's minimum (hard rule: {self.hard_gap} or more)",
                f"学历低于岗位最低要求{self.qe_[j] - self.pe_[i]}级（硬性规则：≥{self.hard_gap}级排除）")


_EARTH_KM = 6371.0088


def haversine_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> np.ndarray:
    """Great-circle distance in km (broadcasting).

    Examples
    --------
    >>> round(float(haversine_km(29.08, 119.65, 29.31, 120.08)), 1)  # 婺城 → 义乌
    49.0
    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2) - np.radians(lon1)
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * _EARTH_KM * np.arcsin(np.sqrt(np.clip(h, 0, 1)))


def _unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    p, q = np.radians(lat), np.radians(lon)
    return np.stack([np.cos(p) * np.cos(q), np.cos(p) * np.sin(q), np.sin(p)], axis=1)


def _haversine_block(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Great-circle distance (km, float32) of every row point to every column point.

    Computed as ``R * chord`` with ``chord^2 = 2 - 2 u1.u2`` for the unit vectors
    ``u`` (one small float64 matrix product): the haversine distance is
    ``2R asin(chord / 2)``, which differs from ``R * chord`` by under 0.001 %
    below 100 km; pairs farther apart are beyond any commute.
    """
    dot = _unit_vectors(lat1, lon1) @ _unit_vectors(lat2, lon2).T
    np.subtract(1.0, dot, out=dot)
    dot *= 2.0 * _EARTH_KM**2
    np.maximum(dot, 0.0, out=dot)
    np.sqrt(dot, out=dot)
    return dot.astype(np.float32)


class LocationComponent(Component):
    """Same county, commute distance, remote work; also the blocking rule.

    Parameters
    ----------
    max_commute_km : float, default 30
        An on-site post in another county is a candidate only within this distance.
    scale_km : float, default 20
        Distance decay: value ``exp(-km / scale_km)``.
    same_county : float, default 0.8
        Value in the same county when a distance cannot be computed.

    Examples
    --------
    >>> p = pd.DataFrame({"county": ["330782", "330702"], "lat": [np.nan, 29.08], "lon": [np.nan, 119.65],
    ...                   "remote_ok": [True, False]})
    >>> q = pd.DataFrame({"county": ["330782", "330702"], "lat": [np.nan, 29.10], "lon": [np.nan, 119.65],
    ...                   "remote": [True, False]})
    >>> v, x = LocationComponent().fit(p, q).evaluate(np.arange(2), np.arange(2))
    >>> v.astype(float).round(2).tolist(), x.tolist()
    ([[1.0, 0.0], [0.0, 0.89]], [[False, True], [True, False]])
    """

    name, zh = "location", "地点"

    def __init__(self, max_commute_km: float = 30.0, scale_km: float = 20.0, same_county: float = 0.8):
        self.max_commute_km, self.scale_km, self.same_county = max_commute_km, scale_km, same_county

    def fit(self, persons: pd.DataFrame, posts: pd.DataFrame) -> LocationComponent:
        counties = pd.Index(sorted(set(persons["county"].dropna()) | set(posts["county"].dropna())))
        self.pc_ = counties.get_indexer(persons["county"].astype("object"))
        self.qc_ = counties.get_indexer(posts["county"].astype("object"))
        self.plat_ = persons["lat"].to_numpy(dtype=np.float64, na_value=np.nan)
        self.plon_ = persons["lon"].to_numpy(dtype=np.float64, na_value=np.nan)
        self.qlat_ = posts["lat"].to_numpy(dtype=np.float64, na_value=np.nan)
        self.qlon_ = posts["lon"].to_numpy(dtype=np.float64, na_value=np.nan)
        self.remote_ok_ = persons["remote_ok"].to_numpy(dtype=bool)
        self.remote_ = posts["remote"].to_numpy(dtype=bool)
        return self

    def evaluate(self, rows: np.ndarray, cols: np.ndarray) -> Block:
        pc, qc = self.pc_[rows], self.qc_[cols]
        ok = pc[:, None] == qc[None, :]
        if (pc < 0).any():
            ok[pc < 0] = False
        value = ok * np.float32(self.same_county)
        pr = np.flatnonzero(~np.isnan(self.plat_[rows]) & ~np.isnan(self.plon_[rows]))
        qx = np.flatnonzero(~np.isnan(self.qlat_[cols]) & ~np.isnan(self.qlon_[cols]))
        if pr.size and qx.size:
            r, c = rows[pr], cols[qx]
            km = _haversine_block(self.plat_[r], self.plon_[r], self.qlat_[c], self.qlon_[c])
            near = km <= self.max_commute_km
            km *= np.float32(-1.0 / self.scale_km)
            np.exp(km, out=km)
            index: Any = (slice(None), qx) if pr.size == rows.size else np.ix_(pr, qx)
            near |= ok[index]
            km *= near
            ok[index] = near
            value[index] = km
        rr, rc = self.remote_ok_[rows], self.remote_[cols]
        if rr.any() and rc.any():
            index = (slice(None), rc) if rr.all() else np.ix_(np.flatnonzero(rr), np.flatnonzero(rc))
            value[index] = 1.0
            ok[index] = True
        np.logical_not(ok, out=ok)
        return value, ok

    def candidate_columns(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Columns (subset of ``cols``) that can be candidates for any of ``rows``: the blocking step."""
        keep = np.isin(self.qc_[cols], self.pc_[rows][self.pc_[rows] >= 0])
        if self.remote_ok_[rows].any():
            keep |= self.remote_[cols]
        lat, lon = self.plat_[rows], self.plon_[rows]
        has = ~np.isnan(lat) & ~np.isnan(lon)
        if has.any():
            dlat = self.max_commute_km / 111.0
            dlon = dlat / max(np.cos(np.radians(np.nanmax(np.abs(lat[has])))), 0.1)
            ql, qo = self.qlat_[cols], self.qlon_[cols]
            keep |= ((ql >= lat[has].min() - dlat) & (ql <= lat[has].max() + dlat)
                     & (qo >= lon[has].min() - dlon) & (qo <= lon[has].max() + dlon))
        return cols[keep]

    def describe(self, i: int, j: int, value: float) -> tuple[str, str]:
        if self.remote_ok_[i] and self.remote_[j]:
            return "remote post, and the person accepts home-based work", "居家/远程岗位，本人接受居家就业"
        if not np.isnan([self.plat_[i], self.plon_[i], self.qlat_[j], self.qlon_[j]]).any():
            km = float(haversine_km(self.plat_[i], self.plon_[i], self.qlat_[j], self.qlon_[j]))
            return f"commute {km:.1f} km (value {value:.2f})", f"通勤距离{km:.1f}公里（得分{value:.2f}）"
        return "same county, distance unknown", "同一县市区，距离不详"

    def exclusion_reason(self, i: int, j: int) -> tuple[str, str]:
        return (f"blocked: on-site post in another county and not within {self.max_commute_km:g} km",
                f"分块排除：外县市区的非居家岗位，且通勤距离超过{self.max_commute_km:g}公里或不详")


class PreferenceComponent(Component):
    """The person's ``preferred_kinds`` against the post's kind.

    Examples
    --------
    >>> p = pd.DataFrame({"preferred_kinds": ["kiosk;blind_massage", ""]})
    >>> q = pd.DataFrame({"kind": ["blind_massage", "lottery_outlet", "ecommerce"]})
    >>> PreferenceComponent().fit(p, q).evaluate(np.arange(2), np.arange(3))[0].astype(float).round(2).tolist()
    [[1.0, 0.5, 0.2], [0.6, 0.6, 0.6]]
    """

    name, zh = "preference", "求职意向"

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

    def evaluate(self, rows: np.ndarray, cols: np.ndarray) -> Block:
        return self.table_[self.codes_[rows]][:, self.kind_[cols]], None

    def describe(self, i: int, j: int, value: float) -> tuple[str, str]:
        kind = self.kinds_[self.kind_[j]]
        if not self.prefs_[i]:
            return "no preferred post kinds given", "未填写求职意向"
        if value >= self.levels[0]:
            return f"{kind} is among the preferred kinds", f"{kind}属于求职意向"
        return (f"{kind} is not among the preferred kinds ({self.prefs_[i]}) (value {value:.2f})",
                f"{kind}不在求职意向（{self.prefs_[i]}）之内（得分{value:.2f}）")


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

    name, zh = "age", "年龄"

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

    def evaluate(self, rows: np.ndarray, cols: np.ndarray) -> Block:
        a = self.age_[rows]
        known = ~np.isnan(a)
        excl = (known & (a < self.min_working_age))[:, None]  # broadcasts over the posts
        lo, hi = self.lo_[cols], self.hi_[cols]
        if np.isfinite(lo).any():
            excl = excl | (known[:, None] & (a[:, None] < lo[None, :]))
        if np.isfinite(hi).any():
            excl = excl | (known[:, None] & (a[:, None] > hi[None, :]))
        old = np.flatnonzero(known & (a > self.retire_[rows]))
        if not old.size:
            return np.ones((rows.size, 1), np.float32), excl
        value = np.ones((rows.size, cols.size), np.float32)
        value[old] = np.where(self.self_employed_[cols], np.float32(1.0), np.float32(self.above_retirement))
        return value, excl

    def describe(self, i: int, j: int, value: float) -> tuple[str, str]:
        a = self.age_[i]
        if np.isnan(a):
            return "age unknown: age rules not applied", "年龄不详：未应用年龄规则"
        if self.evaluate(np.array([i]), np.array([j]))[1][0, 0]:
            return self.exclusion_reason(i, j)
        if value < 1:
            return (f"age {a:.0f} is above the retirement age {self.retire_[i]:.0f} (value {value:.2f})",
                    f"年龄{a:.0f}岁，超过法定退休年龄{self.retire_[i]:.0f}岁（得分{value:.2f}）")
        return f"age {a:.0f} within working age and the post's limits", f"年龄{a:.0f}岁，符合劳动年龄及岗位年龄要求"

    def exclusion_reason(self, i: int, j: int) -> tuple[str, str]:
        a = self.age_[i]
        if a < self.min_working_age:
            return (f"age {a:.0f} is below the minimum working age {self.min_working_age}",
                    f"年龄{a:.0f}岁，低于最低就业年龄{self.min_working_age}岁")
        return (f"age {a:.0f} is outside the post's range {self.lo_[j]:g}-{self.hi_[j]:g}",
                f"年龄{a:.0f}岁，不在岗位年龄范围{self.lo_[j]:g}-{self.hi_[j]:g}岁内")
