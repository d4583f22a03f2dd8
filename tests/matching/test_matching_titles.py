"""Tests of jhmatch.matching.titles (post title -> CSCO 2022 occupation codes)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jhmatch.errors import ParameterError, SchemaError
from jhmatch.matching.titles import TitleMatches, TitleNormalizer, clean_title, normalize_titles
from jhmatch.reference import load_occupations

CUSTOMER_SERVICE = {"4-04-05-03", "4-07-02-03"}  # 呼叫中心服务员, 客户服务管理员


@pytest.fixture(scope="module")
def model() -> TitleNormalizer:
    return TitleNormalizer().fit()


def top(m: TitleMatches, i: int = 0) -> list[str]:
    return m.codes()[i]


@pytest.mark.parametrize(
    ("title", "accepted", "within"),
    [
        ("保洁", {"4-09-08-01"}, 1),
        ("急招保洁阿姨", {"4-09-08-01"}, 1),
        ("盲人按摩", {"2-05-10-00", "4-10-04-02"}, 1),
        ("按摩师 盲人优先", {"2-05-10-00", "4-10-04-02"}, 1),
        ("客服", CUSTOMER_SERVICE, 3),
        ("淘宝客服（可居家）", CUSTOMER_SERVICE, 1),
        ("拼多多运营", {"4-01-06-01", "4-01-06-02"}, 1),
        ("快递小哥", {"4-02-07-08"}, 1),
        ("外卖骑手", {"4-10-08-01"}, 1),
        ("超市收银", {"4-01-02-04"}, 1),
        ("住家保姆", {"4-10-01-06"}, 1),
        ("推拿", {"4-10-04-02", "4-10-04-01", "2-05-02-11"}, 1),
    ],
)
def test_examples_map_to_sensible_codes(title: str, accepted: set[str], within: int) -> None:
    m = normalize_titles([title], k=5)
    assert set(top(m)[:within]) & accepted, (title, m.table)


def test_table_layout_scores_sorted_in_unit_interval(model: TitleNormalizer) -> None:
    titles = ["保洁", "厨师 包吃住", "Java开发", "叉车工", "电子厂普工"]
    m = model.predict(titles, k=4)
    tab = m.table
    assert tab.columns.tolist() == ["position", "title", "rank", "code", "name", "score"]
    assert tab["score"].between(0, 1).all()
    for _, g in tab.groupby("position"):
        assert g["rank"].tolist() == list(range(1, len(g) + 1))
        assert len(g) <= 4
        assert (np.diff(g["score"].to_numpy()) <= 0).all()
        assert g["code"].is_unique
    assert m.n_titles == 5 and m.k == 4
    occ = load_occupations().set_index("code")["name"]
    assert (tab["name"].to_numpy() == occ.loc[tab["code"]].to_numpy()).all()
    assert m.best.iloc[0] == "4-09-08-01" and m.best_name.iloc[0] == "保洁员"
    assert math.isclose(m.best_score.iloc[0], tab["score"].iloc[0])


@pytest.mark.parametrize("k", [1, 2, 7])
def test_k_respected(model: TitleNormalizer, k: int) -> None:
    m = model.predict(["保洁", "收银员", "司机"], k=k)
    assert m.table.groupby("position").size().tolist() == [k, k, k]


def test_k_larger_than_catalogue_is_capped() -> None:
    cat = pd.DataFrame({"code": ["a", "b"], "name": ["保洁员", "保安员"]})
    m = TitleNormalizer().fit(cat).predict(["保洁", "保安"], k=10)
    assert m.table.groupby("position").size().max() <= 2
    assert m.best.tolist() == ["a", "b"]


@pytest.mark.parametrize("k", [0, -1, 2.5, "3", True, None])
def test_bad_k_raises_parameter_error(model: TitleNormalizer, k: object) -> None:
    with pytest.raises(ParameterError, match="k must be a positive integer"):
        model.predict(["保洁"], k=k)  # type: ignore[arg-type]
    with pytest.raises(ParameterError):
        normalize_titles(["保洁"], k=k)  # type: ignore[arg-type]


def test_empty_and_missing_titles_get_no_rows(model: TitleNormalizer) -> None:
    titles = ["", None, float("nan"), pd.NA, np.float32("nan"), "急招 高薪 包吃住", "   ", "保洁"]
    m = model.predict(titles, k=3)
    assert set(m.table["position"]) == {7}
    assert m.best.isna().tolist() == [True] * 7 + [False]
    assert m.best_score.isna().sum() == 7
    assert m.codes()[:7] == [[]] * 7
    with pytest.raises(ParameterError, match="single string"):
        model.predict("保洁", k=3)
    empty = model.predict([], k=3)
    assert empty.n_titles == 0 and len(empty.table) == 0
    assert empty.table.columns.tolist() == ["position", "title", "rank", "code", "name", "score"]


def test_deterministic_and_order_independent(model: TitleNormalizer) -> None:
    titles = ["保洁", "拼多多运营", "按摩", "急招保洁阿姨", "保洁", "仓库管理员", "服务员"]
    a = model.predict(titles, k=5)
    b = TitleNormalizer().fit().predict(titles, k=5)
    pd.testing.assert_frame_equal(a.table, b.table)
    perm = np.random.default_rng(3).permutation(len(titles))
    c = model.predict([titles[i] for i in perm], k=5)
    assert [c.codes()[j] for j in np.argsort(perm)] == a.codes()
    assert a.codes()[0] == a.codes()[4]  # duplicates get identical candidates


def test_batch_size_does_not_change_results(model: TitleNormalizer) -> None:
    titles = ["保洁", "厨师", "快递员", "会计", "电工", "手语翻译", "导游"]
    small = TitleNormalizer(batch_size=2).fit().predict(titles, k=3)
    pd.testing.assert_frame_equal(small.table, model.predict(titles, k=3).table)


def test_width_and_case_are_folded(model: TitleNormalizer) -> None:
    a = model.predict(["ＪＡＶＡ开发工程师"], k=3).table[["code", "score"]]
    b = model.predict(["java开发工程师"], k=3).table[["code", "score"]]
    pd.testing.assert_frame_equal(a, b)


def test_exact_catalogue_name_wins_on_own_catalogue() -> None:
    cat = pd.DataFrame({"code": ["x1", "x2", "x3"], "name": ["中式烹调师", "西式烹调师", "中式面点师"],
                        "aliases": ["厨师,炒锅", "西餐厨师", "面点师"]})
    m = TitleNormalizer().fit(cat).predict(["西式烹调师", "面点师", "炒锅师傅"], k=3)
    assert m.best.tolist() == ["x2", "x3", "x1"]


def test_synonym_table_can_be_replaced_or_disabled() -> None:
    cat = pd.DataFrame({"code": ["c", "s"], "name": ["保洁员", "收银员"]})
    own = TitleNormalizer(synonyms={"扫地": "保洁员"}).fit(cat).predict(["扫地"], k=1)
    assert own.best.tolist() == ["c"]
    off = TitleNormalizer(synonyms=False).fit(cat).predict(["扫地"], k=1)
    assert off.best.isna().all()  # no shared character with any occupation: no evidence


def test_clean_title() -> None:
    assert clean_title("急招保洁阿姨（包吃住）") == "保洁"
    assert clean_title("【金华】淘宝客服 5000-8000元/月") == "淘宝客服"
    assert clean_title("按摩师 盲人优先") == "按摩师"
    assert clean_title("（客服）") == "客服"  # bracket kept when nothing else is left
    assert clean_title(None) == "" and clean_title(float("nan")) == ""


def test_bad_parameters_and_catalogue() -> None:
    with pytest.raises(ParameterError, match="weights"):
        TitleNormalizer(name_weight=-1).fit()
    with pytest.raises(ParameterError, match="weights"):
        TitleNormalizer(name_weight=0, term_weight=0, doc_weight=0, hit_weight=0, text_weight=0,
                        prior_weight=0).fit()
    with pytest.raises(ParameterError, match="ngram_range"):
        TitleNormalizer(ngram_range=(3, 1)).fit()
    with pytest.raises(ParameterError, match="batch_size"):
        TitleNormalizer(batch_size=0).fit()
    with pytest.raises(ParameterError, match="not fitted"):
        TitleNormalizer().predict(["保洁"])
    with pytest.raises(ParameterError, match="unknown parameter"):
        TitleNormalizer().set_params(alpha=1)
    with pytest.raises(SchemaError, match="name"):
        TitleNormalizer().fit(pd.DataFrame({"code": ["a"]}))
    with pytest.raises(SchemaError, match="at least one occupation"):
        TitleNormalizer().fit(pd.DataFrame({"code": [], "name": []}))
    with pytest.raises(SchemaError, match="row 2, column 'code'"):
        TitleNormalizer().fit(pd.DataFrame({"code": ["a", None], "name": ["保洁员", "保安员"]}))
    with pytest.raises(SchemaError, match="row 1, column 'name'"):
        TitleNormalizer().fit(pd.DataFrame({"code": ["a", "b"], "name": [None, "保安员"]}))


def test_tiny_catalogues_fit() -> None:
    one = TitleNormalizer().fit(pd.DataFrame({"code": ["a"], "name": ["保洁员"], "definition": ["打扫卫生"]}))
    m = one.predict(["保洁", "数学"], k=3)
    assert m.best.iloc[0] == "a" and m.best.isna().iloc[1]
    dup = TitleNormalizer().fit(pd.DataFrame({"code": ["a", "a", "b"], "name": ["保洁员", "保洁员", "保安员"]}))
    assert len(dup.codes_) == 2 and dup.predict(["保洁"], k=5).table["code"].is_unique
    marks = TitleNormalizer().fit(pd.DataFrame({"code": ["x", "y"], "name": ["L", "收银员L"]}))
    assert marks.predict(["收银员"], k=2).best.tolist() == ["y"]


def test_get_set_params_roundtrip() -> None:
    tn = TitleNormalizer(hit_weight=0.5)
    assert tn.get_params()["hit_weight"] == 0.5
    assert tn.set_params(hit_weight=0.1) is tn and tn.hit_weight == 0.1
    clone = TitleNormalizer(**tn.get_params())
    assert clone.get_params() == tn.get_params()


@settings(max_examples=25, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=25),
                          st.sampled_from(["保洁", "急招", "客服（可居家）", "1234", "司机C1"])), max_size=6),
       st.integers(1, 6))
def test_arbitrary_text_never_crashes(model: TitleNormalizer, titles: list, k: int) -> None:
    m = model.predict(titles, k=k)
    tab = m.table
    assert m.n_titles == len(titles) and len(m.best) == len(titles)
    assert tab["score"].between(0, 1).all() and (tab["score"] > 0).all()
    assert (tab.groupby("position").size() <= k).all() if len(tab) else True
    assert set(tab["position"]) <= set(range(len(titles)))


# --- issue 12 item 7: cleaning bugs, abstention, confidence, the plan's post names, hazardous titles ---


@pytest.mark.parametrize(("title", "kept"), [
    ("招生老师", "招生"), ("招商专员", "招商"), ("急诊科护士", "急诊"), ("招标专员", "招标"),
    ("应急救援员", "应急"), ("急招招生老师", "招生"), ("诚聘招商经理", "招商"), ("招聘专员", "招聘专员"),
])
def test_noise_is_not_removed_inside_words(title: str, kept: str) -> None:
    assert kept in clean_title(title)


@pytest.mark.parametrize(("title", "expected"), [
    ("保洁 8k", "保洁"), ("客服 1w", "客服"), ("客服 w", "客服"), ("文员 月薪过万", "文员"),
    ("操作工 5000-8000元", "操作工"), ("普工 5000-8000元", ""), ("叉车司机 6-8k", "叉车司机"), ("电焊工 1w+", "电焊工"),
    ("主播 8-15K", "主播"), ("保安 45岁以下", "保安"), ("分拣员10名 日结200", "分拣员"),
    ("2023年残疾人专职委员", "残疾人专职委员"), ("急招叉车工", "叉车工"), ("某工厂招电工", "工厂 电工"),
])
def test_salary_counts_and_recruiting_words_removed(title: str, expected: str) -> None:
    assert clean_title(title) == expected


@pytest.mark.parametrize(("title", "code"), [
    ("招生老师", "4-01-02-01"), ("急诊科护士", "2-05-08-03"), ("招标专员", "2-06-07-15"),
    ("招商专员", "4-07-01-01"), ("应急救援员", "3-02-03-08"),
])
def test_words_with_noise_characters_map_right(title: str, code: str) -> None:
    assert normalize_titles([title], k=3).best.iloc[0] == code


@pytest.mark.parametrize(("title", "code"), [
    ("物业维修", "6-31-01-10"), ("物业维修工", "6-31-01-10"), ("某物业招聘物业维修工", "6-31-01-10"),
    ("某仓库招聘分拣员 夜班", "4-02-06-02"), ("医院护工 陪护", "4-14-01-02"), ("宠物店美容师", "4-10-07-03"),
    ("货车司机 C1", "4-02-02-02"), ("吊车司机", "6-30-05-02"), ("外贸业务员", "2-06-07-01"),
])
def test_synonyms_and_workplace_words_do_not_take_over(title: str, code: str) -> None:
    m = normalize_titles([title], k=3)
    assert m.best.iloc[0] == code, m.table


def test_property_maintenance_is_not_property_management() -> None:
    m = normalize_titles(["物业维修", "物业管理员"], k=3)
    assert m.best.tolist() == ["6-31-01-10", "4-06-01-01"]


JUNK = ["急招", "高薪诚聘", "123", "招聘若干名", "😀😀😀", "！！？？", "工作轻松", "8k", "月薪过万", "1w+",
        "五险一金 双休", "男女不限 包吃住", "（急聘）", "招工", "xxx", "岗位若干", "工作简单 轻松易上手"]


def test_junk_titles_are_abstained_on(model: TitleNormalizer) -> None:
    m = model.predict(JUNK, k=5)
    assert m.best.isna().all(), m.table
    assert m.abstained.all()
    assert (m.confidence < 0.5).all() and (m.confidence >= 0).all()
    assert len(m.table) == 0 and m.codes() == [[]] * len(JUNK)


def test_abstention_can_be_switched_off() -> None:
    titles = ["学生", "急招"]  # no job word, only loose character overlap; nothing left after cleaning
    assert normalize_titles(titles, k=3).abstained.tolist() == [True, True]
    m = TitleNormalizer(abstain_below=0.0).fit().predict(titles, k=3)
    assert m.best.notna().iloc[0] and m.best.isna().iloc[1]
    assert m.abstained.tolist() == [False, True]


def test_confidence_aligned_in_unit_interval_and_meaningful(model: TitleNormalizer) -> None:
    titles = ["保洁", None, "急招", "叉车司机 持证", "普工", "架子工"]
    m = model.predict(titles, k=3)
    conf = m.confidence
    assert conf.index.equals(m.best.index) and conf.name == "confidence" and len(conf) == len(titles)
    assert conf.between(0, 1).all() and conf.notna().all()
    assert conf.iloc[0] >= 0.8 and conf.iloc[3] >= 0.5 and conf.iloc[5] >= 0.5
    assert conf.iloc[1] == 0 and conf.iloc[2] == 0
    assert (conf[m.best.isna()] < 0.5).all()
    assert m.per_title["cleaned"].tolist()[:4] == ["保洁", "", "", "叉车司机"]


def test_hand_built_matches_have_nan_confidence_where_answered() -> None:
    tab = pd.DataFrame({"position": [0], "title": ["保洁"], "rank": [1], "code": ["4-09-08-01"], "name": ["保洁员"],
                        "score": [0.8]})
    m = TitleMatches(table=tab, n_titles=2, k=1)
    assert np.isnan(m.confidence.iloc[0]) and m.confidence.iloc[1] == 0
    assert m.abstained.tolist() == [False, True]


PLAN_TITLES = [
    ("盲人按摩师", {"2-05-10-00"}), ("盲人医疗按摩", {"2-05-10-00"}), ("盲人按摩师 持证", {"2-05-10-00"}),
    ("残疾人专职委员", {"3-01-04-01"}), ("村级残疾人专职委员（公益性岗位）", {"3-01-04-01"}),
    ("烟草零售点", {"4-01-05-04"}), ("残疾人之家工作人员", {"2-07-11-01", "4-10-01-05", "4-14-01-03"}),
    ("2023年金东区残疾人之家工作人员招聘公告", {"2-07-11-01", "4-10-01-05", "4-14-01-03"}),
]


@pytest.mark.parametrize(("title", "accepted"), PLAN_TITLES)
def test_plan_post_names_map_right(title: str, accepted: set[str]) -> None:
    m = normalize_titles([title], k=3)
    assert m.best.iloc[0] in accepted, m.table


def test_blind_massage_is_medical_not_health_massage() -> None:
    m = normalize_titles(["盲人按摩师", "盲人医疗按摩", "保健按摩师", "盲人保健按摩"], k=2)
    assert m.best.tolist() == ["2-05-10-00", "2-05-10-00", "4-10-04-02", "4-10-04-02"]


@pytest.mark.parametrize("title", ["辅助性就业手工", "辅助性就业 手工串珠", "残疾人辅助性就业 手工编织"])
def test_sheltered_handwork_is_a_handicraft_occupation(title: str) -> None:
    best = normalize_titles([title], k=3).best.iloc[0]
    assert isinstance(best, str) and best.startswith(("6-09-03-", "6-05-01-06")), best


HAZARDOUS = [
    ("电工", "6-31-01-03"), ("持证电工 高压低压", "6-31-01-03"), ("焊工", "6-18-02-04"), ("电焊工 二保焊", "6-18-02-04"),
    ("叉车工", "6-30-05-01"), ("叉车司机", "6-30-05-01"), ("货车司机", "4-02-02-02"),
    ("4.2米厢式货车司机 B2驾照", "4-02-02-02"), ("外卖骑手", "4-10-08-01"), ("外卖员", "4-10-08-01"),
    ("美团外卖骑手 月薪过万", "4-10-08-01"), ("架子工", "6-29-01-05"), ("保安", "4-07-05-01"),
    ("小区保安 做一休一", "4-07-05-01"), ("厨师", "4-03-02-01"), ("饭店厨师 包吃住", "4-03-02-01"),
    ("快递员", "4-02-07-08"), ("高空外墙清洗", "4-09-08-01"), ("蜘蛛人", "4-09-08-01"),
    ("高空外墙清洗工（蜘蛛人）日结500", "4-09-08-01"), ("电话销售", "4-01-02-01"), ("直播主播", "4-01-06-02"),
    ("带货主播", "4-01-06-02"), ("数据标注", "4-04-05-05"), ("数据标注员 可居家", "4-04-05-05"),
]


@pytest.mark.parametrize(("title", "code"), HAZARDOUS)
def test_hazardous_titles_map_to_their_occupation(title: str, code: str) -> None:
    m = normalize_titles([title], k=3)
    assert m.best.iloc[0] == code, m.table


@pytest.mark.parametrize("title", ["分拣员", "快递分拣", "仓库分拣员 夜班"])
def test_sorters_map_to_sorting_work(title: str) -> None:
    assert normalize_titles([title], k=3).best.iloc[0] in {"4-02-06-02", "4-02-07-09", "4-02-07-02"}


def test_abstain_below_is_validated() -> None:
    with pytest.raises(ParameterError, match="abstain_below"):
        TitleNormalizer(abstain_below=1.5).fit()
    assert TitleNormalizer().get_params()["abstain_below"] == 0.3


def test_many_titles_are_scored_on_distinct_cleaned_titles(model: TitleNormalizer) -> None:
    titles = ["急招保洁阿姨", "保洁 包吃住", "【义乌】保洁", "叉车工", "叉车工 6-8k"] * 400
    m = model.predict(titles, k=2)
    assert m.n_titles == 2000 and m.per_title["cleaned"].nunique() == 2
    assert set(m.best) == {"4-09-08-01", "6-30-05-01"}


def test_plan_post_names_and_hazardous_titles_are_confident() -> None:
    titles = [t for t, _ in PLAN_TITLES] + [t for t, _ in HAZARDOUS]
    conf = normalize_titles(titles, k=1).confidence
    assert (conf >= 0.5).all(), [t for t, c in zip(titles, conf) if c < 0.5]
