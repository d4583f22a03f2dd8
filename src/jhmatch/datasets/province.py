"""A seeded synthetic province: several cities, and the posts open across city lines.

:func:`make_province` builds the province-scale scenario of the scale-out work
(:mod:`jhmatch.distributed`): each city is a :func:`~jhmatch.datasets.make_jinhua`
scenario with its own seed, its identifiers prefixed by the city number
(``"03-P0000012"``) so that they stay unique across the province.

ASSUMPTIONS (named here, not sourced): jhmatch's schema knows Jinhua's nine
counties only, so every city reuses them (a county column alone does not tell
cities apart: use the ``city`` column); on-site posts are open to the seekers of
their own city; remote posts (16 % of the posts of :func:`make_jinhua`) are open to
their own city and to the previous city in :data:`ZHEJIANG_CITIES` order, taken as
a ring, so that every city shares remote posts with two neighbours. Cities are
therefore nearly self-contained and the remote posts couple them: the structure
the regional decomposition (:func:`jhmatch.distributed.allocate` with
``regions="city"``) is built for.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from jhmatch.datasets.jinhua import Scenario, make_jinhua
from jhmatch.errors import ParameterError

__all__ = ["ZHEJIANG_CITIES", "Province", "make_province"]

ZHEJIANG_CITIES = ("Hangzhou", "Ningbo", "Wenzhou", "Jiaxing", "Huzhou", "Shaoxing", "Jinhua", "Quzhou",
                   "Zhoushan", "Taizhou", "Lishui")
"""The 11 prefecture-level cities of Zhejiang (names only; sizes are not modelled)."""

_ID_COLUMNS = {"persons": ("person_id", "household_id"), "posts": ("post_id", "employer_id", "site_id"),
               "employers": ("employer_id",), "households": ("household_id",)}


@dataclass(frozen=True, repr=False)
class Province:
    """A synthetic province: one :class:`~jhmatch.datasets.Scenario` per city.

    Attributes
    ----------
    cities : tuple of Scenario
        The cities' tables; identifiers carry the city prefix, and persons and
        posts a ``city`` column (the city's name).
    names : tuple of str
        City names, in order.
    seed : int
        The seed that reproduces the province (city ``k`` uses ``seed + k``).

    Examples
    --------
    >>> p = make_province(600, 120, n_cities=3, seed=1)
    >>> p
    Province(seed=1, cities=3, persons=600, posts=120)
    >>> p.persons["city"].unique().tolist()
    ['Hangzhou', 'Ningbo', 'Wenzhou']
    """

    cities: tuple[Scenario, ...]
    names: tuple[str, ...]
    seed: int

    def __repr__(self) -> str:  # never prints the tables (they hold ID numbers)
        return (f"Province(seed={self.seed}, cities={len(self.cities)}, persons={len(self.persons)}, "
                f"posts={len(self.posts)})")

    @property
    def persons(self) -> pd.DataFrame:
        """All seekers, city by city."""
        return pd.concat([c.persons for c in self.cities], ignore_index=True)

    @property
    def posts(self) -> pd.DataFrame:
        """All posts, city by city."""
        return pd.concat([c.posts for c in self.cities], ignore_index=True)

    def open_posts(self, k: int) -> pd.DataFrame:
        """The posts open to the seekers of city ``k``: its own, and the next city's remote posts.

        Examples
        --------
        >>> p = make_province(600, 120, n_cities=3, seed=1)
        >>> posts = p.open_posts(0)
        >>> sorted(posts["city"].unique()), bool(posts.loc[posts["city"] == "Ningbo", "remote"].all())
        (['Hangzhou', 'Ningbo'], True)
        """
        own = self.cities[k].posts
        if len(self.cities) == 1:
            return own
        nxt = self.cities[(k + 1) % len(self.cities)].posts
        return pd.concat([own, nxt[nxt["remote"].astype(bool)]], ignore_index=True)

    def score(self, scorer: Any = None, client: Any = None, *, executor: Any = None,
              components: bool = False) -> Any:
        """Score every city's seekers against :meth:`open_posts` and join the results.

        Each city is scored by a fresh copy of ``scorer`` (its blocks of persons
        through ``executor``, or on the Dask ``client``, see
        :meth:`~jhmatch.matching.CompatibilityScorer.score`); the joined
        :class:`~jhmatch.matching.ScoreMatrix` has every person of the province as a
        row and every post as a column.

        Parameters
        ----------
        scorer : CompatibilityScorer, optional
            Default ``CompatibilityScorer()``; left unchanged (each city uses a copy).
        client : distributed.Client, optional
            Shorthand for ``executor=jhmatch.distributed.DaskExecutor(client)``.
        executor : executor, optional
            Anything with ``map(fn, items)`` (:mod:`jhmatch.executor`).
        components : bool, default False
            Keep the per-component scores (memory: seven matrices instead of one).

        Examples
        --------
        >>> from jhmatch.matching import CompatibilityScorer
        >>> p = make_province(300, 90, n_cities=3, seed=1)
        >>> sm = p.score(CompatibilityScorer(as_of="2025-01-01", top_k=5))
        >>> sm.shape
        (300, 90)
        """
        from jhmatch.matching import CompatibilityScorer, ScoreMatrix

        scorer = CompatibilityScorer() if scorer is None else scorer
        parts = []
        for k, city in enumerate(self.cities):
            sm = copy.deepcopy(scorer).score(city.persons, self.open_posts(k), client=client, executor=executor)
            parts.append(sm if components else ScoreMatrix(sm.scores, sm.person_ids, sm.post_ids))
        post_ids = self.posts["post_id"].astype(str).to_numpy()
        where = pd.Index(post_ids)

        def join(mats: list[sp.csr_array]) -> sp.csr_array:
            blocks = []
            for part, mat in zip(parts, mats):
                coo = sp.coo_array(mat)
                cols = where.get_indexer(part.post_ids.astype(str))[coo.col]
                blocks.append(sp.csr_array((coo.data, (coo.row, cols)), shape=(mat.shape[0], post_ids.size)))
            return sp.csr_array(sp.vstack(blocks, format="csr"))

        names = sorted(parts[0].components) if parts else []
        return ScoreMatrix(join([p.scores for p in parts]), np.concatenate([p.person_ids for p in parts]),
                           post_ids, {n: join([p.components[n] for p in parts]) for n in names})


def _unique_resident_ids(cities: list[Scenario]) -> None:
    """Give a new sequence number to an identity number already used in an earlier city.

    Each city is a Jinhua of its own seed, so two cities can draw the same birth date and
    sequence number; one person under two ids would be reported by validation. The
    sequence (digits 15–17) is moved to a free one of the same sex parity, the check
    character recomputed and the certificate number (ID + category + grade) follows.
    """
    from jhmatch.data.ids import check_character

    seen: set[str] = set()
    for sc in cities:
        ids = sc.persons["id_number"]
        values = ids.astype("object").to_numpy().copy()
        changed = False
        for i, v in enumerate(values):
            if not isinstance(v, str) or len(v) != 18:
                continue
            seq = int(v[14:17])
            while v in seen:
                seq = (seq + 2) % 1000
                first = f"{v[:14]}{seq:03d}"
                v = first + check_character(first)
                changed = True
            values[i] = v
            seen.add(v)
        if changed:
            new = pd.array(values, dtype=ids.dtype)
            cert = sc.persons["certificate_number"].astype("object").to_numpy().copy()
            cert = np.array([c if not isinstance(c, str) or not isinstance(n, str) else n + c[18:]
                             for c, n in zip(cert, values)], dtype=object)
            sc.persons["id_number"] = new
            sc.persons["certificate_number"] = pd.array(cert, dtype=sc.persons["certificate_number"].dtype)


def make_province(n_persons: int = 20_000, n_posts: int | None = None, n_cities: int = 11, seed: int = 0,
                  **city_options: Any) -> Province:
    """Build a synthetic province of ``n_cities`` cities.

    Parameters
    ----------
    n_persons : int, default 20,000
        Seekers in the whole province, shared evenly among the cities.
    n_posts : int, optional
        Posts in the whole province, shared evenly; default as :func:`make_jinhua`
        (0.3 per person).
    n_cities : int, default 11
        Cities (1 … 11), named after :data:`ZHEJIANG_CITIES`.
    seed : int, default 0
        City ``k`` is ``make_jinhua(..., seed=seed + k)``.
    **city_options
        Passed to :func:`make_jinhua` (``as_of``, shares, ...).

    Returns
    -------
    Province

    Examples
    --------
    >>> p = make_province(1100, seed=0)
    >>> len(p.cities), p.cities[3].persons["person_id"].iloc[0][:3]
    (11, '03-')
    """
    if not isinstance(n_cities, (int, np.integer)) or not 1 <= n_cities <= len(ZHEJIANG_CITIES):
        raise ParameterError(f"n_cities must be an integer from 1 to {len(ZHEJIANG_CITIES)}, got {n_cities!r}")
    if not isinstance(n_persons, (int, np.integer)) or n_persons < n_cities:
        raise ParameterError(f"n_persons must be an integer of at least n_cities ({n_cities}), got {n_persons!r}")
    cities = []
    for k in range(n_cities):
        share = n_persons // n_cities + (k < n_persons % n_cities)
        posts = None if n_posts is None else n_posts // n_cities + (k < n_posts % n_cities)
        sc = make_jinhua(share, posts, seed=seed + k, **city_options)
        tables = {}
        for name, frame in sc.tables().items():
            frame = frame.copy()
            for col in _ID_COLUMNS[name]:
                if col in frame.columns:  # missing ids (a post without a site) stay missing
                    frame[col] = (f"{k:02d}-" + frame[col].astype(str)).where(frame[col].notna())
            if name in ("persons", "posts"):
                frame["city"] = ZHEJIANG_CITIES[k]
            tables[name] = frame
        cities.append(Scenario(**tables, seed=sc.seed, as_of=sc.as_of))
    _unique_resident_ids(cities)
    return Province(tuple(cities), ZHEJIANG_CITIES[:n_cities], seed)
