"""The synthetic city's job catalogue: realistic titles per post kind (ASSUMPTION).

Used by :func:`jhmatch.datasets.make_jinhua` to give posts titles for their work,
an occupation code (CSCO 2022, from the packaged catalogue), the hazards and
certificates a planner would mark (the vocabulary of the issue-12 input columns),
required-skills text and a wage level; and to give persons skills from jobs they
could plausibly have held. The hidden outcome model never reads this catalogue: it
reads a post's title, required skills and occupation code with its own rules
(:mod:`jhmatch.datasets._tasks`), as a real world would only be seen through them.

Each job is ``(titles, occupation, weight, hazards, certificates, skills, wage,
person_skills)``: title variants, a CSCO code ("" for none), the relative frequency
within its kind, ``;``-separated hazard codes ("" none, "?" a planner could not
say from the title) and certificate codes, required-skills
variants, wage as a multiple of the county minimum, and the skill terms a person
who did this job would list. The titles and mixes are judgement values for a
Zhejiang county economy (light industry, logistics, e-commerce around Yiwu).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

__all__ = ["JOBS", "Job"]


class Job(NamedTuple):
    """One job of the catalogue (see the module docstring)."""

    titles: tuple[str, ...]
    occupation: str
    weight: float
    hazards: str
    certificates: str
    skills: tuple[str, ...]
    wage: float
    person_skills: tuple[str, ...]


J = Job
_STAND, _LIFT, _DRIVE = "prolonged_standing", "heavy_lifting", "drives_vehicle"

JOBS: Mapping[str, tuple[Job, ...]] = MappingProxyType({
    "kiosk": (J(("邮政报刊亭经营", "报刊零售亭", "爱心报刊亭"), "4-02-07-05", 1, "", "", ("", "收银"), 1.1, ("报刊业务员",)),),
    "tobacco_outlet": (J(("烟草零售点经营", "便利店烟草代销"), "4-01-05-04", 1, "", "", ("",), 1.2, ("烟草制品购销员",)),),
    "lottery_outlet": (J(("福利彩票代销点", "体育彩票代销员"), "4-01-02-03", 1, "", "", ("",), 1.1, ("商品营业员",)),),
    "welfare_liaison": (J(("残疾人专职委员", "村残疾人专职委员", "社区残疾人专职委员"), "3-01-04-01", 1, "reading", "",
                          ("电脑操作;沟通协调", "办公软件", ""), 1.1, ("村务和社区工作者",)),),
    "welfare_home_staff": (
        J(("残疾人之家工作人员", "残疾人之家辅导员"), "3-01-04-01", 2, "", "", ("", "沟通协调"), 1.05, ("村务和社区工作者",)),
        J(("残疾人之家护理员",), "4-10-01-05", 1, _LIFT, "", ("护理",), 1.05, ("养老护理员",)),
    ),
    "welfare_convenience": (J(("村社便民服务员", "便民服务中心窗口", "社区协管员"), "3-01-04-01", 1, "reading", "",
                              ("电脑操作", ""), 1.05, ("村务和社区工作者",)),),
    "welfare_cleaning": (J(("公益性岗位保洁员", "社区保洁", "道路清扫保洁"), "4-09-08-01", 1, _STAND, "", ("",), 1.0,
                           ("保洁员",)),),
    "welfare_greening": (J(("公益性岗位绿化养护", "保绿员", "绿化养护工"), "4-09-10-01", 1, _STAND, "", ("",), 1.0,
                           ("绿化工",)),),
    "agency_post": (
        J(("机关事业单位文员", "政务服务窗口办事员", "档案整理员"), "3-01-01-01", 3, "reading", "", ("办公软件", "公文写作"),
          1.8, ("行政办事员", "办公软件")),
        J(("图书馆服务员",), "4-13-01-07", 1, "reading", "", ("",), 1.6, ("图书馆服务员",)),
        J(("数据录入员",), "3-01-02-05", 1, "reading", "", ("打字", "电脑操作"), 1.6, ("打字员",)),
    ),
    "soe_post": (
        J(("国企行政文员",), "3-01-01-01", 2, "reading", "", ("办公软件",), 1.7, ("行政办事员",)),
        J(("高速公路收费员",), "4-02-02-06", 1, "night_shift", "", ("",), 1.6, ("公路收费及监控员",)),
        J(("营业厅营业员",), "4-04-01-01", 1, _STAND, "", ("",), 1.5, ("信息通信营业员",)),
        J(("电话回访专员", "国企热线客服"), "4-04-05-03", 1, "telephone;reading", "", ("普通话标准",), 1.5, ("客服专员",)),
    ),
    "cloud_customer_service": (
        J(("云客服（电话）", "电话客服", "热线客服专员", "外呼专员", "电话回访专员"), "4-04-05-03", 5, "telephone;reading", "",
          ("普通话标准", "普通话;电脑操作"), 1.3, ("客服专员", "呼叫中心服务员")),
        J(("在线客服（文字）", "网店文字客服", "在线客服", "淘宝客服（打字）"), "4-04-05-03", 5, "reading", "",
          ("打字速度60字/分", "电脑操作"), 1.3, ("网络客服", "淘宝客服")),
        J(("云客服",), "4-04-05-03", 2, "?", "", ("电脑操作",), 1.3, ("客服专员",)),
    ),
    "cloud_review": (J(("云审核员", "内容审核员", "数据标注员", "图片审核员"), "2-10-02-05", 1, "reading", "",
                       ("电脑操作", ""), 1.35, ("网络编辑",)),),
    "network_maintenance": (J(("网络维护员", "网管", "网站维护", "信息系统运维"), "4-04-04-01", 1, "reading", "",
                              ("网络管理", "计算机网络"), 1.6, ("信息通信网络运行管理员", "网络管理")),),
    "ecommerce": (
        J(("电商运营", "淘宝运营助理", "跨境电商专员"), "4-01-06-01", 3, "reading", "", ("电商运营", "办公软件"), 1.4,
          ("电子商务师", "淘宝运营")),
        J(("网店美工",), "4-01-06-01", 1, "reading", "", ("PS修图",), 1.4, ("美工",)),
        J(("直播带货主播",), "4-01-06-01", 1, "telephone", "", ("普通话", ""), 1.5, ("主播",)),
        J(("电商客服（文字）",), "4-04-05-03", 2, "reading", "", ("打字",), 1.3, ("淘宝客服",)),
    ),
    "handicraft": (J(("手工编织工", "竹编艺人", "刺绣工", "串珠饰品手工", "剪纸手工艺", "木雕学徒"), "6-09-03-11", 1, "",
                     "", ("手工", ""), 1.3, ("抽纱刺绣工", "竹藤师", "绒线编织拼布工")),),
    "blind_massage": (
        J(("盲人按摩师", "保健按摩师", "推拿师"), "4-10-04-02", 3, _STAND, "", ("按摩", "推拿"), 1.6, ("保健按摩师", "按摩")),
        J(("盲人医疗按摩师",), "2-05-10-00", 1, _STAND, "blind_medical_massage", ("盲人医疗按摩",), 1.9,
          ("盲人医疗按摩人员",)),
    ),
    "rural_planting": (J(("种植工", "采茶工", "中药材种植员", "大棚蔬菜种植", "果园管理员"), "5-01-02-01", 1,
                         _STAND + ";hazardous_substances", "", ("",), 1.05, ("农艺工", "中药材种植员")),),
    "rural_breeding": (J(("家禽饲养员", "生猪养殖工", "水产养殖工"), "5-03-02-02", 1, _LIFT, "", ("",), 1.1,
                         ("家禽饲养员", "家畜饲养员")),),
    "rural_processing": (J(("茶叶加工工", "农产品分拣包装", "果蔬加工工", "食品加工普工"), "6-02-06-10", 1,
                           _STAND + ";machine_paced", "", ("",), 1.1, ("茶叶加工工",)),),
    "rural_tourism": (
        J(("农家乐服务员", "民宿管家"), "4-14-06-02", 2, _STAND, "", ("",), 1.1, ("民宿管家", "服务员")),
        J(("景区讲解员",), "4-07-04-06", 1, "", "", ("普通话",), 1.2, ("休闲农业服务员",)),
    ),
    "rural_ecommerce": (J(("农村电商运营", "农产品网店客服", "农产品直播带货"), "4-01-06-01", 1, "reading", "",
                          ("电商运营", ""), 1.15, ("电子商务师",)),),
    "rural_logistics": (
        J(("村级物流站管理员", "快递收发员"), "4-02-07-02", 2, _LIFT, "", ("",), 1.1, ("邮件分拣员",)),
        J(("农村快递员",), "4-02-07-08", 1, _DRIVE + ";" + _LIFT, "", ("",), 1.2, ("快递员",)),
        J(("送货司机（C1）",), "4-02-02-02", 1, _DRIVE + ";" + _LIFT, "driving_c1", ("C1驾照",), 1.3, ("货运司机",)),
    ),
    "sheltered_work": (J(("辅助性就业手工", "辅助性就业简单组装", "庇护工场包装", "阳光家园手工作业"), "6-05-01-06", 1, "",
                         "", ("",), 0.7, ("绒线编织拼布工", "手工")),),
    "prosperity_workshop": (J(("共富工坊来料加工", "共富工坊手工组装", "饰品串珠加工", "毛衫缝盘工", "来料包装工"),
                              "6-05-01-06", 1, "", "", ("",), 1.2, ("绒线编织拼布工", "手工", "包装工")),),
    "enterprise_post": (
        J(("货车司机", "物流货车司机（B2）", "重卡司机"), "4-02-02-02", 2, _DRIVE + ";" + _LIFT, "driving_b2",
          ("B2驾照", "A2驾照;三年以上驾龄"), 1.9, ("货运司机", "道路货运汽车驾驶员")),
        J(("送货司机（C1）", "商务司机", "班车司机", "网约车司机"), "4-02-02-01", 2, _DRIVE, "driving_c1", ("C1驾照",),
          1.6, ("司机", "客运车辆驾驶员")),
        J(("外卖骑手", "美团骑手", "同城配送员", "送餐员"), "4-10-08-01", 4, _DRIVE, "", ("",), 1.8, ("配送员", "送餐员")),
        J(("快递员", "快递派送员", "快递揽收员"), "4-02-07-08", 3, _DRIVE + ";" + _LIFT, "", ("",), 1.7, ("快递员",)),
        J(("仓库拣货员", "仓储理货员", "分拣员", "电商仓库打包员", "仓库管理员"), "4-02-06-02", 5, _STAND + ";" + _LIFT, "",
          ("",), 1.3, ("理货员", "分拣员", "仓库管理员")),
        J(("叉车司机", "叉车工（持证）"), "6-30-05-01", 1.5, _DRIVE + ";moving_machinery", "forklift", ("叉车证",), 1.6,
          ("叉车司机",)),
        J(("搬运工", "装卸工", "物流装卸工"), "4-02-05-01", 2, _LIFT + ";" + _STAND, "", ("",), 1.4, ("搬运工", "装卸工")),
        J(("流水线普工", "电子厂操作工", "五金厂普工", "装配工", "组装工（长白班）", "普工（两班倒）"), "6-20-01-01", 8,
          "machine_paced;" + _STAND, "", ("",), 1.3, ("装配钳工", "普工")),
        J(("注塑操作工", "冲压工", "数控车床操作工"), "6-18-01-07", 2, "moving_machinery;" + _STAND, "", ("",), 1.5,
          ("CNC/数控", "冲压工")),
        J(("包装工", "小商品包装工", "饰品包装工"), "6-31-05-00", 4, "machine_paced", "", ("",), 1.2, ("包装工",)),
        J(("质检员", "品检员", "QC检验员"), "6-31-03-05", 2, _STAND + ";reading", "", ("",), 1.35, ("质检员",)),
        J(("缝纫工", "服装车工", "制衣厂平车工"), "6-05-01-03", 3, "moving_machinery;machine_paced", "", ("会缝纫",), 1.4,
          ("缝纫工",)),
        J(("电工", "维修电工", "物业电工（持证）", "水电工"), "6-31-01-03", 1.5, "electrical_work;works_at_height",
          "electrician", ("电工证",), 1.7, ("电工", "水电工")),
        J(("焊工", "电焊工", "氩弧焊工"), "6-18-02-04", 1, "hot_work", "welder", ("焊工证",), 1.8, ("焊工",)),
        J(("高空外墙清洗", "蜘蛛人外墙清洗"), "4-09-08-01", 0.4, "works_at_height", "height_work", ("",), 2.0,
          ("保洁员",)),
        J(("架子工",), "6-29-01-05", 0.4, "works_at_height;" + _LIFT, "height_work", ("",), 2.0, ("架子工",)),
        J(("厨师", "帮厨", "配菜员", "面点师", "食堂厨工"), "4-03-02-01", 3, _STAND + ";hot_work", "", ("", "健康证"), 1.5,
          ("中式烹调师", "厨师")),
        J(("洗碗工", "后厨洗碗"), "4-03-02-05", 1.5, _STAND, "", ("",), 1.1, ("洗碗工",)),
        J(("餐厅服务员", "酒店前台", "传菜员", "客房服务员"), "4-03-02-05", 3, _STAND, "", ("",), 1.2,
          ("服务员", "客房服务员")),
        J(("保安", "门卫", "小区保安（夜班）", "工厂门卫"), "4-07-05-01", 4, _STAND + ";night_shift", "", ("",), 1.3,
          ("保安员",)),
        J(("保洁员", "物业保洁", "商场保洁"), "4-09-08-01", 4, _STAND, "", ("",), 1.05, ("保洁员",)),
        J(("办公室文员", "行政助理", "数据录入员", "仓库文员", "统计员"), "3-01-02-02", 4, "reading", "",
          ("办公软件", "电脑操作", ""), 1.3, ("秘书", "办公软件")),
        J(("电话客服", "电话销售", "外呼专员", "热线客服"), "4-04-05-03", 3, "telephone;reading", "", ("普通话标准",), 1.4,
          ("客服专员",)),
        J(("在线客服", "文字客服", "网店客服（打字）"), "4-04-05-03", 3, "reading", "", ("打字",), 1.3, ("网络客服",)),
        J(("收银员", "超市收银员"), "4-01-02-04", 2, _STAND, "", ("",), 1.15, ("收银员",)),
        J(("营业员", "导购员", "店员", "超市理货员"), "4-01-02-03", 3, _STAND, "", ("",), 1.2, ("商品营业员", "导购")),
        J(("养老护理员", "护工"), "4-10-01-05", 1.5, _LIFT + ";night_shift", "", ("",), 1.4, ("养老护理员", "护工")),
        J(("会计", "出纳", "记账会计"), "2-06-03-00", 1, "reading", "accounting", ("初级会计", "会计"), 1.6,
          ("会计", "出纳")),
        J(("洗车工",), "4-12-01-01", 0.7, _STAND, "", ("",), 1.2, ("洗车工",)),
        J(("设备维修工", "机修工", "家电维修"), "6-31-01-10", 1, "moving_machinery", "", ("",), 1.6, ("机修工", "家电维修")),
        J(("网店美工", "平面设计"), "4-08-08-09", 0.7, "reading", "", ("PS",), 1.5, ("美工",)),
        J(("直播带货主播",), "4-01-06-01", 0.7, "telephone", "", ("",), 1.6, ("主播",)),
        J(("手工串珠", "饰品加工手工"), "6-05-01-06", 1.5, "", "", ("",), 1.15, ("手工",)),
        J(("建筑小工", "工地杂工"), "6-29-01-01", 1, _LIFT + ";works_at_height", "", ("",), 1.6, ("砌筑工",)),
        J(("喷漆工", "涂装工"), "6-18-03-03", 0.5, "hazardous_substances", "", ("",), 1.5, ("涂装工",)),
    ),
})
"""Jobs of each built-in post kind (kinds not listed keep their CSCO names as titles)."""
