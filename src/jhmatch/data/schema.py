"""Canonical table schemas and their validation.

Each table (persons, posts, employers, households) has canonical English column
names, dtypes and rules; Chinese and English aliases are accepted for headers and
for label values. ``validate_*`` returns a normalised copy of the input or raises
:class:`~jhmatch.errors.SchemaError` listing *every* problem at once — nothing is
dropped or guessed silently. Columns the schema does not know are kept unchanged
after the canonical ones.

Validation is vectorised: labels are parsed once per distinct value, so a table of
a million rows validates in seconds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from jhmatch.data.ids import mask_id, parse_id_column
from jhmatch.errors import Problem, SchemaError, UnknownLabelError
from jhmatch.taxonomy import (
    FUNCTIONAL_DIMENSIONS,
    Accommodation,
    DisabilityCategory,
    Grade,
    education_level,
    normalize_label,
    post_kind,
    post_kinds,
    region,
)

__all__ = [
    "EMPLOYERS",
    "HOUSEHOLDS",
    "PERSONS",
    "POSTS",
    "Column",
    "TableSchema",
    "validate_employers",
    "validate_households",
    "validate_persons",
    "validate_posts",
]

TEXT = pd.StringDtype()

# ----------------------------------------------------------------------------- parsers
# A parser maps one raw (non-missing) value to its canonical value or raises
# ValueError / UnknownLabelError; it is applied once per distinct value.

_TRUE = {"1", "true", "t", "yes", "y", "是", "有", "√", "✓", "对"}
_FALSE = {"0", "false", "f", "no", "n", "否", "无", "×", "✗", "不"}


def parse_bool(value: Any) -> bool:
    """Parse a yes/no cell: true/false, 1/0, yes/no, 是/否, √/×.

    Examples
    --------
    >>> parse_bool("是"), parse_bool("0")
    (True, False)
    """
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    key = normalize_label(value)
    if key in ("1.0", "0.0"):
        key = key[0]
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError("a yes/no value (true/false, 1/0, 是/否)")


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y-%m-%d %H:%M:%S")


def parse_date(value: Any) -> pd.Timestamp:
    """Parse a date cell: 2024-03-01, 2024/3/1, 20240301, 2024.3.1, 2024年3月1日 or a datetime.

    Dates before 1900 or after 2100 are refused (no person or post has them, and
    they usually come from a mistyped or truncated cell).

    Examples
    --------
    >>> parse_date("2024年3月1日")
    Timestamp('2024-03-01 00:00:00')
    """
    parsed: dt.date | None = None
    if isinstance(value, (pd.Timestamp, dt.date, np.datetime64)):
        parsed = value.date() if isinstance(value, pd.Timestamp) else value
        if isinstance(value, np.datetime64):
            if np.isnat(value):
                raise ValueError("a date, not NaT")
            parsed = value.astype("datetime64[D]").item()
    else:
        text = normalize_label(value)
        if re.fullmatch(r"\d{8}\.0", text):
            text = text[:-2]
        for fmt in _DATE_FORMATS:
            try:
                parsed = dt.datetime.strptime(text, fmt.replace(" ", "")).date()
                break
            except ValueError:
                continue
    if parsed is None:
        raise ValueError("a date such as 2024-03-01, 2024/3/1, 20240301 or 2024年3月1日")
    if not (isinstance(parsed, dt.date) and 1900 <= parsed.year <= 2100):
        raise ValueError("a date between 1900 and 2100")
    return pd.Timestamp(parsed.year, parsed.month, parsed.day)


def _parse_sex(value: Any) -> str:
    key = normalize_label(value)
    if key in ("m", "male", "男", "1"):
        return "M"
    if key in ("f", "female", "女", "2"):
        return "F"
    raise ValueError("M or F (男/女)")


def _split_list(value: Any) -> list[str]:
    text = str(value)
    for sep in ("、", ",", "，", "|", "/", "；"):
        text = text.replace(sep, ";")
    return [p.strip() for p in text.split(";") if p.strip()]


def _parse_kinds(value: Any) -> str:
    return ";".join(dict.fromkeys(post_kind(p).code for p in _split_list(value)))


def _parse_accommodations(value: Any) -> str:
    return ";".join(sorted({Accommodation.parse(p).value for p in _split_list(value)}))


def _parse_components(value: Any) -> str:
    return ";".join(c.value for c in DisabilityCategory.parse_components(value))


def _parse_csco(value: Any) -> str:
    text = normalize_label(value)
    if re.fullmatch(r"\d{7}(\.0)?", text):
        text = f"{text[0]}-{text[1:3]}-{text[3:5]}-{text[5:7]}"
    if not re.fullmatch(r"\d-\d{2}-\d{2}-\d{2}", text):
        raise ValueError("a CSCO 2022 code such as 4-10-04-02 or 4100402")
    return text


def _parse_limbs(value: Any) -> str:
    key = normalize_label(value)
    table = {"upper": "upper", "上肢": "upper", "arm": "upper", "arms": "upper",
             "lower": "lower", "下肢": "lower", "leg": "lower", "legs": "lower",
             "both": "both", "四肢": "both", "上下肢": "both", "all": "both",
             "unknown": "unknown", "不详": "unknown", "": "unknown"}
    if key not in table:
        raise ValueError("upper, lower, both or unknown (上肢/下肢/四肢/不详)")
    return table[key]


def _label(parse: Callable[[Any], Any], attr: str | None = None) -> Callable[[Any], Any]:
    def parser(value: Any) -> Any:
        out = parse(value)
        return getattr(out, attr) if attr else out

    return parser


# ----------------------------------------------------------------------------- columns


@dataclass(frozen=True)
class Column:
    """One column of a table schema.

    Attributes
    ----------
    name : str
        Canonical English name.
    kind : str
        ``"id"``, ``"text"``, ``"int"``, ``"float"``, ``"bool"``, ``"date"``,
        ``"label"`` (text parsed by ``parser``), ``"ordinal"`` (an integer level parsed
        by ``parser``), ``"resident_id"`` or ``"certificate"``.
    required : bool
        Must be present as a column, and (unless ``default`` is given) non-missing.
    default : object
        Value used for missing cells (or a missing optional column); ``None`` keeps
        them missing.
    aliases : tuple of str
        Accepted header spellings (Chinese and English).
    description : str
        What the column means (shown in docs and errors).
    parser : callable, optional
        For ``"label"`` columns: raw value → canonical value (raises on unknown).
    expected : str
        Wording of what is expected, for error messages.
    min, max : float, optional
        Inclusive bounds for numeric columns.
    unique : bool
        Values must be unique (ids).
    """

    name: str
    kind: str
    required: bool = False
    default: Any = None
    aliases: tuple[str, ...] = ()
    description: str = ""
    parser: Callable[[Any], Any] | None = None
    expected: str = ""
    min: float | None = None
    max: float | None = None
    unique: bool = False
    label_aliases: tuple[str, ...] = ()

    @property
    def dtype(self) -> Any:
        """The pandas dtype of the validated column."""
        if self.kind == "int":
            return "int64" if self.default is not None or self.required else "Int64"
        if self.kind == "bool":
            return "bool" if self.default is not None else "boolean"
        return {"float": "float64", "date": "datetime64[ns]", "ordinal": "Int64"}.get(self.kind, TEXT)


@dataclass(frozen=True)
class TableSchema:
    """A table's columns and the cross-column checks that tie them together.

    Examples
    --------
    >>> schema = TableSchema("things", (Column("thing_id", "id", required=True, unique=True),))
    >>> schema.validate(pd.DataFrame({"thing_id": ["a", "b"]}))["thing_id"].tolist()
    ['a', 'b']
    """

    name: str
    columns: tuple[Column, ...]
    checks: tuple[Callable[[pd.DataFrame, list[Problem], str | None], None], ...] = field(default=())

    def column(self, name: str) -> Column:
        """The column called ``name``."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    def is_canonical(self, frame: pd.DataFrame) -> bool:
        """True when ``frame`` came out of :meth:`validate` and still has its canonical columns and dtypes.

        A cheap structural check (no row is read) used to skip re-validating tables
        that pass through several steps; values edited in place afterwards are trusted.

        Examples
        --------
        >>> schema = TableSchema("things", (Column("thing_id", "id", required=True),))
        >>> df = schema.validate(pd.DataFrame({"thing_id": ["a"]}))
        >>> schema.is_canonical(df), schema.is_canonical(df.rename(columns={"thing_id": "x"}))
        (True, False)
        """
        if not isinstance(frame, pd.DataFrame) or frame.attrs.get("validated") != self.name:
            return False
        names = [c.name for c in self.columns]
        if list(frame.columns[: len(names)]) != names:
            return False
        return all(frame[c.name].dtype == c.dtype for c in self.columns if c.kind not in ("label", "resident_id", "certificate", "id", "text"))

    def header_map(self) -> dict[str, str]:
        """Normalised header spelling → canonical column name."""
        table: dict[str, str] = {}
        for col in self.columns:
            for alias in (col.name, *col.aliases):
                table[normalize_label(alias)] = col.name
        return table

    def validate(self, frame: pd.DataFrame, file: str | None = None) -> pd.DataFrame:
        """Return a normalised copy of ``frame`` or raise :class:`SchemaError`.

        Parameters
        ----------
        frame : DataFrame
            Raw table; headers may use any accepted alias.
        file : str, optional
            Where the table came from, for messages (defaults to
            ``frame.attrs["source"]`` as set by :func:`jhmatch.data.io.read_table`).
        """
        if not isinstance(frame, pd.DataFrame):
            raise SchemaError([Problem(None, None, type(frame).__name__, "a pandas DataFrame", file)], self.name)
        file = file if file is not None else frame.attrs.get("source")
        problems: list[Problem] = []
        hmap = self.header_map()
        rename: dict[Any, str] = {}
        seen: dict[str, Any] = {}
        extra: list[Any] = []
        for raw in frame.columns:
            canon = hmap.get(normalize_label(raw))
            if canon is None:
                extra.append(raw)
            elif canon in seen:
                problems.append(Problem(None, canon, str(raw), f"one column for {canon!r}, but {seen[canon]!r} maps to it too", file))
            else:
                seen[canon] = raw
                rename[raw] = canon
        n = len(frame)
        out: dict[str, pd.Series] = {}
        index = pd.RangeIndex(n)
        for col in self.columns:
            if col.name not in seen:
                if col.required:
                    problems.append(Problem(None, col.name, "(missing column)", f"a column {col.name!r}: {col.description}", file, (col.name, *col.aliases)))
                    continue
                raw = pd.Series([None] * n, index=index, dtype="object")
            else:
                raw = frame[seen[col.name]].reset_index(drop=True)
            out[col.name] = _convert(col, raw, problems, file)
        result = pd.DataFrame(out, index=index)
        for raw in extra:
            result[raw] = frame[raw].to_numpy()
        if all(col.name in result.columns for col in self.columns):
            for check in self.checks:  # cross-column checks need every column
                check(result, problems, file)
        if problems:
            problems.sort(key=lambda p: (p.row if p.row is not None else -1, str(p.column)))
            raise SchemaError(problems, self.name + (f" ({file})" if file else ""))
        result.attrs = {k: v for k, v in frame.attrs.items()}
        result.attrs["validated"] = self.name
        return result


