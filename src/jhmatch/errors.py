"""Every error and warning jhmatch raises.

All errors derive from :class:`JhmatchError`, so callers can catch the library's
failures with one ``except`` clause while programming errors still surface.
Messages never contain an unmasked identity or certificate number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jhmatch.masking import scrub

__all__ = [
    "VALUE_SHOWN_CHARS",
    "ArgumentError",
    "IdNumberError",
    "InfeasibleError",
    "JhmatchError",
    "JhmatchWarning",
    "MissingDependencyError",
    "NotFoundError",
    "ParameterError",
    "Problem",
    "SchemaError",
    "SchemaWarning",
    "SizeLimitError",
    "SolverError",
    "SolverTimeoutError",
    "UnknownLabelError",
    "ValueFormatError",
    "join_values",
    "show_value",
    "table_label",
]

VALUE_SHOWN_CHARS = 60
"""At most this many characters of a bad value are echoed in a message (a 10 MB cell is not)."""


def N_(message: str) -> str:
    return message


def _(message: str) -> str:
    """Translate now (imported lazily: :mod:`jhmatch.i18n` imports this module)."""
    from jhmatch.i18n import gettext

    return gettext(message)


def _scrub(text: str) -> str:
    return scrub(text)


def show_value(value: Any, limit: int = VALUE_SHOWN_CHARS) -> str:
    """A value as a message shows it: quoted, ID-shaped numbers masked, cut after ``limit`` characters.

    Examples
    --------
    >>> show_value("x" * 100, limit=5)
    "'xxxxx…' (100 characters)"
    >>> show_value("身份证 330782199001011232")
    "'身份证 330*************32'"
    """
    value = value.item() if hasattr(value, "item") and not isinstance(value, (str, bytes)) else value
    if isinstance(value, str):
        text = value
        if len(text) > limit:
            head = text[:limit]
            return f"{_scrub(repr(head))[:-1]}…' " + _("({n} characters)").format(n=len(text))
        return _scrub(repr(text))
    text = repr(value)
    if len(text) > limit:
        text = text[:limit] + "…"
    return _scrub(text)


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
    header : str or None
        The column's header as the file writes it (``所在地区``), when it differs
        from ``column``; Chinese messages name the column by it (English ones
        by ``column``).

    Notes
    -----
    ``expected`` is written in the language in force when the problem was found
    (``_("a value between {low} and {high}").format(...)``); the rest of the
    message is written when it is shown, in the language in force then. The
    value is shown cut to :data:`VALUE_SHOWN_CHARS` characters, ID numbers masked.

    Examples
    --------
    >>> str(Problem(2, "county", "火星", "one of Jinhua's 9 county-level divisions", "p.csv"))
    "p.csv, row 2, column 'county': got '火星', expected one of Jinhua's 9 county-level divisions"
    """

    row: int | None
    column: str | None
    value: Any
    expected: str
    file: str | None = None
    aliases: tuple[str, ...] = ()
    header: str | None = None

    def where(self) -> str:
        """File, row and column, in the current language."""
        where = self.file or _("<table>")
        if self.row is not None:
            where += _(", row {row}").format(row=self.row)
        if self.column is not None:
            from jhmatch.i18n import get_language

            if self.header is not None and self.header != self.column and get_language() != "en":
                where += _(", column {header} ({column})").format(header=repr(self.header), column=self.column)
            else:
                where += _(", column {column}").format(column=repr(self.column))
        return where

    def __str__(self) -> str:
        text = _("{where}: got {value}, expected {expected}").format(
            where=self.where(), value=show_value(self.value), expected=self.expected)
        if self.aliases:
            shown = [str(a) for a in self.aliases[:12]]
            if len(self.aliases) > 12:
                shown.append("...")
            text += _(" (accepted: {values})").format(values=join_values(shown))
        return _scrub(text)


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
        super().__init__(self._text())

    def _text(self) -> str:
        from jhmatch.i18n import ngettext

        shown = "\n".join(f"  - {p}" for p in self.problems[:50])
        more = len(self.problems) - 50
        if more > 0:
            shown += "\n  " + _("... and {n} more").format(n=more)
        head = ngettext("{n} problem in {table}:", "{n} problems in {table}:", len(self.problems))
        return _scrub(head.format(n=len(self.problems), table=_table_name(self.table)) + "\n" + shown)

    def __str__(self) -> str:
        """Every problem (the first 50), in the current language, ID numbers masked."""
        return self._text()

    def __reduce__(self):  # keep the exception picklable for multiprocessing / dask
        return (type(self), (self.problems, self.table))


_TABLE_NAMES = {"persons": N_("persons table"), "posts": N_("posts table"), "employers": N_("employers table"),
                "households": N_("households table"), "file": N_("file"), "table": N_("table"),
                "courses": N_("courses table"), "trained": N_("training records table"),
                "targets": N_("targets file"), "scenario": N_("scenario file")}


