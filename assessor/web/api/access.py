"""Who calls the API: the token a request carries, the cluster it belongs to, and the
language it wants titles in. Set by ``authenticate`` before every view of the API."""

from __future__ import annotations

from flask import g, request
from flask.wrappers import Response
from flask_babel import gettext as _

from assessor.domain.languages import DEFAULT_LANGUAGE, LANGUAGES
from assessor.services.api_tokens import authenticated_token
from assessor.storage.models import ApiToken, Cluster
from assessor.web.api.errors import error_response
from assessor.web.page_language import URL_LANGUAGE, browser_language, use_language_of

PUBLIC_ENDPOINTS = frozenset({"api.openapi_document"})  # read without a token


def presented_token() -> str | None:
    """The token of ``Authorization: Bearer <token>``, as sent; None without one."""
    scheme, _sep, value = request.headers.get("Authorization", "").partition(" ")
    value = value.strip()
    return value if scheme.lower() == "bearer" and value else None


def authenticate() -> tuple[Response, int] | None:
    """Every route but the OpenAPI document needs an active token of a cluster."""
    if _language() is None:
        return error_response(
            400,
            "bad-request",
            _("Unknown language: use one of %(codes)s.", codes=", ".join(LANGUAGES)),
            fields={"lang": _("Unknown language.")},
        )
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    presented = presented_token()
    token = authenticated_token(presented) if presented is not None else None
    if token is None:
        message = (
            _("Send an API token as 'Authorization: Bearer <token>'.")
            if presented is None
            else _("This API token is unknown or revoked.")
        )
        return error_response(401, "unauthorized", message)
    g.api_token = token
    return None


def _language() -> str | None:
    """Titles in ``?lang=``, else the URL's language prefix, else the client's
    Accept-Language, else English. None: ``lang`` names no language of the site."""
    asked = request.args.get("lang")
    if asked is not None and asked not in LANGUAGES:
        return None
    # A /fr/ prefix is honoured but not remembered: the site would keep it in a session
    # cookie for the next page, and the API sets no cookie.
    in_url: str | None = request.environ.pop(URL_LANGUAGE, None)
    language = asked or in_url or browser_language()
    language = language or DEFAULT_LANGUAGE
    use_language_of(language)  # messages (errors, filters) in it too
    g.api_language = language
    return language


def api_token() -> ApiToken:
    token: ApiToken = g.api_token
    return token


def api_cluster() -> Cluster:
    return api_token().cluster


def api_language() -> str:
    language: str = g.api_language
    return language
