"""A learned scorer: placement outcomes from pair features, saved as JSON (no pickle).

:class:`LearnedScorer` is a scikit-learn classifier (logistic regression on the
pair features, e.g. the rule-based component values). Logistic regression
minimises log-loss, so its probabilities are calibrated when the features
separate outcomes roughly linearly in log-odds; ``tests/matching`` checks the
calibration on simulated outcomes. A fitted model rescores a
:class:`ScoreMatrix` over the same candidate pairs (:meth:`LearnedScorer.rescore`),
a drop-in replacement for the rule-based score downstream.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from jhmatch.errors import ParameterError
from jhmatch.matching.score_matrix import ScoreMatrix

__all__ = ["LearnedScorer", "pair_features"]

_FORMAT = "jhmatch.LearnedScorer/1"


def pair_features(scores: ScoreMatrix, names: tuple[str, ...] | None = None) -> tuple[np.ndarray, tuple[str, ...]]:
    """Feature matrix of a ScoreMatrix's candidate pairs: one column per component.

    Examples
    --------
    >>> import pandas as pd
    >>> sm = ScoreMatrix.from_frame(pd.DataFrame({"person_id": ["a"], "post_id": ["x"], "score": [0.5],
    ...                                           "skills": [0.2]}), components=("skills",))
    >>> pair_features(sm)[0].tolist(), pair_features(sm)[1]
    ([[0.2]], ('skills',))
    """
    names = tuple(scores.components) if names is None else tuple(names)
    missing = [n for n in names if n not in scores.components]
    if missing:
        raise ParameterError(f"the ScoreMatrix has no components {missing}; it has {sorted(scores.components)}")
    if not names:
        raise ParameterError("the ScoreMatrix keeps no components to learn from")
    cols = [np.asarray(scores.components[n].data, dtype=float) for n in names]
    return np.column_stack(cols), names


class LearnedScorer(ClassifierMixin, BaseEstimator):
    """Logistic-regression placement model with JSON persistence.

    Parameters
    ----------
    C : float, default 1.0
        Inverse L2 regularisation strength.
    max_iter : int, default 1000
    class_weight : dict, "balanced" or None
    random_state : int or None
        Passed to the solver (kept for the scikit-learn convention).

    Attributes
    ----------
    classes_ : ndarray
    coef_ : ndarray, shape (1, n_features) or (n_classes, n_features)
    intercept_ : ndarray
    n_features_in_ : int
    n_iter_ : ndarray
        Solver iterations.
    feature_names_ : tuple of str
        Component names when fitted through :meth:`fit_pairs`, else ``()``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = rng.random((200, 2)); y = (X[:, 0] + 0.2 * rng.standard_normal(200) > 0.5).astype(int)
    >>> model = LearnedScorer().fit(X, y)
    >>> bool(model.score(X, y) > 0.7), model.predict_proba(X[:2]).shape
    (True, (2, 2))
    >>> LearnedScorer.from_json(model.to_json()).predict_proba(X[:2]).round(6).tolist() == \\
    ...     model.predict_proba(X[:2]).round(6).tolist()
    True
    """

    def __init__(self, C: float = 1.0, max_iter: int = 1000, class_weight: Any = None,
                 random_state: int | None = None):
        self.C = C
        self.max_iter = max_iter
        self.class_weight = class_weight
        self.random_state = random_state

    def fit(self, X: Any, y: Any) -> LearnedScorer:
        """Fit on pair features ``X`` and outcomes ``y`` (e.g. 1 = placement lasted)."""
        X, y = validate_data(self, X, y)
        check_classification_targets(y)
        model = LogisticRegression(C=self.C, max_iter=self.max_iter, class_weight=self.class_weight,
                                   random_state=self.random_state)
        model.fit(X, y)
        self.classes_ = model.classes_
        self.coef_ = model.coef_
        self.intercept_ = model.intercept_
        self.n_iter_ = model.n_iter_
        if not hasattr(self, "feature_names_"):
            self.feature_names_: tuple[str, ...] = ()
        return self

    def fit_pairs(self, scores: ScoreMatrix, outcomes: Any, names: tuple[str, ...] | None = None) -> LearnedScorer:
        """Fit on a ScoreMatrix's pairs (row-major order) and their outcomes."""
        X, names = pair_features(scores, names)
        self.feature_names_ = names
        return self.fit(X, np.asarray(outcomes))

    def decision_function(self, X: Any) -> np.ndarray:
        """Log-odds (binary) or per-class scores."""
        check_is_fitted(self, "coef_")
        X = validate_data(self, X, reset=False)
        z = X @ self.coef_.T + self.intercept_
        return z.ravel() if z.shape[1] == 1 else z

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities, shape (n_samples, n_classes)."""
        z = self.decision_function(X)
        if z.ndim == 1:
            p = 1.0 / (1.0 + np.exp(-z))
            return np.column_stack([1.0 - p, p])
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def predict(self, X: Any) -> np.ndarray:
        """Most probable class."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    def rescore(self, scores: ScoreMatrix) -> ScoreMatrix:
        """The same candidate pairs scored by the probability of the positive (last) class.

        Probabilities are floored at 1e-6 so every candidate pair stays in (0, 1].
        """
        X, _ = pair_features(scores, self.feature_names_ or None)
        p = np.clip(self.predict_proba(X)[:, -1], 1e-6, 1.0) if X.shape[0] else np.empty(0)
        new = scores.scores.copy()
        new.data = p.astype(new.data.dtype)
        return ScoreMatrix(new, scores.person_ids, scores.post_ids, dict(scores.components))

    # ------------------------------------------------------------------ persistence
    def to_json(self) -> str:
        """The fitted model as a JSON string (parameters, classes, coefficients)."""
        check_is_fitted(self, "coef_")
        classes = self.classes_.tolist()
        return json.dumps({
            "format": _FORMAT,
            "params": {k: v for k, v in self.get_params().items() if not isinstance(v, dict)},
            "class_weight": self.class_weight if isinstance(self.class_weight, (dict, str, type(None))) else None,
            "classes": classes,
            "classes_dtype": str(self.classes_.dtype),
            "coef": self.coef_.tolist(),
            "intercept": self.intercept_.tolist(),
            "n_features_in": int(self.n_features_in_),
            "n_iter": np.asarray(self.n_iter_).tolist(),
            "feature_names": list(self.feature_names_),
        })

    @classmethod
    def from_json(cls, text: str) -> LearnedScorer:
        """Rebuild a fitted model from :meth:`to_json` output (no code is executed)."""
        data = json.loads(text)
        if data.get("format") != _FORMAT:
            raise ParameterError(f"not a saved LearnedScorer (format {data.get('format')!r}, expected {_FORMAT!r})")
        params = dict(data["params"])
        params["class_weight"] = data.get("class_weight")
        model = cls(**params)
        model.classes_ = np.asarray(data["classes"], dtype=data["classes_dtype"])
        model.coef_ = np.asarray(data["coef"], dtype=float)
        model.intercept_ = np.asarray(data["intercept"], dtype=float)
        model.n_features_in_ = int(data["n_features_in"])
        model.n_iter_ = np.asarray(data.get("n_iter", [0]), dtype=np.int32)
        model.feature_names_ = tuple(data["feature_names"])
        return model

    def save(self, path: str | Path) -> None:
        """Write :meth:`to_json` to ``path``."""
        Path(path).write_text(self.to_json(), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> LearnedScorer:
        """Read a model written by :meth:`save`."""
        return cls.from_json(Path(path).read_text(encoding="utf-8"))
