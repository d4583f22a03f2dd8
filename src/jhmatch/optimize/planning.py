"""Deprecated module name: reserved-post planning is :mod:`jhmatch.optimize.reserved_posts` (issue 15).

"Plan" means several things in jhmatch (docs/architecture.md, glossary); the reserved-post
planner's modules say so in their names now. This module re-exports the new one for one
release and warns when imported.
"""

from __future__ import annotations

import warnings

from jhmatch.optimize.reserved_posts import *  # noqa: F403
from jhmatch.optimize.reserved_posts import ReservedPostPlan as PlanResult  # noqa: F401
from jhmatch.optimize.reserved_posts import __all__  # noqa: F401

warnings.warn("jhmatch.optimize.planning is deprecated; use jhmatch.optimize.reserved_posts", DeprecationWarning, stacklevel=2)
