"""Input tables of the policy rules: employers (yearly), employees, employer-months.

They reuse the generic :class:`~jhmatch.data.schema.TableSchema` engine; every
problem names the row, the column, the value and — where known — the employer.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.data.schema import EMPLOYERS, PERSONS
from jhmatch.data.table import Column, TableSchema
from jhmatch.errors import Problem, SchemaError, ValueFormatError
from jhmatch.taxonomy import normalize_label

__all__ = [
    "POLICY_EMPLOYEES",
    "POLICY_EMPLOYERS",
    "VAT_MONTHS",
    "validate_policy_employees",
    "validate_policy_employers",
    "validate_vat_months",
]


def _count(name: str, aliases: tuple[str, ...], description: str, default: Any = 0) -> Column:
    return Column(name, "int", default=default, min=0, aliases=aliases, description=description)


POLICY_EMPLOYERS = TableSchema(
    "employers (policy)",
    (
        EMPLOYERS.column("employer_id"),
        EMPLOYERS.column("name"),
        EMPLOYERS.column("county"),
        EMPLOYERS.column("staff"),
        EMPLOYERS.column("disabled_staff"),
        EMPLOYERS.column("severe_disabled_staff"),
        EMPLOYERS.column("average_wage"),
        EMPLOYERS.column("is_enterprise"),
        _count("fulltime_disabled_staff", ("全职残疾职工人数", "fulltime_disabled"),
               "full-time disabled staff (concentrated employment); missing: all counted disabled staff", None),
        _count("dispatched_in", ("派入残疾人数", "dispatched_disabled_in"),
               "qualifying disabled workers dispatched to this unit and counted here by agreement (not in staff)"),
        _count("dispatched_in_severe", ("派入重度残疾人数",), "of which grade 1-2"),
        _count("dispatched_out", ("派出残疾人数", "dispatched_disabled_out"),
               "own qualifying disabled employees dispatched out and counted by the host (in staff and disabled_staff)"),
        _count("dispatched_out_severe", ("派出重度残疾人数",), "of which grade 1-2"),
    ),
)
"""Employers for the policy rules: :data:`~jhmatch.data.schema.EMPLOYERS` plus full-time and dispatch counts."""


def _parse_counted_at(value: Any) -> str:
    key = normalize_label(value)
    if key in ("employer", "dispatcher", "派遣单位", "用人单位", "self"):
        return "employer"
    if key in ("host", "user", "用工单位", "接受单位"):
        return "host"
    raise ValueFormatError("employer or host (派遣单位/用工单位): which unit counts a dispatched worker")


POLICY_EMPLOYEES = TableSchema(
    "employees (policy)",
    (
        Column("person_id", "id", required=True, unique=True, aliases=("编号", "人员编号", "person"),
               description="unique identifier of the disabled employee"),
        Column("employer_id", "id", required=True, aliases=("单位编号", "用人单位编号", "employer"),
               description="the unit holding the labour contract"),
        EMPLOYERS.column("county"),
        PERSONS.column("grade"),
        Column("veteran_grade", "int", min=1, max=10, aliases=("伤残军人等级", "残疾军人等级"),
               description="disabled-veteran grade 1-10 (grades 1-3 count twice)"),
        Column("contract_months", "float", min=0, aliases=("合同期限月", "劳动合同月数", "contract"),
               description="labour-contract length in months"),
        Column("permanent", "bool", default=False, aliases=("在编", "无固定期限", "open_ended"),
               description="established post (在编) or open-ended contract"),
        Column("monthly_wage", "float", required=True, min=0, aliases=("月工资", "实发工资", "wage"),
               description="monthly wage actually paid, yuan"),
        Column("social_insurance", "bool", required=True, aliases=("社保", "足额缴纳社保", "insured"),
               description="social insurance paid in full"),
        Column("bank_paid", "bool", aliases=("银行代发", "通过银行支付工资", "wage_by_bank"),
               description="wage paid through a bank (needed for the VAT refund)"),
        Column("dispatched_to", "id", aliases=("用工单位编号", "host_employer_id", "host"),
               description="host unit when the employee is dispatched (劳务派遣)"),
        Column("counted_at", "label", default="employer", parser=_parse_counted_at, aliases=("计入单位", "attributed_to"),
               description="which unit counts a dispatched employee by agreement: employer or host"),
        PERSONS.column("birth_date"),
        PERSONS.column("age"),
        PERSONS.column("sex"),
    ),
)
"""Disabled employees, one row each, for the quota and VAT qualification tests."""


def _parse_month(value: Any) -> str:
    if isinstance(value, (pd.Timestamp, np.datetime64)) or hasattr(value, "year"):
        ts = pd.Timestamp(value)
        return f"{ts.year:04d}-{ts.month:02d}"
    text = normalize_label(value)
    m = re.fullmatch(r"(\d{4})[-/.年]?(\d{1,2})(月)?([-/.]\d{1,2}(日)?)?", text)
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueFormatError("a month such as 2024-03, 202403 or 2024年3月")
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"


VAT_MONTHS = TableSchema(
    "employer-months (VAT)",
    (
        Column("employer_id", "id", required=True, aliases=("单位编号", "纳税人识别号", "employer"),
               description="identifier of the taxpayer unit"),
        Column("month", "label", required=True, parser=_parse_month, aliases=("月份", "所属期", "period"),
               description="the tax month, e.g. 2024-03"),
        EMPLOYERS.column("county"),
        Column("staff", "int", required=True, min=0, aliases=("在职职工人数", "职工人数"),
               description="staff in the month"),
        Column("disabled_staff", "int", required=True, min=0, aliases=("安置残疾人数", "残疾职工人数"),
               description="disabled staff meeting the VAT conditions in the month (headcount, no weighting)"),
        Column("vat_paid", "float", required=True, min=0, aliases=("已缴增值税", "增值税", "vat"),
               description="VAT paid for the month, yuan"),
        Column("blind_massage", "bool", default=False, aliases=("盲人按摩", "盲人按摩机构"),
               description="a blind-massage institution (lower headcount threshold)"),
    ),
)
"""Monthly VAT data of units claiming the refund of 财税〔2016〕52号."""


def _ids(frame: pd.DataFrame, schema: TableSchema, id_col: str) -> np.ndarray | None:
    hmap = schema.header_map()
    for raw in frame.columns:
        if hmap.get(normalize_label(raw)) == id_col:
            return frame[raw].astype("object").to_numpy()
    return None


def _validate(schema: TableSchema, frame: pd.DataFrame, id_col: str, who: str) -> pd.DataFrame:
    """Validate (column rules and the schema's cross checks) and name the employer/person in every problem."""
    if isinstance(frame, pd.DataFrame) and schema.is_canonical(frame):
        return frame
    try:
        return schema.validate(frame)
    except SchemaError as exc:
        ids = _ids(frame, schema, id_col) if isinstance(frame, pd.DataFrame) else None
        named = []
        for p in exc.problems:
            if ids is not None and p.row is not None and p.column != id_col:
                p = Problem(p.row, p.column, p.value, f"{p.expected} [{who} {ids[p.row - 1]!r}]", p.file, p.aliases)
            named.append(p)
        raise SchemaError(named, exc.table) from None


def _with_check(schema: TableSchema, check: Any) -> TableSchema:
    names = [c.name for c in schema.columns]

    def run(df: pd.DataFrame, problems: list[Problem], file: str | None) -> None:
        if all(n in df.columns for n in names):  # a missing required column is already reported
            check(df, problems)

    return TableSchema(schema.name, schema.columns, (*schema.checks, run))


def _not_above(df: pd.DataFrame, problems: list[Problem], col: str, limit: np.ndarray, what: str) -> None:
    if col not in df:
        return
    v = df[col].to_numpy(dtype="float64", na_value=np.nan)
    limit = np.asarray(limit, dtype="float64")
    for i in np.flatnonzero((v > limit) & (limit >= 0)):  # a negative limit is reported on its own
        problems.append(Problem(int(i) + 1, col, int(v[i]), f"at most {what} ({limit[i]:g})"))


def _check_employers(df: pd.DataFrame, problems: list[Problem]) -> None:
    staff, dis, sev, out, inn = (df[c].to_numpy(dtype="float64", na_value=np.nan) for c in (
        "staff", "disabled_staff", "severe_disabled_staff", "dispatched_out", "dispatched_in"))
    _not_above(df, problems, "disabled_staff", staff, "staff")
    _not_above(df, problems, "severe_disabled_staff", dis, "disabled_staff")
    _not_above(df, problems, "dispatched_out", dis, "disabled_staff")
    _not_above(df, problems, "dispatched_out_severe", np.minimum(out, sev), "dispatched_out and severe_disabled_staff")
    _not_above(df, problems, "dispatched_in_severe", inn, "dispatched_in")
    _not_above(df, problems, "fulltime_disabled_staff", dis - out + inn, "the disabled staff counted here")


def _check_employees(df: pd.DataFrame, problems: list[Problem]) -> None:
    neither = (df["grade"].isna() & df["veteran_grade"].isna()).to_numpy(dtype=bool)
    for i in np.flatnonzero(neither):
        problems.append(Problem(int(i) + 1, "grade", "", "a disability grade or a veteran_grade"))
    no_term = (df["contract_months"].isna() & ~df["permanent"]).to_numpy(dtype=bool)
    for i in np.flatnonzero(no_term):
        problems.append(Problem(int(i) + 1, "contract_months", "", "a contract length in months, or permanent=yes"))
    host = df["counted_at"].astype("object").to_numpy() == "host"
    for i in np.flatnonzero(host & df["dispatched_to"].isna().to_numpy(dtype=bool)):
        problems.append(Problem(int(i) + 1, "dispatched_to", "", "the host unit, since counted_at is host"))


def _check_months(df: pd.DataFrame, problems: list[Problem]) -> None:
    _not_above(df, problems, "disabled_staff", df["staff"].to_numpy(dtype="float64", na_value=np.nan), "staff")
    dup = df.duplicated(["employer_id", "month"], keep=False).to_numpy()
    for i in np.flatnonzero(dup):
        problems.append(Problem(int(i) + 1, "month", df["month"].iloc[i], "one row per employer and month (duplicated)"))


POLICY_EMPLOYERS = _with_check(POLICY_EMPLOYERS, _check_employers)
POLICY_EMPLOYEES = _with_check(POLICY_EMPLOYEES, _check_employees)
VAT_MONTHS = _with_check(VAT_MONTHS, _check_months)


def validate_policy_employers(frame: pd.DataFrame) -> pd.DataFrame:
    """Validate an employers table for the policy rules (see :data:`POLICY_EMPLOYERS`).

    Raises
    ------
    SchemaError
        Listing every problem with row, column, value and employer id.

    Examples
    --------
    >>> df = validate_policy_employers(pd.DataFrame({"employer_id": ["e1"], "county": ["义乌"], "staff": [100]}))
    >>> df.loc[0, "county"], int(df.loc[0, "disabled_staff"]), int(df.loc[0, "dispatched_in"])
    ('330782', 0, 0)
    """
    return _validate(POLICY_EMPLOYERS, frame, "employer_id", "employer")


def validate_policy_employees(frame: pd.DataFrame) -> pd.DataFrame:
    """Validate a disabled-employees table (see :data:`POLICY_EMPLOYEES`).

    Examples
    --------
    >>> df = validate_policy_employees(pd.DataFrame({"person_id": ["p1"], "employer_id": ["e1"], "county": ["磐安"],
    ...     "grade": [2], "contract_months": [12], "monthly_wage": [3000], "social_insurance": ["是"]}))
    >>> int(df.loc[0, "grade"]), bool(df.loc[0, "social_insurance"]), df.loc[0, "counted_at"]
    (2, True, 'employer')
    """
    return _validate(POLICY_EMPLOYEES, frame, "employer_id", "employer")


def validate_vat_months(frame: pd.DataFrame) -> pd.DataFrame:
    """Validate monthly VAT data (see :data:`VAT_MONTHS`).

    Examples
    --------
    >>> df = validate_vat_months(pd.DataFrame({"employer_id": ["e1"], "month": ["2024年3月"], "county": ["武义"],
    ...     "staff": [40], "disabled_staff": [10], "vat_paid": [50000]}))
    >>> df.loc[0, "month"]
    '2024-03'
    """
    return _validate(VAT_MONTHS, frame, "employer_id", "employer")
