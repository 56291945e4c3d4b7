"""Health check and request logs."""

from __future__ import annotations

import json
import logging

from flask import Flask

from assessor.web.operations import JsonLines, redact


def test_health_asks_the_database(any_app: Flask) -> None:
    client = any_app.test_client()
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_health_says_unavailable_without_the_database(make_app, tmp_path) -> None:
    broken = make_app(
        SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody:x@127.0.0.1:1/none",
        AUTO_SETUP_DATABASE=False,
    )
    response = broken.test_client().get("/health")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "database": "unreachable"}
    assert "127.0.0.1" not in response.get_data(as_text=True)  # nothing internal


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_request_logs_are_json_lines_without_tokens(make_app) -> None:
    app = make_app(LOG_REQUESTS=True)  # (migrations reset the root logger: listen directly)
    collect = Collect()
    logger = logging.getLogger("assessor.requests")
    logger.addHandler(collect)
    logger.setLevel(logging.INFO)
    try:
        app.test_client().get("/fr/a/SECRET-token-123/review")
    finally:
        logger.removeHandler(collect)
    record = collect.records[-1]
    line = json.loads(JsonLines().format(record))
    assert line["path"] == "/a/…/review"
    assert line["status"] == 404
    assert line["language"] == "fr"
    assert line["ms"] >= 0
    assert "SECRET" not in JsonLines().format(record)


def test_redaction_keeps_the_shape_of_paths() -> None:
    assert redact("/a/abc/section/x") == "/a/…/section/x"
    assert redact("/advisers/invitation/tok") == "/advisers/invitation/…"
    assert redact("/advisers/workshops/w1") == "/advisers/workshops/w1"


def test_links_to_copy_and_codes_to_scan_use_the_public_address(make_app) -> None:
    """Behind a proxy the request's host may be an internal name: the resume link, the
    workshop's short link and its QR code, and the projector's address use PUBLIC_URL."""
    from tests.advisers.helpers import create_workshop, make_account, signed_in_client
    from tests.conftest import SHIPPED
    from tests.web.helpers import start

    app = make_app(questionnaires=SHIPPED, PUBLIC_URL="https://assess.example")
    client = app.test_client()
    token = start(client, questionnaire="quick-check")
    page = client.get(f"/a/{token}", follow_redirects=True).get_data(as_text=True)
    assert f'value="https://assess.example/a/{token}"' in page
    assert "assessor.test" not in page.split('id="resume-link"', 1)[1].split(">", 1)[0]

    adviser = signed_in_client(app, make_account(app, "ada@example.org"))
    workshop = create_workshop(adviser)
    dashboard = adviser.get(f"/advisers/workshops/{workshop}").get_data(as_text=True)
    assert "https://assess.example/j/" in dashboard
    projector = adviser.get(f"/advisers/workshops/{workshop}/projector").get_data(as_text=True)
    assert "https://assess.example/join" in projector
