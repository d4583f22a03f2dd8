"""Map employers' free-text post titles to CSCO 2022 occupation codes.

:class:`TitleNormalizer` indexes the packaged catalogue
(:func:`jhmatch.datasets.load_occupations`, the 1,634 level-4 occupations) in two
fields, each a TF-IDF of character 1–3-grams (no word segmenter needed):

* **names** — the occupation name and its aliases (one document per name, so a
  short alias is not drowned by a long list); an occupation scores its best name;
* **text** — definition and tasks.

A title is first cleaned of recruiting boilerplate (:data:`NOISE_PATTERNS`:
"急招", "诚聘", "若干名", salaries, brackets, …) and of colloquial person words
(:data:`COLLOQUIAL`: "阿姨", "师傅", "小哥", …). The score is
``name_weight * names + (1 - name_weight) * text`` (defaults chosen on fold 0 of
benchmarks/bench_titles.py), optionally plus a bonus when a catalogue
name or alias occurs verbatim inside the cleaned title (longest match wins).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import pandas as pd
import scipy.sparse as sp

from jhmatch.datasets import load_occupations
from jhmatch.errors import ParameterError

__all__ = ["COLLOQUIAL", "NOISE_PATTERNS", "TitleNormalizer", "normalize_titles"]

NOISE_PATTERNS: tuple[str, ...] = (
    r"[（(【\[].*?[）)】\]]",              # bracketed remarks
    r"\d+[kK千万元/月天小时\-~～名人位个]*",  # numbers, salaries, head counts
    r"急招|急聘|诚聘|高薪|招聘|招|聘请|聘|直招|长期|短期|临时|兼职|全职|包吃住|包住|包吃|五险一金|双休|若干名?|多名|名额",
    r"[!！~～、，,。.;；:：/|\s*·]+",
)
"""Regular expressions removed from titles before matching (recruiting boilerplate)."""

COLLOQUIAL: tuple[str, ...] = ("阿姨", "大姐", "大叔", "师傅", "小哥", "小妹", "小工", "学徒", "帮工", "人员", "专员")
"""Colloquial or generic person words removed from the end of a cleaned title."""

_MARK = re.compile(r"[LS]$")


def clean_title(title: str) -> str:
    """Strip recruiting boilerplate and colloquial person words.

    Examples
    --------
    >>> clean_title("急招保洁阿姨（包吃住）若干名")
    '保洁'
    """
    text = unicodedata.normalize("NFKC", str(title))
    for pattern in NOISE_PATTERNS:
        text = re.sub(pattern, "", text)
    changed = True
    while changed and text:
        changed = False
        for word in COLLOQUIAL:
            if text.endswith(word) and len(text) > len(word):
                text, changed = text[: -len(word)], True
    return text.strip()


class TitleNormalizer:
    """Fitted index of the occupation catalogue (see the module docstring).

    Parameters
    ----------
    name_weight : float, default 0.55
        Weight of the names field (the text field gets the rest).
    exact_bonus : float, default 0.0
        Added when a name or alias of length >= 2 occurs inside the cleaned title,
        scaled by the share of the title it covers.
    catalogue : DataFrame, optional
        Columns ``code, name, aliases, definition`` (default the packaged CSCO 2022).

    Examples
    --------
    >>> cat = pd.DataFrame({"code": ["4-09-08-01", "4-02-07-08"], "name": ["保洁员", "快递员"],
    ...                     "aliases": ["保洁,清洁工", "快递小哥"], "definition": ["从事清洁的人员", "收寄快件的人员"]})
    >>> TitleNormalizer(catalogue=cat).top_k(["急招保洁阿姨"], k=1)["name"].tolist()
    ['保洁员']
    """

    def __init__(self, name_weight: float = 0.55, exact_bonus: float = 0.0, catalogue: pd.DataFrame | None = None):
        if not 0 <= name_weight <= 1:
            raise ParameterError(f"name_weight must be in [0, 1], got {name_weight}")
        self.name_weight, self.exact_bonus = name_weight, exact_bonus
        from sklearn.feature_extraction.text import TfidfVectorizer  # heavy import, only when used

        cat = load_occupations() if catalogue is None else catalogue
        self.codes = cat["code"].astype(str).to_numpy()
        self.names = cat["name"].astype(str).to_numpy()
        owner, docs = [], []
        for i, (name, aliases) in enumerate(zip(cat["name"].astype(str), cat["aliases"].fillna("").astype(str))):
            seen = set()
            for alias in [name, *re.split(r"[,，、]", aliases)]:
                alias = _MARK.sub("", alias.strip())
                for part in alias.split("/"):
                    if len(part) >= 2 and part not in seen:
                        seen.add(part)
                        owner.append(i)
                        docs.append(part)
        self.owner = np.asarray(owner)
        self.alias_text = docs
        text = (cat.get("definition", pd.Series([""] * len(cat))).fillna("").astype(str) + " "
                + cat.get("tasks", pd.Series([""] * len(cat))).fillna("").astype(str)).tolist()
        self._names_vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True)
        self._names = self._names_vec.fit_transform(docs)
        self._text_vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True)
        self._text = self._text_vec.fit_transform(text)
        self._owner_matrix = sp.csr_array((np.ones(len(owner)), (self.owner, np.arange(len(owner)))),
                                          shape=(len(cat), len(owner)))

    def scores(self, titles: Iterable[str]) -> np.ndarray:
        """Dense (n_titles × n_occupations) scores."""
        cleaned = [clean_title(t) or str(t) for t in titles]
        by_name = (self._names_vec.transform(cleaned) @ self._names.T).toarray()
        best = np.zeros((len(cleaned), len(self.codes)))
        # occupation score on the names field = its best name (max over its aliases)
        order = np.argsort(self.owner, kind="stable")
        starts = np.r_[0, np.flatnonzero(np.diff(self.owner[order])) + 1]
        best[:, self.owner[order][starts]] = np.maximum.reduceat(by_name[:, order], starts, axis=1)
        by_text = (self._text_vec.transform(cleaned) @ self._text.T).toarray()
        out = self.name_weight * best + (1 - self.name_weight) * by_text
        if self.exact_bonus:
            for r, title in enumerate(cleaned):
                hits = [(len(a), self.owner[j]) for j, a in enumerate(self.alias_text) if a in title]
                if hits:
                    length, occ = max(hits)
                    out[r, occ] += self.exact_bonus * length / max(len(title), 1)
        return out

    def top_k(self, titles: Iterable[str], k: int = 5) -> pd.DataFrame:
        """Top-k occupations per title: ``title, rank, code, name, score``."""
        titles = list(titles)
        if not isinstance(k, (int, np.integer)) or k < 1:
            raise ParameterError(f"k must be a positive integer, got {k!r}")
        s = self.scores(titles)
        k = min(k, s.shape[1])
        idx = np.argsort(-s, axis=1, kind="stable")[:, :k]
        rows = np.repeat(np.arange(len(titles)), k)
        return pd.DataFrame({"title": np.asarray(titles, dtype=object)[rows], "rank": np.tile(np.arange(1, k + 1), len(titles)),
                             "code": self.codes[idx.ravel()], "name": self.names[idx.ravel()],
                             "score": s[rows, idx.ravel()]})


def normalize_titles(titles: Iterable[str], k: int = 5, normalizer: TitleNormalizer | None = None) -> pd.DataFrame:
    """CSCO 2022 occupation codes for free-text post titles (top-k with scores).

    Examples
    --------
    >>> normalize_titles(["拼多多运营", "急招保洁阿姨"], k=1)["code"].tolist()
    ['4-01-06-01', '4-09-08-01']
    """
    return (normalizer or _default()).top_k(titles, k)


@lru_cache(maxsize=1)
def _default() -> TitleNormalizer:
    return TitleNormalizer()
