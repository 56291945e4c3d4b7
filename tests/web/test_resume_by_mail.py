"""A respondent can have the resume link e-mailed; the address is not kept."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from assessor.storage.db import db
from assessor.storage.models import Answer, Assessment
from tests.conftest import collected_log, free_port
from tests.web.helpers import csrf_from, start


def _mail_app(make_app, port: int) -> Flask:
    return make_app(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=port,
        MAIL_USE_TLS=False,
        PUBLIC_URL="https://assess.example",
        SERVER_NAME=None,
    )


def _ask(client, token: str, email: str):
    page = client.get(f"/a/{token}", follow_redirects=True).get_data(as_text=True)
    return client.post(
        f"/a/{token}/email-link",
        data={"csrf_token": csrf_from(page), "email": email},
        follow_redirects=True,
    )


def test_the_resume_link_arrives_by_mail_and_the_address_is_not_kept(make_app, inbox) -> None:
    box, port = inbox
    app = _mail_app(make_app, port)
    client = app.test_client()
    token = start(client)
    page = client.get(f"/a/{token}", follow_redirects=True).get_data(as_text=True)
    assert "E-mail me this link" in page

    answered = _ask(client, token, "owner@haulier.example")
    assert answered.status_code == 200
    assert "We have sent the link to owner@haulier.example." in answered.get_data(as_text=True)
    [message] = box.messages
    assert message["To"] == "owner@haulier.example"
    assert f"https://assess.example/a/{token}" in message.get_content()

    with app.app_context():  # nowhere in the database
        rows = [
            *db.session.scalars(select(Assessment)),
            *db.session.scalars(select(Answer)),
        ]
        stored = " ".join(str(vars(row)) for row in rows)
    assert "owner@haulier.example" not in stored
    assert "not kept" in client.get("/privacy").get_data(as_text=True)


def test_a_bad_address_or_a_dead_mail_server_gets_a_message(make_app, inbox) -> None:
    box, port = inbox
    app = _mail_app(make_app, port)
    client = app.test_client()
    token = start(client)
    refused = _ask(client, token, "not an address")
    assert "Enter an e-mail address such as name@example.org." in refused.get_data(as_text=True)
    assert box.messages == []

    dead = _mail_app(make_app, free_port()).test_client()
    other = start(dead)
    failed = _ask(dead, other, "owner@haulier.example")
    assert failed.status_code == 200
    assert "The e-mail could not be sent." in failed.get_data(as_text=True)


def test_without_mail_there_is_no_form_and_the_route_is_not_found(client) -> None:
    token = start(client)
    page = client.get(f"/a/{token}", follow_redirects=True).get_data(as_text=True)
    assert "E-mail me this link" not in page
    response = client.post(
        f"/a/{token}/email-link", data={"csrf_token": csrf_from(page), "email": "a@b.example"}
    )
    assert response.status_code == 404


class _RefusingRelay:
    """A relay that refuses every recipient: smtplib's error then names the address."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:  # noqa: N802
        return "550 5.1.1 no such mailbox"


def test_a_refused_recipient_is_not_written_to_the_log(make_app) -> None:
    from aiosmtpd.controller import Controller

    controller = Controller(_RefusingRelay(), hostname="127.0.0.1", port=free_port())
    controller.start()
    app = _mail_app(make_app, controller.port)
    try:
        with collected_log(app.logger) as records:
            client = app.test_client()
            token = start(client)
            failed = _ask(client, token, "owner@haulier.example")
    finally:
        controller.stop()
    assert "The e-mail could not be sent." in failed.get_data(as_text=True)
    logged = [record.getMessage() for record in records]
    assert any("not mailed" in line for line in logged)
    assert not any("owner@haulier.example" in line for line in logged)  # the page promises it
