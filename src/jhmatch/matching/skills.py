"""Skills: TF-IDF cosine between a person's skills and a post's requirements.

Character n-grams within word boundaries (``analyzer="char_wb"``, n = 1–3) make
Chinese work without a word segmenter ("保洁" and "保洁员" share n-grams). The
vectoriser is fitted on the posts' ``required_skills`` + ``title`` (sorted by
post id, so the vocabulary does not depend on input order); persons' ``skills``
are transformed with it. Cosine similarity is a sparse matrix product, block by
block, between the *distinct* texts only (persons share skill lists and posts
share requirements), then gathered to the pairs. Defaults:

* a post that asks for nothing (empty requirements and title) → 1 for everyone;
* a person without listed skills → 0 on posts that ask for something (NaN or
  blank skills are read as "none listed", and the explanation says so).
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd
import scipy.sparse as sp

from jhmatch.i18n import N_
from jhmatch.matching.components import Component, ComponentValues, Evaluator
from jhmatch.matching.messages import Text

__all__ = ["SkillsComponent"]


def _text(frame: pd.DataFrame, *cols: str) -> list[str]:
    parts = [frame[c].astype("object").fillna("").astype(str) for c in cols if c in frame]
    if not parts:
        return [""] * len(frame)
    out = parts[0]
    for p in parts[1:]:
        out = out + " " + p
    return [t.strip() for t in out]


_MAX_DENSE = 1 << 22
"""Largest dense (n-grams x distinct post texts) block matrix used (16 MiB of float32)."""


def _distinct(texts: list[str]) -> tuple[np.ndarray, list[str]]:
    codes, uniques = pd.factorize(pd.Series(texts, dtype="object"))
    return codes.astype(np.int64), [str(t) for t in uniques]


class SkillsComponent(Component):
    """TF-IDF (character n-grams) cosine similarity of skills and requirements.

    Parameters
    ----------
    ngram_range : tuple of int, default (1, 3)
        Character n-gram lengths.
    sublinear_tf : bool, default True
        Use ``1 + log(tf)``.

    Examples
    --------
    >>> p = pd.DataFrame({"skills": ["保洁 绿化", "电脑打字 客服", None]})
    >>> q = pd.DataFrame({"required_skills": ["客服 打字", ""], "title": ["云客服", ""]})
    >>> v, _ = SkillsComponent().fit(p, q).evaluate(np.arange(3), np.arange(2))
    >>> bool(v[1, 0] > v[0, 0]), v[:, 1].tolist(), float(v[2, 0])
    (True, [1.0, 1.0, 1.0], 0.0)
    """

    name, label = "skills", N_("skills match")

    def __init__(self, ngram_range: tuple[int, int] = (1, 3), sublinear_tf: bool = True):
        self.ngram_range, self.sublinear_tf = ngram_range, sublinear_tf

    def fit(self, persons: pd.DataFrame, posts: pd.DataFrame) -> SkillsComponent:
        post_text = _text(posts, "required_skills", "title")
        person_text = _text(persons, "skills")
        self.asks_ = np.array([bool(t) for t in post_text], bool)
        self.has_ = np.array([bool(t) for t in person_text], bool)
        # rows of q_ / p_ are the distinct texts; qcode_ / pcode_ map posts / persons to them
        self.qcode_, q_texts = _distinct(post_text)
        self.pcode_, p_texts = _distinct(person_text)
        self.q_asks_ = np.array([bool(t) for t in q_texts], bool)
        if self.asks_.any():
            from sklearn.feature_extraction.text import TfidfVectorizer  # heavy import, only when used

            vec = TfidfVectorizer(analyzer="char_wb", ngram_range=self.ngram_range, sublinear_tf=self.sublinear_tf,
                                  dtype=np.float32)
            vec.fit(post_text)  # document frequencies count every post
            self.q_ = sp.csr_array(vec.transform(q_texts))
            self.p_ = (sp.csr_array(vec.transform(p_texts)) if p_texts
                       else sp.csr_array((0, self.q_.shape[1]), dtype=np.float32))
        else:
            self.q_ = sp.csr_array((len(q_texts), 1), dtype=np.float32)
            self.p_ = sp.csr_array((len(p_texts), 1), dtype=np.float32)
        return self

    def evaluate(self, rows: np.ndarray, cols: np.ndarray) -> ComponentValues:
        return self.bind(cols)(rows)

    def bind(self, cols: np.ndarray) -> Evaluator:
        texts, where = np.unique(self.qcode_[cols], return_inverse=True)
        q_t: np.ndarray | sp.csr_array = sp.csr_array(self.q_[texts].T)
        if q_t.shape[0] * q_t.shape[1] <= _MAX_DENSE:
            # sparse x dense adds the same products in the same order as sparse x sparse
            # (each person row's n-grams in turn; absent n-grams add +0): identical values
            q_t = q_t.toarray()
        return partial(self._rows, q_t, where, np.flatnonzero(~self.q_asks_[texts]))

    def _rows(self, q_t: np.ndarray | sp.csr_array, where: np.ndarray, asks_nothing: np.ndarray,
              rows: np.ndarray) -> ComponentValues:
        texts, at = np.unique(self.pcode_[rows], return_inverse=True)
        value = self.p_[texts] @ q_t  # distinct person texts x distinct post texts
        value = np.asarray(value.toarray() if sp.issparse(value) else value, dtype=np.float32)
        np.clip(value, 0.0, 1.0, out=value)
        if asks_nothing.size:
            value[:, asks_nothing] = 1.0
        return np.take(value[at], where, axis=1), None

    def describe(self, i: int, j: int, value: float) -> Text:
        if not self.asks_[j]:
            return Text(N_("the post lists no skills"))
        if not self.has_[i]:
            return Text(N_("no skills listed for the person (read as none)"))
        return Text(N_("skills similarity {value:.2f} (TF-IDF character n-grams)"), value=value)
