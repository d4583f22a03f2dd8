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
import sys
from dataclasses import dataclass
from pathlib import Path

from jhmatch.errors import ParameterError
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


def load_rules(path: str | Path) -> Rules:
    """Read rules from a TOML file (see the module docstring for the format).

    Raises
    ------
    ParameterError
        Unknown constraint type or parameter, or a malformed file; the message
        names the file and the entry.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "rules.toml"
    >>> _ = p.write_text('[[constraint]]\\ntype = "RegionFloor"\\nminimum = 5\\n')
    >>> load_rules(p).constraints[0].minimum
    5
    """
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ParameterError(f"{path}: cannot read rules: {exc}") from None
    unknown = set(data) - {"priority", "constraint"}
    if unknown:
        raise ParameterError(f"{path}: unknown section(s) {sorted(unknown)}; expected [priority] and [[constraint]]")
    try:
        priority = PriorityWeights(**data.get("priority", {}))
    except TypeError as exc:
        fields = [f.name for f in dataclasses.fields(PriorityWeights)]
        raise ParameterError(f"{path}: [priority]: {exc}; expected keys among {fields}") from None
    classes = _constraint_classes()
    constraints = []
    for i, entry in enumerate(data.get("constraint", []), start=1):
        entry = dict(entry)
        kind = entry.pop("type", None)
        if kind not in classes:
            raise ParameterError(f"{path}: constraint {i}: type {kind!r} is not one of {sorted(classes)}")
        try:
            constraints.append(classes[kind](**entry))
        except TypeError as exc:
            fields = [f.name for f in dataclasses.fields(classes[kind]) if not f.name.startswith("_")]
            raise ParameterError(f"{path}: constraint {i} ({kind}): {exc}; parameters: {fields}") from None
    return Rules(priority, tuple(constraints), str(path))


