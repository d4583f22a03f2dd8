"""``jhmatch.data`` is the data layer's public face (issue 15: callers should not need deep imports)."""

from __future__ import annotations

import json
import subprocess
import sys

import jhmatch.data as data
from jhmatch.data import ids, io, plausibility, privacy, schema, valid

DOCUMENTED = {
    # files (README "Data tables", docs/architecture.md)
    "read_table", "write_table", "escape_formulas", "unescape_formulas", "atomic_path",
    # validation and schemas
    "ensure_valid", "table_schema", "validate_persons", "validate_posts", "validate_employers",
    "validate_households", "PERSONS", "POSTS", "EMPLOYERS", "HOUSEHOLDS", "TableSchema", "Column",
    # identity numbers and pseudonyms (README "Privacy")
    "mask_id", "mask_ids", "scrub", "MaskingFilter", "pseudonymize", "pseudonymous_ids", "id_key",
    # input plausibility limits (docs/reliability.md)
    "Limits", "limits",
}


def test_every_exported_name_resolves() -> None:
    missing = [n for n in data.__all__ if not hasattr(data, n)]
    assert not missing
    assert len(set(data.__all__)) == len(data.__all__)


def test_the_documented_names_are_exported() -> None:
    assert DOCUMENTED <= set(data.__all__), sorted(DOCUMENTED - set(data.__all__))


def test_exports_are_the_deep_modules_objects() -> None:
    homes = (ids, io, plausibility, privacy, schema, valid)
    for name in data.__all__:
        owners = [m for m in homes if name in getattr(m, "__all__", ())]
        assert owners, f"{name} has no home module among {[m.__name__ for m in homes]}"
        assert all(getattr(m, name) is getattr(data, name) for m in owners), name


def test_importing_the_face_loads_nothing_beyond_import_jhmatch() -> None:
    """The face is eager: ``import jhmatch`` already loads every module it re-exports (measured)."""
    probe = "import sys, json, {0}; print(json.dumps(sorted(m for m in sys.modules if m.startswith('jhmatch'))))"
    loaded = {mod: set(json.loads(subprocess.run([sys.executable, "-c", probe.format(mod)], capture_output=True,
                                                 text=True, check=True).stdout))
              for mod in ("jhmatch", "jhmatch.data")}
    assert loaded["jhmatch.data"] == loaded["jhmatch"]


def test_round_trip_through_the_face(tmp_path) -> None:
    import pandas as pd

    frame = data.validate_posts(pd.DataFrame({"post_id": ["J1"], "employer_id": ["E1"], "county": ["义乌"],
                                              "title": ["=cmd"], "capacity": [1],
                                              "kind": ["kiosk"]}))
    path = tmp_path / "posts.csv"
    data.write_table(frame, path)
    back = data.read_table(path)
    assert back.loc[0, "title"] == "=cmd" and back.loc[0, "county"] == "330782"
