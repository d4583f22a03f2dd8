"""Writing a suite's results: ``results.json`` (atomic), ``results.md`` and PNG plots."""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.bench.config import CaseResult

__all__ = ["case_payload", "headlines", "markdown_table", "write_json", "write_markdown", "write_plots"]

_COLUMNS = {
    "throughput": ["persons", "posts", "scorer", "source", "status", "seconds", "persons_per_s", "pairs_kept",
                   "peak_mib", "ratio_to_matmul", "reason"],
    "quality": ["scorer", "source", "kind", "status", "ndcg@{k}", "precision@{k}", "recall@{k}", "mrr",
                "mean_true_p@{k}", "danger@5", "unsafe@5", "persons_danger@5", "spearman_kept", "spearman_all",
                "persons_with_list", "seconds", "reason"],
    "solvers": ["instance", "solver", "source", "kind", "status", "seconds", "time_vs_jhmatch_flow", "objective",
                "placed", "gap_to_best", "optimal", "same_matching_as_jhmatch_stable", "reason"],
    "rules": ["instance", "rule_rows", "solver", "source", "method", "status", "solver_status", "seconds", "objective",
              "bound", "gap", "gap_to_best", "rules_hold", "placed", "reason"],
    "orlib": ["instance", "family", "persons", "posts", "solver", "status", "seconds", "value", "optimum",
              "reproduced", "reason"],
    "scaling": ["persons", "posts", "pairs", "solver", "status", "seconds", "objective", "optimal",
                "same_matching_as_jhmatch_stable", "reason"],
}


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Path):
        return str(value)
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for rec in table.to_dict(orient="records"):
        out.append({k: _jsonable(None if (isinstance(v, float) and math.isnan(v)) else v) for k, v in rec.items()})
    return out


