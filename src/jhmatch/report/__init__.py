"""jhmatch.report."""
