"""jhmatch: place persons with disabilities in work under Jinhua's 2022–2025 action plan.

The pipeline has three layers plus the policy rules around them:

- :mod:`jhmatch.data` validates and reads tables (persons, posts, employers, households);
- :mod:`jhmatch.matching` scores person–post compatibility into a sparse
  :class:`~jhmatch.matching.ScoreMatrix`;
- :mod:`jhmatch.optimize` allocates persons to posts under the plan's rules;
- :mod:`jhmatch.policy` computes quota, fund, tax and plan-progress rules.
"""

from importlib.metadata import PackageNotFoundError, version

from jhmatch.data.ids import mask_id
from jhmatch.data.schema import validate_employers, validate_households, validate_persons, validate_posts
from jhmatch.errors import JhmatchError, SchemaError
from jhmatch.taxonomy import REGIONS, DisabilityCategory, Grade, PostKind, post_kind, post_kinds, region

try:
    __version__ = version("jhmatch")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "REGIONS",
    "DisabilityCategory",
    "Grade",
    "JhmatchError",
    "PostKind",
    "SchemaError",
    "__version__",
    "mask_id",
    "post_kind",
    "post_kinds",
    "region",
    "validate_employers",
    "validate_households",
    "validate_persons",
    "validate_posts",
]
