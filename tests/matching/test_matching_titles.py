"""normalize_titles: cleaning, known titles, custom catalogues, errors."""

from __future__ import annotations

import pandas as pd
import pytest

from jhmatch.errors import ParameterError
from jhmatch.matching.titles import TitleNormalizer, clean_title, normalize_titles


@pytest.mark.parametrize(("raw", "clean"), [("急招保洁阿姨（包吃住）", "保洁"), ("诚聘快递员3名", "快递员"),
                                            ("高薪招聘 电商运营/长期", "电商运营"), ("收银员", "收银员")])
def test_clean_title(raw, clean):
    assert clean_title(raw) == clean


def test_known_noisy_titles_with_packaged_catalogue():
    out = normalize_titles(["急招保洁阿姨", "快递小哥", "拼多多运营", "呼叫中心客服"], k=3)
    top1 = out[out["rank"] == 1].set_index("title")["code"]
    assert top1["急招保洁阿姨"] == "4-09-08-01"
    assert top1["快递小哥"] == "4-02-07-08"
    assert top1["拼多多运营"] == "4-01-06-01"
    assert (out.groupby("title")["score"].apply(lambda s: s.is_monotonic_decreasing)).all()


def test_custom_catalogue_and_alias_matching():
    cat = pd.DataFrame({"code": ["1-00-00-01", "2-00-00-02"], "name": ["面点师", "园林绿化工"],
                        "aliases": ["白案师傅,包子师傅S", "绿化工"], "definition": ["制作面点的人员", "养护花草树木的人员"]})
    norm = TitleNormalizer(catalogue=cat)
    assert norm.top_k(["包子师傅"], k=1)["code"].item() == "1-00-00-01"  # alias, L/S mark removed
    assert norm.top_k(["花草养护"], k=1)["code"].item() == "2-00-00-02"  # via the definition
    with pytest.raises(ParameterError):
        norm.top_k(["x"], k=0)
    with pytest.raises(ParameterError):
        TitleNormalizer(name_weight=2, catalogue=cat)
