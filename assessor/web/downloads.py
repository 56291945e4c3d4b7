"""Files handed to the browser: PDFs, exports, QR codes."""

from __future__ import annotations

from flask import Response

from assessor.storage.models import Assessment

MIMETYPES = {
    "pdf": "application/pdf",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
    "svg": "image/svg+xml",
    "json": "application/json",
    "po": "text/x-gettext-translation",
    "pot": "text/x-gettext-translation",
}


def download(data: bytes | str, filename: str, private: bool = True) -> Response:
    """An attachment named ``filename``; private ones are never kept by caches on the way."""
    response = Response(data, mimetype=MIMETYPES[filename.rsplit(".", 1)[1]])
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    if private:
        response.headers["Cache-Control"] = "private, no-store"
    return response


def plan_filename(assessment: Assessment) -> str:
    submitted_at = assessment.submitted_at
    assert submitted_at is not None
    return f"action-plan-{submitted_at.date().isoformat()}.pdf"
