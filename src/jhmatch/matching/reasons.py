"""Short reasons for recommended pairs: the components that contribute most to each score.

A recommendation table (:func:`~jhmatch.matching.recommend.top_posts`,
:func:`~jhmatch.matching.recommend.top_persons` with ``reasons=True``) gets a
``reason`` column such as ``功能匹配 1.00、技能匹配 0.46`` (``functional fit 1.00, skills
match 0.46`` in English): the two components whose ``weight × value`` adds most to
the pair's score, with their values. It is written in the language current when
the table is made (:func:`jhmatch.i18n.language`). The work is vectorised: each
distinct reason is written once.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from jhmatch.i18n import N_
from jhmatch.matching._frozen import FrozenMapping
from jhmatch.matching.certificates import CertificateComponent
from jhmatch.matching.components import AgeComponent, EducationComponent, PreferenceComponent
from jhmatch.matching.functional import FunctionalComponent
from jhmatch.matching.location import LocationComponent
from jhmatch.matching.messages import Joined, Label, Text
from jhmatch.matching.score_matrix import ScoreMatrix
from jhmatch.matching.skills import SkillsComponent

__all__ = ["COMPONENT_LABELS", "main_factors"]

COMPONENT_LABELS: FrozenMapping[str, str] = FrozenMapping({cls.name: cls.label for cls in (
    FunctionalComponent, SkillsComponent, LocationComponent, EducationComponent, PreferenceComponent, AgeComponent,
    CertificateComponent)})
"""Display names of the built-in components (their ``label``; translated where shown)."""


def main_factors(scores: ScoreMatrix, positions: np.ndarray, weights: Mapping[str, float] | None = None,
                 n: int = 2) -> np.ndarray:
    """The ``n`` components contributing most to each pair, with their values, as text.

    Parameters
    ----------
    scores : ScoreMatrix
        With per-component values (``scores.components``).
    positions : ndarray of int
        Positions of the pairs in ``scores.scores.data`` (row-major order of :meth:`ScoreMatrix.pairs`).
    weights : mapping of str to float, optional
        Component weights (the scorer's ``weights_``); default the scorer's defaults.
    n : int, default 2
        Components named per pair (those with weight 0 are never named).

    Returns
    -------
    ndarray of str
        One reason per position (empty when ``scores`` holds no component values).

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> m = lambda v: sp.csr_array(np.array([v], dtype=np.float32))
    >>> sm = ScoreMatrix(m([0.7]), ["a"], ["x"], {"functional": m([1.0]), "skills": m([0.4]), "age": m([1.0])})
    >>> main_factors(sm, np.array([0])).tolist()
    ['functional fit 1.00, skills match 0.40']
    """
    from jhmatch.matching.scorer import DEFAULT_WEIGHTS

    weights = DEFAULT_WEIGHTS if weights is None else weights
    names = [name for name in scores.components if weights.get(name, 0.0) > 0]
    positions = np.asarray(positions, np.int64)
    if not names or not positions.size:
        return np.full(positions.size, "", dtype=object)
    values = np.stack([scores.components[name].data[positions] for name in names], axis=1).astype(np.float64)
    share = values * np.array([weights[name] for name in names])
    n = min(n, len(names))
    top = np.argsort(-share, axis=1, kind="stable")[:, :n]  # ties: the scorer's component order
    cents = np.rint(np.take_along_axis(values, top, axis=1) * 100).astype(np.int64)  # values in [0, 1], to 0.01
    keys = np.zeros(positions.size, np.int64)
    for c in range(n):  # one integer per (components, values): each distinct reason is written once
        keys = (keys * len(names) + top[:, c]) * 101 + cents[:, c]
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    labels = [Text(COMPONENT_LABELS[name]) if name in COMPONENT_LABELS else Label(name, name) for name in names]
    template = N_("{component} {value:.2f}")
    texts = np.array([str(Joined(Text(template, component=labels[c], value=v / 100)
                                 for c, v in zip(top[i], cents[i]))) for i in first], dtype=object)
    return texts[inverse.ravel()]
