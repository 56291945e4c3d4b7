"""Pages with a form: shown with status 400 when they refuse what was posted, so that a
refused submission is a refusal to browsers' tools, proxies' logs and tests alike."""

from __future__ import annotations

from typing import Any

from flask import render_template


def form_page(
    template: str, *, refused: bool | None = None, **context: Any
) -> str | tuple[str, int]:
    """Render ``template``; 400 when ``refused``, which is by default whether
    ``context["errors"]`` has anything in it (a page with a single message, or with
    problems beside its fields' errors, says so itself)."""
    page = render_template(template, **context)
    if refused is None:
        refused = bool(context.get("errors"))
    return (page, 400) if refused else page
