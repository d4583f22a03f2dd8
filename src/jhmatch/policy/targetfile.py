"""The targets file: county targets, yearly milestones, achieved figures and extra targets.

A table (CSV, Excel) or a TOML file of ``[[target]]`` tables with the same keys. One row per
target value:

============  ==============================================================================
target        a target of the plan (``new_jobs``, ``welfare_posts``, ``tobacco_outlets``,
              ``agency_posts``, ``employment_rate``, ``graduate_rate``, ``household_coverage``,
              ``kiosk_reserve``, ``four_ones_*``) or a new one (then ``label``/``label_zh``)
county        county code or name; empty, ``city`` or 全市 for the whole city
value         the target: a count, or a rate as 0.6
year          a milestone: the goal of that year (empty: the end-2025 or yearly target)
achieved      a count reached outside the allocation (earlier years; added), or a rate reached
label(_zh)    the name of a new target (English / Chinese)
unit          ``count`` (default) or ``rate``, for a new target
period        ``cumulative`` over 2022–2025 (default) or ``annual``, for a new target
count_column  a yes/no column of the persons table whose yes are counted, for a new target
source        where the target comes from (a county's published plan, ...)
============  ==============================================================================

Example (TOML)::

    [[target]]
    target = "new_jobs"
    county = "东阳"
    value = 800            # 东阳's published target

    [[target]]
    target = "training"
    label_zh = "残疾人职业技能培训"
    county = "东阳"
    value = 1300
    achieved = 640         # trained so far

    [[target]]
    target = "new_jobs"
    year = 2023
    value = 2600           # the city's milestone for 2023
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from jhmatch.data.io import source_rows
from jhmatch.data.table import Column, TableSchema
from jhmatch.errors import Problem, SchemaError, ValueFormatError
from jhmatch.i18n import N_
from jhmatch.i18n import gettext as _
from jhmatch.policy.labels import target_label
from jhmatch.policy.targets import _BUILTIN, RATE_TARGETS, ExtraTarget, PlanTargets, _scope
from jhmatch.taxonomy import normalize_label

__all__ = ["TARGETS_TABLE", "read_targets_table", "targets_from_table"]


def _unit(value: Any) -> str:
    key = normalize_label(value)
    if key in ("count", "number", "人", "个", "人数", "个数", "数量"):
        return "count"
    if key in ("rate", "share", "ratio", "%", "比例", "比率", "率"):
        return "rate"
    raise ValueFormatError(_("count (数量) or rate (比例)"))


def _period(value: Any) -> str:
    key = normalize_label(value)
    if key in ("cumulative", "total", "累计", "2022-2025", "到2025年"):
        return "cumulative"
    if key in ("annual", "yearly", "每年", "年度"):
        return "annual"
    raise ValueFormatError(_("cumulative (累计) or annual (每年)"))


TARGETS_TABLE = TableSchema(
    "targets",
    (
        Column("target", "text", required=True, aliases=("目标", "指标", "指标代码", "code"),
               description=N_("a built-in target code (new_jobs, welfare_posts, …) or a new one (then give a label)")),
        Column("county", "label", parser=_scope, default="city", aliases=("县", "县市区", "地区", "区域", "scope"),
               description=N_("county code or name; empty, city or 全市 for the whole city")),
        Column("value", "float", min=0, aliases=("目标值", "目标数", "指标值", "target_value"),
               description=N_("the target (a count, or a rate as 0.6); empty on a row that only gives achieved")),
        Column("year", "int", min=2021, max=2030, aliases=("年份", "年度"),
               description=N_("the year a milestone is for (empty: the end-2025 or yearly target)")),
        Column("achieved", "float", min=0, aliases=("已完成", "完成数", "已完成数"),
               description=N_("count reached outside the allocation (earlier years), or a rate reached")),
        Column("label", "text", aliases=("名称", "指标名称", "name"), description=N_("name of a new target")),
        Column("label_zh", "text", aliases=("中文名称",), description=N_("Chinese name of a new target")),
        Column("unit", "label", parser=_unit, aliases=("单位", "类型"), description=N_("count or rate (new targets)")),
        Column("period", "label", parser=_period, aliases=("期间", "周期"),
               description=N_("cumulative (2022–2025) or annual (new targets)")),
        Column("count_column", "text", aliases=("统计列",),
               description=N_("a yes/no column of the persons table counted for a new target")),
        Column("source", "text", aliases=("来源", "依据"), description=N_("where the target comes from")),
    ),
)
"""Targets file format (CSV, Excel or TOML ``[[target]]`` tables); see the module docstring."""


def _accepted(other: tuple[str, ...]) -> str:
    """The targets a targets file accepts, for a message: each built-in code with its name, then ``other`` names."""
    sep = _(", ")
    names = [_("{code} ({name})").format(code=c, name=target_label(c)) for c in _BUILTIN]
    return sep.join([*names, *other])


def targets_from_table(cls: type[PlanTargets], table: pd.DataFrame, **kwargs: Any) -> PlanTargets:
    """Build :class:`PlanTargets` (or a subclass) from a targets table; see :meth:`PlanTargets.from_table`.

    ``accepted_names=`` (popped from the keyword arguments) lists other target names a
    caller accepts (its messages name them with the plan's targets), e.g. the training
    targets' 培训人数.

    Raises
    ------
    SchemaError
        Naming the row (the file's line, header = line 1), column and value of every problem (an unknown target without a
        label, a rate above 1, a row with neither value nor achieved).

    Examples
    --------
    >>> t = targets_from_table(PlanTargets, pd.DataFrame({"指标": ["new_jobs"], "年份": [2023], "目标值": [2600]}))
    >>> t.goal("new_jobs", "city", 2023)
    (2600.0, 'supplied')
    """
    df = TARGETS_TABLE.validate(table)
    city: dict[str, float] = {}
    per: dict[str, dict[str, float]] = {k: dict(v) for k, v in dict(kwargs.pop("county_targets", {})).items()}
    miles: dict[str, dict[int, float]] = {k: dict(v) for k, v in dict(kwargs.pop("milestones", {})).items()}
    cmiles: dict[str, dict[str, dict[int, float]]] = {
        k: {c: dict(y) for c, y in v.items()} for k, v in dict(kwargs.pop("county_milestones", {})).items()}
    achieved: dict[str, dict[str, float]] = {k: dict(v) for k, v in dict(kwargs.pop("achieved", {})).items()}
    extras: dict[str, dict[str, Any]] = {}
    accepted = tuple(kwargs.pop("accepted_names", ()))
    problems: list[Problem] = []
    file = table.attrs.get("source")
    line = source_rows(table)  # the file's line numbers (header = line 1), as every table reports them
    line = list(range(1, len(df) + 1)) if line is None else [int(v) for v in line]
    hmap = TARGETS_TABLE.header_map()
    head = {hmap.get(normalize_label(c)): str(c) for c in table.columns}  # the headers as the file writes them
    head = {k: v for k, v in head.items() if k is not None and v != k}
    for i, rec in enumerate(df.itertuples(index=False), start=1):
        name = str(rec.target).strip()
        if name not in _BUILTIN:
            spec = extras.setdefault(name, {"code": name, "county": {}})
            for key in ("label", "label_zh", "unit", "period", "count_column", "source"):
                v = getattr(rec, key)
                if not pd.isna(v) and str(v).strip():
                    spec[key] = str(v).strip()
        has_value, has_year = not pd.isna(rec.value), not pd.isna(rec.year)
        if not has_value and pd.isna(rec.achieved):
            problems.append(Problem(line[i - 1], "value", "", _("a target value, or an achieved figure"), file,
                                    header=head.get("value")))
            continue
        if has_value and (name in RATE_TARGETS or (name not in _BUILTIN and extras[name].get("unit") == "rate")) \
                and rec.value > 1:
            problems.append(Problem(line[i - 1], "value", rec.value, _("a rate between 0 and 1 (60% as 0.6)"), file,
                                    header=head.get("value")))
            continue
        if has_value and has_year:
            if rec.county == "city":
                miles.setdefault(name, {})[int(rec.year)] = float(rec.value)
            else:
                cmiles.setdefault(name, {}).setdefault(rec.county, {})[int(rec.year)] = float(rec.value)
        elif has_value:
            if name not in _BUILTIN:
                if rec.county == "city":
                    extras[name]["value"] = float(rec.value)
                else:
                    extras[name]["county"][rec.county] = float(rec.value)
            elif rec.county == "city":
                city[name] = float(rec.value)
            else:
                per.setdefault(name, {})[rec.county] = float(rec.value)
        if not pd.isna(rec.achieved):
            achieved.setdefault(name, {})[rec.county] = float(rec.achieved)
    for name, spec in extras.items():
        if not (spec.get("label") or spec.get("label_zh")):
            rows = [i for i, t in enumerate(df["target"], start=1) if str(t).strip() == name]
            problems.append(Problem(line[rows[0] - 1], "target", name, _(
                "a target of the plan ({targets}), or a label / label_zh for a new target").format(
                targets=_accepted(accepted)), file, header=head.get("target")))
    if problems:
        raise SchemaError(problems, "targets" + (f" ({file})" if file else ""))
    extra = {**dict(kwargs.pop("extra", {})), **{n: ExtraTarget(**s) for n, s in extras.items()}}
    return cls(**{**city, **kwargs, "county_targets": per, "milestones": miles, "county_milestones": cmiles,
                  "extra": extra, "achieved": achieved})


def read_targets_table(path: str | Path) -> pd.DataFrame:
    """The rows of a targets file (CSV/Excel via :func:`jhmatch.data.io.read_table`, or TOML).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.toml"
    >>> _ = p.write_text('[[target]]\\ntarget = "new_jobs"\\nvalue = 5000\\n', encoding="utf-8")
    >>> read_targets_table(p).to_dict("records")
    [{'target': 'new_jobs', 'value': 5000}]
    """
    path = Path(path)
    if path.suffix.lower() == ".toml":
        import tomllib

        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise SchemaError([Problem(None, None, str(exc), _("a TOML file of [[target]] tables"), str(path))],
                              "targets") from None
        rows = data.get("target")
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise SchemaError([Problem(None, "target", type(rows).__name__, _("[[target]] tables"), str(path))],
                              "targets")
        table = pd.DataFrame(rows, dtype=object)
        table.attrs["source"] = str(path)
    else:
        from jhmatch.data.io import read_table

        table = read_table(path)
    return table
