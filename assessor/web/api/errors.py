"""The API's errors: JSON (``{"error": {"code": ..., "message": ...}}``), never an HTML
page, for every address under ``/api/`` (routes that do not exist and methods a route does
not take included: the app's error handlers hand those over, see ``assessor.web.errors``)."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

API_PATH = "/api/"


def is_api_request() -> bool:
    return request.path.startswith(API_PATH)


def error_response(status: int, code: str, message: str, **details: Any) -> tuple[Response, int]:
    body = {"error": {"code": code, "message": message, **details}}
    response = jsonify(body)
    if status == 401:
        # RFC 6750: the scheme the client must use; "invalid_token" when one was sent.
        sent = request.headers.get("Authorization") is not None
        response.headers["WWW-Authenticate"] = (
            'Bearer realm="assessor", error="invalid_token"' if sent else 'Bearer realm="assessor"'
        )
    return response, status


def http_error_response(error: HTTPException) -> tuple[Response, int]:
    """An HTTP error raised anywhere under /api/ (routing, the rate limiter, a view)."""
    status = error.code or 500
    code, message = _described(status, error)
    response, status = error_response(status, code, message)
    allowed = getattr(error, "valid_methods", None)  # a MethodNotAllowed's
    if status == 405 and allowed:
        response.headers["Allow"] = ", ".join(allowed)
    return response, status


def unexpected_error_response() -> tuple[Response, int]:
    return error_response(500, "internal-error", _("Something went wrong on our side."))


def _described(status: int, error: HTTPException) -> tuple[str, str]:
    described = {
        400: ("bad-request", _("The request could not be understood.")),
        401: ("unauthorized", _("Send a valid API token as 'Authorization: Bearer <token>'.")),
        403: ("forbidden", _("This token may not read this.")),
        404: ("not-found", _("There is nothing at this address.")),
        405: ("method-not-allowed", _("The API only reads: use GET.")),
        429: ("rate-limited", _("Too many requests with this token: wait and try again.")),
    }
    if status in described:
        return described[status]
    if status < 500:  # 413 and the like: werkzeug's name as the code, its English text
        return error.name.lower().replace(" ", "-"), error.description or error.name
    return "internal-error", _("Something went wrong on our side.")
