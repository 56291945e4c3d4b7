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
