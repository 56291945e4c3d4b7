"""HTML to PDF (A4, tagged PDF/UA-1, title and language from the HTML)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    refused: tuple[str, ...]  # URLs the document asked for and did not get


def render_pdf(html: str, static_dir: Path) -> RenderedPdf:
    """Render one document; a fresh font configuration per render, as WeasyPrint wants."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from assessor.pdf.fetcher import StaticOnlyFetcher

    fetcher = StaticOnlyFetcher(static_dir)
    fonts = FontConfiguration()
    document = HTML(string=html, base_url=static_dir.resolve().as_uri() + "/", url_fetcher=fetcher)
    data = document.write_pdf(font_config=fonts, pdf_variant="pdf/ua-1")
    return RenderedPdf(data, tuple(fetcher.refused))
