"""Functional compatibility: a person's capacity against a post's (accommodated) demand.

On each dimension ``d`` the *gap* is ``max(0, demand_d - capacity_d)``, using the
demand after the post's accommodations (:mod:`jhmatch.matching.profiles`).

* **Hard rule** — an *essential* demand (``demand_d >= essential``, default 0.5,
  i.e. O*NET importance "important" or more) that exceeds capacity by more than
  ``hard_gap`` (default 0.4) excludes the pair.
* **Smooth part** — otherwise the value is ``exp(-penalty * sum_d gap_d)``
  (default ``penalty`` 1.5: one gap of 0.2 gives 0.74, of 0.4 gives 0.55).

Both are monotone: raising a capacity never raises a gap, so it never lowers the
value and never creates an exclusion. When a physical disability's limbs are
unknown, both readings (upper, lower) are scored and the better one is kept; the
pair is excluded only if both readings are.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jhmatch.matching.components import Block, Component
from jhmatch.matching.profiles import DIMS, Capacities, person_capacities, post_demands

__all__ = ["DIMENSION_ZH", "FunctionalComponent"]

DIMENSION_ZH: dict[str, str] = {"vision": "视觉", "hearing": "听觉", "speech": "言语", "upper_limb": "上肢",
                                "mobility": "行动", "stamina": "体力", "cognition": "认知", "psychosocial": "心理社交"}
"""Chinese names of the functional dimensions."""


class FunctionalComponent(Component):
    """Capacity-versus-demand component with the essential-demand hard rule.

    Parameters
    ----------
    essential : float, default 0.5
        Demand at or above which a dimension is essential.
    hard_gap : float, default 0.4
        Gap on an essential dimension beyond which the pair is excluded.
    penalty : float, default 1.5
        Steepness of the smooth part.

    Examples
    --------
    >>> from jhmatch.data.schema import validate_persons, validate_posts
    >>> p = validate_persons(pd.DataFrame({"person_id": ["a", "b"], "category": ["visual", "hearing"],
    ...                                    "grade": [1, 4], "county": ["义乌"] * 2}))
    >>> q = validate_posts(pd.DataFrame({"post_id": ["m", "h"], "kind": ["blind_massage", "handicraft"],
    ...                                  "county": ["义乌"] * 2, "capacity": [1, 1]}))
    >>> v, x = FunctionalComponent().fit(p, q).evaluate(np.arange(2), np.arange(2))
    >>> x.tolist()  # a blind person is excluded from handicraft (vision essential)
    [[False, True], [False, False]]
    >>> bool(v[0, 0] > 0.9), bool(v[1, 1] > 0.9)
    (True, True)
    """

    name, zh = "functional", "功能匹配"

    def __init__(self, essential: float = 0.5, hard_gap: float = 0.4, penalty: float = 1.5):
        self.essential, self.hard_gap, self.penalty = essential, hard_gap, penalty

    def fit(self, persons: pd.DataFrame, posts: pd.DataFrame) -> FunctionalComponent:
        self.caps_: Capacities = person_capacities(persons)
        self.raw_, self.dem_ = post_demands(posts)
        self.accommodations_ = posts["accommodations"].astype("object").fillna("").to_numpy()
        self.remote_ = posts["remote"].to_numpy(dtype=bool)
        return self

    def _one(self, cap: np.ndarray, cols: np.ndarray) -> Block:
        """Values and exclusions for capacity rows ``cap`` (b × 8) against ``cols``."""
        b, m = cap.shape[0], cols.size
        total = np.zeros((b, m), np.float32)
        excl = np.zeros((b, m), bool)
        dem = self.dem_[cols]
        for d in range(len(DIMS)):
            dd = dem[:, d]
            if not dd.size:
                break
            c = cap[:, d]
            rows = np.flatnonzero(c < dd.max())
            if not rows.size:
                continue
            full = rows.size == b
            gap = dd[None, :] - (c if full else c[rows])[:, None]
            np.maximum(gap, 0, out=gap)
            ess = dd >= self.essential
            if full:
                total += gap
                if ess.any():
                    excl |= (gap > self.hard_gap) & ess[None, :]
            else:
                total[rows] += gap
                if ess.any():
                    excl[rows] |= (gap > self.hard_gap) & ess[None, :]
        total *= -self.penalty
        np.exp(total, out=total)
        return total, excl

    def evaluate(self, rows: np.ndarray, cols: np.ndarray) -> Block:
        value, excl = self._one(self.caps_.values[rows], cols)
        alt = np.flatnonzero(self.caps_.has_alternative[rows])
        if alt.size:
            v2, x2 = self._one(self.caps_.alternative[rows[alt]], cols)
            value[alt] = np.maximum(value[alt], v2)
            excl[alt] &= x2
        return value, excl

    # ------------------------------------------------------------------ explanations
    def _reading(self, i: int, j: int) -> tuple[np.ndarray, str, str]:
        caps = self.caps_
        cap = caps.values[i]
        if not caps.has_alternative[i]:
            return cap, "", ""
        v1, x1 = self._one(caps.values[i:i + 1], np.array([j]))
        v2, x2 = self._one(caps.alternative[i:i + 1], np.array([j]))
        upper = (not x1[0, 0] and (x2[0, 0] or v1[0, 0] >= v2[0, 0]))
        cap = caps.values[i] if upper else caps.alternative[i]
        which = "upper" if upper else "lower"
        return (cap, f"affected limbs not recorded: the less restrictive reading ({which} limbs) is used; ",
                f"受累肢体未记录：采用限制较少的解读（{'上肢' if upper else '下肢'}）；")

    def _gaps(self, i: int, j: int) -> tuple[list[str], list[str]]:
        cap, _, _ = self._reading(i, j)
        en, zh = [], []
        for d, name in enumerate(DIMS):
            dem, raw, c = float(self.dem_[j, d]), float(self.raw_[j, d]), float(cap[d])
            if dem > c:
                acc = f" (after accommodations, from {raw:.2f})" if dem < raw - 1e-6 else ""
                acc_zh = f"（合理便利后，原为{raw:.2f}）" if dem < raw - 1e-6 else ""
                src = " assessed" if self.caps_.assessed[i, d] else ""
                en.append(f"{name}: demand {dem:.2f}{acc} vs{src} capacity {c:.2f}, gap {dem - c:.2f}"
                          + (" [essential]" if dem >= self.essential else ""))
                zh.append(f"{DIMENSION_ZH[name]}：要求{dem:.2f}{acc_zh}，{'评估' if src else ''}能力{c:.2f}，差距{dem - c:.2f}"
                          + ("［关键］" if dem >= self.essential else ""))
        return en, zh

    def describe(self, i: int, j: int, value: float) -> tuple[str, str]:
        _, note_en, note_zh = self._reading(i, j)
        if self.caps_.unspecified_multiple[i]:
            note_en += "multiple disability without recorded components: cautious default profile; "
            note_zh += "多重残疾未记录组成：采用审慎的默认能力；"
        en, zh = self._gaps(i, j)
        if not en:
            return note_en + "capacity meets every demand", note_zh + "各项功能能力均满足岗位要求"
        return (note_en + "; ".join(en) + f" (value {value:.2f})", note_zh + "；".join(zh) + f"（得分{value:.2f}）")

    def exclusion_reason(self, i: int, j: int) -> tuple[str, str]:
        en, zh = self._gaps(i, j)
        return ("essential demand beyond capacity even after accommodations (gap > "
                f"{self.hard_gap:g}): " + "; ".join(e for e in en if "[essential]" in e),
                f"关键功能要求在合理便利后仍超出能力（差距>{self.hard_gap:g}）：" + "；".join(z for z in zh if "［关键］" in z))
