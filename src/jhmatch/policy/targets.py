"""The action plan's targets and the progress an allocation makes towards them.

Targets (PLAN, 金政办发〔2022〕50号 §一 and §二, by end-2025; ``domain.md`` §4):
≥ 5,000 newly employed disabled persons, ≥ 500 new welfare posts, ≥ 300 tobacco
outlets for disabled entrepreneurs, ≥ 60% employment rate of working-age certificate
holders, 100% of graduating students who want work employed, ≥ 1 earner in every
household in difficulty with a member able and willing to work, ≥ 1 agency /
public-institution post a year. County targets default to the city target times the
county's population share (rates are the same in every county); any can be overridden.

How values are counted (documented choices):

- new jobs: persons the allocation places who were not employed, by the person's
  county, plus ``achieved`` (counts reached earlier, e.g. in previous years);
- welfare posts, tobacco outlets, agency posts: placements in posts of those kinds, by
  the post's county, plus ``achieved``;
- rates use employment after the allocation (employed or placed) and working age on
  31 December of ``year`` (see :mod:`jhmatch.policy.workingage`);
- households: a household in difficulty is in scope when a member is of working age and
  willing; it is covered when a member (in the persons table) is employed after the
  allocation. Only disabled members listed in ``persons`` are visible.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.data.schema import validate_posts
from jhmatch.errors import ParameterError, Problem, SchemaError
from jhmatch.policy.parameters import PolicyParameters
from jhmatch.policy.results import ge
from jhmatch.policy.workingage import persons_table, working_age
from jhmatch.taxonomy import REGIONS, post_kinds, region

__all__ = ["COUNT_TARGETS", "RATE_TARGETS", "PlanProgress", "PlanTargets", "assignments_of", "progress"]

COUNT_TARGETS = ("new_jobs", "welfare_posts", "tobacco_outlets", "agency_posts")
RATE_TARGETS = ("employment_rate", "graduate_rate", "household_coverage")
_SOURCES = {
    "new_jobs": "PLAN §一: 新增残疾人就业5000人以上 (2022–2025)",
    "welfare_posts": "PLAN §一: 新增残疾人公益性岗位500个以上",
    "tobacco_outlets": "PLAN §二(二): 烟草制品零售点不少于300个 (14th Five-Year period)",
    "agency_posts": "PLAN §二(一): 每年至少推出1个机关、事业单位岗位",
    "employment_rate": "PLAN §一: 劳动年龄段持证残疾人就业率达到60%以上",
    "graduate_rate": "PLAN §一/§二(八): 有就业意愿应届残疾人大学生就业率100%",
    "household_coverage": "PLAN §二(六): 困难残疾人家庭中有就业能力和意愿的至少1人稳定就业",
}


@dataclass(frozen=True)
class PlanTargets:
    """City-wide targets and how they split over the counties.

    Attributes
    ----------
    new_jobs, welfare_posts, tobacco_outlets : float
        Cumulative counts by end-2025.
    agency_posts : float
        Agency / public-institution posts per year.
    employment_rate, graduate_rate, household_coverage : float
        Shares in [0, 1].
    county_shares : Mapping[str, float] or None
        Weights of the counties for count targets (normalised); ``None`` = resident
        population at end-2024 (:data:`jhmatch.taxonomy.REGIONS`).
    county_targets : Mapping[str, Mapping[str, float]]
        Explicit county targets, e.g. ``{"new_jobs": {"330782": 1400}}`` (county codes
        or names), overriding the shares.

    Examples
    --------
    >>> t = PlanTargets(county_targets={"new_jobs": {"义乌": 1400}})
    >>> t.county_target("new_jobs", "330782"), round(t.county_target("new_jobs", "330727"), 1)
    (1400.0, 124.2)
    >>> t.county_target("employment_rate", "330727")
    0.6
    """

    new_jobs: float = 5000
    welfare_posts: float = 500
    tobacco_outlets: float = 300
    agency_posts: float = 1
    employment_rate: float = 0.60
    graduate_rate: float = 1.0
    household_coverage: float = 1.0
    county_shares: Mapping[str, float] | None = None
    county_targets: Mapping[str, Mapping[str, float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in COUNT_TARGETS + RATE_TARGETS:
            value = getattr(self, name)
            hi = 1.0 if name in RATE_TARGETS else np.inf
            if not isinstance(value, (int, float)) or not 0 <= value <= hi:
                raise ParameterError(f"target {name!r}: got {value!r}, expected a number between 0 and {hi}")
        if self.county_shares is not None:
            shares = {region(k).code: float(v) for k, v in self.county_shares.items()}
            if any(v < 0 for v in shares.values()) or sum(shares.values()) <= 0:
                raise ParameterError(f"county_shares: got {dict(self.county_shares)!r}, expected non-negative weights")
            object.__setattr__(self, "county_shares", MappingProxyType(shares))
        fixed: dict[str, Mapping[str, float]] = {}
        for name, per in self.county_targets.items():
            if name not in COUNT_TARGETS + RATE_TARGETS:
                raise ParameterError(f"county_targets: unknown target {name!r}; known: {', '.join(COUNT_TARGETS + RATE_TARGETS)}")
            fixed[name] = MappingProxyType({region(k).code: float(v) for k, v in per.items()})
        object.__setattr__(self, "county_targets", MappingProxyType(fixed))

    def shares(self) -> dict[str, float]:
        """Normalised county weights (population by default)."""
        raw = dict(self.county_shares) if self.county_shares is not None else {r.code: r.population for r in REGIONS}
        total = sum(raw.values())
        return {r.code: raw.get(r.code, 0.0) / total for r in REGIONS}

    def county_target(self, name: str, county: Any) -> float:
        """The target of one county (override, else share of the city target, or the rate)."""
        code = region(county).code
        if name in self.county_targets and code in self.county_targets[name]:
            return float(self.county_targets[name][code])
        city = float(getattr(self, name))
        return city if name in RATE_TARGETS else city * self.shares()[code]


@dataclass(frozen=True)
class PlanProgress:
    """Each target's value, gap and status, city-wide and per county.

    Attributes
    ----------
    year : int
        The year assessed.
    table : DataFrame
        target, scope (``"city"`` or a county code), value, numerator, denominator,
        target_value, gap (how much is still missing, ≥ 0), status (``met``,
        ``not met``, ``no data``), explanation.
    targets : PlanTargets
        The targets used.
    """

    year: int
    table: pd.DataFrame
    targets: PlanTargets

    def city(self) -> pd.DataFrame:
        """The city-wide rows."""
        return self.table[self.table["scope"] == "city"].reset_index(drop=True)

    def county(self, county: Any) -> pd.DataFrame:
        """The rows of one county (code or name)."""
        return self.table[self.table["scope"] == region(county).code].reset_index(drop=True)

    def unmet(self) -> pd.DataFrame:
        """Rows whose status is ``not met``."""
        return self.table[self.table["status"] == "not met"].reset_index(drop=True)


def assignments_of(allocation: Any) -> pd.DataFrame:
    """The ``person_id``/``post_id`` pairs of an allocation (object with ``.assignments``, or a DataFrame).

    Examples
    --------
    >>> assignments_of(pd.DataFrame({"person_id": ["a"], "post_id": ["q"]})).values.tolist()
    [['a', 'q']]
    """
    if allocation is None:
        return pd.DataFrame({"person_id": pd.Series([], dtype="string"), "post_id": pd.Series([], dtype="string")})
    frame = getattr(allocation, "assignments", allocation)
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"allocation must be an Allocation (with .assignments) or a DataFrame, not {type(allocation).__name__}")
    missing = [c for c in ("person_id", "post_id") if c not in frame.columns]
    if missing:
        raise SchemaError([Problem(None, c, "(missing column)", f"a column {c!r} in the assignments") for c in missing],
                          "assignments")
    out = frame[["person_id", "post_id"]].astype("object").map(lambda v: v if pd.isna(v) else str(v))
    return out.dropna().reset_index(drop=True)


def _check_assignments(assign: pd.DataFrame, persons: pd.DataFrame, posts: pd.DataFrame) -> None:
    problems: list[Problem] = []
    known_p = set(persons["person_id"].astype("object"))
    known_q = set(posts["post_id"].astype("object"))
    for i, (pid, qid) in enumerate(zip(assign["person_id"], assign["post_id"]), start=1):
        if pid not in known_p:
            problems.append(Problem(i, "person_id", pid, "a person of the persons table"))
        if qid not in known_q:
            problems.append(Problem(i, "post_id", qid, "a post of the posts table"))
    for i in np.flatnonzero(assign["person_id"].duplicated().to_numpy()):
        problems.append(Problem(int(i) + 1, "person_id", assign["person_id"].iloc[i], "each person placed at most once"))
    if problems:
        raise SchemaError(problems, "assignments")


def _counts(keys: np.ndarray, weights: np.ndarray | None = None) -> dict[str, float]:
    s = pd.Series(np.ones(len(keys)) if weights is None else weights, index=keys)
    return {str(k): float(v) for k, v in s.groupby(level=0).sum().items()}


def progress(persons: pd.DataFrame, posts: pd.DataFrame, allocation: Any, year: int, *,
             targets: PlanTargets | None = None, params: PolicyParameters | None = None,
             achieved: Mapping[str, Mapping[str, float]] | None = None) -> PlanProgress:
    """Progress of the plan's targets after an allocation, city-wide and per county.

    Parameters
    ----------
    persons, posts : DataFrame
        Persons (all certificate holders for the employment rate) and posts tables.
    allocation : Allocation, DataFrame or None
        Anything with an ``assignments`` DataFrame (``person_id``, ``post_id``), or that
        DataFrame itself; ``None`` for the state before any allocation.
    year : int
        The year assessed (ages on 31 December; agency posts of that year).
    targets : PlanTargets, optional
        Default: the plan's.
    params : PolicyParameters, optional
        For the working ages.
    achieved : mapping, optional
        Counts reached outside this allocation, per count target and county, e.g.
        ``{"new_jobs": {"义乌": 300}}``; added to the values.

    Examples
    --------
    >>> persons = pd.DataFrame({"person_id": ["a", "b"], "category": [4, 2], "grade": [3, 4], "county": ["磐安"] * 2,
    ...     "sex": ["M", "F"], "age": [30, 40], "employed": [False, True]})
    >>> posts = pd.DataFrame({"post_id": ["q"], "kind": ["保洁"], "county": ["磐安"], "capacity": [1]})
    >>> pr = progress(persons, posts, pd.DataFrame({"person_id": ["a"], "post_id": ["q"]}), 2025)
    >>> pr.city().set_index("target").loc[["new_jobs", "welfare_posts", "employment_rate"], "value"].tolist()
    [1.0, 1.0, 1.0]
    """
    targets = targets or PlanTargets()
    day = dt.date(int(year), 12, 31)
    pdf = persons_table(persons)
    qdf = posts if isinstance(posts, pd.DataFrame) and posts.attrs.get("validated") == "posts" else validate_posts(posts)
    assign = assignments_of(allocation)
    _check_assignments(assign, pdf, qdf)

    pid = pdf["person_id"].astype("object").to_numpy()
    pcounty = pdf["county"].astype("object").to_numpy()
    placed = np.isin(pid, assign["person_id"].to_numpy())
    employed_before = pdf["employed"].to_numpy(dtype=bool)
    employed = employed_before | placed
    wa = working_age(pdf, day, params)["working_age"].to_numpy()
    willing = pdf["willing"].to_numpy(dtype=bool)

    post_kind = dict(zip(qdf["post_id"].astype("object"), qdf["kind"].astype("object")))
    post_county = dict(zip(qdf["post_id"].astype("object"), qdf["county"].astype("object")))
    akind = np.array([post_kind[q] for q in assign["post_id"]], dtype=object)
    acounty = np.array([post_county[q] for q in assign["post_id"]], dtype=object)
    welfare_kinds = {k.code for k in post_kinds() if k.welfare}

    values: dict[str, tuple[dict[str, float], dict[str, float] | None]] = {
        "new_jobs": (_counts(pcounty[placed & ~employed_before]), None),
        "welfare_posts": (_counts(acounty[np.isin(akind, list(welfare_kinds))]), None),
        "tobacco_outlets": (_counts(acounty[akind == "tobacco_outlet"]), None),
        "agency_posts": (_counts(acounty[akind == "agency_post"]), None),
        "employment_rate": (_counts(pcounty[wa & employed]), _counts(pcounty[wa])),
        "graduate_rate": (_counts(pcounty[pdf["graduate"].to_numpy(dtype=bool) & willing & employed]),
                          _counts(pcounty[pdf["graduate"].to_numpy(dtype=bool) & willing])),
    }
    values["household_coverage"] = _households(pdf, wa & willing, employed)
    for name, per in (achieved or {}).items():
        if name not in COUNT_TARGETS:
            raise ParameterError(f"achieved: {name!r} is not a count target ({', '.join(COUNT_TARGETS)})")
        for county, v in per.items():
            code = region(county).code
            values[name][0][code] = values[name][0].get(code, 0.0) + float(v)

    rows = []
    for name in COUNT_TARGETS + RATE_TARGETS:
        num, den = values[name]
        for scope in ["city"] + [r.code for r in REGIONS]:
            rows.append(_row(name, scope, num, den, targets, year))
    return PlanProgress(int(year), pd.DataFrame(rows), targets)


def _households(pdf: pd.DataFrame, able: np.ndarray, employed: np.ndarray) -> tuple[dict[str, float], dict[str, float]]:
    hh = pdf["household_id"].astype("object").to_numpy()
    hh = np.where(pd.isna(hh), "person:" + pdf["person_id"].astype("object").to_numpy().astype(str), hh)
    frame = pd.DataFrame({"hh": hh, "county": pdf["county"].astype("object").to_numpy(),
                          "difficulty": pdf["household_difficulty"].to_numpy(dtype=bool), "able": able, "employed": employed})
    frame = frame[frame["difficulty"]]
    g = frame.groupby("hh", sort=True).agg(county=("county", "first"), able=("able", "any"), employed=("employed", "any"))
    g = g[g["able"]]
    return _counts(g["county"].to_numpy()[g["employed"].to_numpy()]), _counts(g["county"].to_numpy())


def _row(name: str, scope: str, num: dict[str, float], den: dict[str, float] | None, targets: PlanTargets,
         year: int) -> dict[str, Any]:
    n = sum(num.values()) if scope == "city" else num.get(scope, 0.0)
    target = float(getattr(targets, name)) if scope == "city" else targets.county_target(name, scope)
    where = "city-wide" if scope == "city" else f"county {scope}"
    if den is None:
        value, d = n, np.nan
        status = "met" if ge(value, target) else "not met"
        gap = max(target - value, 0.0)
        unit = " a year" if name == "agency_posts" else " by end-2025"
        text = f"{name} {where}: {value:g} against a target of {target:.4g}{unit}; gap {gap:.4g}"
    else:
        d = sum(den.values()) if scope == "city" else den.get(scope, 0.0)
        value = n / d if d else np.nan
        status = "no data" if not d else ("met" if ge(n, target * d) else "not met")
        gap = max(target - value, 0.0) if d else np.nan
        text = (f"{name} {where}: {n:g} of {d:g} = {value * 100:.2f}% against {target * 100:g}%; gap "
                f"{gap * 100:.2f} points" if d else f"{name} {where}: nobody in scope")
    if scope != "city" and name in COUNT_TARGETS and scope not in targets.county_targets.get(name, {}):
        basis = "population" if targets.county_shares is None else "county_shares"
        text += f" (county target = {basis} share of the city target)"
    return {"target": name, "scope": scope, "year": year, "value": value, "numerator": n, "denominator": d,
            "target_value": target, "gap": gap, "status": status,
            "explanation": f"{text} — {_SOURCES[name]}"}
