"""jhmatch.optimize.backends."""
