"""Figures for the planner's report, rendered to PNG bytes with matplotlib.

Figure text (titles, axis labels, legends, tick labels) is written in the current
language (:mod:`jhmatch.i18n`): the caller passes group names already in that
language and the figure's own words go through ``_()``. Chinese text needs a font
with Chinese glyphs: :func:`figure_font` finds one on the machine through
matplotlib's font manager (Noto Sans CJK, Source Han Sans, WenQuanYi, Microsoft
YaHei, ...), and :func:`figure_language` says which language figures can be drawn
in: Chinese when such a font exists, English otherwise (with a warning), never
boxes in place of characters.

Examples
--------
>>> import pandas as pd
>>> png = bar_rate_figure(pd.DataFrame({"name": ["Yiwu"], "placed": [2], "seekers": [3]}), "name", "By county")
>>> png[:4] == b"\\x89PNG"
True
"""

from __future__ import annotations

import contextlib
import functools
import io
import warnings
from collections.abc import Iterator
from typing import NamedTuple

import matplotlib
import numpy as np
import pandas as pd

from jhmatch.errors import JhmatchWarning
from jhmatch.i18n import format_percent, get_language
from jhmatch.i18n import gettext as _

__all__ = ["FigureFont", "bar_rate_figure", "figure_font", "figure_language", "figure_style", "fill_figure",
           "flow_figure", "pyplot", "targets_figure", "to_png"]

_PREFERRED = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "Noto Sans SC", "Microsoft YaHei",
              "PingFang SC", "Hiragino Sans GB", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "SimHei",
              "Heiti SC", "Noto Serif CJK SC", "Source Han Serif SC", "Noto Serif SC", "SimSun",
              "AR PL UMing CN", "Droid Sans Fallback")
SAMPLE = "金华残疾人就业安置率县市区岗位目标"
"""Characters a font must draw to be used for Chinese figures."""


class FigureFont(NamedTuple):
    """The font Chinese figure text is drawn with: family name and file."""

    name: str
    path: str


def pyplot():
    """``matplotlib.pyplot`` on the file-only Agg backend (no window, works on a server)."""
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def _covers(entry, text: str) -> bool:
    from matplotlib import ft2font

    try:
        font = ft2font.FT2Font(entry.fname, face_index=getattr(entry, "index", 0) or 0)
        glyphs = [font.get_char_index(ord(ch)) for ch in text]
    except (OSError, RuntimeError, ValueError):
        return False
    # a real glyph for every character, each its own (a last-resort font maps a whole block to one box)
    return all(glyphs) and len(set(glyphs)) == len(set(text))


def _weight(entry) -> float:
    from matplotlib.font_manager import weight_dict

    w = entry.weight
    return abs((weight_dict.get(w, 400) if isinstance(w, str) else float(w)) - 400)


def _search(entries) -> FigureFont | None:
    by_name: dict[str, list] = {}
    for entry in entries:
        by_name.setdefault(entry.name, []).append(entry)
    names = [n for n in _PREFERRED if n in by_name]
    names += sorted(n for n in by_name if "CJK" in n and n not in names and "Mono" not in n)
    names += sorted(n for n in by_name if n not in names)
    for name in names:
        regular_first = sorted(by_name[name], key=lambda e: (_weight(e), str(e.style) != "normal"))
        entry = next((e for e in regular_first if _covers(e, SAMPLE)), None)
        if entry is not None:
            return FigureFont(name, str(entry.fname))
    return None


