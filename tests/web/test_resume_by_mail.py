"""A respondent can have the resume link e-mailed; the address is kept only until the
e-mail has left."""

from __future__ import annotations

import logging

from flask import Flask
from sqlalchemy import select

from assessor.storage.db import db
from assessor.storage.models import Answer, Assessment
from tests.conftest import collected_log, free_port, smtp_relay
from tests.jobs.helpers import wait_for_failed_attempts, waiting_mail
from tests.web.helpers import csrf_from, start


def _mail_app(make_app, port: int, **config) -> Flask:
    return make_app(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=port,
        MAIL_USE_TLS=False,
        PUBLIC_URL="https://assess.example",
        SERVER_NAME=None,
        # A relay that is down is tried again within a second, not after minutes.
        MAIL_RETRY_BACKOFF=0.2,
        MAIL_RETRY_MAX_BACKOFF=0.5,
        **config,
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
    assert "The link is on its way to owner@haulier.example." in answered.get_data(as_text=True)
    [message] = box.wait_for_background_mail()
    assert message["To"] == "owner@haulier.example"
    assert f"https://assess.example/a/{token}" in message.get_content()

    assert waiting_mail(app) == []  # the message, address and all, is gone once sent
    with app.app_context():  # nor anywhere else in the database
        rows = [
            *db.session.scalars(select(Assessment)),
            *db.session.scalars(select(Answer)),
        ]
        stored = " ".join(str(vars(row)) for row in rows)
    assert "owner@haulier.example" not in stored
    assert "kept only until the message is sent" in client.get("/privacy").get_data(as_text=True)


def test_a_bad_address_gets_a_message(make_app, inbox) -> None:
    box, port = inbox
    app = _mail_app(make_app, port)
    client = app.test_client()
    token = start(client)
    refused = _ask(client, token, "not an address")
    assert "Enter an e-mail address such as name@example.org." in refused.get_data(as_text=True)
    assert box.wait_for_background_mail() == []
    assert waiting_mail(app) == []


def test_a_dead_mail_server_gets_the_link_once_it_is_back(make_app) -> None:
    """The relay is down when the respondent asks: the page says the link is on its way,
    and it arrives, once, when the relay comes back."""
    port = free_port()
    app = _mail_app(make_app, port)
    client = app.test_client()
    token = start(client)
    answered = _ask(client, token, "owner@haulier.example")
    assert answered.status_code == 200
    assert "The link is on its way to owner@haulier.example." in answered.get_data(as_text=True)
    wait_for_failed_attempts(app, 1)

    with smtp_relay(port) as box:
        [message] = box.wait_for(1)
        assert box.wait_for_background_mail() == [message]
    assert message["To"] == "owner@haulier.example"
    assert f"https://assess.example/a/{token}" in message.get_content()
    assert waiting_mail(app) == []


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
    app = _mail_app(make_app, controller.port, MAIL_ATTEMPTS=5)
    try:
        # Every logger, Dramatiq's too: its worker logs a failed job with the traceback.
        with collected_log(logging.getLogger()) as records:
            client = app.test_client()
            token = start(client)
            answered = _ask(client, token, "owner@haulier.example")
            app.extensions["assessor.jobs"].wait_until_idle()
    finally:
        controller.stop()
    # The relay refuses only once it is asked, after the page has answered.
    assert "The link is on its way" in answered.get_data(as_text=True)
    logged = [  # tracebacks included; not the test relay's own log (aiosmtpd's "mail.log")
        logging.Formatter().format(record) for record in records if record.name != "mail.log"
    ]
    # "No such mailbox" would be refused again: given up at the first attempt, not after 5.
    assert any(
        "refused by the relay for good" in line
        and "resume link of assessment" in line
        and "attempt 1:" in line
        for line in logged
    ), logged
    assert not any("attempt 2:" in line for line in logged)
    assert any("SMTPRecipientsRefused" in line for line in logged)
    assert not any("owner@haulier.example" in line for line in logged)  # the page promises it
    assert waiting_mail(app) == []  # nor kept in the database once given up
