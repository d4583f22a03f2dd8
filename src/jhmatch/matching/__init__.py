"""Person–post compatibility scoring and recommendation.

The rule-based :class:`CompatibilityScorer` combines documented components
(functional capacity versus the post's own demands, hazards and essential functions;
licences and certificates; skills, education, location, preferences, age) into a sparse :class:`ScoreMatrix` over candidate pairs; :meth:`explain`
says why, in the planner's language (:mod:`jhmatch.i18n`). Profiles and their rationale are in
:mod:`jhmatch.matching.profiles`.
"""

from jhmatch.matching.certificates import CertificateComponent
from jhmatch.matching.components import (
    AgeComponent,
    CallableComponent,
    Component,
    EducationComponent,
    PreferenceComponent,
)
from jhmatch.matching.explain import Contribution, Explanation, RuleFired
from jhmatch.matching.functional import FunctionalComponent
from jhmatch.matching.hazard_rules import HAZARD_RELIEF, HAZARD_RULES
from jhmatch.matching.location import LocationComponent
from jhmatch.matching.metrics import catalogue_coverage, exposure, mrr, ndcg_at_k, precision_at_k, recall_at_k
from jhmatch.matching.post_facts import PostFacts, post_facts
from jhmatch.matching.profiles import (
    ACCOMMODATION_EFFECTS,
    CAPACITY_TABLE,
    KIND_ADJUSTMENTS,
    Capacities,
    capacity_profile,
    kind_demand,
    occupation_demand,
    person_capacities,
    post_demands,
)
from jhmatch.matching.recommend import recommend_persons, recommend_posts, top_persons, top_posts
from jhmatch.matching.score_matrix import ScoreMatrix
from jhmatch.matching.scorer import DEFAULT_WEIGHTS, CompatibilityScorer
from jhmatch.matching.skills import SkillsComponent

_LAZY = {"LearnedScorer": "jhmatch.matching.learned", "pair_features": "jhmatch.matching.learned",
         **{name: "jhmatch.matching.titles" for name in
            ("COLLOQUIAL_SYNONYMS", "TitleMatches", "TitleNormalizer", "clean_title", "normalize_titles")}}


def __getattr__(name: str) -> object:
    """Import the scikit-learn-based modules (learned scorer, title normaliser) only when used."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    if name == "FunctionComponent":  # deprecated one release (issue 15): renamed CallableComponent
        import warnings

        warnings.warn("FunctionComponent is deprecated; use CallableComponent", DeprecationWarning, stacklevel=2)
        return CallableComponent
    raise AttributeError(f"module 'jhmatch.matching' has no attribute {name!r}")


__all__ = [
    "ACCOMMODATION_EFFECTS",
    "CAPACITY_TABLE",
    "COLLOQUIAL_SYNONYMS",
    "DEFAULT_WEIGHTS",
    "HAZARD_RELIEF",
    "HAZARD_RULES",
    "KIND_ADJUSTMENTS",
    "AgeComponent",
    "CallableComponent",
    "Capacities",
    "CertificateComponent",
    "CompatibilityScorer",
    "Component",
    "Contribution",
    "EducationComponent",
    "Explanation",
    "FunctionalComponent",
    "LearnedScorer",
    "LocationComponent",
    "PostFacts",
    "PreferenceComponent",
    "RuleFired",
    "ScoreMatrix",
    "SkillsComponent",
    "TitleMatches",
    "TitleNormalizer",
    "capacity_profile",
    "catalogue_coverage",
    "clean_title",
    "exposure",
    "kind_demand",
    "mrr",
    "ndcg_at_k",
    "normalize_titles",
    "occupation_demand",
    "pair_features",
    "person_capacities",
    "post_demands",
    "post_facts",
    "precision_at_k",
    "recall_at_k",
    "recommend_persons",
    "recommend_posts",
    "top_persons",
    "top_posts",
]
