"""A post's own facts: its occupation, hazards and required certificates, with provenance.

Precedence, highest first (each value records where it came from):

1. **The planner** — the post's ``hazards`` / ``essential_functions`` and
   ``required_certificates`` columns. What the planner lists always applies, and
   inference adds what the post's words reveal (a planner who lists two hazards has
   not said there are no others); ``无`` (or ``no``) in ``hazards`` (or
   ``required_certificates``) states there are none and switches inference off.
2. **The post's own text** — words in its title and required skills
   (:mod:`jhmatch.matching._hazard_words`), e.g. 司机, 高空, 电工, 焊, 叉车, 外卖, 搬运,
   电话, 外呼, 主播; a negation right before a word cancels it (无需电话, 不倒班).
3. **The occupation** — the CSCO 2022 code given, else the one
   :func:`~jhmatch.matching.titles.normalize_titles` infers from the title when its
   confidence reaches :data:`TITLE_CONFIDENCE`; its name is read with the same words (for
   the service, agriculture and production groups 4–6), plus
   :data:`OCCUPATION_HAZARDS` / :data:`OCCUPATION_CERTIFICATES`, plus what its O*NET
   counterparts' abilities say (:data:`ONET_HAZARDS`: Static Strength rated 3.5 or
   more means heavy lifting — firefighters, masons, freight labourers, porters).
4. **The kind** — only what *every* occupation of the post's kind involves.

Required certificates follow the same order; a vehicle word asks for the lowest
driving licence class that vehicle needs unless the text names the class (B2, C1 …);
delivery riders (electric bicycles) and in-plant vehicles need no car licence.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from jhmatch.i18n import N_
from jhmatch.matching import _hazard_words as words
from jhmatch.matching._frozen import frozen
from jhmatch.matching.hazard_rules import HAZARD_RELIEF, HAZARDS
from jhmatch.matching.messages import Label, Text
from jhmatch.reference import onet_for_csco
from jhmatch.requirements import Certificate
from jhmatch.taxonomy import post_kind

__all__ = ["CERTIFICATES", "OCCUPATION_CERTIFICATES", "OCCUPATION_HAZARDS", "ONET_HAZARDS", "SOURCES", "SOURCE_LABELS",
           "TITLE_CONFIDENCE", "PostFacts", "cached_post_facts", "post_facts"]

CERTIFICATES: tuple[str, ...] = tuple(c.value for c in Certificate)
"""Certificate codes in column order of the certificate arrays."""

SOURCES: tuple[str, ...] = ("", "planner", "title", "required skills", "occupation", "kind")
"""Provenance codes: index into this tuple (0 = absent)."""
SOURCE_LABELS: tuple[str, ...] = ("", N_("the planner's entry"), N_("the post's title"), N_("the post's required skills"),
                                  N_("the post's occupation"), N_("the post's kind"))
"""How each provenance is shown (translated where shown)."""

TITLE_CONFIDENCE = 0.5
"""Lowest title-match confidence (:attr:`~jhmatch.matching.titles.TitleMatches.confidence`) at which an
inferred occupation is used; on held-out noisy titles about 92 % of such top-1 codes are right."""

OCCUPATION_HAZARDS: Mapping[str, tuple[str, ...]] = frozen({
    "6-29-01": ("works_at_height",),  # 房屋建筑施工人员: 砌筑、混凝土、钢筋、架子工 work on scaffolds
})
"""CSCO code prefix → hazards its name does not reveal."""

ONET_HAZARDS: Mapping[str, tuple[str, float]] = frozen({
    "heavy_lifting": ("Static Strength", 3.5),
})
"""Hazard → (O*NET ability, importance at or above which the occupation involves it)."""

OCCUPATION_CERTIFICATES: Mapping[str, tuple[str, ...]] = frozen({
    "2-05-10-00": ("blind_medical_massage",),  # 盲人医疗按摩管理办法 (2009) 第二条
    "2-05-08": ("nurse",),                      # 护士条例 第七条
    "2-08": ("teacher",),                       # 教师法 第十条
    "2-06-03": ("accounting",),
    "6-31-01-03": ("electrician",),             # 特种作业目录 1 电工作业
    "6-18-02-04": ("welder",),                  # 特种作业目录 2 焊接与热切割作业
    "6-29-01-05": ("height_work",),             # 特种作业目录 3 高处作业（登高架设）
    "4-02-02-01": ("driving_c2",),              # 客运车辆驾驶员 (taxis and ride-hailing need only a car licence)
    "4-02-02-02": ("driving_c1",),              # 道路货运汽车驾驶员
})
"""CSCO code prefix → certificates the occupation legally requires."""


@dataclass(frozen=True, repr=False)
class PostFacts:
    """Occupation, hazards and required certificates of a posts table (row-aligned).

    Attributes
    ----------
    occupation : ndarray of object, shape (m,)
        CSCO 2022 code used for the post (``None``: none known).
    occupation_source : ndarray of object, shape (m,)
        ``"given"``, ``"title"`` (inferred) or ``None``.
    occupation_confidence : ndarray of float, shape (m,)
        Title-match score of an inferred occupation (1 for a given code, NaN for none).
    hazards : ndarray of bool, shape (m, len(HAZARDS))
    hazard_source : ndarray of int8, shape (m, len(HAZARDS))
        Index into :data:`SOURCES`.
    relieved : ndarray of bool, shape (m, len(HAZARDS))
        An accommodation on the post relieves the hazard (:data:`~jhmatch.matching.hazard_rules.HAZARD_RELIEF`).
    certificates : ndarray of bool, shape (m, len(CERTIFICATES))
    certificate_source : ndarray of int8, shape (m, len(CERTIFICATES))
    """

    occupation: np.ndarray
    occupation_source: np.ndarray
    occupation_confidence: np.ndarray
    hazards: np.ndarray
    hazard_source: np.ndarray
    relieved: np.ndarray
    certificates: np.ndarray
    certificate_source: np.ndarray

    def __repr__(self) -> str:
        return (f"PostFacts({len(self.occupation):,} posts: {int(self.hazards.any(axis=1).sum()):,} with hazards, "
                f"{int(self.certificates.any(axis=1).sum()):,} requiring certificates)")

    def evidence(self, j: int, posts: pd.DataFrame, hazard: str) -> Text:
        """Where hazard ``hazard`` of post ``j`` came from (a text, in the language current when shown)."""
        k = HAZARDS.index(hazard)
        return self._evidence(j, posts, int(self.hazard_source[j, k]), words.HAZARD_WORDS.get(hazard, ()))

    def certificate_evidence(self, j: int, posts: pd.DataFrame, cert: str) -> Text:
        """Where required certificate ``cert`` of post ``j`` came from (a text, shown in the current language)."""
        k = CERTIFICATES.index(cert)
        return self._evidence(j, posts, int(self.certificate_source[j, k]), words.CERTIFICATE_WORDS.get(cert, ()))

    def _evidence(self, j: int, posts: pd.DataFrame, src: int, vocab: tuple[str, ...]) -> Text:
        source = Text(SOURCE_LABELS[src])
        if src in (2, 3):
            col = "title" if src == 2 else "required_skills"
            text = str(posts[col].iloc[j]) if col in posts else ""
            hit = next((w for w in vocab if w in text.lower()), "")
            if hit:
                return Text(N_("{source} '{text}' ('{word}')"), source=source, text=text, word=hit)
            return Text(N_("{source} '{text}'"), source=source, text=text)
        if src == 4:
            code = self.occupation[j]
            name = _occupation_names().get(code, "")
            if self.occupation_source[j] == "given":
                return Text(N_("occupation {code} {name} (given)"), code=code, name=name)
            return Text(N_("occupation {code} {name} (inferred from the title, confidence {confidence:.2f})"),
                        code=code, name=name, confidence=self.occupation_confidence[j])
        if src == 5:
            k = post_kind(posts["kind"].iloc[j])
            return Text(N_("every occupation of the kind {kind}"), kind=Label(k.code, k.zh))
        return source


def _pattern(vocab: tuple[str, ...]) -> re.Pattern[str]:
    neg = "".join(f"(?<!{n})" for n in words.NEGATIONS)
    return re.compile(neg + "(?:" + "|".join(re.escape(w) for w in sorted(vocab, key=len, reverse=True)) + ")")


@lru_cache(maxsize=1)
def _patterns() -> tuple[list[re.Pattern[str]], list[re.Pattern[str]], re.Pattern[str]]:
    hz = [_pattern(words.HAZARD_WORDS[h]) for h in HAZARDS]
    ct = [_pattern(words.CERTIFICATE_WORDS.get(c, ("\x00",))) for c in CERTIFICATES]
    return hz, ct, _pattern(words.NO_LICENCE_WORDS)


_CLASS = re.compile(r"(?<![a-z0-9])([abc][123])(?![0-9])")


def _text_matches(texts: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Hazards and certificates the words of each text reveal (by distinct text)."""
    hz, ct, no_licence = _patterns()
    codes, uniq = pd.factorize(texts.fillna("").astype(str).str.lower())
    h = np.zeros((len(uniq), len(HAZARDS)), bool)
    c = np.zeros((len(uniq), len(CERTIFICATES)), bool)
    exceptions = {CERTIFICATES.index(k): v for k, v in words.CERTIFICATE_EXCEPTIONS.items()}
    drive = HAZARDS.index("drives_vehicle")
    for u, text in enumerate(uniq):
        if not text:
            continue
        for k, p in enumerate(hz):
            h[u, k] = p.search(text) is not None
        for k, p in enumerate(ct):
            c[u, k] = p.search(text) is not None and not any(e in text for e in exceptions.get(k, ()))
        if h[u, drive] and not no_licence.search(text):
            c[u, CERTIFICATES.index(_driving_class(text))] = True
    return h[codes], c[codes]


