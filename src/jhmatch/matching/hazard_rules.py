"""Which persons a hazard or essential function rules out, with the source of each rule.

A post's hazards (:class:`jhmatch.requirements.Hazard`) are facts about the work; a
person's capacities (:mod:`jhmatch.matching.profiles`) are facts about the person. A
hazard *rules a person out* when any capacity it names is below its minimum
(:data:`HAZARD_RULES`). The scorer turns that into a hard exclusion whose reason
names the hazard and the rule's source, unless an accommodation on the post relieves
the hazard (:data:`HAZARD_RELIEF`, e.g. a screen reader for reading screens; the
explanation then says so).

The minimums sit on the same capacity scale as the default capacities
(:data:`~jhmatch.matching.profiles.CAPACITY_TABLE`); the comments say which grades
each one rules out with the default capacities. Rules only ever compare a capacity
with a minimum, so raising a capacity (an assessment, a hearing aid) never creates
an exclusion.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from jhmatch.i18n import N_
from jhmatch.matching._frozen import frozen
from jhmatch.requirements import Hazard
from jhmatch.taxonomy import FUNCTIONAL_DIMENSIONS

__all__ = ["HAZARD_RELIEF", "HAZARD_RULES", "HazardRule", "hazard_failures"]

DIMS = FUNCTIONAL_DIMENSIONS
_DIM = {d: i for i, d in enumerate(DIMS)}


@dataclass(frozen=True)
class HazardRule:
    """Minimum capacities a hazard needs, with the source and the reasoning.

    Attributes
    ----------
    minimum : mapping of str to float
        Minimum capacity per functional dimension (read-only).
    literacy : bool
        The hazard also needs a person who can read (``literate`` not false).
    source : str
        The regulation, standard or task analysis the rule rests on.
    why : str
        The reasoning, in English (marked ``N_``; ``jhmatch.i18n.gettext(rule.why)``
        gives it in the current language).
    """

    minimum: Mapping[str, float]
    source: str
    why: str
    literacy: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "minimum", frozen(self.minimum))


_LICENCE = "机动车驾驶证申领和使用规定（公安部令第162号，2021）第十四条、第十五条；GBZ 188-2014 职业机动车驾驶作业职业禁忌证"
_SPECIAL_OPS = "特种作业人员安全技术培训考核管理规定（安监总局令第30号）第四条；GBZ 188-2014 职业健康监护技术规范"

HAZARD_RULES: Mapping[str, HazardRule] = frozen({
    Hazard.DRIVES_VEHICLE.value: HazardRule(
        # vision 0.9: every visual grade (best-corrected acuity < 0.3) is below the licence's 4.9 (≈ 0.8);
        # hearing 0.45: profound/severe loss (grades 1-2) unless aided; limbs: grades 1-3 of the limb;
        # cognition/psychosocial 0.75: every intellectual and mental grade (art. 15: 精神病、痴呆).
        {"vision": 0.9, "hearing": 0.45, "upper_limb": 0.75, "mobility": 0.75, "cognition": 0.75,
         "psychosocial": 0.75},
        _LICENCE,
        N_("licence conditions: corrected vision 4.9 or better, hearing (aided allowed for small cars), working "
           "hands and legs; mental illness and dementia bar a licence")),
    Hazard.WORKS_AT_HEIGHT.value: HazardRule(
        # limbs 0.9: any limb impairment; vision 0.9: any visual grade; every intellectual/mental grade
        {"vision": 0.9, "upper_limb": 0.9, "mobility": 0.9, "cognition": 0.75, "psychosocial": 0.75},
        _SPECIAL_OPS + "（高处作业：四肢骨关节及运动功能障碍为职业禁忌证）；GB/T 3608-2008 高处作业分级",
        N_("fall risk: limb or motor impairment is an occupational contraindication for work at height; special "
           "operations exclude mental illness, dementia and physical defects that hinder the work")),
    Hazard.ELECTRICAL_WORK.value: HazardRule(
        {"vision": 0.9, "upper_limb": 0.9, "mobility": 0.75, "cognition": 0.75, "psychosocial": 0.75},
        _SPECIAL_OPS + "（电工作业：红绿色盲、四肢关节运动功能障碍为职业禁忌证）",
        N_("electric shock risk: colour vision and full hand function are needed; special operations exclude "
           "mental illness and dementia")),
    Hazard.HOT_WORK.value: HazardRule(
        # vision 0.7: visual grades 1-3; upper 0.75: arm grades 1-3; cognition 0.6: intellectual grades 1-3;
        # psychosocial 0.35: mental grades 1-2
        {"vision": 0.7, "upper_limb": 0.75, "cognition": 0.6, "psychosocial": 0.35},
        _SPECIAL_OPS + "（焊接与热切割作业）；明火作业的任务分析",
        N_("burn and fire risk: the flame and the work piece must be seen and held with both hands")),
    Hazard.MOVING_MACHINERY.value: HazardRule(
        {"vision": 0.7, "upper_limb": 0.75, "cognition": 0.6, "psychosocial": 0.35},
        "GB 5083-2023 生产设备安全卫生设计总则；GB/T 19671 双手操纵装置",
        N_("entanglement and crush risk: moving parts must be seen, two-hand controls need both hands")),
    Hazard.HEAVY_LIFTING.value: HazardRule(
        # stamina 0.75: physical grades 1-2, intellectual/mental grade 1; limbs: grades 1-3;
        # cognition 0.3 / psychosocial 0.35: intellectual and mental grades 1-2 (yards with moving vehicles)
        {"upper_limb": 0.75, "mobility": 0.75, "stamina": 0.75, "cognition": 0.3, "psychosocial": 0.35},
        "GB 3869-1997 体力劳动强度分级（III、IV级重体力劳动）；装卸作业场所的车辆与输送机风险",
        N_("heavy physical work: carrying loads needs both arms, sure footing and endurance; loading yards have "
           "moving vehicles and conveyors to watch for")),
    Hazard.PROLONGED_STANDING.value: HazardRule(
        # mobility 0.5: lower-limb grades 1-2 and wheelchair users
        {"mobility": 0.5, "stamina": 0.5},
        "GB/T 14776-1993 人类工效学 工作岗位尺寸设计原则（立姿与坐姿岗位）",
        N_("standing or walking most of the shift is not possible with severe lower-limb impairment")),
    Hazard.TELEPHONE.value: HazardRule(
        # hearing 0.6: hearing grades 1-3 unaided; speech 0.8: every speech grade, severe pre-lingual deafness
        {"hearing": 0.6, "speech": 0.8},
        "任务分析：电话工作为双向语音（CSCO 4-04-05-03 呼叫中心服务员职业定义）",
        N_("the work is done by voice over the telephone: hearing and speech are essential")),
    Hazard.READING.value: HazardRule(
        # vision 0.4: visual grades 1-2 (relieved by a screen reader); cognition 0.55: intellectual grades 1-3
        {"vision": 0.4, "cognition": 0.55},
        "任务分析：阅读纸质或屏幕文字即工作本身（录入、审核、校对、会计等）",
        N_("reading print or screens is essential"),
        literacy=True),
    Hazard.HAZARDOUS_SUBSTANCES.value: HazardRule(
        {"vision": 0.4, "cognition": 0.5, "psychosocial": 0.35},
        "危险化学品安全管理条例第四条（从业人员须经安全教育和培训，能识读安全标签与安全技术说明书）",
        N_("labels and safety data sheets must be read and precautions followed")),
    Hazard.NIGHT_SHIFT.value: HazardRule(
        # psychosocial 0.5: mental grades 1-2 and intellectual grade 1.
        # ASSUMPTION (unsourced): clinical consensus, no specific regulation found.
        {"psychosocial": 0.5},
        "临床共识（假设：睡眠节律紊乱是重性精神疾病复发诱因，未找到具体条文）；任务分析",
        N_("regular night work disturbs sleep, a known relapse trigger in severe mental illness")),
    Hazard.MACHINE_PACED.value: HazardRule(
        # upper 0.5: arm grades 1-2; cognition 0.5 (relieved by a job coach); mental grades 1-2
        {"upper_limb": 0.5, "cognition": 0.5, "psychosocial": 0.5},
        "任务分析：机器节拍的流水线作业（GB/T 14776-1993）",
        N_("the line sets the pace: hands, learning the task and coping with time pressure are needed")),
    Hazard.SIGHT.value: HazardRule(
        # vision 0.75: every visual grade (best-corrected acuity below 0.3)
        {"vision": 0.75},
        "GB/T 26341-2010 视力残疾分级（四级：最佳矫正视力低于0.3）；任务分析：外观检验、监控、挑拣",
        N_("inspecting small defects, watching monitors or people, or sorting by look needs good sight")),
    Hazard.MANUAL_WORK.value: HazardRule(
        # upper 0.5: arm grades 1-2 (loss of both arms' function); one-armed persons (grade 3) pass
        {"upper_limb": 0.5},
        "GB/T 26341-2010 肢体残疾分级（一、二级：双上肢功能丧失或严重障碍）；任务分析",
        N_("the work is done with the hands: it needs at least one fully working arm")),
    Hazard.SAFETY_RESPONSIBILITY.value: HazardRule(
        # cognition 0.6: intellectual grades 1-3; psychosocial 0.55: mental grades 1-3
        {"cognition": 0.6, "psychosocial": 0.55},
        "保安服务管理条例（国务院令第564号）第十六条（身体健康、初中以上学历）；任务分析：独自应对冲突与突发事件",
        N_("guarding or caring for people means handling conflicts and emergencies alone")),
})
"""Minimum capacities per hazard, with source and reasoning (translated where shown)."""

HAZARD_RELIEF: Mapping[str, dict[str, tuple[str, ...]]] = frozen({
    "screen_reader": {Hazard.READING.value: ("vision",)},
    "adapted_workstation": {Hazard.PROLONGED_STANDING.value: ("mobility", "stamina"),
                            Hazard.MANUAL_WORK.value: ("upper_limb",)},
    "job_coach": {Hazard.MACHINE_PACED.value: ("cognition",)},
})
"""Accommodation → hazard → the minimums it waives. A screen reader reads the screen
aloud (reading no longer needs sight, still needs literacy); an adapted workstation
turns a standing job into a seated one; a job coach teaches the line's
steps (supported employment); adapted input devices (one-hand keyboards, head or
mouth sticks, voice input) stand in for hands at a desk. No accommodation relieves driving, height, electrical
work, hot work, machinery, lifting or telephone work."""

HAZARDS: tuple[str, ...] = tuple(h.value for h in Hazard)
"""Hazard codes in column order of the hazard arrays."""


def _fails(cap: np.ndarray, hazard: str, waived: tuple[str, ...] = ()) -> np.ndarray:
    rule = HAZARD_RULES[hazard]
    out = np.zeros(cap.shape[0], bool)
    for dim, low in rule.minimum.items():
        if dim not in waived:
            out |= cap[:, _DIM[dim]] < low
    return out


def hazard_failures(values: np.ndarray, illiterate: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Persons each hazard rules out, without and with the post's relief.

    Parameters
    ----------
    values : ndarray, shape (n, 8)
        Capacities (one reading; the caller combines the readings of unknown limbs).
    illiterate : ndarray of bool, shape (n,)
        Recorded as unable to read and write.

    Returns
    -------
    plain, relieved : ndarray of bool, shape (n, n_hazards)
        Ruled out by each hazard of :data:`HAZARDS`; ``relieved`` with the minimums an
        accommodation waives (:data:`HAZARD_RELIEF`) left out.

    Examples
    --------
    >>> cap = np.ones((2, 8)); cap[0, 0] = 0.02  # a blind person and a sighted one
    >>> plain, relieved = hazard_failures(cap, np.zeros(2, bool))
    >>> k = HAZARDS.index("reading")
    >>> plain[:, k].tolist(), relieved[:, k].tolist()
    ([True, False], [False, False])
    """
    waivers: dict[str, tuple[str, ...]] = {}
    for relief in HAZARD_RELIEF.values():
        for hazard, dims in relief.items():
            waivers[hazard] = waivers.get(hazard, ()) + dims
    n = values.shape[0]
    plain = np.zeros((n, len(HAZARDS)), bool)
    relieved = np.zeros((n, len(HAZARDS)), bool)
    for k, hazard in enumerate(HAZARDS):
        for out, waived in ((plain, ()), (relieved, waivers.get(hazard, ()))):
            f = _fails(values, hazard, waived)
            if HAZARD_RULES[hazard].literacy:
                f |= illiterate
            out[:, k] = f
    return plain, relieved
