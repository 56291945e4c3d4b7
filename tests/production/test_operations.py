"""Health check and request logs."""

from __future__ import annotations

import json
import logging

import pytest
from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from assessor.storage.db import db
from assessor.web.operations import JsonLines
from tests.conftest import collected_log


def test_health_asks_the_database(any_app: Flask) -> None:
    client = any_app.test_client()
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "queue": "embedded"}


def test_health_says_degraded_when_the_queue_does_not_answer(make_app) -> None:
    """Pages still work (PDFs and e-mail wait): 200, for the load balancer to keep it."""
    from tests.conftest import free_port

    app = make_app(QUEUE_URL=f"redis://127.0.0.1:{free_port()}/0")
    response = app.test_client().get("/health")
    assert response.status_code == 200
    assert response.json == {"status": "degraded", "database": "ok", "queue": "unreachable"}


def test_health_says_unavailable_without_the_database(make_app, tmp_path) -> None:
    broken = make_app(
        SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody:x@127.0.0.1:1/none",
        AUTO_SETUP_DATABASE=False,
    )
    response = broken.test_client().get("/health")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "database": "unreachable"}
    assert "127.0.0.1" not in response.get_data(as_text=True)  # nothing internal


def _logged_requests(app: Flask, logger_name: str, paths: list[str]) -> list[logging.LogRecord]:
    """What one logger received while the test client asked for these paths."""
    with collected_log(logger_name) as records:
        client = app.test_client()
        for path in paths:
            client.get(path)
    return records


def test_request_logs_are_json_lines_without_tokens(make_app) -> None:
    app = make_app(LOG_REQUESTS=True)  # (migrations reset the root logger: listen directly)
    (record,) = _logged_requests(app, "assessor.requests", ["/fr/a/SECRET-token-123/review"])
    line = json.loads(JsonLines().format(record))
    assert line["path"] == "/a/<token>/review"  # the route, never the path itself
    assert line["status"] == 404
    assert line["language"] == "fr"
    assert line["ms"] >= 0
    assert "SECRET" not in JsonLines().format(record)


def _secret_links(app: Flask) -> tuple[dict[str, str], list[str]]:
    """Paths with a live password-reset token, invitation token and respondent token (each
    one a key), with the route each is logged as; and the keys."""
    from assessor.services import accounts
    from assessor.services.clusters import cluster_by_slug
    from assessor.storage.models import Role
    from tests.advisers.helpers import make_account
    from tests.web.helpers import start

    make_account(app, "ada@example.org")
    with app.app_context():
        user = accounts.user_by_email("ada@example.org")
        reset = accounts.password_reset_token(user, app.config["SECRET_KEY"])
        cluster = cluster_by_slug("example-baltic-freight")
        invitation = accounts.invite(cluster, "bea@example.org", Role.ADVISER, None).token
    respondent = start(app.test_client(), questionnaire="quick-check")
    links = {
        f"/advisers/reset-password/{reset}": "/advisers/reset-password/<token>",
        f"/de/advisers/invitation/{invitation}": "/advisers/invitation/<token>",
        f"/a/{respondent}/section/company?x={respondent}": "/a/<token>/section/<section_id>",
        f"/a/{respondent}/nowhere": "<unmatched>",
    }
    return links, [reset, invitation, respondent]


def test_request_logs_name_the_route_of_links_that_carry_keys(make_app) -> None:
    """A reset link is valid for an hour and takes over an account: it, invitations and
    resume links must not reach a log file, whichever path or query carries them."""
    from tests.conftest import SHIPPED

    app = make_app(questionnaires=SHIPPED, LOG_REQUESTS=True)
    links, secrets = _secret_links(app)
    records = _logged_requests(app, "assessor.requests", list(links))
    assert [r.fields["path"] for r in records] == list(links.values())
    assert [r.fields["status"] for r in records] == [200, 200, 200, 404]
    written = "\n".join(JsonLines().format(r) for r in records)
    assert not [secret for secret in secrets if secret in written]


def test_the_development_server_log_names_routes_too(make_app) -> None:
    """``flask run`` (scripts/serve) logs each request through Werkzeug's logger with the
    full path: the line keeps its shape but names the route instead."""
    from werkzeug.serving import WSGIRequestHandler

    from tests.conftest import SHIPPED

    app = make_app(questionnaires=SHIPPED)  # LOG_REQUESTS off, as in development
    links, secrets = _secret_links(app)

    class Handler(WSGIRequestHandler):  # only what logging a finished request needs
        def __init__(self, path: str) -> None:
            self.path, self.command, self.request_version = path, "GET", "HTTP/1.1"
            self.requestline = f"GET {path} HTTP/1.1"
            self.client_address = ("127.0.0.1", 50000)

    with collected_log("werkzeug") as records:
        for path in links:
            Handler(path).log_request(200, 1234)
    lines = [record.getMessage() for record in records]
    expected = [
        f'"GET {"/de" if path.startswith("/de/") else ""}{route} HTTP/1.1" 200 1234'
        for path, route in links.items()
    ]
    assert len(lines) == len(expected)
    for line, shape in zip(lines, expected, strict=True):
        assert line.startswith("127.0.0.1 - - [")
        assert line.endswith(shape)
    assert not [secret for secret in secrets if secret in "\n".join(lines)]


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
    assert '<strong class="join-address">assess.example/join</strong>' in projector  # as typed
    assert "assessor.test" not in projector


def test_a_database_error_never_carries_the_statement_values(any_app) -> None:
    """Statements carry respondents' tokens and answers; an error (a lock timeout, a lost
    connection) is logged with its text, which must not include them."""
    with any_app.app_context():
        with pytest.raises(DBAPIError) as raised:
            db.session.execute(
                text("SELECT token FROM no_such_table WHERE token = :token"),
                {"token": "secret-resume-token"},
            )
        db.session.rollback()
    assert "secret-resume-token" not in str(raised.value)