def _driving_class(text: str) -> str:
    m = _CLASS.search(text)
    if m:
        return f"driving_{m.group(1)}"
    for cert, vocab in words.DRIVING_WORDS:
        if any(w in text for w in vocab):
            return cert
    return "driving_c2"


@lru_cache(maxsize=1)
def _occupation_names() -> dict[str, str]:
    from jhmatch.reference import load_occupations

    occ = load_occupations(level=None).drop_duplicates("code")
    return dict(zip(occ["code"], occ["name"], strict=True))


@lru_cache(maxsize=1)
def _abilities() -> pd.DataFrame:
    from jhmatch.reference import load_abilities

    return load_abilities()


@lru_cache(maxsize=4096)
def _occupation_facts(code: str) -> tuple[tuple[bool, ...], tuple[bool, ...]]:
    """Hazards and certificates of one CSCO occupation."""
    name = _occupation_names().get(code, "")
    h = np.zeros(len(HAZARDS), bool)
    c = np.zeros(len(CERTIFICATES), bool)
    if name and code[0] in "456":
        th, tc = _text_matches(pd.Series([name]))
        h |= th[0]
        c |= tc[0]
    for prefix, hazards in OCCUPATION_HAZARDS.items():
        if code.startswith(prefix):
            h[[HAZARDS.index(x) for x in hazards]] = True
    onet = onet_for_csco(code)
    if onet:
        abilities = _abilities()
        for hazard, (ability, low) in ONET_HAZARDS.items():
            if abilities.loc[list(onet), ability].mean() >= low:
                h[HAZARDS.index(hazard)] = True
    for prefix, certs in OCCUPATION_CERTIFICATES.items():
        if code.startswith(prefix):
            c[[CERTIFICATES.index(x) for x in certs]] = True
    return tuple(h.tolist()), tuple(c.tolist())


