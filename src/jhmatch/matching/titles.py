"""Map employers' free-text post titles to CSCO 2022 occupation codes.

Titles such as ``"急招保洁阿姨"`` or ``"淘宝客服（可居家）"`` are cleaned (recruiting
noise, brackets, salaries and place names removed), expanded with a small
hand-written table of colloquial job words (:data:`COLLOQUIAL_SYNONYMS`), then
scored against every level-4 occupation of the packaged catalogue
(:func:`jhmatch.reference.load_occupations`) with six evidence fields:

``name``
    cosine of character 1–3-gram TF-IDF (sublinear tf) to the official name;
``term``
    the best such cosine over the occupation's name and each of its aliases;
``doc``
    cosine of character 2–3-gram TF-IDF to name and all aliases as one text;
``hit``
    the longest catalogue name or alias contained in the title, as a share of
    the title's length (1 when the title *is* a catalogue term);
``text``
    cosine of character 2–3-gram TF-IDF to the definition and main tasks;
``prior``
    a tie-breaker favouring occupations common in the labour market (major
    groups 4 and 6, and occupations with many job-site aliases).

The score is the weighted mean of the fields, so it lies in [0, 1]. Default
weights (name 0.2, term 0.3, doc 0.35, hit 0.2, text 0.1, prior 0.1, before
normalisation) were chosen by a coarse grid on two of the five held-out-alias
folds of ``benchmarks/bench_titles.py``. Work is done on the distinct cleaned
titles, block by block, with sparse products; only the substring look-up of
the ``hit`` field loops over (distinct) titles in Python.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from jhmatch.errors import ParameterError, Problem, SchemaError
from jhmatch.matching._title_words import COLLOQUIAL_SYNONYMS, NOISE_WORDS

__all__ = ["COLLOQUIAL_SYNONYMS", "TitleMatches", "TitleNormalizer", "clean_title", "normalize_titles"]

_NOISE_RE = re.compile("|".join(sorted(map(re.escape, NOISE_WORDS), key=len, reverse=True)))
_BRACKET_RE = re.compile(r"\([^()]*\)|【[^】]*】|\[[^\]]*\]|<[^>]*>|「[^」]*」")
_PREFER_RE = re.compile(r"\S*(?:优先|欢迎|残疾人|残障)\S*")
_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?\s*(?:[-~至到]\s*\d+(?:\.\d+)?)?\s*(?:k|千|万|元|块)?(?:/(?:月|天|日|时|小时))?")
_PUNCT_RE = re.compile(r"[^\w]+|_")
_SYN_RE = re.compile("|".join(sorted(map(re.escape, COLLOQUIAL_SYNONYMS), key=len, reverse=True)))
_GROUP_PRIOR = np.array([0.0, 0.1, 0.6, 0.6, 1.0, 0.2, 0.8, 0.0, 0.2])  # by major group 1..8


def clean_title(title: Any) -> str:
    """Strip recruiting noise from one post title.

    Full-width characters are folded, text is lower-cased, bracketed remarks,
    "... 优先" clauses, salaries, punctuation, place names of Jinhua and noise
    words (急招, 高薪, 包吃住, 阿姨, ...) are removed. When nothing would be left,
    the bracketed remarks are kept instead.

    Parameters
    ----------
    title : str or None
        A raw title; ``None`` and NaN give ``""``.

    Returns
    -------
    str
        Space-separated cleaned segments (possibly empty).

    Examples
    --------
    >>> clean_title("急招保洁阿姨（包吃住）")
    '保洁'
    >>> clean_title("按摩师 盲人优先 5000-8000元/月")
    '按摩师'
    """
    if _is_missing(title):
        return ""
    text = unicodedata.normalize("NFKC", str(title)).lower()
    core = _PREFER_RE.sub(" ", _BRACKET_RE.sub(" ", text))
    out = _clean_core(core)
    return out if out else _clean_core(re.sub(r"[()【】\[\]<>「」]", " ", text))


def _clean_core(text: str) -> str:
    text = _PUNCT_RE.sub(" ", _NUMBER_RE.sub(" ", text))
    return " ".join(t for t in (_NOISE_RE.sub("", w) for w in text.split()) if t)


def _expand(cleaned: str) -> str:
    return " ".join([cleaned, *dict.fromkeys(COLLOQUIAL_SYNONYMS[m] for m in _SYN_RE.findall(cleaned))])


@dataclass(frozen=True, eq=False)
class TitleMatches:
    """Top-k occupation candidates for each title.

    Attributes
    ----------
    table : DataFrame
        Long table, one row per (title, candidate): ``position`` (0-based
        index of the title in the input), ``title`` (as given), ``rank``
        (1 = best), ``code``, ``name`` and ``score`` in [0, 1], sorted by
        position then rank. A title that is empty, missing, or has no evidence
        for any occupation after cleaning has no rows.
    n_titles : int
        Number of input titles.
    k : int
        Requested number of candidates per title.

    Examples
    --------
    >>> m = normalize_titles(["保洁", None], k=2)
    >>> m.best.tolist()
    ['4-09-08-01', <NA>]
    """

    table: pd.DataFrame
    n_titles: int
    k: int

    def _first(self, column: str) -> pd.Series:
        top = self.table[self.table["rank"] == 1].set_index("position")[column]
        return top.reindex(pd.RangeIndex(self.n_titles, name="position"))

    @property
    def best(self) -> pd.Series:
        """Best code per input position (``<NA>`` when the title had no match)."""
        return self._first("code").astype("string").rename("code")

    @property
    def best_name(self) -> pd.Series:
        """Occupation name of :attr:`best`."""
        return self._first("name").astype("string").rename("name")

    @property
    def best_score(self) -> pd.Series:
        """Score of :attr:`best` (NaN when the title had no match)."""
        return self._first("score").astype("float64").rename("score")

    def codes(self) -> list[list[str]]:
        """Candidate codes per input position, best first (empty lists for no match)."""
        grouped = self.table.groupby("position", sort=True)["code"].agg(list)
        return [list(grouped.get(i, [])) for i in range(self.n_titles)]


class TitleNormalizer:
    """Fitted title → occupation matcher (scikit-learn style parameters).

    Parameters
    ----------
    name_weight, term_weight, doc_weight, hit_weight, text_weight, prior_weight : float
        Non-negative weights of the evidence fields (see the module docstring);
        the score is their weighted mean.
    ngram_range : tuple of int, default (1, 3)
        Character n-gram range of the name / alias vectorisers.
    synonyms : bool or mapping, default True
        Expand titles with :data:`COLLOQUIAL_SYNONYMS` (``True``), nothing
        (``False``) or a mapping of your own (replaces the table).
    clean : bool, default True
        Apply :func:`clean_title`; ``False`` only folds width and case.
    batch_size : int, default 2048
        Distinct titles scored per block (bounds memory).

    Examples
    --------
    >>> tn = TitleNormalizer().fit()
    >>> tn.predict(["急招保洁阿姨"], k=1).best.tolist()
    ['4-09-08-01']
    """

    def __init__(self, name_weight: float = 0.2, term_weight: float = 0.3, doc_weight: float = 0.35,
                 hit_weight: float = 0.2, text_weight: float = 0.1, prior_weight: float = 0.1, ngram_range: tuple[int, int] = (1, 3),
                 synonyms: bool | Mapping[str, str] = True, clean: bool = True, batch_size: int = 2048):
        self.name_weight = name_weight
        self.term_weight = term_weight
        self.doc_weight = doc_weight
        self.hit_weight = hit_weight
        self.text_weight = text_weight
        self.prior_weight = prior_weight
        self.ngram_range = ngram_range
        self.synonyms = synonyms
        self.clean = clean
        self.batch_size = batch_size

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Constructor parameters (scikit-learn protocol)."""
        return {k: getattr(self, k) for k in ("name_weight", "term_weight", "doc_weight", "hit_weight",
                                              "text_weight", "prior_weight", "ngram_range", "synonyms", "clean", "batch_size")}

    def set_params(self, **params: Any) -> TitleNormalizer:
        """Set constructor parameters (scikit-learn protocol)."""
        valid = self.get_params()
        for key, value in params.items():
            if key not in valid:
                raise ParameterError(f"unknown parameter {key!r}; expected one of {sorted(valid)}")
            setattr(self, key, value)
        return self

    def _check_params(self) -> np.ndarray:
        w = np.array([self.name_weight, self.term_weight, self.doc_weight, self.hit_weight, self.text_weight,
                      self.prior_weight], dtype=float)
        if not (np.all(np.isfinite(w)) and np.all(w >= 0) and w.sum() > 0):
            raise ParameterError(f"weights must be finite, >= 0 and not all zero; got {w.tolist()}")
        lo, hi = self.ngram_range
        if not (1 <= lo <= hi):
            raise ParameterError(f"ngram_range must satisfy 1 <= min <= max; got {self.ngram_range}")
        if not (isinstance(self.batch_size, (int, np.integer)) and self.batch_size >= 1):
            raise ParameterError(f"batch_size must be a positive integer; got {self.batch_size!r}")
        return w / w.sum()

    def fit(self, catalogue: pd.DataFrame | None = None) -> TitleNormalizer:
        """Index an occupation catalogue.

        Parameters
        ----------
        catalogue : DataFrame, optional
            Columns ``code`` and ``name`` (required), ``aliases`` (comma
            separated), ``definition``, ``tasks`` and ``major_group`` (optional).
            Default: ``load_occupations(level=4)``. A repeated code keeps its
            first row.

        Raises
        ------
        SchemaError
            If a required column is missing, the table is empty, or a code or
            name is missing.
        ParameterError
            If a weight, ``ngram_range`` or ``batch_size`` is invalid.

        Returns
        -------
        TitleNormalizer
            ``self``, fitted.

        Examples
        --------
        >>> cat = pd.DataFrame({"code": ["a", "b"], "name": ["保洁员", "收银员"]})
        >>> TitleNormalizer().fit(cat).predict(["超市收银"], k=1).best.tolist()
        ['b']
        """
        self.weights_ = self._check_params()
        cat = _check_catalogue(catalogue)
        self.codes_ = cat["code"].to_numpy(dtype=object)
        self.names_ = cat["name"].to_numpy(dtype=object)
        n = len(cat)
        terms_per = [list(dict.fromkeys(t for t in (_strip_marks(a) for a in [nm, *al.split(",")]) if t)) or [code]
                     for code, nm, al in zip(cat["code"], cat["name"], cat["aliases"])]
        self.term_owner_ = np.repeat(np.arange(n), [len(t) for t in terms_per])
        terms = [t for ts in terms_per for t in ts]
        self.term_starts_ = np.r_[0, np.cumsum([len(t) for t in terms_per])[:-1]]
        lower = [unicodedata.normalize("NFKC", t).lower() for t in terms]
        index: dict[str, list[int]] = {}
        for j, t in enumerate(lower):
            index.setdefault(t, []).append(j)
        self.term_index_ = {t: np.array(js) for t, js in index.items()}
        self.term_len_ = np.array([len(t) for t in lower], dtype=np.float32)
        self.max_term_len_ = int(self.term_len_.max())
        kw = {"sublinear_tf": True, "dtype": np.float32}
        self.term_vec_ = TfidfVectorizer(analyzer=partial(_char_grams, ngram_range=tuple(self.ngram_range)), **kw)
        self.terms_ = sp.csr_array(self.term_vec_.fit_transform(lower).T)
        docs = [" ".join(ts) for ts in terms_per]
        self.doc_vec_ = TfidfVectorizer(analyzer=partial(_char_grams, ngram_range=(2, 3)), **kw)
        self.docs_ = sp.csr_array(self.doc_vec_.fit_transform(docs).T)
        text = (cat["name"] + " " + cat["definition"] + " " + cat["tasks"]).tolist()
        self.text_vec_ = TfidfVectorizer(analyzer=partial(_char_grams, ngram_range=(2, 3)), max_df=0.5 if n >= 20 else 1.0, **kw)
        self.text_ = sp.csr_array(self.text_vec_.fit_transform(text).T)
        n_terms = np.array([len(t) for t in terms_per], dtype=float)
        group = cat["major_group"].to_numpy(dtype=int).clip(0, 8)
        self.prior_ = (0.5 * _GROUP_PRIOR[group] + 0.5 * np.log1p(n_terms - 1) / np.log1p(max(n_terms.max(), 2)))
        return self

    def predict(self, titles: Iterable[Any], k: int = 5) -> TitleMatches:
        """Top-k occupations for each title.

        Parameters
        ----------
        titles : iterable of str
            Free-text titles (a list, array or Series; positions are 0-based
            whatever the index); ``None``/NaN/empty titles get no candidates.
        k : int, default 5
            Candidates per title, >= 1 (capped at the catalogue size).

        Returns
        -------
        TitleMatches

        Raises
        ------
        ParameterError
            If ``k`` is not a positive integer, ``titles`` is a single string,
            or the normalizer is not fitted.

        Examples
        --------
        >>> tn = TitleNormalizer().fit()
        >>> tn.predict(["收银员"], k=3).table["rank"].tolist()
        [1, 2, 3]
        """
        if not hasattr(self, "codes_"):
            raise ParameterError("TitleNormalizer is not fitted; call .fit() first")
        k = _check_k(k)
        if isinstance(titles, (str, bytes)):
            raise ParameterError(f"titles must be a list-like of titles, not a single string: {titles!r}; "
                                 "wrap it in a list")
        raw = pd.Series(list(titles), dtype=object)
        cleaned = [_prep(t, self.clean) for t in raw]
        uniq, inverse = np.unique(np.asarray(cleaned, dtype=object).astype(str), return_inverse=True)
        kk = min(k, len(self.codes_))
        idx = np.zeros((len(uniq), kk), dtype=np.int64)
        val = np.zeros((len(uniq), kk), dtype=np.float32)
        for lo in range(0, len(uniq), self.batch_size):
            block = uniq[lo: lo + self.batch_size]
            scores = self._score_block(block)
            idx[lo: lo + len(block)], val[lo: lo + len(block)] = _topk(scores, kk)
        rows = np.repeat(np.arange(len(raw)), kk)
        cand, score = idx[inverse].ravel(), val[inverse].ravel()
        keep = score > 0
        table = pd.DataFrame({
            "position": rows[keep], "title": raw.to_numpy()[rows[keep]],
            "rank": np.tile(np.arange(1, kk + 1), len(raw))[keep], "code": self.codes_[cand[keep]],
            "name": self.names_[cand[keep]], "score": score[keep].astype(np.float64).clip(0.0, 1.0)})
        table = table.astype({"title": "string", "code": "string", "name": "string"})
        return TitleMatches(table=table.reset_index(drop=True), n_titles=len(raw), k=k)

    def _score_block(self, cleaned: np.ndarray) -> np.ndarray:
        fields = self._fields(cleaned)
        evidence = fields[:-1].max(axis=0) > 0
        scores = np.tensordot(self.weights_.astype(np.float32), fields, axes=1)
        return np.where(evidence, scores, 0.0).astype(np.float32)

    def _fields(self, cleaned: np.ndarray) -> np.ndarray:
        """Evidence fields (6, n, n_occupations): name, term, doc, hit, text, prior."""
        syn = self.synonyms
        table = COLLOQUIAL_SYNONYMS if syn is True else (dict(syn) if syn else {})
        queries = [_expand_with(c, table) for c in cleaned]
        q = sp.csr_array(self.term_vec_.transform(queries))
        term = (q @ self.terms_).toarray()
        n_occ = len(self.codes_)
        fields = np.empty((6, len(cleaned), n_occ), dtype=np.float32)
        fields[0] = term[:, self.term_starts_]
        fields[1] = np.maximum.reduceat(term, self.term_starts_, axis=1)
        fields[2] = (sp.csr_array(self.doc_vec_.transform(queries)) @ self.docs_).toarray()
        fields[3] = self._hits(queries)
        fields[4] = (sp.csr_array(self.text_vec_.transform(queries)) @ self.text_).toarray()
        fields[5] = self.prior_[None, :]
        return fields

    def _hits(self, queries: list[str]) -> np.ndarray:
        rows, terms, cover = [], [], []
        for i, query in enumerate(queries):
            for seg in query.split():
                seg = seg[:40]
                L = len(seg)
                for a in range(L):
                    for b in range(a + 2, min(L, a + self.max_term_len_) + 1):
                        hit = self.term_index_.get(seg[a:b])
                        if hit is not None:
                            rows.append(np.full(len(hit), i))
                            terms.append(hit)
                            cover.append(np.full(len(hit), (b - a) / L, dtype=np.float32))
        out = np.zeros((len(queries), len(self.codes_)), dtype=np.float32)
        if rows:
            r, t = np.concatenate(rows), np.concatenate(terms)
            np.maximum.at(out, (r, self.term_owner_[t]), np.concatenate(cover))
        return out


