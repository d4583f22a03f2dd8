"""jhmatch.policy."""
