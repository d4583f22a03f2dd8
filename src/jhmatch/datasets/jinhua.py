"""A seeded synthetic Jinhua: persons, posts, employers and households.

:func:`make_jinhua` builds a realistic synthetic city whose four tables pass
:func:`jhmatch.data.schema.validate_persons` (and ``_posts``, ``_employers``,
``_households``) unchanged: canonical columns, canonical values and dtypes. It is
fully vectorised (``numpy.random.default_rng(seed)``; loops run over counties,
categories and post kinds, never over rows), so it scales from 100 to 1,000,000
persons; ``benchmarks/bench_datasets.py`` measures it.

Which numbers are sourced and which are assumptions
---------------------------------------------------
SOURCED (see :mod:`jhmatch.datasets.constants` for the sources): the county shares
(resident population end-2024), the category shares (2006 national sample survey
on disability), the severe share of grades (29.6 %, CDPF end-2010), the male share
(51.55 %, 2006 survey), working age 16–60 men / 16–55 women (a PARAM default of
``domain.md``), the 1.5 % quota and ≥ 25 % concentrated-employment thresholds, the
Zhejiang minimum wages, and the structure of ID and certificate numbers (GB 11643;
certificate = ID + category digit + grade digit).

ASSUMPTION (named constants in :mod:`jhmatch.datasets._persons`,
:mod:`jhmatch.datasets._person_details`, :mod:`jhmatch.datasets._posts`,
:mod:`jhmatch.datasets._jobs` and :mod:`jhmatch.datasets.constants`): the split of
grades within severe / non-severe, the age profile (6 % past retirement age), the
education mix (intellectual disabilities at most junior secondary), 1.2 % graduating
students, 85 % willing, 15 % employed, 70 % accepting remote work, rural shares (62 %
in mountain counties, 42 % elsewhere), 7 % of persons sharing a household with
another listed person, dibao shares (13 % rural / 7 % urban households, ×1.6 with a
severe head) and 10 % more in difficulty, the limbs affected, the preference
affinities of each category for each post kind, the skill draws (terms of jobs of
the preferred kind that the person's disability does not rule out, else any
occupation of CSCO major groups 4–6), certificates at low rates where the law
allows them (no driving licence with a visual disability), recorded details
(``wheelchair``, ``residual_vision``, ``hearing_aid``, ``sign_language``,
``literate``) for part of the persons, the post-kind mix, the job catalogue (titles
such as 货车司机, 外卖骑手, 仓库拣货员, 流水线普工, 电工, 厨师, 保安, 办公室文员, 电话客服,
在线客服（文字） with their wages), the CSCO code filled for 40 % of posts, the
planner's hazard marks on 25 % and the certificates on 60 % of the posts that need
one, capacities, minimum education, accommodations, age limits, the employer mix
(12 % public units, 82 % enterprises, 6 % concentrated-employment units), staff
sizes, disabled-staff ratios (40 % none, 35 % under quota, 25 % over) and wages, and
the county bounding boxes.

No capacity assessments or demand analyses are written: the ``cap_*`` and ``dem_*``
columns are present (the schema has them) but empty, so no column carries numbers
of the hidden outcome model (:mod:`jhmatch.datasets.outcomes`). The new columns of
issue 12 (persons' ``certificates`` and recorded details, posts' ``hazards`` and
``required_certificates``) hold the vocabulary codes and ``true`` / ``false`` as
plain strings, missing (``None``) when not recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from jhmatch.datasets._persons import make_persons
from jhmatch.datasets._posts import make_employers, make_posts
from jhmatch.datasets.constants import CATEGORY_SHARES, GRADE_SHARES, KIND_SHARES, normalized
from jhmatch.errors import ParameterError
from jhmatch.taxonomy import REGIONS, DisabilityCategory, post_kinds

__all__ = ["Scenario", "make_jinhua"]


@dataclass(frozen=True, repr=False)
class Scenario:
    """A synthetic city: four canonical tables and how they were made.

    Attributes
    ----------
    persons : DataFrame
        Job seekers (schema :data:`jhmatch.data.schema.PERSONS`).
    posts : DataFrame
        Posts of every kind (schema :data:`jhmatch.data.schema.POSTS`).
    employers : DataFrame
        Employers (schema :data:`jhmatch.data.schema.EMPLOYERS`).
    households : DataFrame
        Households of the persons (schema :data:`jhmatch.data.schema.HOUSEHOLDS`).
    seed : int
        The seed that reproduces the scenario.
    as_of : Timestamp
        Reference date for ages.
    courses : DataFrame or None
        A synthetic course catalogue (:func:`jhmatch.datasets._courses.make_courses`)
        when ``make_jinhua(courses=...)`` asked for one, else ``None``.

    Examples
    --------
    >>> s = make_jinhua(n_persons=200, seed=1)
    >>> s
    Scenario(seed=1, as_of=2025-01-01, persons=200, posts=60, employers=20, households=186)
    """

    persons: pd.DataFrame
    posts: pd.DataFrame
    employers: pd.DataFrame
    households: pd.DataFrame
    seed: int
    as_of: pd.Timestamp
    courses: pd.DataFrame | None = None

    def __repr__(self) -> str:  # never prints the tables (they hold ID numbers)
        extra = "" if self.courses is None else f", courses={len(self.courses)}"
        return (f"Scenario(seed={self.seed}, as_of={self.as_of.date()}, persons={len(self.persons)}, "
                f"posts={len(self.posts)}, employers={len(self.employers)}, households={len(self.households)}{extra})")

    def tables(self) -> dict[str, pd.DataFrame]:
        """The four tables by name (``persons``, ``posts``, ``employers``, ``households``), and ``courses`` if made.

        Examples
        --------
        >>> sorted(make_jinhua(n_persons=100, seed=0).tables())
        ['employers', 'households', 'persons', 'posts']
        """
        tables = {"persons": self.persons, "posts": self.posts, "employers": self.employers,
                  "households": self.households}
        return tables if self.courses is None else {**tables, "courses": self.courses}

    def write(self, folder: str | Path, format: str = "csv") -> dict[str, Path]:
        """Write the four tables to ``folder`` (``persons.csv``, ``posts.csv``, ...).

        The synthetic identity and certificate numbers are written unmasked so that
        the files validate again when read back (:func:`jhmatch.data.io.write_table`
        with ``raw_ids=True``); each file is written atomically.

        Parameters
        ----------
        folder : path-like
            Created when missing.
        format : {"csv", "xlsx", "parquet"}
            File format.

        Examples
        --------
        >>> import tempfile
        >>> paths = make_jinhua(n_persons=100, seed=0).write(tempfile.mkdtemp())
        >>> sorted(p.name for p in paths.values())
        ['employers.csv', 'households.csv', 'persons.csv', 'posts.csv']
        """
        from jhmatch.data.io import write_table

        if format not in ("csv", "xlsx", "parquet"):
            raise ParameterError("format must be 'csv', 'xlsx' or 'parquet'")
        out = Path(folder)
        return {name: write_table(frame, out / f"{name}.{format}", raw_ids=True)
                for name, frame in self.tables().items()}


def make_jinhua(n_persons: int = 2000, n_posts: int | None = None, n_employers: int | None = None,
                seed: int = 0, *, as_of: str | pd.Timestamp = "2025-01-01",
                category_shares: dict[str, float] | None = None, grade_shares: dict[int, float] | None = None,
                kind_shares: dict[str, float] | None = None, id_share: float = 0.3,
                coordinates: bool = True, validate: bool = False, courses: bool | int = False) -> Scenario:
    """Build a synthetic Jinhua scenario.

    Parameters
    ----------
    n_persons : int, default 2000
        Job seekers (1 … 10,000,000).
    n_posts : int, optional
        Posts; default ``max(number of kinds, 0.3 × n_persons)`` (capacities average
        about 2.8, so about 0.85 openings per person). At least one post of every kind is made,
        so it must be at least ``len(post_kinds())``.
    n_employers : int, optional
        Employers; default ``max(3, n_posts // 3)``; at least 3 (one public unit, one
        enterprise, one concentrated-employment unit).
    seed : int, default 0
        Seed of ``numpy.random.default_rng``; the same seed gives identical tables.
    as_of : date-like, default "2025-01-01"
        Reference date for ages.
    category_shares, grade_shares, kind_shares : dict, optional
        Override the documented shares (:data:`~jhmatch.datasets.constants.CATEGORY_SHARES`,
        :data:`~jhmatch.datasets.constants.GRADE_SHARES`,
        :data:`~jhmatch.datasets.constants.KIND_SHARES`); normalised to sum 1.
    id_share : float, default 0.3
        Share of persons given a synthetic resident ID and certificate number (valid
        check character, the county's address code, category and grade digits).
    coordinates : bool, default True
        Give persons and posts a latitude/longitude inside their county's rough box.
    validate : bool, default False
        Also run the four ``validate_*`` functions (the tables are built canonical,
        so this only costs time; the tests check it).
    courses : bool or int, default False
        Also make a synthetic course catalogue (:attr:`Scenario.courses`): ``True`` for
        :func:`~jhmatch.datasets._courses.default_course_count` courses, or a number. It
        has its own random stream: the four tables are the same with or without it.

    Returns
    -------
    Scenario

    Raises
    ------
    ParameterError
        For sizes out of range or invalid shares.

    Examples
    --------
    >>> s = make_jinhua(n_persons=500, seed=7)
    >>> len(s.persons), s.posts["kind"].nunique() == len(post_kinds())
    (500, True)
    >>> bool((s.employers["disabled_staff"] <= s.employers["staff"]).all())
    True
    """
    kinds = post_kinds()
    n_kinds = len(kinds)
    if not isinstance(n_persons, (int, np.integer)) or not 1 <= n_persons <= 10_000_000:
        raise ParameterError(f"n_persons must be an integer between 1 and 10,000,000, got {n_persons!r}")
    n_posts = int(max(n_kinds, round(0.3 * n_persons))) if n_posts is None else n_posts
    if not isinstance(n_posts, (int, np.integer)) or n_posts < n_kinds:
        raise ParameterError(f"n_posts must be an integer ≥ {n_kinds} (one post of every kind), got {n_posts!r}")
    n_employers = max(3, n_posts // 3) if n_employers is None else n_employers
    if not isinstance(n_employers, (int, np.integer)) or n_employers < 3:
        raise ParameterError(f"n_employers must be an integer ≥ 3, got {n_employers!r}")
    if not 0.0 <= float(id_share) <= 1.0:
        raise ParameterError(f"id_share must be between 0 and 1, got {id_share!r}")
    cats = [c.value for c in DisabilityCategory]
    cat_shares = category_shares if category_shares is not None else CATEGORY_SHARES
    unknown = set(cat_shares) - set(cats)
    if unknown:
        raise ParameterError(f"category_shares has unknown categories {sorted(unknown)}; expected {cats}")
    grade_sh = grade_shares if grade_shares is not None else GRADE_SHARES
    if set(grade_sh) - {1, 2, 3, 4}:
        raise ParameterError(f"grade_shares keys must be 1-4, got {sorted(grade_sh)}")
    kind_sh = kind_shares if kind_shares is not None else KIND_SHARES
    codes = [k.code for k in kinds]
    if set(kind_sh) - set(codes):
        raise ParameterError(f"kind_shares has unknown kinds {sorted(set(kind_sh) - set(codes))}")
    kind_p = normalized({c: kind_sh.get(c, 0.02 if kind_shares is None else 0.0) for c in codes}, codes)
    as_of_ts = pd.Timestamp(as_of).normalize()
    rng = np.random.default_rng(seed)
    county_p = normalized({r.code: r.population for r in REGIONS}, [r.code for r in REGIONS])
    persons, households = make_persons(rng, int(n_persons), county_p, normalized(cat_shares, cats),
                                       normalized(grade_sh, [1, 2, 3, 4]), as_of_ts, float(id_share),
                                       coordinates, kind_p)
    employers, etype, ecounty = make_employers(rng, int(n_employers), county_p)
    posts = make_posts(rng, int(n_posts), kinds, kind_p, county_p,
                       (employers["employer_id"].to_numpy(dtype=object), etype, ecounty), coordinates)
    if validate:
        from jhmatch.data.schema import validate_employers, validate_households, validate_persons, validate_posts

        persons, posts = validate_persons(persons), validate_posts(posts)
        employers, households = validate_employers(employers), validate_households(households)
    for name, frame in (("persons", persons), ("posts", posts), ("employers", employers), ("households", households)):
        frame.attrs["validated"] = name  # canonical by construction (checked by the tests)
        frame.attrs["source"] = f"make_jinhua(seed={seed})"
    catalogue = None
    if courses is not False:
        from jhmatch.datasets._courses import default_course_count, make_courses

        catalogue = make_courses(posts, default_course_count(len(posts)) if courses is True else courses, seed)
    return Scenario(persons, posts, employers, households, int(seed), as_of_ts, catalogue)