@functools.cache
def figure_font() -> FigureFont | None:
    """The font on this machine that draws Chinese figure text, or ``None`` when there is none.

    Looks in matplotlib's font list first; when its cache predates the fonts
    installed on the machine, the system's font folders are read too
    (:func:`matplotlib.font_manager.findSystemFonts`). A font counts only if it
    has its own glyph for every character of :data:`SAMPLE` (so matplotlib's
    "Last Resort" font, which draws a box for each, does not).

    Examples
    --------
    >>> font = figure_font()
    >>> font is None or bool(font.name)
    True
    """
    from matplotlib import font_manager

    manager = font_manager.fontManager
    found = _search(manager.ttflist)
    if found is None:
        known = {str(e.fname) for e in manager.ttflist}
        for path in font_manager.findSystemFonts():
            if path not in known:
                with contextlib.suppress(Exception):  # a broken font file is skipped, not fatal
                    manager.addfont(path)
        found = _search(manager.ttflist)
    return found


def figure_language(lang: str) -> str:
    """The language figures can be drawn in for a report in ``lang``.

    ``"zh"`` needs a Chinese font (:func:`figure_font`); without one, figures are
    drawn in English and a :class:`~jhmatch.errors.JhmatchWarning` says so.

    Examples
    --------
    >>> figure_language("en")
    'en'
    """
    if lang != "zh" or figure_font() is not None:
        return lang
    warnings.warn(_("no Chinese font found on this machine: the report's figures are drawn in English "
                    "(install a Chinese font such as Noto Sans CJK to get Chinese figures)"),
                  JhmatchWarning, stacklevel=2)
    return "en"


@contextlib.contextmanager
def figure_style() -> Iterator[None]:
    """matplotlib settings for the current language: a Chinese font first when writing Chinese.

    Draw every figure inside it, with labels in :func:`figure_language`'s language.

    Examples
    --------
    >>> from jhmatch.report import figures
    >>> with figures.figure_style():
    ...     fig, ax = figures.pyplot().subplots()
    ...     png = figures.to_png(fig)
    >>> png[:4] == b"\\x89PNG"
    True
    """
    rc: dict[str, object] = {"font.family": "sans-serif", "axes.unicode_minus": False}
    font = figure_font() if get_language() == "zh" else None
    if font is not None:
        rc["font.sans-serif"] = [font.name, "DejaVu Sans"]
    with matplotlib.rc_context(rc):
        yield


