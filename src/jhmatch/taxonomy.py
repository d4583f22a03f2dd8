"""Controlled vocabularies: disability categories and grades, Jinhua's regions, post kinds.

English identifiers are canonical; Chinese labels (and a few common English
variants) are accepted as input aliases. Sources: GB/T 26341-2010 for the
categories and grades; the Jinhua action plan (金政办发〔2022〕50号) for the post
kinds; CSCO 2022 (中华人民共和国职业分类大典 2022) for the occupation codes.
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, TypeVar

from jhmatch.errors import ParameterError, UnknownLabelError
from jhmatch.i18n import N_, get_language

__all__ = [
    "ACCOMMODATION_NAMES",
    "EDUCATION_LEVELS",
    "FUNCTIONAL_DIMENSIONS",
    "REGIONS",
    "Accommodation",
    "DisabilityCategory",
    "Grade",
    "PostKind",
    "Region",
    "accommodation_choices",
    "category_choices",
    "education_choices",
    "education_level",
    "grade_choices",
    "kind_choices",
    "normalize_label",
    "parse_alias",
    "post_kind",
    "post_kinds",
    "region",
    "region_choices",
    "register_post_kind",
    "unregister_post_kind",
]


E = TypeVar("E", bound=enum.Enum)


def parse_alias(cls: type[E], aliases: dict[str, str], what: str, value: Any, accepted: list[str],
                shown: tuple[str, ...] | None = None) -> E:
    """Member of enum ``cls`` whose alias (folded by :func:`normalize_label`) is ``value``.

    Raises :class:`~jhmatch.errors.UnknownLabelError` naming ``what`` and the ``accepted`` values.

    Examples
    --------
    >>> parse_alias(Accommodation, _ACCOMMODATION_ALIASES, "accommodation", " 手语 ", []).value
    'sign_language'
    """
    if isinstance(value, cls):
        return value
    try:
        return cls(aliases[normalize_label(value)])
    except KeyError:
        raise UnknownLabelError(what, value, accepted, shown) from None


# kinds of labels other modules name in UnknownLabelError (translated where shown)
_LABEL_KINDS = (N_("hazard"), N_("certificate"), N_("person id"), N_("post id"))


def normalize_label(value: Any) -> str:
    """Fold a label for alias lookup: NFKC, strip, lower case, no inner spaces.

    Examples
    --------
    >>> normalize_label("  Visual ")
    'visual'
    >>> normalize_label("１")
    '1'
    """
    text = unicodedata.normalize("NFKC", str(value)).strip().lower()
    return "".join(text.split()).replace("_", "-")


class DisabilityCategory(str, enum.Enum):
    """The seven disability categories of GB/T 26341-2010.

    The value is the English identifier; :attr:`digit` is the category digit of a
    second-generation certificate (position 19) and :attr:`zh` the Chinese label.

    Examples
    --------
    >>> DisabilityCategory.parse("视力残疾")
    <DisabilityCategory.VISUAL: 'visual'>
    >>> DisabilityCategory.parse(4).zh
    '肢体'
    """

    VISUAL = "visual"
    HEARING = "hearing"
    SPEECH = "speech"
    PHYSICAL = "physical"
    INTELLECTUAL = "intellectual"
    MENTAL = "mental"
    MULTIPLE = "multiple"

    @property
    def digit(self) -> int:
        """Certificate digit, 1 (visual) … 7 (multiple)."""
        return _CATEGORY_ORDER.index(self) + 1

    @property
    def zh(self) -> str:
        """Chinese label (视力, 听力, 言语, 肢体, 智力, 精神, 多重)."""
        return _CATEGORY_ZH[self]

    @classmethod
    def aliases(cls) -> dict[str, DisabilityCategory]:
        """Map of every accepted (normalised) spelling to its category."""
        return _CATEGORY_ALIASES

    @classmethod
    def parse(cls, value: Any) -> DisabilityCategory:
        """Parse a category from its English or Chinese name or its certificate digit."""
        if isinstance(value, cls):
            return value
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        key = normalize_label(value)
        try:
            return _CATEGORY_ALIASES[key]
        except KeyError:
            raise UnknownLabelError(
                N_("disability category"), value, sorted(_CATEGORY_ALIASES), category_choices()
            ) from None

    @classmethod
    def parse_components(cls, value: Any) -> tuple[DisabilityCategory, ...]:
        """Parse the component list of a multiple disability, e.g. ``"视力;听力"``.

        Empty or missing input gives an empty tuple. ``multiple`` itself is not a
        valid component.

        Examples
        --------
        >>> DisabilityCategory.parse_components("visual; 听力")
        (<DisabilityCategory.VISUAL: 'visual'>, <DisabilityCategory.HEARING: 'hearing'>)
        """
        if value is None or (isinstance(value, float) and value != value):
            return ()
        text = unicodedata.normalize("NFKC", str(value))
        for sep in ("、", ",", "|", "/", "+"):
            text = text.replace(sep, ";")
        parts = [p for p in (s.strip() for s in text.split(";")) if p]
        out: list[DisabilityCategory] = []
        for part in parts:
            cat = cls.parse(part)
            if cat is cls.MULTIPLE:
                raise UnknownLabelError(
                    N_("component of a multiple disability"), part,
                    [c.value for c in _CATEGORY_ORDER[:-1]], category_choices()[:-1],
                )
            if cat not in out:
                out.append(cat)
        return tuple(sorted(out, key=lambda c: c.digit))


_CATEGORY_ORDER = list(DisabilityCategory)


def category_choices() -> tuple[str, ...]:
    """The categories as a message lists them, in the current language.

    Examples
    --------
    >>> category_choices()[:2]
    ('visual/视力/1', 'hearing/听力/2')
    """
    if get_language() == "zh":
        return tuple(c.zh for c in _CATEGORY_ORDER)
    return tuple(f"{c.value}/{c.zh}/{c.digit}" for c in _CATEGORY_ORDER)


def grade_choices() -> tuple[str, ...]:
    """The grades as a message lists them, in the current language (一级 … 四级 in Chinese)."""
    zh = ("一级", "二级", "三级", "四级")
    return zh if get_language() == "zh" else ("1", "2", "3", "4", *zh)


def region_choices() -> tuple[str, ...]:
    """Jinhua's counties as a message lists them: names in Chinese, ``330702 婺城`` in English."""
    if get_language() == "zh":
        return tuple(r.zh for r in REGIONS)
    return tuple(f"{r.code} {r.zh[:-1]}" for r in REGIONS)


