"""A withdrawn or deleted assessment takes its data out of its shared events: nothing of
it is sent again, retried, or kept; a shared event still being tried fails rather than
arrive after the withdrawal."""

from __future__ import annotations

import json
import logging

import pytest
from flask import Flask
from sqlalchemy import select, update

from assessor.services import webhooks
from assessor.services.settings import current_settings
from assessor.storage.db import db
from assessor.storage.models import Assessment, WebhookDelivery
from tests.advisers.helpers import adviser_id_of
from tests.webhooks.conftest import (
    Receiver,
    cluster_admin,
    deliveries,
    post_button,
    save_webhook,
    shared_assessment,
)
from tests.webhooks.test_events import respondent_posts


def minimal(delivery: WebhookDelivery, public_id: str) -> dict:
    return {
        "id": delivery.event_id,
        "type": "assessment.shared",
        "created": json.loads(delivery.payload)["created"],
        "cluster": "example-baltic-freight",
        "assessment": {"public_id": public_id},
    }


@pytest.mark.parametrize("how", ["delete", "unshare"])
def test_a_withdrawn_assessment_is_not_sent_again_and_its_data_is_gone(
    app: Flask, receiver: Receiver, how: str, caplog: pytest.LogCaptureFixture
) -> None:
    admin = cluster_admin(app)
    save_webhook(admin, receiver.url)
    token = shared_assessment(app, admin, share=True)
    public_id = adviser_id_of(app, token)
    [shared] = deliveries(app)
    assert shared.state == "delivered"
    assert "Baltic Haulage Oy" in shared.payload
    with app.app_context():
        assessment_id = db.session.scalar(select(Assessment.id).where(Assessment.token == token))
    assert shared.assessment_id == assessment_id

    if how == "delete":
        respondent_posts(app, f"/a/{token}/delete")
    else:
        respondent_posts(app, f"/a/{token}/sharing", share="no")
    shared, withdrawn = deliveries(app)
    assert withdrawn.event == "assessment.withdrawn"
    assert shared.state == "delivered"  # it was: the log still says so
    assert json.loads(shared.payload) == minimal(shared, public_id)
    assert "Baltic Haulage Oy" not in shared.payload
    assert shared.assessment_id == (None if how == "delete" else assessment_id)
    assert len(receiver.received) == 2

    caplog.set_level(logging.INFO, "assessor.services.webhooks")
    path = f"/advisers/cluster/webhook/deliveries/{shared.event_id}/again"
    again = post_button(admin, path)
    assert again.status_code == 302
    page = admin.get("/advisers/cluster/webhook").get_data(as_text=True)
    assert "This event cannot be sent again" in page.replace("&#39;", "'")
    assert f"webhook delivery {shared.id} not sent again" in caplog.text
    shared, _ = deliveries(app)
    assert (shared.state, shared.attempts) == ("delivered", 1)
    assert len(receiver.received) == 2  # nothing more sent
    assert all(b"Baltic Haulage Oy" not in r.body for r in receiver.received[1:])

    if how == "unshare":  # shared again: a new event; the old one stays without data
        respondent_posts(app, f"/a/{token}/sharing", share="yes")
        assert [d.event for d in deliveries(app)][-1] == "assessment.shared"
        post_button(admin, path)
        assert len(receiver.received) == 3
        assert deliveries(app)[0].attempts == 1


def test_a_shared_event_still_being_tried_fails_when_withdrawn(
    app: Flask, receiver: Receiver
) -> None:
    admin = cluster_admin(app)
    save_webhook(admin, receiver.url)
    token = shared_assessment(app, admin, share=True)
    public_id = adviser_id_of(app, token)
    [shared] = deliveries(app)
    with app.app_context():  # as if the receiver had been down: a retry is due
        db.session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id == shared.id)
            .values(state="pending", delivered_at=None)
        )
        db.session.commit()

    respondent_posts(app, f"/a/{token}/sharing", share="no")
    shared, withdrawn = deliveries(app)
    assert (shared.state, shared.last_error) == ("failed", "withdrawn before delivery")
    assert json.loads(shared.payload) == minimal(shared, public_id)
    assert withdrawn.state == "delivered"
    with app.app_context():  # the retry that was queued finds nothing to send
        settings = current_settings().webhooks
        assert webhooks.attempt(shared.id, 1, settings) is None
    assert [r.event["type"] for r in receiver.received] == [
        "assessment.shared",
        "assessment.withdrawn",
    ]


