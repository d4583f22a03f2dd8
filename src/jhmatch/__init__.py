"""jhmatch: place persons with disabilities in work under Jinhua's 2022–2025 action plan.

The pipeline has three layers plus the policy rules around them:

- :mod:`jhmatch.data` validates and reads tables (persons, posts, employers, households);
- :mod:`jhmatch.matching` scores person–post compatibility into a sparse :class:`ScoreMatrix`;
- :mod:`jhmatch.optimize` allocates persons to posts under the plan's rules;
- :mod:`jhmatch.policy` computes quota, fund, tax and plan-progress rules;
- :func:`run_plan` runs the main job end to end.

The heavier layers are imported on first use, so ``import jhmatch`` stays quick.

Examples
--------
>>> import jhmatch
>>> jhmatch.DisabilityCategory.parse("肢体").value
'physical'
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from jhmatch.data.ids import mask_id
from jhmatch.data.io import read_table, write_table
from jhmatch.data.schema import validate_employers, validate_households, validate_persons, validate_posts
from jhmatch.errors import InfeasibleError, JhmatchError, SchemaError
from jhmatch.taxonomy import REGIONS, Accommodation, DisabilityCategory, Grade, PostKind, post_kind, post_kinds, region

try:
    __version__ = version("jhmatch")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

_LAZY = {
    "ScoreMatrix": "jhmatch.matching",
    "CompatibilityScorer": "jhmatch.matching",
    "recommend_posts": "jhmatch.matching",
    "recommend_persons": "jhmatch.matching",
    "top_posts": "jhmatch.matching",
    "top_persons": "jhmatch.matching",
    "normalize_titles": "jhmatch.matching",
    "AllocationProblem": "jhmatch.optimize",
    "Allocation": "jhmatch.optimize",
    "Status": "jhmatch.optimize",
    "solve": "jhmatch.optimize",
    "PolicyParameters": "jhmatch.policy",
    "progress": "jhmatch.policy",
    "make_jinhua": "jhmatch.datasets",
    "run_plan": "jhmatch.pipeline",
    "plan_posts": "jhmatch.pipeline",
    "PlanRun": "jhmatch.pipeline",
    "Rules": "jhmatch.rules",
    "plan_rules": "jhmatch.rules",
    "load_rules": "jhmatch.rules",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'jhmatch' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "REGIONS",
    "Accommodation",
    "DisabilityCategory",
    "Grade",
    "InfeasibleError",
    "JhmatchError",
    "PostKind",
    "SchemaError",
    "__version__",
    "mask_id",
    "post_kind",
    "post_kinds",
    "read_table",
    "region",
    "validate_employers",
    "validate_households",
    "validate_persons",
    "validate_posts",
    "write_table",
    *_LAZY,
]
