"""Absolute links that leave the page (e-mails, links to copy): on the configured
PUBLIC_URL when there is one, whatever the request's Host header says."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for


def absolute_url(endpoint: str, **values: Any) -> str:
    """The full address of a page; the path keeps the language prefix. E-mail is only
    switched on with PUBLIC_URL set (see config), so mailed links never use the Host."""
    public_url: str | None = current_app.config.get("PUBLIC_URL")
    if public_url:
        return public_url + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)
