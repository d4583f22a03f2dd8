"""What a course changes: every (person, course, post) whose pair a course makes possible or raises.

:func:`~jhmatch.training.unlock.course_unlocks` answers the licence question (a post
that requires 电工证 excludes everyone without it). A course also teaches skills
(``grants_skills``), and the skills component of the scorer
(:class:`~jhmatch.matching.skills.SkillsComponent`) compares a person's skills with a
post's ``required_skills``: a course that teaches what a post asks for raises that
pair's score. :func:`course_effects` gives both, with the scorer deciding:

* the (person, course) pairs looked at are those where the course is accessible to
  the person's disability category and either grants a certificate the person lacks
  and some post requires, or teaches a skill the person does not list (while some
  post asks for skills);
* a copy of each such person holds the course's certificates and lists its skills
  after their own (:func:`trained_persons`); the copies and the persons as they are
  are scored against the posts by the same scorer with every candidate pair kept;
* the copies are scored against every post (the skills vocabulary and its weights are
  fitted on all the posts, so scoring a subset would change the scores); of their pairs
  only those the course changes are kept:
* a (person, course, post) is kept when the pair was impossible before (not a
  candidate) and is a candidate after, or its score rises by at least ``min_gain``.

Training adds to what a person can do. The skills component is a cosine, so a longer
skills list scores a little *lower* against posts that ask only for the person's
other skills; a course never makes a pair worse here: a trained person's score on a
pair is the higher of before and after (:func:`trained_scores`). No Python loop runs
over person × post pairs (loops run over courses and skill words only).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp

from jhmatch.data.valid import ensure_valid
from jhmatch.matching import CompatibilityScorer
from jhmatch.matching.certificates import held_certificates
from jhmatch.matching.post_facts import CERTIFICATES, post_facts
from jhmatch.matching.score_matrix import ScoreMatrix
from jhmatch.training.courses import COURSES
from jhmatch.training.unlock import _union, accessible_courses

__all__ = ["EFFECT_COLUMNS", "CourseEffects", "course_effects", "full_scorer", "skill_words", "trained_persons",
           "trained_scores"]

EFFECT_COLUMNS = ("person_id", "course_id", "post_id", "score_before", "score_after", "impossible_before",
                  "certificates")
"""Columns of :attr:`CourseEffects.table`."""

_WORDS = re.compile(r"[\s;,，、；/|]+")


def skill_words(text: object) -> list[str]:
    """The words of a free-text skills cell (split on spaces and list separators).

    Examples
    --------
    >>> skill_words("叉车驾驶 装卸、仓储")
    ['叉车驾驶', '装卸', '仓储']
    """
    return [w for w in _WORDS.split("" if text is None or text != text else str(text)) if w]


def full_scorer(scorer: CompatibilityScorer | None = None, as_of: object = "2025-12-31") -> CompatibilityScorer:
    """A copy of ``scorer`` (default ``CompatibilityScorer(as_of=as_of)``) keeping every candidate pair.

    Examples
    --------
    >>> full_scorer(CompatibilityScorer(top_k=5)).top_k is None
    True
    """
    out = copy.copy(scorer) if scorer is not None else CompatibilityScorer(as_of=as_of)
    out.top_k, out.top_k_persons = None, None
    return out


def trained_persons(persons: pd.DataFrame, courses: pd.DataFrame, person_at: np.ndarray,
                    course_at: np.ndarray) -> pd.DataFrame:
    """Rows ``person_at`` of ``persons``, each holding the certificates and listing the skills of its course.

    Parameters
    ----------
    persons, courses : DataFrame
        Validated tables.
    person_at, course_at : array of int
        Row positions, one (person, course) per output row.

    Examples
    --------
    >>> p = pd.DataFrame({"person_id": ["a"], "certificates": ["driving_c1"], "skills": ["打字"]})
    >>> c = pd.DataFrame({"grants_certificates": ["forklift"], "grants_skills": ["叉车驾驶 装卸"]})
    >>> trained_persons(p, c, np.array([0]), np.array([0]))[["certificates", "skills"]].values.tolist()
    [['driving_c1;forklift', '打字;叉车驾驶;装卸']]
    """
    out = persons.iloc[person_at].reset_index(drop=True)
    grants = courses["grants_certificates"].iloc[course_at].reset_index(drop=True)
    held = out["certificates"] if "certificates" in out else pd.Series([""] * len(out))
    out["certificates"] = _union(held.reset_index(drop=True), grants)
    taught = courses["grants_skills"].astype("object").fillna("").iloc[course_at].reset_index(drop=True)
    own = (out["skills"] if "skills" in out else pd.Series([""] * len(out))).astype("object").fillna("").astype(str)
    key = own + "\x1f" + taught.astype(str)
    codes, uniq = pd.factorize(key)
    joined = np.array([";".join(dict.fromkeys(skill_words(a) + skill_words(b))) for a, b in
                       (k.split("\x1f") for k in uniq)], dtype=object)
    out["skills"] = joined[codes] if len(uniq) else np.empty(0, dtype=object)
    out.attrs = dict(persons.attrs)
    return out


def trained_scores(before: ScoreMatrix, after: ScoreMatrix) -> ScoreMatrix:
    """``before`` with every pair of ``after``'s persons at the higher of its two scores (a course never hurts).

    ``after`` holds rows for some persons of ``before`` (same post ids); pairs only
    ``after`` has are added, pairs only ``before`` has are kept.

    Examples
    --------
    >>> b = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a", "b"], "post_id": ["x", "x"],
    ...                                          "score": [0.5, 0.4]}), post_ids=["x", "y"])
    >>> a = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a", "a"], "post_id": ["x", "y"],
    ...                                          "score": [0.45, 0.7]}), post_ids=["x", "y"])
    >>> trained_scores(b, a).to_frame().values.tolist()
    [['a', 'x', 0.5], ['a', 'y', 0.7], ['b', 'x', 0.4]]
    """
    rows = pd.Index(before.person_ids).get_indexer(after.person_ids)
    cols = pd.Index(before.post_ids).get_indexer(after.post_ids)
    r, c, v = after.pairs()
    add = sp.csr_array((v, (rows[r], cols[c])), shape=before.shape)
    merged = before.scores.maximum(add)
    return ScoreMatrix(sp.csr_array(merged), before.person_ids, before.post_ids)


@dataclass(frozen=True)
class CourseEffects:
    """Pairs each (person, course) makes possible or raises.

    Attributes
    ----------
    table : DataFrame
        One row per (person, course, post) the course changes, sorted by person,
        course, post: ``score_before`` (0 when the pair was impossible),
        ``score_after``, ``impossible_before`` and ``certificates`` (the ``;``-joined
        certificates the course grants that the post requires and the person lacked;
        empty for a skills-only gain).
    pairs_considered : int
        (person, course) pairs scored counterfactually.
    """

    table: pd.DataFrame
    pairs_considered: int = field(default=0)

    def __len__(self) -> int:
        return len(self.table)

    @property
    def options(self) -> pd.DataFrame:
        """The (person, course) pairs with at least one changed post, with their count of posts unlocked and raised.

        Examples
        --------
        >>> t = pd.DataFrame({"person_id": ["a", "a"], "course_id": ["c", "c"], "post_id": ["x", "y"],
        ...                   "score_before": [0.0, 0.3], "score_after": [0.6, 0.5], "impossible_before": [True, False],
        ...                   "certificates": ["forklift", ""]})
        >>> CourseEffects(t).options.to_dict("records")
        [{'person_id': 'a', 'course_id': 'c', 'unlocked': 1, 'raised': 1}]
        """
        g = self.table.groupby(["person_id", "course_id"], sort=True)["impossible_before"]
        out = pd.DataFrame({"unlocked": g.sum().astype(int), "raised": (g.size() - g.sum()).astype(int)})
        return out.reset_index()


def _empty() -> pd.DataFrame:
    dtypes = {"score_before": "float64", "score_after": "float64", "impossible_before": "bool"}
    return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, "object")) for c in EFFECT_COLUMNS})


def _lacks_taught(persons: pd.DataFrame, courses: pd.DataFrame) -> np.ndarray:
    """(n, k) bool: the course teaches a skill word the person's skills do not contain (a loop over courses)."""
    own = (persons["skills"] if "skills" in persons else pd.Series([""] * len(persons))).astype("object")
    own = own.fillna("").astype(str)
    out = np.zeros((len(persons), len(courses)), bool)
    for j, text in enumerate(courses["grants_skills"].astype("object").fillna("").astype(str)):
        for word in skill_words(text):
            out[:, j] |= ~own.str.contains(word, regex=False).to_numpy(dtype=bool)
    return out


