"""The report as a PDF: the summary on its first pages, the details as an appendix.

Rendered on the server by WeasyPrint from the same partials as the page (and its print
layout), with the charts as vector SVG. WeasyPrint needs Pango from the system (Debian's
libpango-1.0-0, which ``make`` installs where it can).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from .page import report_view

STYLESHEETS = ("css/pdf.css",)


def report_pdf(*, document: dict[str, Any], min_group_size: int) -> bytes:
    import weasyprint  # loads Pango: only when a PDF is asked for

    styles = "\n".join((settings.BASE_DIR / "static" / path).read_text() for path in STYLESHEETS)
    html = render_to_string(
        "assessment/report_pdf.html",
        {
            "view": report_view(document),
            "full": True,
            "pdf": True,  # no per-question tables: they belong to the page and the CSV
            "min_group_size": min_group_size,
            "styles": styles,
        },
    )
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