def _is_missing(raw: pd.Series) -> np.ndarray:
    missing = raw.isna().to_numpy()
    if raw.dtype == object or isinstance(raw.dtype, pd.StringDtype):
        text = raw.astype("object").where(~missing, "").astype(str).str.strip()
        missing = missing | (text == "").to_numpy() | text.str.lower().isin(["nan", "none", "null", "n/a", "na"]).to_numpy()
    return missing


def _convert(col: Column, raw: pd.Series, problems: list[Problem], file: str | None) -> pd.Series:
    n = len(raw)
    missing = _is_missing(raw)
    rows = np.arange(1, n + 1)
    shown = (lambda v: mask_id(v)) if col.kind in ("resident_id", "certificate") else (lambda v: v)

    if col.required and col.default is None:
        for r in rows[missing]:
            problems.append(Problem(int(r), col.name, raw.iloc[r - 1] if not pd.isna(raw.iloc[r - 1]) else "", f"a value ({col.description})", file))

    if col.kind in ("id", "text"):
        text = raw.astype("object").where(~missing, None)
        present = ~missing
        vals = text[present].map(_id_text if col.kind == "id" else lambda v: str(v).strip())
        values = pd.Series([None] * n, dtype="object")
        values[present] = vals.to_numpy()
        if col.default is not None:
            values[~present] = col.default
        series = values.astype(TEXT)
        if col.kind == "id":
            risky = present & series.fillna("").str.contains(r"^[=+\-@]|[\x00-\x1f]", regex=True).to_numpy(dtype=bool)
            for r in rows[risky]:
                problems.append(Problem(int(r), col.name, series.iloc[r - 1],
                                        "an identifier that does not start with =, +, -, @ and has no control characters", file))
        if col.unique:
            dup = series.duplicated(keep=False).to_numpy() & present
            for r in rows[dup]:
                problems.append(Problem(int(r), col.name, shown(series.iloc[r - 1]), "a unique value (it appears more than once)", file))
        return series

    if col.kind in ("resident_id", "certificate"):
        kind = "resident" if col.kind == "resident_id" else "certificate"
        parsed = parse_id_column(raw.astype("object").where(~missing, None), kind=kind)
        bad = parsed["error"].to_numpy() != ""
        for r in rows[bad]:
            problems.append(Problem(int(r), col.name, mask_id(parsed["number"].iloc[r - 1]), f"a valid {'resident ID' if kind == 'resident' else 'certificate number'}: {parsed['error'].iloc[r - 1]}", file))
        return parsed["number"].astype(TEXT)

    if col.kind in ("int", "float"):
        num = pd.to_numeric(raw.astype("object").where(~missing, None), errors="coerce").astype("float64")
        v = num.to_numpy()
        with np.errstate(invalid="ignore"):
            not_number = ~missing & np.isnan(v)
            not_finite = ~missing & ~not_number & ~np.isfinite(v)
            fractional = ~missing & ~not_number & ~not_finite & (v != np.round(v)) if col.kind == "int" else np.zeros(n, bool)
            if col.kind == "int":  # beyond 2**53 a float no longer holds every whole number exactly
                fractional |= ~missing & ~not_number & ~not_finite & (np.abs(v) > 2.0**53)
        what = "a whole number" if col.kind == "int" else "a finite number"
        for r in rows[not_number | not_finite | fractional]:
            problems.append(Problem(int(r), col.name, raw.iloc[r - 1], f"{what} ({col.description})", file))
        ok = ~missing & ~(not_number | not_finite | fractional)
        low = ok & (v < col.min) if col.min is not None else np.zeros(n, bool)
        high = ok & (v > col.max) if col.max is not None else np.zeros(n, bool)
        for r in rows[low | high]:
            problems.append(Problem(int(r), col.name, raw.iloc[r - 1], _range_text(col), file))
        clean = num.where(ok & ~low & ~high)
        if col.default is not None:
            clean = clean.where(~missing, col.default)
        if col.kind == "int":
            return clean.astype("Int64") if col.dtype == "Int64" or clean.isna().any() else clean.astype("int64")
        return clean

    # bool, date, label: parse each distinct raw value once
    parser: Callable[[Any], Any]
    if col.kind == "bool":
        parser = parse_bool
    elif col.kind == "date":
        parser = parse_date
    else:
        assert col.parser is not None, col.name
        parser = col.parser
    present = ~missing
    raw_present = raw[present]
    keys = raw_present.astype(str) if raw_present.dtype == object else raw_present
    uniques = pd.unique(keys)
    mapping: dict[Any, Any] = {}
    failures: dict[Any, str] = {}
    for u in uniques:
        try:
            mapping[u] = parser(u)
        except (ValueError, UnknownLabelError, TypeError) as exc:
            failures[u] = str(exc) if not isinstance(exc, UnknownLabelError) else ""
    if failures:
        bad_rows = rows[present][keys.isin(list(failures)).to_numpy()]
        for r in bad_rows:
            value = raw.iloc[r - 1]
            key = str(value) if raw.dtype == object else value
            why = failures.get(key) or col.expected or col.description
            problems.append(Problem(int(r), col.name, value, why, file, col.label_aliases))
    parsed = keys.map(mapping)
    values = pd.Series([None] * n, dtype="object")
    values[present] = parsed.to_numpy()
    if col.default is not None:
        values[missing] = col.default
    if col.kind == "bool":
        return values.astype("bool" if col.default is not None else "boolean")
    if col.kind == "date":
        return pd.to_datetime(values).astype("datetime64[ns]")
    if col.kind == "ordinal":
        return values.astype("Int64")
    return values.astype(TEXT)


