"""The HTML report: read top-down, labelled right, in the planner's language, self-contained and masked."""

from __future__ import annotations

import html as htmllib
import re
from types import SimpleNamespace

import pandas as pd
import pytest
from matplotlib import font_manager
from matplotlib.text import Text

from jhmatch.errors import JhmatchWarning, ParameterError
from jhmatch.i18n import get_language, language
from jhmatch.pipeline import county_summary
from jhmatch.report import figures, write_report
from jhmatch.taxonomy import REGIONS

RAW_ID = "11010519491231002X"
CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture()
def case():
    persons = pd.DataFrame({
        "person_id": ["p1", "p2", "p3", RAW_ID, "p5", "p6"],
        "county": ["330782", "330782", "330727", "330783", "330782", "330702"],
        "category": ["visual", "physical", "physical", "hearing", "physical", "mental"],
        # p5 does not want work and p6 has a job: neither is a seeker
        "willing": [True, True, True, True, False, True],
        "employed": [False, False, False, False, False, True],
    })
    posts = pd.DataFrame({"post_id": ["q1", "q2"], "kind": ["blind_massage", "cloud_review"], "capacity": [1, 3]})
    allocation = SimpleNamespace(
        assignments=pd.DataFrame({"person_id": ["p1", "p2"], "post_id": ["q1", "q2"], "score": [0.9, 0.7]}),
        unplaced=pd.DataFrame({"person_id": ["p3", RAW_ID], "reason": ["no candidate post", "every candidate post is full"]}),
        status=SimpleNamespace(value="optimal"), backend="milp", objective=1.6, bound=1.6, gap=0.0,
        solve_time=0.01, message=f"HiGHS: solved; first person {RAW_ID}",
    )
    targets = pd.DataFrame({"target": ["new_jobs", "welfare_posts", "employment_rate"], "value": [2, 0, 0.5608],
                            "goal": [5, 1, 0.6], "status": ["not met", "not met", "not met"]})
    chain = pd.DataFrame({"stage": [0, 1, 1], "source": ["employers Yiwu", "D1", "D1"],
                          "target": ["D1", "base Pan'an", "B330723"], "flow": [3.0, 2.0, 1.0]})
    return allocation, persons, posts, targets, chain


def _page(tmp_path, case, lang, **kw):
    allocation, persons, posts, targets, chain = case
    return write_report(tmp_path, allocation, persons, posts, targets=targets, chain=chain, lang=lang,
                        **kw).read_text(encoding="utf-8")


