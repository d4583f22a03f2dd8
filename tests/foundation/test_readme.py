"""The README's Python examples run verbatim, each as a script of its own (issue 13, item 11).

Each ```python block is written to a file and run with ``python file.py`` in an empty
folder, as a reader who copies it would. A block that only works pasted into an
interactive session (a Dask cluster started without a ``__main__`` guard, a name
defined in another block) fails here.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)
NEEDS = {"distributed": "dask"}  # a block importing this module needs that extra


def test_readme_has_python_examples():
    assert len(BLOCKS) >= 2


@pytest.mark.slow
@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_readme_example_runs_as_a_script(index, tmp_path):
    code = BLOCKS[index]
    for module, extra in NEEDS.items():
        if re.search(rf"^\s*(from|import) {module}\b", code, flags=re.MULTILINE):
            pytest.importorskip(module, reason=f"the example needs the {extra} extra")
    script = tmp_path / f"example_{index}.py"
    script.write_text(code, encoding="utf-8")
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    proc = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True,
                          timeout=600, env=env)
    assert proc.returncode == 0, f"README example {index} failed:\n{code}\n--- stderr ---\n{proc.stderr[-4000:]}"
    assert "Traceback" not in proc.stderr
    if "run.write(" in code:
        assert (tmp_path / "out" / "allocation.csv").is_file()
