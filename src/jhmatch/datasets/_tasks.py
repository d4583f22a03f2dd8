"""The hidden world's posts: what each job really involves (ASSUMPTION throughout).

Part of the hidden outcome model (:mod:`jhmatch.datasets.outcomes`). A post's
*task profile* gives the intensity (0 none … 1 core, most of the shift) of twenty
tasks, named after ICF activity items: driving (d475), climbing (d4551), lifting
and carrying (d430), maintaining a standing position (d4154), walking and moving
around (d450–d460), using telecommunication devices (d3600), conversation (d350),
reading (d166), watching (d110), fine hand use (d440), undertaking complex and
multiple tasks (d220, d175), handling stress (d2401), plus the exposures of
China's special-operation catalogue (特种作业目录, 特种作业人员安全技术培训考核管理规定,
SAWS order 30, 2010: electrical work, welding and hot cutting, work at height) and
of in-plant vehicles (TSG Z6001 特种设备作业人员: forklifts).

The profile is read from the post's **title** and **required skills** with this
module's own keyword rules, and from its **CSCO 2022 code** (at half weight when the text says what the work is)
with this module's own judgement of the major / middle groups (from the CSCO 2022
group descriptions), else a generic unskilled profile. The post kind is not read. Each post's true
intensities vary around the rule's value (× 0.8–1.2, by hash), and some rules
carry hidden demands that the title does not show (a factory 普工 post has night
shifts with probability 0.4). Remote posts involve no on-site task.

The module also gives each text its *skill families* (the hidden model's own
families keyed by keyword sets, with the training a newcomer needs) and its legal
*licence requirements* (driving classes under 机动车驾驶证申领和使用规定, special
operations, 盲人医疗按摩人员资格 under 盲人医疗按摩管理办法 2009, 教师资格条例,
护士条例). Nothing here comes from, or is shared with, :mod:`jhmatch.matching`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import numpy as np
import pandas as pd

from jhmatch.datasets._functioning import LIMITATION_SOURCES, licence_bit
from jhmatch.datasets._truth import _factorized, _hash, _mix, _uniform

__all__ = ["FAMILIES", "SEVERITY", "TASKS", "families", "licence_needs", "task_profile"]

TASKS: tuple[str, ...] = tuple(LIMITATION_SOURCES)
_T = {t: i for i, t in enumerate(TASKS)}

SEVERITY: Mapping[str, float] = MappingProxyType({
    "road_drive": 6.0, "ride_deliver": 4.0, "plant_drive": 5.0, "climb_height": 5.0, "live_electric": 5.0,
    "hot_work": 4.0, "machine_tend": 3.0, "heavy_handling": 1.5, "stand_station": 1.2, "walk_about": 1.5,
    "phone_voice": 3.0, "talk_public": 1.2, "read_print": 2.0, "visual_detail": 1.5, "fine_hands": 1.5,
    "complex_tasks": 1.5, "line_pace": 1.0, "night_work": 0.6, "customer_stress": 0.8, "tactile_work": 2.0,
})
"""Monthly hazard of losing the post (or of an accident) when a task is core and the person cannot do it."""

ON_SITE = ("road_drive", "ride_deliver", "plant_drive", "climb_height", "live_electric", "hot_work", "machine_tend",
           "heavy_handling", "stand_station", "walk_about")

# (pattern, levels, hidden (level, probability), overrides); "screen" = share of reading done on a screen
_RULES: list[tuple[str, dict, dict, dict]] = [
    (r"货车|货运|重卡|半挂|大车|渣土|物流司机", {"road_drive": 1, "heavy_handling": .3, "walk_about": .2},
     {"night_work": (.7, .4)}, {}),
    (r"(?<!叉车)司机|驾驶员|网约车|出租车|专车|班车|开车|送货员", {"road_drive": 1, "walk_about": .2},
     {"heavy_handling": (.4, .3)}, {}),
    (r"叉车|铲车|堆高车", {"plant_drive": 1, "machine_tend": .3, "heavy_handling": .3, "stand_station": .3}, {},
     {"road_drive": 0}),
    (r"外卖|骑手|配送|送餐|快递员|快递小哥|揽收|送水|跑腿",
     {"ride_deliver": 1, "walk_about": .6, "heavy_handling": .3, "phone_voice": .15, "read_print": .3,
      "customer_stress": .3}, {}, {}),
    (r"高空|登高|高处|外墙|幕墙|架子工|蜘蛛人|吊篮|线务", {"climb_height": 1, "heavy_handling": .4, "walk_about": .4},
     {}, {}),
    (r"电工|电气|配电|强电|弱电|水电工|电力维修",
     {"live_electric": 1, "climb_height": .4, "visual_detail": .6, "fine_hands": .5, "complex_tasks": .5,
      "walk_about": .4}, {}, {}),
    (r"电梯", {"live_electric": .7, "climb_height": .8, "fine_hands": .5, "complex_tasks": .5}, {}, {}),
    (r"焊|气割|切割工", {"hot_work": 1, "visual_detail": .6, "fine_hands": .5, "stand_station": .6,
                         "machine_tend": .3}, {}, {}),
    (r"搬运|装卸|力工|上货|卸货|杂工|小工|搬家", {"heavy_handling": 1, "walk_about": .8, "stand_station": .4}, {}, {}),
    (r"仓库(?!文员)|仓储|库管|库房|理货|拣货|分拣|备货|发货",  # a warehouse clerk (仓库文员) works at a desk
     {"walk_about": .7, "heavy_handling": .5, "read_print": .5, "visual_detail": .4, "line_pace": .3},
     {"plant_drive": (.6, .2)}, {}),
    (r"普工|操作工|流水线|车间|装配|(?<!手工)组装|生产线|作业员|五金|电子厂|机台|注塑|冲压",
     {"machine_tend": .6, "line_pace": .7, "stand_station": .8, "fine_hands": .5, "visual_detail": .3},
     {"night_work": (.8, .4), "heavy_handling": (.6, .2)}, {}),
    (r"冲压|冲床|注塑|压铸|CNC|数控|车床|机床|剪板|开料|木工|机加工",
     {"machine_tend": 1, "stand_station": .8, "visual_detail": .5, "line_pace": .5}, {"night_work": (.8, .3)}, {}),
    (r"质检|检验|品检|QC|品管|验货", {"visual_detail": 1, "stand_station": .5, "read_print": .5, "fine_hands": .3},
     {}, {}),
    (r"包装|打包|贴标|装箱", {"fine_hands": .6, "line_pace": .6, "stand_station": .7, "heavy_handling": .3,
                              "visual_detail": .3}, {}, {}),
    (r"缝纫|制衣|平车|服装|针车|锁边|裁剪|裁床", {"fine_hands": 1, "machine_tend": .5, "line_pace": .7,
                                                  "visual_detail": .5, "stand_station": .2}, {}, {}),
    (r"厨师|厨工|配菜|面点|切配|烹饪|帮厨|炒菜|后厨|烧烤",
     {"stand_station": 1, "hot_work": .15, "machine_tend": .3, "heavy_handling": .3, "line_pace": .6,
      "fine_hands": .4, "walk_about": .3}, {}, {}),
    (r"洗碗|洗菜", {"stand_station": 1, "heavy_handling": .3, "fine_hands": .3, "line_pace": .4}, {}, {}),
    (r"保安|安保|门卫|巡逻|巡检|值守",
     {"walk_about": .8, "stand_station": .6, "talk_public": .6, "night_work": .8, "visual_detail": .5,
      "phone_voice": .3, "read_print": .2, "customer_stress": .3}, {}, {}),
    (r"保洁|清洁|清扫|环卫", {"walk_about": .9, "stand_station": .5, "heavy_handling": .3, "visual_detail": .3},
     {}, {}),
    (r"绿化|园林|养护|园艺|花木|苗木|保绿",
     {"walk_about": .8, "heavy_handling": .5, "machine_tend": .3, "stand_station": .4}, {}, {}),
    (r"文员|行政|办公室|文秘|秘书|助理|录入|统计|档案|内勤|资料|办事员",
     {"read_print": 1, "screen": .9, "fine_hands": .4, "complex_tasks": .5, "phone_voice": .15, "talk_public": .3},
     {}, {}),
    (r"电话|话务|外呼|热线|电销|呼叫中心|接线|坐席|语音",
     {"phone_voice": 1, "read_print": .6, "screen": .9, "customer_stress": .8, "line_pace": .3}, {},
     {"stand_station": .1, "walk_about": 0}),
    (r"客服", {"phone_voice": .1, "read_print": .8, "screen": .9, "customer_stress": .7},
     {"phone_voice": (.9, .5)}, {}),
    (r"在线客服|文字客服|网络客服|网店客服|淘宝客服|电商客服|打字客服|在线咨询",
     {"read_print": 1, "screen": 1, "fine_hands": .5, "customer_stress": .6}, {}, {"phone_voice": .05, "talk_public": .1}),
    (r"主播|直播|带货|播音|解说", {"phone_voice": .9, "talk_public": .6, "customer_stress": .5, "read_print": .3},
     {}, {}),
    (r"审核|标注", {"read_print": 1, "screen": 1, "visual_detail": .7, "line_pace": .4}, {"night_work": (.7, .3)}, {}),
    (r"收银员|收银岗|收银台", {"stand_station": .8, "talk_public": .6, "complex_tasks": .5, "visual_detail": .4,
               "customer_stress": .5, "read_print": .3}, {}, {}),
    (r"营业员|售货|导购|(?<!电话)销售|店员|促销|售票",
     {"talk_public": .9, "stand_station": .7, "walk_about": .4, "complex_tasks": .3, "customer_stress": .5,
      "read_print": .3}, {}, {}),
    (r"(?<!便民|客房)服务员|传菜|前台|接待|迎宾|餐厅|茶艺|前厅|管家",
     {"walk_about": .8, "stand_station": .8, "talk_public": .7, "heavy_handling": .3, "customer_stress": .5,
      "line_pace": .3}, {}, {}),
    (r"客房", {"walk_about": .8, "stand_station": .7, "heavy_handling": .4, "fine_hands": .3, "visual_detail": .3,
               "talk_public": .2, "line_pace": .3}, {}, {}),  # room attendants clean rooms; few words with guests
    (r"按摩|推拿|理疗|足疗|足浴", {"tactile_work": 1, "stand_station": .6, "talk_public": .4}, {}, {}),
    (r"网络维护|网管|运维|网络管理|系统维护|网站维护|信息安全|网络与信息",
     {"read_print": .9, "screen": 1, "complex_tasks": .8, "fine_hands": .4, "walk_about": .2}, {}, {}),
    (r"电商(?!仓库)|电子商务|网店|运营|新媒体|小编|编辑|跨境",
     {"read_print": .9, "screen": 1, "complex_tasks": .6, "fine_hands": .4, "customer_stress": .3}, {}, {}),
    (r"美工|设计|剪辑|修图|摄影", {"visual_detail": 1, "read_print": .6, "screen": 1, "fine_hands": .5,
                                    "complex_tasks": .5}, {}, {}),
    (r"手工|编织|串珠|竹编|来料加工|饰品|拼布|绒线|扎花|针织|毛衫|竹藤|玩具",  # can be learnt by touch
     {"fine_hands": 1, "visual_detail": .15, "line_pace": .2}, {}, {}),
    (r"刺绣|剪纸|木雕|工艺美术|抽纱|彩绘", {"fine_hands": 1, "visual_detail": .8}, {}, {}),
    (r"种植|采茶|农艺|果园|大棚|蔬菜|中药材|种田|苗圃|采摘|农场|茶园",
     {"walk_about": .8, "heavy_handling": .5, "stand_station": .5, "machine_tend": .2, "visual_detail": .3}, {}, {}),
    (r"养殖|饲养|养猪|养鸡|养鸭|养蜂|水产|畜|禽",
     {"walk_about": .7, "heavy_handling": .6, "machine_tend": .1}, {"night_work": (.5, .3)}, {}),
    (r"(?<!来料)(?<!饰品)(?<!串珠)加工|食品|茶叶|农产品(?:加工|分拣|分级|包装)|果蔬|分级",  # food and farm produce
     {"stand_station": .7, "fine_hands": .5, "line_pace": .5, "machine_tend": .3, "visual_detail": .3}, {}, {}),
    (r"民宿|农家乐|导游|讲解|景区|游客", {"talk_public": .9, "walk_about": .6, "customer_stress": .4,
                                          "stand_station": .4, "read_print": .3}, {}, {}),
    (r"报刊|彩票|烟草|便利店|小卖部|岗亭|便民店|零售点|代销|书报",
     {"talk_public": .6, "complex_tasks": .4, "visual_detail": .3, "read_print": .3, "stand_station": .3,
      "customer_stress": .3}, {}, {}),
    (r"专职委员|社区(?:工作|服务|干事|专员|助理|网格)|残疾人之家|网格员|便民服务|助残|村务|协管|联络员|社工",
     {"talk_public": .8, "read_print": .7, "screen": .5, "walk_about": .5, "complex_tasks": .5, "phone_voice": .4},
     {}, {}),
    (r"辅助性就业|庇护|工疗|康园|阳光家园", {"fine_hands": .5}, {},  # seated table work (overrides the trade's level)
     {"line_pace": .1, "night_work": 0, "customer_stress": 0, "machine_tend": 0, "stand_station": .2,
      "heavy_handling": .1}),
    (r"养老护理|(?<![庇养])护工|护理员|陪护|家政|保姆|月嫂",  # not 庇护工场, 养护工
     {"heavy_handling": .6, "walk_about": .7, "stand_station": .5, "talk_public": .5, "complex_tasks": .3},
     {"night_work": (.7, .4)}, {}),
    (r"洗车|汽车美容", {"stand_station": .9, "walk_about": .5, "heavy_handling": .3, "machine_tend": .3}, {}, {}),
    (r"维修|修理|安装|调试", {"fine_hands": .7, "visual_detail": .7, "machine_tend": .4, "complex_tasks": .5,
                              "heavy_handling": .3, "walk_about": .4}, {}, {}),
    (r"会计|出纳|财务|记账|核算", {"read_print": 1, "screen": .9, "complex_tasks": .9, "visual_detail": .4}, {}, {}),
    (r"教师|老师|辅导员|培训师", {"talk_public": .9, "read_print": .8, "complex_tasks": .7, "customer_stress": .5},
     {}, {}),
    (r"护士", {"walk_about": .8, "stand_station": .7, "talk_public": .7, "fine_hands": .6, "visual_detail": .6,
               "complex_tasks": .7}, {"night_work": (.8, .7)}, {}),
    (r"建筑|砌筑|钢筋|泥瓦|工地|施工|装修", {"heavy_handling": 1, "climb_height": .5, "walk_about": .6,
                                            "machine_tend": .4}, {}, {}),
    (r"油漆|喷漆|喷涂|涂装|打磨|抛光|化工", {"machine_tend": .5, "stand_station": .7, "visual_detail": .4}, {}, {}),
    (r"洗衣|熨烫|烫工", {"stand_station": .8, "fine_hands": .4, "heavy_handling": .3, "hot_work": .2}, {}, {}),
    (r"锅炉|司炉", {"machine_tend": .6, "hot_work": .4, "walk_about": .4}, {"night_work": (.8, .6)}, {}),
    (r"夜班|两班倒|三班倒|倒班|通宵|24小时", {}, {}, {"night_work": 1}),
    (r"长白班|常白班|常日班|(?<![两倒])白班", {}, {}, {"night_work": 0}),
]

# the hidden model's own reading of CSCO 2022 groups (longest prefix wins)
_OCCUPATION: dict[str, dict[str, float]] = {
    "1": {"complex_tasks": .9, "talk_public": .7, "read_print": .8, "screen": .7, "customer_stress": .5},
    "2": {"read_print": .8, "screen": .8, "complex_tasks": .8, "talk_public": .4},
    "2-05": {"walk_about": .6, "talk_public": .7, "fine_hands": .5, "complex_tasks": .8, "read_print": .6},
    "2-05-10": {"tactile_work": 1, "stand_station": .6, "talk_public": .4},
    "3": {"read_print": .9, "screen": .9, "complex_tasks": .5, "phone_voice": .3, "talk_public": .4},
    "4": {"talk_public": .5, "walk_about": .5, "stand_station": .5},
    "4-01": {"talk_public": .8, "stand_station": .6, "complex_tasks": .3, "customer_stress": .4},
    "4-01-06": {"read_print": .9, "screen": 1, "complex_tasks": .6},
    "4-02": {"walk_about": .6, "heavy_handling": .5},
    "4-02-02-01": {"road_drive": 1}, "4-02-02-02": {"road_drive": 1, "heavy_handling": .3},
    "4-02-05": {"heavy_handling": 1, "walk_about": .8},
    "4-02-06": {"walk_about": .7, "heavy_handling": .5, "read_print": .5},
    "4-02-07": {"walk_about": .5, "heavy_handling": .3, "read_print": .4},  # postal counter, sorting, kiosks
    "4-02-07-04": {"ride_deliver": .8, "walk_about": .6, "heavy_handling": .3},  # 邮政投递员
    "4-02-07-08": {"ride_deliver": 1, "walk_about": .6, "heavy_handling": .3},  # 快递员
    "4-03": {"stand_station": .8, "walk_about": .7, "talk_public": .5},
    "4-03-02-01": {"stand_station": 1, "hot_work": .15, "machine_tend": .3, "line_pace": .6},
    "4-04": {"read_print": .9, "screen": 1, "complex_tasks": .7},
    "4-04-02": {"climb_height": .8, "live_electric": .4, "walk_about": .6},
    "4-04-05": {"phone_voice": .7, "read_print": .8, "screen": .9, "customer_stress": .7},
    "4-07-02": {"phone_voice": .5, "read_print": .7, "screen": .8, "customer_stress": .6},
    "4-07-05": {"walk_about": .8, "night_work": .8, "talk_public": .5, "visual_detail": .5},
    "4-09": {"walk_about": .8, "heavy_handling": .4, "stand_station": .4},
    "4-10-01": {"heavy_handling": .6, "walk_about": .7, "talk_public": .5},
    "4-10-04": {"tactile_work": 1, "stand_station": .6, "talk_public": .4},
    "4-10-08": {"ride_deliver": 1, "walk_about": .6, "phone_voice": .3},
    "4-12": {"fine_hands": .7, "visual_detail": .7, "machine_tend": .4, "complex_tasks": .5},
    "4-13": {"read_print": .8, "screen": .8, "talk_public": .4},
    "4-14": {"walk_about": .6, "talk_public": .6, "heavy_handling": .3},
    "5": {"walk_about": .8, "heavy_handling": .6, "machine_tend": .3, "stand_station": .4},
    "5-05-05-01": {"plant_drive": 1, "machine_tend": .5},
    "6": {"machine_tend": .7, "stand_station": .7, "line_pace": .6, "fine_hands": .5, "visual_detail": .3},
    "6-05": {"fine_hands": .9, "machine_tend": .5, "line_pace": .7, "visual_detail": .5},
    "6-09": {"fine_hands": 1, "visual_detail": .5},
    "6-18-02": {"hot_work": 1, "visual_detail": .6, "fine_hands": .5},
    "6-29": {"climb_height": .7, "heavy_handling": .8, "walk_about": .6},
    "6-30-05-01": {"plant_drive": 1, "machine_tend": .3},
    "6-31-01-03": {"live_electric": 1, "climb_height": .4, "visual_detail": .6, "complex_tasks": .5},
    "6-31-03": {"visual_detail": 1, "read_print": .5, "stand_station": .5},
    "6-31-05": {"fine_hands": .6, "line_pace": .6, "stand_station": .7},
}
_GENERIC = {"stand_station": .4, "walk_about": .3, "fine_hands": .3, "read_print": .3, "talk_public": .3}

FAMILIES: Mapping[str, tuple[str, float]] = MappingProxyType({
    "driving": (r"司机|驾驶|驾照|开车|网约车|出租|driving|[ABC][125]", 0.6),
    "forklift": (r"叉车|铲车|forklift", 0.7),
    "delivery": (r"外卖|骑手|配送|送餐|快递|揽收|送水", 0.15),
    "logistics": (r"仓库|仓储|库管|理货|拣货|分拣|物流|搬运|装卸|货运", 0.2),
    "electrical": (r"电工|电气|配电|强电|弱电|电路|电梯|水电|electrician", 1.0),
    "welding": (r"焊|welder", 1.0),
    "machining": (r"钳工|铣|磨工|CNC|数控|机床|冲压|注塑|模具|机修|机械|车床", 0.6),
    "assembly": (r"普工|操作工|流水线|装配|组装|生产|包装|打包|贴标|五金|电子厂|质检|检验|品检", 0.15),
    "sewing": (r"缝纫|制衣|服装|平车|针车|裁剪|锁边|纺织|车工", 0.5),
    "crafts": (r"手工|编织|串珠|刺绣|竹编|剪纸|工艺|木雕|饰品|拼布|绒线|竹藤|抽纱|玩具|针织", 0.4),
    "cooking": (r"厨|烹|面点|配菜|切配|烧烤|餐饮|洗碗", 0.5),
    "hospitality": (r"服务员|传菜|前台|接待|客房|民宿|农家乐|导游|讲解|茶艺|旅游|酒店|管家", 0.2),
    "retail": (r"营业员|售货|导购|销售|店员|零售|收银|促销|报刊|彩票|烟草|便利店|购销|经纪", 0.2),
    "security": (r"保安|安保|门卫|巡逻|安防", 0.15),
    "cleaning": (r"保洁|清洁|清扫|环卫|家政|洗车|洗衣", 0.05),
    "greening": (r"绿化|园林|园艺|花木|苗木|草坪|保绿", 0.2),
    "farming": (r"种植|采茶|农艺|果|蔬菜|中药材|农|茶叶|养殖|饲养|畜|禽|水产|繁殖", 0.3),
    "office": (r"文员|行政|办公|文秘|秘书|助理|录入|打字|档案|资料|内勤|统计|办事员|电脑|Excel|Word", 0.35),
    "customer_service": (r"客服|话务|呼叫|坐席|热线|外呼|电销|客户服务", 0.3),
    "ecommerce": (r"电商|电子商务|网店|淘宝|天猫|运营|直播|主播|带货|美工|新媒体|网络编辑|审核|标注", 0.45),
    "it": (r"网络|网管|运维|计算机|软件|编程|信息通信|信息安全", 0.8),
    "finance": (r"会计|出纳|财务|记账|核算|审计|accounting", 0.9),
    "massage": (r"按摩|推拿|理疗|足疗|blind_medical_massage", 0.8),
    "care": (r"护理|(?<![庇养])护工|陪护|养老|护士|月嫂|保姆|nurse", 0.4),
    "community": (r"社区(?:工作|服务|干事|专员|助理|网格)|专职委员|村务|网格|助残|残疾人之家|便民|社工", 0.3),
    "repair": (r"维修|修理|安装|调试", 0.6),
    "teaching": (r"教师|老师|辅导|培训|teacher", 0.8),
    "construction": (r"建筑|砌筑|钢筋|架子工|泥瓦|油漆|涂装|装修|施工|外墙|幕墙|height_work|登高", 0.4),
})
"""Skill families: keyword pattern and the training a newcomer needs (0 none … 1 a trade)."""
_FAMILY_NEED = np.array([need for _, need in FAMILIES.values()])

# legal licence requirements: (pattern, acceptable licences, monthly hazard without one)
_CAR = ("A1", "A2", "A3", "B1", "B2", "C1", "C2")
_LICENCES: list[tuple[str, str, tuple[str, ...], float]] = [
    ("truck", r"货车|货运|重卡|半挂|大车|渣土|物流司机", ("A1", "A2", "B2"), 0.65),
    ("car", r"(?<!叉车)司机|驾驶员|网约车|出租车|专车|班车|开车|送货员", _CAR, 0.65),
    ("forklift", r"叉车|铲车|堆高车", ("forklift",), 0.12),
    ("electrician", r"电工|配电|强电|高压电", ("electrician",), 0.12),
    ("welder", r"焊|气割", ("welder",), 0.12),
    ("height", r"高处作业|登高|架子工|外墙|幕墙|蜘蛛人|吊篮", ("height",), 0.12),
    ("massage", r"盲人医疗按摩", ("massage",), 0.3),
    ("teacher", r"教师", ("teacher",), 0.65),
    ("nurse", r"护士", ("nurse",), 0.65),
]
LICENCE_MASKS = np.array([sum(licence_bit(x) for x in ok) for _, _, ok, _ in _LICENCES], dtype=np.int64)
LICENCE_HAZARD = np.array([h for *_, h in _LICENCES])


def _text(posts: pd.DataFrame, col: str) -> pd.Series:
    if col not in posts:
        return pd.Series("", index=posts.index, dtype=object)
    s = posts[col].astype("object")
    return s.where(s.notna(), "").astype(str)


def _matches(texts: pd.Series, patterns: list[str]) -> np.ndarray:
    """(len(texts) × len(patterns)) bool: which pattern each text contains."""
    return np.column_stack([texts.str.contains(p, regex=True).to_numpy(dtype=bool) for p in patterns]) \
        if len(patterns) else np.zeros((len(texts), 0), bool)


def families(texts: pd.Series) -> np.ndarray:
    """Bit mask of the skill families each text mentions.

    Examples
    --------
    >>> m = families(pd.Series(["持电工证，会焊接", "保洁员", ""]))
    >>> [sorted(n for i, n in enumerate(FAMILIES) if x >> i & 1) for x in m]
    [['electrical', 'welding'], ['cleaning'], []]
    """
    codes, uniques = _factorized(texts.to_numpy(dtype=object))
    terms = uniques.str.split(r"[;；,，、|/\s]+", regex=True).explode()  # no family pattern spans a separator
    t_codes, t_uniques = _factorized(terms.to_numpy(dtype=object))
    hit = _matches(t_uniques, [p for p, _ in FAMILIES.values()])
    bits = (hit.astype(np.int64) << np.arange(len(FAMILIES), dtype=np.int64)).sum(axis=1)
    per_text = np.zeros(len(uniques), np.int64)
    np.bitwise_or.at(per_text, terms.index.to_numpy(np.int64), bits[t_codes])
    return per_text[codes]


def family_need(mask: np.ndarray) -> np.ndarray:
    """Largest training need among the families in each mask (0 when none)."""
    bits = (mask[:, None] >> np.arange(len(FAMILIES), dtype=np.int64)) & 1
    return (bits * _FAMILY_NEED).max(axis=1) if len(mask) else np.zeros(0)


def licence_needs(texts: pd.Series) -> np.ndarray:
    """(n × licence kinds) bool: licences the work legally requires (a truck excuses the car).

    Examples
    --------
    >>> licence_needs(pd.Series(["货车司机", "叉车司机", "文员"])).sum(axis=1).tolist()
    [1, 1, 0]
    """
    codes, uniques = _factorized(texts.to_numpy(dtype=object))
    need = _matches(uniques, [p for _, p, _, _ in _LICENCES])
    names = [n for n, *_ in _LICENCES]
    need[:, names.index("car")] &= ~need[:, names.index("truck")]
    return need[codes]


def _rule_profile(texts: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per text: base levels, hidden levels and their probabilities, whether a rule matched, and the
    levels a rule fixes (NaN where none does; they also override the occupation's levels)."""
    cols = (*TASKS, "screen")
    n = len(texts)
    base = np.zeros((n, len(cols)))
    hidden = np.zeros((n, len(cols)))
    prob = np.zeros((n, len(cols)))
    fixed = np.full((n, len(cols)), np.nan)
    hit = _matches(texts, [r[0] for r in _RULES])
    for r, (_, levels, maybe, _) in enumerate(_RULES):
        rows = hit[:, r]
        if not rows.any():
            continue
        for task, v in levels.items():
            c = cols.index(task)
            base[rows, c] = np.maximum(base[rows, c], v)
        for task, (v, p) in maybe.items():
            c = cols.index(task)
            better = rows & (v > hidden[:, c])
            hidden[better, c], prob[better, c] = v, p
    for r, (_, _, _, override) in enumerate(_RULES):
        rows = hit[:, r]
        for task, v in override.items():
            c = cols.index(task)
            base[rows, c] = v
            fixed[rows, c] = v
            hidden[rows, c] = np.minimum(hidden[rows, c], v)
    matched = hit[:, [bool(r[1]) for r in _RULES]].any(axis=1)
    return base, hidden, prob, matched, fixed