def _id_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _range_text(col: Column) -> str:
    def num(x: float) -> str:
        return f"{int(x):,}" if float(x).is_integer() else f"{x:g}"

    if col.min is not None and col.max is not None:
        return f"a value between {num(col.min)} and {num(col.max)} ({col.description})"
    if col.min is not None:
        return f"a value of at least {num(col.min)} ({col.description})"
    return f"a value of at most {num(col.max)} ({col.description})"


# ----------------------------------------------------------------------------- vocabularies

def _aliases(table: dict[str, Any]) -> tuple[str, ...]:
    return tuple(sorted(table))


_CATEGORY = Column("category", "label", parser=_label(DisabilityCategory.parse, "value"),
                   aliases=("残疾类别", "残疾类型", "类别", "disability", "disability_category", "type"),
                   description="disability category (visual, hearing, speech, physical, intellectual, mental, multiple; 视力…多重; 1-7)",
                   label_aliases=("visual/视力/1", "hearing/听力/2", "speech/言语/3", "physical/肢体/4",
                                  "intellectual/智力/5", "mental/精神/6", "multiple/多重/7"))
_GRADE = Column("grade", "ordinal", parser=_label(Grade.parse, "value"),
                aliases=("残疾等级", "等级", "disability_grade", "level"),
                description="disability grade 1 (most severe) to 4 (一级…四级)",
                label_aliases=("1", "2", "3", "4", "一级", "二级", "三级", "四级"))