def test_an_attempt_at_a_shared_event_the_cluster_no_longer_sees_sends_nothing(
    app: Flask, receiver: Receiver
) -> None:
    """However the assessment stopped being seen (here, its sharing turned off behind the
    service's back), an attempt checks before it sends."""
    admin = cluster_admin(app)
    save_webhook(admin, receiver.url)
    token = shared_assessment(app, admin, share=True)
    [shared] = deliveries(app)
    with app.app_context():
        db.session.execute(
            update(Assessment).where(Assessment.token == token).values(share_with_cluster=False)
        )
        db.session.execute(
            update(WebhookDelivery).where(WebhookDelivery.id == shared.id).values(state="pending")
        )
        db.session.commit()
        state = webhooks.attempt(shared.id, 1, current_settings().webhooks)
    assert state == "failed"
    [shared] = deliveries(app)
    assert (shared.state, shared.attempts) == ("failed", 1)
    assert shared.last_error == "withdrawn before delivery"
    assert len(receiver.received) == 1


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_the_migration_takes_the_data_out_of_events_already_withdrawn(
    make_app, receiver: Receiver, database: str
) -> None:
    """Shared events recorded before deliveries kept their assessment: the migration finds
    it by the public id; one the cluster no longer sees, or gone, keeps no data."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from tests.conftest import PROJECT_ROOT, RELEASED_V2
    from tests.webhooks.conftest import RECEIVER_CONFIG

    app = make_app(database=database, questionnaires=RELEASED_V2, **RECEIVER_CONFIG)
    admin = cluster_admin(app)
    save_webhook(admin, receiver.url)
    seen_token = shared_assessment(app, admin)
    unshared_token = shared_assessment(app, admin)
    seen, unshared = deliveries(app)
    seen_payload = seen.payload
    directory = str(PROJECT_ROOT / "migrations")
    with app.app_context():
        db.session.remove()
        downgrade(directory=directory, revision="a17e2a3b4c52")
        with db.engine.begin() as connection:
            connection.execute(
                text("UPDATE assessment SET share_with_cluster = :no WHERE token = :token"),
                {"no": False, "token": unshared_token},
            )
            connection.execute(
                text("UPDATE webhook_delivery SET state = 'pending' WHERE id = :id"),
                {"id": seen.id},
            )
            gone = seen_payload.replace(adviser_id_of(app, seen_token), "gone-public-id")
            gone = gone.replace(seen.event_id, "gone-event")
            connection.execute(
                text(
                    "INSERT INTO webhook_delivery (cluster_id, event_id, event, payload, url,"
                    " state, attempts, created_at) SELECT cluster_id, 'gone-event', event,"
                    " :payload, url, 'pending', 1, created_at FROM webhook_delivery"
                    " WHERE id = :id"
                ),
                {"payload": gone, "id": seen.id},
            )
        upgrade(directory=directory)
        ids = {
            token: id_ for token, id_ in db.session.execute(select(Assessment.token, Assessment.id))
        }
        rows = {
            d.event_id: d
            for d in db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id))
        }
        db.session.expunge_all()
    kept, withdrawn, ghost = rows[seen.event_id], rows[unshared.event_id], rows["gone-event"]
    assert (kept.assessment_id, kept.state, kept.payload) == (
        ids[seen_token],
        "pending",
        seen_payload,
    )
    assert withdrawn.assessment_id == ids[unshared_token]
    assert withdrawn.state == "delivered"
    assert json.loads(withdrawn.payload) == minimal(withdrawn, adviser_id_of(app, unshared_token))
    assert ghost.assessment_id is None
    assert (ghost.state, ghost.last_error) == ("failed", "withdrawn before delivery")
    assert json.loads(ghost.payload) == {**minimal(ghost, "gone-public-id"), "id": "gone-event"}
