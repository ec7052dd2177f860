"""The rendering layer: documents from values, in every format Govern writes.

Stable API (other report kinds, e.g. scorecards, render through it):

* :func:`reports.render.html.render_html` — a Jinja2 template of ``reports/templates`` to one
  standalone HTML page (inline CSS and SVG, no external asset, printable), in ``en``/``zh-CN``;
* :func:`reports.render.pdf.html_to_pdf` — that HTML to PDF through WeasyPrint, CJK font embedded;
* :mod:`reports.render.charts` — inline SVG bar and line charts for templates;
* :mod:`reports.render.tables` — :class:`~reports.render.tables.Sheet` values streamed to CSV or
  to a write-only XLSX workbook, every text cell formula-neutralised;
* :mod:`reports.render.jsondoc` — streamed JSON documents and schema validation;
* :mod:`reports.render.sarif` — a SARIF 2.1.0 log from findings (``sarif-pydantic`` object model),
  validated against the official schema shipped in ``reports/schemas``.
"""

from reports.render.i18n import LANGS, Lang, lang_of, translations

__all__ = ["LANGS", "Lang", "lang_of", "translations"]
