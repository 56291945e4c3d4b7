"""API tokens: a cluster administrator makes one (shown once, stored as its SHA-256),
sees its last use, revokes it after confirming; a revoked or unknown token gets 401."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from assessor.services import api_tokens
from assessor.storage.db import db
from assessor.storage.models import ApiToken, AuditEvent, Role
from tests.advisers.helpers import make_account, signed_in_client
from tests.api.helpers import IBERIAN, api, new_token, submitted
from tests.web.helpers import csrf_from

PAGE = "/advisers/cluster/api-tokens"
TOKEN = re.compile(r'id="new-token" type="text" readonly value="(asr_[A-Za-z0-9_-]{43})"')


def test_the_lifecycle_of_a_token(any_app: Flask) -> None:
    admin = signed_in_client(
        any_app, make_account(any_app, "admin@baltic.example", role=Role.CLUSTER_ADMIN)
    )
    page = admin.get(PAGE).get_data(as_text=True)
    assert "No token yet." in page
    created = admin.post(PAGE, data={"csrf_token": csrf_from(page), "name": "Our CRM"})
    assert created.status_code == 200
    html = created.get_data(as_text=True)
    match = TOKEN.search(html)
    assert match is not None, html
    token = match.group(1)
    with any_app.app_context():
        row = db.session.scalars(select(ApiToken)).one()
        assert row.token_sha256 == hashlib.sha256(token.encode()).hexdigest()
        assert row.prefix == token[:12]
        assert row.name == "Our CRM"
        assert token not in {row.prefix, row.name, row.token_sha256}
        token_id = row.id
    # Shown once: never again on the page, which shows its start instead.
    again = admin.get(PAGE).get_data(as_text=True)
    assert token not in again
    assert f"{token[:12]}…" in again
    assert "never" in again

    assert api(any_app.test_client(), "/assessments", token).status_code == 200
    with any_app.app_context():
        first_use = db.session.get(ApiToken, token_id).last_used_at
        assert first_use is not None
    assert api(any_app.test_client(), "/assessments", token).status_code == 200
    with any_app.app_context():  # at most one write a minute
        assert db.session.get(ApiToken, token_id).last_used_at == first_use

    revoke_url = f"{PAGE}/{token_id}/revoke"
    asked = admin.post(revoke_url, data={"csrf_token": csrf_from(again)})
    assert asked.status_code == 200
    assert "Yes, revoke it" in asked.get_data(as_text=True)
    assert api(any_app.test_client(), "/assessments", token).status_code == 200  # not yet
    done = admin.post(revoke_url, data={"csrf_token": csrf_from(again), "confirmed": "yes"})
    assert done.status_code == 302
    refused = api(any_app.test_client(), "/assessments", token)
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"] == 'Bearer realm="assessor", error="invalid_token"'
    assert refused.get_json()["error"]["code"] == "unauthorized"
    assert "revoked on" in admin.get(PAGE).get_data(as_text=True)
    twice = admin.post(revoke_url, data={"csrf_token": csrf_from(again), "confirmed": "yes"})
    assert twice.status_code == 302  # nothing more to do, and no second log line
    log = admin.get("/advisers/cluster/log").get_data(as_text=True)
    assert "created an API token" in log
    assert "revoked an API token" in log
    with any_app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert actions == ["create-api-token", "revoke-api-token"]


def test_a_name_is_needed_and_nothing_is_made_without_one(app: Flask) -> None:
    admin = signed_in_client(
        app, make_account(app, "admin@baltic.example", role=Role.CLUSTER_ADMIN)
    )
    csrf = csrf_from(admin.get(PAGE).get_data(as_text=True))
    for name in ("", "x" * 201):
        response = admin.post(PAGE, data={"csrf_token": csrf, "name": name})
        assert response.status_code == 400
        assert 'class="error-message" id="name-error"' in response.get_data(as_text=True)
    assert admin.post(PAGE, data={"name": "CRM"}).status_code == 400  # no CSRF token
    with app.app_context():
        assert db.session.scalars(select(ApiToken)).all() == []


def test_only_the_clusters_administrators_manage_its_tokens(app: Flask) -> None:
    adviser = signed_in_client(app, make_account(app, "adviser@baltic.example"))
    assert adviser.get(PAGE).status_code == 403
    other = signed_in_client(
        app, make_account(app, "admin@iberian.example", IBERIAN, Role.CLUSTER_ADMIN)
    )
    new_token(app)  # the Baltic cluster's
    with app.app_context():
        token_id = db.session.scalars(select(ApiToken.id)).one()
    csrf = csrf_from(other.get(PAGE).get_data(as_text=True))
    assert "Our CRM" not in other.get(PAGE).get_data(as_text=True)
    data = {"csrf_token": csrf, "confirmed": "yes"}
    assert other.post(f"{PAGE}/{token_id}/revoke", data=data).status_code == 404
    with app.app_context():
        assert db.session.get(ApiToken, token_id).revoked_at is None


def test_requests_without_a_valid_token_are_refused(app: Flask) -> None:
    token = new_token(app)
    submitted(app, company="Secret Oy")
    client = app.test_client()
    for header in (None, "", "Bearer", "Basic dXNlcjpwYXNz", f"Token {token}"):
        headers = {} if header is None else {"Authorization": header}
        response = client.get("/api/v1/assessments", headers=headers)
        assert response.status_code == 401, header
        assert response.headers["WWW-Authenticate"].startswith('Bearer realm="assessor"')
        assert "Secret Oy" not in response.get_data(as_text=True)
    for wrong in (token[:-1] + ("A" if token[-1] != "A" else "B"), "asr_" + "x" * 500, "nonsense"):
        response = api(client, "/assessments", wrong)
        assert response.status_code == 401
        assert response.get_json()["error"]["code"] == "unauthorized"
    assert "Set-Cookie" not in api(client, "/assessments", token).headers


def test_last_use_is_written_again_after_a_minute(app: Flask) -> None:
    token = new_token(app)
    with app.app_context():
        row = api_tokens.authenticated_token(token)
        assert row is not None
        assert row.last_used_at is not None
        earlier = row.last_used_at - timedelta(minutes=2)
        row.last_used_at = earlier
        db.session.commit()
        again = api_tokens.authenticated_token(token)
        assert again is not None
        assert again.last_used_at is not None
        assert again.last_used_at > earlier + timedelta(minutes=1)
