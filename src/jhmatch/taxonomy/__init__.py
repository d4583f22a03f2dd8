"""Controlled vocabularies: disability categories and grades, Jinhua's regions, post kinds.

The post-kind catalogue is :mod:`jhmatch.taxonomy.kinds` and the label folding every
vocabulary shares is :mod:`jhmatch.taxonomy.labels`; their names are importable from here.

English identifiers are canonical; Chinese labels (and a few common English
variants) are accepted as input aliases. Sources: GB/T 26341-2010 for the
categories and grades; the Jinhua action plan (金政办发〔2022〕50号) for the post
kinds; CSCO 2022 (中华人民共和国职业分类大典 2022) for the occupation codes.
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from jhmatch.errors import UnknownLabelError
from jhmatch.i18n import N_, get_language
from jhmatch.taxonomy.kinds import (
    _KIND_ALIASES,  # noqa: F401 - the registry, restored by the tests' fixture
    _KINDS,  # noqa: F401
    PostKind,
    kind_choices,
    post_kind,
    post_kinds,
    register_post_kind,
    unregister_post_kind,
)
from jhmatch.taxonomy.labels import normalize_label, parse_alias

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


# kinds of labels other modules name in UnknownLabelError (translated where shown)
_LABEL_KINDS = (N_("hazard"), N_("certificate"), N_("person id"), N_("post id"))


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