def _visible(page: str) -> str:
    """The text a reader sees (and image alt texts), without solver output marked lang="en"."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r'<td[^>]*lang="en"[^>]*>.*?</td>', " ", page, flags=re.S)
    alts = " ".join(re.findall(r'alt="([^"]*)"', page))
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", page) + " " + alts)


def _english_words(text: str) -> list[str]:
    """Latin words that are not IDs (IDs carry digits or mask stars: p3, D1, 110***2X)."""
    return [w for w in re.findall(r"[A-Za-z0-9*'_-]+", text) if re.search(r"[A-Za-z]{2}", w)
            and not re.search(r"[0-9*]", w)]


def _rows(page: str, section: str) -> list[list[str]]:
    part = re.search(rf'<section id="{section}">(.*?)</section>', page, re.S).group(1)
    body = re.search(r"<tbody>(.*?)</tbody>", part, re.S).group(1)
    return [[htmllib.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", r)] for r in body.split("</tr>") if r]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_is_self_contained_and_masked(tmp_path, case, lang):
    page = _page(tmp_path, case, lang)
    assert page.count('src="data:image/png;base64,') == 5  # counties, targets, categories, kinds, chain
    assert not re.search(r'src="(?!data:)', page) and "<link" not in page  # nothing external
    assert RAW_ID not in page and "110*************2X" in page
    assert ("各县市区安置情况" in page) == (lang == "zh")
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]  # no temp file left


def test_english_report_reads_in_english(tmp_path, case):
    page = _page(tmp_path, case, "en")
    assert "no candidate post" in page and "Placements by county" in page and not CJK.search(_visible(page))
    assert "<h3>Examples</h3>" in page and "&lt;h3&gt;" not in page and "&lt;table" not in page


def test_chinese_report_has_no_english_word_outside_ids(tmp_path, case):
    page = _page(tmp_path, case, "zh")
    assert _english_words(_visible(page)) == []
    for word in ("没有合适的候选岗位", "候选岗位均已满员", "最优", "混合整数规划", "新增残疾人就业", "未完成", "视力"):
        assert word in page
    assert '<html lang="zh-CN"' in page


def test_order_status_headline_tables_then_collapsed_solver_details(tmp_path, case):
    page = _page(tmp_path, case, "zh")
    paragraphs = re.findall(r"<p[^>]*>(.*?)</p>", page, re.S)
    assert paragraphs[0] == "计划已求得最优方案"  # status_line, read-only
    assert paragraphs[1] == ("已安置 2 人，求职人员共 4 人（安置率 50.0%）。行动计划目标已完成 0 项，共 3 项。"
                             "未完成的目标：新增残疾人就业、新增残疾人公益性岗位、劳动年龄段持证残疾人就业率。")
    marks = ['id="status"', 'id="headline"', '<section id="counties">', '<section id="targets">',
             '<section id="categories">', '<section id="kinds">', '<section id="chain">', '<section id="unplaced">',
             '<details id="solver">']
    assert [page.index(m) for m in marks] == sorted(page.index(m) for m in marks)
    details = re.search(r'<details id="solver">.*?</details>', page, re.S).group(0)
    assert "<details id=\"solver\">" in details and " open" not in details.split(">")[0]  # collapsed
    for word in ("求解状态", "目标函数值", "上界", "差距", "HiGHS"):  # solver internals only in there
        assert word in details and word not in page.replace(details, "")


def test_county_table_counts_seekers_and_agrees_with_the_terminal(tmp_path, case):
    allocation, persons, *_ = case
    page = _page(tmp_path, case, "zh")
    assert _rows(page, "counties")[0] == ["婺城区", "0", "0", "—"]  # p6 has a job: no seeker, no `nan`
    rows = {r[0]: r[1:] for r in _rows(page, "counties")}
    with language("zh"):
        from jhmatch.i18n import format_percent

        for rec in county_summary(persons, allocation, "zh").itertuples(index=False):
            if rec.seekers:
                assert rows[rec.county] == [str(rec.seekers), str(rec.placed), format_percent(rec.rate)]
    assert rows["义乌市"] == ["2", "2", "100.0%"]  # p5 (not willing) is not a seeker of Yiwu
    assert [r[0] for r in _rows(page, "counties")] == [r.zh for r in REGIONS]


def test_percentages_not_raw_ratios(tmp_path, case):
    page = _page(tmp_path, case, "zh")
    text = _visible(page)
    assert not re.search(r"\b0\.\d{3,}", text) and not re.search(r"\bnan\b", text, re.I)
    assert ["劳动年龄段持证残疾人就业率", "56.1%", "60.0%", "未完成"] in _rows(page, "targets")
    assert ["新增残疾人就业", "2", "5", "未完成"] in _rows(page, "targets")


def test_chain_nodes_have_readable_names(tmp_path, case):
    rows = _rows(_page(tmp_path, case, "zh"), "chain")
    assert rows[0] == ["用人单位 → 劳务派遣机构", "义乌市用人单位", "劳务派遣机构 D1", "3"]
    assert [r[2] for r in rows[1:]] == ["磐安县就业基地", "武义县就业基地"]
    named = _rows(_page(tmp_path, case, "zh", chain_names={"D1": "金华助残劳务派遣公司"}), "chain")
    assert named[0][2] == "金华助残劳务派遣公司" and named[1][1] == "金华助残劳务派遣公司"
    rows_en = _rows(_page(tmp_path, case, "en"), "chain")
    assert rows_en[0][1:3] == ["employers in Yiwu", "labour-dispatch agency D1"]


@pytest.fixture()
def drawn(monkeypatch):
    """Every text drawn in a figure, with the font file matplotlib picked for it."""
    seen: list[tuple[str, str]] = []
    original = figures.to_png

    def record(fig):
        for t in fig.findobj(Text):
            if t.get_text().strip() and t.get_visible():
                seen.append((t.get_text(), str(font_manager.findfont(t.get_fontproperties()))))
        return original(fig)

    monkeypatch.setattr(figures, "to_png", record)
    return seen


def test_chinese_figures_are_drawn_in_chinese_with_a_cjk_font(tmp_path, case, drawn):
    font = figures.figure_font()
    if font is None:
        pytest.skip("no font with Chinese glyphs on this machine")
    page = _page(tmp_path, case, "zh")
    assert f'data-figure-font="{font.name}"' in page and "figure-note" not in page
    texts = [t for t, _ in drawn]
    for label in ("各县市区安置情况", "已安置", "未安置", "求职人数", "义乌市", "磐安县", "行动计划目标", "新增残疾人就业",
                  "目标完成比例", "各类岗位填补情况", "盲人按摩", "视力", "跨区域按比例就业链", "义乌市用人单位"):
        assert label in texts, label
    assert _english_words(" ".join(texts)) == []
    cjk_files = {path for text, path in drawn if CJK.search(text)}
    assert cjk_files == {font.path}  # every Chinese label drawn with the CJK font matplotlib found


def test_without_a_cjk_font_figures_fall_back_to_english_and_say_so(tmp_path, case, drawn, monkeypatch):
    monkeypatch.setattr(figures, "figure_font", lambda: None)
    with pytest.warns(JhmatchWarning, match="中文字体"):
        page = _page(tmp_path, case, "zh")
    assert "本机未找到中文字体，因此图表以英文标注。" in page and 'data-figure-lang="en"' in page
    texts = " ".join(t for t, _ in drawn)
    assert not CJK.search(texts)  # no boxes in place of characters
    assert "Placements by county" in texts and "Yiwu" in texts
    assert "各县市区安置情况" in page  # the page itself stays Chinese


def test_report_without_optional_sections(tmp_path, case):
    allocation, persons, posts, _, _ = case
    allocation.unplaced = allocation.unplaced.iloc[:0]
    page = write_report(tmp_path, allocation, persons[["person_id", "county"]], posts).read_text(encoding="utf-8")
    assert page.count("data:image/png") == 2 and "Everyone was placed." in page
    assert "Plan targets met" not in page


def test_language_is_restored_and_unknown_language_refused(tmp_path, case):
    allocation, persons, posts, _, _ = case
    before = get_language()
    write_report(tmp_path, allocation, persons, posts, lang="zh")
    assert get_language() == before
    with pytest.raises(ParameterError, match="fr"):
        write_report(tmp_path, allocation, persons, posts, lang="fr")


def test_missing_values_are_shown_not_dropped_and_never_nan(tmp_path):
    persons = pd.DataFrame({"person_id": ["p1", "p2"], "county": [None, float("nan")], "category": [None, "visual"]})
    posts = pd.DataFrame({"post_id": ["q1"], "kind": ["cloud_review"], "capacity": [1]})
    allocation = SimpleNamespace(
        assignments=pd.DataFrame({"person_id": [], "post_id": []}),
        unplaced=pd.DataFrame({"person_id": ["p1", "p2"], "reason": [None, "no candidate post"]}),
        status="time_limit", backend="milp", objective=float("nan"), bound=None, gap=None, solve_time=None,
        message="")
    targets = pd.DataFrame({"target": ["new_jobs"], "value": [float("nan")], "goal": [5], "status": ["no data"]})
    page = write_report(tmp_path, allocation, persons, posts, targets=targets, lang="zh").read_text(encoding="utf-8")
    assert _rows(page, "counties")[-1] == ["未填写县市区", "2", "0", "0.0%"]  # counted, not dropped
    assert ["新增残疾人就业", "—", "5", "无数据"] in _rows(page, "targets")
    assert "行动计划目标已完成" not in page  # no target with data: no "0 of 0" sentence
    assert not re.search(r"\bnan\b|None", _visible(page), re.I) and _english_words(_visible(page)) == []
    assert re.search(r"<p[^>]*>(.*?)</p>", page).group(1).startswith("未得到计划")
    no_column = write_report(tmp_path, allocation, persons.drop(columns=["county"]), posts).read_text(encoding="utf-8")
    assert ["county not given", "2", "0", "0.0%"] in _rows(no_column, "counties")
