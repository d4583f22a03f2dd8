"""Tables in and out: reading and writing, validation and schemas, identity numbers, privacy.

The public face of the data layer; import from here (``from jhmatch.data import read_table``).
The submodules stay importable for the rarer helpers (header matching, sheet layout,
value parsers, the cross-column checks).

- Files: :func:`read_table`, :func:`write_table` (atomic, IDs masked, formulas escaped),
  :func:`escape_formulas` / :func:`unescape_formulas`, :func:`source_rows`, :func:`atomic_path`.
- Validation: :func:`ensure_valid` (validate a table unless it is already canonical),
  :func:`table_schema`, :func:`validate_persons`, :func:`validate_posts`,
  :func:`validate_employers`, :func:`validate_households`, the schemas :data:`PERSONS`,
  :data:`POSTS`, :data:`EMPLOYERS`, :data:`HOUSEHOLDS` (:class:`TableSchema` of
  :class:`Column`), :func:`table_warnings`.
- Input plausibility limits: :class:`Limits`, :func:`limits` (a ``with`` block),
  :func:`set_limits` (not the run limits of :mod:`jhmatch.limits`).
- Identity numbers: :func:`mask_id`, :func:`mask_ids`, :func:`scrub`, :func:`scrub_series`,
  :class:`MaskingFilter` (for logging), :func:`parse_resident_id` / :class:`ResidentId`,
  :func:`parse_certificate` / :class:`Certificate`.
- Pseudonyms: :func:`pseudonymize`, :func:`pseudonymous_ids`, :func:`id_key`, :data:`ID_KEY_ENV`.

Examples
--------
>>> import pandas as pd
>>> from jhmatch.data import ensure_valid, mask_id
>>> frame = pd.DataFrame({"person_id": ["P1"], "category": ["肢体"], "grade": ["二级"]})
>>> ensure_valid(frame, "persons")[["category", "grade"]].to_numpy().tolist()
[['physical', 2]]
>>> mask_id("330702199001011234")
'330*************34'
"""

from jhmatch.data.ids import (
    Certificate,
    MaskingFilter,
    ResidentId,
    mask_id,
    mask_ids,
    parse_certificate,
    parse_resident_id,
    scrub,
    scrub_series,
)
from jhmatch.data.io import atomic_path, escape_formulas, read_table, source_rows, unescape_formulas, write_table
from jhmatch.data.plausibility import Limits, limits, set_limits
from jhmatch.data.privacy import ID_KEY_ENV, id_key, pseudonymize, pseudonymous_ids
from jhmatch.data.schema import (
    EMPLOYERS,
    HOUSEHOLDS,
    PERSONS,
    POSTS,
    Column,
    TableSchema,
    table_warnings,
    validate_employers,
    validate_households,
    validate_persons,
    validate_posts,
)
from jhmatch.data.valid import ensure_valid, table_schema

__all__ = [
    "EMPLOYERS",
    "HOUSEHOLDS",
    "ID_KEY_ENV",
    "PERSONS",
    "POSTS",
    "Certificate",
    "Column",
    "Limits",
    "MaskingFilter",
    "ResidentId",
    "TableSchema",
    "atomic_path",
    "ensure_valid",
    "escape_formulas",
    "id_key",
    "limits",
    "mask_id",
    "mask_ids",
    "parse_certificate",
    "parse_resident_id",
    "pseudonymize",
    "pseudonymous_ids",
    "read_table",
    "scrub",
    "scrub_series",
    "set_limits",
    "source_rows",
    "table_schema",
    "table_warnings",
    "unescape_formulas",
    "validate_employers",
    "validate_households",
    "validate_persons",
    "validate_posts",
    "write_table",
]
