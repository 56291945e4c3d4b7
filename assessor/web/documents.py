"""PDFs rendered in the background, as pages: the PDF when it is ready, else a page that
says where it stands (preparing, refreshing itself; failed, with "try again"), and the
same as JSON for the results page's script."""

from __future__ import annotations

from flask import current_app, jsonify, redirect, render_template
from werkzeug.wrappers import Response

from assessor.jobs.documents import DocumentStatus
from assessor.services.documents import Found
from assessor.web.downloads import download
from assessor.web.forms import CsrfForm

REFRESH_SECONDS = 3


def pdf_limit() -> str:
    """Per address: a workshop room behind one public address downloads at once."""
    limit: str = current_app.config["PLAN_PDF_RATE_LIMIT"]
    return limit


def status_limit() -> str:
    """Per address, for the pages and the script that follow a render."""
    limit: str = current_app.config["PLAN_STATUS_RATE_LIMIT"]
    return limit


def pdf_or_status_page(status: DocumentStatus, filename: str, status_page: str) -> Response:
    """The PDF when it is ready; else the page that follows its render."""
    if status.found is Found.READY and status.pdf is not None:
        return download(status.pdf, filename)
    return redirect(status_page, code=303)


def status_page(
    status: DocumentStatus,
    *,
    title: str,
    download_url: str,
    retry_url: str,
    back_url: str,
    back_label: str,
) -> tuple[str, int]:
    """Preparing: 202, and the page reloads itself until the PDF is ready (no script
    needed). Ready: a download button. Failed: the reason in words and "try again"."""
    html = render_template(
        "documents/status.html",
        state=status.found.value,
        title=title,
        download_url=download_url,
        retry_url=retry_url,
        back_url=back_url,
        back_label=back_label,
        refresh=REFRESH_SECONDS,
        form=CsrfForm(),
    )
    return html, 202 if status.found is Found.PREPARING else 200


def status_json(status: DocumentStatus, download_url: str) -> Response:
    response = jsonify({"state": status.found.value, "download": download_url})
    response.headers["Cache-Control"] = "no-store"
    if status.found is Found.PREPARING:
        response.status_code = 202
    return response