def kind_choices() -> tuple[str, ...]:
    """The post kinds as a message lists them: Chinese names in Chinese, ``code 中文名`` in English."""
    if get_language() == "zh":
        return tuple(k.zh for k in post_kinds())
    return tuple(f"{k.code} {k.zh}" for k in post_kinds())


def education_choices() -> tuple[str, ...]:
    """The education levels as a message lists them (``0 none 未上学`` in English, ``未上学`` in Chinese)."""
    if get_language() == "zh":
        return tuple(f"{zh}" for _level, _ident, zh, _extra in EDUCATION_LEVELS)
    return tuple(f"{level} {ident} {zh}" for level, ident, zh, _extra in EDUCATION_LEVELS)


def accommodation_choices() -> tuple[str, ...]:
    """The accommodations as a message lists them (``step_free 无障碍通道`` in English)."""
    if get_language() == "zh":
        return tuple(names[0] for names in _ACCOMMODATION_ZH.values())
    return tuple(f"{code} {names[0]}" for code, names in _ACCOMMODATION_ZH.items())
_CATEGORY_ZH = {
    DisabilityCategory.VISUAL: "视力",
    DisabilityCategory.HEARING: "听力",
    DisabilityCategory.SPEECH: "言语",
    DisabilityCategory.PHYSICAL: "肢体",
    DisabilityCategory.INTELLECTUAL: "智力",
    DisabilityCategory.MENTAL: "精神",
    DisabilityCategory.MULTIPLE: "多重",
}
_CATEGORY_EXTRA = {
    DisabilityCategory.VISUAL: ("vision", "blind", "low-vision", "visually-impaired"),
    DisabilityCategory.HEARING: ("deaf", "hard-of-hearing", "hearing-impaired"),
    DisabilityCategory.SPEECH: ("language", "speech-and-language", "语言"),
    DisabilityCategory.PHYSICAL: ("limb", "motor", "mobility", "躯体"),
    DisabilityCategory.INTELLECTUAL: ("cognitive", "learning", "id", "智障"),
    DisabilityCategory.MENTAL: ("psychosocial", "psychiatric", "mental-health"),
    DisabilityCategory.MULTIPLE: ("multi", "multiple-disabilities", "combined"),
}