def _kind_facts(kind: str) -> tuple[np.ndarray, np.ndarray]:
    """What every occupation of a kind involves (the kind's prior)."""
    facts = [_occupation_facts(c) for c in post_kind(kind).csco]
    if not facts:
        return np.zeros(len(HAZARDS), bool), np.zeros(len(CERTIFICATES), bool)
    return np.logical_and.reduce([f[0] for f in facts]), np.logical_and.reduce([f[1] for f in facts])


def resolve_occupations(posts: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The CSCO code of each post: given, else inferred from its title when confident.

    Returns
    -------
    code, source, score : ndarray, shape (m,)
        Code (``None`` when unknown), ``"given"``/``"title"``/``None``, and the
        title-match score (1.0 for a given code).

    Examples
    --------
    >>> q = pd.DataFrame({"title": ["电工", "急招"], "occupation": [None, None]})
    >>> code, source, _ = resolve_occupations(q)
    >>> code.tolist(), source.tolist()
    (['6-31-01-03', None], ['title', None])
    """
    m = len(posts)
    code = np.full(m, None, dtype=object)
    source = np.full(m, None, dtype=object)
    score = np.full(m, np.nan)
    if "occupation" in posts:
        given = posts["occupation"].astype("object").to_numpy()
        has = np.array([isinstance(g, str) and bool(g) for g in given], bool)
        code[has], source[has], score[has] = given[has], "given", 1.0
    todo = np.flatnonzero(code == None)  # noqa: E711 - elementwise on an object array
    if todo.size and "title" in posts:
        from jhmatch.matching.titles import normalize_titles

        titles = posts["title"].iloc[todo].fillna("").astype(str)
        uniq, inverse = np.unique(titles.to_numpy(), return_inverse=True)
        matches = normalize_titles(list(uniq), k=1)
        best = matches.best.to_numpy(dtype=object, na_value=None)[inverse]
        confidence = matches.confidence.to_numpy(dtype=float, na_value=np.nan)[inverse]
        ok = np.array([b is not None for b in best]) & (np.nan_to_num(confidence) >= TITLE_CONFIDENCE)
        code[todo[ok]], source[todo[ok]], score[todo[ok]] = best[ok], "title", confidence[ok]
    return code, source, score


def post_facts(posts: pd.DataFrame) -> PostFacts:
    """Occupation, hazards and required certificates of a validated posts table.

    Examples
    --------
    >>> from jhmatch.data.schema import validate_posts
    >>> q = validate_posts(pd.DataFrame({"post_id": ["a", "b", "c"], "kind": ["企业一般岗位"] * 3,
    ...     "title": ["货车司机（B2）", "电话回访专员", "包装工"], "county": ["义乌"] * 3, "capacity": [1] * 3}))
    >>> f = post_facts(q)
    >>> [HAZARDS[k] for k in np.flatnonzero(f.hazards[0])], [CERTIFICATES[k] for k in np.flatnonzero(f.certificates[0])]
    (['drives_vehicle'], ['driving_b2'])
    >>> bool(f.hazards[1, HAZARDS.index("telephone")]), [HAZARDS[k] for k in np.flatnonzero(f.hazards[2])]
    (True, ['manual_work'])
    """
    m = len(posts)
    occ, occ_src, occ_score = resolve_occupations(posts)
    hz = np.zeros((m, len(HAZARDS)), bool)
    hz_src = np.zeros((m, len(HAZARDS)), np.int8)
    ct = np.zeros((m, len(CERTIFICATES)), bool)
    ct_src = np.zeros((m, len(CERTIFICATES)), np.int8)

    def add(mask_h: np.ndarray, mask_c: np.ndarray, src: int) -> None:
        new_h = mask_h & ~hz
        hz_src[new_h] = src
        hz[...] |= mask_h
        new_c = mask_c & ~ct
        ct_src[new_c] = src
        ct[...] |= mask_c

    # 1. the planner
    planner_h = _listed(posts, "hazards", HAZARDS) | _listed(posts, "essential_functions", HAZARDS)
    planner_c = _listed(posts, "required_certificates", CERTIFICATES)
    add(planner_h, planner_c, 1)
    set_h = _none(posts, "hazards")
    set_c = _none(posts, "required_certificates")
    # 2.-4. the post's words, its occupation, its kind; unless the planner said "no" (无)
    th, tc = _text_matches(posts["title"]) if "title" in posts else (np.zeros_like(hz), np.zeros_like(ct))
    sh, sc = _text_matches(posts["required_skills"]) if "required_skills" in posts else \
        (np.zeros_like(hz), np.zeros_like(ct))
    oh = np.zeros_like(hz)
    oc = np.zeros_like(ct)
    for j, code in enumerate(occ):
        if code is not None:
            f = _occupation_facts(code)
            oh[j], oc[j] = f
    kinds = posts["kind"].astype("object").to_numpy()
    kh = np.zeros_like(hz)
    kc = np.zeros_like(ct)
    for kind in pd.unique(kinds):
        rows = kinds == kind
        kh[rows], kc[rows] = _kind_facts(kind)
    # the post's own words overrule its occupation and kind: cancelling words; the licence class its vehicle words need
    text = (posts["title"].fillna("").astype(str) if "title" in posts else pd.Series([""] * m)) + " " + \
        (posts["required_skills"].fillna("").astype(str) if "required_skills" in posts else "")
    for hazard, vocab in words.CANCELS.items():
        cancel = text.str.contains("|".join(map(re.escape, vocab))).to_numpy()
        oh[cancel, HAZARDS.index(hazard)] = kh[cancel, HAZARDS.index(hazard)] = False
    driving = [k for k, c in enumerate(CERTIFICATES) if c.startswith("driving_")]
    named = (tc | sc)[:, driving].any(axis=1)
    for k in driving:
        oc[named, k] = kc[named, k] = False
    for mh, mc, src in ((th, tc, 2), (sh, sc, 3), (oh, oc, 4), (kh, kc, 5)):
        add(mh & ~set_h[:, None], mc & ~set_c[:, None], src)
    _drop_covered(ct, ct_src)
    relieved = np.zeros_like(hz)
    if "accommodations" in posts:
        acc = posts["accommodations"].astype("object").fillna("").astype(str)
        for name, relief in HAZARD_RELIEF.items():
            has = acc.str.contains(name, regex=False).to_numpy()
            for hazard in relief:
                relieved[:, HAZARDS.index(hazard)] |= has
    relieved &= hz
    return PostFacts(occ, occ_src, occ_score, hz, hz_src, relieved, ct, ct_src)


_LAST: dict[str, tuple[weakref.ref[pd.DataFrame], PostFacts]] = {}
_LOCK = threading.Lock()


def cached_post_facts(posts: pd.DataFrame) -> PostFacts:
    """:func:`post_facts` of ``posts``, computed once per table object.

    The functional and certificate components both need a posts table's facts; the
    last table's facts are kept (weakly) so that title inference runs once per scoring.
    """
    with _LOCK:
        hit = _LAST.get("posts")
        if hit is not None and hit[0]() is posts:
            return hit[1]
    facts = post_facts(posts)
    with _LOCK:
        _LAST["posts"] = (weakref.ref(posts), facts)
    return facts


def _drop_covered(ct: np.ndarray, ct_src: np.ndarray) -> None:
    """Keep only the most demanding driving class a post requires (B2 makes C1 and C2 redundant)."""
    certs = [Certificate(c) for c in CERTIFICATES]
    for a, ca in enumerate(certs):
        for b, cb in enumerate(certs):
            if a != b and ca.covers(cb):
                redundant = ct[:, a] & ct[:, b]
                ct[redundant, b] = False
                ct_src[redundant, b] = 0


def _none(posts: pd.DataFrame, column: str) -> np.ndarray:
    """Rows where the planner stated there are none (``no``, written 无 or no)."""
    if column not in posts:
        return np.zeros(len(posts), bool)
    return (posts[column].astype("object").fillna("").astype(str) == "no").to_numpy()


def _listed(posts: pd.DataFrame, column: str, vocab: tuple[str, ...]) -> np.ndarray:
    out = np.zeros((len(posts), len(vocab)), bool)
    if column not in posts:
        return out
    codes, uniq = pd.factorize(posts[column].astype("object").fillna("").astype(str))
    table = np.array([[c in cell.split(";") for c in vocab] for cell in uniq], bool).reshape(len(uniq), len(vocab))
    return table[codes] if len(uniq) else out