def to_png(fig) -> bytes:
    """The figure as PNG bytes (110 dpi, no timestamp, so the same figure gives the same bytes); closes it."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    pyplot().close(fig)
    return buf.getvalue()


def bar_rate_figure(table: pd.DataFrame, label: str, title: str) -> bytes:
    """Placed and not-placed seekers per group, with the placement rate on top of each bar.

    ``table`` has columns ``label`` (the group's name, in the current language),
    ``placed`` and ``seekers``; ``title`` is in the current language too.

    Examples
    --------
    >>> t = pd.DataFrame({"name": ["Yiwu", "Pan'an"], "placed": [2, 0], "seekers": [3, 0]})
    >>> bar_rate_figure(t, "name", "Placements by county")[:4]
    b'\\x89PNG'
    """
    plt = pyplot()
    with figure_style():
        fig, ax = plt.subplots(figsize=(7.5, 3.4))
        x = np.arange(len(table))
        placed = table["placed"].to_numpy(dtype=float)
        seekers = table["seekers"].to_numpy(dtype=float)
        ax.bar(x, placed, color="#2b7bba", label=_("placed"))
        ax.bar(x, seekers - placed, bottom=placed, color="#c9d9ea", label=_("not placed"))
        rate = np.divide(placed, seekers, out=np.full_like(placed, np.nan), where=seekers > 0)
        for xi, top, r in zip(x, seekers, rate, strict=True):
            ax.text(xi, top, format_percent(r, 0), ha="center", va="bottom", fontsize=8)
        ax.set_xticks(x, table[label].astype(str).tolist(), rotation=30, ha="right", fontsize=8)
        ax.set_ylabel(_("seekers"))
        ax.set_ylim(0, max(float(seekers.max()) if len(seekers) else 0.0, 1.0) * 1.15)  # room for the rates
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.set_title(title, fontsize=10)
        ax.legend(fontsize=8, frameon=False)
        ax.spines[["top", "right"]].set_visible(False)
        return to_png(fig)


def fill_figure(table: pd.DataFrame) -> bytes:
    """Filled versus offered places per post kind (columns ``name``, ``filled``, ``capacity``).

    Examples
    --------
    >>> fill_figure(pd.DataFrame({"name": ["cloud review"], "filled": [2], "capacity": [3]}))[:4]
    b'\\x89PNG'
    """
    plt = pyplot()
    t = table.sort_values("capacity")
    with figure_style():
        fig, ax = plt.subplots(figsize=(7.5, max(2.5, 0.28 * len(t) + 0.8)))
        y = np.arange(len(t))
        ax.barh(y, t["capacity"], color="#e3e3e3", label=_("places offered"))
        ax.barh(y, t["filled"], color="#3a9a5b", label=_("places filled"))
        ax.set_yticks(y, t["name"].astype(str).tolist(), fontsize=8)
        ax.set_xlabel(_("places"))
        ax.set_title(_("Post fill by kind"), fontsize=10)
        ax.legend(fontsize=8, frameon=False, loc="lower right")
        ax.spines[["top", "right"]].set_visible(False)
        return to_png(fig)


def targets_figure(table: pd.DataFrame) -> bytes:
    """Each plan target's attainment as a share of its goal (columns ``name``, ``value``, ``goal``).

    Examples
    --------
    >>> targets_figure(pd.DataFrame({"name": ["new jobs"], "value": [3], "goal": [5]}))[:4]
    b'\\x89PNG'
    """
    plt = pyplot()
    goal = table["goal"].to_numpy(dtype=float)
    value = table["value"].to_numpy(dtype=float)
    share = np.divide(value, goal, out=np.ones_like(value), where=goal != 0)
    share = np.nan_to_num(share, nan=0.0)
    with figure_style():
        fig, ax = plt.subplots(figsize=(7.5, max(2.2, 0.35 * len(table) + 0.8)))
        y = np.arange(len(table))
        colors = np.where(share >= 1, "#3a9a5b", "#d9822b")
        ax.barh(y, np.minimum(share, 1.5), color=colors)
        ax.axvline(1.0, color="black", lw=0.8)
        ax.set_yticks(y, table["name"].astype(str).tolist(), fontsize=8)
        ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _pos: format_percent(v, 0)))
        ax.set_xlabel(_("share of the goal reached"))
        ax.set_title(_("Plan targets"), fontsize=10)
        ax.spines[["top", "right"]].set_visible(False)
        return to_png(fig)


def flow_figure(flows: pd.DataFrame) -> bytes:
    """A layered flow diagram of the cross-county quota chain.

    ``flows`` has columns ``stage`` (0, 1, 2 … from employers to persons), ``source``,
    ``target`` (node names, in the current language) and ``flow``; nodes of each
    stage sit in one column, edges are drawn with a width proportional to the flow.

    Examples
    --------
    >>> f = pd.DataFrame({"stage": [0, 1], "source": ["employers in Yiwu", "agency D1"],
    ...                   "target": ["agency D1", "base in Pan'an"], "flow": [3.0, 3.0]})
    >>> flow_figure(f)[:4]
    b'\\x89PNG'
    """
    plt = pyplot()
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
    with figure_style():
        fig, ax = plt.subplots(figsize=(8, 4.5))
        for row in flows.itertuples(index=False):
            (x0, y0), (x1, y1) = pos[(row.stage, row.source)], pos[(row.stage + 1, row.target)]
            ax.plot([x0, x1], [y0, y1], color="#2b7bba", alpha=0.45, lw=0.5 + 6 * row.flow / top)
        for (_stage, name), (x, y) in pos.items():
            ax.text(x, y, str(name), ha="center", va="center", fontsize=7,
                    bbox={"boxstyle": "round", "fc": "white", "ec": "#888"})
        ax.set_axis_off()
        ax.set_title(_("Cross-county quota employment chain"), fontsize=10)
        return to_png(fig)