def _build_category_aliases() -> dict[str, DisabilityCategory]:
    table: dict[str, DisabilityCategory] = {}
    for cat in _CATEGORY_ORDER:
        names = [cat.value, cat.name, str(cat.digit), _CATEGORY_ZH[cat],
                 _CATEGORY_ZH[cat] + "残疾", _CATEGORY_ZH[cat] + "残", *_CATEGORY_EXTRA[cat]]
        for name in names:
            table[normalize_label(name)] = cat
    return table


_CATEGORY_ALIASES = _build_category_aliases()


class Grade(enum.IntEnum):
    """Disability grade: 1 (一级, most severe) … 4 (四级, mildest).

    Examples
    --------
    >>> Grade.parse("二级").is_severe
    True
    >>> Grade.parse(3).is_severe
    False
    """

    ONE = 1
    TWO = 2
    THREE = 3
    FOUR = 4

    @property
    def is_severe(self) -> bool:
        """Grades 1 and 2 are severe (重度)."""
        return self.value <= 2

    @property
    def zh(self) -> str:
        """Chinese label, e.g. 一级."""
        return "一二三四"[self.value - 1] + "级"

    @classmethod
    def aliases(cls) -> dict[str, Grade]:
        """Map of every accepted (normalised) spelling to its grade."""
        return _GRADE_ALIASES

    @classmethod
    def parse(cls, value: Any) -> Grade:
        """Parse ``1``…``4``, ``"一级"``, ``"grade 2"``, ``"II"`` and the like."""
        if isinstance(value, cls):
            return value
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        try:
            return _GRADE_ALIASES[normalize_label(value)]
        except KeyError:
            raise UnknownLabelError(N_("disability grade"), value, ["1", "2", "3", "4", "一级", "二级", "三级", "四级"],
                                    grade_choices()) from None


def _build_grade_aliases() -> dict[str, Grade]:
    table: dict[str, Grade] = {}
    for g, zh, roman in zip(Grade, "一二三四", ("i", "ii", "iii", "iv"), strict=True):
        for name in (str(g.value), zh, zh + "级", f"grade{g.value}", f"grade-{g.value}",
                     roman, f"{g.value}级", f"level{g.value}"):
            table[normalize_label(name)] = g
    return table


_GRADE_ALIASES = _build_grade_aliases()


@dataclass(frozen=True)
class Region:
    """A county-level division of Jinhua.

    Attributes
    ----------
    code : str
        Six-digit administrative division code (GB/T 2260), e.g. ``"330782"``.
    zh, en : str
        Names in Chinese and English.
    population : float
        Resident population at end-2024, in 10,000s (Jinhua statistical bulletin;
        see ``domain.md`` §2).
    mountain : bool
        Listed among Zhejiang's 26 mountain counties (山区26县).
    """

    code: str
    zh: str
    en: str
    population: float
    mountain: bool = False


REGIONS: tuple[Region, ...] = (
    Region("330702", "婺城区", "Wucheng", 98.2),
    Region("330703", "金东区", "Jindong", 52.7),
    Region("330723", "武义县", "Wuyi", 47.4, mountain=True),
    Region("330726", "浦江县", "Pujiang", 46.9),
    Region("330727", "磐安县", "Pan'an", 17.9, mountain=True),
    Region("330781", "兰溪市", "Lanxi", 58.4),
    Region("330782", "义乌市", "Yiwu", 191.8),
    Region("330783", "东阳市", "Dongyang", 109.5),
    Region("330784", "永康市", "Yongkang", 98.1),
)
"""Jinhua's nine county-level divisions, in code order."""


def _build_region_aliases() -> dict[str, Region]:
    table: dict[str, Region] = {}
    for r in REGIONS:
        short = r.zh[:-1]  # 婺城区 -> 婺城, 义乌市 -> 义乌
        for name in (r.code, r.zh, short, r.en, r.en.replace("'", ""), r.en + " county",
                     r.en + " district", r.en + " city"):
            table[normalize_label(name)] = r
    return table


_REGION_ALIASES = _build_region_aliases()


def region(value: Any) -> Region:
    """Look up a Jinhua region by code, Chinese or English name.

    Examples
    --------
    >>> region("义乌").code
    '330782'
    >>> region(330727).en
    "Pan'an"
    """
    if isinstance(value, Region):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        return _REGION_ALIASES[normalize_label(value)]
    except KeyError:
        raise UnknownLabelError(N_("region"), value, [r.code for r in REGIONS] + [r.zh for r in REGIONS],
                                region_choices()) from None


