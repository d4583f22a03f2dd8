"""Figures for the planner's report, rendered to PNG bytes with matplotlib (extra ``report``).

Figure text is English (county names in pinyin) so that it renders with
matplotlib's bundled fonts on any machine; the HTML around it carries the
Chinese labels.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from jhmatch.errors import require
from jhmatch.taxonomy import REGIONS

__all__ = ["bar_rate_figure", "fill_figure", "flow_figure", "targets_figure"]


def _pyplot():
    matplotlib = require("matplotlib", "report", "report figures")
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def _latin(text: str) -> str:
    """Replace Chinese county names by their pinyin names, for matplotlib's Latin fonts."""
    for r in REGIONS:
        text = text.replace(r.zh, r.en).replace(r.zh[:-1], r.en)
    return text


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    _pyplot().close(fig)
    return buf.getvalue()


def bar_rate_figure(table: pd.DataFrame, label: str, title: str) -> bytes:
    """Placed and unplaced counts per group, with the placement rate on top.

    ``table`` has columns ``label`` (the group's name), ``placed`` and ``seekers``.
    """
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7.5, 3.4))
    x = np.arange(len(table))
    placed = table["placed"].to_numpy(dtype=float)
    seekers = table["seekers"].to_numpy(dtype=float)
    ax.bar(x, placed, color="#2b7bba", label="placed")
    ax.bar(x, seekers - placed, bottom=placed, color="#c9d9ea", label="not placed")
    rate = np.divide(placed, seekers, out=np.zeros_like(placed), where=seekers > 0)
    for xi, top, r in zip(x, seekers, rate, strict=True):
        ax.text(xi, top, f"{r:.0%}", ha="center", va="bottom", fontsize=8)
    ax.set_xticks(x, table[label].astype(str).tolist(), rotation=30, ha="right", fontsize=8)
    ax.set_ylabel("persons")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def fill_figure(table: pd.DataFrame) -> bytes:
    """Filled versus offered places per post kind (columns ``kind``, ``filled``, ``capacity``)."""
    plt = _pyplot()
    t = table.sort_values("capacity")
    fig, ax = plt.subplots(figsize=(7.5, max(2.5, 0.28 * len(t) + 0.8)))
    y = np.arange(len(t))
    ax.barh(y, t["capacity"], color="#e3e3e3", label="places offered")
    ax.barh(y, t["filled"], color="#3a9a5b", label="filled")
    ax.set_yticks(y, t["kind"].tolist(), fontsize=8)
    ax.set_xlabel("places")
    ax.set_title("Post fill by kind", fontsize=10)
    ax.legend(fontsize=8, frameon=False, loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def targets_figure(table: pd.DataFrame) -> bytes:
    """Each plan target's attainment as a share of its goal (columns ``target``, ``value``, ``goal``)."""
    plt = _pyplot()
    goal = table["goal"].to_numpy(dtype=float)
    value = table["value"].to_numpy(dtype=float)
    share = np.divide(value, goal, out=np.ones_like(value), where=goal != 0)
    fig, ax = plt.subplots(figsize=(7.5, max(2.2, 0.35 * len(table) + 0.8)))
    y = np.arange(len(table))
    colors = np.where(share >= 1, "#3a9a5b", "#d9822b")
    ax.barh(y, np.minimum(share, 1.5), color=colors)
    ax.axvline(1.0, color="black", lw=0.8)
    ax.set_yticks(y, table["target"].astype(str).tolist(), fontsize=8)
    ax.set_xlabel("share of the goal reached")
    ax.set_title("Plan targets", fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def flow_figure(flows: pd.DataFrame) -> bytes:
    """A layered flow diagram of the cross-county quota chain.

    ``flows`` has columns ``stage`` (0, 1, 2 … from employers to persons), ``source``,
    ``target`` and ``flow``; nodes of each stage sit in one column, edges are drawn
    with a width proportional to the flow.
    """
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 4.5))
    stages = sorted(flows["stage"].unique())
    columns: dict[int, list[str]] = {}
    for s in stages:
        part = flows[flows["stage"] == s]
        columns.setdefault(s, [])
        columns.setdefault(s + 1, [])
        for name in part.groupby("source")["flow"].sum().sort_values(ascending=False).index:
            if name not in columns[s]:
                columns[s].append(name)
        for name in part.groupby("target")["flow"].sum().sort_values(ascending=False).index:
            if name not in columns[s + 1]:
                columns[s + 1].append(name)
    pos: dict[tuple[int, str], tuple[float, float]] = {}
    for s, names in columns.items():
        for i, name in enumerate(names):
            pos[(s, name)] = (float(s), 1.0 - (i + 0.5) / max(len(names), 1))
    top = float(flows["flow"].max()) if len(flows) else 1.0
    for row in flows.itertuples(index=False):
        (x0, y0), (x1, y1) = pos[(row.stage, row.source)], pos[(row.stage + 1, row.target)]
        ax.plot([x0, x1], [y0, y1], color="#2b7bba", alpha=0.45, lw=0.5 + 6 * row.flow / top)
    for (_, name), (x, y) in pos.items():
        ax.text(x, y, _latin(str(name)), ha="center", va="center", fontsize=7,
                bbox={"boxstyle": "round", "fc": "white", "ec": "#888"})
    ax.set_axis_off()
    ax.set_title("Cross-county quota employment chain", fontsize=10)
    return _png(fig)
