"""Two app servers on one PostgreSQL database at once: a respondent moves between them on
every request, as behind a load balancer without sticky sessions, and loses nothing."""

from __future__ import annotations

import http.cookiejar
import json
import re
import urllib.parse
import urllib.request

from flask import Flask

from assessor import create_app
from assessor.storage.db import db
from tests.browser.conftest import LiveServer
from tests.web.helpers import csrf_from


class Browser:
    """One cookie jar for both servers (cookies do not care about ports)."""

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, url: str, accept: str = "text/html") -> tuple[str, str]:
        request = urllib.request.Request(url, headers={"Accept": accept})
        with self.opener.open(request, timeout=30) as response:
            return response.geturl(), response.read().decode()

    def post(self, url: str, fields: dict) -> tuple[str, str]:
        body = urllib.parse.urlencode(fields, doseq=True).encode()
        with self.opener.open(url, data=body, timeout=30) as response:
            return response.geturl(), response.read().decode()


def test_a_respondent_alternating_between_two_servers(make_app, postgres_url: str) -> None:
    first: Flask = make_app(database="postgresql", SERVER_NAME=None)
    second = create_app({**first.config, "SQLALCHEMY_ENGINE_OPTIONS": {}})  # same database
    a, b = LiveServer(first), LiveServer(second)
    try:
        browser = Browser()
        _, page = browser.get(f"{a.url}/start?questionnaire=every-type")
        token_field = csrf_from(page)
        where, page = browser.post(
            f"{a.url}/start", {"csrf_token": token_field, "questionnaire": "every-type"}
        )
        token = re.search(r"/a/([A-Za-z0-9_-]+)/", where).group(1)
        steps = [
            (b, "profile", {"activities": ["haulage"], "company": "Both Servers Ltd"}),
            (a, "fleet-section", {"vehicles": "12", "euro6": "50", "eco": "4"}),
            (
                b,
                "data-section",
                {"fuel": "yes", "method": "primary", "tools": ["tms"], "budget": ["a"]},
            ),
        ]
        for server, section, fields in steps:
            where, page = browser.post(
                f"{server.url}/a/{token}/section/{section}",
                {"csrf_token": token_field, "navigate": "next", **fields},
            )
            assert "error-summary" not in page, section
        assert where.endswith(f"/a/{token}/review")
        where, _ = browser.post(f"{a.url}/a/{token}/submit", {"csrf_token": token_field})
        assert where.endswith("/results")
        results = [
            json.loads(browser.get(f"{server.url}/a/{token}/results", "application/json")[1])
            for server in (a, b)
        ]
        assert results[0] == results[1]  # one state, in the database
        assert results[0]["overall"]["score"] is not None
        assert "missing" not in results[0]  # every page, saved on either server, is there
    finally:
        a.stop()
        b.stop()
        with second.app_context():
            db.session.remove()
            db.engine.dispose()  # the first app is cleaned up by make_app
