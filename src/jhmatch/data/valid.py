"""One answer to "is this table already validated?": :func:`ensure_valid`.

Tables pass through several steps (scoring, solving, reports); each step accepts
raw or validated frames. A frame that came out of validation and still has its
canonical columns and dtypes (:meth:`~jhmatch.data.table.TableSchema.is_canonical`)
is used as it is; anything else — raw tables, and validated tables whose columns
were renamed, dropped or reordered since — is validated again, so a step never
meets a missing canonical column as a bare ``KeyError``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from jhmatch.data import schema as _schema
from jhmatch.data.table import TableSchema
from jhmatch.errors import ParameterError
from jhmatch.i18n import gettext as _

__all__ = ["ensure_valid", "table_schema"]

_KINDS = ("persons", "posts", "employers", "households")


def table_schema(kind: str | TableSchema) -> TableSchema:
    """The schema of a table kind ("persons", "posts", "employers", "households"), or ``kind`` itself.

    Examples
    --------
    >>> table_schema("posts").name
    'posts'
    """
    if isinstance(kind, TableSchema):
        return kind
    if kind not in _KINDS:
        raise ParameterError(_("unknown table kind {kind}; expected one of {kinds}").format(
            kind=repr(kind), kinds=", ".join(_KINDS)))
    return getattr(_schema, kind.upper())


def ensure_valid(frame: Any, kind: str | TableSchema, *, file: str | None = None,
                 column_map: dict[str, str] | None = None) -> pd.DataFrame:
    """``frame`` as a canonical table: unchanged when already canonical, validated otherwise.

    Parameters
    ----------
    frame : DataFrame
        A raw table, or one returned by ``validate_*`` (possibly edited since).
    kind : {"persons", "posts", "employers", "households"} or TableSchema
        Which table it is.
    file : str, optional
        Source, for messages (when validating).
    column_map : dict, optional
        Raw header → column, for headers jhmatch does not recognise (when validating).

    Returns
    -------
    DataFrame
        ``frame`` itself when canonical, else its validated copy.

    Raises
    ------
    ParameterError
        ``frame`` is not a pandas DataFrame, or ``kind`` is unknown.
    SchemaError
        Validation found problems (every one listed).

    Examples
    --------
    >>> raw = pd.DataFrame({"post_id": ["q1"], "kind": ["云客服"], "county": ["磐安"], "capacity": [3]})
    >>> posts = ensure_valid(raw, "posts")
    >>> ensure_valid(posts, "posts") is posts, posts.loc[0, "county"]
    (True, '330727')
    """
    schema = table_schema(kind)
    if not isinstance(frame, pd.DataFrame):
        raise ParameterError(_("{table} must be a pandas DataFrame, got {type}").format(
            table=schema.name, type=type(frame).__name__))
    if column_map is None and schema.is_canonical(frame):
        return frame
    return schema.validate(frame, file, column_map)
