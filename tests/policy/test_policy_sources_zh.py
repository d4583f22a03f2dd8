"""Chinese first for planners: every policy parameter's source has a Chinese text under ``--lang zh``.

The packaged file's sources are JSON text, which the catalogue test (``tests/foundation/test_i18n.py``)
does not see; this test checks them: every period has a ``source_zh`` in Chinese that keeps the
document numbers of its English ``source`` exactly, and every table that shows sources shows it.
"""

from __future__ import annotations

import json
import re
from importlib import resources

import pandas as pd
import pytest

from jhmatch.i18n import language
from jhmatch.policy import PolicyParameters, fund_due, load_parameters, quota_employment

CJK = re.compile(r"[\u4e00-\u9fff]")
SENTENCE = re.compile(r"\b(?:the|and|of|to|is|not|expected|got|row|column|file|before|from|by|at|a)\b",
                      re.IGNORECASE)
PATH = re.compile(r"/?[A-Za-z0-9_~+-]+(?:[/.][A-Za-z0-9_~+-]+)+")  # file paths, module names
DOCUMENT = re.compile(r"[\u4e00-\u9fff]{2,4}〔\d{4}〕\d+号|\d{4}年第\d+号|令第\d+号")


def _packaged() -> dict:
    text = resources.files("jhmatch.policy").joinpath("data/parameters.json").read_text(encoding="utf-8")
    return json.loads(text)["parameters"]


def _chinese(text: object) -> bool:
    """Chinese characters and no English sentence (file paths and module names may stay in Latin letters)."""
    return isinstance(text, str) and bool(CJK.search(text)) and not SENTENCE.search(PATH.sub("", text))


def test_every_packaged_period_has_a_chinese_source_keeping_the_document_numbers():
    missing, english, numbers = [], [], []
    for name, periods in _packaged().items():
        for item in periods:
            zh = item.get("source_zh", "")
            where = f"{name} from {item['from']}"
            if not zh:
                missing.append(where)
                continue
            if not _chinese(zh):
                english.append(f"{where}: {zh!r}")
            lost = [d for d in DOCUMENT.findall(item["source"]) if d not in zh]
            if lost:
                numbers.append(f"{where}: {lost}")
    assert not missing, "periods without a Chinese source (add source_zh to parameters.json):\n" + "\n".join(missing)
    assert not english, "Chinese sources with English sentences:\n" + "\n".join(english)
    assert not numbers, "document numbers lost in the Chinese source:\n" + "\n".join(numbers)


def test_book_reads_source_zh_and_source_text_follows_the_language():
    pv = load_parameters().periods("fund_wage_cap_multiple")[-1]
    assert pv.source_zh.startswith("财政部公告2019年第98号")
    assert pv.source_text() == pv.source and "from 2020-01-01" in pv.source
    with language("zh"):
        assert pv.source_text() == pv.source_zh
        assert pv.source_zh in str(pv)


def test_parameter_table_and_rule_sources_are_chinese_under_zh():
    params = PolicyParameters.for_year(2025)
    employers = pd.DataFrame({"employer_id": ["e1", "e2"], "county": ["义乌", "磐安"], "staff": [200, 40],
                              "disabled_staff": [1, 0], "average_wage": [90000, 60000]})
    with language("zh"):
        tables = {"parameters": params.table(), "quota": quota_employment(employers, params).sources(),
                  "fund": fund_due(employers, params).sources()}
    for what, table in tables.items():
        bad = [f"{n}: {s!r}" for n, s in zip(table["name"], table["source"]) if not _chinese(s)]
        assert not bad, f"{what}: sources without Chinese:\n" + "\n".join(bad)
    english = params.table()
    assert english.set_index("name").loc["quota_ratio", "source"].startswith("残疾人就业条例 (国务院令第488号) art. 8")


@pytest.mark.parametrize("how", ["replace", "overrides", "file"])
def test_overridden_values_name_their_origin_in_chinese(tmp_path, how):
    if how == "replace":
        params = PolicyParameters.for_year(2025).replace(local_average_wage=120000)
    elif how == "overrides":
        params = PolicyParameters.for_year(2025, overrides={"local_average_wage": 120000})
    else:
        path = tmp_path / "jinhua.json"
        path.write_text(json.dumps({"local_average_wage": 120000}), encoding="utf-8")
        params = PolicyParameters.for_year(2025, overrides=path)
    pv = params.sources["local_average_wage"]
    assert pv.status == "OVERRIDE" and not CJK.search(pv.source_text())
    with language("zh"):
        text = pv.source_text()
    assert _chinese(text), text
    if how == "file":
        assert "jinhua.json" in text


def test_an_override_file_may_give_a_chinese_source(tmp_path):
    path = tmp_path / "periods.json"
    path.write_text(json.dumps({"reward_per_excess_person": [
        {"value": 5000, "from": "2021-08-01", "to": "2027-12-31", "status": "CONFIRMED",
         "source": "county decision 2024", "source_zh": "县政府2024年决定"}]}), encoding="utf-8")
    pv = PolicyParameters.for_year(2025, overrides=path).sources["reward_per_excess_person"]
    with language("zh"):
        assert pv.source_text() == "县政府2024年决定"
    assert pv.source_text() == "county decision 2024"


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    from typer.testing import CliRunner

    from jhmatch.cli import app

    folder = tmp_path_factory.mktemp("city")
    assert CliRunner().invoke(app, ["scenario", str(folder), "-n", "300", "--seed", "4", "-q"]).exit_code == 0
    return folder


def _run_zh(args: list[str]) -> None:
    from typer.testing import CliRunner

    from jhmatch.cli import app

    result = CliRunner().invoke(app, ["--lang", "zh", *args])
    assert result.exit_code == 0, result.output


def test_policy_ledger_and_progress_write_their_sources_in_chinese(city, tmp_path):
    persons, posts, employers = (str(city / f"{n}.csv") for n in ("persons", "posts", "employers"))
    _run_zh(["policy", employers, "--year", "2025", "--out", str(tmp_path / "policy.csv")])
    _run_zh(["ledger", persons, posts, "--employers", employers, "--county", "--out", str(tmp_path / "ledger.csv")])
    _run_zh(["progress", persons, posts, "--county", "--out", str(tmp_path / "progress.csv")])
    columns = {"policy.csv": ["所用假设参数"], "ledger.csv": ["数据来源"], "progress.csv": ["依据条文", "所用假设参数"]}
    for name, wanted in columns.items():
        table = pd.read_csv(tmp_path / name, encoding="utf-8-sig", dtype=str)
        for column in wanted:
            cells = table[column].dropna()
            bad = sorted({c for c in cells if not CJK.search(c)})
            assert not bad, f"{name} {column}: cells without Chinese: {bad}"


def test_progress_sources_have_no_latin_plan_prefix(city, tmp_path):
    persons, posts = str(city / "persons.csv"), str(city / "posts.csv")
    _run_zh(["progress", persons, posts, "--out", str(tmp_path / "progress.csv")])
    sources = pd.read_csv(tmp_path / "progress.csv", encoding="utf-8-sig", dtype=str)["依据条文"]
    assert not [s for s in sources if "PLAN" in s]
    assert sources.str.startswith("《行动计划》").all()