_COUNTY = Column("county", "label", required=True, parser=_label(region, "code"),
                 aliases=("县市区", "区县", "所属区县", "地区", "region", "district", "county_code"),
                 description="one of Jinhua's 9 county-level divisions (code or name, e.g. 330782 or 义乌)",
                 label_aliases=("330702 婺城", "330703 金东", "330723 武义", "330726 浦江", "330727 磐安",
                                "330781 兰溪", "330782 义乌", "330783 东阳", "330784 永康"))
_EDUCATION = Column("education", "ordinal", parser=education_level,
                    aliases=("学历", "文化程度", "education_level"),
                    description="education level 0-6 (none, primary, junior_secondary, senior_secondary, college, bachelor, postgraduate; 小学…研究生)")
_LAT = Column("lat", "float", aliases=("纬度", "latitude"), min=-90, max=90, description="latitude in degrees")
_LON = Column("lon", "float", aliases=("经度", "longitude", "lng"), min=-180, max=180, description="longitude in degrees")


def _dimension_columns(prefix: str, zh: str, what: str) -> tuple[Column, ...]:
    names_zh = {"vision": "视觉", "hearing": "听觉", "speech": "言语", "upper_limb": "上肢",
                "mobility": "行动", "stamina": "体力", "cognition": "认知", "psychosocial": "心理社交"}
    return tuple(
        Column(f"{prefix}_{d}", "float", min=0, max=1, aliases=(f"{names_zh[d]}{zh}",),
               description=f"{what} on the {d} dimension, 0-1 (missing: the documented default)")
        for d in FUNCTIONAL_DIMENSIONS
    )


