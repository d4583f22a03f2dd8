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

from jhmatch.i18n import N_
from jhmatch.matching.components import Component, ComponentValues
from jhmatch.matching.messages import Joined, Label, Text
from jhmatch.matching.post_facts import CERTIFICATES, PostFacts, cached_post_facts
from jhmatch.requirements import Certificate

__all__ = ["CertificateComponent", "certificate_label", "held_certificates"]


def certificate_label(code: str) -> Label:
    """A certificate's name: its code in English, its Chinese name in Chinese.

    Examples
    --------
    >>> certificate_label("forklift").render("en")
    'forklift'
    """
    return Label(code, Certificate(code).zh)


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

    name, label = "certificates", N_("certificates held")

    def fit(self, persons: pd.DataFrame, posts: pd.DataFrame) -> CertificateComponent:
        self.posts_ = posts
        self.facts_: PostFacts = cached_post_facts(posts)
        held = held_certificates(persons)
        self.missing_ = (~held).astype(np.float32)
        # a person's row depends only on what they hold: one evaluation per distinct set
        self.row_keys_ = np.unique(held, axis=0, return_inverse=True)[1].ravel() if len(persons) else None
        self.required_ = np.ascontiguousarray(self.facts_.certificates.astype(np.float32).T)
        return self

    def evaluate(self, rows: np.ndarray, cols: np.ndarray) -> ComponentValues:
        excl = (self.missing_[rows] @ self.required_[:, cols]) > 0
        return np.ones((1, 1), np.float32), excl

    def _missing(self, i: int, j: int) -> list[str]:
        need = self.facts_.certificates[j]
        return [CERTIFICATES[k] for k in np.flatnonzero(need & (self.missing_[i] > 0))]

    def describe(self, i: int, j: int, value: float) -> Text:
        need = [CERTIFICATES[k] for k in np.flatnonzero(self.facts_.certificates[j])]
        if not need:
            return Text(N_("the post requires no certificate"))
        missing = self._missing(i, j)
        if missing:
            return Text(N_("requires {needed}; missing {missing}"), needed=Joined(map(certificate_label, need)),
                        missing=Joined(map(certificate_label, missing)))
        return Text(N_("requires {needed}: held"), needed=Joined(map(certificate_label, need)))

    def exclusion_reason(self, i: int, j: int) -> Text:
        parts = [Text(N_("{certificate} (required by {evidence})"), certificate=certificate_label(cert),
                      evidence=self.facts_.certificate_evidence(j, self.posts_, cert)) for cert in self._missing(i, j)]
        return Text(N_("the post requires a certificate the person does not hold: {missing}; training and the "
                       "certificate exam could qualify the person if no hazard rules them out"),
                    missing=Joined(parts, "clauses"))
