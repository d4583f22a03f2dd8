"""Explanation text that is written in the planner's language when it is shown.

Components explain a pair with a :class:`Text`: an English message template
(wrapped in ``N_`` so it is extracted into the ``matching.po`` catalogue) and its
values. Nothing is translated when the explanation is built; ``str(text)`` renders
it in the language current at that moment (:func:`jhmatch.i18n.language`), so one
:class:`~jhmatch.matching.Explanation` can be shown in English and in Chinese.

Values may themselves be texts: a :class:`Text`, a :class:`Label` (a name the
taxonomy already holds in both languages, such as a hazard or a post kind), or a
:class:`Joined` list of texts. Plain strings and numbers are shown as they are.

Examples
--------
>>> from jhmatch.i18n import N_, language
>>> t = Text(N_("commute {km:.1f} km (value {value:.2f})"), km=12.34, value=0.5)
>>> str(t)
'commute 12.3 km (value 0.50)'
>>> with language("zh"):
...     str(t)
'通勤距离12.3公里（得分0.50）'
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jhmatch.i18n import get_language
from jhmatch.i18n import gettext as _

__all__ = ["Joined", "Label", "Text", "as_text", "render"]


def render(value: Any) -> Any:
    """A message value as it is shown now: texts rendered, anything else unchanged."""
    if isinstance(value, (Text, Label, Joined)):
        return str(value)
    return value


class Text:
    """A message template (an English msgid) and its values, translated when shown.

    Parameters
    ----------
    template : str
        English text with ``{named}`` placeholders, marked ``N_("...")`` where written.
    **values
        The placeholders' values (numbers, strings, or other texts).

    Examples
    --------
    >>> from jhmatch.i18n import N_
    >>> Text(N_("no preferred post kinds given")).render("zh")
    '未填写求职意向'
    """

    __slots__ = ("template", "values")

    def __init__(self, template: str, /, **values: Any):
        self.template, self.values = template, values

    def __str__(self) -> str:
        text = _(self.template)
        return text.format(**{k: render(v) for k, v in self.values.items()}) if self.values else text

    def render(self, lang: str | None = None) -> str:
        """The text in ``lang`` (default: the current language)."""
        from jhmatch.i18n import language

        with language(lang):
            return str(self)

    def __repr__(self) -> str:
        return f"Text({self.template!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and (self.template, self.values) == (other.template, other.values)

    def __hash__(self) -> int:
        return hash(self.template)


class Label:
    """A name the reference tables hold in both languages (a hazard, a post kind, an education level).

    Examples
    --------
    >>> Label("drives a motor vehicle", "驾驶车辆").render("zh")
    '驾驶车辆'
    """

    __slots__ = ("en", "zh")

    def __init__(self, en: str, zh: str):
        self.en, self.zh = en, zh

    def __str__(self) -> str:
        return self.zh if get_language() == "zh" else self.en

    def render(self, lang: str | None = None) -> str:
        """The label in ``lang`` (default: the current language)."""
        from jhmatch.i18n import language

        with language(lang):
            return str(self)

    def __repr__(self) -> str:
        return f"Label({self.en!r}, {self.zh!r})"


class Joined:
    """Texts joined by a separator of the current language.

    ``how`` is ``"list"`` (``, `` / ``、``), ``"clauses"`` (``; `` / ``；``),
    ``"alternatives"`` (`` | ``) or ``"sections"`` (`` || ``).

    Examples
    --------
    >>> j = Joined([Label("screen reader", "读屏软件"), Label("job coach", "就业辅导员")])
    >>> j.render("en"), j.render("zh")
    ('screen reader, job coach', '读屏软件、就业辅导员')
    """

    __slots__ = ("how", "items")

    def __init__(self, items: Iterable[Any], how: str = "list"):
        self.items, self.how = tuple(items), how

    def __str__(self) -> str:
        separator = {"list": _(", "), "clauses": _("; "), "alternatives": " | ", "sections": " || "}[self.how]
        return separator.join(str(render(item)) for item in self.items)

    def render(self, lang: str | None = None) -> str:
        """The joined text in ``lang`` (default: the current language)."""
        from jhmatch.i18n import language

        with language(lang):
            return str(self)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __repr__(self) -> str:
        return f"Joined({len(self.items)} items, how={self.how!r})"


def as_text(value: Any) -> Text | Label | Joined:
    """What a component's ``describe``/``exclusion_reason`` returned, as a text.

    A :class:`Text`, :class:`Label` or :class:`Joined` is kept; an ``(english,
    chinese)`` pair (the older contract of custom components) becomes a
    :class:`Label`; any other value is shown as given in every language.

    Examples
    --------
    >>> as_text(("fine", "合适")).render("zh")
    '合适'
    """
    if isinstance(value, (Text, Label, Joined)):
        return value
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, str) for v in value):
        return Label(value[0], value[1])
    return Label(str(value), str(value))
