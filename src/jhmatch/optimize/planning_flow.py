"""Deprecated module name: reserved-post planning is :mod:`jhmatch.optimize.reserved_flow` (issue 15).

"Plan" means several things in jhmatch (docs/architecture.md, glossary); the reserved-post
planner's modules say so in their names now. This module re-exports the new one for one
release and warns when imported.
"""

from __future__ import annotations

import warnings

from jhmatch.optimize.reserved_flow import *  # noqa: F403
from jhmatch.optimize.reserved_flow import __all__  # noqa: F401

warnings.warn("jhmatch.optimize.planning_flow is deprecated; use jhmatch.optimize.reserved_flow", DeprecationWarning, stacklevel=2)
