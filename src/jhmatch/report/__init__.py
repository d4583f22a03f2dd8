"""Planner reports: a self-contained HTML page with embedded figures, in English or Chinese.

Part of the default install (matplotlib and jinja2 are base dependencies).
"""

from jhmatch.report.html import placement_table, write_report

__all__ = ["placement_table", "write_report"]