@dataclass(frozen=True)
class PostKind:
    """A kind of post the action plan names (or a user adds).

    Attributes
    ----------
    code : str
        English identifier, e.g. ``"tobacco_outlet"``.
    zh, en : str
        Names in Chinese and English.
    reserved : bool
        A kind reserved for, or preferentially given to, disabled persons
        (kiosks, tobacco and lottery outlets, welfare posts, reserved agency posts).
    welfare : bool
        A welfare post (公益性岗位), counted towards the plan's ≥ 500 new ones.
    csco : tuple of str
        CSCO 2022 occupation code(s) the kind maps to (``X-XX-XX-XX``).
    group : str
        Broad group: ``"reserved"``, ``"welfare"``, ``"public"``, ``"ecommerce"``,
        ``"craft"``, ``"rural"``, ``"sheltered"``, ``"enterprise"``.
    self_employed : bool
        An entrepreneur's outlet rather than an employee's post.
    remote : bool
        Usually done from home (cloud customer service, review).
    aliases : tuple of str
        Extra input spellings.
    """

    code: str
    zh: str
    en: str
    reserved: bool
    welfare: bool
    csco: tuple[str, ...]
    group: str
    self_employed: bool = False
    remote: bool = False
    aliases: tuple[str, ...] = field(default=())


_BUILTIN_KINDS: tuple[PostKind, ...] = (
    PostKind("kiosk", "邮政报刊零售亭", "Postal/newspaper kiosk", True, False,
             ("4-02-07-05", "4-01-02-03"), "reserved", True, False, ("报刊亭", "便民服务亭", "newsstand")),
    PostKind("tobacco_outlet", "烟草制品零售点", "Tobacco retail outlet", True, False,
             ("4-01-05-04", "4-01-02-03"), "reserved", True, False, ("烟草零售", "烟草零售点", "tobacco")),
    PostKind("lottery_outlet", "彩票网点", "Lottery outlet", True, False,
             ("4-01-02-03",), "reserved", True, False, ("彩票", "彩票销售", "彩票销售点", "彩票站", "lottery")),
    PostKind("welfare_liaison", "残疾人专职委员", "Full-time disability liaison (welfare post)", True, True,
             ("3-01-04-01",), "welfare", False, False, ("专职委员",)),
    PostKind("welfare_home_staff", "残疾人之家管理服务人员", "Home for the Disabled staff (welfare post)", True, True,
             ("4-10-01-05", "3-01-04-01"), "welfare", False, False, ("残疾人之家", "残疾人之家工作人员")),
    PostKind("welfare_convenience", "村社便民服务", "Village/community convenience service (welfare post)",
             True, True, ("3-01-04-01", "4-01-02-04"), "welfare", False, False,
             ("便民服务", "公益性岗位", "公益岗位", "公益岗")),
    PostKind("welfare_cleaning", "保洁公益性岗位", "Cleaning (welfare post)", True, True,
             ("4-09-08-01",), "welfare", False, False, ("保洁", "公益保洁", "公益性岗位保洁")),
    PostKind("welfare_greening", "保绿公益性岗位", "Greening (welfare post)", True, True,
             ("4-09-10-01",), "welfare", False, False, ("保绿", "绿化", "公益性岗位保绿")),
    PostKind("agency_post", "机关事业单位岗位", "Agency / public-institution post", True, False,
             ("3-01-01-01", "3-01-01-02"), "public", False, False, ("机关", "事业单位")),
    PostKind("soe_post", "国有企业定向岗位", "State-owned-enterprise targeted post", True, False,
             ("3-01-01-01", "4-07-02-03"), "public", False, False, ("国企", "国有企业")),
    PostKind("cloud_customer_service", "云客服", "Cloud customer service", False, False,
             ("4-04-05-03", "4-07-02-03"), "ecommerce", False, True, ("客服", "call centre")),
    PostKind("cloud_review", "云审核", "Cloud content review", False, False,
             ("2-10-02-05",), "ecommerce", False, True, ("审核", "content moderation")),
    PostKind("network_maintenance", "网络维护", "Network maintenance", False, False,
             ("4-04-04-02", "4-04-02-02"), "ecommerce", False, True, ("网维",)),
    PostKind("ecommerce", "电子商务", "E-commerce operations", False, False,
             ("4-01-06-01", "4-01-06-02"), "ecommerce", False, True,
             ("电商", "网店", "直播带货", "居家就业", "居家灵活就业")),
    PostKind("handicraft", "非遗与传统手工艺", "Intangible cultural heritage / handicraft", False, False,
             ("2-09-06-06", "6-09-03-11", "6-05-01-06", "5-05-06-05"), "craft", False, False,
             ("非遗", "手工艺", "文创", "ich")),
    PostKind("blind_massage", "盲人按摩", "Blind massage", False, False,
             ("2-05-10-00", "4-10-04-02"), "craft", False, False, ("按摩", "推拿", "massage")),
    PostKind("rural_planting", "种植", "Rural planting", False, False,
             ("5-01-02-01", "5-01-02-05"), "rural", True, False, ("种植业", "planting")),
    PostKind("rural_breeding", "养殖", "Rural breeding", False, False,
             ("5-03-02-01", "5-03-02-02"), "rural", True, False, ("养殖业", "breeding")),
    PostKind("rural_processing", "农产品加工", "Rural produce processing", False, False,
             ("6-02-06-10", "6-01-01-00"), "rural", False, False, ("加工", "processing")),
    PostKind("rural_tourism", "乡村旅游", "Rural tourism", False, False,
             ("4-07-04-06", "4-14-06-02"), "rural", False, False, ("民宿", "农家乐")),
    PostKind("rural_ecommerce", "农村电商", "Rural e-commerce", False, False,
             ("4-01-06-01", "4-01-05-01"), "rural", True, True, ("农村电子商务",)),
    PostKind("rural_logistics", "农村寄递物流", "Rural parcel logistics", False, False,
             ("4-02-07-08", "4-02-07-02"), "rural", False, False, ("快递", "物流", "农村快递物流")),
    PostKind("sheltered_work", "辅助性就业", "Sheltered / auxiliary employment", False, False,
             ("6-05-01-06", "4-09-08-01"), "sheltered", False, False, ("辅助就业", "庇护性就业")),
    PostKind("prosperity_workshop", "共富工坊", "Common-prosperity workshop", False, False,
             ("6-05-01-03", "6-20-01-01"), "enterprise", False, False, ("工坊",)),
    PostKind("enterprise_post", "企业一般岗位", "General enterprise post", False, False,
             ("4-01-02-03", "6-05-01-03", "4-09-08-01"), "enterprise", False, False,
             ("企业", "企业岗位", "一般岗位", "福利企业", "福利企业岗位", "general")),
)