PERSONS = TableSchema(
    "persons",
    (
        Column("person_id", "id", required=True, unique=True, aliases=("编号", "人员编号", "id", "person", "seeker_id"),
               description="unique identifier of the job seeker"),
        Column("name", "text", aliases=("姓名",), description="name (never printed unmasked by jhmatch)"),
        Column("id_number", "resident_id", aliases=("身份证号", "身份证号码", "公民身份号码", "resident_id", "id_card"),
               description="18-character resident ID"),
        Column("certificate_number", "certificate", aliases=("残疾证号", "残疾人证号", "残疾证号码", "certificate", "cert_no"),
               description="20-character disability certificate number"),
        _CATEGORY,
        Column("components", "label", parser=_parse_components, aliases=("多重残疾类别", "组成", "component_categories"),
               description="for a multiple disability, its component categories, e.g. visual;hearing"),
        _GRADE,
        Column("limbs", "label", parser=_parse_limbs, default="unknown", aliases=("肢体部位", "受累肢体", "affected_limbs"),
               description="for a physical disability: upper, lower, both or unknown"),
        Column("sex", "label", parser=_parse_sex, aliases=("性别", "gender"), description="M or F"),
        Column("birth_date", "date", aliases=("出生日期", "出生年月", "birthday", "dob"), description="date of birth"),
        Column("age", "int", min=0, max=120, aliases=("年龄",), description="age in whole years"),
        dataclasses.replace(_COUNTY, required=False, description="one of Jinhua's 9 county-level divisions, the person's residence "
                            "(missing: unknown; only remote or nearby posts are then candidates)"),
        _EDUCATION,
        Column("skills", "text", default="", aliases=("技能", "专长", "职业技能", "skill"),
               description="skills and training, free text (Chinese or English)"),
        Column("preferred_kinds", "label", parser=_parse_kinds, default="",
               aliases=("意向岗位", "求职意向", "preferences", "preferred_posts"),
               description="preferred post kinds, separated by ; (codes or Chinese names)"),
        Column("willing", "bool", default=True, aliases=("就业意愿", "有就业意愿", "willing_to_work"),
               description="wants work (default yes: the table lists job seekers)"),
        Column("graduate", "bool", default=False, aliases=("应届毕业生", "应届高校毕业生", "is_graduate"),
               description="graduating university student"),
        Column("low_income", "bool", default=False, aliases=("低保", "低保户", "dibao"),
               description="member of a low-income (dibao) household"),
        Column("household_id", "id", aliases=("户号", "家庭编号", "household"), description="household identifier"),
        Column("household_difficulty", "bool", default=False, aliases=("困难家庭", "困难残疾人家庭", "in_difficulty"),
               description="household in difficulty (困难残疾人家庭)"),
        Column("rural", "bool", default=False, aliases=("农村", "农村户籍"), description="rural resident"),
        Column("employed", "bool", default=False, aliases=("已就业", "就业状态", "is_employed"),
               description="currently employed"),
        Column("remote_ok", "bool", default=True, aliases=("接受居家就业", "accepts_remote"),
               description="accepts home-based / remote work"),
        _LAT,
        _LON,
        *_dimension_columns("cap", "能力", "assessed capacity (职业能力评估)"),
    ),
)
"""Schema of the persons (job seekers) table."""

