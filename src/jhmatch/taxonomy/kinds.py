"""The post-kind catalogue: the kinds of post the action plan names, and those users add.

25 built-in kinds (kiosks, tobacco and lottery outlets, welfare posts, cloud customer
service, handicraft, rural work …) from the Jinhua action plan (金政办发〔2022〕50号),
each with its CSCO 2022 occupation codes; :func:`register_post_kind` adds more
(process-wide). Importable from :mod:`jhmatch.taxonomy` as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jhmatch.errors import ParameterError, UnknownLabelError
from jhmatch.i18n import N_, get_language
from jhmatch.taxonomy.labels import normalize_label

__all__ = ["PostKind", "kind_choices", "post_kind", "post_kinds", "register_post_kind", "unregister_post_kind"]


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


def kind_choices() -> tuple[str, ...]:
    """The post kinds as a message lists them: Chinese names in Chinese, ``code 中文名`` in English."""
    if get_language() == "zh":
        return tuple(k.zh for k in post_kinds())
    return tuple(f"{k.code} {k.zh}" for k in post_kinds())
