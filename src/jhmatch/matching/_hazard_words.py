"""Word lists that reveal a post's hazards and required certificates (data for :mod:`post_facts`).

Each hazard has the Chinese words that, in a post title, its required skills or a CSCO
2022 occupation name, say the work involves it. The lists were written from the
special-operations catalogue (特种作业目录, 安监总局令第30号 附件), the special-equipment
operator items (特种设备作业人员资格认定分类与项目: 叉车 N1, 起重机 Q), driving licence
classes (机动车驾驶证申领和使用规定 第九条), CSCO 2022 occupation names (驾驶员, 电工, 焊工,
架子工, 装卸搬运工, 呼叫中心服务员, 网约配送员 …) and the words Chinese job boards use for
the same work (司机, 骑手, 蜘蛛人, 外呼, 主播 …).
"""

from __future__ import annotations

HAZARD_WORDS: dict[str, tuple[str, ...]] = {
    "drives_vehicle": ("司机", "驾驶员", "驾驶", "开车", "外卖", "骑手", "配送员", "送餐", "快递员", "快递小哥",
                       "派件", "揽收", "送货", "跑腿", "网约车", "出租车", "货车", "卡车", "代驾", "押运", "叉车",
                       "铲车", "挖掘机", "农机", "摩托", "渣土车", "搅拌车"),
    "works_at_height": ("高空", "高处", "登高", "架子工", "脚手架", "蜘蛛人", "外墙清洗", "外墙", "幕墙", "吊篮",
                        "塔吊", "线路工", "线务员", "爬杆", "空调安装", "广告牌", "屋面", "钢结构", "防水工", "建筑小工", "工地"),
    "electrical_work": ("电工", "电气维修", "电气安装", "电气", "水电工", "水电维修", "强电", "配电", "电力维修",
                        "电梯维修", "电梯安装", "高压电", "低压电", "变电", "线路维修"),
    "hot_work": ("焊工", "电焊", "焊接", "气割", "氩弧", "气焊", "切割工", "厨师", "炒锅", "烹饪", "烹调", "炉工",
                 "锅炉", "熔炼", "铸造", "烧烤", "面点师"),
    "moving_machinery": ("机床", "车床", "铣床", "磨床", "冲床", "冲压", "注塑", "数控", "cnc", "机修", "木工机械",
                         "剪板", "折弯", "电锯", "切割机", "缝纫", "平车", "洗衣房", "熨烫", "烫平", "叉车", "铲车", "挖掘机", "农机", "起重", "行车", "塔吊",
                         "压铸", "机械操作", "设备操作", "操作工", "五金", "电子厂"),
    "heavy_lifting": ("搬运", "装卸", "力工", "扛包", "上货", "送水", "搬家", "建材", "卸货", "码垛", "装车"),
    "prolonged_standing": ("站立", "流水线", "生产线", "营业员", "导购", "售货员", "保安", "巡逻", "餐厅服务员", "餐饮服务员", "客房服务员", "酒店服务员", "传菜",
                           "迎宾", "门岗", "分拣", "理货", "普工", "厨师", "喷漆", "注塑", "冲压", "机床", "车床", "保洁", "清洁工", "巡检", "拣货", "绿化", "园林", "环卫", "清扫", "协管", "讲解", "导游", "护工"),
    "telephone": ("电话", "外呼", "呼叫中心", "话务", "回访", "电销", "热线", "接线员", "主播", "直播带货", "播音", "配音", "有声书", "录音",
                  "语音客服", "接听", "调度员", "讲解", "导游"),
    "reading": ("录入", "打字", "文员", "数据标注", "标注", "审核", "校对", "编辑", "会计", "出纳", "记账", "文秘",
                "档案", "统计员", "单证", "核对", "办公软件", "文案", "报表", "仓库管理", "库管", "登记", "彩票", "朗读", "有声书", "电商", "运营", "网店", "跨境", "文字客服", "在线客服", "网络客服", "美工", "设计", "专职委员", "协管"),
    "hazardous_substances": ("喷漆", "喷涂", "油漆", "化工", "农药", "打药", "消毒", "电镀", "粉尘", "危化", "化学",
                             "酸洗", "危险品"),
    "night_shift": ("夜班", "夜间", "倒班", "三班", "两班倒", "值夜", "通宵", "夜巡", "晚班"),
    "machine_paced": ("流水线", "生产线", "产线", "装配线", "普工"),
    "sight": ("质检", "检验", "品检", "验货", "监控", "安检", "保安", "门卫", "巡逻", "分拣", "挑拣", "拣选", "美甲",
              "雕刻", "绘画", "美工", "修图", "设计", "收银", "剪纸", "木雕"),
    "manual_work": ("保洁", "清洁", "洗碗", "帮厨", "厨房", "厨师", "包装", "打包", "组装", "装配", "缝纫", "编织",
                    "手工", "喷漆", "搬运", "装卸", "理货", "保安", "分拣", "普工", "按摩", "美甲", "刺绣", "种植", "彩票", "收银",
                    "养殖", "绿化", "打字", "录入", "文字客服", "在线客服", "网店客服"),
    "safety_responsibility": ("保安", "门卫", "巡逻", "安检", "护工", "保育", "看护", "养老护理", "托育", "救生"),
}
"""Words per hazard; matched in titles, required skills and occupation names."""

