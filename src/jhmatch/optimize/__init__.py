"""jhmatch.optimize."""
