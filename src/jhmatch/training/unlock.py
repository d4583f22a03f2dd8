"""What a course unlocks: the posts a person becomes a candidate for once a course's certificates are held.

A post that requires a licence (电工证, 叉车证, a driving class …) excludes every person
without it (:class:`~jhmatch.matching.certificates.CertificateComponent`). A course
that grants the licence can lift that exclusion, but only that one: the hazard and
functional rules still apply, so a driving course never makes a blind person a
candidate for a driving post.

The answer is counterfactual, computed with the scorer itself: every (person, course)
pair that could matter (the course is accessible to the person's category, grants a
certificate the person lacks and some post requires) becomes a copy of the person's
row holding the course's certificates as well; the copies and the persons as they are
are scored against all posts with :class:`~jhmatch.matching.CompatibilityScorer`
(every candidate pair kept), and a post is *unlocked* when it is a candidate after and
was not before, and requires a certificate the course grants. No Python loop runs over
person × post pairs. Skills a course teaches are not added to the person in this
version (only its certificates unlock posts).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from jhmatch.data.valid import ensure_valid
from jhmatch.matching import CompatibilityScorer
from jhmatch.matching.certificates import held_certificates
from jhmatch.matching.post_facts import CERTIFICATES, post_facts
from jhmatch.taxonomy import DisabilityCategory
from jhmatch.training.courses import COURSES

__all__ = ["CourseUnlocks", "accessible_courses", "course_unlocks"]

_COLUMNS = ("person_id", "course_id", "post_id", "score_after", "certificates")


@dataclass(frozen=True)
class CourseUnlocks:
    """Posts each (person, course) pair unlocks.

    Attributes
    ----------
    table : DataFrame
        One row per unlocked (person, course, post): ``person_id``, ``course_id``,
        ``post_id``, ``score_after`` (the pair's compatibility once the course's
        certificates are held; before, the pair was excluded, so this is also the
        gain) and ``certificates`` (the ``;``-joined codes the course grants that the
        post requires and the person lacked). Sorted by person, course, post.
    pairs_considered : int
        (person, course) pairs scored counterfactually.
    """

    table: pd.DataFrame
    pairs_considered: int = field(default=0)

    def __len__(self) -> int:
        return len(self.table)

    def by_course(self) -> pd.DataFrame:
        """Per course: persons with at least one unlocked post, distinct posts unlocked, and pairs.

        Examples
        --------
        >>> t = pd.DataFrame({"person_id": ["a", "a", "b"], "course_id": ["c"] * 3, "post_id": ["q", "r", "q"],
        ...                   "score_after": [0.5, 0.6, 0.7], "certificates": ["forklift"] * 3})
        >>> CourseUnlocks(t).by_course().to_dict("records")
        [{'course_id': 'c', 'persons': 2, 'posts': 2, 'pairs': 3}]
        """
        g = self.table.groupby("course_id", sort=True)
        return pd.DataFrame({"persons": g["person_id"].nunique(), "posts": g["post_id"].nunique(),
                             "pairs": g.size()}).reset_index()


def accessible_courses(persons: pd.DataFrame, courses: pd.DataFrame) -> np.ndarray:
    """Which course each person may take, by disability category (empty list: every category).

    Returns
    -------
    ndarray of bool, shape (n persons, n courses)

    Examples
    --------
    >>> p = pd.DataFrame({"category": ["visual", "physical"]})
    >>> c = pd.DataFrame({"accessible_categories": ["visual", ""]})
    >>> accessible_courses(p, c).tolist()
    [[True, True], [False, True]]
    """
    cats = [c.value for c in DisabilityCategory]
    person_cat = pd.Categorical(persons["category"].astype("object"), categories=cats).codes
    allowed = courses["accessible_categories"].astype("object").fillna("").astype(str)
    table = np.array([[c in cell.split(";") for c in cats] for cell in allowed], bool).reshape(len(courses), len(cats))
    every = (allowed == "").to_numpy()
    onehot = np.zeros((len(persons), len(cats)), bool)
    known = person_cat >= 0
    onehot[np.flatnonzero(known), person_cat[known]] = True
    return ((onehot.astype(np.int32) @ table.T.astype(np.int32)) > 0) | every[None, :]


def _union(held: pd.Series, granted: pd.Series) -> np.ndarray:
    """Per row, the ``;``-joined sorted union of two certificate cells (once per distinct pair)."""
    key = held.fillna("").astype(str) + "|" + granted.fillna("").astype(str)
    codes, uniq = pd.factorize(key)
    joined = np.array([";".join(sorted({x for x in k.replace("|", ";").split(";") if x and x != "no"}))
                       for k in uniq], dtype=object)
    return joined[codes] if len(uniq) else np.empty(0, dtype=object)


def course_unlocks(persons: pd.DataFrame, posts: pd.DataFrame, courses: pd.DataFrame,
                   scorer: CompatibilityScorer | None = None) -> CourseUnlocks:
    """For each (person, course), the posts that become candidates once the course's certificates are held.

    Parameters
    ----------
    persons, posts : DataFrame
        Raw or validated persons and posts tables.
    courses : DataFrame
        Raw or validated courses table (:func:`~jhmatch.training.courses.validate_courses`).
    scorer : CompatibilityScorer, optional
        The scorer whose rules decide candidacy (default ``CompatibilityScorer()``);
        a copy is used with every candidate pair kept (``top_k=None``).

    Returns
    -------
    CourseUnlocks

    Examples
    --------
    >>> persons = pd.DataFrame({"person_id": ["p1", "p2"], "category": ["hearing", "visual"], "grade": [3, 1],
    ...                         "county": ["义乌", "义乌"]})
    >>> posts = pd.DataFrame({"post_id": ["q1", "q2"], "kind": ["企业一般岗位"] * 2, "title": ["叉车司机", "包装工"],
    ...                       "county": ["义乌"] * 2, "capacity": [2, 2]})
    >>> courses = pd.DataFrame({"course_id": ["k1"], "name": ["叉车司机培训"], "grants_certificates": ["叉车证"]})
    >>> out = course_unlocks(persons, posts, courses, CompatibilityScorer(as_of="2025-01-01"))
    >>> out.table[["person_id", "course_id", "post_id", "certificates"]].values.tolist()
    [['p1', 'k1', 'q1', 'forklift']]
    """
    persons = ensure_valid(persons, "persons")
    posts = ensure_valid(posts, "posts")
    courses = courses if COURSES.is_canonical(courses) else COURSES.validate(courses)
    empty = CourseUnlocks(pd.DataFrame({c: pd.Series(dtype="float64" if c == "score_after" else "object")
                                        for c in _COLUMNS}))
    if not len(persons) or not len(posts) or not len(courses):
        return empty
    held = held_certificates(persons)                                      # (n, K)
    grants = held_certificates(courses.rename(columns={"grants_certificates": "certificates"})[["certificates"]])
    required = post_facts(posts).certificates                              # (m, K)
    lacking = (~held & required.any(axis=0)[None, :]).astype(np.int32)     # what some post requires, not held
    useful = ((lacking @ grants.T.astype(np.int32)) > 0) & accessible_courses(persons, courses)
    pi, ci = np.nonzero(useful)
    if not pi.size:
        return empty
    # the persons concerned as they are, and one copy per (person, course) holding the course's certificates
    who = np.unique(pi)
    before_rows = persons.iloc[who].reset_index(drop=True)
    after_rows = persons.iloc[pi].reset_index(drop=True)
    pseudo = np.array([f"__course_{k}" for k in range(pi.size)], dtype=object)
    after_rows["person_id"] = pseudo
    after_rows["certificates"] = _union(persons["certificates"].iloc[pi].reset_index(drop=True),
                                        courses["grants_certificates"].iloc[ci].reset_index(drop=True))
    for frame in (before_rows, after_rows):
        frame.attrs = dict(persons.attrs)
    scorer = copy.copy(scorer) if scorer is not None else CompatibilityScorer()
    scorer.top_k, scorer.top_k_persons = None, None
    before = scorer.score(before_rows, posts).to_frame()
    after = scorer.score(after_rows, posts).to_frame()
    k = pd.Index(pseudo).get_indexer(after["person_id"])
    after = pd.DataFrame({"person_id": persons["person_id"].to_numpy()[pi[k]],
                          "course_id": courses["course_id"].to_numpy()[ci[k]], "post_id": after["post_id"].to_numpy(),
                          "score_after": after["score"].to_numpy(np.float64), "_pair": k})
    merged = after.merge(before[["person_id", "post_id"]], on=["person_id", "post_id"], how="left", indicator=True)
    new = merged[merged["_merge"] == "left_only"].reset_index(drop=True)
    # the course must grant a certificate the post requires and the person lacked
    post_at = pd.Index(posts["post_id"].astype("object")).get_indexer(new["post_id"])
    pair = new["_pair"].to_numpy()
    gained = required[post_at] & grants[ci[pair]] & ~held[pi[pair]]
    keep = gained.any(axis=1)
    new, gained = new[keep].reset_index(drop=True), gained[keep]
    bits = gained.astype(np.int64) @ (np.int64(1) << np.arange(len(CERTIFICATES), dtype=np.int64))
    codes, uniq = pd.factorize(bits)  # one label per distinct set of certificates
    labels = np.array([";".join(c for k, c in enumerate(CERTIFICATES) if (int(u) >> k) & 1) for u in uniq], dtype=object)
    new["certificates"] = labels[codes] if len(uniq) else np.empty(0, dtype=object)
    table = new[list(_COLUMNS)].sort_values(["person_id", "course_id", "post_id"], kind="stable")
    return CourseUnlocks(table.reset_index(drop=True), int(pi.size))
