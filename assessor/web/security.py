"""Security headers on every response, and trusting a reverse proxy when told to.

The Content-Security-Policy allows scripts, styles and images from this site only (and
``data:`` images, for cluster logos): no inline script, no inline style, no framing.
"""

from __future__ import annotations

from flask import Flask, Response, abort, request
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


# A respondent's pages (answers, results, plans: the address is their key) and every
# adviser page are never kept in the browser's cache, where the next person at a shared
# computer would find them. Downloads keep their own "private, no-store".
PRIVATE_PATHS = ("/a/", "/advisers/")


def init_security(app: Flask) -> None:
    proxies = int(app.config.get("TRUSTED_PROXIES", 0))
    if proxies:
        # X-Forwarded-For/-Proto/-Host from this many proxies in front: the client's address
        # (rate limits) and https (secure cookies, HSTS) are then seen as they really are.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]  # how Flask takes WSGI middleware
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )
    app.before_request(_reject_malformed_forms)  # before CSRF checking, which trips on them
    app.after_request(_headers)


def _reject_malformed_forms() -> None:
    """Requests no person sends: a form part without a name (possible in multipart
    bodies), or a NUL character anywhere (PostgreSQL cannot store or even compare it)."""
    if "\x00" in request.path or any("\x00" in k + v for k, v in request.args.items(multi=True)):
        abort(400)
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        fields = list(request.form.keys()) + list(request.files.keys())
        if any(not isinstance(name, str) for name in fields):
            abort(400)
        if any("\x00" in k + v for k, v in request.form.items(multi=True)):
            abort(400)


def _headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    # Resume links carry the respondent's key: never hand the address to another site.
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    from flask import current_app

    hsts = int(current_app.config.get("HSTS_SECONDS", 0))
    if hsts and request.is_secure:
        headers.setdefault("Strict-Transport-Security", f"max-age={hsts}; includeSubDomains")
    if request.path.startswith(PRIVATE_PATHS) and "no-store" not in headers.get(
        "Cache-Control", ""
    ):
        headers["Cache-Control"] = "no-store"
    return response
