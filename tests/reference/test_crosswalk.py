"""The CSCO 2022 → O*NET crosswalk covers every occupation and points at rated O*NET codes."""

from __future__ import annotations

import pytest

from jhmatch.reference import load_abilities, load_crosswalk, load_occupations, onet_for_csco


@pytest.fixture(scope="module")
def crosswalk():
    return load_crosswalk()


def test_every_level4_occupation_resolves():
    codes = load_occupations(4)["code"]
    unresolved = [c for c in codes if not onet_for_csco(c)]
    assert unresolved == []


def test_every_level2_and_level3_group_has_a_row(crosswalk):
    occ = load_occupations(None)
    rows = set(crosswalk["csco"])
    for level in (2, 3):
        assert set(occ.loc[occ["level"] == level, "code"]) <= rows


def test_every_onet_code_is_rated(crosswalk):
    rated = set(load_abilities().index)
    used = {c for cell in crosswalk["onet"] for c in cell.split(";")}
    assert used - rated == set()


def test_onet_lists_have_one_to_three_codes_with_matching_titles(crosswalk):
    titles = load_abilities()["title"]
    for onet, text in zip(crosswalk["onet"], crosswalk["onet_titles"]):
        codes = onet.split(";")
        assert 1 <= len(codes) <= 3
        assert len(set(codes)) == len(codes)
        assert text == "; ".join(titles[c] for c in codes)


def test_no_duplicate_codes_and_levels_match_the_catalogue(crosswalk):
    assert not crosswalk["csco"].duplicated().any()
    level = load_occupations(None).groupby("code")["level"].min()
    assert (crosswalk["level"].to_numpy() == level.loc[crosswalk["csco"]].to_numpy()).all()


def test_load_crosswalk_returns_a_copy():
    first = load_crosswalk()
    first.loc[0, "onet"] = "changed"
    assert load_crosswalk().loc[0, "onet"] != "changed"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("4-02-07-08", "43-5021.00"),  # 快递员 → Couriers and Messengers
        ("4-10-08-01", "43-5021.00"),  # 网约配送员 → Couriers and Messengers
        ("4-02-07-02", "43-5053.00"),  # 邮件分拣员 → Postal Service Mail Sorters
        ("6-31-01-03", "47-2111.00"),  # 电工 → Electricians
        ("2-02-11-01", "17-2071.00"),  # 电工电器工程技术人员 → Electrical Engineers (via unit group)
        ("6-18-02-04", "51-4121.06"),  # 焊工 → Welders, Cutters, and Welder Fitters
        ("6-30-05-01", "53-7051.00"),  # 起重装卸机械操作工 (叉车司机) → Industrial Truck and Tractor Operators
        ("2-05-10-00", "31-9011.00"),  # 盲人医疗按摩人员 → Massage Therapists
        ("4-10-04-02", "31-9011.00"),  # 保健按摩师 → Massage Therapists
        ("2-06-03-00", "13-2011.01"),  # 会计专业人员 → Accountants
        ("4-07-05-01", "33-9032.00"),  # 保安员 → Security Guards (via unit group)
        ("4-03-02-01", "35-2014.00"),  # 中式烹调师 → Cooks, Restaurant
        ("4-03-02-05", "35-3031.00"),  # 餐厅服务员 → Waiters and Waitresses
        ("6-29-01-05", "47-2061.00"),  # 架子工 → Construction Laborers
        ("4-04-05-03", "43-4051.00"),  # 呼叫中心服务员 → Customer Service Representatives
        ("4-02-02-05", "43-5032.00"),  # 道路运输调度员 → Dispatchers
        ("4-02-02-02", "53-3032.00"),  # 道路货运汽车驾驶员 → Heavy and Tractor-Trailer Truck Drivers
        ("6-05-01-03", "51-6031.00"),  # 缝纫工 → Sewing Machine Operators
        ("4-09-08-01", "37-2011.00"),  # 保洁员 → Janitors and Cleaners
        ("4-04-05-05", "43-9021.00"),  # 人工智能训练师 (数据标注员) → Data Entry Keyers
        ("4-01-06-02", "41-9011.00"),  # 互联网营销师 (直播销售员) → Demonstrators and Product Promoters
    ],
)
def test_spot_checks(code, expected):
    assert expected in onet_for_csco(code)


def test_resolution_prefers_the_most_specific_row():
    assert onet_for_csco("4-02-07-08") != onet_for_csco("4-02-07-00")  # courier vs the postal unit group
    assert onet_for_csco("4-12-02-01") == onet_for_csco("4-12-02-00")  # no own row: the unit group
    assert onet_for_csco("2-02-32-01") != ()  # its unit group is not in the catalogue: own row
    assert onet_for_csco("1-06-01-01") == onet_for_csco("1-06-00-00")  # no unit group: the sub-major group


@pytest.mark.parametrize("code", ["9-99-99-99", "4-02-07-99", "4-02-07", "", "快递员", None, 40207])
def test_unknown_codes_give_an_empty_tuple(code):
    assert onet_for_csco(code) == ()
