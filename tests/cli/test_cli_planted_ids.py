"""Identity numbers planted in every column of every table never reach any output (issue 18).

Offices often use the resident ID as ``person_id`` or ``household_id``, paste it into free
text and keep it in columns jhmatch does not know. Every command that writes is run on such
tables (CSV and Excel outputs), and every file written, every sheet of every workbook and
everything printed is scanned for a valid ID number.
"""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from jhmatch.cli import app
from jhmatch.datasets import make_jinhua
from privacy_scan import leaked_ids

pytest.importorskip("openpyxl", reason="workbook outputs need the excel extra")
runner = CliRunner()


def _plant(folder):
    city = make_jinhua(n_persons=250, seed=21)
    p = city.persons.copy()
    ids = p["id_number"].astype("object")
    has = ids.notna()
    p.loc[has, "person_id"] = ids[has]                       # the ID as the person's key
    p["household_id"] = p["household_id"].astype("object")
    p.loc[has, "household_id"] = ids[has]                     # ... and as the household's key
    p["skills"] = p["skills"].astype("object") + ("；身份证" + ids.fillna("")).where(has, "")
    p["备注"] = ("核对ID" + ids.fillna("") + "abc").where(has, "")  # glued to letters, unknown column
    p["name"] = ("联系人" + ids.fillna("")).where(has, None)
    e = city.employers.copy()
    e["name"] = e["name"].astype("object") + "（法人" + ids[has].iloc[: len(e)].to_numpy() + "）"
    q = city.posts.copy()
    q["title"] = q["title"].astype("object")
    q.loc[q.index[:5], "title"] = "=HYPERLINK(\"x\")" + ids[has].iloc[:5].to_numpy()
    paths = {}
    for name, frame in (("persons", p), ("posts", q), ("employers", e)):
        paths[name] = folder / f"{name}.csv"
        frame.to_csv(paths[name], index=False)
    return paths, ids[has].tolist()


def _scan_folder(folder) -> list[str]:
    found = []
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        if path.suffix == ".xlsx":
            for sheet, table in pd.read_excel(path, sheet_name=None, dtype=str, engine="openpyxl").items():
                text = table.to_csv(index=False) + " ".join(map(str, table.columns))
                found += [f"{path.name}/{sheet}: {x}" for x in leaked_ids(text)]
        else:
            found += [f"{path.name}: {x}" for x in leaked_ids(path.read_text(encoding="utf-8-sig", errors="ignore"))]
    return found


def _run_all(paths, out):
    p, q, e = (str(paths[k]) for k in ("persons", "posts", "employers"))
    runs = [
        ["allocate", p, q, "--employers", e, "--out", str(out / "a"), "--allow-missing", "household_id", "-q"],
        ["allocate", p, q, "--employers", e, "--out", str(out / "b"), "--format", "xlsx", "--lang", "zh",
         "--allow-missing", "household_id", "-q"],
        ["recommend", p, q, "-k", "3", "--out", str(out / "rec.csv"), "-q"],
        ["recommend", p, q, "-k", "2", "--for-posts", "--out", str(out / "cand.xlsx"), "-q"],
        ["plan-posts", p, q, "--out", str(out / "plan"), "--time-limit", "30", "-q"],
        ["progress", p, q, "--allocation", str(out / "a" / "allocation.csv"), "--out", str(out / "progress.xlsx")],
        ["ledger", p, q, "--allocation", str(out / "b" / "results.xlsx"), "--employers", e,
         "--out", str(out / "ledger.csv")],
        ["policy", e, "--out", str(out / "policy.xlsx")],
    ]
    results = {}
    for args in runs:
        results[args[0] + str(len(results))] = runner.invoke(app, args)
    return results


def test_no_planted_id_number_reaches_any_output_and_pseudonyms_read_back(tmp_path, monkeypatch):
    paths, planted = _plant(tmp_path)
    assert leaked_ids(paths["persons"].read_text(encoding="utf-8")), "the planted IDs must be real ones"
    monkeypatch.setenv("JHMATCH_ID_KEY", "a secret of the county office")
    out = tmp_path / "out"
    results = _run_all(paths, out)
    for name, result in results.items():
        assert result.exit_code in (0, 3), f"{name}: {result.output[-2000:]}"
    printed = [f"{name} printed: {x}" for name, r in results.items() for x in leaked_ids(r.output)]
    leaks = printed + _scan_folder(out)
    assert not leaks, f"{len(leaks)} ID number(s) of {len(planted)} planted reached an output:\n" + "\n".join(leaks[:20])
    allocation = pd.read_csv(out / "a" / "allocation.csv", dtype=str)
    assert allocation["person_id"].str.startswith("ID-").any(), "ID-number person ids become stable pseudonyms"


def test_masked_person_ids_cannot_be_read_back_and_the_message_says_why(tmp_path, monkeypatch):
    paths, _planted = _plant(tmp_path)
    monkeypatch.delenv("JHMATCH_ID_KEY", raising=False)
    out = tmp_path / "out"
    p, q = str(paths["persons"]), str(paths["posts"])
    assert runner.invoke(app, ["allocate", p, q, "--out", str(out), "--allow-missing", "household_id", "-q",
                               "--no-report"]).exit_code == 0
    assert not _scan_folder(out)
    back = runner.invoke(app, ["progress", p, q, "--allocation", str(out / "allocation.csv"), "--lang", "en"])
    assert back.exit_code == 2 and "JHMATCH_ID_KEY" in back.stderr and "Traceback" not in back.output
