"""The HTML report: self-contained, figures embedded, IDs masked, both languages."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pandas as pd
import pytest

pytest.importorskip("matplotlib")
pytest.importorskip("jinja2")

from jhmatch.report import write_report

RAW_ID = "11010519491231002X"


@pytest.fixture()
def case():
    persons = pd.DataFrame({
        "person_id": ["p1", "p2", "p3", RAW_ID],
        "county": ["330782", "330782", "330727", "330783"],
        "category": ["visual", "physical", "physical", "hearing"],
    })
    posts = pd.DataFrame({"post_id": ["q1", "q2"], "kind": ["blind_massage", "cloud_review"], "capacity": [1, 3]})
    allocation = SimpleNamespace(
        assignments=pd.DataFrame({"person_id": ["p1", "p2"], "post_id": ["q1", "q2"], "score": [0.9, 0.7]}),
        unplaced=pd.DataFrame({"person_id": ["p3", RAW_ID], "reason": ["no candidate post", "capacity taken"]}),
        status=SimpleNamespace(value="optimal"), backend="flow", objective=1.6, bound=1.6, gap=0.0,
        solve_time=0.01, message=f"solved; first person {RAW_ID}",
    )
    targets = pd.DataFrame({"target": ["new jobs", "welfare posts"], "value": [2, 0], "goal": [5, 1],
                            "status": ["short", "short"]})
    chain = pd.DataFrame({"stage": [0, 1], "source": ["employer A", "agency B"], "target": ["agency B", "base 磐安"],
                          "flow": [3.0, 3.0]})
    return allocation, persons, posts, targets, chain


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_is_self_contained_and_masked(tmp_path, case, lang):
    allocation, persons, posts, targets, chain = case
    path = write_report(tmp_path, allocation, persons, posts, targets=targets, chain=chain, lang=lang)
    html = path.read_text(encoding="utf-8")
    assert html.count('src="data:image/png;base64,') == 5
    assert not re.search(r'src="(?!data:)', html) and "<link" not in html  # nothing external
    assert RAW_ID not in html and "110*************2X" in html
    assert ("各县市区安置情况" in html) == (lang == "zh")
    assert "50.0%" in html and "100.0%" in html  # physical: 1 of 2 placed; Yiwu: 2 of 2
    assert "no candidate post" in html and "optimal" in html
    assert list(tmp_path.iterdir()) == [path]


def test_report_without_optional_sections(tmp_path, case):
    allocation, persons, posts, _, _ = case
    allocation.unplaced = allocation.unplaced.iloc[:0]
    html = write_report(tmp_path, allocation, persons, posts).read_text(encoding="utf-8")
    assert html.count("data:image/png") == 3 and "Everyone was placed." in html


def test_unknown_language(tmp_path, case):
    allocation, persons, posts, _, _ = case
    with pytest.raises(ValueError, match="lang"):
        write_report(tmp_path, allocation, persons, posts, lang="fr")


def test_report_markup_is_not_double_escaped(tmp_path, case):
    allocation, persons, posts, _, _ = case
    html = write_report(tmp_path, allocation, persons, posts).read_text(encoding="utf-8")
    assert "<h3>Examples</h3>" in html and "&lt;h3&gt;" not in html and "&lt;table" not in html
