"""The planner's path end to end, in Chinese, from office files (issue 13, "Done when").

Realistic office files (Excel with a title row, GBK CSV, office header variants, a
column jhmatch does not know) go through validate → allocate → plan-posts → progress
→ policy with ``--lang zh``, each as a separate ``jhmatch`` process as a planner runs
it. The test asserts that no English word reaches the planner (outside identifiers,
file names and units), that the unknown column is reported rather than lost, that
every output table has Chinese headers, and that the report renders in headless
Chromium with a CJK font.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("openpyxl", reason="office Excel files need the excel extra")

from office_files import UNKNOWN_COLUMN, write_office_files

pytestmark = pytest.mark.slow

# Latin tokens a Chinese page may keep: identifiers and codes, file names, units, the program's name.
ALLOWED = {"jhmatch", "csv", "xlsx", "xls", "html", "md", "toml", "index", "report", "out", "docs",
           "excel", "gbk", "utf", "id", "ids", "highs", "cbc", "milp", "lp", "flow", "vat", "pdf", "png", "cjk"}
WORD = re.compile(r"(?<![\w./\\-])[A-Za-z]{3,}(?![\w./\\-])")


def english_words(text: str) -> list[str]:
    """Latin words of three letters or more, outside paths, ids (P000001, J000002) and the allowed set."""
    text = re.sub(r"(?:[\w.-]*[/\\])+[\w.-]*", " ", text)  # paths
    return sorted({w for w in WORD.findall(text) if w.lower() not in ALLOWED})


def test_english_words_finds_sentences_not_ids():
    assert english_words("已安置 120 名 (P000123, J000002) 写入 out/allocation.csv") == []
    assert english_words("status: optimal") == ["optimal", "status"]


def jhmatch(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "JHMATCH_LANG": "zh", "PYTHONWARNINGS": "ignore", "COLUMNS": "120"}
    return subprocess.run([sys.executable, "-m", "jhmatch", *args], cwd=cwd, capture_output=True,
                          text=True, encoding="utf-8", timeout=900, env=env)


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    folder = tmp_path_factory.mktemp("office")
    return folder, write_office_files(folder / "报表")


def _check_chinese(proc: subprocess.CompletedProcess, step: str) -> str:
    text = proc.stdout + proc.stderr
    assert "Traceback" not in text, f"{step}: traceback\n{text[-3000:]}"
    words = english_words(text)
    assert not words, f"{step}: English words reach the planner: {words}\n{text[-3000:]}"
    return text


def _chinese_headers(path: Path) -> None:
    frame = pd.read_excel(path, sheet_name=None, engine="openpyxl") if path.suffix == ".xlsx" else {"": pd.read_csv(path)}
    for sheet, table in frame.items():
        latin = [c for c in table.columns if english_words(str(c))]
        assert not latin, f"{path.name} {sheet}: headers not in Chinese: {latin}"


def test_planner_path_in_chinese(office):
    folder, files = office
    out = folder / "结果"

    proc = jhmatch("validate", str(files["persons"]), str(files["posts"]), str(files["employers"]),
                   "--lang", "zh", cwd=folder)
    text = _check_chinese(proc, "validate")
    assert proc.returncode == 0, text
    assert UNKNOWN_COLUMN in text, "the unknown column 备注 was dropped without a word"

    proc = jhmatch("allocate", str(files["persons"]), str(files["posts"]), "--out", str(out), "--lang", "zh",
                   "--time-limit", "120", cwd=folder)
    text = _check_chinese(proc, "allocate")
    assert proc.returncode in (0, 3), text
    assert UNKNOWN_COLUMN in text, "allocate must say which columns it did not use"
    written = sorted(p for p in out.rglob("*") if p.suffix in (".csv", ".xlsx"))
    assert written, "allocate wrote no table"
    for path in written:
        _chinese_headers(path)
    allocation = pd.read_csv(out / "allocation.csv") if (out / "allocation.csv").exists() else None
    if allocation is not None:
        assert any("姓名" in c or "岗位名称" in c for c in allocation.columns), list(allocation.columns)
        ids = re.compile(r"\d{17}[\dXx]")
        assert not any(ids.search(str(v)) for v in allocation.astype(str).to_numpy().ravel()), "raw ID number"
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert not english_words(summary), english_words(summary)

    proc = jhmatch("plan-posts", str(files["persons"]), str(files["posts"]), "--out", str(folder / "预留"),
                   "--lang", "zh", "--time-limit", "60", cwd=folder)
    _check_chinese(proc, "plan-posts")
    assert proc.returncode in (0, 3, 4), proc.stderr

    alloc_file = out / "allocation.csv"
    proc = jhmatch("progress", str(files["persons"]), str(files["posts"]), "--allocation", str(alloc_file),
                   "--county", "--lang", "zh", cwd=folder)
    text = _check_chinese(proc, "progress")
    assert proc.returncode == 0, text
    assert "新增残疾人就业" in text

    proc = jhmatch("policy", str(files["employers"]), "--year", "2025", "--lang", "zh",
                   "--out", str(folder / "单位.csv"), cwd=folder)
    text = _check_chinese(proc, "policy")
    assert proc.returncode == 0, text
    policy_table = pd.read_csv(folder / "单位.csv")
    name_column = next((c for c in ("用人单位", "单位名称") if c in policy_table.columns), None)
    assert name_column, "the employer's name must stay in the policy output"
    assert policy_table[name_column].str.contains("有限公司|局|办事处").any()


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def test_report_renders_with_a_cjk_font(office, tmp_path):
    browser = _chromium()
    if browser is None:
        pytest.skip("headless Chromium is not installed (Debian package chromium)")
    fc = shutil.which("fc-list")
    if fc is None or "CJK" not in subprocess.run([fc], capture_output=True, text=True).stdout:
        pytest.skip("no CJK font installed (Debian package fonts-noto-cjk)")
    folder, files = office
    out = tmp_path / "结果"
    proc = jhmatch("allocate", str(files["persons"]), str(files["posts"]), "--out", str(out), "--lang", "zh",
                   "--time-limit", "120", "-q", cwd=folder)
    assert proc.returncode in (0, 3), proc.stderr
    page = next(out.rglob("index.html"))
    shot = tmp_path / "report.png"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'u'}"]
    dom = subprocess.run([browser, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True,
                         timeout=120).stdout
    # the solver's own message stays as the solver wrote it, marked lang="en" in a closed section
    dom = re.sub(r"<(\w+)[^>]*\blang=\"en\"[^>]*>.*?</\1>", " ", dom, flags=re.DOTALL)
    body = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", " ", dom, flags=re.DOTALL))
    assert "安置" in body, "the rendered report has no Chinese text"
    assert not english_words(body), english_words(body)
    subprocess.run([browser, *flags, f"--screenshot={shot}", "--window-size=1200,2000", page.as_uri()],
                   capture_output=True, timeout=120)
    assert shot.is_file() and shot.stat().st_size > 20_000, "the screenshot is missing or blank"
