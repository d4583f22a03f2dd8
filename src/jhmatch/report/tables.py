"""HTML pieces shared by the report pages: a table, an embedded figure, an atomic write."""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

__all__ = ["html_table", "img", "page_template", "write_atomic"]

_NUMERIC = re.compile(r"[-+]?[\d,.]+%?|—")


def html_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], raw: Sequence[bool] = ()) -> Markup:
    """An escaped HTML table; numbers right-aligned; columns flagged in ``raw`` hold untranslated solver text.

    Examples
    --------
    >>> str(html_table(["县", "人数"], [["婺城区", "3"]]))
    '<table><thead><tr><th>县</th><th>人数</th></tr></thead><tbody><tr><td>婺城区</td><td class="num">3</td></tr></tbody></table>'
    """
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            text = str(value)
            if i < len(raw) and raw[i]:
                attr = ' lang="en" translate="no" class="raw"'
            else:
                attr = ' class="num"' if _NUMERIC.fullmatch(text) else ""
            cells.append(f"<td{attr}>{escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return Markup(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")


def img(png: bytes, alt: str) -> Markup:
    """A PNG embedded in the page (``data:`` URL), so the file can be mailed or opened offline."""
    data = base64.b64encode(png).decode("ascii")
    return Markup('<img alt="{}" src="data:image/png;base64,{}">').format(alt, data)


def write_atomic(folder: Path, name: str, text: str) -> Path:
    """Write ``folder/name`` through a temporary file and a rename (:func:`jhmatch.data.io.atomic_path`)."""
    from jhmatch.data.io import atomic_path

    with atomic_path(folder / name) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return folder / name


def page_template(name: str) -> Any:
    """A page template of ``jhmatch/report/templates`` (autoescaped; they share ``base.html``)."""
    from importlib.resources import files

    import jinja2

    folder = files("jhmatch.report") / "templates"
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                             loader=jinja2.FunctionLoader(lambda n: (folder / n).read_text(encoding="utf-8")))
    return env.get_template(name)
