"""The editor's two review panels, tabs beside "Ask the guide" and "Problems":

- :class:`CoveragePanel` ("Coverage", panels_coverage.py): asks the guide every question the pack implies and lists
  what it gets wrong, each failure opening the field to fix;
- :class:`VisitorsPanel` ("What visitors asked", panels_visitors.py): imports the questions kiosks could not answer,
  grouped by frequency, to turn into curated questions or mark out of scope.
"""

from __future__ import annotations

from kiosk.editor.panels_coverage import CoveragePanel, open_field
from kiosk.editor.panels_visitors import VisitorsPanel

__all__ = ["CoveragePanel", "VisitorsPanel", "open_field"]