def _occupation_profile(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    cols = (*TASKS, "screen")
    codes, s = _factorized(values.to_numpy(dtype=object))
    out = np.zeros((len(s), len(cols)))
    known = np.zeros(len(s), bool)
    for prefix in sorted(_OCCUPATION, key=len):  # longer prefixes overwrite shorter ones
        rows = s.str.startswith(prefix).to_numpy(dtype=bool) & (s != "").to_numpy(dtype=bool)
        if rows.any():
            out[rows] = 0.0
            for task, v in _OCCUPATION[prefix].items():
                out[rows, cols.index(task)] = v
            known |= rows
    return out[codes], known[codes]


def task_profile(posts: pd.DataFrame, seed: int) -> np.ndarray:
    """True task intensities (n × (tasks + screen)) of each post row.

    Examples
    --------
    >>> q = pd.DataFrame({"post_id": ["a", "b"], "title": ["货车司机", "在线客服（文字）"], "remote": [False, True]})
    >>> t = task_profile(q, seed=0)
    >>> bool(t[0, TASKS.index("road_drive")] > 0.7), float(t[1, TASKS.index("road_drive")])
    (True, 0.0)
    >>> bool(t[1, TASKS.index("phone_voice")] < 0.1)
    True
    """
    title, skills = _text(posts, "title"), _text(posts, "required_skills")
    text = (title + " " + skills).str.strip()
    uniq, inv = np.unique(text.to_numpy(dtype=str), return_inverse=True)
    inv = inv.ravel()
    base, hidden, prob, matched, fixed = _rule_profile(pd.Series(uniq, dtype=object))
    occ, known = _occupation_profile(posts["occupation"] if "occupation" in posts else pd.Series([""] * len(posts)))
    base, hidden, prob, matched, fixed = base[inv], hidden[inv], prob[inv], matched[inv], fixed[inv]
    generic = np.array([_GENERIC.get(c, 0.0) for c in (*TASKS, "screen")])
    prof = np.where(matched[:, None], np.maximum(base, 0.5 * occ), np.where(known[:, None], occ, generic))
    prof = np.where(np.isnan(fixed), prof, fixed)  # 文字客服 is no telephone work whatever its code says
    pid = posts["post_id"].astype(str).to_numpy(dtype=object)
    h = _hash(pid, seed, "post-tasks")
    cols = len(TASKS) + 1
    u = np.column_stack([_uniform(_mix(h, np.uint64(1000 + c))) for c in range(2 * cols)])
    prof = np.maximum(prof, np.where(u[:, cols:] < prob, hidden, 0.0))
    prof = np.clip(prof * (0.8 + 0.4 * u[:, :cols]), 0.0, 1.0)
    prof[:, -1] = np.where(prof[:, -1] > 0, np.clip(prof[:, -1], 0.5, 1.0), 0.0)
    remote = posts["remote"].astype("boolean").fillna(False).to_numpy(dtype=bool) if "remote" in posts \
        else np.zeros(len(posts), bool)
    prof[np.ix_(remote, [_T[t] for t in ON_SITE])] = 0.0
    return prof