POSTS = TableSchema(
    "posts",
    (
        Column("post_id", "id", required=True, unique=True, aliases=("岗位编号", "岗位id", "id", "post", "job_id"),
               description="unique identifier of the post"),
        Column("employer_id", "id", aliases=("单位编号", "用人单位编号", "employer"), description="employer identifier"),
        Column("title", "text", default="", aliases=("岗位名称", "职位", "job_title"), description="post title, free text"),
        Column("kind", "label", required=True, parser=_label(post_kind, "code"),
               aliases=("岗位类型", "岗位类别", "post_kind", "type"),
               description="post kind from the catalogue (jhmatch.taxonomy.post_kinds())"),
        Column("occupation", "label", parser=_parse_csco, aliases=("职业代码", "职业编码", "csco", "occupation_code"),
               description="CSCO 2022 occupation code"),
        Column("county", "label", required=True, parser=_COUNTY.parser, aliases=_COUNTY.aliases,
               description=_COUNTY.description, label_aliases=_COUNTY.label_aliases),
        Column("capacity", "int", required=True, min=0, max=100_000, aliases=("招聘人数", "岗位数", "名额", "openings", "vacancies"),
               description="number of persons the post can take (0 to 100,000)"),
        Column("required_skills", "text", default="", aliases=("技能要求", "岗位要求", "requirements", "skills"),
               description="skills asked for, free text"),
        Column("min_education", "ordinal", parser=education_level, aliases=("学历要求", "最低学历"),
               description=_EDUCATION.description),
        Column("accommodations", "label", parser=_parse_accommodations, default="",
               aliases=("无障碍支持", "便利措施", "合理便利"),
               description="accommodations offered, separated by ; (" + ", ".join(a.value for a in Accommodation) + ")"),
        Column("remote", "bool", aliases=("居家就业", "远程岗位", "home_based"),
               description="can be done from home (missing: the kind's default)"),
        Column("site_id", "id", aliases=("服务点编号", "site"), description="community service point the post belongs to"),
        Column("wage", "float", min=0, aliases=("月薪", "工资", "monthly_wage"), description="monthly wage in yuan"),
        Column("min_age", "int", min=0, max=120, aliases=("最低年龄",), description="youngest accepted age"),
        Column("max_age", "int", min=0, max=120, aliases=("最高年龄",), description="oldest accepted age"),
        _LAT,
        _LON,
        *_dimension_columns("dem", "要求", "functional demand"),
    ),
)
"""Schema of the posts table."""

EMPLOYERS = TableSchema(
    "employers",
    (
        Column("employer_id", "id", required=True, unique=True, aliases=("单位编号", "用人单位编号", "id", "employer"),
               description="unique identifier of the employer"),
        Column("name", "text", default="", aliases=("单位名称", "employer_name"), description="employer name"),
        Column("county", "label", required=True, parser=_COUNTY.parser, aliases=_COUNTY.aliases,
               description=_COUNTY.description, label_aliases=_COUNTY.label_aliases),
        Column("staff", "int", required=True, min=0, max=10_000_000, aliases=("在职职工人数", "职工人数", "staff_count", "employees"),
               description="in-service staff (年平均在职职工人数)"),
        Column("disabled_staff", "int", default=0, min=0, aliases=("残疾职工人数", "安排残疾人数", "disabled_count"),
               description="disabled employees meeting the contract, wage and insurance conditions"),
        Column("severe_disabled_staff", "int", default=0, min=0, aliases=("重度残疾职工人数", "一二级残疾职工", "severe_count"),
               description="of which grade 1-2 (counted twice for the quota)"),
        Column("average_wage", "float", min=0, aliases=("职工年平均工资", "年平均工资", "avg_wage"),
               description="the unit's average annual wage in yuan"),
        Column("is_enterprise", "bool", default=True, aliases=("是否企业", "enterprise"),
               description="an enterprise (the ≤ 30-staff exemption applies to enterprises)"),
    ),
)
"""Schema of the employers table (the policy module adds its own optional columns)."""

HOUSEHOLDS = TableSchema(
    "households",
    (
        Column("household_id", "id", required=True, unique=True, aliases=("户号", "家庭编号", "id", "household"),
               description="unique identifier of the household"),
        Column("county", "label", required=True, parser=_COUNTY.parser, aliases=_COUNTY.aliases,
               description=_COUNTY.description, label_aliases=_COUNTY.label_aliases),
        Column("size", "int", default=1, min=1, max=30, aliases=("家庭人口", "人口数", "members"), description="household members"),
        Column("difficulty", "bool", default=False, aliases=("困难家庭", "困难残疾人家庭", "in_difficulty"),
               description="household in difficulty"),
        Column("low_income", "bool", default=False, aliases=("低保", "低保户", "dibao"), description="dibao household"),
        Column("monthly_income", "float", min=0, aliases=("家庭月收入", "income"), description="household income per month, yuan"),
    ),
)
"""Schema of the households table."""


