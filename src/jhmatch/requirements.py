"""What work involves and what it requires: hazards, essential functions, certificates.

Two vocabularies shared by the tables (:mod:`jhmatch.data.schema`) and the scorer
(:mod:`jhmatch.matching.hazards`, :mod:`jhmatch.matching.certificates`):

* :class:`Hazard` — hazards and essential functions of a post (drives a vehicle,
  works at height, telephone work is essential, …). A post lists them in its
  ``hazards`` / ``essential_functions`` columns, or jhmatch infers them.
* :class:`Certificate` — licences and certificates a post requires and a person holds
  (driving licence classes, special-operation certificates, professional
  qualifications). A driving licence covers the classes its holder may also drive
  (:meth:`Certificate.covers`).

Both parse English codes and Chinese names (``Hazard.parse("高处作业")``).
"""

from __future__ import annotations

import enum
import re
from typing import Any

from jhmatch.taxonomy import normalize_label, parse_alias

__all__ = ["Certificate", "Hazard", "parse_certificates", "parse_hazards"]


class Hazard(str, enum.Enum):
    """Hazards and essential functions of a post.

    Examples
    --------
    >>> Hazard.parse("高处作业").value, Hazard.parse("电话沟通").zh
    ('works_at_height', '电话沟通')
    """

    DRIVES_VEHICLE = "drives_vehicle"
    WORKS_AT_HEIGHT = "works_at_height"
    MOVING_MACHINERY = "moving_machinery"
    ELECTRICAL_WORK = "electrical_work"
    HOT_WORK = "hot_work"
    HEAVY_LIFTING = "heavy_lifting"
    PROLONGED_STANDING = "prolonged_standing"
    TELEPHONE = "telephone"
    READING = "reading"
    HAZARDOUS_SUBSTANCES = "hazardous_substances"
    NIGHT_SHIFT = "night_shift"
    MACHINE_PACED = "machine_paced"
    SIGHT = "sight"
    MANUAL_WORK = "manual_work"
    SAFETY_RESPONSIBILITY = "safety_responsibility"

    @property
    def zh(self) -> str:
        """Chinese name."""
        return _HAZARD_NAMES[self.value][0]

    @property
    def en(self) -> str:
        """English description."""
        return _HAZARD_NAMES[self.value][1]

    @classmethod
    def parse(cls, value: Any) -> Hazard:
        """Parse a hazard from its code or a Chinese/English name."""
        return parse_alias(cls, _HAZARD_ALIASES, "hazard", value, [f"{h.value} ({h.zh})" for h in cls])


_HAZARD_NAMES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "drives_vehicle": ("驾驶车辆", "drives a motor vehicle (road or in-plant)", ("驾驶", "开车", "driving", "vehicle")),
    "works_at_height": ("高处作业", "works at height (2 m or more above a fall level)", ("登高", "高空作业", "height")),
    "moving_machinery": ("操作机械", "operates moving machinery or power tools", ("机械操作", "machinery")),
    "electrical_work": ("电工作业", "electrical installation, maintenance or repair", ("电气作业", "electrical")),
    "hot_work": ("焊接切割", "welding, hot cutting or open flames", ("动火作业", "明火", "焊接", "welding")),
    "heavy_lifting": ("重体力", "lifts and carries heavy loads (about 20 kg or more) regularly",
                      ("搬运重物", "重体力劳动", "lifting")),
    "prolonged_standing": ("长时间站立行走", "stands or walks most of the shift", ("久站", "站立", "standing")),
    "telephone": ("电话沟通", "telephone or voice communication is essential", ("电话", "语音沟通", "phone", "voice")),
    "reading": ("读写文字", "reading print or screens is essential", ("阅读", "读写", "read")),
    "hazardous_substances": ("有害物质", "works with chemicals, dust or pesticides", ("化学品", "粉尘", "chemicals")),
    "night_shift": ("夜班", "regular night shifts", ("倒班", "夜间工作", "night")),
    "machine_paced": ("流水线节拍", "machine-paced line work", ("流水线", "line work")),
    "sight": ("目视辨识", "telling things apart by sight is essential (inspection, monitoring, sorting)",
              ("目视检查", "视觉辨识", "visual inspection")),
    "manual_work": ("双手作业", "the work is done with both hands (cleaning, packing, assembly, sewing)",
                    ("手工作业", "双手操作", "manual")),
    "safety_responsibility": ("安全责任", "responsible alone for others' safety (guarding, patrols, care of people)",
                              ("安保责任", "看护责任", "responsibility")),
}
_HAZARD_ALIASES = {
    normalize_label(name): code
    for code, (zh, _en, extra) in _HAZARD_NAMES.items()
    for name in (code, zh, *extra)
}


