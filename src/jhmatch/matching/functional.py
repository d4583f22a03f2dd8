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

from jhmatch.matching._frozen import frozen
from jhmatch.matching.components import Block, Component
from jhmatch.matching.demands import DEMAND_SOURCES, DEMAND_SOURCES_ZH, PostDemands, post_demands
from jhmatch.matching.hazard_rules import HAZARD_RELIEF, HAZARD_RULES, HAZARDS, hazard_failures
from jhmatch.matching.post_facts import PostFacts, cached_post_facts
from jhmatch.matching.profiles import DIMS, REFINEMENTS, Capacities, person_capacities
from jhmatch.requirements import Hazard
from jhmatch.taxonomy import post_kind

__all__ = ["BACKSTOP", "DIMENSION_ZH", "SUPERVISION_BELOW", "FunctionalComponent"]

DIMENSION_ZH: dict[str, str] = {"vision": "视觉", "hearing": "听觉", "speech": "言语", "upper_limb": "上肢",
                                "mobility": "行动", "stamina": "体力", "cognition": "认知", "psychosocial": "心理社交"}
"""Chinese names of the functional dimensions."""

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

    name, zh = "functional", "功能匹配"

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

    def _one(self, cap: np.ndarray, cols: np.ndarray, non_signer: np.ndarray) -> Block:
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

    def evaluate(self, rows: np.ndarray, cols: np.ndarray) -> Block:
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
    def _reading(self, i: int, j: int) -> tuple[np.ndarray, str, str]:
        caps = self.caps_
        cap = caps.values[i]
        if not caps.has_alternative[i]:
            return cap, "", ""
        ns = caps.non_signer[i:i + 1]
        col = np.array([j])
        v1, x1 = self._one(caps.values[i:i + 1], col, ns)
        v2, x2 = self._one(caps.alternative[i:i + 1], col, ns)
        x1 |= (self.fail_[i:i + 1] @ self.post_hazard_[:, col]) > 0
        x2 |= (self.fail_alt_[i:i + 1] @ self.post_hazard_[:, col]) > 0
        upper = (not x1[0, 0] and (x2[0, 0] or v1[0, 0] >= v2[0, 0]))
        cap = caps.values[i] if upper else caps.alternative[i]
        which = "upper" if upper else "lower"
        return (cap, f"affected limbs not recorded: the less restrictive reading ({which} limbs) is used; ",
                f"受累肢体未记录：采用限制较少的解读（{'上肢' if upper else '下肢'}）；")

    def _gaps(self, i: int, j: int) -> tuple[list[str], list[str], list[str], list[str]]:
        """Gap sentences (en, zh), and those of the backstop rule (en, zh)."""
        cap, _, _ = self._reading(i, j)
        dem_row = self.demands_.unsigned[j] if self.caps_.non_signer[i] else self.dem_[j]
        en, zh, hard_en, hard_zh = [], [], [], []
        for d, name in enumerate(DIMS):
            dem, raw, c = float(dem_row[d]), float(self.demands_.raw[j, d]), float(cap[d])
            if dem <= c:
                continue
            src = int(self.demands_.source[j, d])
            acc = f", after accommodations from {raw:.2f}" if dem < raw - 1e-6 else ""
            acc_zh = f"，合理便利后（原为{raw:.2f}）" if dem < raw - 1e-6 else ""
            assessed = " assessed" if self.caps_.assessed[i, d] else ""
            e = (f"{name}: demand {dem:.2f} ({DEMAND_SOURCES[src]}{acc}) vs{assessed} capacity {c:.2f}, "
                 f"gap {dem - c:.2f}")
            z = (f"{DIMENSION_ZH[name]}：要求{dem:.2f}（{DEMAND_SOURCES_ZH[src]}{acc_zh}），"
                 f"{'评估' if assessed else ''}能力{c:.2f}，差距{dem - c:.2f}")
            en.append(e)
            zh.append(z)
            if dem >= self.essential_[d] and dem - c > self.hard_gap_[d]:
                hard_en.append(e)
                hard_zh.append(z)
        return en, zh, hard_en, hard_zh

    def _hazards(self, i: int, j: int) -> tuple[list[str], list[str], list[str], list[str]]:
        """Sentences for the post's hazards: those that rule the person out, and the others."""
        caps, f = self.caps_, self.facts_
        cap, _, _ = self._reading(i, j)
        plain, relieved = hazard_failures(cap[None, :], caps.illiterate[i:i + 1])
        out_en, out_zh, ok_en, ok_zh = [], [], [], []
        for k in np.flatnonzero(f.hazards[j]):
            code = HAZARDS[k]
            h, rule = Hazard(code), HAZARD_RULES[code]
            ev_en, ev_zh = f.evidence(j, self.posts_, code)
            relief = [a for a, r in HAZARD_RELIEF.items() if code in r] if f.relieved[j, k] else []
            fails = relieved[0, k] if f.relieved[j, k] else plain[0, k]
            if fails:
                out_en.append(f"{h.en} [{code}] (from {ev_en}): {rule.why_en}; source: {rule.source}")
                out_zh.append(f"{h.zh}（来自{ev_zh}）：{rule.why_zh}；依据：{rule.source}")
            elif relief and plain[0, k]:
                ok_en.append(f"{h.en} [{code}] (from {ev_en}) relieved by the post's {', '.join(relief)}")
                ok_zh.append(f"{h.zh}（来自{ev_zh}）已由岗位提供的{'、'.join(relief)}消除")
            else:
                ok_en.append(f"{h.en} [{code}] (from {ev_en}): within capacity")
                ok_zh.append(f"{h.zh}（来自{ev_zh}）：能力满足")
        return out_en, out_zh, ok_en, ok_zh

    def _notes(self, i: int, j: int) -> tuple[str, str]:
        _, note_en, note_zh = self._reading(i, j)
        caps, f = self.caps_, self.facts_
        if caps.unspecified_multiple[i]:
            note_en += "multiple disability without recorded components: cautious default profile; "
            note_zh += "多重残疾未记录组成：采用审慎的默认能力；"
        for key, changed in caps.refined.items():
            if changed[i]:
                note_en += REFINEMENTS[key][0] + "; "
                note_zh += REFINEMENTS[key][1] + "；"
        code = f.occupation[j]
        if code is not None:
            if f.occupation_source[j] == "title":
                note_en += f"occupation {code} inferred from the title (confidence {f.occupation_confidence[j]:.2f}); "
                note_zh += f"职业{code}由岗位名称推断（置信度{f.occupation_confidence[j]:.2f}）；"
        return note_en, note_zh

    def describe(self, i: int, j: int, value: float) -> tuple[str, str]:
        note_en, note_zh = self._notes(i, j)
        en, zh, _, _ = self._gaps(i, j)
        out_en, out_zh, ok_en, ok_zh = self._hazards(i, j)
        hz_en = ("; hazards: " + "; ".join(out_en + ok_en)) if out_en or ok_en else "; no hazards recorded or inferred"
        hz_zh = ("；岗位风险：" + "；".join(out_zh + ok_zh)) if out_zh or ok_zh else "；未记录或推断出岗位风险"
        if not en:
            return (note_en + "capacity meets every demand" + hz_en, note_zh + "各项功能能力均满足岗位要求" + hz_zh)
        return (note_en + "; ".join(en) + f" (value {value:.2f})" + hz_en,
                note_zh + "；".join(zh) + f"（得分{value:.2f}）" + hz_zh)

    def exclusion_reason(self, i: int, j: int) -> tuple[str, str]:
        out_en, out_zh, _, _ = self._hazards(i, j)
        _, _, hard_en, hard_zh = self._gaps(i, j)
        en, zh = [], []
        if out_en:
            en.append("the work involves a hazard or essential function beyond the person's capacity: "
                      + " | ".join(out_en))
            zh.append("岗位涉及超出其能力的风险或必备功能：" + " | ".join(out_zh))
        if hard_en:
            en.append("an important demand of the occupation is far beyond capacity (backstop rule): "
                      + "; ".join(hard_en))
            zh.append("职业的重要功能要求远超其能力（兜底规则）：" + "；".join(hard_zh))
        if self.needs_supervision_[i] and not self.supervised_[j]:
            en.append("severe psychosocial or cognitive limitation: only supervised work (sheltered work or a job "
                      "coach) fits; source: GB/T 26341-2010 精神/智力残疾二级（监护下能从事简单劳动；需他人照料）")
            zh.append("心理社交或认知功能严重受限：仅适合有监护的工作（辅助性就业或配备就业辅导员）；"
                      "依据：GB/T 26341-2010 精神/智力残疾二级（监护下能从事简单劳动；需他人照料）")
        return " || ".join(en), " || ".join(zh)
