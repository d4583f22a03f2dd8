"""Every error and warning jhmatch raises.

All errors derive from :class:`JhmatchError`, so callers can catch the library's
failures with one ``except`` clause while programming errors still surface.
Messages never contain an unmasked identity or certificate number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "IdNumberError",
    "InfeasibleError",
    "JhmatchError",
    "JhmatchWarning",
    "MissingDependencyError",
    "ParameterError",
    "Problem",
    "SchemaError",
    "SchemaWarning",
    "SizeLimitError",
    "SolverError",
    "UnknownLabelError",
]


class JhmatchError(Exception):
    """Base class of every error raised on purpose by jhmatch."""


@dataclass(frozen=True)
class Problem:
    """One problem found while validating a table.

    Attributes
    ----------
    row : int or None
        For a table read from a file (:func:`jhmatch.data.io.read_table`), the row
        as a spreadsheet shows it (title and header rows counted, so the first
        data row under a one-line header is 2); for a table built in memory, the
        1-based data row. ``None`` for a problem of the whole table, such as a
        missing column.
    column : str or None
        Canonical column name (or the raw header when it could not be mapped).
    value : object
        The offending value, already masked when it is an identity number.
    expected : str
        What was expected instead, in plain words.
    file : str or None
        The file the table came from, when known.
    aliases : tuple of str
        Accepted spellings of the column or value, to help fix the input.
    """

    row: int | None
    column: str | None
    value: Any
    expected: str
    file: str | None = None
    aliases: tuple[str, ...] = ()

    def __str__(self) -> str:
        where = self.file or "<table>"
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column {self.column!r}"
        value = self.value.item() if hasattr(self.value, "item") else self.value
        text = f"{where}: got {value!r}, expected {self.expected}"
        if self.aliases:
            text += f" (accepted: {', '.join(self.aliases[:12])}"
            text += ", ...)" if len(self.aliases) > 12 else ")"
        return text


class SchemaError(JhmatchError, ValueError):
    """A table does not follow its schema; lists every problem found at once.

    Parameters
    ----------
    problems : sequence of Problem
        All problems found; never empty.
    table : str
        What kind of table was validated (``"persons"``, ``"posts"``, ...).
    """

    def __init__(self, problems: list[Problem] | tuple[Problem, ...], table: str = "table"):
        self.problems = tuple(problems)
        self.table = table
        shown = "\n".join(f"  - {p}" for p in self.problems[:50])
        more = len(self.problems) - 50
        if more > 0:
            shown += f"\n  ... and {more} more"
        super().__init__(f"{len(self.problems)} problem(s) in {table}:\n{shown}")

    def __reduce__(self):  # keep the exception picklable for multiprocessing / dask
        return (type(self), (self.problems, self.table))


class IdNumberError(JhmatchError, ValueError):
    """An identity or disability-certificate number is malformed (message masks it)."""


class UnknownLabelError(JhmatchError, ValueError):
    """A label (category, grade, region, post kind, ...) is not known.

    Parameters
    ----------
    kind : str
        What was being parsed (``"disability category"``, ``"region"``, ...).
    value : object
        The value that could not be parsed.
    accepted : sequence of str
        Accepted spellings.
    """

    def __init__(self, kind: str, value: Any, accepted: tuple[str, ...] | list[str] = ()):
        self.kind = kind
        self.value = value
        self.accepted = tuple(accepted)
        msg = f"unknown {kind}: {value!r}"
        if self.accepted:
            msg += f"; accepted: {', '.join(self.accepted[:20])}"
            if len(self.accepted) > 20:
                msg += ", ..."
        super().__init__(msg)

    def __reduce__(self):
        return (type(self), (self.kind, self.value, self.accepted))


class MissingDependencyError(JhmatchError, ImportError):
    """An optional dependency is needed; the message names the extra to install.

    Parameters
    ----------
    package : str
        The missing import.
    extra : str
        The jhmatch extra that provides it.
    purpose : str
        What it is needed for.
    """

    def __init__(self, package: str, extra: str, purpose: str = ""):
        self.package = package
        self.extra = extra
        why = f" for {purpose}" if purpose else ""
        super().__init__(
            f"{package} is needed{why}; install it with: pip install 'jhmatch[{extra}]'"
        )

    def __reduce__(self):
        return (type(self), (self.package, self.extra))


class InfeasibleError(JhmatchError):
    """Hard constraints cannot all hold; ``diagnosis`` names the conflicting ones."""

    def __init__(self, message: str, diagnosis: Any = None):
        self.diagnosis = diagnosis
        super().__init__(message)


class SolverError(JhmatchError):
    """A solver failed, crashed or returned something unusable."""


class SizeLimitError(JhmatchError, MemoryError):
    """A problem would need more memory than the configured limit allows."""


class ParameterError(JhmatchError, ValueError):
    """A policy or model parameter is missing, out of range, or not in force on a date."""


class JhmatchWarning(UserWarning):
    """Base class of warnings issued by jhmatch."""


class SchemaWarning(JhmatchWarning):
    """A table was accepted, but something in it needs a look (nothing is changed silently).

    Validators do not issue these with :func:`warnings.warn`; they record them on
    the validated table, for the caller to read with
    :func:`jhmatch.data.table.table_warnings` (``jhmatch validate`` prints them).

    Parameters
    ----------
    message : str
        What was found and what follows from it.
    column : str, optional
        The column concerned (the raw header when it was not recognised).
    file : str, optional
        The file the table came from.
    suggestion : str, optional
        The closest known column, when there is one.
    code : str
        ``"unknown_column"``, ``"ignored_column"``, ``"key_column"`` or
        ``"value_read_as"`` (a vague value read as the closest kind).

    Examples
    --------
    >>> str(SchemaWarning("not a known column", "所在地区", "p.csv", "county", "unknown_column"))
    "p.csv, column '所在地区': not a known column"
    """

    def __init__(self, message: str, column: str | None = None, file: str | None = None,
                 suggestion: str | None = None, code: str = ""):
        self.message = message
        self.column = column
        self.file = file
        self.suggestion = suggestion
        self.code = code
        where = (file or "<table>") + (f", column {column!r}" if column is not None else "")
        super().__init__(f"{where}: {message}")

    def __reduce__(self):
        return (type(self), (self.message, self.column, self.file, self.suggestion, self.code))


def require(package: str, extra: str, purpose: str = "") -> Any:
    """Import an optional dependency or raise :class:`MissingDependencyError`.

    Examples
    --------
    >>> np = require("numpy", "test")
    >>> np.__name__
    'numpy'
    """
    import importlib

    try:
        return importlib.import_module(package)
    except ImportError as exc:
        raise MissingDependencyError(package, extra, purpose) from exc
