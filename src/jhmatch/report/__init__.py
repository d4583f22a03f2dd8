"""Planner reports: a self-contained HTML page with embedded figures, in English or Chinese.

Part of the default install (matplotlib and jinja2 are base dependencies).
:func:`write_report` writes the placement report; other layers add their own
:class:`ReportSection` to it, or write a page of their own with
:func:`write_sections_report`.
"""

from jhmatch.report.html import placement_table, write_report
from jhmatch.report.sections import ReportSection, write_sections_report
from jhmatch.report.tradeoff import tradeoff_sections

__all__ = ["ReportSection", "placement_table", "tradeoff_sections", "write_report", "write_sections_report"]
