"""Which changes send which event, to whom: shared (on submission, later, or a one-to-one
assessment), withdrawn (sharing off, deleted); nothing for what the cluster never saw;
one cluster's events and deliveries never reach another."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from tests.advisers.helpers import QUICK_CHECK_ANSWERS, adviser_id_of
from tests.web.helpers import csrf_from
from tests.webhooks.conftest import (
    Receiver,
    cluster_admin,
    deliveries,
    post_button,
    save_webhook,
    shared_assessment,
)


def respondent_posts(app: Flask, path: str, **data: str) -> None:
    """The respondent's own button (on the results page, or the delete page), in a fresh
    browser."""
    client = app.test_client()
    shown = path if path.endswith("/delete") else path.rsplit("/", 1)[0] + "/results"
    page = client.get(shown).get_data(as_text=True)
    assert client.post(path, data={"csrf_token": csrf_from(page), **data}).status_code == 302


def events(receiver: Receiver) -> list[tuple[str, dict]]:
    return [(r.event["type"], r.event.get("assessment", {})) for r in receiver.received]


def test_sharing_later_withdrawing_and_deleting(app: Flask, receiver: Receiver) -> None:
    admin = cluster_admin(app)
    save_webhook(admin, receiver.url)
    token = shared_assessment(app, admin, share=False)
    assert deliveries(app) == []  # submitted without sharing: the cluster sees nothing

    public_id = adviser_id_of(app, token)
    # Each event received before the next change: a withdrawal fails a shared event not
    # delivered yet (tests/webhooks/test_withdrawal.py), which is not what this test is about.
    respondent_posts(app, f"/a/{token}/sharing", share="yes")
    receiver.wait_for(1)
    respondent_posts(app, f"/a/{token}/sharing", share="yes")  # no change, no event
    respondent_posts(app, f"/a/{token}/sharing", share="no")
    receiver.wait_for(2)
    respondent_posts(app, f"/a/{token}/sharing", share="yes")
    receiver.wait_for(3)
    respondent_posts(app, f"/a/{token}/delete")
    assert [d.state for d in deliveries(app)] == ["delivered"] * 4
    sent = events(receiver)
    assert [kind for kind, _ in sent] == [
        "assessment.shared",
        "assessment.withdrawn",
        "assessment.shared",
        "assessment.withdrawn",
    ]
    assert sent[0][1]["public_id"] == public_id
    assert sent[1][1] == {"public_id": public_id}  # withdrawn: the id, nothing more
    assert sent[3][1] == {"public_id": public_id}


def one_to_one(app: Flask, adviser: FlaskClient) -> str:
    page = adviser.get("/advisers/one-to-one").get_data(as_text=True)
    started = adviser.post(
        "/advisers/one-to-one",
        data={
            "csrf_token": csrf_from(page),
            "company": "Meeting Oy",
            "questionnaire": "quick-check",
            "language": "en",
        },
    )
    token = re.search(r"/a/([A-Za-z0-9_-]+)", started.headers["Location"]).group(1)
    for section, values in QUICK_CHECK_ANSWERS.items():
        url = f"/a/{token}/section/{section}"
        csrf = csrf_from(adviser.get(url).get_data(as_text=True))
        adviser.post(url, data={"csrf_token": csrf, "navigate": "next", **values})
    csrf = csrf_from(adviser.get(f"/a/{token}/review").get_data(as_text=True))
    adviser.post(f"/a/{token}/submit", data={"csrf_token": csrf, "share": "no"})
    return token


def test_a_one_to_one_assessment_is_shared_on_submission(app: Flask, receiver: Receiver) -> None:
    admin = cluster_admin(app)
    save_webhook(admin, receiver.url)
    token = one_to_one(app, admin)
    assert [d.event for d in deliveries(app)] == ["assessment.shared"]
    assert receiver.received[0].event["assessment"]["company_name"] == "Meeting Oy"
    # Made with the cluster: turning sharing off changes nothing the cluster sees.
    respondent_posts(app, f"/a/{token}/sharing", share="no")
    assert len(deliveries(app)) == 1


def test_one_clusters_events_and_deliveries_stay_its_own(
    app: Flask, make_receiver, receiver: Receiver
) -> None:
    baltic = cluster_admin(app)
    rhine = cluster_admin(app, "example-rhine-scheldt")
    rhine_receiver = make_receiver()
    save_webhook(baltic, receiver.url)
    save_webhook(rhine, rhine_receiver.url)
    shared_assessment(app, baltic)
    [delivery] = deliveries(app)
    assert len(receiver.received) == 1
    assert rhine_receiver.received == []

    rhine_page = rhine.get("/advisers/cluster/webhook").get_data(as_text=True)
    assert delivery.event_id not in rhine_page
    assert "No event yet" in rhine_page
    again_path = f"/advisers/cluster/webhook/deliveries/{delivery.event_id}/again"
    assert post_button(rhine, again_path).status_code == 404
    assert baltic.post(again_path).status_code == 400  # without the form's CSRF token
    assert [(d.attempts, d.state) for d in deliveries(app)] == [(1, "delivered")]
    assert rhine_receiver.received == []
    assert len(receiver.received) == 1


def test_the_page_is_for_cluster_administrators(app: Flask) -> None:
    from assessor.storage.models import Role
    from tests.advisers.helpers import make_account, signed_in_client

    adviser = signed_in_client(app, make_account(app, "ada@example.org"))
    assert adviser.get("/advisers/cluster/webhook").status_code == 403
    assert app.test_client().get("/advisers/cluster/webhook").status_code == 302  # sign in
    platform = signed_in_client(
        app, make_account(app, "ops@example.org", None, Role.PLATFORM_ADMIN)
    )
    assert platform.get("/advisers/cluster/webhook").status_code == 403


def test_the_log_is_newest_first_25_a_page(app: Flask) -> None:
    from datetime import timedelta

    from assessor.services.clusters import cluster_by_slug
    from assessor.storage.db import db
    from assessor.storage.models import WebhookDelivery, utcnow

    admin = cluster_admin(app)
    save_webhook(admin, "https://93.184.215.14/hooks", enabled=False)
    with app.app_context():
        cluster = cluster_by_slug("example-baltic-freight")
        start = utcnow() - timedelta(hours=1)
        for n in range(30):
            db.session.add(
                WebhookDelivery(
                    cluster_id=cluster.id,
                    event_id=f"event-{n:02d}",
                    event="webhook.test",
                    payload="{}",
                    url="https://93.184.215.14/hooks",
                    state="failed",
                    attempts=1,
                    created_at=start + timedelta(minutes=n),
                )
            )
        db.session.commit()
    first = admin.get("/advisers/cluster/webhook").get_data(as_text=True)
    shown = re.findall(r'id="delivery-(event-\d\d)"', first)
    assert shown == [f"event-{n:02d}" for n in range(29, 4, -1)]
    assert 'rel="next"' in first
    assert "Send again" not in first  # turned off: nothing is sent, not even again
    second = admin.get("/advisers/cluster/webhook?page=1").get_data(as_text=True)
    assert re.findall(r'id="delivery-(event-\d\d)"', second) == [
        f"event-{n:02d}" for n in range(4, -1, -1)
    ]
    assert 'rel="prev"' in second
    assert 'rel="next"' not in second
    assert admin.get("/advisers/cluster/webhook?page=x²").status_code == 200
