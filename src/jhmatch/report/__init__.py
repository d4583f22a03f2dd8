"""Planner reports: a self-contained HTML page with embedded figures (extra ``report``)."""

from jhmatch.report.html import placement_table, write_report

__all__ = ["placement_table", "write_report"]
