"""Error pages: a short explanation, never internals."""

from __future__ import annotations

from flask import Flask, Response, current_app, g, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from assessor.storage.db import db
from assessor.web.api import errors as api_errors
from assessor.web.extensions import login_manager

MESSAGES = {
    400: (
        _l("The request could not be understood"),
        _l("Something in what was sent was not valid. Go back and try again."),
    ),
    403: (_l("Not allowed"), _l("You are not allowed to open this page.")),
    404: (
        _l("Page not found"),
        _l(
            "There is no page at this address. If you followed a resume link, check that it was copied completely."
        ),
    ),
    405: (_l("Not allowed"), _l("This page cannot be used like that.")),
    413: (_l("Too much data"), _l("What was sent is larger than this site accepts.")),
    429: (_l("Too many requests"), _l("Please wait a moment and try again.")),
    500: (
        _l("Something went wrong"),
        _l(
            "An unexpected error happened on our side. Your saved answers are safe; please try again later."
        ),
    ),
}


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str | Response, int]:
        if api_errors.is_api_request():
            # The API takes no form: a write method there is a route it does not have.
            routing = request.routing_exception
            return api_errors.http_error_response(
                routing if isinstance(routing, HTTPException) else error
            )
        return render_template(
            "error.html",
            status=400,
            title=_("The form has expired"),
            message=_(
                "The form was not sent from this page or is too old. Nothing was saved. "
                "Go back, reload the page and send it again."
            ),
        ), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str | Response, int]:
        if api_errors.is_api_request():
            return api_errors.http_error_response(error)
        status = error.code or 500
        title, message = MESSAGES.get(status, (error.name, error.description or ""))
        return render_template("error.html", status=status, title=title, message=message), status

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> tuple[str | Response, int]:
        if app.testing:
            raise error  # let the test show the traceback
        app.logger.exception("unhandled error")
        _forget_the_failed_transaction()
        if api_errors.is_api_request():
            return api_errors.unexpected_error_response()
        title, message = MESSAGES[500]
        try:
            page = render_template("error.html", status=500, title=title, message=message)
        except Exception:  # noqa: BLE001 - most likely the account could not be loaded
            app.logger.exception("the error page failed; shown again without the account")
            g._login_user = login_manager.anonymous_user()  # what the page asks about it
            page = render_template("error.html", status=500, title=title, message=message)
        return page, 500


def _forget_the_failed_transaction() -> None:
    """After a database error the session refuses every query until rolled back, and the
    page (its header names the signed-in account) would fail in turn."""
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection itself may be gone; the page goes on
        current_app.logger.exception("rollback after an unhandled error failed")
