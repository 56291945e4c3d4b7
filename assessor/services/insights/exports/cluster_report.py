"""The cluster report PDF: the insights page's sections in order, for a board meeting,
branded with the cluster's logo and colour, its charts inline SVG.

Rendered in the request that asks for it (it has no row to be kept in, as plans and
workshop summaries have), so bounded three ways: the route's rate limit per account, the
render time limit (PDF_TIME_LIMIT, as a worker's attempt has), and a cache of the last
reports rendered by this process, keyed by their HTML and stylesheets (a board pack
downloaded twice is rendered once)."""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from functools import cache
from pathlib import Path

from flask import current_app, render_template
from flask_babel import format_date, format_decimal, format_percent

from assessor.domain.rounding import rounded
from assessor.paths import STATIC_DIR
from assessor.services.insights.exports.build import InsightsExport
from assessor.services.insights.exports.labels import (
    DMA_DIMENSIONS,
    FILTER_NAMES,
    READINESS_STATES,
    SERVICE_SOURCES,
    dma_disclaimer,
    hidden_note,
    suppression_text,
)
from assessor.services.insights.filters import InsightFilters
from assessor.services.questionnaires.translated import current_language

STYLESHEETS = ("print.css", "insights-report.css")
_CACHE_SIZE = 16  # reports of about 100 KB each
_cache: OrderedDict[str, bytes] = OrderedDict()
_cache_lock = threading.Lock()


@cache
def _stylesheets_fingerprint() -> bytes:
    digest = hashlib.sha256()
    for name in STYLESHEETS:
        digest.update((STATIC_DIR / "css" / name).read_bytes())
    return digest.digest()


def _filters_shown(export: InsightsExport) -> list[tuple[str, str]]:
    """The filters set, as (name, value) in the reader's words."""
    filters: InsightFilters = export.report.filters
    return [
        (str(FILTER_NAMES[name]), export.context.labels.filter_value(name, filters))
        for name in FILTER_NAMES
        if name != "questionnaire_id" and getattr(filters, name) is not None
    ]


def report_html(export: InsightsExport) -> str:
    report = export.report
    html: str = render_template(
        "pdf/insights_report.html",
        report=report,
        labels=export.context.labels,
        brand=export.brand,
        clusters=export.clusters,
        language=current_language(),
        # The day only: the same figures asked for again that day are the same PDF (cached).
        generated=format_date(export.context.generated_at, "long"),
        filters=_filters_shown(export),
        suppression=suppression_text(report.suppressed, report.suppressed_by, report.minimum),
        hidden_note=hidden_note(report.minimum, in_tables=False),
        dma_disclaimer=dma_disclaimer(),
        dma_names={code: str(name) for code, name in DMA_DIMENSIONS.items()},
        state_names={code: str(name) for code, name in READINESS_STATES.items()},
        source_names={code: str(name) for code, name in SERVICE_SOURCES.items()},
        percent=lambda share: format_percent(share, "#,##0%"),
        # Rounded as the workbook rounds (halves up), then written the reader's way.
        decimal=lambda value: format_decimal(rounded(value, 1), "#,##0.#"),
    )
    return html


def report_pdf(export: InsightsExport) -> bytes:
    """The report as PDF, from the cache when this process rendered the same one lately."""
    html = report_html(export)
    key = hashlib.sha256(_stylesheets_fingerprint() + html.encode()).hexdigest()
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    pdf = _render(html)
    with _cache_lock:
        _cache[key] = pdf
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return pdf


def _render(html: str) -> bytes:
    from assessor.pdf.render import render_pdf

    started = time.monotonic()
    rendered = render_pdf(html, Path(current_app.static_folder or STATIC_DIR))
    current_app.logger.info("insights report rendered in %.1f s", time.monotonic() - started)
    for url in rendered.refused:
        current_app.logger.warning("insights report: refused to load %s", url)
    return rendered.data
