"""Read a simulation scenario from a file: TOML, or a two-column CSV/Excel table.

TOML: options and rates as top-level keys (or under ``[scenario]`` / ``[rates]``), rates by
group or share as tables::

    start_year = 2022
    end_year = 2025
    death_rate = 0.008          # or "死亡率" = 0.008 (TOML quotes keys that are not ASCII)
    welfare_places = 150

    [job_loss]                  # or ["岗位流失率"]
    enterprise = 0.25

A table (CSV or Excel): one row per value, columns ``key`` and ``value`` (``参数``/``取值``);
a rate by group is written ``job_loss.enterprise``. Shares may be written ``3%``. Keys may
be the Chinese names of :data:`~jhmatch.simulate.scenario.RATES`. Every value set here is
marked ``OVERRIDE`` with the file's name as its source.

Every problem is listed at once as a :class:`~jhmatch.errors.SchemaError` naming the file,
the row (tables), the key, the value and what was expected.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jhmatch.errors import ParameterError, Problem, SchemaError
from jhmatch.i18n import gettext as _
from jhmatch.simulate.scenario import OPTION_ALIASES, RATES, SimulationScenario
from jhmatch.taxonomy import normalize_label

__all__ = ["read_scenario", "scenario_keys"]

_KEY_COLUMNS = ("key", "参数", "参数名", "name", "项目")
_VALUE_COLUMNS = ("value", "取值", "数值", "值")


def scenario_keys() -> dict[str, str]:
    """Every accepted spelling of a key (folded) → its canonical name.

    Examples
    --------
    >>> scenario_keys()["死亡率"], scenario_keys()[normalize_label("END_YEAR")]
    ('death_rate', 'end_year')
    """
    out = {}
    for name, aliases in [*OPTION_ALIASES.items(), *((n, s.aliases) for n, s in RATES.items())]:
        for spelling in (name, *aliases):
            out[normalize_label(spelling)] = name
    return out


def _number(text: Any) -> Any:
    """A table cell as a number where it reads as one (``3%`` → 0.03), else as it is."""
    if isinstance(text, str):
        t = text.strip().replace(",", "")
        try:
            return float(t[:-1]) / 100 if t.endswith(("%", "％")) else float(t) if t else None
        except ValueError:
            low = t.lower()
            return {"true": True, "false": False, "是": True, "否": False}.get(low, text)
    return text


def _read_table(path: Path) -> list[tuple[int, str, Any]]:
    from jhmatch.data.io import read_table, source_rows

    frame = read_table(path)
    rows = source_rows(frame)
    cols = {normalize_label(c): c for c in frame.columns}
    key = next((cols[normalize_label(c)] for c in _KEY_COLUMNS if normalize_label(c) in cols), None)
    value = next((cols[normalize_label(c)] for c in _VALUE_COLUMNS if normalize_label(c) in cols), None)
    if key is None or value is None:
        raise SchemaError([Problem(None, "key" if key is None else "value", "(missing column)",
                                   _("two columns, key and value (参数, 取值)"), str(path))], "scenario")
    return [(int(rows[i]) if rows is not None else i + 2, str(k).strip(), _number(v))
            for i, (k, v) in enumerate(zip(frame[key], frame[value])) if isinstance(k, str) and k.strip()]


def _read_toml(path: Path) -> list[tuple[int | None, str, Any]]:
    import tomllib

    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SchemaError([Problem(None, None, path.name, _("a text file saved as UTF-8"), str(path))],
                          f"scenario ({path.name})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SchemaError([_syntax_problem(exc, text, path)], f"scenario ({path.name})") from None
    flat: dict[str, Any] = {}
    for k, v in data.items():
        if normalize_label(k) in ("scenario", "rates", "情景", "参数") and isinstance(v, Mapping):
            flat.update(v)
        else:
            flat[k] = v
    return [(None, k, v) for k, v in flat.items()]


def _syntax_problem(exc: Exception, text: str, path: Path) -> Problem:
    """A TOML syntax error as a problem: the line (as tomllib gives it), its text and what a line looks like."""
    import re

    found = re.search(r"at line (\d+), column (\d+)", str(exc))
    lines = text.splitlines()
    if found:
        line, column = int(found.group(1)), int(found.group(2))
    else:  # "at end of document"
        line, column = max(len(lines), 1), len(lines[-1]) + 1 if lines else 1
    shown = lines[line - 1] if 0 < line <= len(lines) else ""
    return Problem(line, None, shown, _("a line of TOML syntax (syntax error at line {line}, column {column}): "
                                        "key = value, e.g. death_rate = 0.008; a Chinese key in quotes, "
                                        "\"死亡率\" = 0.008; a group of values under [job_loss]").format(
        line=line, column=column), str(path))


def _expected(kind: str) -> str:
    return {"rate": _("a share between 0 and 1, e.g. 0.03 or 3%"), "count": _("a number of 0 or more"),
            "year": _("a year such as 2025"), "bool": _("true or false"),
            "split": _("population or none"), "table": _("a table of values, one per key")}[kind]


def read_scenario(path: str | Path, base: SimulationScenario | None = None) -> SimulationScenario:
    """The scenario a file describes (on top of ``base``, default :class:`SimulationScenario()`).

    Raises
    ------
    SchemaError
        Listing every problem: file, row (tables), key, value and what was expected.
    ParameterError
        The file cannot be read.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "s.toml"
    >>> _ = p.write_text('end_year = 2024\\n"死亡率" = 0.01\\n[job_loss]\\nenterprise = 0.3\\n', encoding="utf-8")
    >>> s = read_scenario(p)
    >>> s.end_year, s.rate("death_rate"), s.rate("job_loss")["enterprise"], s.statuses["death_rate"]
    (2024, 0.01, 0.3, 'OVERRIDE')
    >>> _ = p.write_text('death_rate = 8\\n', encoding="utf-8")
    >>> read_scenario(p)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    jhmatch.errors.SchemaError: 1 problem in scenario...column 'death_rate': got 8, expected a share between 0 and 1...
    """
    path = Path(path)
    if not path.is_file():
        raise ParameterError(_("{file}: no such file or folder").format(file=path))
    suffix = path.suffix.lower()
    if suffix == ".toml":
        if sys.version_info < (3, 11):  # pragma: no cover
            raise ParameterError("reading TOML needs Python 3.11 or later")
        entries = _read_toml(path)
    elif suffix in (".csv", ".xlsx", ".xls", ".txt"):
        entries = _read_table(path)
    else:
        raise ParameterError(_("{file}: expected a .toml, .csv or .xlsx scenario file").format(file=path))
    keys = scenario_keys()
    problems: list[Problem] = []
    options: dict[str, Any] = {}
    rates: dict[str, Any] = {}
    for row, raw_key, value in entries:
        head, _dot, sub = raw_key.partition(".")
        name = keys.get(normalize_label(head))
        if name is None:
            problems.append(Problem(row, raw_key, value, _("a scenario key"), str(path),
                                    aliases=tuple(sorted({*OPTION_ALIASES, *RATES}))))
            continue
        if sub:
            value = {sub: value}
        problem = _check(name, value, row, raw_key, str(path))
        if problem is not None:
            problems.append(problem)
            continue
        if name in OPTION_ALIASES:
            options[name] = int(value) if name in ("start_year", "end_year") else \
                float(value) if name in ("start_employed_share", "start_open_years") else value
        elif isinstance(value, Mapping) and isinstance(rates.get(name), Mapping):
            rates[name] = {**rates[name], **value}
        else:
            rates[name] = dict(value) if isinstance(value, Mapping) else value
    base = base or SimulationScenario()
    start, end = options.get("start_year", base.start_year), options.get("end_year", base.end_year)
    for name, value in rates.items():
        if RATES[name].kind == "shares" and isinstance(value, Mapping) and sum(value.values()) <= 0:
            problems.append(Problem(None, name, dict(value), _("weights with a positive sum"), str(path)))
    if not problems and end < start:  # a check across keys, with the value in its slot
        key = "end_year" if "end_year" in options else "start_year"
        problems.append(Problem(None, key, end if key == "end_year" else start,
                                _("a year no earlier than start_year {start}").format(start=start) if key == "end_year"
                                else _("a year no later than end_year {end}").format(end=end), str(path)))
    if problems:
        raise SchemaError(problems, f"scenario ({path.name})")
    try:
        return base.replace(origin=f"scenario file {path.name}", **options, **rates)
    except ParameterError as exc:  # a check across keys (end before start, weights summing to 0)
        raise SchemaError([Problem(None, None, "", str(exc), str(path))], f"scenario ({path.name})") from None


def _check(name: str, value: Any, row: int | None, key: str, file: str) -> Problem | None:
    """A problem with one value, or None."""
    def bad(kind: str, shown: Any = value) -> Problem:
        return Problem(row, key, shown, _expected(kind), file)

    def is_number(v: Any) -> bool:
        return isinstance(v, (int, float)) and not isinstance(v, bool) and v == v

    if name in ("start_year", "end_year"):
        ok = is_number(value) and float(value).is_integer() and 1900 <= value <= 2200
        return None if ok else bad("year")
    if name in ("retirement", "count_start_posts"):
        return None if isinstance(value, bool) else bad("bool")
    if name == "start_employed_share":
        return None if is_number(value) and 0 <= value <= 1 else bad("rate")
    if name == "start_open_years":
        return None if is_number(value) and value >= 0 else bad("count")
    if name == "county_split":
        return None if value in ("population", "none") else bad("split")
    spec = RATES[name]
    if spec.kind in ("rate", "count"):
        if not is_number(value) or value < 0 or (spec.kind == "rate" and value > 1):
            return bad(spec.kind)
        return None
    if not isinstance(value, Mapping):
        return bad("table")
    accepted = {str(k) for k in spec.default}
    for k, v in value.items():
        if str(k) not in accepted:
            return Problem(row, f"{key}.{k}" if "." not in key else key, v, _("one of the keys of {name}").format(
                name=name), file, aliases=tuple(sorted(accepted)))
        if not is_number(v) or v < 0 or (spec.kind == "group_rates" and v > 1):
            return Problem(row, f"{key}.{k}" if "." not in key else key, v,
                           _expected("rate" if spec.kind == "group_rates" else "count"), file)
    return None

