"""jhmatch.datasets."""
