"""Deliveries against a real receiver on loopback: signed, retried with back-off while it
fails, logged on the page, sent again on request; no redirect followed."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from flask import Flask

from assessor.services.assessments import find_assessment
from tests.conftest import RELEASED_V2
from tests.webhooks.conftest import (
    RECEIVER_CONFIG,
    Receiver,
    cluster_admin,
    deliveries,
    docs_verifier,
    post_button,
    save_webhook,
    shared_assessment,
)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_app(request: pytest.FixtureRequest, make_app: Callable[..., Flask]) -> Flask:
    return make_app(database=request.param, questionnaires=RELEASED_V2, **RECEIVER_CONFIG)


def test_a_shared_assessment_is_retried_until_the_receiver_takes_it_and_verifies(
    any_app: Flask, receiver: Receiver
) -> None:
    receiver.answers = [500, 503]  # down at first, then 204
    admin = cluster_admin(any_app)
    assert save_webhook(admin, receiver.url).status_code == 302
    token = shared_assessment(any_app, admin)

    [delivery] = deliveries(any_app)
    attempts = receiver.wait_for(3)
    assert len(attempts) == 3
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("delivered", 3, 204)
    # The same event each time: same id, same body (only the signature's time may move).
    assert {a.body for a in attempts} == {delivery.payload.encode()}
    assert {a.headers["X-Assessor-Delivery"] for a in attempts} == {delivery.event_id}
    first = attempts[0]
    assert first.path == "/hooks/assessor"
    assert first.headers["Content-Type"] == "application/json"
    assert first.headers["X-Assessor-Event"] == "assessment.shared"

    event = first.event
    with any_app.app_context():
        assessment = find_assessment(token)
        assert assessment is not None
        public_id, version = assessment.public_id, assessment.questionnaire_version
    assert event["id"] == delivery.event_id
    assert event["type"] == "assessment.shared"
    assert event["cluster"] == "example-baltic-freight"
    assert event["created"].endswith("Z")
    shared = event["assessment"]
    assert shared["public_id"] == public_id
    assert shared["questionnaire"] == {"id": "quick-check", "version": version}
    assert shared["company_name"] == "Baltic Haulage Oy"
    assert [d["id"] for d in shared["dimensions"]] == [
        "decarbonisation",
        "digitalisation",
        "skills",
    ]
    assert shared["overall"]["level"] in {"beginner", "developing", "established", "advanced"}
    assert "token" not in first.body.decode()  # the respondent's key never leaves

    verify = docs_verifier()
    with any_app.app_context():
        from assessor.services.clusters import cluster_by_slug
        from assessor.services.webhooks import endpoint_of

        endpoint = endpoint_of(cluster_by_slug("example-baltic-freight"))
        assert endpoint is not None
        secret = endpoint.secret
    signature = first.headers["X-Assessor-Signature"]
    assert verify(secret, first.body, signature)
    assert not verify("another secret", first.body, signature)
    assert not verify(secret, first.body.replace(b"Baltic", b"Batlic"), signature)
    sent_at = int(signature.split(",")[0].removeprefix("t="))
    assert abs(sent_at - time.time()) < 60
    assert not verify(secret, first.body, signature, now=sent_at + 301)  # a replay, later
    assert verify(secret, first.body, signature, now=sent_at + 299)
    for forged in ("", "t=abc,v1=00", f"t={sent_at}", f"t={sent_at},v1=é", "v1=t=1"):
        assert not verify(secret, first.body, forged)

    page = admin.get("/advisers/cluster/webhook").get_data(as_text=True)
    row = page.split(f'id="delivery-{delivery.event_id}"', 1)[1].split("</tr>", 1)[0]
    assert "Assessment shared" in row
    assert "Delivered" in row
    assert "<td>3</td>" in row
    assert "HTTP 204" in row


def test_a_receiver_that_keeps_failing_gets_it_again_on_request(
    app: Flask, receiver: Receiver
) -> None:
    receiver.default = 500
    admin = cluster_admin(app)
    save_webhook(admin, receiver.url)
    shared_assessment(app, admin)

    [delivery] = deliveries(app)
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("failed", 4, 500)
    assert len(receiver.received) == 4  # WEBHOOK_ATTEMPTS, then it gave up
    page = admin.get("/advisers/cluster/webhook").get_data(as_text=True)
    assert "Failed" in page
    assert "HTTP 500" in page

    receiver.default = 200
    again = post_button(admin, f"/advisers/cluster/webhook/deliveries/{delivery.event_id}/again")
    assert again.status_code == 302
    [delivery] = deliveries(app)
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("delivered", 5, 200)
    assert receiver.received[-1].body == receiver.received[0].body
    assert receiver.received[-1].headers["X-Assessor-Delivery"] == delivery.event_id


def test_a_redirect_is_a_failed_attempt_and_not_followed(app: Flask, receiver: Receiver) -> None:
    receiver.default = 302  # to /hooks/elsewhere on the same receiver
    admin = cluster_admin(app)
    save_webhook(admin, receiver.url)
    post_button(admin, "/advisers/cluster/webhook/test")

    [delivery] = deliveries(app)
    assert delivery.event == "webhook.test"
    assert (delivery.state, delivery.last_status) == ("failed", 302)
    assert "redirect not followed" in (delivery.last_error or "")
    assert receiver.at("/hooks/elsewhere") == []
    assert len(receiver.at("/hooks/assessor")) == delivery.attempts == 4


def test_a_test_event_and_a_new_secret(app: Flask, receiver: Receiver) -> None:
    admin = cluster_admin(app)
    save_webhook(admin, receiver.url)
    page = admin.get("/advisers/cluster/webhook").get_data(as_text=True)
    old_secret = page.split('<code id="secret">', 1)[1].split("<", 1)[0]

    confirm = admin.get("/advisers/cluster/webhook/secret")
    assert confirm.status_code == 200
    assert "Yes, make a new secret" in confirm.get_data(True)
    page = admin.get("/advisers/cluster/webhook").get_data(as_text=True)
    assert old_secret in page  # asking is not confirming
    assert post_button(admin, "/advisers/cluster/webhook/secret").status_code == 302
    page = admin.get("/advisers/cluster/webhook").get_data(as_text=True)
    new_secret = page.split('<code id="secret">', 1)[1].split("<", 1)[0]
    assert len(new_secret) == 64
    assert new_secret != old_secret

    post_button(admin, "/advisers/cluster/webhook/test")
    [delivery] = deliveries(app)
    [test] = receiver.received
    assert delivery.state == "delivered"
    assert test.event["type"] == "webhook.test"
    assert "assessment" not in test.event
    verify = docs_verifier()
    assert verify(new_secret, test.body, test.headers["X-Assessor-Signature"])
    assert not verify(old_secret, test.body, test.headers["X-Assessor-Signature"])


def test_a_turned_off_webhook_records_and_sends_nothing(app: Flask, receiver: Receiver) -> None:
    admin = cluster_admin(app)
    save_webhook(admin, receiver.url, enabled=False)
    shared_assessment(app, admin)
    assert post_button(admin, "/advisers/cluster/webhook/test").status_code == 302
    assert deliveries(app) == []
    assert receiver.received == []
