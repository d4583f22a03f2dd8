"""The report opened in headless Chromium: no errors, every figure decoded, Chinese drawn with a Chinese font.

The page runs a small self-check on load (see the template): it counts script
errors and decoded figures, and draws two different Chinese characters on a
canvas with the page's font; they must come out different (boxes in place of
missing glyphs are all alike). The figures themselves are checked through
matplotlib: drawn with the font :func:`jhmatch.report.figures.figure_font` found.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from types import SimpleNamespace

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib import image

from jhmatch.report import figures, write_report

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
needs_browser = pytest.mark.skipif(BROWSER is None, reason="no Chromium on this machine (.ci/run installs Debian's "
                                                           "chromium)")


def _case():
    persons = pd.DataFrame({"person_id": ["p1", "p2", "p3"], "county": ["330782", "330782", "330727"],
                            "category": ["visual", "physical", "physical"]})
    posts = pd.DataFrame({"post_id": ["q1", "q2"], "kind": ["blind_massage", "cloud_review"], "capacity": [1, 3]})
    allocation = SimpleNamespace(
        assignments=pd.DataFrame({"person_id": ["p1", "p2"], "post_id": ["q1", "q2"]}),
        unplaced=pd.DataFrame({"person_id": ["p3"], "reason": ["no candidate post"]}),
        status=SimpleNamespace(value="optimal"), backend="flow", objective=1.6, bound=1.6, gap=0.0,
        solve_time=0.01, message="ok")
    targets = pd.DataFrame({"target": ["new_jobs", "employment_rate"], "value": [2, 0.56], "goal": [5, 0.6]})
    chain = pd.DataFrame({"stage": [0, 1], "source": ["employers Yiwu", "D1"], "target": ["D1", "base Pan'an"],
                          "flow": [1.0, 1.0]})
    return allocation, persons, posts, targets, chain


def _open(page: Path, shot: Path | None = None, env: dict[str, str] | None = None) -> str:
    """The page's DOM after load, and a screenshot of it, from a fresh browser profile."""
    profile = tempfile.mkdtemp(prefix="jhmatch-chromium-")
    run = {"capture_output": True, "timeout": 120, "env": env}
    try:
        dom = subprocess.run([BROWSER, *FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=5000",
                              "--dump-dom", page.as_uri()], text=True, **run).stdout
        if shot is not None:
            subprocess.run([BROWSER, *FLAGS, f"--user-data-dir={profile}", "--window-size=1000,1400",
                            "--hide-scrollbars", f"--screenshot={shot}", page.as_uri()], **run)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return dom


def _not_blank(shot: Path) -> float:
    """Share of the screenshot's pixels that are not white (a blank page gives 0)."""
    pixels = image.imread(shot)[..., :3]
    return float(np.mean(pixels.min(axis=-1) < 0.9))


@needs_browser
def test_report_loads_in_chromium_without_errors(tmp_path):
    allocation, persons, posts, targets, _ = _case()
    page = write_report(tmp_path / "report", allocation, persons, posts, targets=targets)
    dom = _open(page, tmp_path / "shot.png")
    root = re.search(r"<html[^>]*>", dom).group(0)
    assert 'data-errors="0"' in root
    assert 'data-figures="4"' in root and 'data-figures-loaded="4"' in root
    assert _not_blank(tmp_path / "shot.png") > 0.02


@needs_browser
def test_chinese_report_renders_with_a_chinese_font(tmp_path):
    font = figures.figure_font()
    if font is None:
        pytest.skip("no font with Chinese glyphs on this machine (install fonts-noto-cjk)")
    allocation, persons, posts, targets, chain = _case()
    page = write_report(tmp_path / "report", allocation, persons, posts, targets=targets, chain=chain, lang="zh")
    shot = tmp_path / "shot.png"
    dom = _open(page, shot)
    root = re.search(r"<html[^>]*>", dom).group(0)
    assert 'lang="zh-CN"' in root and 'data-errors="0"' in root
    assert 'data-figures="5"' in root and 'data-figures-loaded="5"' in root
    assert 'data-cjk-glyphs="distinct"' in root  # the browser drew real Chinese glyphs, not boxes
    assert f'data-figure-lang="zh" data-figure-font="{font.name}"' in root  # figures drawn with it
    assert '<p class="status" id="status">计划已求得最优方案</p>' in dom
    assert re.search(r'<details id="solver">\s*<summary><h2>求解详情</h2>', dom)  # last, collapsed
    assert _not_blank(shot) > 0.02


@needs_browser
def test_self_check_notices_boxes_when_the_browser_has_no_chinese_font(tmp_path):
    """Without a Chinese font (fontconfig told of matplotlib's DejaVu fonts only) the check says "boxes",
    so "distinct" above is evidence of a Chinese font, not a check that always passes."""
    allocation, persons, posts, _, _ = _case()
    page = write_report(tmp_path / "report", allocation, persons, posts, lang="zh")
    conf = tmp_path / "fonts.conf"
    conf.write_text(f"""<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>{Path(matplotlib.get_data_path()) / "fonts" / "ttf"}</dir>
<cachedir>{tmp_path / "fc-cache"}</cachedir></fontconfig>""", encoding="utf-8")
    dom = _open(page, env={**os.environ, "FONTCONFIG_FILE": str(conf)})
    assert 'data-cjk-glyphs="boxes"' in re.search(r"<html[^>]*>", dom).group(0)