def course_effects(persons: pd.DataFrame, posts: pd.DataFrame, courses: pd.DataFrame,
                   scorer: CompatibilityScorer | None = None, *, min_gain: float = 0.01,
                   before: ScoreMatrix | None = None) -> CourseEffects:
    """For each (person, course), the posts the course makes possible or whose score it raises.

    Parameters
    ----------
    persons, posts : DataFrame
        Raw or validated persons and posts tables.
    courses : DataFrame
        Raw or validated courses table.
    scorer : CompatibilityScorer, optional
        The scorer whose rules decide (default ``CompatibilityScorer(as_of="2025-12-31")``);
        a copy keeps every candidate pair.
    min_gain : float, default 0.01
        Smallest rise of a pair's score counted as a change (unlocked pairs always count).
    before : ScoreMatrix, optional
        The persons' scores as they are, by the same scorer with every pair kept, when the
        caller has them (else they are scored here).

    Returns
    -------
    CourseEffects

    Examples
    --------
    >>> persons = pd.DataFrame({"person_id": ["p1"], "category": ["hearing"], "grade": [3], "county": ["义乌"]})
    >>> posts = pd.DataFrame({"post_id": ["q1", "q2"], "kind": ["企业一般岗位"] * 2, "title": ["叉车司机", "包装工"],
    ...                       "county": ["义乌"] * 2, "capacity": [2, 2], "required_skills": ["", "打包 装卸"]})
    >>> courses = pd.DataFrame({"course_id": ["k1"], "name": ["叉车司机"], "grants_certificates": ["叉车证"],
    ...                         "grants_skills": ["叉车驾驶 装卸"]})
    >>> t = course_effects(persons, posts, courses, CompatibilityScorer(as_of="2025-01-01")).table
    >>> t[["post_id", "impossible_before", "certificates"]].values.tolist()
    [['q1', True, 'forklift'], ['q2', False, '']]
    >>> bool((t["score_after"] > t["score_before"]).all())
    True
    """
    persons = ensure_valid(persons, "persons")
    posts = ensure_valid(posts, "posts")
    courses = courses if COURSES.is_canonical(courses) else COURSES.validate(courses)
    if not len(persons) or not len(posts) or not len(courses):
        return CourseEffects(_empty())
    held = held_certificates(persons)
    grants = held_certificates(courses.rename(columns={"grants_certificates": "certificates"})[["certificates"]])
    required = post_facts(posts).certificates
    lacking = (~held & required.any(axis=0)[None, :]).astype(np.int32)
    by_licence = (lacking @ grants.T.astype(np.int32)) > 0
    asks = bool((posts["required_skills"].astype("object").fillna("").astype(str).str.strip() != "").any()) \
        if "required_skills" in posts else False
    by_skill = _lacks_taught(persons, courses) if asks else np.zeros_like(by_licence)
    useful = (by_licence | by_skill) & accessible_courses(persons, courses)
    pi, ci = np.nonzero(useful)
    if not pi.size:
        return CourseEffects(_empty())
    scorer = full_scorer(scorer)
    if before is None:
        before_rows = persons.iloc[np.unique(pi)].reset_index(drop=True)
        before_rows.attrs = dict(persons.attrs)
        before = scorer.score(before_rows, posts)
    after_rows = trained_persons(persons, courses, pi, ci)
    pseudo = np.array([f"__course_{k}" for k in range(pi.size)], dtype=object)
    after_rows["person_id"] = pseudo
    after = scorer.score(after_rows, posts)
    # integer work over the after pairs (millions on a large city); ids only for the rows kept
    r, c, score_after = after.pairs()
    k = pd.Index(pseudo).get_indexer(after.person_ids)[r]              # (person, course) pair of each row
    post_at = pd.Index(posts["post_id"].astype(object)).get_indexer(after.post_ids)[c]
    brow = pd.Index(before.person_ids).get_indexer(persons["person_id"].astype(object))[pi[k]]
    bcol = pd.Index(before.post_ids).get_indexer(after.post_ids)[c]
    rb, cb, vb = before.pairs()
    m = max(before.shape[1], 1)
    key_b = rb.astype(np.int64) * m + cb                                 # row-major: sorted
    key = np.where(brow >= 0, brow.astype(np.int64) * m + bcol, -1)
    at = np.minimum(np.searchsorted(key_b, key), max(key_b.size - 1, 0))
    found = (key >= 0) & (key_b.size > 0) & (key_b[at] == key) if key_b.size else np.zeros(key.size, bool)
    score_before = np.where(found, vb[at] if key_b.size else 0.0, 0.0).astype(np.float64)
    score_after = score_after.astype(np.float64)
    keep = ~found | (score_after - score_before >= min_gain)
    k, post_at = k[keep], post_at[keep]
    gained = required[post_at] & grants[ci[k]] & ~held[pi[k]]
    bits = gained.astype(np.int64) @ (np.int64(1) << np.arange(len(CERTIFICATES), dtype=np.int64))
    codes, uniq = pd.factorize(bits)
    labels = np.array([";".join(c for b, c in enumerate(CERTIFICATES) if (int(u) >> b) & 1) for u in uniq],
                      dtype=object)
    table = pd.DataFrame({
        "person_id": persons["person_id"].to_numpy(dtype=object)[pi[k]],
        "course_id": courses["course_id"].to_numpy(dtype=object)[ci[k]],
        "post_id": posts["post_id"].to_numpy(dtype=object)[post_at],
        "score_before": score_before[keep], "score_after": score_after[keep], "impossible_before": ~found[keep],
        "certificates": labels[codes] if len(uniq) else np.empty(0, dtype=object)})
    table = table.sort_values(["person_id", "course_id", "post_id"], kind="stable")
    return CourseEffects(table.reset_index(drop=True), int(pi.size))
