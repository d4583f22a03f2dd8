"""Explanations of single person–post scores, in English and Chinese (IDs masked)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Contribution", "Explanation", "RuleFired"]


@dataclass(frozen=True)
class Contribution:
    """One component's share of a pair's score.

    Attributes
    ----------
    name, name_zh : str
        Component name in English and Chinese.
    value : float
        The component's value in [0, 1].
    weight : float
        Its weight (weights sum to 1).
    contribution : float
        ``weight * value``; the contributions sum to the score.
    en, zh : str
        What the value means for this pair.
    """

    name: str
    name_zh: str
    value: float
    weight: float
    contribution: float
    en: str
    zh: str


@dataclass(frozen=True)
class RuleFired:
    """A hard rule or blocking step that excluded the pair.

    Attributes
    ----------
    component : str
        The component whose rule fired (``"capacity"`` for a full post).
    en, zh : str
        The rule and the values that triggered it.
    """

    component: str
    en: str
    zh: str


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
    >>> e = Explanation("p***1", "q***2", 0.5, "candidate",
    ...                 (Contribution("skills", "技能", 0.5, 1.0, 0.5, "similar", "相似"),), ())
    >>> print(e.text("en").splitlines()[0])
    person p***1 - post q***2: score 0.500 (candidate)
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

    def text(self, lang: str = "en") -> str:
        """A readable multi-line explanation in ``"en"`` or ``"zh"``."""
        if lang == "zh":
            status = {"candidate": "候选", "excluded": "排除", "not_in_top_k": "未进入前k名"}[self.status]
            lines = [f"人员 {self.person} - 岗位 {self.post}：得分 {self.score:.3f}（{status}）"]
            lines += [f"  排除规则［{r.component}］：{r.zh}" for r in self.rules]
            lines += [f"  {c.name_zh}：{c.value:.2f} × 权重 {c.weight:.2f} = {c.contribution:.3f}；{c.zh}"
                      for c in self.contributions]
        else:
            lines = [f"person {self.person} - post {self.post}: score {self.score:.3f} ({self.status.replace('_', ' ')})"]
            lines += [f"  rule [{r.component}]: {r.en}" for r in self.rules]
            lines += [f"  {c.name}: {c.value:.2f} x weight {c.weight:.2f} = {c.contribution:.3f}; {c.en}"
                      for c in self.contributions]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text("en")

    def __repr__(self) -> str:
        return (f"Explanation(person={self.person!r}, post={self.post!r}, score={self.score:.3f}, "
                f"status={self.status!r}, rules={[r.component for r in self.rules]})")
