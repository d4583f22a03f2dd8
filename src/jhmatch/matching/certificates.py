"""Licences and certificates as requirements: a post that requires one excludes persons without it.

A post's required certificates come from its ``required_certificates`` column or are
inferred from its title, required skills and occupation
(:mod:`jhmatch.matching.post_facts`: 货车司机 → a driving licence, 电工 → the
electrician's special-operation certificate, 叉车 → the forklift operator's
certificate …). A person's ``certificates`` column lists what they hold; a higher
driving licence class covers the classes it includes
(:meth:`jhmatch.requirements.Certificate.covers`). A persons table without the column
holds none, so licensed posts are closed to everyone until it is filled in.

The exclusion reason names each missing certificate and where the requirement came
from, and says that training and the exam could qualify the person; when the
functional rule does not also exclude the pair, that is the only obstacle
(:attr:`jhmatch.matching.Explanation.trainable`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jhmatch.matching.components import Block, Component
from jhmatch.matching.post_facts import CERTIFICATES, PostFacts, cached_post_facts
from jhmatch.requirements import Certificate

__all__ = ["CertificateComponent", "held_certificates"]


def held_certificates(persons: pd.DataFrame) -> np.ndarray:
    """Certificates each person holds, with what a driving class covers.

    Returns
    -------
    ndarray of bool, shape (n, len(CERTIFICATES))

    Examples
    --------
    >>> held = held_certificates(pd.DataFrame({"certificates": ["driving_b2", ""]}))
    >>> [CERTIFICATES[k] for k in np.flatnonzero(held[0])]
    ['driving_b2', 'driving_c1', 'driving_c2']
    """
    out = np.zeros((len(persons), len(CERTIFICATES)), bool)
    if "certificates" not in persons:
        return out
    codes, uniq = pd.factorize(persons["certificates"].astype("object").fillna("").astype(str))
    table = np.zeros((len(uniq), len(CERTIFICATES)), bool)
    certs = [Certificate(c) for c in CERTIFICATES]
    for u, cell in enumerate(uniq):
        for part in (p for p in cell.split(";") if p):
            have = Certificate.parse(part)
            table[u] |= [have.covers(c) for c in certs]
    return table[codes] if len(uniq) else out


class CertificateComponent(Component):
    """Hard rule: the person holds every certificate the post requires.

    Its value is 1 for every pair (weight 0 by default): it only excludes.

    Examples
    --------
    >>> from jhmatch.data.schema import validate_persons, validate_posts
    >>> p = validate_persons(pd.DataFrame({"person_id": ["a", "b"], "category": ["speech", "speech"],
    ...     "grade": [1, 1], "county": ["义乌"] * 2, "certificates": ["B2驾照", ""]}))
    >>> q = validate_posts(pd.DataFrame({"post_id": ["t"], "kind": ["企业一般岗位"], "county": ["义乌"],
    ...     "capacity": [1], "title": ["货车司机"]}))
    >>> CertificateComponent().fit(p, q).evaluate(np.arange(2), np.arange(1))[1].tolist()
    [[False], [True]]
    """

    name, zh = "certificates", "资格证书"

    def fit(self, persons: pd.DataFrame, posts: pd.DataFrame) -> CertificateComponent:
        self.posts_ = posts
        self.facts_: PostFacts = cached_post_facts(posts)
        held = held_certificates(persons)
        self.missing_ = (~held).astype(np.float32)
        # a person's row depends only on what they hold: one evaluation per distinct set
        self.row_keys_ = np.unique(held, axis=0, return_inverse=True)[1].ravel() if len(persons) else None
        self.required_ = np.ascontiguousarray(self.facts_.certificates.astype(np.float32).T)
        return self

    def evaluate(self, rows: np.ndarray, cols: np.ndarray) -> Block:
        excl = (self.missing_[rows] @ self.required_[:, cols]) > 0
        return np.ones((1, 1), np.float32), excl

    def _missing(self, i: int, j: int) -> list[str]:
        need = self.facts_.certificates[j]
        return [CERTIFICATES[k] for k in np.flatnonzero(need & (self.missing_[i] > 0))]

    def describe(self, i: int, j: int, value: float) -> tuple[str, str]:
        need = [CERTIFICATES[k] for k in np.flatnonzero(self.facts_.certificates[j])]
        if not need:
            return "the post requires no certificate", "岗位无持证要求"
        missing = self._missing(i, j)
        names = "、".join(Certificate(c).zh for c in need)
        if missing:
            return (f"requires {', '.join(need)}; missing {', '.join(missing)}",
                    f"需持{names}；缺少{'、'.join(Certificate(c).zh for c in missing)}")
        return f"requires {', '.join(need)}: held", f"需持{names}：已持有"

    def exclusion_reason(self, i: int, j: int) -> tuple[str, str]:
        parts_en, parts_zh = [], []
        for cert in self._missing(i, j):
            ev_en, ev_zh = self.facts_.certificate_evidence(j, self.posts_, cert)
            parts_en.append(f"{cert} (required by {ev_en})")
            parts_zh.append(f"{Certificate(cert).zh}（依据{ev_zh}）")
        return ("the post requires a certificate the person does not hold: " + "; ".join(parts_en)
                + "; training and the certificate exam could qualify the person if no hazard rules them out",
                "岗位要求的证书未持有：" + "；".join(parts_zh) + "；若无其他风险限制，可经培训考试取证后上岗")
