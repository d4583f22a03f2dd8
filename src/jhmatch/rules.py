"""The plan's allocation rules as data: priority weights and constraint objects from TOML.

A rules file lists priority bonuses and constraints by class name, with the
constraint's own parameters::

    [priority]
    household_difficulty = 0.5
    low_income = 0.3
    graduate = 0.2

    [[constraint]]
    type = "GraduateGuarantee"
    hard = false
    penalty = 20

    [[constraint]]
    type = "RegionFloor"
    rate = 0.3
    hard = false

Any class of :mod:`jhmatch.optimize` that derives from ``Constraint`` may be named.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jhmatch.errors import ParameterError, show_value
from jhmatch.i18n import N_, get_language
from jhmatch.i18n import gettext as _
from jhmatch.optimize import (
    CategoryFloor,
    Constraint,
    GraduateGuarantee,
    HouseholdCoverage,
    PriorityWeights,
    RegionFloor,
)

__all__ = ["Rules", "load_rules", "plan_rules"]


@dataclass(frozen=True)
class Rules:
    """Priority weights and constraints for one allocation run.

    Attributes
    ----------
    priority : PriorityWeights
        How much each priority group's placement counts.
    constraints : tuple of Constraint
        Rules of the allocation.
    source : str
        Where the rules came from (a file path, or ``"plan defaults"``).

    Examples
    --------
    >>> [type(c).__name__ for c in plan_rules().constraints]
    ['GraduateGuarantee', 'HouseholdCoverage', 'RegionFloor', 'CategoryFloor']
    """

    priority: PriorityWeights = dataclasses.field(default_factory=PriorityWeights)
    constraints: tuple[Constraint, ...] = ()
    source: str = "custom"


def plan_rules(region_rate: float = 0.3, category_rate: float = 0.3, penalty: float = 20.0) -> Rules:
    """The action plan's rules, as soft constraints (a shortfall costs ``penalty`` per person).

    - every graduating student who wants work is placed (plan: 100%);
    - every household in difficulty with an able and willing member gets a placement;
    - every county places at least ``region_rate`` of its willing seekers (regional balance);
    - every disability category places at least ``category_rate`` of its willing seekers.

    Soft, because a city's posts may not suffice; the allocation then reports each
    rule's shortfall instead of failing. The two rates are jhmatch's defaults, not
    figures from the plan.

    Examples
    --------
    >>> plan_rules(region_rate=0.4).constraints[2].rate
    0.4
    """
    return Rules(
        PriorityWeights(),
        (
            GraduateGuarantee(hard=False, penalty=penalty),
            HouseholdCoverage(hard=False, penalty=penalty),
            RegionFloor(rate=region_rate, hard=False, penalty=penalty),
            CategoryFloor(rate=category_rate, hard=False, penalty=penalty),
        ),
        "plan defaults",
    )


def _constraint_classes() -> dict[str, type[Constraint]]:
    import jhmatch.optimize as opt

    return {name: obj for name in opt.__all__ if isinstance(obj := getattr(opt, name), type)
            and issubclass(obj, Constraint) and obj is not Constraint}


_RATE_KEYS = frozenset({"rate", "share"})
_COUNT_KEYS = frozenset({"minimum", "maximum"})
_AMOUNT_KEYS = frozenset({"targets", "site_posts"})
_API_ONLY = frozenset({"LinearRows"})  # needs a matrix: built in Python, not written in a rules file


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _entries(value: Any) -> list[tuple[Any, Any]]:
    return list(value.items()) if isinstance(value, dict) else [(None, value)]


def _check_rate(where: str, key: str, value: Any, problems: list[str]) -> None:
    for sub, v in _entries(value):
        at = f"{key}.{sub}" if sub is not None else key
        if not _number(v) or not math.isfinite(v):
            problems.append(_("{where}: {key} = {value} is not a number; expected a rate between 0 and 1, e.g. 0.3 "
                              "for 30%").format(where=where, key=at, value=show_value(v)))
        elif not 0 <= v <= 1:
            text = _("{where}: {key} = {value} is not a rate between 0 and 1").format(where=where, key=at,
                                                                                      value=f"{v:g}")
            if 1 < v <= 100:
                text += _("; did you mean {rate} ({percent}%)?").format(rate=f"{v / 100:.2f}", percent=f"{v:g}")
            problems.append(text)


def _check_count(where: str, key: str, value: Any, problems: list[str], whole: bool = True) -> None:
    for sub, v in _entries(value):
        at = f"{key}.{sub}" if sub is not None else key
        if not _number(v) or not math.isfinite(v) or v < 0 or (whole and v != int(v)):
            problems.append(_("{where}: {key} = {value} is not a whole number of persons (0 or more)").format(
                where=where, key=at, value=show_value(v)) if whole else
                _("{where}: {key} = {value} must be a finite number of 0 or more").format(
                    where=where, key=at, value=show_value(v)))


def _check_value(where: str, key: str, value: Any, problems: list[str]) -> None:
    if key in _RATE_KEYS:
        _check_rate(where, key, value, problems)
    elif key in _COUNT_KEYS:
        _check_count(where, key, value, problems)
    elif key in _AMOUNT_KEYS:
        if not isinstance(value, dict):
            problems.append(_("{where}: {key} = {value} must be a table such as {example}").format(
                where=where, key=key, value=show_value(value), example='{ tobacco_outlet = 20 }'))
        else:
            _check_count(where, key, value, problems, whole=False)
    elif key == "hard":
        if not isinstance(value, bool):
            problems.append(_("{where}: hard = {value} must be true or false without quotes").format(
                where=where, value=show_value(value)))
    elif key == "penalty":
        if not _number(value) or not math.isfinite(value) or value <= 0:
            problems.append(_("{where}: penalty = {value} must be a finite number above 0").format(
                where=where, value=show_value(value)))
    elif key == "name":
        if not isinstance(value, str):
            problems.append(_("{where}: name = {value} must be text in quotes").format(
                where=where, value=show_value(value)))
    elif key == "side":
        if value not in ("person", "post"):
            problems.append(_("{where}: side = {value} must be \"person\" or \"post\"").format(
                where=where, value=show_value(value)))
    elif key in ("person_ids", "kinds", "labels"):
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in value):
            problems.append(_("{where}: {key} = {value} must be a list such as [\"a\", \"b\"]").format(
                where=where, key=key, value=show_value(value)))


def _fields(cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(cls) if not f.name.startswith("_")]


_UNKNOWN = {
    "section": N_("{where}: unknown section {key}; {hint}accepted sections: {accepted}"),
    "key": N_("{where}: unknown key {key}; {hint}accepted keys: {accepted}"),
    "parameter": N_("{where}: unknown parameter {key}; {hint}accepted parameters: {accepted}"),
}


def _unknown(where: str, keys: list[str], accepted: list[str], what: str, problems: list[str]) -> None:
    for key in keys:
        if key not in accepted:
            close = difflib.get_close_matches(str(key), accepted, n=1, cutoff=0.6)
            hint = _("did you mean {name}? ").format(name=repr(close[0])) if close else ""
            problems.append(_(_UNKNOWN[what]).format(where=where, key=show_value(key), hint=hint,
                                                     accepted=", ".join(accepted)))


def _check_priority(where: str, section: Any, problems: list[str]) -> None:
    if not isinstance(section, dict):
        problems.append(_("{where}: [priority] must be a table of weights, e.g. graduate = 0.2").format(where=where))
        return
    accepted = _fields(PriorityWeights)
    _unknown(where + " [priority]", list(section), accepted, "key", problems)
    for key, value in section.items():
        if key in accepted and (not _number(value) or not math.isfinite(value) or value < 0):
            problems.append(_("{where} [priority]: {key} = {value} must be a finite number of 0 or more "
                              "(a weight bonus, e.g. 0.5)").format(where=where, key=key, value=show_value(value)))


def _read_toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ParameterError(_("{file}: cannot read rules: {reason}").format(
            file=path, reason=exc.strerror or type(exc).__name__)) from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    for encoding in ("utf-8", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ParameterError(_("{file}: cannot read rules: not UTF-8 or GBK text").format(file=path))
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+), column (\d+)", str(exc))
        at = _(" at line {line}, column {column}").format(line=found[1], column=found[2]) if found else ""
        raise ParameterError(_("{file}: cannot read rules: not valid TOML{at}").format(file=path, at=at)
                             + (f" ({exc})" if get_language() == "en" else "")) from None


def load_rules(path: str | Path) -> Rules:
    """Read rules from a TOML file (see the module docstring for the format) and check every entry.

    Rates (``rate``, ``share``) must lie in [0, 1] (``rate = 30`` asks whether 0.30
    was meant), counts must be whole numbers, every number finite, ``hard`` a
    boolean without quotes, ``penalty`` a finite positive number; unknown
    sections, keys and constraint types are named with the accepted ones. Every
    problem is listed at once, each naming the file, in the current language.

    Raises
    ------
    ParameterError
        Listing every problem; each line names the file and the entry.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "rules.toml"
    >>> _ = p.write_text('[[constraint]]\\ntype = "RegionFloor"\\nminimum = 5\\n')
    >>> load_rules(p).constraints[0].minimum
    5
    >>> _ = p.write_text('[[constraint]]\\ntype = "RegionFloor"\\nrate = 30\\n')
    >>> load_rules(p)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    jhmatch.errors.ParameterError: ...rate = 30 is not a rate between 0 and 1; did you mean 0.30 (30%)?
    """
    path = Path(path)
    where = str(path)
    data = _read_toml(path)
    problems: list[str] = []
    _unknown(where, list(data), ["priority", "constraint"], "section", problems)
    _check_priority(where, data.get("priority", {}), problems)
    entries = data.get("constraint", [])
    if not isinstance(entries, list):
        problems.append(_("{where}: write each constraint under [[constraint]] (double brackets), not "
                          "[constraint]").format(where=where))
        entries = []
    classes = _constraint_classes()
    checked: list[tuple[int, type[Constraint], dict[str, Any]]] = []
    for i, entry in enumerate(entries, start=1):
        at = _("{where}: constraint {i}").format(where=where, i=i)
        if not isinstance(entry, dict):
            problems.append(_("{where}: expected a [[constraint]] table with a type, got {value}").format(
                where=at, value=show_value(entry)))
            continue
        entry = dict(entry)
        kind = entry.pop("type", None)
        if kind not in classes or kind in _API_ONLY:
            close = difflib.get_close_matches(str(kind), [c for c in classes if c not in _API_ONLY], n=1, cutoff=0.6)
            hint = _("did you mean {name}? ").format(name=repr(close[0])) if close else ""
            problems.append(_("{where}: type {value} is not a constraint type; {hint}accepted: {accepted}").format(
                where=at, value=show_value(kind), hint=hint,
                accepted=", ".join(sorted(c for c in classes if c not in _API_ONLY))))
            continue
        at += f" ({kind})"
        before = len(problems)
        _unknown(at, list(entry), _fields(classes[kind]), "parameter", problems)
        for key, value in entry.items():
            _check_value(at, key, value, problems)
        if len(problems) == before:
            checked.append((i, classes[kind], entry))
    if problems:
        head = _("{n} problem(s) in rules file {file}:").format(n=len(problems), file=where)
        raise ParameterError(head + "\n" + "\n".join(f"  - {p}" for p in problems))
    priority = PriorityWeights(**data.get("priority", {}))
    constraints = []
    for i, cls, entry in checked:
        try:
            constraints.append(cls(**entry))
        except (TypeError, ValueError, KeyError) as exc:  # a check of the class itself; never show Python internals
            reason = str(exc)
            if "__init__" in reason or "argument" in reason or get_language() != "en":
                reason = _("the parameters do not fit together; accepted parameters: {accepted}").format(
                    accepted=", ".join(_fields(cls)))
            raise ParameterError(_("{where}: constraint {i} ({type}): {reason}").format(
                where=where, i=i, type=cls.__name__, reason=reason)) from None
    return Rules(priority, tuple(constraints), where)
