"""Map employers' free-text post titles to CSCO 2022 occupation codes, or abstain.

Titles such as ``"急招保洁阿姨"`` or ``"淘宝客服（可居家）"`` go through three steps.

1. **Cleaning** (:func:`clean_title`): width and case are folded; bracketed remarks, "... 优先"
   clauses, salaries ("8k", "1w+", "5000-8000元", "月薪过万"), ages, years, counts, shifts,
   benefits, employer words and Jinhua place names are removed. Recruiting words are removed only
   as recruiting words: 招生, 招商, 招标, 急诊 and 招聘专员 survive. Licence classes (C1, A2) become
   the workplace word "驾照".
2. **Reading**: the catalogue names and aliases found in the title, and the colloquial job words of
   :data:`COLLOQUIAL_SYNONYMS`, are located. A synonym strictly inside a longer catalogue term of
   the title is ignored (物业 inside 物业维修); the others append catalogue wording to the query.
   Workplace words (:data:`~jhmatch.matching._title_words.CONTEXT_WORDS`: 仓库, 医院, 淘宝 …) are
   masked out when the title names a job otherwise, and used only when it does not.
3. **Scoring** against every level-4 occupation of :func:`jhmatch.reference.load_occupations` with
   six evidence fields, combined as a weighted mean in [0, 1]: ``name`` (character 1–3-gram TF-IDF
   cosine to the official name), ``term`` (best such cosine over name and aliases), ``doc``
   (2–3-gram cosine to name and aliases as one text), ``hit`` (longest catalogue term contained in
   a query segment, as a share of the segment), ``text`` (2–3-gram cosine to definition and tasks)
   and ``prior`` (occupations common in the labour market: major groups 4 and 6, many aliases).

**Confidence.** Each title gets ``confidence = 1 / (1 + exp(-z))`` with
``z = b0 + b1·s1 + b2·(s1 − s2) + b3·h1 + b4·c``, where ``s1``/``s2`` are the best and second
scores, ``h1`` the ``hit`` field of the best occupation and ``c`` the share of the cleaned title
covered by catalogue terms and job words. The coefficients (:data:`CONFIDENCE_COEF`) are a
logistic regression of "top-1 is right" fitted by ``benchmarks/bench_titles.py --fit-confidence``
on the tuning titles, the 98 hand-labelled titles, a list of junk titles and the catalogue's
aliases predicted 5-fold with their own alias removed; never on the held-out titles.

**Abstention.** A title gets no candidates, ``best`` ``<NA>`` and confidence 0 when nothing is left
after cleaning ("急招", "123", "工作轻松") or when its confidence is below ``abstain_below``
(default 0.3, chosen on the fitting data above: it abstains on every tuning junk title and loses
under 2 % of the right answers; 0 switches abstention off). Work is done on the distinct cleaned
titles, block by block, with sparse products; only the reading step loops over distinct titles in
Python.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from jhmatch.checks import positive_int, rate
from jhmatch.errors import ParameterError, Problem, SchemaError
from jhmatch.matching import _title_words as _tw
from jhmatch.matching._title_words import COLLOQUIAL_SYNONYMS, clean_title

__all__ = ["COLLOQUIAL_SYNONYMS", "CONFIDENCE_COEF", "TitleMatches", "TitleNormalizer", "clean_title",
           "normalize_titles"]

_GROUP_PRIOR = np.array([0.0, 0.1, 0.6, 0.6, 1.0, 0.2, 0.8, 0.0, 0.2])  # by major group 1..8

CONFIDENCE_COEF: tuple[float, float, float, float, float] = (-2.005, 4.457, 5.858, -1.494, 1.728)
"""Confidence coefficients (b0, b1 score, b2 margin, b3 hit, b4 coverage); see the module docstring."""


@dataclass(frozen=True, eq=False, repr=False)
class TitleMatches:
    """Top-k occupation candidates for each title, with a confidence per title.

    Attributes
    ----------
    table : DataFrame
        Long table, one row per (title, candidate): ``position`` (0-based index of the title in
        the input), ``title`` (as given), ``rank`` (1 = best), ``code``, ``name`` and ``score`` in
        [0, 1], sorted by position then rank. A title that is empty, missing, has no evidence for
        any occupation after cleaning, or on which the normalizer abstained has no rows.
    n_titles : int
        Number of input titles.
    k : int
        Requested number of candidates per title.
    per_title : DataFrame or None
        One row per input position: ``cleaned`` (the cleaned title), ``confidence`` in [0, 1]
        and ``abstained`` (bool). ``None`` (hand-built tables) means confidence 0 where a title
        has no rows and NaN elsewhere.

    Examples
    --------
    >>> m = normalize_titles(["保洁", None, "急招"], k=2)
    >>> m.best.tolist()
    ['4-09-08-01', <NA>, <NA>]
    >>> bool(m.confidence.iloc[0] >= 0.5), float(m.confidence.iloc[2])
    (True, 0.0)
    """

    table: pd.DataFrame
    n_titles: int
    k: int
    per_title: pd.DataFrame | None = None

    def __repr__(self) -> str:
        return f"TitleMatches({self.n_titles:,} titles, k={self.k}, {len(self.table):,} candidates)"

    def _first(self, column: str) -> pd.Series:
        top = self.table[self.table["rank"] == 1].set_index("position")[column]
        return top.reindex(pd.RangeIndex(self.n_titles, name="position"))

    @property
    def best(self) -> pd.Series:
        """Best code per input position (``<NA>`` when the title had no match or was abstained on)."""
        return self._first("code").astype("string").rename("code")

    @property
    def best_name(self) -> pd.Series:
        """Occupation name of :attr:`best`."""
        return self._first("name").astype("string").rename("name")

    @property
    def best_score(self) -> pd.Series:
        """Score of :attr:`best` (NaN when the title had no match)."""
        return self._first("score").astype("float64").rename("score")

    @property
    def confidence(self) -> pd.Series:
        """Estimated probability that :attr:`best` is right, in [0, 1], aligned with :attr:`best`.

        Computed from the best score, its margin over the second, the best occupation's ``hit``
        field and the share of the title explained by job words (see the module docstring). On
        the held-out titles of ``benchmarks/bench_titles.py``, ≥ 0.5 means the top-1 is usually
        right; abstained and empty titles have a low confidence (0 when nothing was left).
        """
        index = pd.RangeIndex(self.n_titles, name="position")
        if self.per_title is not None:
            return pd.Series(self.per_title["confidence"].to_numpy(dtype=float), index=index, name="confidence")
        return pd.Series(np.where(self.best.isna(), 0.0, np.nan), index=index, name="confidence")

    @property
    def abstained(self) -> pd.Series:
        """``True`` where the normalizer declined to name an occupation (junk or empty titles)."""
        if self.per_title is not None:
            return pd.Series(self.per_title["abstained"].to_numpy(dtype=bool),
                             index=pd.RangeIndex(self.n_titles, name="position"), name="abstained")
        return self.best.isna().rename("abstained")

    def codes(self) -> list[list[str]]:
        """Candidate codes per input position, best first (empty lists for no match)."""
        grouped = self.table.groupby("position", sort=True)["code"].agg(list)
        return [list(grouped.get(i, [])) for i in range(self.n_titles)]


class TitleNormalizer:
    """Fitted title → occupation matcher (scikit-learn style parameters).

    Parameters
    ----------
    name_weight, term_weight, doc_weight, hit_weight, text_weight, prior_weight : float
        Non-negative weights of the evidence fields (see the module docstring); the score is their
        weighted mean.
    ngram_range : tuple of int, default (1, 3)
        Character n-gram range of the name / alias vectorisers.
    synonyms : bool or mapping, default True
        ``True``: :data:`COLLOQUIAL_SYNONYMS` plus the workplace words; ``False``: none; a
        mapping of your own replaces both (every key treated as a job word).
    clean : bool, default True
        Apply :func:`clean_title`; ``False`` only folds width and case.
    batch_size : int, default 2048
        Distinct titles scored per block (bounds memory).
    abstain_below : float, default 0.3
        Titles whose confidence is below this get no candidates (``best`` is ``<NA>``); 0 keeps
        every title that has any evidence.

    Examples
    --------
    >>> tn = TitleNormalizer().fit()
    >>> tn.predict(["急招保洁阿姨"], k=1).best.tolist()
    ['4-09-08-01']
    """

    def __init__(self, name_weight: float = 0.2, term_weight: float = 0.3, doc_weight: float = 0.35,
                 hit_weight: float = 0.2, text_weight: float = 0.1, prior_weight: float = 0.1,
                 ngram_range: tuple[int, int] = (1, 3), synonyms: bool | Mapping[str, str] = True,
                 clean: bool = True, batch_size: int = 2048, abstain_below: float = 0.3):
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
        self.abstain_below = abstain_below

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Constructor parameters (scikit-learn protocol)."""
        return {k: getattr(self, k) for k in ("name_weight", "term_weight", "doc_weight", "hit_weight",
                                              "text_weight", "prior_weight", "ngram_range", "synonyms", "clean",
                                              "batch_size", "abstain_below")}

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
        positive_int("batch_size", self.batch_size)
        rate("abstain_below", self.abstain_below)
        return w / w.sum()

    def fit(self, catalogue: pd.DataFrame | None = None) -> TitleNormalizer:
        """Index an occupation catalogue.

        Parameters
        ----------
        catalogue : DataFrame, optional
            Columns ``code`` and ``name`` (required), ``aliases`` (comma separated),
            ``definition``, ``tasks`` and ``major_group`` (optional). Default:
            ``load_occupations(level=4)``. A repeated code keeps its first row.

        Raises
        ------
        SchemaError
            If a required column is missing, the table is empty, or a code or name is missing.
        ParameterError
            If a weight, ``ngram_range``, ``batch_size`` or ``abstain_below`` is invalid.

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
        terms_per = [list(dict.fromkeys(t for t in (_tw.strip_marks(a) for a in [nm, *al.split(",")]) if t)) or [code]
                     for code, nm, al in zip(cat["code"], cat["name"], cat["aliases"])]
        self.term_owner_ = np.repeat(np.arange(n), [len(t) for t in terms_per])
        self.term_starts_ = np.r_[0, np.cumsum([len(t) for t in terms_per])[:-1]]
        lower = [unicodedata.normalize("NFKC", t).lower() for t in (t for ts in terms_per for t in ts)]
        index: dict[str, list[int]] = {}
        for j, t in enumerate(lower):
            index.setdefault(t, []).append(j)
        self.term_index_ = {t: np.array(js) for t, js in index.items()}
        self.max_term_len_ = max(len(t) for t in lower)
        kw = {"sublinear_tf": True, "dtype": np.float32}
        self.term_vec_ = TfidfVectorizer(analyzer=partial(_tw.char_grams, ngram_range=tuple(self.ngram_range)), **kw)
        self.terms_ = sp.csr_array(self.term_vec_.fit_transform(lower).T)
        self.doc_vec_ = TfidfVectorizer(analyzer=partial(_tw.char_grams, ngram_range=(2, 3)), **kw)
        self.docs_ = sp.csr_array(self.doc_vec_.fit_transform([" ".join(ts) for ts in terms_per]).T)
        text = (cat["name"] + " " + cat["definition"] + " " + cat["tasks"]).tolist()
        self.text_vec_ = TfidfVectorizer(analyzer=partial(_tw.char_grams, ngram_range=(2, 3)), max_df=0.5 if n >= 20 else 1.0, **kw)
        self.text_ = sp.csr_array(self.text_vec_.fit_transform(text).T)
        n_terms = np.array([len(t) for t in terms_per], dtype=float)
        group = cat["major_group"].to_numpy(dtype=int).clip(0, 8)
        self.prior_ = (0.5 * _GROUP_PRIOR[group] + 0.5 * np.log1p(n_terms - 1) / np.log1p(max(n_terms.max(), 2)))
        syn = self.synonyms
        words = dict(COLLOQUIAL_SYNONYMS) if syn is True else ({str(a): str(b) for a, b in dict(syn).items() if a}
                                                               if syn else {})
        self.synonyms_ = {unicodedata.normalize("NFKC", a).lower(): b for a, b in words.items()}
        self.context_ = {unicodedata.normalize("NFKC", a).lower(): b for a, b in _tw.CONTEXT_WORDS.items()} \
            if syn is True else {}
        self.syn_re_ = _tw.alternation(self.synonyms_)
        self.ctx_re_ = _tw.alternation(self.context_)
        return self

    def predict(self, titles: Iterable[Any], k: int = 5) -> TitleMatches:
        """Top-k occupations for each title, with a confidence; abstains on junk titles.

        Parameters
        ----------
        titles : iterable of str
            Free-text titles (a list, array or Series; positions are 0-based whatever the index);
            ``None``/NaN/empty titles get no candidates.
        k : int, default 5
            Candidates per title, >= 1 (capped at the catalogue size).

        Returns
        -------
        TitleMatches

        Raises
        ------
        ParameterError
            If ``k`` is not a positive integer, ``titles`` is a single string, or the normalizer is
            not fitted.

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
        cleaned = [_tw.prep_title(t, self.clean) for t in raw]
        uniq, inverse = np.unique(np.asarray(cleaned, dtype=object).astype(str), return_inverse=True)
        inverse = inverse.ravel()
        kk = min(k, len(self.codes_))
        idx = np.zeros((len(uniq), kk), dtype=np.int64)
        val = np.zeros((len(uniq), kk), dtype=np.float32)
        conf = np.zeros(len(uniq), dtype=np.float64)
        for lo in range(0, len(uniq), self.batch_size):
            block = slice(lo, lo + self.batch_size)
            idx[block], val[block], conf[block] = self._score_block(uniq[block], kk)
        abstain = (val[:, 0] <= 0) | (conf < self.abstain_below)
        conf = np.where(abstain, 0.0, conf)
        rows = np.repeat(np.arange(len(raw)), kk)
        cand, score = idx[inverse].ravel(), val[inverse].ravel()
        keep = (score > 0) & ~np.repeat(abstain[inverse], kk)
        table = pd.DataFrame({
            "position": rows[keep], "title": raw.to_numpy()[rows[keep]],
            "rank": np.tile(np.arange(1, kk + 1), len(raw))[keep], "code": self.codes_[cand[keep]],
            "name": self.names_[cand[keep]], "score": score[keep].astype(np.float64).clip(0.0, 1.0)})
        table = table.astype({"title": "string", "code": "string", "name": "string"})
        per_title = pd.DataFrame({"cleaned": pd.array(uniq[inverse], dtype="string"),
                                  "confidence": conf[inverse], "abstained": abstain[inverse]})
        return TitleMatches(table=table.reset_index(drop=True), n_titles=len(raw), k=k, per_title=per_title)

    def _score_block(self, cleaned: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Top-k indices and scores, and the confidence, of a block of distinct cleaned titles."""
        top, val, feats = self._evidence(cleaned, k)
        b0, *b = CONFIDENCE_COEF
        z = b0 + feats @ np.asarray(b, dtype=np.float64)
        conf = np.where(feats[:, 0] > 0, 1.0 / (1.0 + np.exp(-z)), 0.0)
        return top, val, conf

    def _evidence(self, cleaned: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Top-k indices and scores, and the confidence features (n, 4): s1, s1 - s2, hit1, coverage."""
        cache: dict[str, list[tuple[int, int, np.ndarray]]] = {}

        def spans(seg: str) -> list[tuple[int, int, np.ndarray]]:
            if seg not in cache:
                cache[seg] = self._term_spans(seg)
            return cache[seg]

        read = [_tw.read_title(c, spans, self.synonyms_, self.syn_re_, self.context_, self.ctx_re_) for c in cleaned]
        scores, hit = self._scores([q for q, _ in read], spans)
        top, val = _topk(scores, max(k, 2))
        s1 = val[:, 0].astype(np.float64)
        s2 = val[:, 1].astype(np.float64) if val.shape[1] > 1 else np.zeros_like(s1)
        hit1 = hit[np.arange(len(cleaned)), top[:, 0]].astype(np.float64)
        feats = np.column_stack([s1, s1 - s2, hit1, np.array([c for _, c in read], dtype=np.float64)])
        return top[:, :k], val[:, :k], feats.reshape(len(cleaned), 4)

    def _scores(self, queries: list[str], spans) -> tuple[np.ndarray, np.ndarray]:
        """Weighted mean of the evidence fields (0 without evidence), and the ``hit`` field; (n, n_occ)."""
        w = self.weights_.astype(np.float32)
        term = (sp.csr_array(self.term_vec_.transform(queries)) @ self.terms_).toarray()
        best_term = np.maximum.reduceat(term, self.term_starts_, axis=1)
        evidence = best_term > 0
        score = w[0] * term[:, self.term_starts_] + w[1] * best_term + w[5] * self.prior_[None, :].astype(np.float32)
        for weight, field in ((w[2], (sp.csr_array(self.doc_vec_.transform(queries)) @ self.docs_).toarray()),
                              (w[4], (sp.csr_array(self.text_vec_.transform(queries)) @ self.text_).toarray()),
                              (w[3], hit := self._hits(queries, spans))):
            score += weight * field
            evidence |= field > 0
        return np.where(evidence, score, np.float32(0.0)), hit

    def _term_spans(self, seg: str) -> list[tuple[int, int, np.ndarray]]:
        """Catalogue terms (names, aliases) found in one segment: (start, end, term ids)."""
        seg = seg[:40]
        out = []
        for a in range(len(seg)):
            for b in range(a + 1, min(len(seg), a + self.max_term_len_) + 1):
                hit = self.term_index_.get(seg[a:b])
                if hit is not None:
                    out.append((a, b, hit))
        return out

    def _hits(self, queries: list[str], spans) -> np.ndarray:
        rows, terms, cover = [], [], []
        for i, query in enumerate(queries):
            for seg in query.split():
                for a, b, hit in spans(seg):
                    if b - a >= 2:
                        rows.append(np.full(len(hit), i))
                        terms.append(hit)
                        cover.append(np.full(len(hit), (b - a) / min(len(seg), 40), dtype=np.float32))
        out = np.zeros((len(queries), len(self.codes_)), dtype=np.float32)
        if rows:
            r, t = np.concatenate(rows), np.concatenate(terms)
            np.maximum.at(out, (r, self.term_owner_[t]), np.concatenate(cover))
        return out


def _topk(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    n_occ = scores.shape[1]
    k = min(k, n_occ)
    if k < n_occ:
        part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    else:
        part = np.broadcast_to(np.arange(n_occ), scores.shape).copy()
    vals = np.take_along_axis(scores, part, axis=1)
    order = np.lexsort((part, -vals), axis=1)  # score desc, then catalogue order: deterministic
    return np.take_along_axis(part, order, axis=1), np.take_along_axis(vals, order, axis=1)


def _check_k(k: Any) -> int:
    return positive_int("k", k)


def _check_catalogue(catalogue: pd.DataFrame | None) -> pd.DataFrame:
    if catalogue is None:
        from jhmatch.reference import load_occupations

        catalogue = load_occupations(level=4)
    problems = [Problem(None, c, None, "a column of the occupation catalogue")
                for c in ("code", "name") if c not in catalogue.columns]
    if not problems and len(catalogue) == 0:
        problems.append(Problem(None, None, 0, "at least one occupation"))
    if not problems:
        problems += [Problem(i + 1, "code", c, "a non-missing occupation code")
                     for i, c in enumerate(catalogue["code"]) if _tw.is_missing(c) or str(c).strip() == ""]
        problems += [Problem(i + 1, "name", v, "a non-empty occupation name")
                     for i, v in enumerate(catalogue["name"]) if _tw.is_missing(v) or str(v).strip() == ""]
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
    """Map free-text post titles to CSCO 2022 occupation codes (top-k, scores, confidence).

    Uses a :class:`TitleNormalizer` with default parameters fitted once on the packaged catalogue
    (``load_occupations(level=4)``). Junk titles ("急招", "工作轻松") are abstained on: no
    candidates, ``best`` is ``<NA>`` and :attr:`TitleMatches.confidence` is low. Use ``best`` only
    where ``confidence`` is high enough for the purpose (≥ 0.5: usually right).

    Parameters
    ----------
    titles : iterable of str
        Post titles, e.g. ``"拼多多运营"``, ``"急招保洁阿姨"``. ``None``, NaN and titles that are
        empty after cleaning get no candidate rows and a ``<NA>`` best code.
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
    >>> m = normalize_titles(["急招保洁阿姨", "淘宝客服（可居家）", "高薪诚聘"], k=3)
    >>> m.best.tolist()
    ['4-09-08-01', '4-04-05-03', <NA>]
    >>> m.table.columns.tolist()
    ['position', 'title', 'rank', 'code', 'name', 'score']
    """
    _check_k(k)
    return _default_normalizer().predict(titles, k)
