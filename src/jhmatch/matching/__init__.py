"""Person–post compatibility scoring and recommendation."""

from jhmatch.matching.score_matrix import ScoreMatrix

__all__ = ["ScoreMatrix"]
