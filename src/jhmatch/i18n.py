"""Messages in the planner's language: gettext catalogues, read through Babel.

Every user-visible string is written in English in the code and wrapped in
:func:`gettext` (imported as ``_``); its Chinese text lives in a gettext
catalogue under ``jhmatch/locale/zh/LC_MESSAGES/``. There is one catalogue
(``.po`` file) per area of the library (``cli.po``, ``data.po``, ``report.po``,
...); they are read together, so a message may be used from any module. A test
(``tests/test_i18n.py``) extracts every wrapped string from the source with
Babel and fails when one has no Chinese text, or when the placeholders of a
translation differ from its original.

The Python API speaks English unless :func:`language` (a context manager) or
:func:`set_language` says otherwise. The command line speaks ``--lang``, or by
default :func:`default_language`: the environment variable ``JHMATCH_LANG``
(``en`` or ``zh``), else the locale (``LC_ALL``, ``LC_MESSAGES`` or ``LANG``
starting with ``zh``), else English.

Messages are translated when they are formatted, so text built inside
``with language("zh")`` is Chinese. Use :func:`N_` to mark a string for
translation where it is defined (a table of labels at module level) and
:func:`gettext` where it is shown.

Examples
--------
>>> from jhmatch.i18n import gettext as _, language
>>> with language("zh"):
...     _("placed")
'已安置'
>>> _("placed")
'placed'
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path

__all__ = [
    "LANGUAGES",
    "N_",
    "catalogue",
    "default_language",
    "format_number",
    "format_percent",
    "get_language",
    "gettext",
    "language",
    "ngettext",
    "set_language",
]

LANGUAGES = ("en", "zh")
"""Languages jhmatch speaks: English (the source text) and Chinese (simplified)."""

LOCALE_DIR = Path(__file__).with_name("locale")
_BABEL_LOCALE = {"en": "en", "zh": "zh_Hans_CN"}
_current: ContextVar[str | None] = ContextVar("jhmatch_language", default=None)


def _check(lang: str) -> str:
    code = str(lang).strip().lower().replace("-", "_")
    if code in ("zh_cn", "zh_hans", "zh_hans_cn", "cn", "中文"):
        code = "zh"
    if code not in LANGUAGES:
        from jhmatch.errors import ParameterError  # errors may translate its messages: i18n stays below it

        raise ParameterError(f"language {lang!r}: expected one of {', '.join(LANGUAGES)} (语言: en 英文, zh 中文)")
    return code


def default_language() -> str:
    """The command line's language when ``--lang`` is not given: ``JHMATCH_LANG``, else the locale.

    Examples
    --------
    >>> default_language() in LANGUAGES
    True
    """
    env = os.environ.get("JHMATCH_LANG")
    if env:
        return _check(env)
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def get_language() -> str:
    """The language messages are written in now (``"en"`` or ``"zh"``).

    Examples
    --------
    >>> with language("zh"):
    ...     get_language()
    'zh'
    """
    lang = _current.get()
    return lang if lang is not None else "en"


def set_language(lang: str | None) -> None:
    """Set the language for the rest of this context (``None``: back to the default).

    Examples
    --------
    >>> set_language("en"); get_language()
    'en'
    >>> set_language(None)
    """
    _current.set(None if lang is None else _check(lang))


@contextlib.contextmanager
def language(lang: str | None) -> Iterator[str]:
    """Write messages in ``lang`` inside the ``with`` block (``None``: leave it as it is).

    Raises
    ------
    ParameterError
        When ``lang`` is neither ``"en"`` nor ``"zh"``.

    Examples
    --------
    >>> with language("zh") as lang:
    ...     lang
    'zh'
    """
    if lang is None:
        yield get_language()
        return
    token = _current.set(_check(lang))
    try:
        yield _current.get() or "en"
    finally:
        _current.reset(token)


@functools.cache
def catalogue(lang: str = "zh") -> dict[str | tuple[str, str], str | tuple[str, ...]]:
    """Every translation into ``lang``, from all catalogues of the package, keyed by message id.

    Plural messages are keyed by ``(singular, plural)`` and map to a tuple of forms.
    Entries without a translation and fuzzy entries are left out.

    Examples
    --------
    >>> catalogue("zh")["placed"]
    '已安置'
    """
    from babel.messages.pofile import read_po

    merged: dict[str | tuple[str, str], str | tuple[str, ...]] = {}
    for path in sorted((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as fh:
            cat = read_po(fh, locale=_BABEL_LOCALE.get(lang, lang), domain=path.stem)
        for message in cat:
            if not message.id or message.fuzzy:
                continue
            key = tuple(message.id) if isinstance(message.id, (list, tuple)) else message.id
            text = tuple(message.string) if isinstance(message.string, (list, tuple)) else message.string
            if (isinstance(text, tuple) and all(text)) or (isinstance(text, str) and text):
                merged[key] = text  # type: ignore[index]
    return merged


def gettext(message: str) -> str:
    """``message`` in the current language (itself when English or untranslated).

    Examples
    --------
    >>> with language("zh"):
    ...     gettext("not placed")
    '未安置'
    """
    lang = get_language()
    if lang == "en":
        return message
    text = catalogue(lang).get(message)
    return text if isinstance(text, str) else message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n`` in the current language (Chinese has one form).

    Examples
    --------
    >>> ngettext("{n} row", "{n} rows", 2).format(n=2)
    '2 rows'
    """
    lang = get_language()
    if lang != "en":
        forms = catalogue(lang).get((singular, plural))
        if isinstance(forms, tuple) and forms:
            return forms[0]
    return singular if n == 1 else plural


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it now (translate where shown).

    Examples
    --------
    >>> N_("placed")
    'placed'
    """
    return message


def format_number(value: float, decimals: int = 0) -> str:
    """A number as the current language writes it (thousands separators; ``nan`` as a dash).

    Examples
    --------
    >>> format_number(1234567.891, 1)
    '1,234,567.9'
    >>> format_number(float("nan"))
    '—'
    """
    from babel.numbers import format_decimal

    if value != value:  # NaN
        return "—"
    fmt = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=fmt, locale=_BABEL_LOCALE[get_language()])


def format_percent(ratio: float, decimals: int = 1) -> str:
    """A ratio (0.584) as a percentage (``58.4%``); ``nan`` as a dash.

    Examples
    --------
    >>> format_percent(0.5608)
    '56.1%'
    """
    from babel.numbers import format_percent as _fmt

    if ratio != ratio:
        return "—"
    fmt = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
    return _fmt(ratio, format=fmt, locale=_BABEL_LOCALE[get_language()])
