"""Build ``expectations.csv`` of the safety case suite from ``persons.csv`` and ``posts.csv``.

The rules below are written from occupational and legal sources (named in ``SOURCES``), per post,
independently of jhmatch: nothing here imports jhmatch or reads its tables. Each post gets a list
of demand tags chosen by hand from its title and required skills; each tag is a rule on the
person's recorded category, grade, limbs and refinements. A pair is ``unsafe`` when any rule
fires (the reasons and sources of every rule that fires are joined). ``good`` pairs are listed
by hand in ``GOOD`` and checked never to be unsafe.

Run ``python tests/data/safety/build_expectations.py``; it rewrites ``expectations.csv`` next to it.
All code sits under the ``__main__`` guard so that pytest's doctest collection can import the file.
"""

if __name__ == "__main__":
    import csv
    from pathlib import Path

    HERE = Path(__file__).resolve().parent

    # ------------------------------------------------------------------ sources
    SOURCES = {
        "gbt26341": "GB/T 26341-2010《残疾人残疾分类和分级》",
        "road_law": "《中华人民共和国道路交通安全法》第十九条",
        "m162_cls": "《机动车驾驶证申领和使用规定》(公安部令第162号) 准驾车型",
        "m162_14": "《机动车驾驶证申领和使用规定》(公安部令第162号) 第十四条 身体条件",
        "m162_15": "《机动车驾驶证申领和使用规定》(公安部令第162号) 第十五条 (精神病、痴呆等不得申请)",
        "gbz188_drive": "GBZ 188-2014《职业健康监护技术规范》职业机动车驾驶作业 职业禁忌证",
        "gbz188_elec": "GBZ 188-2014《职业健康监护技术规范》9.1 电工作业 职业禁忌证",
        "gbz188_height": "GBZ 188-2014《职业健康监护技术规范》9.2 高处作业 职业禁忌证",
        "aj30_4": "《特种作业人员安全技术培训考核管理规定》(安监总局令第30号) 第四条",
        "aj30_cat": "《特种作业人员安全技术培训考核管理规定》(安监总局令第30号) 附件 特种作业目录",
        "safety_law": "《中华人民共和国安全生产法》(2021) 第三十条",
        "se_law": "《中华人民共和国特种设备安全法》第十四条",
        "tsg": "TSG Z6001-2019《特种设备作业人员考核规则》申请条件 (叉车司机N1、起重机司机)",
        "gbt3608": "GB/T 3608-2008《高处作业分级》",
        "guard": "《保安服务管理条例》(国务院令第564号) 第十六条",
        "gb3869": "GB 3869-1997《体力劳动强度分级》",
        "ebike": "GB 17761-2018《电动自行车安全技术规范》; 公安部令第162号 第十四条 视力标准 (类推)",
        "gb27607": "GB 27607-2011《机械压力机 安全技术要求》(双手操纵)",
        "gbt5082": "GB/T 5082《起重吊运指挥信号》(手势与音响信号)",
        "massage": "《盲人医疗按摩管理办法》(卫办医政发〔2009〕37号)",
        "acct": "岗位明示的资格要求; 《会计专业技术资格考试暂行规定》",
        "sheltered": "《关于发展残疾人辅助性就业的意见》(中国残联等, 2015)",
        "task": "nature of the task / 岗位工作性质",
    }

    def src(*keys):
        return [SOURCES[k] for k in keys]

    # ------------------------------------------------------------------ persons
    EDU = {"未上学": 0, "小学": 1, "初中": 2, "高中": 3, "中专": 3, "大专": 4, "本科": 5, "研究生": 6}
    COVERS = {  # a licence class covers the classes it includes (公安部令第162号 准驾车型)
        "driving_a1": {"driving_a1", "driving_a3", "driving_b1", "driving_b2", "driving_c1", "driving_c2"},
        "driving_a2": {"driving_a2", "driving_b1", "driving_b2", "driving_c1", "driving_c2"},
        "driving_a3": {"driving_a3", "driving_c1", "driving_c2"},
        "driving_b1": {"driving_b1", "driving_c1", "driving_c2"},
        "driving_b2": {"driving_b2", "driving_c1", "driving_c2"},
        "driving_c1": {"driving_c1", "driving_c2"},
        "driving_c2": {"driving_c2"},
        "driving_c5": {"driving_c5"},
    }

    def person(row):
        cat = row["category"]
        comps = set(row["components"].split(";")) if cat == "multiple" else {cat}
        g = int(row["grade"])
        limbs = row["limbs"] or "both"
        held = set()
        for c in filter(None, row["certificates"].split(";")):
            held |= COVERS.get(c, {c})

        def grade_of(c):
            return g if c in comps else 0

        phys = grade_of("physical")
        return {
            "id": row["person_id"],
            "vis": grade_of("visual"),
            "hear": grade_of("hearing"),
            "speech": grade_of("speech"),
            "phys": phys,
            "upper": phys if limbs in ("upper", "both") else 0,
            "lower": phys if limbs in ("lower", "both") else 0,
            "intel": grade_of("intellectual"),
            "ment": grade_of("mental"),
            "wc": row["wheelchair"] == "true",
            "aid": row["hearing_aid"] == "true",
            "illiterate": row["literate"] == "false",
            "edu": EDU[row["education"]],
            "certs": held,
        }

    def le(value, n):
        """Grade ``value`` is recorded (non-zero) and at most ``n`` (1 is most severe)."""
        return 0 < value <= n

    # ------------------------------------------------------------------ rules
    CERT_NAMES = {
        "driving_b2": ("a B2 driving licence", "B2驾驶证", ("road_law", "m162_cls")),
        "driving_c1": ("a C1 driving licence", "C1驾驶证", ("road_law", "m162_cls")),
        "forklift": ("a forklift operator certificate (N1)", "叉车司机证（N1）", ("se_law", "tsg")),
        "crane": ("a crane operator certificate", "起重机司机证", ("se_law", "tsg")),
        "electrician": ("an electrician special-operation certificate", "电工特种作业操作证", ("safety_law", "aj30_cat")),
        "welder": ("a welding special-operation certificate", "焊接与热切割作业操作证", ("safety_law", "aj30_cat")),
        "height_work": ("a work-at-height special-operation certificate", "高处作业操作证", ("safety_law", "aj30_cat")),
        "accounting": ("an accounting qualification", "会计专业技术资格", ("acct",)),
        "blind_medical_massage": ("a blind medical massage qualification", "盲人医疗按摩人员资格", ("massage",)),
    }

    def r_lic(p, cert):
        if cert in p["certs"]:
            return []
        en, zh, keys = CERT_NAMES[cert]
        return [(f"legally barred: the post requires {en}, which the person does not hold",
                 f"无岗位要求的{zh}，依法不得上岗", src(*keys))]

    def r_road(p, large):
        out = []
        if p["vis"]:
            out.append(("visual disability: best-corrected acuity below 0.3 (log 4.5), under the 4.9 (5.0 for large vehicles) every licence requires",
                        "视力残疾：最佳矫正视力低于0.3，达不到驾驶证要求的对数视力表4.9（大型车5.0）", src("gbt26341", "m162_14")))
        if p["hear"] and large:
            out.append(("hearing disability: hearing aids are accepted only for small-car classes, not for a B2 truck",
                        "听力残疾：佩戴助听设备只能申请小型汽车准驾车型，不能驾驶B2货车", src("m162_14")))
        if le(p["hear"], 3) and not p["aid"] and not large:
            out.append(("hearing loss of 61 dB or more without a hearing aid: cannot pass the 50 cm tuning-fork test",
                        "听力损失61分贝以上且未佩戴助听器：达不到两耳距音叉50厘米辨别声源方向", src("gbt26341", "m162_14")))
        if le(p["upper"], 3):
            out.append(("upper-limb disability: a licence needs both thumbs, three sound fingers on each hand and normal arm movement",
                        "上肢残疾：驾驶证要求双手拇指健全、每手三指健全且肢体运动功能正常", src("m162_14")))
        if le(p["lower"], 3) or p["wc"]:
            out.append(("lower-limb disability: manual cars and trucks need both legs with normal movement (only C2 or C5 remain open)",
                        "下肢残疾：手动挡汽车和货车要求双下肢健全且运动功能正常（仅可申请C2或C5）", src("m162_14")))
        if p["ment"]:
            out.append(("mental disorder (精神病) bars a driving licence and is a contraindication for occupational driving",
                        "精神病属不得申请机动车驾驶证的情形，也是职业驾驶禁忌证", src("m162_15", "gbz188_drive")))
        if le(p["intel"], 3):
            out.append(("moderate to profound intellectual disability: cannot take the theory test or judge traffic safely",
                        "中度及以上智力残疾：无法参加科目一考试，不能安全判断路况", src("gbt26341", "task")))
        return out

    def r_ebike(p):
        out = []
        if p["vis"]:
            out.append(("visual disability: riding an e-bike in city traffic needs the vision any driver must have (4.9)",
                        "视力残疾：在城市道路骑行需具备驾驶人视力（对数视力表4.9）", src("gbt26341", "ebike")))
        if le(p["upper"], 3):
            out.append(("upper-limb disability: both hands are needed for handlebars, both brakes and carrying orders",
                        "上肢残疾：骑行需双手握把、双手制动并搬运货品", src("ebike", "task")))
        if le(p["lower"], 3) or p["wc"]:
            out.append(("lower-limb disability: delivery means balancing the bike, walking and climbing stairs with goods",
                        "下肢残疾：配送需支撑车辆、步行并提货上楼", src("task", "gb3869")))
        if le(p["intel"], 3):
            out.append(("moderate to profound intellectual disability: cannot find routes and judge traffic under time pressure",
                        "中度及以上智力残疾：不能在时限压力下找路并判断路况", src("gbt26341", "task")))
        if le(p["ment"], 3):
            out.append(("moderate to severe mental disability: riding in traffic under time pressure (a mental disorder bars a driving licence)",
                        "中度及以上精神残疾：限时道路骑行存在安全风险（精神病不得申请驾驶证）", src("m162_15", "task")))
        return out

    def r_forklift(p):
        out = []
        if p["vis"]:
            out.append(("visual disability: driving a forklift among people and racks needs full sight",
                        "视力残疾：在人员和货架间驾驶叉车需要良好视力", src("tsg", "gbz188_drive")))
        if le(p["hear"], 2) and not p["aid"]:
            out.append(("profound hearing loss without aid: cannot hear horns and warnings in a busy warehouse",
                        "重度听力损失且未佩戴助听器：听不到仓库中的喇叭和警示", src("tsg", "task")))
        if le(p["upper"], 3) or le(p["lower"], 3) or p["wc"]:
            out.append(("limb disability: a forklift needs both hands on the controls and feet on the pedals",
                        "肢体残疾：叉车操作需双手操纵和双脚踏板", src("tsg")))
        if le(p["ment"], 3) or le(p["intel"], 3):
            out.append(("special-equipment operators need full civil capacity and no disqualifying illness",
                        "特种设备作业人员须具有完全民事行为能力且无妨碍作业的疾病", src("tsg")))
        return out

    def r_crane(p):
        out = []
        if p["vis"]:
            out.append(("visual disability: crane operation needs full sight of the load and people below",
                        "视力残疾：行车吊运需看清吊物和下方人员", src("tsg")))
        if le(p["hear"], 2) and not p["aid"]:
            out.append(("profound hearing loss without aid: crane signals include whistle signals",
                        "重度听力损失且未佩戴助听器：吊运指挥信号包括音响信号", src("gbt5082", "tsg")))
        if le(p["upper"], 3):
            out.append(("upper-limb disability: crane controls need both hands", "上肢残疾：行车操纵需双手", src("tsg")))
        if le(p["ment"], 3) or le(p["intel"], 3):
            out.append(("special-equipment operators need full civil capacity and no disqualifying illness",
                        "特种设备作业人员须具有完全民事行为能力且无妨碍作业的疾病", src("tsg")))
        return out

    def r_special_common(p):
        out = []
        if p["ment"]:
            out.append(("mental illness (精神病) excludes special operations", "精神病者不得从事特种作业", src("aj30_4")))
        if le(p["intel"], 3):
            out.append(("moderate to profound intellectual disability: special operations need the safety knowledge of a certified operator",
                        "中度及以上智力残疾：不具备特种作业必要的安全技术知识", src("aj30_4", "gbt26341")))
        if p["edu"] < 2:
            out.append(("special operations require at least junior secondary education", "特种作业要求初中及以上文化程度", src("aj30_4")))
        return out

    def r_elec(p):
        out = []
        if p["vis"]:
            out.append(("visual disability: electrical work needs normal sight and colour vision (red-green colour blindness is a contraindication)",
                        "视力残疾：电工作业需要正常视力和辨色力（红绿色盲为职业禁忌证）", src("gbz188_elec")))
        if p["phys"]:
            out.append(("limb disability: impaired movement of limb joints is an occupational contraindication for electrical work",
                        "肢体残疾：四肢关节运动功能障碍为电工作业职业禁忌证", src("gbz188_elec")))
        return out + r_special_common(p)

    def r_weld(p):
        out = []
        if p["vis"]:
            out.append(("visual disability: welding needs sight of the arc and the weld pool", "视力残疾：焊接需看清电弧和熔池",
                        src("aj30_4", "task")))
        if le(p["upper"], 3):
            out.append(("upper-limb disability: welding needs both hands for torch and work piece", "上肢残疾：焊接需双手持枪和工件",
                        src("aj30_4", "task")))
        return out + r_special_common(p)

    def r_height(p):
        out = []
        if p["vis"]:
            out.append(("visual disability: work at 2 m or more needs sight to place feet and anchors and see hazards",
                        "视力残疾：2米以上高处作业需看清落脚点、挂点和危险", src("gbt3608", "aj30_4")))
        if p["phys"]:
            out.append(("limb disability: impaired limb joints and movement is an occupational contraindication for work at height",
                        "肢体残疾：四肢骨关节及运动功能障碍为高处作业职业禁忌证", src("gbz188_height")))
        return out + r_special_common(p)

    def r_guard_patrol(p):
        out = []
        if le(p["vis"], 3):
            out.append(("visual disability: gate and patrol duty need sight to watch people, vehicles and fire",
                        "视力残疾：门岗巡逻需看清人员、车辆和火情", src("guard", "task")))
        if le(p["hear"], 2) and not p["aid"]:
            out.append(("profound hearing loss without aid: a guard must hear alarms, calls and the radio",
                        "重度听力损失且未佩戴助听器：保安需听到报警、呼救和对讲机", src("task")))
        if le(p["upper"], 2):
            out.append(("no functional arms: cannot use a fire extinguisher or barriers in an emergency",
                        "双上肢功能严重障碍：紧急情况下无法使用灭火器和路障", src("task")))
        if le(p["lower"], 2) or p["wc"]:
            out.append(("severe lower-limb disability: patrol means walking for most of the shift", "重度下肢残疾：巡逻需整班步行",
                        src("task")))
        if le(p["intel"], 3) or le(p["ment"], 3):
            out.append(("a security guard must be healthy and handle conflicts and emergencies alone",
                        "保安员须身体健康，能独立处置冲突和突发事件", src("guard", "task")))
        if p["edu"] < 2:
            out.append(("a security guard certificate requires junior secondary education", "申领保安员证须具有初中以上学历",
                        src("guard")))
        return out

    def r_guard_desk(p):
        out = []
        if le(p["vis"], 2):
            out.append(("no useful sight: CCTV monitoring and visitor checks are impossible", "无有效视力：无法监控和核验来访",
                        src("task")))
        if le(p["ment"], 2):
            out.append(("severe mental disability: a guard must be healthy and handle emergencies alone",
                        "重度精神残疾：保安员须身体健康并能独立处置突发事件", src("guard")))
        if p["edu"] < 2:
            out.append(("a security guard certificate requires junior secondary education", "申领保安员证须具有初中以上学历",
                        src("guard")))
        return out

    def r_heavy(p):
        out = []
        if le(p["vis"], 2):
            out.append(("no useful sight: carrying heavy loads among vehicles and stacks", "无有效视力：在车辆和货堆间搬运重物",
                        src("gb3869", "task")))
        if le(p["upper"], 3):
            out.append(("upper-limb disability: regular lifting over 20 kg needs both arms", "上肢残疾：经常搬举20公斤以上重物需双臂",
                        src("gb3869")))
        if le(p["lower"], 3) or p["wc"]:
            out.append(("lower-limb disability: carrying heavy loads needs stable legs", "下肢残疾：搬运重物需下肢稳定",
                        src("gb3869")))
        return out

    def r_stand(p):
        if le(p["lower"], 2) or p["wc"]:
            return [("wheelchair or crutch user: the job means standing or walking for most of the shift",
                     "使用轮椅或拐杖：岗位需整班站立或行走", src("task", "gbt26341"))]
        return []

    def r_mach_high(p):
        out = []
        if le(p["vis"], 3):
            out.append(("low vision or blindness at presses or moulding machines: crush and amputation risk",
                        "视力残疾操作冲床或注塑机等：有挤压和截肢风险", src("gb27607", "task")))
        if le(p["upper"], 3):
            out.append(("upper-limb disability: the machine needs two hands (two-hand controls, loading parts)",
                        "上肢残疾：设备需双手操作（双手按钮、上下料）", src("gb27607")))
        if le(p["intel"], 3):
            out.append(("moderate to profound intellectual disability: cannot follow machine-safety procedures alone",
                        "中度及以上智力残疾：不能独立遵守机械安全操作规程", src("gbt26341", "task")))
        if le(p["ment"], 2):
            out.append(("severe mental disability at dangerous machinery", "重度精神残疾操作危险机械", src("task")))
        return out

    def r_mach_low(p):
        out = []
        if le(p["vis"], 2):
            out.append(("no useful sight: needles, blades or power tools need sight", "无有效视力：针、刀片或电动工具作业需视力",
                        src("task")))
        if le(p["upper"], 3):
            out.append(("upper-limb disability: both hands guide the work at the machine", "上肢残疾：需双手配合送料操作",
                        src("task")))
        if le(p["intel"], 2):
            out.append(("severe intellectual disability at power machinery", "重度智力残疾操作电动机械", src("gbt26341", "task")))
        return out

    def r_cook(p):
        out = []
        if le(p["vis"], 2):
            out.append(("no useful sight: open flames, hot oil and knives", "无有效视力：明火、热油和刀具", src("task")))
        if le(p["upper"], 2):
            out.append(("severe upper-limb disability: cooking needs both hands", "重度上肢残疾：烹饪需双手", src("task")))
        if le(p["intel"], 3):
            out.append(("moderate to profound intellectual disability: cannot manage fire and hot oil alone",
                        "中度及以上智力残疾：不能独立安全使用明火和热油", src("gbt26341", "task")))
        if le(p["ment"], 2):
            out.append(("severe mental disability: fire, hot oil and knives", "重度精神残疾：明火、热油和刀具", src("task")))
        return out

    def r_phone(p):
        out = []
        if le(p["hear"], 3) and not p["aid"]:
            out.append(("hearing loss of 61 dB or more without a hearing aid: telephone work needs hearing",
                        "听力损失61分贝以上且未佩戴助听器：电话工作需要听力", src("gbt26341", "task")))
        if p["speech"]:
            out.append(("speech disability: telephone work needs intelligible speech all day", "言语残疾：电话工作需全天清晰说话",
                        src("gbt26341", "task")))
        return out

    def r_voice(p):
        if p["speech"]:
            return [("speech disability: live hosting is talking to camera for hours", "言语残疾：直播需长时间口头讲解",
                     src("gbt26341", "task"))]
        return []

    def r_ear(p):
        if p["hear"]:
            return [("hearing disability: piano tuning is done by ear", "听力残疾：钢琴调律靠耳朵辨音", src("gbt26341", "task"))]
        return []

    def r_vis(p, n, what_en, what_zh):
        if le(p["vis"], n):
            return [(f"visual disability (grade {p['vis']}): {what_en}", f"视力残疾（{p['vis']}级）：{what_zh}",
                     src("gbt26341", "task"))]
        return []

    def r_read(p):
        if p["illiterate"]:
            return [("cannot read or write: the job needs reading", "不识字：岗位需要读写", src("task"))]
        return []

    def r_hands(p, n, what_en, what_zh):
        if le(p["upper"], n):
            return [(f"upper-limb disability (grade {p['upper']}): {what_en}", f"上肢残疾（{p['upper']}级）：{what_zh}",
                     src("gbt26341", "task"))]
        return []

    def r_roadside(p):
        out = []
        if le(p["vis"], 2):
            out.append(("no useful sight: roadside work beside traffic with power tools", "无有效视力：在车流旁使用电动工具作业",
                        src("task")))
        if le(p["intel"], 2) or le(p["ment"], 2):
            out.append(("severe intellectual or mental disability: roadside work beside traffic", "重度智力或精神残疾：在车流旁作业",
                        src("task")))
        return out

    def r_chem(p):
        if le(p["intel"], 2) or le(p["ment"], 2):
            return [("severe intellectual or mental disability: flammable solvents and spray equipment",
                     "重度智力或精神残疾：接触易燃溶剂和喷涂设备", src("task"))]
        return []

    def r_site(p):
        if le(p["intel"], 2) or le(p["ment"], 2):
            return [("severe intellectual or mental disability: cannot recognise and avoid site hazards (vehicles, conveyors, falling loads) alone",
                     "重度智力或精神残疾：不能独立识别和避开现场危险（车辆、输送线、坠物）", src("gbt26341", "task"))]
        return []

    def r_interact(p):
        if le(p["vis"], 2) and le(p["hear"], 2) and not p["aid"]:
            return [("deaf-blind: the job is face-to-face service to the public, who do not use tactile signing",
                     "聋盲：岗位需面对公众服务，而公众不会触摸手语", src("task"))]
        return []

    def r_care(p):
        if le(p["intel"], 3) or le(p["ment"], 2):
            return [("responsible for the safety of vulnerable trainees", "需对残疾学员的安全负责", src("task"))]
        return []

    COG_WORDS = {1: ("supervised routine with some judgement", "有一定判断的常规作业"),
                 2: ("independent work with reading, money or judgement", "需读写、收款或独立判断的工作"),
                 3: ("professional or skilled technical work", "专业或技术性工作")}

    def r_cog(p, level):
        out = []
        intel_limit = {1: 1, 2: 2, 3: 3, 4: 3}
        ment_limit = {1: 1, 2: 2}
        en, zh = COG_WORDS.get(level, ("", ""))
        if p["intel"] and level >= intel_limit[p["intel"]]:
            out.append((f"intellectual disability grade {p['intel']}: {en} is beyond reach",
                        f"{p['intel']}级智力残疾：无法胜任{zh}", src("gbt26341")))
        if p["ment"] in ment_limit and level >= ment_limit[p["ment"]]:
            out.append((f"mental disability grade {p['ment']}: {en} is beyond reach",
                        f"{p['ment']}级精神残疾：无法胜任{zh}", src("gbt26341")))
        return out

    # ------------------------------------------------------------------ post demand profiles (by hand, from title and skills)
    V_INSPECT = ("visual inspection of small defects needs good sight", "外观检验需看清细小瑕疵")
    V_SCREEN = ("the work is visual (images, video or CCTV)", "工作以图像、视频或监控画面为主")
    V_PRINT = ("the work needs reading print, labels or money", "需阅读纸质单据、标签或识别钞票")
    V_MOVING = ("moving vehicles around the work area", "作业区有车辆往来")
    V_TOOLS = ("sharp tools need sight", "锋利工具需视力")
    V_GOODS = ("telling goods, produce or tea buds apart needs sight", "辨认商品、果蔬或茶芽需视力")
    V_CABLE = ("cabling and hardware work needs sight", "布线和硬件维护需视力")
    HANDS_FINE = ("the work needs fine movements of both hands", "工作需双手精细动作")
    HANDS_MANUAL = ("manual work is impossible without functional hands", "无功能手无法从事手工作业")

    POSTS = {
        "SP01": [("ebike",), ("stand",), ("cog", 1)],
        "SP02": [("lic", "driving_b2"), ("road", True), ("heavy",), ("cog", 2)],
        "SP03": [("lic", "forklift"), ("forklift",), ("cog", 1)],
        "SP04": [("lic", "electrician"), ("elec",), ("cog", 3)],
        "SP05": [("lic", "height_work"), ("height",), ("cog", 1)],
        "SP06": [("lic", "height_work"), ("height",), ("heavy",), ("cog", 1)],
        "SP07": [("lic", "welder"), ("weld",), ("cog", 2)],
        "SP08": [("cook",), ("stand",), ("cog", 2)],
        "SP09": [("vis", 4, *V_INSPECT), ("hands", 2, *HANDS_MANUAL), ("cog", 1)],
        "SP10": [("guard_patrol",), ("stand",), ("cog", 1)],
        "SP11": [("site",), ("heavy",), ("stand",), ("vis", 3, *V_PRINT), ("read",), ("cog", 1)],
        "SP12": [("hands", 2, *HANDS_MANUAL), ("cog", 0)],
        "SP13": [("site",), ("heavy",), ("stand",), ("cog", 0)],
        "SP14": [("read",), ("vis", 2, *V_PRINT), ("cog", 2)],
        "SP15": [("ebike",), ("heavy",), ("stand",), ("cog", 1)],
        "SP16": [("lic", "driving_c1"), ("road", False), ("cog", 2)],
        "SP17": [("mach_high",), ("stand",), ("cog", 1)],
        "SP18": [("mach_high",), ("stand",), ("cog", 1)],
        "SP19": [("mach_low",), ("cog", 1)],
        "SP20": [("hands", 2, *HANDS_MANUAL), ("stand",), ("cog", 0)],
        "SP21": [("hands", 2, *HANDS_MANUAL), ("stand",), ("cog", 0)],
        "SP22": [("site",), ("heavy",), ("stand",), ("hands", 2, *HANDS_MANUAL), ("cog", 0)],
        "SP23": [("guard_desk",), ("vis", 2, *V_SCREEN), ("read",), ("cog", 1)],
        "SP24": [("lic", "driving_c1"), ("road", False), ("heavy",), ("cog", 2)],
        "SP25": [("lic", "crane"), ("crane",), ("cog", 2)],
        "SP26": [("vis", 2, *V_TOOLS), ("stand",), ("chem",), ("hands", 2, *HANDS_MANUAL), ("cog", 1)],
        "SP27": [("site",), ("vis", 2, *V_MOVING), ("stand",), ("hands", 2, *HANDS_MANUAL), ("cog", 0)],
        "SP28": [("phone",), ("read",), ("cog", 2)],
        "SP29": [("phone",), ("cog", 2)],
        "SP30": [("read",), ("cog", 2)],
        "SP31": [("read",), ("cog", 2)],
        "SP32": [("interact",), ("voice",), ("cog", 2)],
        "SP33": [("vis", 2, *V_SCREEN), ("read",), ("cog", 2)],
        "SP34": [("lic", "accounting"), ("read",), ("cog", 3)],
        "SP35": [("hands", 2, *HANDS_MANUAL), ("vis", 2, *V_PRINT), ("read",), ("cog", 2)],
        "SP36": [("hands", 3, *HANDS_FINE), ("stand",), ("cog", 2)],
        "SP37": [("lic", "blind_medical_massage"), ("hands", 3, *HANDS_FINE), ("stand",), ("cog", 3)],
        "SP38": [("hands", 3, *HANDS_FINE), ("cog", 0)],
        "SP39": [("hands", 1, *HANDS_MANUAL), ("cog", 0)],
        "SP40": [("interact",), ("care",), ("cog", 2)],
        "SP41": [("interact",), ("cog", 2)],
        "SP42": [("hands", 2, *HANDS_MANUAL), ("stand",), ("cog", 0)],
        "SP43": [("roadside",), ("mach_low",), ("stand",), ("hands", 2, *HANDS_MANUAL), ("cog", 1)],
        "SP44": [("vis", 2, *V_GOODS), ("stand",), ("hands", 2, *HANDS_MANUAL), ("cog", 1)],
        "SP45": [("interact",), ("hands", 2, *HANDS_MANUAL), ("vis", 2, *V_PRINT), ("cog", 2)],
        "SP46": [("vis", 2, *V_SCREEN), ("cog", 3)],
        "SP47": [("hands", 2, *HANDS_MANUAL), ("cog", 0)],
        "SP48": [("hands", 2, *HANDS_MANUAL), ("cog", 0)],
        "SP49": [("interact",), ("vis", 2, *V_PRINT), ("cog", 2)],
        "SP50": [("interact",), ("phone",), ("read",), ("cog", 2)],
        "SP51": [("interact",), ("read",), ("cog", 2)],
        "SP52": [("read",), ("cog", 3)],
        "SP53": [("read",), ("vis", 2, *V_PRINT), ("cog", 2)],
        "SP54": [("hands", 2, *HANDS_MANUAL), ("read",), ("vis", 2, *V_PRINT), ("cog", 2)],
        "SP55": [("stand",), ("hands", 2, *HANDS_MANUAL), ("cog", 1)],
        "SP56": [("mach_high",), ("stand",), ("cog", 1)],
        "SP57": [("interact",), ("vis", 2, *V_PRINT), ("stand",), ("hands", 2, *HANDS_MANUAL), ("cog", 1)],
        "SP58": [("vis", 2, *V_GOODS), ("stand",), ("hands", 2, *HANDS_MANUAL), ("cog", 0)],
        "SP59": [("stand",), ("heavy",), ("cog", 1)],
        "SP60": [("vis", 2, *V_GOODS), ("stand",), ("hands", 2, *HANDS_MANUAL), ("cog", 0)],
        "SP61": [("interact",), ("hands", 2, *HANDS_MANUAL), ("vis", 2, *V_PRINT), ("cog", 2)],
        "SP62": [("phone",), ("cog", 2)],
        "SP63": [("vis", 4, *V_INSPECT), ("hands", 3, *HANDS_FINE), ("cog", 2)],
        "SP64": [("vis", 3, *V_TOOLS), ("hands", 3, *HANDS_FINE), ("mach_low",), ("cog", 1)],
        "SP65": [("hands", 2, *HANDS_MANUAL), ("vis", 2, *V_SCREEN), ("read",), ("cog", 2)],
        "SP66": [("vis", 2, *V_SCREEN), ("read",), ("cog", 2)],
        "SP67": [("ear",), ("hands", 3, *HANDS_FINE), ("cog", 3)],
        "SP68": [("phone",), ("read",), ("cog", 2)],
        "SP69": [("hands", 2, *HANDS_MANUAL), ("vis", 2, *V_CABLE), ("read",), ("cog", 3)],
        "SP70": [("hands", 1, *HANDS_MANUAL), ("cog", 0)],
    }

    RULES = {
        "lic": r_lic, "road": r_road, "ebike": r_ebike, "forklift": r_forklift, "crane": r_crane,
        "elec": r_elec, "weld": r_weld, "height": r_height, "guard_patrol": r_guard_patrol,
        "guard_desk": r_guard_desk, "heavy": r_heavy, "stand": r_stand, "mach_high": r_mach_high,
        "mach_low": r_mach_low, "cook": r_cook, "phone": r_phone, "voice": r_voice, "ear": r_ear,
        "vis": r_vis, "read": r_read, "hands": r_hands, "roadside": r_roadside, "chem": r_chem,
        "care": r_care, "site": r_site, "interact": r_interact, "cog": r_cog,
    }

    # ------------------------------------------------------------------ good pairs (by hand)
    GOOD = {
        "SF01": ["SP37", "SP36", "SP29"], "SF02": ["SP28", "SP29", "SP30", "SP62"],
        "SF03": ["SP36", "SP29", "SP62"], "SF04": ["SP67", "SP29", "SP68"],
        "SF05": ["SP30", "SP31", "SP29", "SP28"], "SF06": ["SP47", "SP48", "SP12"],
        "SF07": ["SP34", "SP35", "SP31"], "SF08": ["SP12", "SP44", "SP60", "SP48"],
        "SF09": ["SP36", "SP39", "SP70"], "SF10": ["SP68", "SP29", "SP28", "SP62"],
        "SF11": ["SP19", "SP12", "SP09", "SP48"], "SF12": ["SP46", "SP33", "SP31"],
        "SF13": ["SP53", "SP30", "SP33", "SP31", "SP65"], "SF14": ["SP20", "SP08", "SP12", "SP55"],
        "SF15": ["SP24", "SP16", "SP15", "SP13"], "SF16": ["SP11", "SP12", "SP60", "SP13"],
        "SF17": ["SP04", "SP14", "SP69"], "SF18": ["SP14", "SP53", "SP44"],
        "SF19": ["SP47", "SP48", "SP12"], "SF20": ["SP27", "SP21", "SP42", "SP55"],
        "SF21": ["SP02", "SP03", "SP24", "SP16"], "SF22": ["SP38", "SP47", "SP48"],
        "SF23": ["SP07", "SP18", "SP17"], "SF24": ["SP31", "SP30", "SP33"],
        "SF25": ["SP59", "SP58", "SP60"], "SF26": ["SP30", "SP31", "SP53", "SP33"],
        "SF27": ["SP08", "SP20", "SP57"], "SF28": ["SP10", "SP23", "SP49"],
        "SF29": ["SP10", "SP23", "SP49"], "SF30": ["SP30", "SP31", "SP53", "SP33"],
        "SF31": ["SP34", "SP53", "SP30"], "SF32": ["SP45", "SP23", "SP49", "SP41"],
        "SF33": ["SP03", "SP14", "SP44"], "SF34": ["SP32", "SP28", "SP29", "SP62"],
        "SF35": ["SP29", "SP62", "SP28"], "SF36": ["SP12", "SP11", "SP60", "SP44"],
        "SF37": ["SP52", "SP29", "SP68"], "SF38": ["SP39", "SP70"],
        "SF39": ["SP46", "SP33", "SP31"], "SF40": ["SP38", "SP47", "SP48"],
        "SF41": ["SP42", "SP49", "SP23"], "SF42": ["SP08", "SP20", "SP57"],
        "SF43": ["SP23", "SP49", "SP65"], "SF44": ["SP24", "SP16", "SP15"],
        "SF45": ["SP39", "SP70"], "SF46": ["SP39", "SP70", "SP48"],
        "SF47": ["SP20", "SP42", "SP21", "SP39"], "SF48": ["SP12", "SP60", "SP39", "SP48"],
        "SF49": ["SP44", "SP12", "SP42", "SP60"], "SF50": ["SP27", "SP13", "SP21"],
        "SF51": ["SP39", "SP70", "SP48"], "SF52": ["SP55", "SP56", "SP21"],
        "SF53": ["SP39", "SP70"], "SF54": ["SP38", "SP39", "SP70"],
        "SF55": ["SP65", "SP53", "SP54", "SP30"], "SF56": ["SP42", "SP43", "SP21"],
        "SF57": ["SP46", "SP33", "SP66"], "SF58": ["SP44", "SP45", "SP49"],
        "SF59": ["SP12", "SP44", "SP60", "SP14"], "SF60": ["SP58", "SP60", "SP59"],
        "SF61": ["SP39", "SP70", "SP38"], "SF62": ["SP09", "SP12", "SP19", "SP48"],
        "SF63": ["SP42", "SP39", "SP70", "SP21"], "SF64": ["SP62", "SP29", "SP28"],
        "SF65": ["SP65", "SP12", "SP48"], "SF66": ["SP36", "SP47", "SP12"],
        "SF67": ["SP12", "SP19", "SP48"], "SF68": ["SP39", "SP70", "SP48"],
    }
    # Must-not-exclude cases and other good pairs whose reason is more than a skills match.
    GOOD_REASONS = {
        ("SF21", "SP02"): ("holds B2; the licence's body conditions set no speech requirement",
                           "持B2驾照；驾驶证身体条件对言语无要求", src("m162_14")),
        ("SF21", "SP03"): ("holds a forklift certificate; operating a forklift needs no speech",
                           "持叉车证；叉车作业不需要言语", src("tsg")),
        ("SF21", "SP24"): ("B2 covers C1; no speech requirement", "B2准驾车型包含C1；对言语无要求", src("m162_cls", "m162_14")),
        ("SF21", "SP16"): ("B2 covers C1; no speech requirement", "B2准驾车型包含C1；对言语无要求", src("m162_cls", "m162_14")),
        ("SF22", "SP38"): ("skilled crochet knitter; knitting needs hands and sight, not speech",
                           "钩针编织熟练；编织需要双手和视力，不需要言语", src("task")),
        ("SF61", "SP39"): ("tactile handwork (beads, labels) with a job coach; sheltered employment is meant for severe disabilities",
                           "有辅导员带教的触觉手工（串珠、贴标）；辅助性就业面向重度残疾人", src("sheltered", "task")),
        ("SF61", "SP70"): ("Chinese-knot tying is tactile handwork the person already does, with a job coach",
                           "中国结编织为其已掌握的触觉手工，有辅导员带教", src("sheltered", "task")),
        ("SF29", "SP10"): ("one arm does not prevent watching, patrol or registering visitors; the guard conditions are age, health, conduct and education",
                           "一臂缺失不妨碍门岗、巡逻和登记；保安员条件为年龄、健康、品行和学历", src("guard")),
        ("SF30", "SP30"): ("seated remote text work; the wheelchair is irrelevant", "居家坐姿文字工作，轮椅不受影响", src("task")),
        ("SF30", "SP31"): ("seated remote text work with e-commerce support experience", "居家坐姿文字客服，有电商客服经验", src("task")),
        ("SF11", "SP09"): ("visual inspection needs sight and hands, not hearing; written instructions offered",
                           "外观检验需要视力和双手，不需要听力；提供书面指引", src("task")),
        ("SF11", "SP12"): ("packing needs sight and hands, not hearing", "包装需要视力和双手，不需要听力", src("task")),
        ("SF62", "SP09"): ("has done jewellery inspection; needs sight and hands, not hearing or speech",
                           "做过饰品质检；需要视力和双手，不需要听力和言语", src("task")),
        ("SF62", "SP12"): ("packing needs sight and hands, not hearing or speech", "包装需要视力和双手，不需要听力和言语", src("task")),
        ("SF15", "SP24"): ("holds C1; hearing aids are accepted for small-car classes", "持C1驾照；小型汽车准驾车型允许佩戴助听设备",
                           src("m162_14")),
        ("SF15", "SP16"): ("holds C1; hearing aids are accepted for small-car classes", "持C1驾照；小型汽车准驾车型允许佩戴助听设备",
                           src("m162_14")),
        ("SF17", "SP04"): ("holds an electrician certificate; hearing loss is not a contraindication for electrical work",
                           "持电工证；听力损失不是电工作业职业禁忌证", src("gbz188_elec")),
        ("SF23", "SP07"): ("holds a welding certificate; welding needs no speech", "持焊工证；焊接不需要言语", src("aj30_4")),
        ("SF01", "SP37"): ("holds the blind medical massage qualification", "持盲人医疗按摩人员资格", src("massage")),
        ("SF07", "SP34"): ("holds an accounting qualification; office work with magnification", "持会计资格；可借助放大软件办公",
                           src("acct")),
        ("SF31", "SP34"): ("holds an accounting qualification; the office is step-free", "持会计资格；办公场所无障碍", src("acct")),
        ("SF33", "SP03"): ("holds a forklift certificate; mild leg impairment does not affect the pedals",
                           "持叉车证；下肢轻度障碍不影响踏板操作", src("tsg")),
        ("SF44", "SP24"): ("holds C1; mild ankle impairment within the licence's conditions", "持C1驾照；踝关节轻度障碍符合驾驶证条件",
                           src("m162_14")),
        ("SF44", "SP16"): ("holds C1; mild ankle impairment within the licence's conditions", "持C1驾照；踝关节轻度障碍符合驾驶证条件",
                           src("m162_14")),
    }

    # ------------------------------------------------------------------ build
    def read(name):
        with open(HERE / name, encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))

    persons = read("persons.csv")
    posts = {row["post_id"]: row for row in read("posts.csv")}
    assert set(posts) == set(POSTS), set(posts) ^ set(POSTS)

    rows = []
    unsafe = set()
    for prow in persons:
        p = person(prow)
        for post_id, tags in POSTS.items():
            reasons = []
            for tag, *args in tags:
                reasons.extend(RULES[tag](p, *args))
            if not reasons:
                continue
            en, zh, sources = [], [], []
            for r_en, r_zh, r_src in reasons:
                for lst, item in ((en, r_en), (zh, r_zh)):
                    if item not in lst:
                        lst.append(item)
                for s in r_src:
                    if s not in sources:
                        sources.append(s)
            unsafe.add((p["id"], post_id))
            rows.append((p["id"], post_id, "unsafe", "; ".join(en), "；".join(zh), "; ".join(sources)))

    skills = {row["person_id"]: row["skills"] for row in persons}
    person_ids = {row["person_id"] for row in persons}
    assert set(GOOD) <= person_ids, set(GOOD) - person_ids
    for pid, post_ids in GOOD.items():
        for post_id in post_ids:
            assert post_id in posts, (pid, post_id)
            if (pid, post_id) in unsafe:
                raise SystemExit(f"good pair {pid} {post_id} is also unsafe")
            title = posts[post_id]["title"]
            en, zh, sources = GOOD_REASONS.get(
                (pid, post_id),
                (f"skills fit '{title}' and no demand of the post conflicts with the recorded disability",
                 f"技能（{skills[pid]}）适合“{title}”，岗位要求与残疾情况无冲突", src("task")),
            )
            rows.append((pid, post_id, "good", en, zh, "; ".join(sources) + "; placement officer judgement / 就业指导员判断"))
    for key in GOOD_REASONS:
        assert key[1] in GOOD.get(key[0], []), key

    order = {row["person_id"]: i for i, row in enumerate(persons)}
    rows.sort(key=lambda r: (order[r[0]], r[1]))
    with open(HERE / "expectations.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["person_id", "post_id", "label", "reason_en", "reason_zh", "source"])
        w.writerows(rows)
    n_good = sum(r[2] == "good" for r in rows)
    print(f"{len(persons)} persons, {len(posts)} posts, {len(unsafe)} unsafe pairs, {n_good} good pairs")
