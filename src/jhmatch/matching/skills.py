"""Skills: TF-IDF cosine between a person's skills and a post's requirements.

Character n-grams within word boundaries (``analyzer="char_wb"``, n = 1–3) make
Chinese work without a word segmenter ("保洁" and "保洁员" share n-grams). The
vectoriser is fitted on the posts' ``required_skills`` + ``title`` (sorted by
post id, so the vocabulary does not depend on input order); persons' ``skills``
are transformed with it. Cosine similarity is a sparse matrix product, block by
block. Defaults:

* a post that asks for nothing (empty requirements and title) → 1 for everyone;
* a person without listed skills → 0 on posts that ask for something (NaN or
  blank skills are read as "none listed", and the explanation says so).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from jhmatch.matching.components import Block, Component

__all__ = ["SkillsComponent"]


def _text(frame: pd.DataFrame, *cols: str) -> list[str]:
    parts = [frame[c].astype("object").fillna("").astype(str) for c in cols if c in frame]
    if not parts:
        return [""] * len(frame)
    out = parts[0]
    for p in parts[1:]:
        out = out + " " + p
    return [t.strip() for t in out]


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

    name, zh = "skills", "技能"

    def __init__(self, ngram_range: tuple[int, int] = (1, 3), sublinear_tf: bool = True):
        self.ngram_range, self.sublinear_tf = ngram_range, sublinear_tf

    def fit(self, persons: pd.DataFrame, posts: pd.DataFrame) -> SkillsComponent:
        post_text = _text(posts, "required_skills", "title")
        person_text = _text(persons, "skills")
        self.asks_ = np.array([bool(t) for t in post_text])
        self.has_ = np.array([bool(t) for t in person_text])
        self.post_text_, self.person_text_ = post_text, person_text
        if self.asks_.any():
            vec = TfidfVectorizer(analyzer="char_wb", ngram_range=self.ngram_range, sublinear_tf=self.sublinear_tf,
                                  dtype=np.float32)
            self.q_ = sp.csr_array(vec.fit_transform(post_text))
            self.p_ = (sp.csr_array(vec.transform(person_text)) if person_text
                       else sp.csr_array((0, self.q_.shape[1]), dtype=np.float32))
        else:
            self.q_ = sp.csr_array((len(posts), 1), dtype=np.float32)
            self.p_ = sp.csr_array((len(persons), 1), dtype=np.float32)
        return self

    def evaluate(self, rows: np.ndarray, cols: np.ndarray) -> Block:
        prod = self.p_[rows] @ self.q_[cols].T
        value = prod.toarray().astype(np.float32, copy=False)
        np.clip(value, 0.0, 1.0, out=value)
        value[:, ~self.asks_[cols]] = 1.0
        return value, None

    def describe(self, i: int, j: int, value: float) -> tuple[str, str]:
        if not self.asks_[j]:
            return "the post lists no skills", "岗位未列技能要求"
        if not self.has_[i]:
            return "no skills listed for the person (read as none)", "本人未填写技能（按无技能计）"
        return (f"skills similarity {value:.2f} (TF-IDF character n-grams)",
                f"技能相似度{value:.2f}（TF-IDF 字符n元组）")
