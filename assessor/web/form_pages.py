"""Pages with a form: shown with status 400 when they list errors, so that a refused
submission is a refusal to browsers' tools, proxies' logs and tests alike."""

from __future__ import annotations

from typing import Any

from flask import render_template


def form_page(template: str, **context: Any) -> str | tuple[str, int]:
    """Render ``template``; 400 when ``context["errors"]`` has anything in it."""
    page = render_template(template, **context)
    return (page, 400) if context.get("errors") else page
