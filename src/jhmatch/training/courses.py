"""Training courses as data: the courses table, its validation and the packaged sample catalogue.

A course (measure 九 of the plan, 残疾人职业技能培训提升行动) grants skills and
certificates and prepares for occupations; it has a duration, a cost per seat, a
number of seats, a provider (a designated training institution), a county, a format
(订单式 order-based, 师带徒 apprenticeship, 孵化 incubation, 集中培训 classroom) and the
disability categories it is accessible to. The table is validated by the project's
table engine (:class:`~jhmatch.data.table.TableSchema`): Chinese and English headers,
every problem reported at once with row, column and value.

Certificates use the codes of :class:`jhmatch.requirements.Certificate` (parsed like a
post's ``required_certificates``: ``电工证``, ``叉车证``, ``C1`` …); occupations are
CSCO 2022 codes; accessible categories are disability categories (empty: every
category).
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.data.schema import PERSONS, POSTS
from jhmatch.data.table import Column, TableSchema
from jhmatch.data.values import parse_csco, split_list
from jhmatch.errors import Problem, SchemaError
from jhmatch.i18n import N_
from jhmatch.i18n import gettext as _
from jhmatch.requirements import Certificate, parse_certificates
from jhmatch.taxonomy import DisabilityCategory, normalize_label

__all__ = ["COURSES", "FORMATS", "load_sample_courses", "parse_categories", "parse_format", "parse_grants",
           "parse_occupations", "require_costs", "validate_courses"]

FORMATS: Mapping[str, tuple[str, tuple[str, ...]]] = MappingProxyType({
    "order_based": ("订单式培训", ("订单式", "订单培训", "order", "order-based")),
    "apprenticeship": ("师带徒", ("师傅带徒弟", "学徒制", "以师带徒", "apprentice")),
    "incubation": ("创业孵化", ("孵化", "孵化培训", "incubator")),
    "classroom": ("集中培训", ("集中授课", "集中", "课堂培训", "class")),
})
"""Course formats named by measure 九 of the plan: code → (Chinese name, other accepted names)."""

_FORMAT_ALIASES = {normalize_label(name): code for code, (zh, extra) in FORMATS.items()
                   for name in (code, zh, *extra)}
_ALL = {normalize_label(v) for v in ("all", "any", "不限", "全部", "所有类别", "各类")}


def parse_format(value: Any) -> str:
    """A course format code from its code or Chinese name.

    Examples
    --------
    >>> parse_format("师带徒"), parse_format("订单式"), parse_format("classroom")
    ('apprenticeship', 'order_based', 'classroom')
    """
    code = _FORMAT_ALIASES.get(normalize_label(value))
    if code is None:
        raise ValueError(_("a course format: 订单式 (order_based), 师带徒 (apprenticeship), 孵化 (incubation) or "
                           "集中培训 (classroom)"))
    return code


def parse_grants(value: Any) -> str:
    """Certificates a course grants, ``;``-joined codes (``无`` → none).

    Examples
    --------
    >>> parse_grants("低压电工证"), parse_grants("无")
    ('electrician', '')
    """
    codes = parse_certificates(value)
    return "" if codes == "no" else codes


def parse_occupations(value: Any) -> str:
    """CSCO 2022 codes, ``;``-joined in the order given.

    Examples
    --------
    >>> parse_occupations("6-31-01-03、4-02-02-02")
    '6-31-01-03;4-02-02-02'
    """
    return ";".join(dict.fromkeys(parse_csco(p) for p in split_list(value)))


def parse_categories(value: Any) -> str:
    """Disability categories a course is accessible to; ``不限`` / ``all`` → every category (empty).

    Examples
    --------
    >>> parse_categories("肢体、听力"), parse_categories("不限")
    ('hearing;physical', '')
    """
    parts = split_list(value)
    if any(normalize_label(p) in _ALL for p in parts):
        return ""
    return ";".join(sorted({DisabilityCategory.parse(p).value for p in parts}))


def _grants_something(frame: pd.DataFrame, problems: list, file: str | None) -> None:
    """Cross check: a course grants a skill or a certificate (else it can unlock nothing)."""
    empty = (frame["grants_skills"].fillna("").astype(str).str.strip() == "") & \
        (frame["grants_certificates"].fillna("").astype(str) == "")
    for row in empty[empty].index:
        problems.append(Problem(int(row) + 1, "grants_certificates", "", _("a skill or a certificate the course "
                                                                            "grants"), file))


def _certificate_choices() -> tuple[str, ...]:
    return tuple(f"{c.zh} {c.value}" for c in Certificate)


COURSES = TableSchema(
    "courses",
    (
        Column("course_id", "id", required=True, unique=True, aliases=("课程编号", "培训项目编号", "项目编号", "id", "course"),
               description=N_("unique identifier of the course")),
        Column("name", "text", required=True, aliases=("课程名称", "培训项目", "培训项目名称", "项目名称", "course_name"),
               description=N_("course name, free text")),
        Column("grants_skills", "text", default="", aliases=("培训技能", "所授技能", "培训内容", "skills"),
               description=N_("skills the course teaches, free text")),
        Column("grants_certificates", "label", parser=parse_grants, default="",
               aliases=("取得证书", "可获证书", "颁发证书", "结业证书", "certificates"),
               description=N_("licences or certificates a trainee obtains, separated by ; or 、 (codes or Chinese "
                              "names, e.g. 电工证, 叉车证, C1)"),
               label_aliases=_certificate_choices),
        Column("occupations", "label", parser=parse_occupations, default="",
               aliases=("对应职业", "职业代码", "职业编码", "csco"),
               description=N_("CSCO 2022 occupation codes the course prepares for, separated by ;")),
        Column("duration_days", "int", min=1, max=1000, aliases=("培训天数", "培训时长", "学时天数", "days"),
               description=N_("length of the course in days")),
        Column("cost", "float", min=0, max=1_000_000, aliases=("培训费用", "人均费用", "每人费用", "费用", "cost_per_seat"),
               description=N_("cost per seat in yuan")),
        Column("seats", "int", default=0, min=0, max=100_000, aliases=("名额", "培训名额", "计划人数", "班额"),
               description=N_("seats offered")),
        Column("provider", "text", default="", aliases=("培训机构", "承办机构", "定点培训机构", "institution"),
               description=N_("the training institution")),
        Column("county", "label", parser=POSTS.column("county").parser,
               aliases=POSTS.column("county").aliases, label_aliases=POSTS.column("county").label_aliases,
               description=N_("county where the course is held (missing: anywhere in Jinhua)")),
        Column("format", "label", parser=parse_format, default="classroom",
               aliases=("培训形式", "培训方式", "培训模式", "mode"),
               description=N_("course format: 订单式, 师带徒, 孵化 or 集中培训")),
        Column("accessible_categories", "label", parser=parse_categories, default="",
               aliases=("适合残疾类别", "适用残疾类别", "适合类别", "categories"),
               description=N_("disability categories the course is accessible to, separated by ; (empty or 不限: "
                              "every category)"),
               label_aliases=PERSONS.column("category").label_aliases),
        Column("source", "text", default="", aliases=("依据", "来源", "标准依据"),
               description=N_("the public standard or rule the course follows")),
    ),
    (_grants_something,),
)
"""Schema of the courses table."""


def validate_courses(frame: pd.DataFrame, file: str | None = None,
                     column_map: dict[str, str] | None = None) -> pd.DataFrame:
    """Validate and normalise a courses table (see :data:`COURSES`).

    Raises
    ------
    SchemaError
        Listing every problem (row, column, value, what was expected).

    Examples
    --------
    >>> df = validate_courses(pd.DataFrame({"课程编号": ["c1"], "课程名称": ["低压电工作业"],
    ...     "可获证书": ["电工证"], "培训费用": [1200], "培训形式": ["订单式"], "适合残疾类别": ["肢体、听力"]}))
    >>> df.loc[0, ["grants_certificates", "format", "accessible_categories"]].tolist()
    ['electrician', 'order_based', 'hearing;physical']
    """
    return COURSES.validate(frame, file, column_map)


def require_costs(courses: pd.DataFrame, file: str | None = None) -> None:
    """Check that every course of a validated table has a cost per seat (a training budget needs it).

    A table without a cost column is one problem naming the file and the column (as
    the persons and posts tables report a missing required column); courses with an
    empty cost are one problem each, on the row the file shows.

    Raises
    ------
    SchemaError
        Naming the file, the column and the rows.

    Examples
    --------
    >>> course = {"course_id": ["c1"], "name": ["叉车"], "grants_certificates": ["叉车证"]}
    >>> require_costs(validate_courses(pd.DataFrame({**course, "cost": [1800]})))
    >>> try:
    ...     require_costs(validate_courses(pd.DataFrame(course)), "c.csv")
    ... except SchemaError as e:
    ...     print(e.problems[0].where(), len(e.problems))
    c.csv, column 'cost' 1
    """
    from jhmatch.data.io import source_rows

    missing = courses["cost"].isna().to_numpy()
    if not missing.any():
        return
    file = file if file is not None else courses.attrs.get("source")
    what = _("cost per seat in yuan (needed for the budget)")
    if missing.all():
        problems = [Problem(None, "cost", _("(missing column)"), _("a column {name}: {description}").format(
            name=repr("cost"), description=what), file, ("cost", *COURSES.column("cost").aliases))]
    else:
        rows = source_rows(courses)
        rows = np.arange(1, len(courses) + 1) if rows is None else rows
        problems = [Problem(int(rows[i]), "cost", "", what, file) for i in np.flatnonzero(missing)]
    raise SchemaError(problems, "courses" + (f" ({file})" if file else ""))


def load_sample_courses() -> pd.DataFrame:
    """The packaged sample catalogue, validated (each row's ``source`` names the public rule it follows).

    Examples
    --------
    >>> c = load_sample_courses()
    >>> 10 <= len(c) <= 20, bool((c["source"] != "").all())
    (True, True)
    """
    path = resources.files("jhmatch.training").joinpath("data/courses_sample.csv")
    with resources.as_file(path) as p:
        raw = pd.read_csv(p, dtype=str, keep_default_na=False)
    return validate_courses(raw, "courses_sample.csv")