_KINDS: dict[str, PostKind] = {}
_KIND_ALIASES: dict[str, str] = {}


def register_post_kind(kind: PostKind, *, replace: bool = False) -> PostKind:
    """Add a post kind to the catalogue (and its aliases to the parser).

    Parameters
    ----------
    kind : PostKind
        The new kind.
    replace : bool, default False
        Allow replacing an existing kind with the same code.

    Examples
    --------
    >>> k = PostKind("library_aide", "图书馆助理", "Library aide", False, False,
    ...              ("4-13-01-07",), "public")
    >>> register_post_kind(k, replace=True).code
    'library_aide'
    >>> unregister_post_kind("library_aide")
    """
    if kind.code in _KINDS and not replace:
        raise ParameterError(f"post kind {kind.code!r} exists; pass replace=True to replace it")
    _KINDS[kind.code] = kind
    for name in (kind.code, kind.zh, kind.en, *kind.aliases):
        _KIND_ALIASES[normalize_label(name)] = kind.code
    return kind


for _k in _BUILTIN_KINDS:
    register_post_kind(_k)
_BUILTIN_CODES = frozenset(k.code for k in _BUILTIN_KINDS)


def unregister_post_kind(code: str) -> None:
    """Remove a kind a user registered (built-in kinds cannot be removed).

    The catalogue is process-wide: a kind registered in one process (or test) is
    seen by everything after it, and not by other processes such as Dask workers.

    Examples
    --------
    >>> unregister_post_kind("kiosk")
    Traceback (most recent call last):
    ...
    jhmatch.errors.ParameterError: 'kiosk' is a built-in post kind and cannot be removed
    """
    if code in _BUILTIN_CODES:
        raise ParameterError(f"{code!r} is a built-in post kind and cannot be removed")
    if code not in _KINDS:
        raise UnknownLabelError(N_("post kind"), code, list(_KINDS), kind_choices())
    del _KINDS[code]
    for alias in [a for a, c in _KIND_ALIASES.items() if c == code]:
        del _KIND_ALIASES[alias]


def post_kinds() -> tuple[PostKind, ...]:
    """All known post kinds, built-in first, then those users registered."""
    return tuple(_KINDS.values())


