"""Synthetic Jinhua scenarios and provinces, the hidden outcome model, and the packaged reference data."""

from jhmatch.datasets.jinhua import Scenario, make_jinhua
from jhmatch.datasets.network import make_chain_network
from jhmatch.datasets.outcomes import Outcomes, simulate_history, simulate_outcomes
from jhmatch.datasets.province import ZHEJIANG_CITIES, Province, make_province
from jhmatch.reference import ABILITY_NAMES, load_abilities, load_occupations

__all__ = [
    "ABILITY_NAMES",
    "ZHEJIANG_CITIES",
    "Outcomes",
    "Province",
    "Scenario",
    "load_abilities",
    "load_occupations",
    "make_chain_network",
    "make_jinhua",
    "make_province",
    "simulate_history",
    "simulate_outcomes",
]
