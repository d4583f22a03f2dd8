"""make_province: prefixed unique ids, the open-posts rule, and the joined province scores."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jhmatch.data.schema import validate_persons, validate_posts
from jhmatch.datasets import ZHEJIANG_CITIES, make_jinhua, make_province
from jhmatch.errors import ParameterError
from jhmatch.matching import CompatibilityScorer


@pytest.fixture(scope="module")
def province():
    return make_province(900, 240, n_cities=3, seed=7)


@pytest.fixture(scope="module")
def scorer():
    return CompatibilityScorer(as_of="2025-01-01", top_k=6)


def test_cities_are_prefixed_seeded_cities(province):
    assert province.names == ZHEJIANG_CITIES[:3]
    for k, city in enumerate(province.cities):
        plain = make_jinhua(300, 80, seed=7 + k)
        for name, frame in city.tables().items():
            want = plain.tables()[name]
            assert len(frame) == len(want)
            for col in [c for c in frame.columns if c.endswith("_id")]:
                got, raw = frame[col], want[col]
                assert got.isna().equals(raw.isna()), f"{name}.{col}: missing ids must stay missing"
                assert (got.dropna() == f"{k:02d}-" + raw.dropna().astype(str)).all()
        assert (city.persons["city"] == ZHEJIANG_CITIES[k]).all()
        assert (city.posts["city"] == ZHEJIANG_CITIES[k]).all()
    assert province.persons["person_id"].is_unique and province.posts["post_id"].is_unique
    # the province's tables still validate, with the city column kept
    assert "city" in validate_persons(province.persons).columns
    assert len(validate_posts(province.posts)) == 240


def test_same_seed_same_province():
    a, b = make_province(300, 90, n_cities=3, seed=3), make_province(300, 90, n_cities=3, seed=3)
    pd.testing.assert_frame_equal(a.persons, b.persons)
    pd.testing.assert_frame_equal(a.posts, b.posts)


def test_open_posts_are_own_and_next_citys_remote(province):
    for k in range(3):
        posts = province.open_posts(k)
        own = posts["city"] == ZHEJIANG_CITIES[k]
        assert own.sum() == len(province.cities[k].posts)
        other = posts[~own]
        assert (other["city"] == ZHEJIANG_CITIES[(k + 1) % 3]).all()
        assert other["remote"].astype(bool).all()
        nxt = province.cities[(k + 1) % 3].posts
        assert len(other) == int(nxt["remote"].astype(bool).sum()) > 0


def test_score_pairs_follow_the_rule_and_equal_city_scores(province, scorer):
    sm = province.score(scorer)
    assert sm.shape == (900, 240)
    rows, cols, _ = sm.pairs()
    person_city = province.persons.set_index("person_id").loc[sm.person_ids, "city"].to_numpy()
    posts = province.posts.set_index("post_id").loc[sm.post_ids]
    post_city, remote = posts["city"].to_numpy(), posts["remote"].astype(bool).to_numpy()
    cross = person_city[rows] != post_city[cols]
    assert cross.any(), "remote posts must couple the cities"
    assert remote[cols[cross]].all(), "only remote posts are open across city lines"
    nxt = {c: ZHEJIANG_CITIES[(k + 1) % 3] for k, c in enumerate(ZHEJIANG_CITIES[:3])}
    assert all(nxt[a] == b for a, b in zip(person_city[rows[cross]], post_city[cols[cross]]))
    # the first city's block equals scoring it alone against its open posts
    alone = CompatibilityScorer(as_of="2025-01-01", top_k=6).score(province.cities[0].persons, province.open_posts(0))
    got = sm.to_frame().set_index(["person_id", "post_id"])["score"]
    want = alone.to_frame().set_index(["person_id", "post_id"])["score"]
    assert np.array_equal(got.loc[want.index].to_numpy(), want.to_numpy())
    assert (got.index.get_level_values(0).str[:3] == "00-").sum() == len(want)


def test_score_keeps_components_when_asked(province, scorer):
    sm = province.score(scorer, components=True)
    assert sm.components and all(c.nnz == sm.nnz for c in sm.components.values())


@pytest.mark.parametrize(("kwargs", "match"), [({"n_cities": 0}, "n_cities"), ({"n_cities": 12}, "n_cities"),
                                               ({"n_persons": 2, "n_cities": 3}, "n_persons")])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        make_province(**{"n_persons": 300, **kwargs})


def test_resident_ids_are_unique_across_cities():
    """Each city is a Jinhua of its own seed: an identity number drawn twice is renumbered, checksum intact."""
    from jhmatch.data.ids import check_character

    province = make_province(20_000, seed=3)
    ids = pd.concat([c.persons["id_number"] for c in province.cities]).dropna().astype(str)
    assert not ids.duplicated().any()
    assert all(v[17] == check_character(v[:17]) for v in ids)
    for c in province.cities:
        both = c.persons.dropna(subset=["id_number", "certificate_number"])
        assert (both["certificate_number"].astype(str).str[:18] == both["id_number"].astype(str)).all()
