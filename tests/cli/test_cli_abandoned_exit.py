"""The console script ends cleanly, with its exit code, while an abandoned HiGHS run still runs."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import atexit, threading, time
from jhmatch.optimize import deadline
atexit.register(lambda: print("interpreter shutdown ran"))
if {abandoned}:
    t = threading.Thread(target=time.sleep, args=(60,), daemon=True)
    t.start()
    deadline._ABANDONED.append(t)
from jhmatch.cli import run
run(["validate", "no-such-file.csv"])
"""


def _run(abandoned: bool) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", SCRIPT.format(abandoned=abandoned)], capture_output=True,
                          text=True, timeout=120)


def test_exit_code_kept_and_shutdown_skipped_with_an_abandoned_run():
    proc = _run(True)
    assert proc.returncode == 2  # bad input, as without the abandoned run
    assert "no-such-file.csv" in proc.stdout + proc.stderr  # the message was flushed
    assert "interpreter shutdown ran" not in proc.stdout  # os._exit: no shutdown around the native thread


def test_normal_exit_otherwise():
    proc = _run(False)
    assert proc.returncode == 2 and "interpreter shutdown ran" in proc.stdout
