"""A self-contained HTML report of an allocation (figures embedded; extra ``report``)."""

from __future__ import annotations

import base64
import datetime as dt
from importlib.resources import files
from pathlib import Path
from typing import Any

import pandas as pd

from jhmatch.data.ids import scrub
from jhmatch.errors import require
from jhmatch.report import figures
from jhmatch.report.status import exit_code, status_line
from jhmatch.taxonomy import REGIONS, DisabilityCategory, post_kinds

__all__ = ["placement_table", "write_report"]

_TEXT = {
    "en": {
        "title": "Placement report", "status": "Solver status", "county": "Placements by county",
        "category": "Placements by disability category", "kind": "Post fill by kind", "targets": "Plan targets",
        "chain": "Cross-county quota employment", "unplaced": "Persons not placed", "reason": "Reason",
        "count": "Persons", "method": "Method", "objective": "Objective", "bound": "Bound", "gap": "Gap",
        "time": "Solve time (s)", "placed": "Placed", "seekers": "Seekers", "rate": "Rate", "message": "Message",
        "filled": "Filled", "capacity": "Places", "group": "Group", "value": "Value", "goal": "Goal",
        "ok": "met", "short": "short", "generated": "Generated", "masked": "ID numbers are masked.",
        "examples": "Examples", "none": "Everyone was placed.", "name": "Name", "person_id": "Person",
        "stage": "Stage", "source": "From", "target": "To", "flow": "Persons",
        "headline": "Placed {placed} of {seekers} seekers ({rate}).", "targets_met": "Plan targets met: {met} of {n}.",
        "solver": "Solver details",
    },
    "zh": {
        "title": "残疾人就业安置报告", "status": "求解状态", "county": "各县市区安置情况", "category": "各残疾类别安置情况",
        "kind": "各类岗位填补情况", "targets": "行动计划目标", "chain": "跨区域按比例就业", "unplaced": "未安置人员",
        "reason": "原因", "count": "人数", "method": "方法", "objective": "目标值", "bound": "上界", "gap": "差距",
        "time": "求解时间（秒）", "placed": "已安置", "seekers": "求职人数", "rate": "安置率", "message": "说明",
        "filled": "已填补", "capacity": "岗位数", "group": "类别", "value": "现值", "goal": "目标",
        "ok": "已完成", "short": "未完成", "generated": "生成时间", "masked": "身份证号、残疾证号已脱敏。",
        "examples": "示例", "none": "所有人员均已安置。", "name": "名称", "person_id": "人员",
        "stage": "环节", "source": "来源", "target": "去向", "flow": "人数",
        "headline": "已安置 {placed} 人，求职人员共 {seekers} 人（安置率 {rate}）。", "targets_met": "行动计划目标已完成 {met} 项，共 {n} 项。",
        "solver": "求解详情",
    },
}


def placement_table(persons: pd.DataFrame, placed_ids: pd.Series, by: str) -> pd.DataFrame:
    """Seekers, placements and placement rate per value of ``by`` (``county`` or ``category``).

    Seekers are persons who want work and are not employed (``willing`` and not
    ``employed``, when those columns are present; everyone otherwise) or who were
    placed; the rate is placements over seekers, as in the terminal's summary.

    Examples
    --------
    >>> persons = pd.DataFrame({"person_id": ["a", "b", "c"], "county": ["330782", "330782", "330727"]})
    >>> placement_table(persons, pd.Series(["a"]), "county")[["county", "seekers", "placed", "rate"]].values.tolist()
    [['330727', 1, 0, 0.0], ['330782', 2, 1, 0.5]]
    """
    placed = persons["person_id"].isin(placed_ids).to_numpy()
    seeking = placed | True
    if "willing" in persons:
        seeking &= persons["willing"].fillna(False).to_numpy(dtype=bool)
    if "employed" in persons:
        seeking &= ~persons["employed"].fillna(False).to_numpy(dtype=bool)
    table = (
        pd.DataFrame({by: persons[by].astype("object"), "seekers": (seeking | placed).astype("int64"),
                      "placed": placed.astype("int64")})
        .groupby(by, sort=True)[["seekers", "placed"]].sum()
        .reset_index()
    )
    table["rate"] = (table["placed"] / table["seekers"].where(table["seekers"] > 0)).fillna(0.0)
    return table


def _img(png: bytes, alt: str) -> str:
    return f'<img alt="{alt}" src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}">'


