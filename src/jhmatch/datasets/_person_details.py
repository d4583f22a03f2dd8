"""Persons' skills from past jobs, certificates and recorded details (see :mod:`jhmatch.datasets.jinhua`).

ASSUMPTION throughout (judgement values for a plausible synthetic city):

* **Skills**: each listed skill is a term of a job (:mod:`jhmatch.datasets._jobs`)
  of the person's preferred kind, or a random occupation name of CSCO groups 4–6.
  A person rarely lists a job that their disability rules out (× 0.05 for, e.g.,
  driving or height work with a visual disability, telephone work with a hearing
  or speech disability).
* **Certificates** (the codes of the issue-12 input columns), at low rates and only
  where the law allows them: no driving licence for visual or intellectual
  disabilities or severe mental disability; hearing disabilities small cars only
  (C1/C2); upper-limb disabilities C2 (automatic); severe lower-limb disabilities and
  wheelchair users C5 (机动车驾驶证申领和使用规定, 2021). A driving licence is held
  by 12 % of the eligible (85 % of those whose skills name driving), forklift 1.5 %,
  electrician 0.8 %, welder 0.6 %, height work 0.3 % (70 % when their skills name
  the trade; none with a visual or intellectual disability, electrical and welding
  not with an affected arm or a wheelchair), the blind medical-massage licence for
  50 % of grade 1–2 visual disabilities whose skills name massage (3 % of the other
  visual), accounting 3 % of senior-secondary or higher (60 % with a finance
  skill), teacher 8 % of graduates, nurse 1 % of college or higher.
* **Recorded details**: ``wheelchair`` for half of the persons with a physical
  component, ``residual_vision`` for half of the visual, ``hearing_aid`` for half of
  the hearing, ``sign_language`` for 40 % of the hearing or speech, ``literate`` for
  20 % of everybody; the values follow the hidden model's priors
  (:mod:`jhmatch.datasets._functioning`), the rest is left empty ("not recorded").
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jhmatch.datasets._functioning import (
    P_HEARING_AID,
    P_LITERATE_BY_EDUCATION,
    P_SIGNER_HEARING,
    P_SIGNER_SPEECH,
    P_WHEELCHAIR,
)
from jhmatch.datasets._jobs import JOBS

__all__ = ["certificates", "job_skills", "recorded_details"]

_UNSUITED: dict[int, tuple[str, ...]] = {  # category index -> hazard codes of jobs rarely in their history
    0: ("drives_vehicle", "works_at_height", "electrical_work", "hot_work", "reading", "moving_machinery",
        "machine_paced"),
    1: ("telephone",),
    2: ("telephone",),
    3: ("works_at_height", "heavy_lifting"),
    4: ("reading", "drives_vehicle", "electrical_work", "hot_work", "telephone"),
    5: ("night_shift", "works_at_height", "electrical_work"),
    6: ("works_at_height", "electrical_work", "drives_vehicle", "telephone"),
}
RECORDED = {"wheelchair": 0.5, "residual_vision": 0.5, "hearing_aid": 0.5, "sign_language": 0.4, "literate": 0.2}


def job_skills(rng: np.random.Generator, cat: np.ndarray, kind_idx: np.ndarray, kind_codes: list[str],
               fallback: np.ndarray) -> np.ndarray:
    """One skill term per person from a job of kind ``kind_idx`` (``fallback`` for kinds without jobs)."""
    n_k = len(kind_codes)
    out = fallback.copy()
    key = cat.astype(np.int64) * n_k + kind_idx
    order = np.argsort(key, kind="stable")
    bounds = np.searchsorted(key[order], np.arange(7 * n_k + 1))
    u = rng.random(len(cat))
    for c in range(7):
        for k, code in enumerate(kind_codes):
            rows = order[bounds[c * n_k + k]:bounds[c * n_k + k + 1]]
            if not rows.size or code not in JOBS:
                continue
            terms, weights = [], []
            for job in JOBS[code]:
                bad = any(h in job.hazards for h in _UNSUITED[c])
                for t in job.person_skills:
                    terms.append(t)
                    weights.append(job.weight / len(job.person_skills) * (0.05 if bad else 1.0))
            cum = np.cumsum(weights) / np.sum(weights)
            pick = np.minimum(np.searchsorted(cum, u[rows], side="right"), len(terms) - 1)
            out[rows] = np.array(terms, dtype=object)[pick]
    return out


def recorded_details(rng: np.random.Generator, has: np.ndarray, grade: np.ndarray, lower: np.ndarray,
                     education: np.ndarray) -> dict[str, np.ndarray]:
    """The five recorded-detail columns ("true" / "false" / None) and the true wheelchair use."""
    n = len(grade)
    vis, hear, speech, phys, intel = has[:, 0], has[:, 1], has[:, 2], has[:, 3], has[:, 4]
    wheel = lower & (rng.random(n) < P_WHEELCHAIR[grade])
    residual = rng.random(n) < np.select([grade == 1, grade == 2], [0.4, 0.85], 1.0)
    aid = rng.random(n) < P_HEARING_AID[grade]
    p_sign = np.maximum(np.where(hear, P_SIGNER_HEARING[grade], 0.0), np.where(speech, P_SIGNER_SPEECH[grade], 0.0))
    signer = rng.random(n) < p_sign
    p_lit = P_LITERATE_BY_EDUCATION[education] * np.where(intel, np.array([0, 0.1, 0.2, 0.4, 0.7])[grade], 1.0)
    literate = rng.random(n) < p_lit
    values = {"wheelchair": (wheel, phys), "residual_vision": (residual, vis), "hearing_aid": (aid, hear),
              "sign_language": (signer, hear | speech), "literate": (literate, np.ones(n, bool))}
    out: dict[str, np.ndarray] = {}
    for name, (value, who) in values.items():
        shown = who & (rng.random(n) < RECORDED[name])
        col = np.full(n, None, dtype=object)
        col[shown] = np.where(value[shown], "true", "false")
        out[name] = col
    out["_wheel"] = wheel
    return out


def certificates(rng: np.random.Generator, has: np.ndarray, grade: np.ndarray, upper: np.ndarray,
                 lower: np.ndarray, wheel: np.ndarray, education: np.ndarray, skills: list[np.ndarray],
                 listed: list[np.ndarray]) -> np.ndarray:
    """``;``-separated certificate codes (sorted; "" for none); ``skills[j]`` is listed where ``listed[j]``."""
    n = len(grade)
    vis, hear, _, _, intel, mental = (has[:, c] for c in range(6))
    factorized = [pd.factorize(pd.Series(term, dtype=object)) for term in skills]  # a few thousand distinct terms

    def names(pattern: str) -> np.ndarray:
        out = np.zeros(n, bool)
        for (codes, uniques), shown in zip(factorized, listed):
            hit = pd.Series(uniques, dtype=object).astype(str).str.contains(pattern, regex=True).to_numpy(dtype=bool)
            out |= shown & hit[codes]
        return out

    def draw(eligible: np.ndarray, base: float, skilled: np.ndarray, p_skilled: float) -> np.ndarray:
        return eligible & (rng.random(n) < np.where(skilled, p_skilled, base))

    trade_ok = ~vis & ~intel
    drive = draw(trade_ok & ~(mental & (grade <= 2)), 0.12, names("司机|驾驶"), 0.85)
    drive &= ~(lower & (grade <= 2)) | (rng.random(n) < 0.3)  # adapted cars (C5) are rarer
    truck = names("货运|货车")
    u = rng.random(n)
    classes = np.array(["", "driving_a2", "driving_b2", "driving_c1", "driving_c2", "driving_c5"], dtype=object)
    cls = np.where(u < 0.75, 3, np.where(u < 0.9, 4, np.where(u < 0.96, 2, 1)))
    cls = np.where(truck & ~hear, np.where(u < 0.5, 2, np.where(u < 0.7, 1, 3)), cls)
    cls = np.where(hear, np.where(u < 0.85, 3, 4), cls)
    cls = np.where(upper, 4, cls)
    cls = np.where(lower, np.where(wheel | (grade <= 2) | (u < 0.4), 5, 4), cls)
    cls = np.where(drive, cls, 0)
    hand_ok = ~upper & ~wheel
    others = {  # in the sorted order of their codes around "driving_*"
        "accounting": draw((education >= 3) & ~intel, 0.03, names("会计|出纳"), 0.6),
        "blind_medical_massage": draw(vis, 0.03, names("按摩") & (grade <= 2), 0.5),
        "electrician": draw(trade_ok & hand_ok & ~(mental & (grade <= 3)), 0.008, names("电工"), 0.7),
        "forklift": draw(trade_ok & ~wheel & ~(upper & (grade <= 3)), 0.015, names("叉车"), 0.75),
        "height_work": draw(trade_ok & ~mental & ~upper & ~lower, 0.003, names("架子工"), 0.5),
        "nurse": draw((education >= 4) & trade_ok, 0.01, np.zeros(n, bool), 0.0),
        "teacher": draw(education >= 5, 0.08, np.zeros(n, bool), 0.0),
        "welder": draw(trade_ok & hand_ok & ~(mental & (grade <= 3)), 0.006, names("焊"), 0.7),
    }
    names_ = list(others)
    bits = sum(v.astype(np.int64) << i for i, v in enumerate(others.values()))
    key = cls.astype(np.int64) * (1 << len(names_)) + bits
    uniq, inv = np.unique(key, return_inverse=True)
    text_of = []
    for kk in uniq.tolist():  # a few dozen distinct combinations
        c, b = divmod(kk, 1 << len(names_))
        held = [x for i, x in enumerate(names_) if b >> i & 1] + ([classes[c]] if c else [])
        text_of.append(";".join(sorted(held)))
    return np.array(text_of, dtype=object)[inv.ravel()]
