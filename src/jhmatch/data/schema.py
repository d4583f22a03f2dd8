"""Canonical table schemas and their validation.

Each table (persons, posts, employers, households) has canonical English column
names, dtypes and rules; Chinese and English aliases are accepted for headers and
for label values. ``validate_*`` returns a normalised copy of the input or raises
:class:`~jhmatch.errors.SchemaError` listing *every* problem at once — nothing is
dropped or guessed silently. Columns the schema does not know are kept unchanged
after the canonical ones.

Validation is vectorised: labels are parsed once per distinct value, so a table of
a million rows validates in seconds. The engine (columns, parsers, conversion) is
:mod:`jhmatch.data.table`.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from jhmatch.data import checks
from jhmatch.data.table import Column, TableSchema, table_warnings
from jhmatch.data.values import (
    kind_code,
    label_parser,
    parse_accommodations,
    parse_bool,
    parse_components,
    parse_csco,
    parse_date,
    parse_kinds,
    parse_limbs,
    parse_min_education,
    parse_sex,
)
from jhmatch.i18n import N_, get_language
from jhmatch.requirements import Certificate, Hazard, parse_certificates, parse_hazards
from jhmatch.taxonomy import (
    FUNCTIONAL_DIMENSIONS,
    DisabilityCategory,
    Grade,
    accommodation_choices,
    category_choices,
    education_choices,
    education_level,
    grade_choices,
    region,
    region_choices,
)

__all__ = [
    "EMPLOYERS",
    "HOUSEHOLDS",
    "PERSONS",
    "POSTS",
    "Column",
    "TableSchema",
    "parse_bool",
    "parse_date",
    "table_warnings",
    "validate_employers",
    "validate_households",
    "validate_persons",
    "validate_posts",
]


# ----------------------------------------------------------------------------- vocabularies

def _hazard_choices() -> tuple[str, ...]:
    if get_language() == "zh":
        return tuple(h.zh for h in Hazard)
    return tuple(f"{h.zh} {h.value}" for h in Hazard)


def _certificate_choices() -> tuple[str, ...]:
    if get_language() == "zh":
        return tuple(c.zh for c in Certificate)
    return tuple(f"{c.zh} {c.value}" for c in Certificate)


_CATEGORY = Column("category", "label", parser=label_parser(DisabilityCategory.parse, "value"),
                   aliases=("残疾类别", "残疾类型", "类别", "disability", "disability_category", "type"),
                   description=N_("a disability category (visual, hearing, speech, physical, intellectual, mental, "
                                  "multiple; 视力…多重; 1-7)"),
                   label_aliases=category_choices)
_GRADE = Column("grade", "ordinal", parser=label_parser(Grade.parse, "value"),
                aliases=("残疾等级", "等级", "disability_grade", "level"),
                description=N_("a disability grade, 1 (most severe) to 4 (一级…四级)"),
                label_aliases=grade_choices)
_COUNTY = Column("county", "label", required=True, parser=label_parser(region, "code"),
                 aliases=("县市区", "区县", "所属区县", "地区", "所在地区", "所属地区", "所在县市区", "所属县市区", "县(市、区)",
                          "所在县(市、区)", "县市区名称", "区县名称", "行政区划", "region", "district", "county_code"),
                 description=N_("one of Jinhua's 9 county-level divisions (code or name, e.g. 330782 or 义乌)"),
                 label_aliases=region_choices)
_EDUCATION = Column("education", "ordinal", parser=education_level,
                    aliases=("学历", "文化程度", "最高学历", "学历层次", "受教育程度", "education_level"),
                    description=N_("an education level (文化程度); also 中专/职高 (3), 专科 (4), 大学 (5)"),
                    label_aliases=education_choices)
_LAT = Column("lat", "float", aliases=("纬度", "latitude"), min=-90, max=90, description=N_("latitude in degrees"))
_LON = Column("lon", "float", aliases=("经度", "longitude", "lng"), min=-180, max=180, description=N_("longitude in degrees"))


def _dimension_columns(prefix: str, zh: str, what: str) -> tuple[Column, ...]:
    """Functional capacity (``cap_*``) or demand (``dem_*``) columns; ``what`` is a marked message."""
    names_zh = {"vision": "视觉", "hearing": "听觉", "speech": "言语", "upper_limb": "上肢",
                "mobility": "行动", "stamina": "体力", "cognition": "认知", "psychosocial": "心理社交"}
    return tuple(
        Column(f"{prefix}_{d}", "float", min=0, max=1, aliases=(f"{names_zh[d]}{zh}",),
               description=what)
        for d in FUNCTIONAL_DIMENSIONS
    )


PERSONS = TableSchema(
    "persons",
    (
        Column("person_id", "id", required=True, unique=True, aliases=("编号", "人员编号", "求职者编号", "登记编号", "id", "person", "seeker_id"),
               description=N_("unique identifier of the job seeker")),
        Column("name", "text", aliases=("姓名",), description=N_("name (never printed unmasked by jhmatch)")),
        Column("id_number", "resident_id", aliases=("身份证号", "身份证号码", "公民身份号码", "公民身份证号码", "身份证件号码", "证件号码", "resident_id", "id_card"),
               description=N_("18-character resident ID")),
        Column("certificate_number", "certificate", aliases=("残疾证号", "残疾人证号", "残疾证号码", "残疾人证号码", "残疾人证编号", "certificate", "cert_no"),
               description=N_("20-character disability certificate number")),
        _CATEGORY,
        Column("components", "label", parser=parse_components, aliases=("多重残疾类别", "组成", "component_categories"),
               description=N_("for a multiple disability, its component categories, e.g. visual;hearing")),
        _GRADE,
        Column("limbs", "label", parser=parse_limbs, default="unknown", aliases=("肢体部位", "受累肢体", "affected_limbs"),
               description=N_("for a physical disability: upper, lower, both or unknown")),
        Column("sex", "label", parser=parse_sex, aliases=("性别", "gender"), description=N_("M or F")),
        Column("birth_date", "date", aliases=("出生日期", "出生年月", "出生年月日", "birthday", "dob"), description=N_("date of birth")),
        Column("age", "int", min=0, max=120, aliases=("年龄",), description=N_("age in whole years")),
        dataclasses.replace(_COUNTY, required=False,
                            description=N_("one of Jinhua's 9 county-level divisions, the person's residence "
                                           "(missing: unknown; only remote or nearby posts are then candidates)")),
        _EDUCATION,
        Column("skills", "text", default="", aliases=("技能", "专长", "职业技能", "技能特长", "专业技能", "特长", "skill"),
               description=N_("skills and training, free text (Chinese or English)")),
        Column("preferred_kinds", "label", parser=parse_kinds, default="",
               aliases=("意向岗位", "求职意向", "期望岗位", "意向岗位类型", "preferences", "preferred_posts"),
               description=N_("preferred post kinds, separated by ; (codes or Chinese names)")),
        Column("willing", "bool", default=True, aliases=("就业意愿", "有就业意愿", "有无就业意愿", "求职意愿", "willing_to_work"),
               description=N_("wants work (default yes: the table lists job seekers)")),
        Column("graduate", "bool", default=False, aliases=("应届毕业生", "应届高校毕业生", "高校毕业生", "应届生", "is_graduate"),
               description=N_("graduating university student")),
        Column("low_income", "bool", default=False, aliases=("低保", "低保户", "低保对象", "享受低保", "低保家庭", "dibao"),
               description=N_("member of a low-income (dibao) household")),
        Column("household_id", "id", aliases=("户号", "家庭编号", "家庭户号", "household"), description=N_("household identifier")),
        Column("household_difficulty", "bool", default=False, aliases=("困难家庭", "困难残疾人家庭", "in_difficulty"),
               description=N_("household in difficulty (困难残疾人家庭)")),
        Column("rural", "bool", default=False, aliases=("农村", "农村户籍"), description=N_("rural resident")),
        Column("employed", "bool", default=False, aliases=("已就业", "就业状态", "就业", "is_employed"),
               description=N_("currently employed")),
        Column("remote_ok", "bool", default=True, aliases=("接受居家就业", "accepts_remote"),
               description=N_("accepts home-based / remote work")),
        Column("certificates", "label", parser=parse_certificates, default="",
               aliases=("证书", "资格证书", "持有证书", "职业资格证书", "held_certificates"),
               description=N_("licences and certificates held, separated by ; or 、"),
               label_aliases=_certificate_choices),
        Column("wheelchair", "bool", aliases=("使用轮椅", "轮椅", "uses_wheelchair"),
               description=N_("uses a wheelchair (missing: not recorded)")),
        Column("residual_vision", "bool", aliases=("有残余视力", "残余视力"),
               description=N_("a visually impaired person has useful residual vision (false: no useful sight)")),
        Column("hearing_aid", "bool", aliases=("助听器", "佩戴助听器", "人工耳蜗", "助听器或人工耳蜗", "cochlear_implant"),
               description=N_("uses a hearing aid or cochlear implant")),
        Column("sign_language", "bool", aliases=("会手语", "手语", "signs"), description=N_("communicates in sign language")),
        Column("literate", "bool", aliases=("识字", "能读写", "can_read"), description=N_("can read and write")),
        _LAT,
        _LON,
        *_dimension_columns("cap", "能力", N_("assessed capacity on this dimension (职业能力评估), 0-1 "
                                                "(missing: the documented default)")),
    ),
)
"""Schema of the persons (job seekers) table."""

POSTS = TableSchema(
    "posts",
    (
        Column("post_id", "id", required=True, unique=True, aliases=("岗位编号", "岗位id", "id", "post", "job_id"),
               description=N_("unique identifier of the post")),
        Column("employer_id", "id", aliases=("单位编号", "用人单位编号", "统一社会信用代码", "信用代码", "单位代码", "employer"),
               description=N_("employer identifier (e.g. the unified social credit code)")),
        Column("title", "text", default="", aliases=("岗位名称", "职位", "招聘岗位", "工种", "job_title"), description=N_("post title, free text")),
        Column("kind", "label", required=True, parser=kind_code,
               aliases=("岗位类型", "岗位类别", "岗位性质", "post_kind", "type"),
               description=N_("a post kind (岗位类型), by code or Chinese name"),
               readings=(("公益性岗位", N_("read as welfare_convenience 村社便民服务 (a welfare post of unnamed "
                                           "type); name the post (专职委员, 残疾人之家, 保洁, 保绿) for a better match")),
                         ("公益岗位", N_("read as welfare_convenience 村社便民服务; name the post for a better match")),
                         ("公益岗", N_("read as welfare_convenience 村社便民服务; name the post for a better match")),
                         ("居家就业", N_("read as ecommerce 电子商务, a home-based post; name the work (云客服, 云审核, "
                                         "网络维护, 手工艺) for a better match")),
                         ("居家灵活就业", N_("read as ecommerce 电子商务, a home-based post; name the work for a "
                                             "better match")))),
        Column("occupation", "label", parser=parse_csco, aliases=("职业代码", "职业编码", "csco", "occupation_code"),
               description=N_("CSCO 2022 occupation code")),
        Column("county", "label", required=True, parser=_COUNTY.parser, aliases=_COUNTY.aliases,
               description=_COUNTY.description, label_aliases=_COUNTY.label_aliases),
        Column("capacity", "int", required=True, min=0, max=100_000, aliases=("招聘人数", "岗位数", "名额", "需求人数", "拟招人数", "计划招聘人数", "openings", "vacancies"),
               description=N_("number of persons the post can take (0 to 100,000)")),
        Column("required_skills", "text", default="", aliases=("技能要求", "岗位要求", "requirements", "skills"),
               description=N_("skills asked for, free text")),
        Column("min_education", "ordinal", parser=parse_min_education, aliases=("学历要求", "最低学历", "文化程度要求"),
               description=N_("the lowest education accepted; 不限/无要求 = no minimum"),
               label_aliases=education_choices),
        Column("accommodations", "label", parser=parse_accommodations, default="",
               aliases=("无障碍支持", "便利措施", "合理便利"),
               description=N_("accommodations offered (合理便利), separated by ;"),
               label_aliases=accommodation_choices),
        Column("remote", "bool", aliases=("居家就业", "远程岗位", "home_based"),
               description=N_("can be done from home (missing: the kind's default)")),
        Column("hazards", "label", parser=parse_hazards, default="", aliases=("危害因素", "岗位风险", "作业风险", "职业危害"),
               description=N_("hazards of the work, separated by ; or 、 (无 = none); added to what jhmatch infers "
                              "from the title and occupation"),
               label_aliases=_hazard_choices),
        Column("essential_functions", "label", parser=parse_hazards, default="",
               aliases=("基本职能", "必备功能", "核心职能"),
               description=N_("essential functions (same list as hazards, e.g. telephone, reading); merged with "
                              "hazards"),
               label_aliases=_hazard_choices),
        Column("required_certificates", "label", parser=parse_certificates, default="",
               aliases=("证书要求", "持证要求", "资格要求", "上岗证书"),
               description=N_("licences or certificates the post requires, separated by ; or 、 (无 = none); added "
                              "to what jhmatch infers from the title and occupation"),
               label_aliases=_certificate_choices),
        Column("site_id", "id", aliases=("服务点编号", "site"), description=N_("community service point the post belongs to")),
        Column("site_posts", "int", min=1, max=100_000, aliases=("服务点岗位总数", "网点岗位总数", "站点岗位总数"),
               description=N_("posts in all at the post's community service point (kiosk rule: at least 10% for "
                              "disabled persons)")),
        Column("wage", "float", min=0, limit="max_monthly_wage", aliases=("月薪", "工资", "月工资", "薪资待遇", "工资待遇", "薪酬", "monthly_wage"), description=N_("monthly wage in yuan")),
        Column("min_age", "int", min=0, max=120, aliases=("最低年龄",), description=N_("youngest accepted age")),
        Column("max_age", "int", min=0, max=120, aliases=("最高年龄",), description=N_("oldest accepted age")),
        _LAT,
        _LON,
        *_dimension_columns("dem", "要求", N_("functional demand on this dimension, 0-1 "
                                                "(missing: the documented default)")),
    ),
)
"""Schema of the posts table."""

EMPLOYERS = TableSchema(
    "employers",
    (
        Column("employer_id", "id", required=True, unique=True, aliases=("单位编号", "用人单位编号", "统一社会信用代码", "信用代码", "组织机构代码", "id", "employer"),
               description=N_("unique identifier of the employer")),
        Column("name", "text", default="", aliases=("单位名称", "企业名称", "用人单位名称", "用人单位", "employer_name"), description=N_("employer name")),
        Column("county", "label", required=True, parser=_COUNTY.parser, aliases=_COUNTY.aliases,
               description=_COUNTY.description, label_aliases=_COUNTY.label_aliases),
        Column("staff", "int", required=True, min=0, max=10_000_000, aliases=("在职职工人数", "职工人数", "职工总数", "年平均在职职工人数", "staff_count", "employees"),
               description=N_("in-service staff (年平均在职职工人数)")),
        Column("disabled_staff", "int", default=0, min=0, aliases=("残疾职工人数", "安排残疾人数", "安排残疾人就业人数", "残疾人职工人数", "disabled_count"),
               description=N_("disabled employees meeting the contract, wage and insurance conditions")),
        Column("severe_disabled_staff", "int", default=0, min=0, aliases=("重度残疾职工人数", "一二级残疾职工", "severe_count"),
               description=N_("of which grade 1-2 (counted twice for the quota)")),
        Column("average_wage", "float", min=0, limit="max_annual_wage", aliases=("职工年平均工资", "年平均工资", "avg_wage"),
               description=N_("the unit's average annual wage in yuan")),
        Column("is_enterprise", "bool", default=True, aliases=("是否企业", "enterprise"),
               description=N_("an enterprise (the ≤ 30-staff exemption applies to enterprises)")),
    ),
)
"""Schema of the employers table (the policy module adds its own optional columns)."""

HOUSEHOLDS = TableSchema(
    "households",
    (
        Column("household_id", "id", required=True, unique=True, aliases=("户号", "家庭编号", "id", "household"),
               description=N_("unique identifier of the household")),
        Column("county", "label", required=True, parser=_COUNTY.parser, aliases=_COUNTY.aliases,
               description=_COUNTY.description, label_aliases=_COUNTY.label_aliases),
        Column("size", "int", default=1, min=1, max=30, aliases=("家庭人口", "人口数", "members"), description=N_("household members")),
        Column("difficulty", "bool", default=False, aliases=("困难家庭", "困难残疾人家庭", "in_difficulty"),
               description=N_("household in difficulty")),
        Column("low_income", "bool", default=False, aliases=("低保", "低保户", "dibao"), description=N_("dibao household")),
        Column("monthly_income", "float", min=0, limit="max_monthly_income", aliases=("家庭月收入", "income"), description=N_("household income per month, yuan")),
    ),
)
"""Schema of the households table."""


_PERSON_KEYS = (
    ("county", N_("persons without a county are matched only to remote or nearby posts and count in no county's "
                  "figures")),
    ("willing", N_("every person is taken as willing to work")),
    ("graduate", N_("no one counts as a graduating student: the graduate guarantee and priority do nothing")),
    ("low_income", N_("no one counts as low-income (dibao): that priority does nothing")),
    ("household_id", N_("persons cannot be linked to households: household coverage cannot be measured")),
)
_PHONE = Column("phone", "text", aliases=("联系电话", "手机号码", "手机号", "电话", "手机", "联系方式", "telephone", "mobile"),
                description=N_("contact telephone, kept as written and masked on export (138****5678)"))
_EMPLOYER_NAME = Column("employer_name", "text", aliases=("单位名称", "用人单位", "用人单位名称", "企业名称", "招聘单位"),
                        description=N_("employer name, free text"))
PERSONS = TableSchema(PERSONS.name, PERSONS.columns, (checks.check_persons,), _PERSON_KEYS, (_PHONE,),
                      (checks.same_person_notes,))
POSTS = TableSchema(POSTS.name, POSTS.columns, (checks.check_posts,), (), (_EMPLOYER_NAME,))
EMPLOYERS = TableSchema(EMPLOYERS.name, EMPLOYERS.columns, (checks.check_employers,))


def validate_persons(frame: pd.DataFrame, file: str | None = None,
                    column_map: dict[str, str] | None = None) -> pd.DataFrame:
    """Validate and normalise a persons (job seekers) table.

    Category, grade, birth date and sex are derived from the certificate number
    when their columns are missing or blank; a disagreement is a problem.

    Parameters
    ----------
    frame : DataFrame
        Raw table; see :data:`PERSONS` for columns and aliases.
    file : str, optional
        Source, for messages.
    column_map : dict, optional
        Raw header → column, for headers jhmatch does not recognise, e.g.
        ``{"所在地区": "county"}`` (``""`` ignores a column).

    Returns
    -------
    DataFrame
        Canonical columns and dtypes, same row order; ``attrs["warnings"]`` lists
        unrecognised and ignored columns (with the closest known column) and key
        columns (county, willing, graduate, low_income, household_id) that are
        missing or empty (:func:`~jhmatch.data.table.table_warnings`).

    Raises
    ------
    SchemaError
        Listing every problem (row, column, masked value, what was expected).

    Examples
    --------
    >>> df = validate_persons(pd.DataFrame({"编号": ["p1"], "残疾类别": ["视力"], "等级": ["二级"], "县市区": ["义乌"]}))
    >>> df.loc[0, "category"], int(df.loc[0, "grade"]), df.loc[0, "county"]
    ('visual', 2, '330782')
    """
    return PERSONS.validate(frame, file, column_map)


def validate_posts(frame: pd.DataFrame, file: str | None = None,
                  column_map: dict[str, str] | None = None) -> pd.DataFrame:
    """Validate and normalise a posts table (see :data:`POSTS`).

    Examples
    --------
    >>> df = validate_posts(pd.DataFrame({"post_id": ["q1"], "kind": ["云客服"], "county": ["磐安"], "capacity": [3]}))
    >>> df.loc[0, "kind"], df.loc[0, "county"], int(df.loc[0, "capacity"]), bool(df.loc[0, "remote"])
    ('cloud_customer_service', '330727', 3, True)
    """
    return POSTS.validate(frame, file, column_map)


def validate_employers(frame: pd.DataFrame, file: str | None = None,
                      column_map: dict[str, str] | None = None) -> pd.DataFrame:
    """Validate and normalise an employers table (see :data:`EMPLOYERS`).

    Examples
    --------
    >>> df = validate_employers(pd.DataFrame({"employer_id": ["e1"], "county": ["东阳"], "staff": [200], "disabled_staff": [2]}))
    >>> int(df.loc[0, "staff"])
    200
    """
    return EMPLOYERS.validate(frame, file, column_map)


def validate_households(frame: pd.DataFrame, file: str | None = None,
                       column_map: dict[str, str] | None = None) -> pd.DataFrame:
    """Validate and normalise a households table (see :data:`HOUSEHOLDS`).

    Examples
    --------
    >>> validate_households(pd.DataFrame({"household_id": ["h1"], "county": ["兰溪"], "difficulty": ["是"]}))["difficulty"].tolist()
    [True]
    """
    return HOUSEHOLDS.validate(frame, file, column_map)
