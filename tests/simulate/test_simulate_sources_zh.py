"""Chinese first for planners: the simulation's rates show their sources and statuses in Chinese.

``jhmatch simulate --lang zh`` writes ``scenario.csv`` and an HTML page listing every rate with its
source; every source cell must be Chinese, whether it is a documented default, a scenario file or
a value set by the user.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from jhmatch.cli import main
from jhmatch.i18n import catalogue, language
from jhmatch.simulate.scenario import RATES, USER_ORIGIN, SimulationScenario, source_text

CODE_NAME = re.compile(r"jhmatch\.\w|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b")
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def _english_by_default(monkeypatch):
    monkeypatch.setenv("JHMATCH_LANG", "en")


def test_every_rate_source_is_in_the_catalogue():
    zh = catalogue("zh")
    missing = [name for name, spec in RATES.items() if spec.source not in zh or not CJK.search(zh[spec.source])]
    assert not missing, f"rate sources without Chinese text in simulate.po: {missing}"


def test_source_text_covers_files_users_and_sensitivity_runs():
    scenario = SimulationScenario().replace(death_rate=0.01).replace(origin="scenario file 金华.toml", move_rate=0.0)
    with language("zh"):
        texts = {p.name: p.source_text() for p in scenario.parameters()}
        assert source_text("sensitivity x0.5") == "敏感性分析：取值乘以 0.5"
    assert texts["death_rate"] == "由用户设定" and texts["move_rate"] == "情景文件 金华.toml"
    assert all(CJK.search(t) for t in texts.values()), texts
    english = {p.name: p.source_text() for p in scenario.parameters()}
    assert english["death_rate"] == USER_ORIGIN and english["move_rate"] == "scenario file 金华.toml"


def test_simulate_in_chinese_writes_every_source_and_status_in_chinese(tmp_path, capsys):
    out = tmp_path / "sim"
    code = main(["simulate", "--demo", "--persons", "300", "--replications", "2",
                 "--workers", "1", "--out", str(out), "--lang", "zh", "-q"])
    capsys.readouterr()
    assert code == 0
    table = pd.read_csv(out / "scenario.csv", encoding="utf-8-sig", dtype=str)
    assert len(table) == len(RATES)
    for column in ("依据条文", "状态"):
        bad = [cell for cell in table[column] if not CJK.search(str(cell))]
        assert not bad, f"{column}: cells without Chinese: {bad}"
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "第二次全国残疾人抽样调查" in page and "中国残联" in page
    assert not CODE_NAME.search(" ".join(table["依据条文"])), "code names in scenario.csv"
    assert "jhmatch.datasets" not in page and "jhmatch.reserved" not in page
    left = [spec.source[:40] for spec in RATES.values() if spec.source[:40] in page]
    assert not left, f"English sources on the Chinese page: {left}"


def test_chinese_sources_name_no_code():
    zh = catalogue("zh")
    with_code = {name: zh[spec.source] for name, spec in RATES.items() if CODE_NAME.search(zh.get(spec.source, ""))}
    assert not with_code, f"code names in the Chinese sources: {with_code}"
