"""The action plan's targets and the progress an allocation makes towards them.

Targets (PLAN, 金政办发〔2022〕50号 §一 and §二, by end-2025; ``domain.md`` §4):
≥ 5,000 newly employed disabled persons, ≥ 500 new welfare posts, ≥ 300 tobacco
outlets for disabled entrepreneurs, ≥ 60% employment rate of working-age certificate
holders, 100% of graduating students who want work employed, ≥ 1 earner in every
household in difficulty with a member able and willing to work, ≥ 1 agency /
public-institution post a year. These are city-wide totals: the plan sets no county
targets. County rows therefore carry no target unless the caller supplies county
targets (``county_targets`` or :meth:`PlanTargets.from_table`) or asks for a split
(``split="population"`` or ``county_shares``); a split target is an ASSUMPTION of
jhmatch and every such row says so (``assumption`` column, ``target_basis``). The
agency-post target ("at least one a year, city-wide") is never split. Years outside
the plan period 2022–2025 are flagged (``in_plan_period``): the end-2025 targets are
then shown for reference only.

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

__all__ = ["COUNT_TARGETS", "PLAN_YEARS", "RATE_TARGETS", "PlanProgress", "PlanTargets", "assignments_of",
           "progress"]

PLAN_YEARS = (2022, 2025)
"""First and last year of the plan (金政办发〔2022〕50号: targets "到2025年" / 2022–2025)."""
_SPLITS = (None, "population", "shares")
_NOT_SPLIT = ("agency_posts",)

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
    """City-wide targets, and county targets only where supplied or a split is asked for.

    Attributes
    ----------
    new_jobs, welfare_posts, tobacco_outlets : float
        Cumulative counts by end-2025.
    agency_posts : float
        Agency / public-institution posts per year.
    employment_rate, graduate_rate, household_coverage : float
        Shares in [0, 1].
    county_shares : Mapping[str, float] or None
        Weights of the counties for a split of the count targets (normalised); giving
        them asks for a split (``split="shares"``).
    county_targets : Mapping[str, Mapping[str, float]]
        County targets supplied by the user, e.g. ``{"new_jobs": {"330783": 800}}``
        (county codes or names; 东阳's published 800 new jobs); they override any split.
    split : {None, "population", "shares"}
        ``None`` (default): no county target unless supplied. ``"population"``: count
        targets times the county's resident population share (end-2024,
        :data:`jhmatch.taxonomy.REGIONS`) and the city rates applied in each county —
        an ASSUMPTION, flagged in every row. ``"shares"``: the same with ``county_shares``.

    Examples
    --------
    >>> t = PlanTargets(county_targets={"new_jobs": {"义乌": 1400}})
    >>> t.county_target("new_jobs", "330782"), t.county_target("new_jobs", "330727")
    (1400.0, nan)
    >>> t = PlanTargets(split="population")
    >>> round(t.county_target("new_jobs", "330727"), 1), t.county_target("employment_rate", "330727")
    (124.2, 0.6)
    >>> t.county_basis("new_jobs", "330727")
    'population split (ASSUMPTION)'
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
    split: str | None = None

    def __post_init__(self) -> None:
        if self.split not in _SPLITS:
            raise ParameterError(f"split: got {self.split!r}, expected None, 'population' or 'shares'")
        if self.split == "shares" and self.county_shares is None:
            raise ParameterError("split='shares' needs county_shares")
        if self.county_shares is not None and self.split is None:
            object.__setattr__(self, "split", "shares")
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

    @classmethod
    def from_table(cls, table: pd.DataFrame, **kwargs: Any) -> PlanTargets:
        """Targets with county targets read from a table of ``target, county, value`` rows.

        Rows with county ``"city"`` (or empty) set the city-wide target.

        Examples
        --------
        >>> t = PlanTargets.from_table(pd.DataFrame({"target": ["new_jobs", "welfare_posts"],
        ...                                          "county": ["东阳", "东阳"], "value": [800, 70]}))
        >>> t.county_target("welfare_posts", "330783"), t.county_basis("welfare_posts", "330783")
        (70.0, 'supplied')
        """
        missing = [c for c in ("target", "county", "value") if c not in table.columns]
        if missing:
            raise SchemaError([Problem(None, c, "(missing column)", f"a {c!r} column") for c in missing],
                              "county targets")
        per: dict[str, dict[str, float]] = {}
        city: dict[str, float] = {}
        for name, county, value in zip(table["target"], table["county"], table["value"]):
            if pd.isna(county) or str(county).strip() in ("", "city"):
                city[str(name)] = float(value)
            else:
                per.setdefault(str(name), {})[str(county)] = float(value)
        for name in city:
            if name not in COUNT_TARGETS + RATE_TARGETS:
                raise ParameterError(f"county targets: unknown target {name!r}; known: {', '.join(COUNT_TARGETS + RATE_TARGETS)}")
        return cls(**{**city, **kwargs, "county_targets": {**per, **dict(kwargs.get("county_targets", {}))}})

    def shares(self) -> dict[str, float]:
        """Normalised county weights of a split (population unless ``county_shares``)."""
        raw = dict(self.county_shares) if self.county_shares is not None else {r.code: r.population for r in REGIONS}
        total = sum(raw.values())
        return {r.code: raw.get(r.code, 0.0) / total for r in REGIONS}

    def county_basis(self, name: str, county: Any) -> str:
        """Where a county's target comes from: ``supplied``, a split (ASSUMPTION) or ``none``."""
        code = region(county).code
        if name in self.county_targets and code in self.county_targets[name]:
            return "supplied"
        if self.split is None or name in _NOT_SPLIT:
            return "none"
        if name in RATE_TARGETS:
            return "city rate applied (ASSUMPTION)"
        return f"{'population' if self.split == 'population' else 'county_shares'} split (ASSUMPTION)"

    def county_target(self, name: str, county: Any) -> float:
        """The target of one county: supplied, else the split if asked for, else NaN (no target)."""
        code = region(county).code
        basis = self.county_basis(name, code)
        if basis == "supplied":
            return float(self.county_targets[name][code])
        if basis == "none":
            return float("nan")
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
        target, scope (``"city"`` or a county code), year, value, numerator,
        denominator, target_value (NaN where a county has no target), gap (how much is
        still missing, ≥ 0), status (``met``, ``not met``, ``no data``, ``no target``),
        target_basis (``plan`` for city rows, ``supplied``, a split marked
        ``(ASSUMPTION)``, or ``none``), assumption (True when the target is jhmatch's
        split, not the plan's or the user's), in_plan_period (``year`` within
        2022–2025), explanation.
    targets : PlanTargets
        The targets used.
    """

    year: int
    table: pd.DataFrame
    targets: PlanTargets

    @property
    def in_plan_period(self) -> bool:
        """Whether ``year`` lies within the plan period 2022–2025."""
        return PLAN_YEARS[0] <= self.year <= PLAN_YEARS[1]

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
        The year assessed (ages on 31 December; agency posts of that year). A year
        outside 2022–2025 is flagged in every row (``in_plan_period`` False and a note
        in the explanation): the end-2025 targets are shown for reference only.
    targets : PlanTargets, optional
        Default: the plan's city-wide targets, no county targets.
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
    >>> pr.county("磐安").set_index("target").loc["new_jobs", "status"]  # the plan's targets are city-wide
    'no target'
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
    basis = "plan" if scope == "city" else targets.county_basis(name, scope)
    target = float(getattr(targets, name)) if scope == "city" else targets.county_target(name, scope)
    where = "city-wide" if scope == "city" else f"county {scope}"
    none = basis == "none"
    if den is None:
        value, d = n, np.nan
        status = "no target" if none else ("met" if ge(value, target) else "not met")
        gap = np.nan if none else max(target - value, 0.0)
        unit = " a year" if name == "agency_posts" else " by end-2025"
        text = (f"{name} {where}: {value:g}" if none
                else f"{name} {where}: {value:g} against a target of {target:.4g}{unit}; gap {gap:.4g}")
    else:
        d = sum(den.values()) if scope == "city" else den.get(scope, 0.0)
        value = n / d if d else np.nan
        status = "no data" if not d else ("no target" if none else ("met" if ge(n, target * d) else "not met"))
        gap = max(target - value, 0.0) if d and not none else np.nan
        if not d:
            text = f"{name} {where}: nobody in scope"
        elif none:
            text = f"{name} {where}: {n:g} of {d:g} = {value * 100:.2f}%"
        else:
            text = (f"{name} {where}: {n:g} of {d:g} = {value * 100:.2f}% against {target * 100:g}%; gap "
                    f"{gap * 100:.2f} points")
    if none:
        text += " (no county target: the plan's target is city-wide; supply county targets or ask for a split)"
    elif basis.endswith("(ASSUMPTION)"):
        text += f" (ASSUMPTION: county target from a {basis.removesuffix(' (ASSUMPTION)')}, not the plan's)"
    elif basis == "supplied":
        text += " (county target supplied by the user)"
    in_period = PLAN_YEARS[0] <= int(year) <= PLAN_YEARS[1]
    if not in_period:
        text += (f" [year {year} is outside the plan period {PLAN_YEARS[0]}–{PLAN_YEARS[1]}: the end-2025 "
                 "target is shown for reference only]")
    return {"target": name, "scope": scope, "year": year, "value": value, "numerator": n, "denominator": d,
            "target_value": target, "gap": gap, "status": status, "target_basis": basis,
            "assumption": basis.endswith("(ASSUMPTION)"), "in_plan_period": in_period,
            "explanation": f"{text} — {_SOURCES[name]}"}
