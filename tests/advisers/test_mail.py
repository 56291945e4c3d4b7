"""E-mail: invitations and forgotten passwords, through a real SMTP server on loopback."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_babel import force_locale, gettext
from itsdangerous import TimestampSigner
from sqlalchemy import select

from assessor.storage.db import db
from assessor.storage.models import OutgoingMail, Role
from tests.advisers.helpers import (
    accept_invitation,
    make_account,
    sign_in,
    signed_in_client,
)
from tests.conftest import SHIPPED, free_port, smtp_relay
from tests.web.helpers import csrf_from

NEW_PASSWORD = "a different long passphrase"


def _invite(app: Flask, email: str):
    admin = signed_in_client(app, make_account(app, "chief@example.org", role=Role.CLUSTER_ADMIN))
    page = admin.get("/advisers/cluster/advisers").get_data(as_text=True)
    return admin.post(
        "/advisers/cluster/advisers",
        data={"csrf_token": csrf_from(page), "email": email, "role": "adviser"},
    )


def test_an_invitation_arrives_by_mail_in_the_clusters_language(mail_app: Flask, inbox) -> None:
    box, _ = inbox
    response = _invite(mail_app, "New.Adviser@Example.org")
    assert response.status_code == 200
    assert "The invitation is on its way by e-mail." in response.get_data(as_text=True)
    [message] = box.wait_for_background_mail()
    assert message["To"] == "new.adviser@example.org"
    assert message["From"] == "Baltic assessor <no-reply@baltic-freight.example>"
    # The Baltic example cluster speaks Finnish first: so does its invitation.
    subject = "Your invitation to %(cluster)s on assessor"
    with mail_app.test_request_context(), force_locale("fi"):
        finnish = gettext(subject, cluster="Baltic Freight Cluster (example)")
    assert finnish != subject % {"cluster": "Baltic Freight Cluster (example)"}
    assert message["Subject"] == finnish
    link = box.link_in(message)
    assert link.startswith("https://assess.baltic-freight.example/advisers/invitation/")
    assert link in response.get_data(as_text=True)  # also shown, should the mail go astray

    accepted = accept_invitation(mail_app.test_client(), _path_of(link), "New Adviser")
    assert accepted.status_code == 302


def test_an_unreachable_mail_server_still_shows_the_link_and_the_mail_follows(
    make_app,
) -> None:
    """The relay is down when the invitation is made: the page shows the link at once
    and says the e-mail is on its way, which it is: it leaves once the relay is back."""
    port = free_port()
    app = make_app(
        questionnaires=SHIPPED,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=port,
        MAIL_USE_TLS=False,
        PUBLIC_URL="https://assess.example",
        MAIL_RETRY_BACKOFF=0.2,
        MAIL_RETRY_MAX_BACKOFF=0.5,
    )
    response = _invite(app, "someone@example.org")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The invitation is on its way by e-mail." in html
    assert "could not be sent" not in html
    shown = html.split('readonly value="', 1)[1].split('"', 1)[0]
    assert shown.startswith("https://assess.example/advisers/invitation/")

    with smtp_relay(port) as box:
        [message] = box.wait_for(1)
        assert box.wait_for_background_mail() == [message]  # once, not once per attempt
    assert message["To"] == "someone@example.org"
    assert box.link_in(message) == shown


def _ask_for_a_link(client, email: str):
    page = client.get("/advisers/forgot-password").get_data(as_text=True)
    return client.post(
        "/advisers/forgot-password", data={"csrf_token": csrf_from(page), "email": email}
    )


def _path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def test_a_forgotten_password_is_replaced_through_a_one_time_link(mail_app: Flask, inbox) -> None:
    box, _ = inbox
    account = make_account(mail_app, "forgetful@example.org")
    client = mail_app.test_client()
    sign_in_page = client.get("/advisers/sign-in").get_data(as_text=True)
    assert 'href="/advisers/forgot-password"' in sign_in_page

    box.accepting.clear()  # every message stays on its way until the relay accepts again
    unknown = _ask_for_a_link(client, "nobody@example.org")
    known = _ask_for_a_link(client, account.email)
    assert unknown.status_code == known.status_code == 200
    # The same answer either way: the page does not tell who has an account.
    assert unknown.get_data(as_text=True).replace("nobody", "forgetful") == known.get_data(
        as_text=True
    )
    with mail_app.app_context():  # one message on its way, not two
        waiting = db.session.scalars(select(OutgoingMail.recipient)).all()
    assert waiting == [account.email]
    box.accepting.set()
    [message] = box.wait_for_background_mail()
    assert message["To"] == account.email
    assert "60 minutes" in message.get_content()
    reset = _path_of(box.link_in(message))

    page = client.get(reset).get_data(as_text=True)
    assert account.email in page
    for fields, error in [
        ({"password": "short", "password_again": "short"}, "at least 12 characters"),
        ({"password": NEW_PASSWORD, "password_again": "something else"}, "differ"),
    ]:
        refused = client.post(reset, data={"csrf_token": csrf_from(page), **fields})
        assert refused.status_code == 400
        assert error in refused.get_data(as_text=True)
    assert sign_in(mail_app.test_client(), account.email).status_code == 302  # unchanged

    saved = client.post(
        reset,
        data={
            "csrf_token": csrf_from(page),
            "password": NEW_PASSWORD,
            "password_again": NEW_PASSWORD,
        },
    )
    assert saved.status_code == 302  # and signed in
    assert client.get("/advisers/").status_code == 200
    assert sign_in(mail_app.test_client(), account.email).status_code == 400  # old password
    assert sign_in(mail_app.test_client(), account.email, NEW_PASSWORD).status_code == 302

    used_again = mail_app.test_client().get(reset)
    assert used_again.status_code == 404
    assert "This link cannot be used" in used_again.get_data(as_text=True)


def test_asking_for_a_reset_does_not_wait_for_the_mail_relay(mail_app: Flask, inbox) -> None:
    """The mail goes out in the background: with a slow mail relay the answer for an
    existing account comes as soon as for an unknown one, so timing tells nothing."""
    box, _ = inbox
    make_account(mail_app, "slow@example.org")
    client = mail_app.test_client()
    box.accepting.clear()  # the relay accepts nothing until told to (or HOLD_TIMEOUT)
    for email in ["slow@example.org", "nobody@example.org"]:
        assert _ask_for_a_link(client, email).status_code == 200
    assert box.messages == []  # answered before the relay accepted the message
    box.accepting.set()
    assert [message["To"] for message in box.wait_for_background_mail()] == ["slow@example.org"]


def test_reset_links_expire_and_cannot_be_forged(mail_app: Flask, inbox, monkeypatch) -> None:
    box, _ = inbox
    account = make_account(mail_app, "late@example.org")
    client = mail_app.test_client()
    real_timestamp = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: real_timestamp(self) - 3601)
    _ask_for_a_link(client, account.email)
    monkeypatch.undo()
    expired = _path_of(box.link_in(box.wait_for(1)[-1]))
    assert client.get(expired).status_code == 404

    _ask_for_a_link(client, account.email)
    fresh = _path_of(box.link_in(box.wait_for(2)[-1]))
    assert client.get(fresh).status_code == 200
    forged = fresh[:-3] + ("aaa" if not fresh.endswith("aaa") else "bbb")
    for path in [forged, "/advisers/reset-password/x", "/advisers/reset-password/" + "a" * 500]:
        assert client.get(path).status_code == 404


def test_without_a_mail_server_the_page_says_whom_to_ask(shipped_app: Flask) -> None:
    page = shipped_app.test_client().get("/advisers/forgot-password")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "This site is not set up to send e-mail." in html
    assert "<form" not in html.split("<main", 1)[1].split("</main>", 1)[0]  # nothing to send


def test_a_forged_host_header_does_not_reach_the_mailed_link(mail_app: Flask, inbox) -> None:
    """Reset links built from the Host header would hand the token to whoever forged it."""
    box, _ = inbox
    make_account(mail_app, "target@example.org")
    client = mail_app.test_client()
    forged = {"Host": "attacker.example", "X-Forwarded-Host": "attacker.example"}
    page = client.get("/advisers/forgot-password", headers=forged).get_data(as_text=True)
    sent = client.post(
        "/advisers/forgot-password",
        data={"csrf_token": csrf_from(page), "email": "target@example.org"},
        headers=forged,
    )
    assert sent.status_code == 200
    [message] = box.wait_for(1)
    assert box.link_in(message).startswith(
        "https://assess.baltic-freight.example/advisers/reset-password/"
    )
    assert "attacker" not in message.get_content()


@pytest.mark.parametrize(
    ("settings", "complaint"),
    [
        ({"MAIL_SERVER": "smtp.example"}, "MAIL_SERVER is set but PUBLIC_URL is not"),
        ({"PUBLIC_URL": "assess.example"}, "must be the site's address"),
        ({"PUBLIC_URL": "https://assess.example/sub/path"}, "must be the site's address"),
    ],
)
def test_mail_without_the_sites_address_is_refused_at_start(
    make_app, settings: dict, complaint: str
) -> None:
    with pytest.raises(SystemExit, match=complaint):
        make_app(**settings)
