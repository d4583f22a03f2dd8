"""Scoring in chunks: the fast paths give exactly what the plain formulas give."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from jhmatch.data.schema import validate_persons, validate_posts
from jhmatch.datasets import make_jinhua
from jhmatch.datasets.uniform import synthetic_persons, synthetic_posts
from jhmatch.matching import CompatibilityScorer, FunctionalComponent, SkillsComponent
from jhmatch.matching import _blockscore as scorer_module
from jhmatch.matching.candidates import ColumnTop, top_k_per_row
from jhmatch.matching.components import Component, DistinctRows
from jhmatch.matching.skills import _text

AS_OF = "2025-06-30"
SETTINGS = settings(max_examples=8, deadline=None)


def tables(n: int, m: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    return validate_persons(synthetic_persons(n, seed=seed)), validate_posts(synthetic_posts(m, seed=seed + 1000))


def jinhua(n: int, m: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    s = make_jinhua(n_persons=n, n_posts=m, seed=seed)
    return s.persons, s.posts


def frame(sm) -> pd.DataFrame:
    return sm.to_frame(components=True)


@SETTINGS
@given(seed=st.integers(0, 10_000), b=st.integers(1, 12), m=st.integers(1, 300), k=st.integers(1, 60),
       levels=st.sampled_from([3, 50, 10_000]), dtype=st.sampled_from([np.float32, np.float64]))
def test_top_k_per_row_equals_a_full_sort(seed, b, m, k, levels, dtype):
    rng = np.random.default_rng(seed)
    values = (rng.integers(0, levels, (b, m)) / levels).astype(dtype)  # many ties, many zeros
    r, c = top_k_per_row(values, k)
    rows, cols = np.nonzero(values > 0)
    order = np.lexsort((cols, -values[rows, cols], rows))  # score descending, then column
    rows, cols = rows[order], cols[order]
    rank = np.arange(rows.size) - np.searchsorted(rows, rows)
    keep = np.sort((rows * m + cols)[rank < k])
    assert (r * m + c).tolist() == keep.tolist()


@SETTINGS
@given(seed=st.integers(0, 10_000), n=st.integers(1, 80), m=st.integers(1, 40), k=st.integers(1, 12),
       step=st.integers(1, 20), levels=st.sampled_from([2, 7, 1000]))
def test_column_top_equals_a_full_sort(seed, n, m, k, step, levels):
    rng = np.random.default_rng(seed)
    values = (rng.integers(0, levels, (n, m)) / levels).astype(np.float32)
    extra = rng.random((n, m)).astype(np.float32)
    top = ColumnTop(m, k)
    for start in range(0, n, step):
        top.add(values[start:start + step], np.arange(start, min(start + step, n)), {"x": extra[start:start + step]})
    r, c, s, p = top.result()
    cols, rows = top_k_per_row(np.ascontiguousarray(values.T), k)  # columns' best rows, ties to the lower row
    assert sorted(zip(r.tolist(), c.tolist())) == sorted(zip(rows.tolist(), cols.tolist()))
    assert np.array_equal(s, values[r, c]) and np.array_equal(p["x"], extra[r, c])


@pytest.mark.parametrize("kwargs", [{}, {"top_k_persons": 3}, {"top_k": None}, {"n_jobs": 2, "top_k": 4}])
def test_small_chunks_give_identical_results(monkeypatch, kwargs):
    persons, posts = tables(120, 90, 5)
    expect = frame(CompatibilityScorer(as_of=AS_OF, **kwargs).score(persons, posts))
    for chunk in (1, 7, 500):
        monkeypatch.setattr(scorer_module, "CHUNK_PAIRS", chunk)
        got = frame(CompatibilityScorer(as_of=AS_OF, block_size=40, **kwargs).score(persons, posts))
        pd.testing.assert_frame_equal(got, expect)


@pytest.mark.parametrize("source", ["synthetic", "jinhua"])
def test_bound_components_equal_their_evaluation_on_any_rows(source):
    persons, posts = tables(200, 60, 2) if source == "synthetic" else jinhua(300, 80, 4)
    scorer = CompatibilityScorer(as_of=AS_OF)
    scorer.score(persons, posts)
    rng = np.random.default_rng(0)
    cols = np.sort(rng.choice(len(scorer.posts_), 50, replace=False))
    rows = np.sort(rng.choice(len(scorer.persons_), 120, replace=False))
    for name, comp in scorer.components_.items():
        whole_v, whole_x = comp.evaluate(rows, cols)
        bound = comp.bind(cols)
        for part in np.array_split(rows, 7):
            v, x = bound(part)
            ix = np.searchsorted(rows, part)
            assert np.array_equal(np.broadcast_to(v, (part.size, cols.size)),
                                  np.broadcast_to(whole_v, (rows.size, cols.size))[ix]), name
            if whole_x is None or x is None:
                assert not np.any(whole_x if x is None else x)
            else:
                assert np.array_equal(np.broadcast_to(x, (part.size, cols.size)),
                                      np.broadcast_to(whole_x, (rows.size, cols.size))[ix]), name


def test_skills_equal_the_plain_cosine_of_all_texts():
    from sklearn.feature_extraction.text import TfidfVectorizer

    persons, posts = jinhua(400, 120, 1)
    scorer = CompatibilityScorer(as_of=AS_OF)
    scorer.score(persons, posts)
    p, q = scorer.persons_, scorer.posts_
    post_text, person_text = _text(q, "required_skills", "title"), _text(p, "skills")
    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, dtype=np.float32)
    post_m = sp.csr_array(vec.fit_transform(post_text))
    plain = sp.csr_array(vec.transform(person_text)) @ post_m.T  # the former formula, all pairs at once
    plain = np.clip(plain.toarray().astype(np.float32), 0, 1)
    plain[:, [not t for t in post_text]] = 1.0
    got, _ = SkillsComponent().fit(p, q).evaluate(np.arange(len(p)), np.arange(len(q)))
    assert np.array_equal(got, plain)


class PlainFunctional(FunctionalComponent):
    """The functional component evaluated person by person (no row keys)."""

    def fit(self, persons: pd.DataFrame, posts: pd.DataFrame) -> PlainFunctional:
        super().fit(persons, posts)
        self.row_keys_ = None
        return self


def test_distinct_rows_give_identical_scores(monkeypatch):
    persons, posts = jinhua(3000, 150, 3)
    keyed = CompatibilityScorer(as_of=AS_OF, top_k=20)  # FunctionalComponent keys rows by profile
    plain = CompatibilityScorer(as_of=AS_OF, top_k=20, components={"functional": PlainFunctional()})
    monkeypatch.setattr(scorer_module, "CHUNK_PAIRS", 3000)  # several chunks per block: keys are reused
    pd.testing.assert_frame_equal(frame(keyed.score(persons, posts)), frame(plain.score(persons, posts)))
    assert isinstance(keyed.components_["functional"].bind(np.arange(5)), DistinctRows)


def test_distinct_rows_keep_exclusions_given_after_none():
    class Late(Component):
        name = "late"

        def evaluate(self, rows, cols):
            v = np.full((rows.size, cols.size), 0.5, np.float32)
            return v, (None if rows.min() < 2 else np.ones((rows.size, cols.size), bool))

    comp = Late()
    ev = DistinctRows(comp, np.arange(3), keys=np.arange(40) % 20)
    assert ev(np.array([0, 1]))[1] is None
    v, x = ev(np.arange(40))
    assert v.shape == (40, 3) and x[:, 0].tolist() == [k >= 2 for k in np.arange(40) % 20]
    assert ev.computed == 20


def test_default_threads_are_the_cpus_but_one_in_a_dask_worker(monkeypatch):
    import sys
    import types

    from jhmatch.matching.scorer import _default_jobs

    fake = types.ModuleType("distributed")
    monkeypatch.setitem(sys.modules, "distributed", fake)
    fake.get_worker = lambda: (_ for _ in ()).throw(ValueError("no worker"))
    outside = _default_jobs()
    assert 1 <= outside <= 8
    fake.get_worker = lambda: object()
    assert _default_jobs() == 1
    persons, posts = tables(30, 20, 1)
    with pytest.raises(Exception, match="n_jobs"):
        CompatibilityScorer(n_jobs=0).score(persons, posts)