class Certificate(str, enum.Enum):
    """Licences and certificates posts require and persons hold.

    Driving licence classes follow 机动车驾驶证申领和使用规定 (公安部令第162号, 2021),
    art. 9 (准驾车型及代号): a class also permits the classes listed for it there, e.g.
    A2 permits B2, C1, C2; C1 permits C2. Special-operation certificates
    (特种作业操作证) follow the catalogue of 特种作业人员安全技术培训考核管理规定
    (安监总局令第30号); forklift and crane certificates are special-equipment operator
    certificates (特种设备作业人员证, items N1 and Q).

    Examples
    --------
    >>> Certificate.parse("A2驾照").covers(Certificate.parse("C1"))
    True
    >>> Certificate.parse("电工证").value
    'electrician'
    """

    DRIVING_A1 = "driving_a1"
    DRIVING_A2 = "driving_a2"
    DRIVING_A3 = "driving_a3"
    DRIVING_B1 = "driving_b1"
    DRIVING_B2 = "driving_b2"
    DRIVING_C1 = "driving_c1"
    DRIVING_C2 = "driving_c2"
    DRIVING_C5 = "driving_c5"
    ELECTRICIAN = "electrician"
    WELDER = "welder"
    HEIGHT_WORK = "height_work"
    FORKLIFT = "forklift"
    CRANE = "crane"
    BLIND_MEDICAL_MASSAGE = "blind_medical_massage"
    ACCOUNTING = "accounting"
    TEACHER = "teacher"
    NURSE = "nurse"

    @property
    def zh(self) -> str:
        """Chinese name."""
        return _CERT_NAMES[self.value][0]

    def covers(self, other: Certificate) -> bool:
        """Whether holding this certificate satisfies a requirement for ``other``."""
        return other.value in _COVERS.get(self.value, (self.value,))

    @classmethod
    def parse(cls, value: Any) -> Certificate:
        """Parse a certificate from its code or a Chinese/English name (``B2``, ``驾驶证B2``, ``叉车证``)."""
        if isinstance(value, cls):
            return value
        key = normalize_label(value)
        m = re.fullmatch(r"(?:驾驶证|驾照|driving|机动车驾驶证)?[_\-]?([abc][1235])(?:驾照|驾驶证|照)?", key)
        if m and f"driving_{m.group(1)}" in _CERT_NAMES:
            return cls(f"driving_{m.group(1)}")
        return parse_alias(cls, _CERT_ALIASES, "certificate", value, [f"{c.value} ({c.zh})" for c in cls])


_CERT_NAMES: dict[str, tuple[str, tuple[str, ...]]] = {
    "driving_a1": ("驾驶证A1（大型客车）", ()),
    "driving_a2": ("驾驶证A2（重型牵引挂车）", ()),
    "driving_a3": ("驾驶证A3（城市公交车）", ()),
    "driving_b1": ("驾驶证B1（中型客车）", ()),
    "driving_b2": ("驾驶证B2（大型货车）", ()),
    "driving_c1": ("驾驶证C1（小型汽车）", ()),
    "driving_c2": ("驾驶证C2（小型自动挡汽车）", ()),
    "driving_c5": ("驾驶证C5（残疾人专用小型自动挡载客汽车）", ()),
    "electrician": ("电工作业操作证", ("电工证", "特种作业操作证（电工）", "特种作业操作证(电工)", "低压电工证", "高压电工证")),
    "welder": ("焊接与热切割作业操作证", ("焊工证", "电焊证", "特种作业操作证（焊工）")),
    "height_work": ("高处作业操作证", ("登高证", "高空作业证", "特种作业操作证（高处作业）")),
    "forklift": ("叉车司机证（特种设备N1）", ("叉车证", "叉车司机", "叉车司机（n1）", "叉车司机(n1)", "n1",
                                          "特种设备作业人员证（叉车）")),
    "crane": ("起重机作业证（特种设备Q）", ("起重机作业证", "行车证", "起重证", "塔吊证")),
    "blind_medical_massage": ("盲人医疗按摩人员资格证", ("盲人医疗按摩资格", "盲人医疗按摩证", "盲人医疗按摩人员资格")),
    "accounting": ("会计专业技术资格", ("会计资格", "初级会计", "初级会计职称", "会计证", "中级会计")),
    "teacher": ("教师资格证", ("教师资格",)),
    "nurse": ("护士执业证", ("护士资格证", "护士执业资格", "护士证")),
}
_CERT_ALIASES = {
    normalize_label(name): code
    for code, (zh, extra) in _CERT_NAMES.items()
    for name in (code, zh, *extra)
}
# 机动车驾驶证申领和使用规定 (2021) art. 9: classes each class also permits.
_COVERS: dict[str, tuple[str, ...]] = {
    "driving_a1": ("driving_a1", "driving_a3", "driving_b1", "driving_b2", "driving_c1", "driving_c2"),
    "driving_a2": ("driving_a2", "driving_b1", "driving_b2", "driving_c1", "driving_c2"),
    "driving_a3": ("driving_a3", "driving_c1", "driving_c2"),
    "driving_b1": ("driving_b1", "driving_c1", "driving_c2"),
    "driving_b2": ("driving_b2", "driving_c1", "driving_c2"),
    "driving_c1": ("driving_c1", "driving_c2"),
}


def _split(value: Any) -> list[str]:
    text = str(value)
    for sep in ("、", ",", "，", "|", "/", "；"):
        text = text.replace(sep, ";")
    return [p.strip() for p in text.split(";") if p.strip()]


_NONE = {"none", "no", "无", "没有", "无危害", "不涉及", "不需要"}


def parse_hazards(value: Any) -> str:
    """Canonical ``;``-joined hazard codes of a cell; ``no`` (无) states there are none.

    Examples
    --------
    >>> parse_hazards("高处作业、电工作业")
    'electrical_work;works_at_height'
    >>> parse_hazards("无")
    'no'
    """
    parts = _split(value)
    if parts and all(normalize_label(p) in _NONE for p in parts):
        return "no"
    return ";".join(sorted({Hazard.parse(p).value for p in parts if normalize_label(p) not in _NONE}))


def parse_certificates(value: Any) -> str:
    """Canonical ``;``-joined certificate codes of a cell; ``no`` (无) states there are none.

    Examples
    --------
    >>> parse_certificates("B2驾照、叉车证")
    'driving_b2;forklift'
    """
    parts = _split(value)
    if parts and all(normalize_label(p) in _NONE for p in parts):
        return "no"
    return ";".join(sorted({Certificate.parse(p).value for p in _split(value) if normalize_label(p) not in _NONE}))