# ----------------------------------------------------------------------------- cross checks

def _disagree(given: pd.Series, derived: pd.Series, mask: np.ndarray | None = None) -> np.ndarray:
    """Rows where both values are present and differ."""
    both = given.notna().to_numpy() & derived.notna().to_numpy()
    if mask is not None:
        both &= mask
    out = np.zeros(len(given), dtype=bool)
    idx = np.flatnonzero(both)
    if idx.size:
        a = given.astype("object").to_numpy()[idx]
        b = derived.astype("object").to_numpy()[idx]
        out[idx] = np.array([x != y for x, y in zip(a, b, strict=True)], dtype=bool)
    return out


def _fill_from(df: pd.DataFrame, col: str, derived: pd.Series, mask: np.ndarray) -> None:
    fill = mask & df[col].isna().to_numpy() & derived.notna().to_numpy()
    if fill.any():
        values = df[col].astype("object").to_numpy().copy()
        values[fill] = derived.astype("object").to_numpy()[fill]
        df[col] = values


def _check_persons(df: pd.DataFrame, problems: list[Problem], file: str | None) -> None:
    rows = np.arange(1, len(df) + 1)
    flagged = {(p.row, p.column) for p in problems}
    cert = df["certificate_number"]
    has_cert = cert.notna().to_numpy()
    if has_cert.any():
        parsed = parse_id_column(cert.astype("object").where(has_cert, None), kind="certificate")
        for col in ("category", "grade", "birth_date", "sex"):
            derived = parsed[col]
            for r in rows[_disagree(df[col], derived, has_cert)]:
                problems.append(Problem(int(r), col, _show(df[col].iloc[r - 1]),
                                        f"{_show(derived.iloc[r - 1])}, as the certificate number says "
                                        f"({mask_id(cert.iloc[r - 1])})", file))
            unflagged = np.array([(int(r), col) not in flagged for r in rows]) if flagged else np.ones(len(df), bool)
            _fill_from(df, col, derived, has_cert & unflagged)
        ids = df["id_number"]
        for r in rows[_disagree(ids, cert.astype("object").str[:18], has_cert)]:
            problems.append(Problem(int(r), "id_number", mask_id(ids.iloc[r - 1]),
                                    f"the first 18 characters of the certificate number ({mask_id(cert.iloc[r - 1])})", file))
    idn = df["id_number"]
    has_id = idn.notna().to_numpy() & ~has_cert
    if has_id.any():
        parsed = parse_id_column(idn.astype("object").where(has_id, None), kind="resident")
        for col in ("birth_date", "sex"):
            for r in rows[_disagree(df[col], parsed[col], has_id)]:
                problems.append(Problem(int(r), col, _show(df[col].iloc[r - 1]),
                                        f"{_show(parsed[col].iloc[r - 1])}, as the ID number says ({mask_id(idn.iloc[r - 1])})", file))
            _fill_from(df, col, parsed[col], has_id)
    for col in ("category", "grade"):
        for r in rows[df[col].isna().to_numpy()]:
            if (int(r), col) not in flagged:
                problems.append(Problem(int(r), col, "", f"a value, or a certificate number to derive it from ({PERSONS.column(col).description})", file))
    multi = (df["category"].astype("object") == DisabilityCategory.MULTIPLE.value).to_numpy(dtype=bool)
    comps = df["components"].astype("object").fillna("")
    n_comp = comps.str.count(";").to_numpy() + (comps != "").to_numpy()
    for r in rows[multi & (n_comp == 1)]:
        problems.append(Problem(int(r), "components", comps.iloc[r - 1], "two or more component categories for a multiple disability", file))
    for r in rows[~multi & (n_comp > 0) & df["category"].notna().to_numpy()]:
        problems.append(Problem(int(r), "components", comps.iloc[r - 1], "no components unless the category is multiple", file))
    bd = pd.to_datetime(df["birth_date"])
    bad = ((bd < pd.Timestamp("1900-01-01")) | (bd > pd.Timestamp("2100-01-01"))).to_numpy(dtype=bool)
    for r in rows[bad]:
        problems.append(Problem(int(r), "birth_date", str(bd.iloc[r - 1].date()), "a birth date between 1900 and 2100", file))
    df["birth_date"] = bd.astype("datetime64[ns]")
    df["grade"] = df["grade"].astype("Int64")
    df["category"] = df["category"].astype(TEXT)
    df["sex"] = df["sex"].astype(TEXT)


