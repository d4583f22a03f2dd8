"""Functional compatibility: can the person do this post's work, safely, with its accommodations?

Three rules, all comparing a person's capacity (:mod:`jhmatch.matching.profiles`) with
what the post needs:

* **Hazards and essential functions** (hard) — each hazard of the post
  (:mod:`jhmatch.matching.post_facts`: set by the planner, or read from the title,
  required skills, occupation or kind) rules out persons below its minimum capacities
  (:data:`~jhmatch.matching.hazard_rules.HAZARD_RULES`, each with its source), unless
  an accommodation on the post relieves it. The reason names the hazard, where it
  came from and the rule's source.
* **Backstop** (hard) — an O*NET-derived demand at or above its ``essential`` level
  that exceeds capacity by more than its ``gap`` excludes the pair
  (:data:`BACKSTOP`): on sight, hands and legs only when the ability is "very
  important" (0.75) and all but absent (gap 0.6); on cognition from a demand of 0.4
  and on psychosocial functioning from 0.5, when the gap exceeds 0.3 (severe
  intellectual or mental disability outside sheltered or coached work;
  :data:`BACKSTOP`). Hearing and speech demands
  are never a hard rule on their own: O*NET rates how important an ability is in a
  *typical* job, and text or sign language can stand in for them; their essential
  uses are hazards (``telephone``).
* **Supervised work** (hard) — a person whose psychosocial or cognitive capacity is
  below :data:`SUPERVISION_BELOW` (the defaults for mental and intellectual
  disability grades 1–2) is placed only in sheltered work (辅助性就业) or a post with
  a job coach: GB/T 26341-2010 describes grade 2 mental disability as able to do
  simple work under supervision (监护下能从事简单劳动) and grade 2 intellectual
  disability as needing others' care even after training; grade 1 is more severe.
* **Smooth part** — ``exp(-penalty * sum_d gap_d)`` over the eight dimensions, with
  ``gap_d = max(0, demand_d - capacity_d)`` after accommodations (default
  ``penalty`` 1.5: one gap of 0.2 gives 0.74, of 0.4 gives 0.55).

All rules are monotone: raising a capacity never lowers the value and never creates
an exclusion. When a physical disability's limbs are unknown, both readings (upper,
lower) are scored and the better one is kept; the pair is excluded only if both
readings are. Persons recorded as not using sign language do not benefit from a
post's sign-language interpretation.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from jhmatch.i18n import N_
from jhmatch.matching._frozen import frozen
from jhmatch.matching.components import Component, ComponentValues
from jhmatch.matching.demands import DEMAND_SOURCE_LABELS, PostDemands, post_demands
from jhmatch.matching.hazard_rules import HAZARD_RELIEF, HAZARD_RULES, HAZARDS, hazard_failures
from jhmatch.matching.messages import Joined, Label, Text
from jhmatch.matching.post_facts import PostFacts, cached_post_facts
from jhmatch.matching.profiles import DIMS, REFINEMENTS, Capacities, person_capacities
from jhmatch.requirements import Hazard
from jhmatch.taxonomy import post_kind

__all__ = ["ACCOMMODATION_LABELS", "BACKSTOP", "DIMENSION_LABELS", "SUPERVISION_BELOW", "FunctionalComponent",
           "accommodation_label"]

DIMENSION_LABELS: Mapping[str, str] = frozen({
    "vision": N_("vision"), "hearing": N_("hearing"), "speech": N_("speech"), "upper_limb": N_("upper limbs"),
    "mobility": N_("mobility"), "stamina": N_("stamina"), "cognition": N_("cognition"),
    "psychosocial": N_("psychosocial functioning")})
"""How the functional dimensions are shown (translated where shown)."""

ACCOMMODATION_LABELS: Mapping[str, str] = frozen({
    "screen_reader": N_("screen reader"), "sign_language": N_("sign-language interpreting"),
    "step_free": N_("step-free access"), "remote": N_("home-based work"), "flexible_hours": N_("flexible hours"),
    "job_coach": N_("job coach"), "adapted_workstation": N_("adapted workstation"),
    "written_instructions": N_("written instructions"), "quiet_space": N_("quiet workspace")})
"""How the accommodations are shown (translated where shown)."""

SUPERVISION_SOURCE = "GB/T 26341-2010 精神/智力残疾二级（监护下能从事简单劳动；需他人照料）"
"""The standard behind the supervised-work rule."""


def accommodation_label(code: str) -> Text | Label:
    """An accommodation as shown to planners (unknown codes as given).

    Examples
    --------
    >>> accommodation_label("job_coach").render("zh")
    '就业辅导员'
    """
    return Text(ACCOMMODATION_LABELS[code]) if code in ACCOMMODATION_LABELS else Label(code, code)


BACKSTOP: Mapping[str, tuple[float, float]] = frozen({
    "vision": (0.75, 0.6), "upper_limb": (0.75, 0.6), "mobility": (0.75, 0.6),
    "cognition": (0.4, 0.3), "psychosocial": (0.5, 0.3),
})
"""Dimension → (essential demand, gap beyond which the pair is excluded)."""

SUPERVISION_BELOW: Mapping[str, float] = frozen({"psychosocial": 0.35, "cognition": 0.3})
"""Capacities below which only supervised posts (sheltered work, a job coach) are open."""

_SIGN_DIMS = (DIMS.index("hearing"), DIMS.index("speech"))


class FunctionalComponent(Component):
    """Capacity against the post's own demands, hazards and essential functions.

    Parameters
    ----------
    backstop : mapping of str to (float, float), optional
        Per dimension, the essential demand and the gap beyond which the pair is
        excluded; default :data:`BACKSTOP`. Dimensions left out never exclude on their own.
    penalty : float, default 1.5
        Steepness of the smooth part.

    Examples
    --------
    >>> from jhmatch.data.schema import validate_persons, validate_posts
    >>> p = validate_persons(pd.DataFrame({"person_id": ["a", "b"], "category": ["visual", "hearing"],
    ...                                    "grade": [1, 1], "county": ["义乌"] * 2}))
    >>> q = validate_posts(pd.DataFrame({"post_id": ["m", "t", "w"], "county": ["义乌"] * 3, "capacity": [1] * 3,
    ...     "kind": ["blind_massage", "企业一般岗位", "企业一般岗位"], "title": ["盲人按摩", "电话回访专员", "焊工"]}))
    >>> v, x = FunctionalComponent().fit(p, q).evaluate(np.arange(2), np.arange(3))
    >>> x.tolist()  # the blind person: not a welder; the deaf person: no telephone work
    [[False, False, True], [False, True, False]]
    """

    name, label = "functional", N_("functional fit")

    def __init__(self, backstop: Mapping[str, tuple[float, float]] | None = None, penalty: float = 1.5):
        self.backstop, self.penalty = backstop, penalty

    def fit(self, persons: pd.DataFrame, posts: pd.DataFrame) -> FunctionalComponent:
        self.persons_, self.posts_ = persons, posts
        self.caps_: Capacities = person_capacities(persons)
        self.facts_: PostFacts = cached_post_facts(posts)
        self.demands_: PostDemands = post_demands(posts, self.facts_.occupation, self.facts_.occupation_source)
        self.dem_ = self.demands_.accommodated
        caps = self.caps_
        # one matrix product gives every hazard exclusion: person fails hazard h (plain or relieved) × post has h
        self.fail_ = np.hstack(hazard_failures(caps.values, caps.illiterate)).astype(np.float32)
        self.fail_alt_ = np.hstack(hazard_failures(caps.alternative, caps.illiterate)).astype(np.float32)
        f = self.facts_
        self.post_hazard_ = np.ascontiguousarray(
            np.hstack([f.hazards & ~f.relieved, f.hazards & f.relieved]).astype(np.float32).T)
        self.needs_supervision_ = np.zeros(len(persons), bool)
        for dim, low in SUPERVISION_BELOW.items():
            d = DIMS.index(dim)
            self.needs_supervision_ |= np.maximum(caps.values[:, d], caps.alternative[:, d]) < low
        acc = posts["accommodations"].astype("object").fillna("").astype(str) if "accommodations" in posts else \
            pd.Series([""] * len(posts))
        kinds = posts["kind"].astype("object")
        groups = kinds.map({k: post_kind(k).group for k in pd.unique(kinds)}).to_numpy(dtype=object)
        self.supervised_ = (groups == "sheltered") | acc.str.contains("job_coach", regex=False).to_numpy()
        # a person's row depends only on these: the scorer may evaluate one person per distinct profile
        profile = np.concatenate([caps.values, caps.alternative, caps.has_alternative[:, None],
                                  caps.illiterate[:, None], caps.non_signer[:, None]], axis=1)
        self.row_keys_ = np.unique(profile, axis=0, return_inverse=True)[1].ravel() if len(persons) else None
        backstop = dict(BACKSTOP if self.backstop is None else self.backstop)
        self.essential_ = np.array([backstop.get(d, (np.inf, np.inf))[0] for d in DIMS], np.float32)
        self.hard_gap_ = np.array([backstop.get(d, (np.inf, np.inf))[1] for d in DIMS], np.float32)
        return self

    def _one(self, cap: np.ndarray, cols: np.ndarray, non_signer: np.ndarray) -> ComponentValues:
        """Values and backstop exclusions for capacity rows ``cap`` (b × 8) against ``cols``."""
        b, m = cap.shape[0], cols.size
        total = np.zeros((b, m), np.float32)
        excl = np.zeros((b, m), bool)
        dem = self.dem_[cols]
        unsigned = self.demands_.unsigned[cols] if non_signer.any() else None
        for d in range(len(DIMS)):
            dd = dem[:, d]
            if not dd.size:
                break
            c = cap[:, d]
            signs = unsigned is not None and d in _SIGN_DIMS
            top = max(dd.max(), unsigned[:, d].max()) if signs else dd.max()
            rows = np.flatnonzero(c < top)  # only persons below some demand can have a gap
            if not rows.size:
                continue
            full = rows.size == b
            gap = dd[None, :] - (c if full else c[rows])[:, None]
            if signs:
                ns = non_signer if full else non_signer[rows]
                gap[ns] = unsigned[:, d][None, :] - (c if full else c[rows])[ns, None]
            np.maximum(gap, 0, out=gap)
            ess = dd >= self.essential_[d]
            if full:
                total += gap
                if ess.any():
                    excl |= (gap > self.hard_gap_[d]) & ess[None, :]
            else:
                total[rows] += gap
                if ess.any():
                    excl[rows] |= (gap > self.hard_gap_[d]) & ess[None, :]
        total *= -self.penalty
        np.exp(total, out=total)
        return total, excl

    def evaluate(self, rows: np.ndarray, cols: np.ndarray) -> ComponentValues:
        caps = self.caps_
        ns = caps.non_signer[rows]
        hazards = self.post_hazard_[:, cols]
        value, excl = self._one(caps.values[rows], cols, ns)
        excl |= (self.fail_[rows] @ hazards) > 0
        alt = np.flatnonzero(caps.has_alternative[rows])
        if alt.size:  # unknown limbs: excluded only if the other reading is excluded too
            v2, x2 = self._one(caps.alternative[rows[alt]], cols, ns[alt])
            x2 |= (self.fail_alt_[rows[alt]] @ hazards) > 0
            value[alt] = np.maximum(value[alt], v2)
            excl[alt] &= x2
        excl |= self.needs_supervision_[rows, None] & ~self.supervised_[None, cols]
        return value, excl

    # ------------------------------------------------------------------ explanations
    def _reading(self, i: int, j: int) -> tuple[np.ndarray, Text | None]:
        """The capacities used for pair (i, j) and, for unknown limbs, a note on which reading."""
        caps = self.caps_
        cap = caps.values[i]
        if not caps.has_alternative[i]:
            return cap, None
        ns = caps.non_signer[i:i + 1]
        col = np.array([j])
        v1, x1 = self._one(caps.values[i:i + 1], col, ns)
        v2, x2 = self._one(caps.alternative[i:i + 1], col, ns)
        x1 |= (self.fail_[i:i + 1] @ self.post_hazard_[:, col]) > 0
        x2 |= (self.fail_alt_[i:i + 1] @ self.post_hazard_[:, col]) > 0
        upper = (not x1[0, 0] and (x2[0, 0] or v1[0, 0] >= v2[0, 0]))
        cap = caps.values[i] if upper else caps.alternative[i]
        limbs = Text(N_("upper limbs")) if upper else Text(N_("lower limbs"))
        return cap, Text(N_("affected limbs not recorded: the less restrictive reading ({limbs}) is used"),
                         limbs=limbs)

    def _gaps(self, i: int, j: int) -> tuple[list[Text], list[Text]]:
        """Gap sentences, and those of the backstop rule."""
        cap, _ = self._reading(i, j)
        dem_row = self.demands_.unsigned[j] if self.caps_.non_signer[i] else self.dem_[j]
        gaps, hard = [], []
        for d, name in enumerate(DIMS):
            dem, raw, c = float(dem_row[d]), float(self.demands_.raw[j, d]), float(cap[d])
            if dem <= c:
                continue
            source: Text = Text(DEMAND_SOURCE_LABELS[int(self.demands_.source[j, d])])
            if dem < raw - 1e-6:
                source = Text(N_("{source}, after accommodations from {raw:.2f}"), source=source, raw=raw)
            template = N_("{dimension}: demand {demand:.2f} ({source}) vs assessed capacity {capacity:.2f}, "
                          "gap {gap:.2f}") if self.caps_.assessed[i, d] else \
                N_("{dimension}: demand {demand:.2f} ({source}) vs capacity {capacity:.2f}, gap {gap:.2f}")
            gap = Text(template, dimension=Text(DIMENSION_LABELS[name]), demand=dem, source=source, capacity=c,
                       gap=dem - c)
            gaps.append(gap)
            if dem >= self.essential_[d] and dem - c > self.hard_gap_[d]:
                hard.append(gap)
        return gaps, hard

    def _hazards(self, i: int, j: int) -> tuple[list[Text], list[Text]]:
        """Sentences for the post's hazards: those that rule the person out, and the others."""
        caps, f = self.caps_, self.facts_
        cap, _ = self._reading(i, j)
        plain, relieved = hazard_failures(cap[None, :], caps.illiterate[i:i + 1])
        out, ok = [], []
        for k in np.flatnonzero(f.hazards[j]):
            code = HAZARDS[k]
            h, rule = Hazard(code), HAZARD_RULES[code]
            # the code helps English readers find the rule; Chinese shows the name only
            values = {"hazard": Label(h.en, h.zh), "code": Label(f" [{code}]", ""),
                      "evidence": f.evidence(j, self.posts_, code)}
            relief = [a for a, r in HAZARD_RELIEF.items() if code in r] if f.relieved[j, k] else []
            fails = relieved[0, k] if f.relieved[j, k] else plain[0, k]
            if fails:
                out.append(Text(N_("{hazard}{code} (from {evidence}): {why}; source: {source}"), **values,
                                why=Text(rule.why), source=rule.source))
            elif relief and plain[0, k]:
                ok.append(Text(N_("{hazard}{code} (from {evidence}) relieved by the post's {accommodations}"),
                               **values, accommodations=Joined(accommodation_label(a) for a in relief)))
            else:
                ok.append(Text(N_("{hazard}{code} (from {evidence}): within capacity"), **values))
        return out, ok

    def _notes(self, i: int, j: int) -> list[Text]:
        _, reading = self._reading(i, j)
        caps, f = self.caps_, self.facts_
        notes = [] if reading is None else [reading]
        if caps.unspecified_multiple[i]:
            notes.append(Text(N_("multiple disability without recorded components: cautious default profile")))
        notes += [Text(REFINEMENTS[key]) for key, changed in caps.refined.items() if changed[i]]
        code = f.occupation[j]
        if code is not None and f.occupation_source[j] == "title":
            notes.append(Text(N_("occupation {code} inferred from the title (confidence {confidence:.2f})"),
                              code=code, confidence=f.occupation_confidence[j]))
        return notes

    def describe(self, i: int, j: int, value: float) -> Joined:
        gaps, _ = self._gaps(i, j)
        out, ok = self._hazards(i, j)
        hazards = Text(N_("hazards: {hazards}"), hazards=Joined(out + ok, "clauses")) if out or ok else \
            Text(N_("no hazards recorded or inferred"))
        main = Text(N_("{gaps} (value {value:.2f})"), gaps=Joined(gaps, "clauses"), value=value) if gaps else \
            Text(N_("capacity meets every demand"))
        return Joined([*self._notes(i, j), main, hazards], "clauses")

    def exclusion_reason(self, i: int, j: int) -> Joined:
        out, _ = self._hazards(i, j)
        _, hard = self._gaps(i, j)
        reasons = []
        if out:
            reasons.append(Text(N_("the work involves a hazard or essential function beyond the person's capacity: "
                                   "{hazards}"), hazards=Joined(out, "alternatives")))
        if hard:
            reasons.append(Text(N_("an important demand of the occupation is far beyond capacity (backstop rule): "
                                   "{gaps}"), gaps=Joined(hard, "clauses")))
        if self.needs_supervision_[i] and not self.supervised_[j]:
            reasons.append(Text(N_("severe psychosocial or cognitive limitation: only supervised work (sheltered "
                                   "work or a job coach) fits; source: {source}"), source=SUPERVISION_SOURCE))
        return Joined(reasons, "sections")
