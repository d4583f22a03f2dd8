"""The report opened in headless Chromium: no errors, every figure decoded and shown."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from types import SimpleNamespace

import pandas as pd
import pytest

pytest.importorskip("matplotlib")
from jhmatch.report import write_report

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.mark.skipif(BROWSER is None, reason="no Chromium on this machine (.ci/run installs Debian's chromium)")
def test_report_loads_in_chromium_without_errors(tmp_path):
    persons = pd.DataFrame({"person_id": ["p1", "p2", "p3"], "county": ["330782", "330782", "330727"],
                            "category": ["visual", "physical", "physical"]})
    posts = pd.DataFrame({"post_id": ["q1", "q2"], "kind": ["blind_massage", "cloud_review"], "capacity": [1, 3]})
    allocation = SimpleNamespace(
        assignments=pd.DataFrame({"person_id": ["p1", "p2"], "post_id": ["q1", "q2"]}),
        unplaced=pd.DataFrame({"person_id": ["p3"], "reason": ["no candidate post"]}),
        status=SimpleNamespace(value="optimal"), backend="flow", objective=1.6, bound=1.6, gap=0.0,
        solve_time=0.01, message="ok")
    targets = pd.DataFrame({"target": ["new jobs"], "value": [2], "goal": [5]})
    page = write_report(tmp_path / "report", allocation, persons, posts, targets=targets)
    profile = tempfile.mkdtemp()
    dom = subprocess.run([BROWSER, *FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=5000", "--dump-dom",
                          page.as_uri()], capture_output=True, text=True, timeout=120).stdout
    root = re.search(r"<html[^>]*>", dom).group(0)
    assert 'data-errors="0"' in root
    assert 'data-figures="4"' in root and 'data-figures-loaded="4"' in root
    shot = tmp_path / "shot.png"
    subprocess.run([BROWSER, *FLAGS, f"--user-data-dir={profile}", "--window-size=1000,1400",
                    f"--screenshot={shot}", page.as_uri()], capture_output=True, timeout=120)
    assert shot.stat().st_size > 10_000  # a rendered page, not a blank one
    shutil.rmtree(profile, ignore_errors=True)
