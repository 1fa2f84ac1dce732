"""PDF rendering of the student's report: plain data in, PDF bytes out (reportlab only, no Qt, no ORM)."""
from reports.pdf import render_report

__all__ = ["render_report"]
