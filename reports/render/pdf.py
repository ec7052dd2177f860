"""HTML to PDF through WeasyPrint, with a CJK font embedded so Chinese text renders.

The font comes from the system (Debian ``fonts-noto-cjk``, found by fontconfig, see
``scripts/system-deps.sh``); WeasyPrint embeds the subset of glyphs a document uses, so the
PDF reads the same on a machine without the font. WeasyPrint is imported on first use
(it takes most of a second), not when Govern starts.
"""

from __future__ import annotations

import io
from typing import IO

from governance.errors import GovernError, said

#: The font stack of every document (the base template's CSS names the same families).
FONT_FAMILY = '"Noto Sans CJK SC", "Noto Sans SC", "Noto Sans", sans-serif'


class PdfUnavailable(GovernError):
    """WeasyPrint or its system libraries (Pango) are not installed."""


def write_pdf(html: str, out: IO[bytes]) -> None:
    """Render ``html`` (a standalone page: no external asset is fetched) into ``out``."""
    try:
        from weasyprint import HTML  # heavy import (~0.7 s), only for PDFs
    except (ImportError, OSError) as exc:  # OSError: Pango missing
        raise said(PdfUnavailable, "PDF needs WeasyPrint and Pango: %(error)s", error=str(exc)) from exc
    HTML(string=html, url_fetcher=_no_fetch).write_pdf(out)


def html_to_pdf(html: str) -> bytes:
    """``html`` as PDF bytes."""
    buffer = io.BytesIO()
    write_pdf(html, buffer)
    return buffer.getvalue()


def _no_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    """Documents are standalone: nothing is fetched while rendering (no network, no file)."""
    raise ValueError(f"reports fetch nothing: {url}")