def _char_grams(text: str, ngram_range: tuple[int, int]) -> list[str]:
    """Character n-grams within space-padded words, like ``char_wb`` but without blank-only grams."""
    lo, hi = ngram_range
    out = []
    for word in text.split():
        w = f" {word} "
        out += [w[i: i + n] for n in range(lo, hi + 1) for i in range(len(w) - n + 1)]
    return [g for g in out if g.strip()]


def _expand_with(cleaned: str, table: Mapping[str, str]) -> str:
    if table is COLLOQUIAL_SYNONYMS:
        return _expand(cleaned)
    found = [v for key, v in table.items() if key and key in cleaned]
    return " ".join([cleaned, *dict.fromkeys(found)])


def _prep(title: Any, clean: bool) -> str:
    if clean:
        return clean_title(title)
    if _is_missing(title):
        return ""
    return " ".join(_PUNCT_RE.sub(" ", unicodedata.normalize("NFKC", str(title)).lower()).split())


def _is_missing(value: Any) -> bool:
    if value is None or isinstance(value, str):
        return value is None
    return bool(np.ndim(value) == 0 and pd.isna(value))


def _strip_marks(term: str) -> str:
    return re.sub(r"(?<=[\u4e00-\u9fff])[LS/]+$", "", term.strip()).strip()