def post_kind(value: Any) -> PostKind:
    """Look up a post kind by code, Chinese or English name, or alias.

    Examples
    --------
    >>> post_kind("烟草零售点").code
    'tobacco_outlet'
    >>> post_kind("cloud_review").remote
    True
    """
    if isinstance(value, PostKind):
        return value
    code = _KIND_ALIASES.get(normalize_label(value))
    if code is None:
        raise UnknownLabelError(N_("post kind"), value, list(_KINDS), kind_choices())
    return _KINDS[code]


FUNCTIONAL_DIMENSIONS: tuple[str, ...] = (
    "vision",
    "hearing",
    "speech",
    "upper_limb",
    "mobility",
    "stamina",
    "cognition",
    "psychosocial",
)
"""Functional dimensions on which a person's capacity meets a post's demand
(ICF body functions ↔ O*NET abilities; see ``domain.md`` §6). Capacities and
demands are floats in [0, 1]: capacity 1 = no limitation, demand 1 = essential at
the highest level."""


class Accommodation(str, enum.Enum):
    """Workplace accommodations a post can offer (they lower specific demands).

    Examples
    --------
    >>> Accommodation.parse("手语").value
    'sign_language'
    """

    SCREEN_READER = "screen_reader"
    SIGN_LANGUAGE = "sign_language"
    STEP_FREE = "step_free"
    REMOTE = "remote"
    FLEXIBLE_HOURS = "flexible_hours"
    JOB_COACH = "job_coach"
    ADAPTED_WORKSTATION = "adapted_workstation"
    WRITTEN_INSTRUCTIONS = "written_instructions"
    QUIET_SPACE = "quiet_space"

    @classmethod
    def parse(cls, value: Any) -> Accommodation:
        """Parse an accommodation from its English id or Chinese name."""
        return parse_alias(cls, _ACCOMMODATION_ALIASES, N_("accommodation"), value, [a.value for a in cls],
                           accommodation_choices())


_ACCOMMODATION_ZH = {
    "screen_reader": ("读屏软件", "读屏", "screen-reading"),
    "sign_language": ("手语", "手语翻译", "sign"),
    "step_free": ("无障碍通道", "无障碍", "wheelchair-accessible", "accessible"),
    "remote": ("居家办公", "远程", "home-based", "work-from-home"),
    "flexible_hours": ("弹性工时", "弹性", "flexible"),
    "job_coach": ("就业辅导员", "支持性就业", "supported-employment", "coach"),
    "adapted_workstation": ("无障碍工位", "辅具", "adapted-equipment"),
    "written_instructions": ("书面指引", "图文指引", "visual-instructions"),
    "quiet_space": ("安静环境", "quiet"),
}
ACCOMMODATION_NAMES: Mapping[str, tuple[str, ...]] = MappingProxyType(_ACCOMMODATION_ZH)
"""Each accommodation's code → its names (the Chinese name first, then aliases); read-only."""
_ACCOMMODATION_ALIASES = {
    normalize_label(name): code
    for code, names in _ACCOMMODATION_ZH.items()
    for name in (code, *names)
}

EDUCATION_LEVELS: tuple[tuple[int, str, str, tuple[str, ...]], ...] = (
    (0, "none", "未上学", ("文盲", "illiterate", "无", "未受教育")),
    (1, "primary", "小学", ()),
    (2, "junior_secondary", "初中", ("junior", "middle-school")),
    (3, "senior_secondary", "高中", ("senior", "high-school", "中专", "职高", "技校", "vocational-secondary")),
    (4, "college", "大专", ("专科", "associate", "高职")),
    (5, "bachelor", "本科", ("university", "大学", "大学本科")),
    (6, "postgraduate", "研究生", ("master", "硕士", "博士", "phd", "doctorate")),
)
"""Ordered education levels: (level, id, 中文, aliases)."""

_EDUCATION_ALIASES = {
    normalize_label(name): level
    for level, ident, zh, extra in EDUCATION_LEVELS
    for name in (str(level), ident, zh, *extra)
}


def education_level(value: Any) -> int:
    """Ordered education level 0 (none) … 6 (postgraduate) from a label or number.

    Examples
    --------
    >>> education_level("大专")
    4
    """
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        return _EDUCATION_ALIASES[normalize_label(value)]
    except KeyError:
        raise UnknownLabelError(
            N_("education level"), value, [e[1] for e in EDUCATION_LEVELS] + [e[2] for e in EDUCATION_LEVELS],
            education_choices(),
        ) from None