def write_report(
    out_dir: str | Path,
    allocation: Any,
    persons: pd.DataFrame,
    posts: pd.DataFrame,
    *,
    targets: pd.DataFrame | None = None,
    chain: pd.DataFrame | None = None,
    lang: str = "en",
    title: str | None = None,
) -> Path:
    """Write ``index.html``: status and headline first, then counties, targets, categories, post fill,
    chain and unplaced persons, solver details last.

    The first paragraph is the plan's status (:func:`jhmatch.report.status.status_line`):
    a time-limited, heuristic or missing plan says so before any figure.

    Parameters
    ----------
    out_dir : path-like
        Folder to write into (created when missing); the file is written atomically.
    allocation : Allocation
        The result of :func:`jhmatch.optimize.solve` (``assignments``, ``unplaced``,
        ``status``, ``backend``, ``objective``, ``bound``, ``gap``, ``solve_time``, ``message``).
    persons, posts : DataFrame
        The validated tables the allocation was computed from.
    targets : DataFrame, optional
        Plan targets with columns ``target``, ``value``, ``goal`` (and optionally
        ``status``), e.g. from :func:`jhmatch.policy.progress`.
    chain : DataFrame, optional
        Cross-county chain flows: ``stage``, ``source``, ``target``, ``flow``.
    lang : {"en", "zh"}
        Language of the page's text.
    title : str, optional
        Page title.

    Returns
    -------
    Path
        The written ``index.html``.

    Examples
    --------
    >>> write_report("out/report", allocation, persons, posts)  # doctest: +SKIP
    PosixPath('out/report/index.html')
    """
    jinja2 = require("jinja2", "report", "HTML reports")
    from markupsafe import Markup  # installed with jinja2
    if lang not in _TEXT:
        raise ValueError("lang must be 'en' or 'zh'")
    t = _TEXT[lang]
    placed_ids = allocation.assignments["person_id"]
    county_name = {r.code: (r.zh if lang == "zh" else r.en) for r in REGIONS}
    county_en = {r.code: r.en for r in REGIONS}
    cat_name = {c.value: (c.zh if lang == "zh" else c.value) for c in DisabilityCategory}
    kind_name = {k.code: (k.zh if lang == "zh" else k.en) for k in post_kinds()}

    by_county = placement_table(persons, placed_ids, "county")
    by_county["name"] = by_county["county"].map(county_name)
    by_county["fig"] = by_county["county"].map(county_en)
    by_cat = placement_table(persons, placed_ids, "category")
    by_cat["name"] = by_cat["category"].map(cat_name)

    filled = allocation.assignments.groupby("post_id").size()
    fill = posts[["post_id", "kind", "capacity"]].copy()
    fill["filled"] = fill["post_id"].map(filled).fillna(0).astype("int64")
    by_kind = fill.groupby("kind", sort=True)[["capacity", "filled"]].sum().reset_index()
    by_kind["name"] = by_kind["kind"].map(kind_name)

    sections: list[dict[str, Any]] = []
    sections.append({
        "title": t["county"],
        "figure": _img(figures.bar_rate_figure(by_county, "fig", "Placements by county"), t["county"]),
        "table": _html_table(by_county, ["name", "seekers", "placed", "rate"], t),
    })
    if targets is not None and len(targets):
        tt = targets.copy()
        sections.append({
            "title": t["targets"],
            "figure": _img(figures.targets_figure(tt), t["targets"]),
            "table": _html_table(tt, [c for c in ("target", "value", "goal", "status") if c in tt.columns], t),
        })
    sections.append({
        "title": t["category"],
        "figure": _img(figures.bar_rate_figure(by_cat, "category", "Placements by disability category"), t["category"]),
        "table": _html_table(by_cat, ["name", "seekers", "placed", "rate"], t),
    })
    sections.append({
        "title": t["kind"],
        "figure": _img(figures.fill_figure(by_kind[["kind", "capacity", "filled"]]), t["kind"]),
        "table": _html_table(by_kind, ["name", "capacity", "filled"], t),
    })
    if chain is not None and len(chain):
        sections.append({
            "title": t["chain"],
            "figure": _img(figures.flow_figure(chain), t["chain"]),
            "table": _html_table(chain, ["stage", "source", "target", "flow"], t),
        })
    unplaced = allocation.unplaced
    if len(unplaced):
        reasons = unplaced.groupby("reason").size().rename("count").reset_index().sort_values("count", ascending=False)
        examples = unplaced.groupby("reason").head(3).copy()
        examples["person_id"] = examples["person_id"].astype(str).map(scrub)
        body = (_html_table(reasons, ["reason", "count"], t) + Markup("<h3>{}</h3>").format(t["examples"])
                + _html_table(examples, ["person_id", "reason"], t))
    else:
        body = Markup("<p>{}</p>").format(t["none"])
    sections.append({"title": t["unplaced"], "figure": "", "table": body})

    status = {
        t["status"]: getattr(allocation.status, "value", str(allocation.status)),
        t["method"]: allocation.backend,
        t["objective"]: _fmt(allocation.objective),
        t["bound"]: _fmt(allocation.bound),
        t["gap"]: _fmt(allocation.gap),
        t["time"]: _fmt(allocation.solve_time),
        t["message"]: scrub(str(allocation.message)),
    }
    seekers, n_placed = int(by_county["seekers"].sum()), int(by_county["placed"].sum())
    headline = [t["headline"].format(placed=n_placed, seekers=seekers,
                                     rate=f"{n_placed / seekers:.1%}" if seekers else "–")]
    if targets is not None and len(targets) and "status" in targets:
        met = int(targets["status"].astype(str).eq("met").sum())
        headline.append(t["targets_met"].format(met=met, n=len(targets)))
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.from_string((files("jhmatch.report") / "templates" / "report.html").read_text(encoding="utf-8"))
    html = template.render(
        lang=lang, title=title or t["title"], t=t, status=status, sections=sections,
        status_line=status_line(allocation, lang), state=exit_code(allocation), headline=" ".join(headline),
        generated=dt.date.today().isoformat(),
    )
    html = scrub(html)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    target = out / "index.html"
    tmp = out / ".index.html.tmp"
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(target)
    return target


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def _html_table(frame: pd.DataFrame, columns: list[str], t: dict[str, str]) -> str:
    from markupsafe import Markup, escape

    head = "".join(f"<th>{escape(t.get(c, c))}</th>" for c in columns)
    rows = []
    for rec in frame[columns].itertuples(index=False):
        cells = []
        for c, v in zip(columns, rec, strict=True):
            text = f"{v:.1%}" if c == "rate" else (f"{v:.4g}" if isinstance(v, float) else str(v))
            cells.append(f"<td>{escape(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return Markup(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")
