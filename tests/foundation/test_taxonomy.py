"""Controlled vocabularies: aliases, digits, regions, post kinds against the CSCO catalogue."""

from __future__ import annotations

import pytest

from jhmatch.datasets import load_occupations
from jhmatch.errors import UnknownLabelError
from jhmatch.taxonomy import (
    REGIONS,
    Accommodation,
    DisabilityCategory,
    Grade,
    PostKind,
    education_level,
    post_kind,
    post_kinds,
    region,
    register_post_kind,
)


@pytest.mark.parametrize(
    ("label", "expected"),
    [("视力", "visual"), ("视力残疾", "visual"), ("Vision", "visual"), ("1", "visual"), (1, "visual"),
     ("听力残疾", "hearing"), ("言语", "speech"), ("肢体残疾", "physical"), (4.0, "physical"),
     ("智力", "intellectual"), ("精神残疾", "mental"), ("psychosocial", "mental"), ("多重", "multiple"), (7, "multiple")],
)
def test_category_aliases(label, expected):
    assert DisabilityCategory.parse(label).value == expected


def test_category_digits_and_labels_follow_the_standard():
    assert [c.digit for c in DisabilityCategory] == list(range(1, 8))
    assert "".join(c.zh for c in DisabilityCategory) == "视力听力言语肢体智力精神多重"


def test_unknown_category_lists_accepted():
    with pytest.raises(UnknownLabelError, match="unknown disability category: 'ghost'; accepted:"):
        DisabilityCategory.parse("ghost")
    with pytest.raises(UnknownLabelError):
        DisabilityCategory.parse(8)


def test_multiple_components():
    assert DisabilityCategory.parse_components("言语、视力") == (DisabilityCategory.VISUAL, DisabilityCategory.SPEECH)
    assert DisabilityCategory.parse_components(None) == ()
    with pytest.raises(UnknownLabelError, match="component"):
        DisabilityCategory.parse_components("visual;multiple")


def test_grades():
    assert [g.is_severe for g in Grade] == [True, True, False, False]
    assert Grade.parse("三级") is Grade.THREE and Grade.parse("IV") is Grade.FOUR and Grade.parse(2.0) is Grade.TWO
    with pytest.raises(UnknownLabelError):
        Grade.parse(0)


def test_regions():
    assert len(REGIONS) == 9
    assert {r.code for r in REGIONS if r.mountain} == {"330723", "330727"}
    assert region("东阳市").code == region("东阳").code == region("Dongyang").code == "330783"
    assert round(sum(r.population for r in REGIONS), 1) == 720.9  # domain.md §2
    with pytest.raises(UnknownLabelError, match="region"):
        region("杭州")


def test_post_kinds_cover_the_plan_and_map_to_real_occupations():
    codes = {k.code for k in post_kinds()}
    for required in ("kiosk", "tobacco_outlet", "lottery_outlet", "welfare_liaison", "welfare_home_staff",
                     "welfare_convenience", "welfare_cleaning", "welfare_greening", "agency_post", "soe_post",
                     "cloud_customer_service", "cloud_review", "network_maintenance", "handicraft", "blind_massage",
                     "rural_planting", "rural_breeding", "rural_processing", "rural_tourism", "rural_ecommerce",
                     "rural_logistics", "sheltered_work", "prosperity_workshop", "enterprise_post"):
        assert required in codes
    catalogue = set(load_occupations(level=None)["code"])
    for kind in post_kinds():
        assert kind.csco and set(kind.csco) <= catalogue, kind.code
    assert {k.code for k in post_kinds() if k.welfare} == {
        "welfare_liaison", "welfare_home_staff", "welfare_convenience", "welfare_cleaning", "welfare_greening"}


def test_post_kind_aliases_and_registration():
    assert post_kind("烟草制品零售点").code == "tobacco_outlet"
    assert post_kind("云客服").remote
    kind = PostKind("test_kind", "测试岗位", "Test kind", False, False, ("4-13-01-07",), "public", aliases=("测试",))
    register_post_kind(kind, replace=True)
    assert post_kind("测试") is kind
    with pytest.raises(ValueError, match="exists"):
        register_post_kind(kind)
    with pytest.raises(UnknownLabelError, match="post kind"):
        post_kind("astronaut")


def test_education_and_accommodations():
    assert [education_level(x) for x in ("未上学", "小学", "初中", "中专", "大专", "本科", "硕士")] == list(range(7))
    assert Accommodation.parse("无障碍").value == "step_free"
    with pytest.raises(UnknownLabelError):
        education_level("kindergarten")


def test_occupation_codes_are_unique():
    occ = load_occupations()
    assert occ["code"].is_unique and len(occ) == 1632
    assert occ["code"].str.fullmatch(r"\d-\d{2}-\d{2}-\d{2}").all()


def test_unregister_restores_the_catalogue():
    from jhmatch.taxonomy import unregister_post_kind

    before = post_kinds()
    register_post_kind(PostKind("tmp_kind", "临时", "Temporary", False, False, ("4-13-01-07",), "public",
                                aliases=("临时岗",)))
    unregister_post_kind("tmp_kind")
    assert post_kinds() == before
    with pytest.raises(UnknownLabelError):
        post_kind("临时岗")
    with pytest.raises(ValueError, match="built-in"):
        unregister_post_kind("kiosk")