CANCELS: dict[str, tuple[str, ...]] = {
    "telephone": ("文字", "在线客服", "网络客服", "打字", "非语音"),
    "prolonged_standing": ("监控室", "坐岗", "坐姿", "可坐", "坐班"),
}
"""Words in a post's title or required skills that cancel a hazard its occupation or kind
would imply: a text-chat customer-service post is not telephone work even if its
occupation is 呼叫中心服务员; a CCTV-room gatekeeper sits."""

NEGATIONS: tuple[str, ...] = ("无需", "不需要", "不需", "不用", "非", "免", "无", "不含", "不涉及", "不")
"""A word right after one of these does not count (``无需电话``, ``非流水线``, ``不倒班``)."""

CERTIFICATE_WORDS: dict[str, tuple[str, ...]] = {
    "electrician": ("电工",),
    "welder": ("焊工", "电焊", "焊接", "气割", "氩弧", "气焊"),
    "height_work": ("高空作业", "高处作业", "登高", "架子工", "脚手架", "蜘蛛人", "外墙清洗", "吊篮", "幕墙"),
    "forklift": ("叉车",),
    "crane": ("起重机", "行车工", "塔吊", "桥吊", "吊车司机"),
    "blind_medical_massage": ("盲人医疗按摩", "医疗按摩"),
    "accounting": ("会计",),
    "teacher": ("教师", "老师"),
    "nurse": ("护士",),
}
"""Words that say a post needs a certificate (special operations, special equipment,
professions with a legal qualification: 盲人医疗按摩管理办法 2009, 教师法 第十条,
护士条例 第七条). ``会计`` follows the evaluators' reading that accounting posts ask
for 会计专业技术资格."""

CERTIFICATE_EXCEPTIONS: dict[str, tuple[str, ...]] = {
    "accounting": ("会计助理", "助理会计", "会计学徒"),
    "teacher": ("助教", "生活老师", "老师傅"),
    "electrician": ("电工助理", "电工学徒"),
}
"""Titles that contain a certificate word but do not need the certificate."""

# Driving: the lowest class that the vehicle needs; an explicit class in the text wins.
DRIVING_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("driving_a2", ("半挂", "挂车", "牵引车")),
    ("driving_b2", ("大货", "重型货车", "重卡", "渣土车", "搅拌车")),
    ("driving_a1", ("大巴", "大客", "长途客车")),
    ("driving_a3", ("公交",)),
    ("driving_b1", ("中巴", "班车")),
    ("driving_c1", ("货车", "卡车", "厢式")),
    ("driving_c2", ("司机", "驾驶员", "网约车", "出租车", "代驾", "开车", "押运")),
)
"""Vehicle words → the driving licence class they need (机动车驾驶证申领和使用规定 第九条)."""

NO_LICENCE_WORDS: tuple[str, ...] = ("外卖", "骑手", "配送员", "送餐", "快递员", "快递小哥", "跑腿", "叉车", "铲车",
                                     "挖掘机", "农机")
"""Vehicle work that does not need a car driving licence (electric bicycles; in-plant
vehicles need the special-equipment certificate instead)."""
