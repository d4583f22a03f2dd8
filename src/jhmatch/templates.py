"""Blank Excel templates for the planner's tables: headers, drop-down lists, an example row.

:func:`write_templates` writes one workbook per table (persons, posts, employers,
households). Each has three sheets:

1. the table itself (read by :func:`jhmatch.data.io.read_table`, which reads the
   first sheet): a header row in the planner's language (Chinese headers are
   aliases the schema accepts, English ones the canonical names), one example row
   (grey, ids starting ``示例``/``example``) and nothing else. Required columns
   have red headers; every header carries a comment explaining the column;
   columns with a fixed vocabulary (category, grade, county, post kind,
   education, yes/no, hazards, certificates, ...) have drop-down lists; ID,
   certificate and telephone columns are formatted as text so that Excel does
   not turn them into numbers;
2. the instructions (``说明``): how to fill in the sheet, and for each column what
   it means, whether it is required, and the values accepted;
3. the values of the drop-down lists (hidden).

The example row is valid as it stands, so a template validates unchanged; the
planner overwrites or deletes it. Files are written atomically (temporary file,
then rename) and existing files are not replaced unless ``overwrite=True``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from jhmatch.data.io import atomic_path
from jhmatch.data.schema import EMPLOYERS, HOUSEHOLDS, PERSONS, POSTS
from jhmatch.data.table import TableSchema
from jhmatch.errors import NotFoundError, ParameterError, require
from jhmatch.i18n import N_, language
from jhmatch.i18n import gettext as _
from jhmatch.requirements import Certificate, Hazard
from jhmatch.taxonomy import ACCOMMODATION_NAMES, EDUCATION_LEVELS, REGIONS, DisabilityCategory, Grade, post_kinds

__all__ = ["TABLES", "TEMPLATE_FIELDS", "TemplateField", "template_lists", "write_templates"]

TABLES: tuple[str, ...] = ("persons", "posts", "employers", "households")
"""The tables a template can be written for."""

DATA_ROWS = 5000
"""Rows below the header that carry the drop-down lists and text formats."""


@dataclass(frozen=True)
class TemplateField:
    """One column of a template.

    Attributes
    ----------
    column : str
        Canonical column name (the English header).
    zh : str
        Chinese header; an alias the table's schema accepts.
    help : str
        What the column means (English, translated where shown).
    values : str
        Name of its drop-down list in :func:`template_lists` (``""``: none).
    multi : bool
        Several values may be given in one cell (separated by ``、`` or ``;``).
    example : object
        Value in the example row: for a drop-down column the English list value
        (shown in the template's language), else the Chinese example.
    example_en : object
        English example when it differs from ``example`` (non-list columns).
    """

    column: str
    zh: str
    help: str
    values: str = ""
    multi: bool = False
    example: Any = None
    example_en: Any = None


F = TemplateField
_BIRTH = dt.date(1990, 5, 1)

TEMPLATE_FIELDS: Mapping[str, tuple[TemplateField, ...]] = MappingProxyType({
    "persons": (
        F("person_id", "人员编号", N_("Unique number of the job seeker in this table."), example="示例-001",
          example_en="example-001"),
        F("name", "姓名", N_("Name (jhmatch never prints it unmasked)."), example="张三（示例）",
          example_en="Example Person"),
        F("id_number", "身份证号", N_("18-character resident ID number; birth date and sex are taken from it.")),
        F("certificate_number", "残疾证号", N_("20-character disability certificate number (ID number, category "
                                              "digit, grade digit); category and grade are taken from it.")),
        F("category", "残疾类别", N_("Disability category."), "category", example="physical"),
        F("components", "多重残疾类别", N_("Only for a multiple disability: its categories, at least two."),
          "components", multi=True),
        F("grade", "残疾等级", N_("Disability grade, 1 (most severe) to 4."), "grade", example="3"),
        F("limbs", "肢体部位", N_("Only for a physical disability: the limbs affected."), "limbs", example="lower"),
        F("sex", "性别", N_("Sex."), "sex", example="M"),
        F("birth_date", "出生日期", N_("Date of birth."), example=_BIRTH),
        F("phone", "联系电话", N_("Contact telephone (masked on export).")),
        F("county", "所在县市区", N_("County of residence, one of Jinhua's nine county-level divisions."),
          "county", example="Yiwu"),
        F("education", "文化程度", N_("Highest education completed."), "education", example="senior_secondary"),
        F("skills", "技能特长", N_("Skills and training, free text."), example="电脑打字、客服",
          example_en="typing, customer service"),
        F("preferred_kinds", "意向岗位类型", N_("Kinds of post the person would like."), "kind", multi=True,
          example="cloud_customer_service"),
        F("willing", "就业意愿", N_("Wants work."), "bool", example="yes"),
        F("employed", "是否已就业", N_("Employed now."), "bool", example="no"),
        F("graduate", "是否应届毕业生", N_("Graduating university student (has priority)."), "bool", example="no"),
        F("low_income", "是否低保", N_("Member of a low-income (dibao) household (has priority)."), "bool",
          example="no"),
        F("household_id", "家庭编号", N_("Number of the person's household in the households table."),
          example="示例户-001", example_en="example-h001"),
        F("household_difficulty", "是否困难家庭", N_("Household in difficulty."), "bool", example="no"),
        F("rural", "是否农村户籍", N_("Rural resident."), "bool", example="no"),
        F("remote_ok", "接受居家就业", N_("Accepts home-based work."), "bool", example="yes"),
        F("certificates", "持有证书", N_("Licences and certificates held."), "certificates", multi=True,
          example="none"),
        F("wheelchair", "是否使用轮椅", N_("Uses a wheelchair (empty: not recorded)."), "bool", example="no"),
        F("residual_vision", "有残余视力", N_("For a visual disability: has useful residual vision (empty: not "
                                             "recorded)."), "bool"),
        F("hearing_aid", "佩戴助听器", N_("Uses a hearing aid or cochlear implant (empty: not recorded)."), "bool"),
        F("sign_language", "会手语", N_("Communicates in sign language (empty: not recorded)."), "bool"),
        F("literate", "能读写", N_("Can read and write (empty: not recorded)."), "bool", example="yes"),
    ),
    "posts": (
        F("post_id", "岗位编号", N_("Unique number of the post in this table."), example="示例岗-001",
          example_en="example-p001"),
        F("title", "岗位名称", N_("Title of the post, free text; jhmatch reads hazards and certificates from it."),
          example="客服专员（示例）", example_en="Customer service agent (example)"),
        F("kind", "岗位类型", N_("Kind of post."), "kind", example="cloud_customer_service"),
        F("employer_id", "单位编号", N_("Number of the employer in the employers table (e.g. its unified social "
                                       "credit code)."), example="示例单位-001", example_en="example-e001"),
        F("employer_name", "单位名称", N_("Name of the employer.")),
        F("county", "县市区", N_("County where the post is, one of Jinhua's nine county-level divisions."),
          "county", example="Yiwu"),
        F("capacity", "招聘人数", N_("Number of persons the post can take."), example=2),
        F("min_education", "学历要求", N_("Lowest education accepted."), "min_education", example="junior_secondary"),
        F("required_skills", "技能要求", N_("Skills asked for, free text."), example="电脑打字",
          example_en="typing"),
        F("wage", "月薪（元）", N_("Monthly wage in yuan."), example=3000),
        F("min_age", "最低年龄", N_("Youngest accepted age."), example=18),
        F("max_age", "最高年龄", N_("Oldest accepted age."), example=55),
        F("remote", "是否居家就业", N_("Can be done from home (empty: as usual for the kind of post)."), "bool",
          example="yes"),
        F("accommodations", "合理便利", N_("Accommodations the employer offers."), "accommodations", multi=True,
          example="flexible_hours"),
        F("hazards", "危害因素", N_("What the work involves (hazards and essential functions); 无 states there "
                                    "are none."), "hazards", multi=True, example="telephone"),
        F("required_certificates", "持证要求", N_("Licences or certificates the post requires; 无 states there "
                                                "are none."), "certificates", multi=True, example="none"),
    ),
    "employers": (
        F("employer_id", "单位编号", N_("Unique number of the employer (e.g. its unified social credit code)."),
          example="示例单位-001", example_en="example-e001"),
        F("name", "单位名称", N_("Name of the employer."), example="示例有限公司", example_en="Example Ltd"),
        F("county", "县市区", N_("County where the employer is registered."), "county", example="Yiwu"),
        F("staff", "在职职工人数", N_("Average number of staff in service during the year."), example=120),
        F("disabled_staff", "安排残疾人就业人数", N_("Disabled employees with a contract, wage and social "
                                                    "insurance."), example=2),
        F("severe_disabled_staff", "重度残疾职工人数", N_("Of which grade 1 or 2 (counted twice for the quota)."),
          example=1),
        F("average_wage", "职工年平均工资（元）", N_("Average annual wage of the staff in yuan."), example=72000),
        F("is_enterprise", "是否企业", N_("An enterprise (the exemption for 30 staff or fewer applies to "
                                          "enterprises)."), "bool", example="yes"),
    ),
    "households": (
        F("household_id", "家庭编号", N_("Unique number of the household; persons refer to it."),
          example="示例户-001", example_en="example-h001"),
        F("county", "县市区", N_("County of residence."), "county", example="Yiwu"),
        F("size", "家庭人口", N_("Number of household members."), example=3),
        F("difficulty", "是否困难家庭", N_("Household in difficulty."), "bool", example="yes"),
        F("low_income", "是否低保", N_("Low-income (dibao) household."), "bool", example="no"),
        F("monthly_income", "家庭月收入（元）", N_("Household income per month in yuan."), example=4500),
    ),
})
"""The columns of each template, in order (a selection of the schema's columns a planner fills in)."""

_SCHEMAS: dict[str, TableSchema] = {"persons": PERSONS, "posts": POSTS, "employers": EMPLOYERS,
                                    "households": HOUSEHOLDS}
# (English, Chinese) names of each table's sheet; its file is NAME_template.xlsx or NAME模板.xlsx, names the
# command line recognises when it guesses a file's table
_NAMES = {"persons": ("persons", "求职人员"), "posts": ("posts", "岗位"), "employers": ("employers", "用人单位"),
          "households": ("households", "家庭")}
_WHAT = {"persons": N_("one row per job seeker"), "posts": N_("one row per post"),
         "employers": N_("one row per employer"), "households": N_("one row per household")}
_DERIVED = {"category", "grade"}  # required unless a certificate number gives them


def template_lists() -> dict[str, list[tuple[str, str]]]:
    """The drop-down lists: name → ``(Chinese value, English value)`` pairs, each accepted by the schema.

    Post kinds are the catalogue as it is now (kinds a user registered included).

    Examples
    --------
    >>> template_lists()["grade"][0], template_lists()["county"][6]
    (('一级', '1'), ('义乌市', 'Yiwu'))
    """
    categories = [(c.zh, c.value) for c in DisabilityCategory]
    education = [(zh, ident) for _level, ident, zh, _extra in EDUCATION_LEVELS]
    return {
        "category": categories,
        "components": categories[:-1],
        "grade": [(g.zh, str(g.value)) for g in Grade],
        "county": [(r.zh, r.en) for r in REGIONS],
        "kind": [(k.zh, k.code) for k in post_kinds()],
        "education": education,
        "min_education": [("不限", "any"), *education],
        "bool": [("是", "yes"), ("否", "no")],
        "sex": [("男", "M"), ("女", "F")],
        "limbs": [("上肢", "upper"), ("下肢", "lower"), ("四肢", "both"), ("不详", "unknown")],
        "hazards": [*((h.zh, h.value) for h in Hazard), ("无", "none")],
        "certificates": [*((c.zh, c.value) for c in Certificate), ("无", "none")],
        "accommodations": [(names[0], code) for code, names in ACCOMMODATION_NAMES.items()],
    }


def write_templates(folder: str | Path, *, lang: str = "zh",
                    tables: Iterable[str] = TABLES, overwrite: bool = False) -> dict[str, Path]:
    """Write blank Excel templates for the planner's tables into ``folder``.

    Parameters
    ----------
    folder : path-like
        Where to write (created if missing).
    lang : {"zh", "en"}, default "zh"
        Language of headers, values, comments and instructions: Chinese headers
        the schema accepts as aliases (``身份证号``, ``残疾类别``), or the canonical
        English column names.
    tables : iterable of str, default all of :data:`TABLES`
        Which templates to write.
    overwrite : bool, default False
        Replace existing files (by default an existing file is an error and
        nothing is written, so a filled-in template is never lost).

    Returns
    -------
    dict of str to Path
        Table name → written file: ``求职人员模板.xlsx``, ``岗位模板.xlsx``,
        ``用人单位模板.xlsx``, ``家庭模板.xlsx`` (``persons_template.xlsx``, ... in
        English). Each validates unchanged with
        :func:`jhmatch.data.io.read_table` and the table's ``validate_*``.

    Raises
    ------
    ParameterError
        An unknown table or language, or a file exists and ``overwrite`` is false.
    MissingDependencyError
        openpyxl (the ``excel`` extra) is not installed.

    Examples
    --------
    >>> import tempfile
    >>> from jhmatch.data.io import read_table
    >>> paths = write_templates(tempfile.mkdtemp(), tables=["posts"])
    >>> paths["posts"].name
    '岗位模板.xlsx'
    >>> read_table(paths["posts"]).columns[:3].tolist()
    ['岗位编号', '岗位名称', '岗位类型']
    """
    with language(lang) as code:
        require("openpyxl", "excel", _("writing Excel templates"))
        chosen = list(dict.fromkeys(tables))
        unknown = [t for t in chosen if t not in TABLES]
        if unknown or not chosen:
            raise ParameterError(_("unknown table {value}: expected one or more of {accepted}").format(
                value=", ".join(map(repr, unknown)) or "()", accepted=", ".join(TABLES)))
        folder = Path(folder)
        paths = {t: folder / (_NAMES[t][1] + "模板.xlsx" if code == "zh" else _NAMES[t][0] + "_template.xlsx")
                 for t in chosen}
        existing = [str(p) for p in paths.values() if p.exists()]
        if existing and not overwrite:
            raise ParameterError(_("{files}: the file exists already and was left unchanged; choose another "
                                   "folder or allow overwriting").format(files=", ".join(existing)))
        folder.mkdir(parents=True, exist_ok=True)
        for table, path in paths.items():
            book = _workbook(table, code, path.name)
            with atomic_path(path) as tmp:
                book.save(tmp)
        return paths


# ----------------------------------------------------------------------------- building a workbook

def _shown(pairs: list[tuple[str, str]], value: str, zh: bool) -> str:
    for cn, en in pairs:
        if en == value:
            return cn if zh else en
    raise NotFoundError(f"{value!r} is not among {[en for _, en in pairs]}")  # a bug in TEMPLATE_FIELDS


def _requirement(schema: TableSchema, field: TemplateField) -> tuple[str, bool]:
    """(what the instructions say about filling it in, whether the header is marked required)."""
    col = schema.column(field.column)
    keys = {name for name, _why in schema.key_columns}
    if field.column in _DERIVED and schema is PERSONS:
        return _("required (or give the certificate number)"), True
    if col.required:
        return _("must be filled in"), True
    if field.column in keys:
        return _("recommended: the plan's figures depend on it"), False
    return _("may be left empty"), False


def _accepted(schema: TableSchema, field: TemplateField, lists: dict[str, list[tuple[str, str]]],
              zh: bool) -> str:
    col = schema.column(field.column)
    if field.values:
        shown = ("、" if zh else ", ").join(cn if zh else en for cn, en in lists[field.values])
        text = _("one of: {values}").format(values=shown)
        sep = "；" if zh else "; "
        if field.multi:
            text += sep + _("several values separated by 、 or ;")
        if col.kind == "bool" and col.default is not None:
            text += sep + _("empty means {value}").format(value=_shown(lists["bool"], "yes" if col.default else
                                                                        "no", zh))
        return text
    if col.kind == "resident_id":
        return _("18 characters (digits, the last may be X), as text")
    if col.kind == "certificate":
        return _("20 characters, as text")
    if col.kind == "date":
        return _("a date such as 1990-05-01")
    if col.kind == "id":
        return _("text, unique in the table") if col.unique else _("text, as in the table it refers to")
    if col.kind in ("int", "float"):
        what = _("a whole number") if col.kind == "int" else _("a number")
        if col.min is not None and col.max is not None:
            what = _("{what} from {low} to {high}").format(what=what, low=f"{col.min:,.0f}", high=f"{col.max:,.0f}")
        elif col.min is not None:
            what = _("{what}, at least {low}").format(what=what, low=f"{col.min:,.0f}")
        if col.default is not None and not col.required:
            what += ("；" if zh else "; ") + _("empty means {value}").format(value=col.default)
        return what
    return _("free text, as written")


def _workbook(table: str, lang: str, file_name: str) -> Any:
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    zh = lang == "zh"
    schema, fields, lists = _SCHEMAS[table], TEMPLATE_FIELDS[table], template_lists()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = _NAMES[table][zh]
    info = book.create_sheet(_("instructions"))
    values = book.create_sheet(_("drop-down values"))
    values.sheet_state = "hidden"

    header_fill = PatternFill("solid", fgColor="DDEBF7")
    list_col: dict[str, str] = {}
    rows = []
    for i, field in enumerate(fields, start=1):
        letter = get_column_letter(i)
        header = field.zh if zh else field.column
        need, required = _requirement(schema, field)
        accepted = _accepted(schema, field, lists, zh)
        rows.append((header, _(field.help), need, accepted))
        cell = sheet.cell(row=1, column=i, value=header)
        cell.font = Font(bold=True, color="C00000" if required else "000000")
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        comment = Comment(f"{_(field.help)}\n{need}\n{accepted}", "jhmatch")
        comment.width, comment.height = 320, 160
        cell.comment = comment
        longest = max((len(cn if zh else en) for cn, en in lists[field.values]), default=0) if field.values else 0
        sheet.column_dimensions[letter].width = min(30, max(12, (2.2 if zh else 1.1) * max(len(header), longest) + 3))
        col = schema.column(field.column)
        if col.kind in ("id", "resident_id", "certificate") or field.column == "phone":
            sheet.column_dimensions[letter].number_format = "@"  # Excel keeps typed digits as text
        elif col.kind == "date":
            sheet.column_dimensions[letter].number_format = "yyyy-mm-dd"
        example = field.example if zh or field.example_en is None else field.example_en
        if field.values and example is not None:
            example = _shown(lists[field.values], example, zh)
        if example is not None:
            cell = sheet.cell(row=2, column=i, value=example)
            cell.font = Font(italic=True, color="808080")
            cell.number_format = "yyyy-mm-dd" if col.kind == "date" else ("@" if isinstance(example, str) else
                                                                          "General")
        if field.values:
            if field.values not in list_col:
                list_col[field.values] = get_column_letter(len(list_col) + 1)
                values.cell(row=1, column=len(list_col), value=field.values)
                for r, (cn, en) in enumerate(lists[field.values], start=2):
                    values.cell(row=r, column=len(list_col), value=cn if zh else en)
            source = list_col[field.values]
            end = len(lists[field.values]) + 1
            check = DataValidation(type="list", formula1=f"'{values.title}'!${source}$2:${source}${end}",
                                   allow_blank=True, showErrorMessage=True,
                                   errorStyle="information" if field.multi else "warning",
                                   errorTitle=_("Not in the list")[:32],
                                   error=(_("Several values may be given, separated by 、 or ;. The accepted values "
                                            "are listed on the instructions sheet.") if field.multi else
                                          _("This value is not in the list. jhmatch accepts some other spellings "
                                            "too (see the instructions sheet); keep it only if you are sure."))[:255])
            check.add(f"{letter}2:{letter}{DATA_ROWS + 1}")
            sheet.add_data_validation(check)
    sheet.freeze_panes = "A2"
    sheet.row_dimensions[1].height = 30
    first = sheet.cell(row=2, column=1)
    if first.value is not None:
        first.comment = Comment(_("Example row: overwrite it or delete it."), "jhmatch")
    _instructions(info, table, sheet.title, file_name, rows)
    book.active = 0
    return book


def _instructions(info: Any, table: str, sheet_name: str, file_name: str,
                  rows: list[tuple[str, str, str, str]]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    notes = [
        _("How to fill in the {table} template").format(table=sheet_name),
        _("1. Fill in {what}, from row 3; row 2 (grey) is an example: overwrite it or delete it.").format(
            what=_(_WHAT[table])),
        _("2. Keep the header row as it is: jhmatch finds the columns by these names. Columns may be moved; "
          "columns jhmatch does not know are kept but not used."),
        _("3. Red headers are required; the others may be left empty. Point at a header to see what it means."),
        _("4. Choose values from the drop-down lists; where several values are allowed, separate them with 、 or ;."),
        _("5. ID, certificate and telephone numbers are kept as text: type or paste them as they are."),
        _("6. Check the filled-in table with: jhmatch validate {file}").format(file=file_name),
    ]
    for r, text in enumerate(notes, start=1):
        info.cell(row=r, column=1, value=text).font = Font(bold=r == 1, size=13 if r == 1 else 11)
    start = len(notes) + 2
    titles = (_("column header"), _("what it means"), _("required?"), _("values accepted"))
    for c, title in enumerate(titles, start=1):
        cell = info.cell(row=start, column=c, value=title)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for r, row in enumerate(rows, start=start + 1):
        for c, text in enumerate(row, start=1):
            info.cell(row=r, column=c, value=text).alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCD", (22, 48, 24, 70)):
        info.column_dimensions[letter].width = width