def table_label(name: str) -> str:
    """A table's name as messages show it: ``persons`` in English, ``求职人员表`` in Chinese.

    Examples
    --------
    >>> table_label("persons")
    'persons'
    """
    from jhmatch.i18n import get_language

    if get_language() == "en" or name not in _TABLE_NAMES:
        return name
    return _(_TABLE_NAMES[name])


def join_values(values: Any) -> str:
    """Values listed as the current language lists them (``a, b`` in English, ``a、b`` in Chinese).

    Examples
    --------
    >>> join_values(["a", "b"])
    'a, b'
    """
    from jhmatch.i18n import get_language

    return ("、" if get_language() == "zh" else ", ").join(str(v) for v in values)


def _table_name(table: str) -> str:
    """``persons (p.csv)`` with the table's name translated."""
    name, sep, rest = str(table).partition(" ")
    return table_label(name) + sep + rest


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

    shown : sequence of str, optional
        The accepted values as the message lists them, in the current language
        (default: ``accepted``).

    Examples
    --------
    >>> str(UnknownLabelError("region", "火星", ["330702", "330703"]))
    "unknown region: '火星'; accepted: 330702, 330703"
    """

    def __init__(self, kind: str, value: Any, accepted: tuple[str, ...] | list[str] = (),
                 shown: tuple[str, ...] | list[str] | None = None):
        self.kind = kind
        self.value = value
        self.accepted = tuple(accepted)
        self.shown = tuple(shown) if shown is not None else self.accepted
        msg = _("unknown {kind}: {value}").format(kind=_(kind), value=show_value(value))
        if self.shown:
            values = [str(a) for a in self.shown[:20]] + (["..."] if len(self.shown) > 20 else [])
            msg += _("; accepted: {values}").format(values=join_values(values))
        super().__init__(msg)

    def __reduce__(self):
        return (type(self), (self.kind, self.value, self.accepted, self.shown))


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
        if purpose:
            text = _("{package} is needed for {purpose}; install it with: {command}")
        else:
            text = _("{package} is needed; install it with: {command}")
        super().__init__(text.format(package=package, purpose=_(purpose), command=f"pip install 'jhmatch[{extra}]'"))

    def __reduce__(self):
        return (type(self), (self.package, self.extra))


class InfeasibleError(JhmatchError):
    """Hard constraints cannot all hold; ``diagnosis`` names the conflicting ones."""

    def __init__(self, message: str, diagnosis: Any = None):
        self.diagnosis = diagnosis
        super().__init__(message)


class SolverError(JhmatchError):
    """A solver failed, crashed or returned something unusable."""


class SolverTimeoutError(SolverError, TimeoutError):
    """A solver stopped at its time limit without a proven optimum (also a :class:`TimeoutError`)."""


class SizeLimitError(JhmatchError, MemoryError):
    """A problem would need more memory than the configured limit allows."""


class ParameterError(JhmatchError, ValueError):
    """A policy or model parameter is missing, out of range, or not in force on a date."""


class ArgumentError(JhmatchError, TypeError):
    """A function was called with a wrong combination or kind of arguments.

    Also a :class:`TypeError`, which is what Python raises for a wrong call, so code
    that caught ``TypeError`` keeps working.

    Examples
    --------
    >>> isinstance(ArgumentError("give as_of= or year="), TypeError)
    True
    """


class NotFoundError(JhmatchError, KeyError):
    """A row, name or key that was asked for does not exist (also a :class:`KeyError`).

    Unlike a plain :class:`KeyError`, the message is shown as written, not quoted.

    Examples
    --------
    >>> str(NotFoundError("no row with employer_id = 'e9'"))
    "no row with employer_id = 'e9'"
    """

    def __str__(self) -> str:
        return Exception.__str__(self)


class ValueFormatError(JhmatchError, ValueError):
    """One value is not written in a form jhmatch reads; the message says what was expected.

    Raised by the cell parsers (``jhmatch.data.values``): table validation turns it
    into a :class:`Problem` of a :class:`SchemaError` naming the row and column,
    and a direct call sees it as it is. Also a :class:`ValueError`.

    Parameters
    ----------
    expected : str
        What was expected (``"M or F (男/女)"``), used as the problem's text.

    Examples
    --------
    >>> from jhmatch.data.values import parse_sex
    >>> try:
    ...     parse_sex("x")
    ... except ValueFormatError as exc:
    ...     print(exc.expected)
    M or F (男/女)
    """

    def __init__(self, expected: str):
        self.expected = expected
        super().__init__(expected)

    def __reduce__(self):
        return (type(self), (self.expected,))


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
        ``"unknown_column"``, ``"ignored_column"``, ``"key_column"``,
        ``"value_read_as"`` (a vague value read as the closest kind) or
        ``"read"`` (how the file was read: a hidden sheet passed over, merged
        cells filled).

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
        super().__init__(message)

    def __str__(self) -> str:
        """File, column and message (the message in the language it was found in), IDs masked."""
        where = self.file or _("<table>")
        if self.column is not None:
            where += _(", column {column}").format(column=show_value(self.column))
        return _scrub(f"{where}: {self.message}")

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
