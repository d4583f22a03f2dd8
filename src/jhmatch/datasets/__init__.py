"""Synthetic Jinhua scenarios and the packaged reference data."""

from jhmatch.datasets.reference import ABILITY_NAMES, load_abilities, load_occupations

__all__ = ["ABILITY_NAMES", "load_abilities", "load_occupations"]