def write_json(path: str | Path, payload: Mapping[str, Any]) -> Path:
    """Write ``payload`` as JSON atomically (temporary file in the same folder, then rename).

    Examples
    --------
    >>> import tempfile
    >>> p = write_json(Path(tempfile.mkdtemp()) / "r.json", {"x": float("nan"), "n": np.int64(3)})
    >>> p.read_text()
    '{\\n  "x": null,\\n  "n": 3\\n}\\n'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(_jsonable(payload), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; results are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def case_payload(case: CaseResult) -> dict[str, Any]:
    """A case as a JSON-ready mapping (title, seconds, notes, summary, rows).

    Examples
    --------
    >>> case = CaseResult("x", "X", pd.DataFrame({"a": [1.0, float("nan")]}))
    >>> case_payload(case)["rows"]
    [{'a': 1.0}, {'a': None}]
    """
    return {"title": case.title, "seconds": case.seconds, "notes": list(case.notes),
            "summary": _jsonable(case.summary), "rows": _records(case.table)}


def _fmt(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if v == 0:
            return "0"
        if v.is_integer() and abs(v) < 1e15:
            return f"{int(v):,}"
        if abs(v) >= 1e5:
            return f"{v:,.0f}"
        if abs(v) >= 100:
            return f"{v:,.1f}"
        if abs(v) >= 0.01:
            return f"{v:.3f}"
        return f"{v:.2e}"
    return str(value).replace("|", "\\|").replace("\n", " ")


def markdown_table(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> str:
    """A DataFrame as a GitHub Markdown table (numbers formatted, empty cells for missing values).

    Examples
    --------
    >>> print(markdown_table(pd.DataFrame({"a": [1, 2], "b": [0.5, None]})))
    | a | b |
    |---|---|
    | 1 | 0.500 |
    | 2 |  |
    """
    cols = [c for c in (columns or list(frame.columns)) if c in frame.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    for rec in frame[cols].itertuples(index=False):
        lines.append("| " + " | ".join(_fmt(v) for v in rec) + " |")
    return "\n".join(lines)


def _pivot_seconds(table: pd.DataFrame, index: str, column: str = "solver") -> pd.DataFrame:
    """Seconds per (index, solver), with a mark: ✓ optimal, ✗ not optimal, or the status."""
    def cell(row: pd.Series) -> str:
        if row["status"] != "ok":
            return str(row["status"])
        mark = ""
        if row.get("kind") == "exact" and "optimal" in row and isinstance(row["optimal"], (bool, np.bool_)):
            mark = " ✓" if row["optimal"] else " ✗"
        if row.get("kind") == "stable" and isinstance(row.get("same_matching_as_jhmatch_stable"), (bool, np.bool_)):
            mark = " =" if row["same_matching_as_jhmatch_stable"] else " ≠"
        return f"{_fmt(row['seconds'])} s{mark}"

    cells = table.assign(cell=table.apply(cell, axis=1))
    wide = cells.pivot_table(index=index, columns=column, values="cell", aggfunc="first", sort=False)
    return wide.reset_index()


def write_markdown(path: str | Path, title: str, machine: Mapping[str, Any], cases: Mapping[str, CaseResult],
                   command: str, plots: Mapping[str, Path], plot_note: str = "", k: int = 10) -> Path:
    """Write the Markdown report: machine, then one section per case with its tables.

    Examples
    --------
    >>> import tempfile
    >>> case = CaseResult("x", "A case", pd.DataFrame({"status": ["ok"], "seconds": [0.5]}), ("a note",))
    >>> p = write_markdown(Path(tempfile.mkdtemp()) / "r.md", "Title", {"cores": 2}, {"x": case}, "cmd", {})
    >>> "## A case" in p.read_text() and "| ok | 0.500 |" in p.read_text()
    True
    """
    path = Path(path)
    versions = ", ".join(f"{name} {v}" for name, v in machine.get("versions", {}).items() if v)
    out = [f"# {title}", "",
           f"Run on {machine.get('date')} · {machine.get('cores')} cores · {machine.get('ram_gib')} GiB RAM · "
           f"load {machine.get('load_avg_1min_at_start')} at start · Python {machine.get('python')}", "",
           f"Versions: {versions}", "", f"Command: `{command}`", ""]
    if plot_note:
        out += [f"_{plot_note}_", ""]
    for name, case in cases.items():
        out += [f"## {case.title}", ""]
        out += [f"- {note}" for note in case.notes]
        out.append("")
        table = case.table
        if name in ("solvers", "scaling") and len(table) and "seconds" in table:
            index = "instance" if name == "solvers" else "persons"
            out += ["Seconds side by side (✓ optimal, ✗ not optimal; for stable solvers = / ≠ the same matching as "
                    "jhmatch stable):", "", markdown_table(_pivot_seconds(table, index)), ""]
        if name == "orlib" and case.summary:
            summ = pd.DataFrame([{"solver": s, **v} for s, v in case.summary.items()])
            out += [markdown_table(summ), ""]
        cols = [c.format(k=k) for c in _COLUMNS.get(name, list(table.columns))]
        if "reason" in table and not table["reason"].fillna("").astype(str).str.len().any():
            cols = [c for c in cols if c != "reason"]
        out += [markdown_table(table, cols), ""]
        if name in plots:
            out += [f"![{case.title}]({Path(plots[name]).name})", ""]
        out += [f"_Case time: {case.seconds:.1f} s._", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text("\n".join(out), encoding="utf-8")
    os.replace(tmp, path)
    return path


def write_plots(folder: str | Path, cases: Mapping[str, CaseResult]) -> tuple[dict[str, Path], str]:
    """PNG plots (scaling curves, solver times, quality); returns the files and a note when skipped.

    Examples
    --------
    >>> import tempfile
    >>> write_plots(tempfile.mkdtemp(), {})   # nothing to plot
    ({}, '')
    """
    try:
        import matplotlib

        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt
    except ImportError:
        return {}, "Plots skipped: matplotlib is not installed (pip install 'jhmatch[report]')."
    folder = Path(folder)
    files: dict[str, Path] = {}
    scaling = cases.get("scaling")
    if scaling is not None and len(scaling.table) and "seconds" in scaling.table:
        ok = scaling.table[scaling.table["status"] == "ok"]
        fig, ax = plt.subplots(figsize=(6.4, 4.2))
        for solver, grp in ok.groupby("solver", sort=False):
            ax.plot(grp["persons"], grp["seconds"], marker="o", label=str(solver))
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("persons (posts = persons / 10)")
        ax.set_ylabel("seconds")
        ax.set_title("Scaling: time to solve")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
        fig.tight_layout()
        files["scaling"] = folder / "scaling.png"
        fig.savefig(files["scaling"], dpi=110)
        plt.close(fig)
    solvers = cases.get("solvers")
    if solvers is not None and len(solvers.table) and "seconds" in solvers.table:
        ok = solvers.table[solvers.table["status"] == "ok"]
        wide = ok.pivot_table(index="instance", columns="solver", values="seconds", sort=False)
        fig, ax = plt.subplots(figsize=(9.5, 4.2))
        wide.plot.bar(ax=ax, logy=True, rot=0)
        ax.set_ylabel("seconds (log)")
        ax.set_title("Solvers on the same instances")
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
        fig.tight_layout()
        files["solvers"] = folder / "solvers.png"
        fig.savefig(files["solvers"], dpi=110)
        plt.close(fig)
    quality = cases.get("quality")
    if quality is not None and len(quality.table):
        col = next((c for c in quality.table.columns if c.startswith("ndcg@")), None)
        ok = quality.table[quality.table["status"] == "ok"]
        if col is not None and len(ok):
            fig, ax = plt.subplots(figsize=(6.4, 3.6))
            ax.barh(ok["scorer"].astype(str), ok[col].astype(float))
            ax.invert_yaxis()
            ax.set_xlabel(col.upper())
            ax.set_title("Matching quality on held-out persons")
            fig.tight_layout()
            files["quality"] = folder / "quality.png"
            fig.savefig(files["quality"], dpi=110)
            plt.close(fig)
    return files, ""


def headlines(cases: Mapping[str, CaseResult]) -> list[str]:
    """Short lines with each case's headline figures.

    Examples
    --------
    >>> headlines({})
    []
    """
    out: list[str] = []
    th = cases.get("throughput")
    if th is not None and th.summary:
        s = th.summary
        out.append(f"matching: {s['rule_persons_per_s']:,.0f} persons/s at {s['at_persons']:,} persons, "
                   f"peak {_fmt(s['peak_mib'])} MiB, {s['ratio_to_matmul']:.1f}x a float32 matmul")
    q = cases.get("quality")
    if q is not None and q.summary:
        for metric, values in q.summary.items():
            out.append(f"quality {metric.upper()}: " + ", ".join(f"{k} {v:.3f}" for k, v in values.items()))
    so = cases.get("solvers")
    if so is not None and so.summary.get("instance"):
        s = so.summary
        out.append(f"solvers at {s['instance']}: jhmatch flow {s['jhmatch_flow_s']:.3f} s vs OR-Tools raw "
                   f"{s['ortools_raw_s']:.3f} s ({s['ratio']:.2f}x), same objective: {s['same_objective']}")
        peer = s.get("stable_peer") or {}
        if peer.get("largest_survived"):
            out.append(f"stable: {peer['peer']} survives up to {peer['largest_survived']} ({peer['peer_s']:.3f} s), "
                       f"jhmatch stable {peer['jhmatch_stable_s']:.3f} s ({peer['speedup']:.1f}x faster), "
                       f"same matching: {peer['same_matching']}")
    ru = cases.get("rules")
    if ru is not None and ru.summary:
        inst, rows = list(ru.summary.items())[-1]
        parts = []
        for name, v in rows.items():
            secs = "" if v["seconds"] is None else f" {v['seconds']:.1f} s"
            gap = "" if v.get("gap") is None else f" gap {v['gap']:.1e}"
            parts.append(f"{name} {v['status']}{secs}{gap}")
        out.append(f"rules at {inst}: " + "; ".join(parts))
    orl = cases.get("orlib")
    if orl is not None and orl.summary:
        out.append("OR-Library: " + "; ".join(f"{k} {v['reproduced']}/{v['instances']} optima"
                                              for k, v in orl.summary.items()))
    sc = cases.get("scaling")
    if sc is not None and sc.summary:
        out.append("scaling (largest size): " + "; ".join(
            f"{k} {v['seconds']:.2f} s at {v['largest_persons']:,}" for k, v in sc.summary.items()))
    tr = cases.get("training")
    if tr is not None and tr.summary:
        for inst, v in tr.summary.items():
            gap = "" if v["gap"] is None else f", gap {v['gap']:.1e}"
            out.append(f"training at {inst}, budget {v['budget']:,.0f}: placed {v['no_training']:,} without, "
                       f"{v['greedy']:,} greedy, {v['optimised']:,} optimised ({v['optimised_s']:.1f} s{gap})")
    return out
