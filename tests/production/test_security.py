"""Security headers, cookies behind HTTPS, a trusted proxy, and rate limits."""

from __future__ import annotations

from flask import Flask

from tests.web.helpers import csrf_from


def test_every_page_has_the_security_headers(client) -> None:
    for path in ("/", "/start", "/privacy", "/nowhere", "/static/css/app.css", "/advisers/sign-in"):
        response = client.get(path)
        response.close()  # a static file is streamed from disk
        headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp, path
        assert "'unsafe-inline'" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"  # resume links never leak
        assert "Strict-Transport-Security" not in headers  # not configured, not https


def test_no_page_needs_inline_script_or_style(shipped_app: Flask) -> None:
    """What the policy forbids is not used: no inline script or style, no event handler."""
    import re

    from tests.advisers.helpers import make_account, signed_in_client

    client = signed_in_client(shipped_app, make_account(shipped_app, "ada@example.org"))
    pages = ["/", "/start", "/privacy", "/join", "/advisers/", "/advisers/workshops/new"]
    for path in pages:
        html = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\b(src|type=\"application/json\"))", html), path
        assert not re.search(r"\sstyle=|<style|\son[a-z]+=", html), path


def test_behind_https_cookies_are_secure_and_hsts_is_sent(make_app) -> None:
    app = make_app(SESSION_COOKIE_SECURE=True, HSTS_SECONDS=31536000, TRUSTED_PROXIES=1)
    client = app.test_client()
    response = client.get(
        "/start", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    )
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_the_proxy_decides_whose_address_is_limited(make_app) -> None:
    app = make_app(TRUSTED_PROXIES=1, START_RATE_LIMIT="2 per minute", RATELIMIT_ENABLED=True)
    client = app.test_client()
    page = client.get("/start").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "questionnaire": "every-type"}

    def start(address: str) -> int:
        return client.post("/start", data=data, headers={"X-Forwarded-For": address}).status_code

    assert [start("203.0.113.1") for _ in range(3)] == [302, 302, 429]
    assert start("203.0.113.2") == 302  # another client behind the same proxy


def test_a_form_part_without_a_name_is_refused_not_a_crash(shipped_app) -> None:
    """Found by the fuzzing: a nameless multipart part made the CSRF check fail with a 500."""
    from tests.advisers.helpers import make_account, signed_in_client

    client = signed_in_client(shipped_app, make_account(shipped_app, "ada@example.org"))
    response = client.post(
        "/advisers/workshops/new",
        data={"title": "x"},
        headers={"Content-Type": "multipart/form-data; boundary=nope"},
    )
    assert response.status_code == 400


def test_a_nul_character_is_refused_before_it_reaches_the_database(any_app) -> None:
    """Found by the fuzzing on PostgreSQL, which cannot compare text with NUL in it."""
    client = any_app.test_client()
    assert client.get("/a/\x00/results").status_code == 400
    assert client.get("/start?questionnaire=\x00").status_code == 400
    page = client.get("/start").get_data(as_text=True)
    response = client.post(
        "/start",
        data={"csrf_token": csrf_from(page), "questionnaire": "every-type", "company": "A\x00B"},
    )
    assert response.status_code == 400
