"""The read-only JSON API, ``/api/v1/``, for a cluster's own systems (its CRM).

A request carries one of the cluster's API tokens (``Authorization: Bearer asr_...``,
made on ``/advisers/cluster/api-tokens``) and sees what the cluster's advisers see: the
assessments shared with the cluster or filled in with its advisers, and its insights. No
session and no cookie: the API only reads (GET), so it needs no CSRF token. Requests are
counted per token (``API_RATE_LIMIT``), and requests refused for a missing or wrong token
per address (``API_REFUSED_RATE_LIMIT``). Errors are JSON (``errors``); the OpenAPI
document, ``/api/v1/openapi.json``, describes every route (``openapi``).

Each module declares its routes next to its views; the blueprint below is built from the
list of modules, so every URL under ``/api/v1`` is in one of them (and in the document).
"""

from __future__ import annotations

from flask import Blueprint, current_app
from flask.wrappers import Response
from flask_limiter.util import get_remote_address

from assessor.services.api_tokens import token_hash
from assessor.web.api import assessments, insights, openapi
from assessor.web.api.access import authenticate, presented_token
from assessor.web.api.errors import http_error_response
from assessor.web.extensions import csrf, limiter

PREFIX = "/api/v1"

blueprint = Blueprint("api", __name__, url_prefix=PREFIX)
for module in (
    assessments,  # the cluster's assessments, a page at a time, and one by one
    insights,  # the insights figures
    openapi,  # the OpenAPI document describing all of them
):
    module.routes.add_to(blueprint)
csrf.exempt(blueprint)  # GET only; a write method is answered 405 (JSON) before any view
blueprint.before_request(authenticate)
blueprint.register_error_handler(429, http_error_response)


def _rate_key() -> str:
    """The token (its hash: counts may sit in a shared Redis), else the address."""
    presented = presented_token()
    if presented is not None:
        return "token:" + token_hash(presented)
    return "address:" + get_remote_address()


def _api_limit() -> str:
    limit: str = current_app.config["API_RATE_LIMIT"]
    return limit


def _refused_limit() -> str:
    limit: str = current_app.config["API_REFUSED_RATE_LIMIT"]
    return limit


def _refused(response: Response) -> bool:
    return response.status_code == 401


limiter.shared_limit(_api_limit, scope="api", key_func=_rate_key)(blueprint)
# A token made up for each request would get a fresh count each time: refusals are also
# counted per address, and only refusals (a client with a valid token is not slowed).
limiter.shared_limit(
    _refused_limit, scope="api-refused", key_func=get_remote_address, deduct_when=_refused
)(blueprint)


@blueprint.after_request
def _private(response: Response) -> Response:
    """A cluster's data: kept by no shared cache, and different per token and language."""
    response.headers["Cache-Control"] = "no-store"
    response.vary.update(("Authorization", "Accept-Language"))
    return response


__all__ = ["PREFIX", "blueprint"]
