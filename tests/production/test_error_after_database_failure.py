"""The 500 page itself must not fail: after a database error in a signed-in request it
used to touch the account on the failed session (PendingRollbackError), so the visitor
got Werkzeug's bare page and the request went unlogged."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_login import current_user
from sqlalchemy.exc import OperationalError

from assessor.storage.db import db
from assessor.storage.models import User
from tests.advisers.helpers import make_account, signed_in_client
from tests.conftest import SHIPPED, collected_log

SORRY = "An unexpected error happened on our side."


@pytest.fixture
def request_log():
    with collected_log("assessor.requests") as records:
        yield records


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_a_database_error_for_a_signed_in_adviser_gets_the_error_page(
    make_app, request_log, database: str
) -> None:
    app: Flask = make_app(
        database=database, questionnaires=SHIPPED, TESTING=False, LOG_REQUESTS=True
    )
    adviser = signed_in_client(app, make_account(app, "ada@example.org"))

    def broken() -> str:
        """A write the database refuses (a second account with the same address), as in
        the races and over-long fields the outside test found."""
        twin = User(email=current_user.email, name="Twin", cluster_id=current_user.cluster_id)
        db.session.add(twin)
        db.session.flush()
        return "not reached"

    app.view_functions["advisers.home"] = broken
    response = adviser.get("/advisers/")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert SORRY in page
    assert "<html lang=" in page
    assert "IntegrityError" not in page
    logged = request_log[-1].fields
    assert (logged["path"], logged["status"]) == ("/advisers/", 500)
    assert adviser.get("/advisers/workshops/new").status_code == 200  # the next request is fine


def test_the_error_page_renders_when_the_account_cannot_be_loaded(
    make_app, request_log, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database gone altogether: not even the signed-in account can be read."""
    app = make_app(questionnaires=SHIPPED, TESTING=False, LOG_REQUESTS=True)
    adviser = signed_in_client(app, make_account(app, "ada@example.org"))

    def unreachable(public_id: str) -> User:
        raise OperationalError("SELECT", {}, ConnectionRefusedError("database gone"))

    monkeypatch.setattr("assessor.web.advisers.access.user_by_public_id", unreachable)
    response = adviser.get("/privacy")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert SORRY in page
    assert "database gone" not in page
    logged = request_log[-1].fields
    assert (logged["path"], logged["status"]) == ("/privacy", 500)
