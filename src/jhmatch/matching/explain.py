"""Explanations of single person–post scores, shown in the planner's language (IDs masked).

An explanation holds texts (:mod:`jhmatch.matching.messages`), not finished
sentences: ``str(explanation)`` and :meth:`Explanation.text` write it in the current
language (``with jhmatch.i18n.language("zh"):``), or in the ``lang`` asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jhmatch.i18n import N_, language
from jhmatch.i18n import gettext as _
from jhmatch.matching._frozen import frozen
from jhmatch.matching.messages import Label, as_text

__all__ = ["STATUS_LABELS", "Contribution", "Explanation", "RuleFired"]

STATUS_LABELS = frozen({"candidate": N_("candidate"), "excluded": N_("excluded"), "not_in_top_k": N_("not in top k")})
"""Status → its label (translated where shown)."""


def _in(lang: str, text: Any) -> str:
    with language(lang):
        return str(text)


class _Reasoned:
    """The ``reason`` of an explanation part, in the current language, English or Chinese."""

    reason: Any

    @property
    def text(self) -> str:
        """The reason in the current language."""
        return str(self.reason)

    @property
    def en(self) -> str:
        """The reason in English."""
        return _in("en", self.reason)

    @property
    def zh(self) -> str:
        """The reason in Chinese."""
        return _in("zh", self.reason)


@dataclass(frozen=True, repr=False)
class Contribution(_Reasoned):
    """One component's share of a pair's score.

    Attributes
    ----------
    name : str
        Component name (``"functional"``, ``"skills"`` ...).
    label : Text or Label
        Its display name, in the language current when shown.
    value : float
        The component's value in [0, 1].
    weight : float
        Its weight (weights sum to 1).
    contribution : float
        ``weight * value`` (float32, as the scorer adds it); the contributions sum to the score.
    reason : Text
        What the value means for this pair (``str(reason)``: in the current language).
    """

    name: str
    label: Any
    value: float
    weight: float
    contribution: float
    reason: Any

    @property
    def name_zh(self) -> str:
        """The component's display name in Chinese."""
        return _in("zh", self.label)

    def __repr__(self) -> str:
        return f"Contribution({self.name!r}, value={self.value:.3f}, weight={self.weight:.3f})"


@dataclass(frozen=True, repr=False)
class RuleFired(_Reasoned):
    """A hard rule or blocking step that excluded the pair.

    Attributes
    ----------
    component : str
        The component whose rule fired (``"capacity"`` for a full post, ``"score"``
        for a combined score of 0).
    reason : Text
        The rule and the values that triggered it (``str(reason)``: in the current language).
    label : Text or Label
        The component's display name.
    """

    component: str
    reason: Any
    label: Any = None

    def __repr__(self) -> str:
        return f"RuleFired({self.component!r})"


@dataclass(frozen=True, repr=False)
class Explanation:
    """Why a person–post pair scores what it scores.

    Attributes
    ----------
    person, post : str
        Masked identifiers (:func:`jhmatch.data.ids.mask_id`).
    score : float
        The combined score (0 when a hard rule excludes the pair).
    status : str
        ``"candidate"`` (in the ScoreMatrix), ``"excluded"`` (a hard rule or blocking
        fired), or ``"not_in_top_k"`` (allowed, but outside the person's top k).
    contributions : tuple of Contribution
        One per component, in the scorer's order.
    rules : tuple of RuleFired
        The hard rules that fired (empty unless excluded).

    Examples
    --------
    >>> from jhmatch.i18n import N_
    >>> from jhmatch.matching.messages import Text
    >>> e = Explanation("p***1", "q***2", 0.5, "candidate", (Contribution(
    ...     "skills", Text(N_("skills match")), 0.5, 1.0, 0.5, Text(N_("the post lists no skills"))),), ())
    >>> print(e.text("en").splitlines()[0])
    person p***1 - post q***2: score 0.500 (candidate)
    >>> print(e.text("zh").splitlines()[1])
      技能匹配：0.50 × 权重 1.00 = 0.500；岗位未列技能要求
    """

    person: str
    post: str
    score: float
    status: str
    contributions: tuple[Contribution, ...]
    rules: tuple[RuleFired, ...]

    @property
    def trainable(self) -> bool:
        """Excluded only for want of a certificate: training and the exam would open the post."""
        return bool(self.rules) and all(r.component == "certificates" for r in self.rules)

    def text(self, lang: str | None = None) -> str:
        """A readable multi-line explanation in ``lang`` (``"en"``, ``"zh"``; default: the current language)."""
        with language(lang):
            lines = [_("person {person} - post {post}: score {score:.3f} ({status})").format(
                person=self.person, post=self.post, score=self.score, status=_(STATUS_LABELS[self.status]))]
            lines += ["  " + _("rule of {component}: {reason}").format(
                component=as_text(r.label if r.label is not None else Label(r.component, r.component)),
                reason=r.reason) for r in self.rules]
            lines += ["  " + _("{component}: {value:.2f} x weight {weight:.2f} = {contribution:.3f}; {reason}").format(
                component=c.label, value=c.value, weight=c.weight, contribution=c.contribution, reason=c.reason)
                for c in self.contributions]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return (f"Explanation(person={self.person!r}, post={self.post!r}, score={self.score:.3f}, "
                f"status={self.status!r}, rules={[r.component for r in self.rules]})")