def _topk(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    n_occ = scores.shape[1]
    if k < n_occ:
        part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    else:
        part = np.broadcast_to(np.arange(n_occ), scores.shape).copy()
    vals = np.take_along_axis(scores, part, axis=1)
    order = np.lexsort((part, -vals), axis=1)  # score desc, then catalogue order: deterministic
    return np.take_along_axis(part, order, axis=1), np.take_along_axis(vals, order, axis=1)


def _check_k(k: Any) -> int:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ParameterError(f"k must be a positive integer (number of candidates per title); got {k!r}")
    return int(k)


def _check_catalogue(catalogue: pd.DataFrame | None) -> pd.DataFrame:
    if catalogue is None:
        from jhmatch.reference import load_occupations

        catalogue = load_occupations(level=4)
    problems = [Problem(None, c, None, "a column of the occupation catalogue")
                for c in ("code", "name") if c not in catalogue.columns]
    if not problems and len(catalogue) == 0:
        problems.append(Problem(None, None, 0, "at least one occupation"))
    if not problems:
        codes = catalogue["code"]
        problems += [Problem(i + 1, "code", c, "a non-missing occupation code")
                     for i, c in enumerate(codes) if _is_missing(c) or str(c).strip() == ""]
        problems += [Problem(i + 1, "name", v, "a non-empty occupation name")
                     for i, v in enumerate(catalogue["name"]) if _is_missing(v) or str(v).strip() == ""]
    if problems:
        raise SchemaError(problems, "occupation catalogue")
    # the packaged CSCO file repeats two rows (4-12-04-02, 6-20-05-03): keep the first row of a code
    catalogue = catalogue[~catalogue["code"].astype(str).duplicated()]
    cat = pd.DataFrame({"code": catalogue["code"].astype(str).to_numpy(),
                        "name": catalogue["name"].astype(str).to_numpy()})
    for col in ("aliases", "definition", "tasks"):
        cat[col] = catalogue[col].fillna("").astype(str).to_numpy() if col in catalogue else ""
    if "major_group" in catalogue:
        cat["major_group"] = pd.to_numeric(catalogue["major_group"], errors="coerce").fillna(0).to_numpy()
    else:
        cat["major_group"] = pd.to_numeric(cat["code"].str[0], errors="coerce").fillna(0).to_numpy()
    return cat


@lru_cache(maxsize=1)
def _default_normalizer() -> TitleNormalizer:
    return TitleNormalizer().fit()


def normalize_titles(titles: Iterable[Any], k: int = 5) -> TitleMatches:
    """Map free-text post titles to CSCO 2022 occupation codes (top-k with scores).

    Uses a :class:`TitleNormalizer` with default parameters fitted once on the
    packaged catalogue (``load_occupations(level=4)``).

    Parameters
    ----------
    titles : iterable of str
        Post titles, e.g. ``"拼多多运营"``, ``"急招保洁阿姨"``. ``None``, NaN and
        titles that are empty after cleaning get no candidate rows and a
        ``<NA>`` best code.
    k : int, default 5
        Candidates per title (>= 1).

    Returns
    -------
    TitleMatches

    Raises
    ------
    ParameterError
        If ``k`` is not a positive integer.

    Examples
    --------
    >>> m = normalize_titles(["急招保洁阿姨", "淘宝客服（可居家）"], k=3)
    >>> m.best.tolist()
    ['4-09-08-01', '4-04-05-03']
    >>> m.table.columns.tolist()
    ['position', 'title', 'rank', 'code', 'name', 'score']
    """
    _check_k(k)
    return _default_normalizer().predict(titles, k)
