"""Office files as a county federation exports them, built from a synthetic Jinhua.

The tables of :func:`jhmatch.datasets.make_jinhua` are rewritten the way offices
write them: Chinese headers in the variants of the national disabled-persons
database and employment-registration forms (所在地区, 身份证号码（18位）, 是否低保,
月薪（元）, 统一社会信用代码 …), Chinese values (肢体, 二级, 是/否, county names,
企业岗位), a title row above the header in Excel, GBK-encoded CSV, a 序号 column,
and one column jhmatch does not know (备注), which must be reported, not lost.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from jhmatch.datasets import make_jinhua
from jhmatch.taxonomy import EDUCATION_LEVELS, REGIONS, DisabilityCategory, post_kind

TITLE = "金华市残疾人就业登记表（2025年度）"
GRADE_ZH = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}
YES_NO = {True: "是", False: "否"}
UNKNOWN_COLUMN = "备注"


def _county(codes: pd.Series) -> pd.Series:
    names = {r.code: r.zh for r in REGIONS}
    return codes.astype(str).map(names)


def _yes_no(values: pd.Series) -> pd.Series:
    return values.fillna(False).astype(bool).map(YES_NO)


def _persons(p: pd.DataFrame) -> pd.DataFrame:
    cat_zh = {c.value: c.zh for c in DisabilityCategory}
    edu_zh = {level: zh for level, _id, zh, _aliases in EDUCATION_LEVELS}
    surnames = np.array(list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"))
    names = [f"{surnames[i % len(surnames)]}某{i}" for i in range(len(p))]
    return pd.DataFrame({
        "序号": np.arange(1, len(p) + 1),
        "人员编号": p["person_id"],
        "姓名": names,
        "身份证号码（18位）": p["id_number"],
        "残疾类别": p["category"].map(cat_zh),
        "残疾等级": p["grade"].map(GRADE_ZH),
        "性别": p["sex"].map({"M": "男", "F": "女"}),
        "年龄": p["age"],
        "所在地区": _county(p["county"]),
        "文化程度": p["education"].map(edu_zh),
        "专业技能": p["skills"],
        "就业意愿": _yes_no(p["willing"]),
        "是否应届毕业生": _yes_no(p["graduate"]),
        "是否低保": _yes_no(p["low_income"]),
        "户号": p["household_id"],
        "困难家庭": _yes_no(p["household_difficulty"]),
        UNKNOWN_COLUMN: ["" if i % 7 else "需回访" for i in range(len(p))],
    })


def _posts(j: pd.DataFrame, employers: pd.DataFrame) -> pd.DataFrame:
    employer_name = employers.set_index("employer_id")["name"]
    return pd.DataFrame({
        "岗位编号": j["post_id"],
        "单位编号": j["employer_id"],
        "单位名称": j["employer_id"].map(employer_name),
        "岗位名称": j["title"],
        "岗位类型": j["kind"].map(lambda k: post_kind(k).zh),
        "县市区": _county(j["county"]),
        "招聘人数": j["capacity"],
        "月薪（元）": j["wage"],
        "危害因素": j["hazards"],
        UNKNOWN_COLUMN: "",
    })


def _employers(e: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "单位编号": e["employer_id"],
        "单位名称": e["name"],
        "所在地区": _county(e["county"]),
        "在职职工人数": e["staff"],
        "残疾职工人数": e["disabled_staff"],
        "重度残疾职工人数": e["severe_disabled_staff"],
        "职工年平均工资": e["average_wage"],
        "是否企业": _yes_no(e["is_enterprise"]),
    })


def write_office_files(folder: Path, n_persons: int = 300, seed: int = 11) -> dict[str, Path]:
    """Write 求职人员.xlsx (title row), 岗位.csv (GBK), 用人单位.xlsx into ``folder``.

    Returns the paths by table name. Excel files need openpyxl (the ``excel`` extra).
    """
    city = make_jinhua(n_persons=n_persons, seed=seed)
    folder.mkdir(parents=True, exist_ok=True)
    persons = _persons(city.persons)
    paths = {"persons": folder / "求职人员.xlsx", "posts": folder / "岗位.csv", "employers": folder / "用人单位.xlsx"}
    with pd.ExcelWriter(paths["persons"], engine="openpyxl") as xw:
        pd.DataFrame([[TITLE]]).to_excel(xw, index=False, header=False, startrow=0)
        persons.to_excel(xw, index=False, startrow=1)
    _posts(city.posts, city.employers).to_csv(paths["posts"], index=False, encoding="gbk")
    with pd.ExcelWriter(paths["employers"], engine="openpyxl") as xw:
        _employers(city.employers).to_excel(xw, index=False)
    return paths