def _show(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        return str(value.date())
    if isinstance(value, (np.integer,)):
        return int(value)
    return value


def _check_posts(df: pd.DataFrame, problems: list[Problem], file: str | None) -> None:
    rows = np.arange(1, len(df) + 1)
    both = df["min_age"].notna().to_numpy() & df["max_age"].notna().to_numpy()
    lo = df["min_age"].to_numpy(dtype="float64", na_value=np.nan)
    hi = df["max_age"].to_numpy(dtype="float64", na_value=np.nan)
    for r in rows[both & (lo > hi)]:
        problems.append(Problem(int(r), "max_age", int(hi[r - 1]), f"at least min_age ({int(lo[r - 1])})", file))
    remote_kind = {k.code: k.remote for k in post_kinds()}
    by_kind = df["kind"].astype("object").map(remote_kind).fillna(False).to_numpy(dtype=bool)
    given = df["remote"].astype("object")
    df["remote"] = np.where(given.isna().to_numpy(), by_kind, given.fillna(False).to_numpy(dtype=bool))


def _check_employers(df: pd.DataFrame, problems: list[Problem], file: str | None) -> None:
    rows = np.arange(1, len(df) + 1)
    staff, dis, sev = (df[c].to_numpy(dtype="float64", na_value=np.nan)
                       for c in ("staff", "disabled_staff", "severe_disabled_staff"))
    for r in rows[dis > staff]:
        problems.append(Problem(int(r), "disabled_staff", int(dis[r - 1]), f"at most staff ({int(staff[r - 1])})", file))
    for r in rows[sev > dis]:
        problems.append(Problem(int(r), "severe_disabled_staff", int(sev[r - 1]), f"at most disabled_staff ({int(dis[r - 1])})", file))


PERSONS = TableSchema(PERSONS.name, PERSONS.columns, (_check_persons,))
POSTS = TableSchema(POSTS.name, POSTS.columns, (_check_posts,))
EMPLOYERS = TableSchema(EMPLOYERS.name, EMPLOYERS.columns, (_check_employers,))


def validate_persons(frame: pd.DataFrame, file: str | None = None) -> pd.DataFrame:
    """Validate and normalise a persons (job seekers) table.

    Category, grade, birth date and sex are derived from the certificate number
    when their columns are missing or blank; a disagreement is a problem.

    Parameters
    ----------
    frame : DataFrame
        Raw table; see :data:`PERSONS` for columns and aliases.
    file : str, optional
        Source, for messages.

    Returns
    -------
    DataFrame
        Canonical columns and dtypes, same row order.

    Raises
    ------
    SchemaError
        Listing every problem (row, column, masked value, what was expected).

    Examples
    --------
    >>> df = validate_persons(pd.DataFrame({"编号": ["p1"], "残疾类别": ["视力"], "等级": ["二级"], "县市区": ["义乌"]}))
    >>> df.loc[0, "category"], int(df.loc[0, "grade"]), df.loc[0, "county"]
    ('visual', 2, '330782')
    """
    return PERSONS.validate(frame, file)


def validate_posts(frame: pd.DataFrame, file: str | None = None) -> pd.DataFrame:
    """Validate and normalise a posts table (see :data:`POSTS`).

    Examples
    --------
    >>> df = validate_posts(pd.DataFrame({"post_id": ["q1"], "kind": ["云客服"], "county": ["磐安"], "capacity": [3]}))
    >>> df.loc[0, "kind"], df.loc[0, "county"], int(df.loc[0, "capacity"]), bool(df.loc[0, "remote"])
    ('cloud_customer_service', '330727', 3, True)
    """
    return POSTS.validate(frame, file)


def validate_employers(frame: pd.DataFrame, file: str | None = None) -> pd.DataFrame:
    """Validate and normalise an employers table (see :data:`EMPLOYERS`).

    Examples
    --------
    >>> df = validate_employers(pd.DataFrame({"employer_id": ["e1"], "county": ["东阳"], "staff": [200], "disabled_staff": [2]}))
    >>> int(df.loc[0, "staff"])
    200
    """
    return EMPLOYERS.validate(frame, file)


def validate_households(frame: pd.DataFrame, file: str | None = None) -> pd.DataFrame:
    """Validate and normalise a households table (see :data:`HOUSEHOLDS`).

    Examples
    --------
    >>> validate_households(pd.DataFrame({"household_id": ["h1"], "county": ["兰溪"], "difficulty": ["是"]}))["difficulty"].tolist()
    [True]
    """
    return HOUSEHOLDS.validate(frame, file)
