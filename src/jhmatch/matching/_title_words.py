"""Title text for :mod:`jhmatch.matching.titles`: word lists (synonyms, workplace words, noise),
cleaning (:func:`clean_title`) and reading (:func:`read_title`).

Every word list here was written by hand from everyday usage on Chinese job boards and in Jinhua
disabled persons' federation notices (not copied from the catalogue's alias lists); values use the
wording of the CSCO 2022 catalogue so that they match its names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.matching._frozen import frozen

__all__ = ["COLLOQUIAL_SYNONYMS", "CONTEXT_WORDS", "LICENCE_RE", "NOISE_RE", "SALARY_RE", "alternation",
           "char_grams", "clean_title", "is_missing", "prep_title", "read_title", "strip_marks"]

# Job words -> catalogue wording. A key found in a cleaned title appends its value to the query
# (as its own segment), unless the key lies strictly inside a longer catalogue name or alias found in
# the same title (物业 inside 物业维修, 司机 inside 吊车司机): then the longer term speaks.
COLLOQUIAL_SYNONYMS: Mapping[str, str] = frozen({
    "保洁": "保洁员 清洁工", "清洁": "保洁员 清洁工", "打扫": "保洁员 清洁工", "卫生": "保洁员",
    "环卫": "保洁员 清洁工", "扫地": "保洁员", "外墙清洗": "保洁员", "外墙清洁": "保洁员",
    "高空清洗": "保洁员", "幕墙清洗": "保洁员", "蜘蛛人": "保洁员", "保姆": "家政服务员",
    "住家": "家政服务员", "钟点工": "家政服务员", "月嫂": "家政服务员", "育儿嫂": "家政服务员 育婴师",
    "家政": "家政服务员", "带娃": "育婴师 保育员", "护工": "医疗护理员", "陪护": "医疗护理员 养老护理员",
    "养老": "养老护理员", "护理员": "养老护理员", "助老": "养老护理员", "快递员": "快递员",
    "派件": "快递员", "揽件": "快递员", "快递小哥": "快递员", "快递分拣": "快件处理员",
    "外卖": "网约配送员 送餐员", "骑手": "网约配送员 送餐员", "送餐": "网约配送员 送餐员",
    "跑腿": "网约配送员", "闪送": "网约配送员", "配送": "配送员", "送货": "配送员", "送水": "送水工",
    "客服": "客服 呼叫中心服务员", "接线": "话务员", "话务": "话务员", "文员": "文员",
    "内勤": "文员", "录入": "打字员 录入", "打字": "打字员", "收银": "收银员", "收款": "收银员",
    "推拿": "保健按摩师 推拿 按摩", "按摩": "保健按摩师 按摩师", "盲按": "盲人医疗按摩人员",
    "盲人按摩": "盲人医疗按摩人员", "盲人医疗按摩": "盲人医疗按摩人员", "医疗按摩": "盲人医疗按摩人员",
    "盲人保健按摩": "保健按摩师", "足疗": "足疗师 修脚师", "修脚": "修脚师", "采耳": "采耳师 保健调理师",
    "技师": "按摩师", "带货": "直播销售 主播", "主播": "主播 直播", "直播": "直播", "场控": "直播场控",
    "司机": "驾驶员 司机", "开车": "驾驶员 司机", "送货司机": "货运司机", "货车": "货运司机",
    "货运": "货运司机", "吊车": "起重工 吊车司机", "保安": "保安员", "门卫": "保安员", "门岗": "保安员",
    "看门": "保安员", "安保": "保安员", "巡逻": "保安员", "厨师": "中式烹调师 厨师",
    "帮厨": "中式烹调师 厨师助理", "厨工": "中式烹调师 厨师", "炒菜": "中式烹调师 厨师",
    "切配": "配菜 中式烹调师", "打荷": "配菜打荷 中式烹调师", "面点": "面点师", "包子": "中式面点师",
    "烘焙": "烘焙师", "跑堂": "餐厅服务员", "传菜": "传菜员 餐厅服务员", "洗碗": "洗碗工 餐厅服务员",
    "服务员": "服务员", "仓管": "仓库管理员", "理货": "理货员", "分拣": "理货员 分拣员",
    "拣货": "理货员 分拣员", "打包": "包装工", "包装": "包装工", "搬运": "搬运工 装卸工",
    "装卸": "装卸工", "导购": "导购员 营业员", "店员": "营业员", "售货": "营业员", "营业员": "营业员",
    "业务员": "销售 营销员", "跑业务": "销售 营销员", "地推": "销售 营销员", "电销": "电话销售 营销员",
    "电话销售": "电话销售 营销员", "外贸业务": "国际商务专业人员 外贸专员", "外贸": "国际商务专业人员",
    "招生": "营销员", "招商": "招商 租赁业务员", "招标": "招标采购专业人员", "手语": "手语翻译",
    "理发": "美发师", "剪发": "美发师", "洗头": "美发助理", "美甲": "美甲师", "美容": "美容师",
    "园林": "绿化工", "绿化": "绿化工", "除草": "绿化工", "缝纫": "缝纫工", "车缝": "缝纫工",
    "平车": "缝纫工", "裁缝": "裁缝", "质检": "质检员", "品检": "质检员", "检验": "检验员",
    "会计": "会计", "出纳": "出纳 会计", "记账": "会计", "程序员": "软件工程 开发", "码农": "软件工程 开发",
    "美工": "美工", "修图": "美工", "电工": "电工", "水电": "水电工", "焊工": "焊工", "电焊": "焊工",
    "木工": "木工", "泥瓦": "泥瓦工", "油漆": "油漆工", "叉车": "叉车司机", "脚手架": "架子工",
    "洗车": "洗车工 汽车美容", "修车": "汽车维修", "汽修": "汽车维修", "家电维修": "家电维修",
    "手机维修": "手机维修", "物业维修": "物业维修 机电设备维修工", "物业客服": "物业管理员",
    "宿管": "物业管理员", "停车": "停车管理员", "加油": "加油员", "洗衣": "洗衣工", "客房": "客房服务员",
    "做房": "客房服务员", "前台": "前台", "迎宾": "前台迎宾", "数据标注": "数据标注师",
    "标注": "数据标注师", "幼教": "幼教 保育员", "家教": "家教", "特教": "特殊教育教师",
    "宠物": "宠物美容", "导游": "导游", "咖啡": "咖啡师", "奶茶": "调饮师 奶茶店店员", "茶艺": "茶艺师",
    "淘宝": "电商 网店", "天猫": "电商 网店", "拼多多": "电商 网店", "京东": "电商 网店",
    "1688": "电商 网店", "网店": "电商 网店", "电商": "电商 网店", "亚马逊": "跨境电商", "速卖通": "跨境电商",
    "跨境": "跨境电商", "抖音": "直播 网络营销", "快手": "直播 网络营销", "小红书": "网络营销 运营",
    "视频号": "直播 网络营销", "店铺运营": "电子商务师 网店运营", "幼师": "幼儿园教师",
    "网约车": "网约车司机 客运车辆驾驶员", "cnc": "数控机床操作调整工 cnc/数控操机", "数控": "数控机床操作调整工", "专职委员": "村务和社区工作者", "残疾人之家": "社会工作者", "烟草零售": "烟草制品购销员",
    "烟草专卖": "烟草制品购销员", "卷烟零售": "烟草制品购销员", "手工": "民间工艺品制作工",
    "串珠": "民间工艺品制作工", "编织": "民间工艺品艺人 绒线编织拼布工", "急诊": "急诊",
})

# Workplace and sector words. They describe where the work is, not what it is: their value is
# appended only when the title names no job otherwise (仓库 alone -> 仓库管理员, 电子厂 -> the usual
# line job); when it does (某仓库分拣员, 医院护工), or when the value is empty, the word is masked out
# of the query, unless it is part of a catalogue term found in the title (酒店前台).
CONTEXT_WORDS: Mapping[str, str] = MappingProxyType({
    "仓库": "仓库管理员", "物业": "物业管理员", "小区": "", "快递": "快递员", "直播间": "直播",
    "驾照": "驾驶员 司机", "培训机构": "", "培训学校": "", "教育机构": "", "电子厂": "电子设备装接工",
    "服装厂": "缝纫工", "制衣厂": "缝纫工", "玩具厂": "玩具制作工", "纺织厂": "织布工 挡车工", "鞋厂": "制鞋工", "足浴": "足疗师", "足浴店": "足疗师", "酒店": "",
    "宾馆": "", "饭店": "", "餐厅": "", "餐馆": "", "食堂": "", "超市": "", "商场": "", "医院": "",
    "工厂": "", "车间": "", "工地": "", "学校": "", "银行": "", "养老院": "养老护理员",
    "敬老院": "养老护理员", "幼儿园": "幼儿园教师", "理发店": "美发师", "美容院": "美容师",
"影楼": "摄影师", "网吧": "网管", "辅助性就业": "民间工艺品制作工",
    "残疾人": "", "残联": "", "单位": "",
})

_PLACES = ("浙江省|浙江|金华市|金华|婺城区|婺城|金东区|金东|兰溪市|兰溪|东阳市|东阳|义乌市|义乌|永康市|"
           "永康|浦江县|浦江|武义县|武义|磐安县|磐安|开发区|本地|附近|同城|市区")

# Recruiting and benefit noise. Words that are also parts of job names are protected by matching
# them first and keeping them: 招生, 招商, 招标, 急诊, 应急 and 招聘专员 survive; 招 and 聘 are
# dropped only as the verb "recruit" and 急 only as "urgent".
NOISE_RE = re.compile(
    r"(?P<keep>招生|招商|招标|招投标|招待|招牌|急诊|急救|应急|紧急救援|"
    r"招聘(?:专员|主管|经理|助理|顾问|官|总监|师|hr|培训))"
    r"|(?P<drop>公开招聘|招聘公告|招聘启事|招聘信息|招聘简章|"
    r"急招|急聘|急需|急缺|诚聘|招聘|聘请|招收|招募|热招|直招|现招|长期招|招工|招人|应聘|返聘|高薪|"
    r"公告|启事|通知|关于|若干名?|数名|多名|[一二两三四五六七八九十]名|"
    r"长期工|临时工|暑假工|寒假工|小时工|正式工|合同工|长期|短期|临时|兼职|全职|可兼职|"
    r"包吃住|包食宿|包吃|包住|包餐|包[一两三]餐|包工作餐|包午餐|包晚餐|包教包会|管吃住|管吃|管住|"
    r"五险一金|五险|社保|年底双薪|双薪|日结|周结|月结|底薪|无责|提成|高提成|多劳多得|上不封顶|"
    r"月薪过万|月入过万|过万|上万|年薪|月薪|月入|工资|待遇优厚|待遇从优|待遇|优厚|面议|"
    r"双休|单休|做[一二三四五六]休[一二三日]|月休|两班倒|三班倒|长白班|倒班|白班|夜班|晚班|早班|"
    r"持证上岗|持证|有证|计件|计时|无经验|经验不限|有无经验均可|零基础|可培训|学徒也可|学徒亦可|学徒|"
    r"男女不限|不限|夫妻工|宝妈|阿姨|大姐|大叔|师傅|小哥|退休人员|退伍军人|应届生?|优先|"
    r"可居家办公|可居家|居家办公|在家办公|可在家|远程|线上|有限责任公司|有限公司|股份|集团|公司|"
    r"本公司|业务扩大|某|x{2,}|公益性岗位|公益岗|工作人员|员工|普工|杂工|打杂|小工|普通工人|工人|岗位|职位|上班族?|好工作|工作轻松|轻松|简单|易上手|稳定|"
    r"无需经验|不需经验|有手就行|欢迎加入|加入我们|有意者|电话联系|联系电话|不是梦|可做|在家|"
    + _PLACES + r"|急+|招|聘)"
)

# Salaries, counts, ages, years, shifts written with digits; licence classes become "司机".
SALARY_RE = re.compile(
    r"\d{4}\s*年度?|\d+\s*[-~至到]?\s*\d*\s*周?岁(?:以下|以上|以内|之间)?|"
    r"\d+(?:\.\d+)?\s*(?:[-~至到]\s*\d+(?:\.\d+)?)?\s*(?:k|w|千|万|元|块|rmb)?\s*\+?"
    r"(?:/?(?:月|天|日|时|小时|h|单|件))?(?:以上|起|左右|多)?(?:名|人|个)?|"
    r"(?<![a-z])[kw]\+?(?![a-z])"
)
# Driving licence classes (C1, B2 驾照 ...) become the workplace word 驾照.
LICENCE_RE = re.compile(r"(?<![a-z0-9])[abc][123](?![0-9a-z])(?:驾照|驾驶证|证|照)?|驾驶证")

_BRACKET_RE = re.compile(r"\([^()]*\)|【[^】]*】|\[[^\]]*\]|<[^>]*>|「[^」]*」|〔[^〕]*〕")
_PREFER_RE = re.compile(r"\S*(?:优先|欢迎)\S*")
_PUNCT_RE = re.compile(r"[^\w+]+|_")


def clean_title(title: Any) -> str:
    """Strip recruiting noise from one post title.

    Full-width characters are folded, text is lower-cased, bracketed remarks, "... 优先" clauses,
    salaries, ages, counts, punctuation, place names of Jinhua and recruiting or benefit words
    (急招, 高薪, 包吃住, 阿姨, ...) are removed, keeping job words that contain them (招生, 招商,
    急诊). Licence classes become "驾照". One-character leftovers are dropped. When nothing would be
    left, the bracketed remarks are kept instead.

    Parameters
    ----------
    title : str or None
        A raw title; ``None`` and NaN give ``""``.

    Returns
    -------
    str
        Space-separated cleaned segments (possibly empty).

    Examples
    --------
    >>> clean_title("急招保洁阿姨（包吃住）")
    '保洁'
    >>> clean_title("按摩师 盲人优先 5000-8000元/月")
    '按摩师'
    >>> clean_title("培训机构招聘招生老师 8k")
    '培训机构 招生老师'
    """
    if is_missing(title):
        return ""
    text = unicodedata.normalize("NFKC", str(title)).lower()
    core = _clean_core(_BRACKET_RE.sub(" ", text), prefer=True)
    return core if core else _clean_core(re.sub(r"[()【】\[\]<>「」〔〕]", " ", text), prefer=False)


def _clean_core(text: str, prefer: bool) -> str:
    text = SALARY_RE.sub(" ", LICENCE_RE.sub(" 驾照 ", text))
    text = _PUNCT_RE.sub(" ", text).replace("+", " ")
    if prefer:
        text = _PREFER_RE.sub(" ", text)
    text = NOISE_RE.sub(lambda m: m.group("keep") or " ", text)
    return " ".join(w for w in text.split() if len(w) >= 2)


def prep_title(title: Any, clean: bool) -> str:
    """:func:`clean_title`, or (``clean=False``) only width, case and punctuation folding."""
    if clean:
        return clean_title(title)
    if is_missing(title):
        return ""
    return " ".join(_PUNCT_RE.sub(" ", unicodedata.normalize("NFKC", str(title)).lower()).split())


def is_missing(value: Any) -> bool:
    """``None``, NaN or ``pd.NA`` (a string is never missing)."""
    if value is None or isinstance(value, str):
        return value is None
    return bool(np.ndim(value) == 0 and pd.isna(value))


def alternation(words: Mapping[str, str]) -> re.Pattern[str] | None:
    """Regex matching any key, longest first (``None`` for no keys)."""
    keys = sorted((w for w in words if w), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, keys))) if keys else None


Spans = Callable[[str], "list[tuple[int, int, Any]]"]


def read_title(cleaned: str, term_spans: Spans, synonyms: Mapping[str, str], syn_re: re.Pattern[str] | None,
               context: Mapping[str, str], ctx_re: re.Pattern[str] | None) -> tuple[str, float]:
    """Query text (masked title + expansions) and the share of the title explained by job words.

    ``term_spans(segment)`` lists the catalogue terms found in a segment as (start, end, ...).
    A job word strictly inside a longer catalogue term is ignored; a catalogue term or job word
    strictly inside a longer workplace word is ignored; workplace words overlapping the remaining
    evidence are kept as they are, the others are masked when the title names a job (or their
    value is empty) and expanded otherwise (counting half as explained).

    Examples
    --------
    >>> syn = {"物业": "物业管理员"}
    >>> spans = lambda seg: [(0, 4, None)] if seg == "物业维修" else []  # 物业维修 is a catalogue alias
    >>> read_title("物业维修", spans, syn, alternation(syn), {}, None)  # 物业 inside it is ignored
    ('物业维修', 1.0)
    >>> read_title("物业", spans, syn, alternation(syn), {}, None)
    ('物业 物业管理员', 1.0)
    """
    segs = cleaned.split()
    spans = []  # per segment: evidence spans (catalogue terms and kept job words), context spans
    for seg in segs:
        terms = [(a, b) for a, b, *_ in term_spans(seg) if b - a >= 2]
        ev: list[tuple[Any, ...]] = list(terms)
        for m in syn_re.finditer(seg) if syn_re else ():
            a, b = m.span()
            if not any(x <= a and b <= y and y - x > b - a for x, y in terms):
                ev.append((a, b, m.group()))
        ctx = [m.span() for m in ctx_re.finditer(seg)] if ctx_re else []
        ev = [e for e in ev if not any(x <= e[0] and e[1] <= y and y - x > e[1] - e[0] for x, y in ctx)]
        spans.append((ev, ctx))
    has_job = any(ev for ev, _ in spans)
    parts, extra, covered, total = [], [], 0.0, 0
    for seg, (ev, ctx) in zip(segs, spans):
        mask = np.zeros(len(seg), dtype=bool)
        for span in ev:
            mask[span[0]: span[1]] = True
        total += len(seg)
        covered += float(mask.sum())
        chars = list(seg)
        for a, b in ctx:
            if mask[a:b].any():
                continue
            if has_job or not context[seg[a:b]]:
                chars[a:b] = [" "] * (b - a)
            else:
                extra.append(context[seg[a:b]])
                covered += 0.5 * (b - a)
        parts.append("".join(chars))
        extra += [synonyms[s[2]] for s in ev if len(s) == 3]
    query = " ".join([*parts, *dict.fromkeys(e for e in extra if e)])
    return " ".join(w for w in query.split() if len(w) >= 2), (covered / total if total else 0.0)


def char_grams(text: str, ngram_range: tuple[int, int]) -> list[str]:
    """Character n-grams within space-padded words, like ``char_wb`` but without blank-only grams."""
    lo, hi = ngram_range
    out = []
    for word in text.split():
        w = f" {word} "
        out += [w[i: i + n] for n in range(lo, hi + 1) for i in range(len(w) - n + 1)]
    return [g for g in out if g.strip()]


def strip_marks(term: str) -> str:
    """Drop the L/S marks the catalogue appends to some names (收银员L -> 收银员)."""
    return re.sub(r"(?<=[\u4e00-\u9fff])[LS/]+$", "", term.strip()).strip()
