"""Report sections other layers add: a title, a lead sentence, a table and a figure.

A command with its own results (training, simulation, the equity trade-off) builds
:class:`ReportSection` objects and either appends them to the placement report
(``write_report(..., extra_sections=...)``) or writes a page of their own with
:func:`write_sections_report`. Text is given already in the page's language (call
``_()`` inside ``jhmatch.i18n.language(lang)``); figures are PNG bytes drawn with
:func:`jhmatch.report.figures.figure_style` and :func:`~jhmatch.report.figures.to_png`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from markupsafe import Markup

from jhmatch.data.ids import scrub
from jhmatch.errors import ParameterError
from jhmatch.i18n import gettext as _
from jhmatch.i18n import language
from jhmatch.report import figures
from jhmatch.report.tables import html_table, img, page_template, write_atomic

__all__ = ["ReportSection", "write_sections_report"]

_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


@dataclass(frozen=True)
class ReportSection:
    """One section of a report page.

    Parameters
    ----------
    id : str
        HTML anchor, letters, digits, ``-`` and ``_`` (``"training"``).
    title : str
        Heading, in the page's language.
    lead : str
        A sentence or two under the heading (the answer first: "92 % likely to reach 5,000 jobs").
    table : DataFrame, optional
        Shown as a table with its column names as headers; floats are written with
        the page's number format, missing values as "—". Give headers in the page's language.
    figure : bytes, optional
        A PNG image (:func:`jhmatch.report.figures.to_png`).
    status : str
        A warning shown first in the section, highlighted (a time-limited or partial
        result, an assumed value): honest statuses where the reader looks first.

    Examples
    --------
    >>> import pandas as pd
    >>> s = ReportSection("demo", "示例", lead="一句话。", table=pd.DataFrame({"县": ["婺城区"], "人数": [3]}))
    >>> s.id
    'demo'
    """

    id: str
    title: str
    lead: str = ""
    table: pd.DataFrame | None = None
    figure: bytes | None = None
    status: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not _ID.fullmatch(self.id):
            raise ParameterError(f"ReportSection id must be letters, digits, - or _, starting with a letter; "
                                 f"got {self.id!r}")
        if self.table is not None and not isinstance(self.table, pd.DataFrame):
            raise ParameterError(f"ReportSection table must be a DataFrame, not {type(self.table).__name__}")
        if self.figure is not None and not isinstance(self.figure, bytes | bytearray):
            raise ParameterError(f"ReportSection figure must be PNG bytes, not {type(self.figure).__name__}")

    def render(self) -> dict[str, Any]:
        """The section as the page template reads it (escaped HTML pieces)."""
        table = Markup("")
        if self.table is not None:
            rows = [[_cell(v) for v in row] for row in self.table.itertuples(index=False, name=None)]
            table = html_table([str(c) for c in self.table.columns], rows)
        return {"id": self.id, "title": self.title, "lead": self.lead, "status": self.status, "table": table,
                "figure": img(bytes(self.figure), self.title) if self.figure is not None else Markup("")}


def _cell(value: Any) -> str:
    from jhmatch.i18n import format_number
    from jhmatch.report.labels import is_missing

    if is_missing(value):
        return "—"
    if isinstance(value, bool | np.bool_):
        return _("yes") if value else _("no")
    if isinstance(value, int | np.integer):
        return format_number(float(value), 0)
    if isinstance(value, float | np.floating):
        return format_number(float(value), 0 if float(value).is_integer() else 2)
    return str(value)


def write_sections_report(out_dir: str | Path, sections: Sequence[ReportSection], *, title: str,
                          status: str = "", warn: bool = False, lang: str = "en",
                          assumptions: Sequence[str] = (), file: str = "index.html") -> Path:
    """Write a report page of its own: a title, a status sentence, then the sections.

    Parameters
    ----------
    out_dir : path-like
        Folder to write into (created when missing); the file is written atomically.
    sections : sequence of ReportSection
        The page's sections, in order.
    title : str
        Page title, in the page's language.
    status : str
        The first sentence of the page: what the figures are and how sure they are.
    warn : bool
        Highlight the status as a warning (time-limited, partial or assumed results).
    lang : {"en", "zh"}
        Language of the page's own words (the notes); sections bring their own text.
    assumptions : sequence of str
        Assumed (PARAM) values the figures rest on, listed under the status.
    file : str
        File name inside ``out_dir``.

    Returns
    -------
    Path
        The written page. ID numbers in it are masked.

    Examples
    --------
    >>> page = write_sections_report("out", [ReportSection("a", "示例")], title="培训", lang="zh")  # doctest: +SKIP
    """
    with language(lang) as lang:
        ids = [s.id for s in sections]
        if len(set(ids)) != len(ids):
            raise ParameterError(f"report sections need distinct ids, got {ids}")
        fig_lang = figures.figure_language(lang) if any(s.figure is not None for s in sections) else lang
        text = {"note": _("Generated {date}. ID numbers are masked.").format(date=dt.date.today().isoformat()),
                "assumptions": (_("Assumed values (PARAM: not confirmed for Jinhua) behind these figures: {values}")
                                .format(values=_("; ").join(assumptions)) if assumptions else ""),
                "figures": (_("No Chinese font was found on this machine, so the figures are labelled in English.")
                            if fig_lang != lang else "")}
        font = figures.figure_font() if fig_lang == "zh" else None
        html = page_template("sections.html").render(
            lang="zh-CN" if lang == "zh" else lang, title=title, status=status, warn=warn, text=text,
            sections=[s.render() for s in sections], figure_lang=fig_lang, figure_font=font.name if font else "")
    return write_atomic(Path(out_dir), file, scrub(html))
