"""Tables in and out: schemas and validation, identity numbers, file I/O.

The one entry point most callers need is :func:`ensure_valid` (validate a table
unless it is already canonical); the rest lives in the submodules
(:mod:`jhmatch.data.schema`, :mod:`jhmatch.data.io`, :mod:`jhmatch.data.ids`).
"""

from jhmatch.data.valid import ensure_valid, table_schema

__all__ = ["ensure_valid", "table_schema"]
