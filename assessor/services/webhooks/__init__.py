"""A cluster's webhook: signed JSON POSTed to its URL when an assessment becomes visible
to the cluster (``assessment.shared``) or stops being so (``assessment.withdrawn``).

An event is recorded in the transaction that changes what the cluster sees (a
``WebhookDelivery`` row, its JSON as it will be signed), so that an event exists exactly
when the change was committed; once committed, assessor.jobs.webhooks queues it (it reads
the ids this module leaves in the session's ``info``). A worker then makes the attempts
(``attempt``), each POST checked against the address guard (``addresses``) and sent by
``sending``. The page's needs (settings, log, test event, "send again") are here too.
Delivery is at least once: a receiver tells a repeat by ``X-Assessor-Delivery``.

A shared event's JSON holds the company's name and scores only while the cluster sees
the assessment: once it is withdrawn or deleted (``record_visibility``), its shared
events keep only their id, type, time, cluster and the assessment's public id, those not
delivered yet fail, and none is sent again (``attempt``, ``send_again``).
"""

from __future__ import annotations

import json
import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from assessor.domain.rounding import rounded
from assessor.services.settings import WebhookSettings, current_settings
from assessor.services.webhooks import sending
from assessor.services.webhooks.addresses import AddressRefused, check
from assessor.storage.db import db
from assessor.storage.models import (
    Assessment,
    Cluster,
    WebhookDelivery,
    WebhookEndpoint,
    utcnow,
)

if TYPE_CHECKING:
    from assessor.domain.scoring import Result

log = logging.getLogger(__name__)

SHARED = "assessment.shared"
WITHDRAWN = "assessment.withdrawn"
TEST = "webhook.test"

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"

# last_error of a shared event whose assessment the cluster no longer sees.
WITHDRAWN_ERROR = "withdrawn before delivery"


class EventWithdrawn(Exception):
    """A shared event whose assessment the cluster no longer sees: not sent again."""


# Deliveries recorded in the session's transaction, queued once it commits: (id, the
# attempts made before this round).
_TO_QUEUE = "assessor.webhooks.to_queue"


# --- events -------------------------------------------------------------------------


def cluster_sees(assessment: Assessment, shared: bool | None = None) -> bool:
    """Whether the assessment is one the cluster's webhook reports as shared: submitted,
    not a preview, and shared (``shared`` when given, else as stored) or made with an
    adviser: ``Assessment.visible_to_cluster`` once submitted."""
    shared = assessment.share_with_cluster if shared is None else shared
    return (
        assessment.cluster_id is not None
        and assessment.submitted_at is not None
        and not assessment.is_preview
        and (shared or assessment.assisted_by_id is not None)
    )


def record_visibility(
    assessment: Assessment, *, before: bool, after: bool, result: Result | None = None
) -> None:
    """In the caller's transaction: the event for a change in what the cluster sees (none
    when nothing changed, or the cluster has no webhook turned on). ``result`` spares
    computing the assessment's result again when the caller has it.

    When the cluster does not see the assessment afterwards (sharing off, or about to be
    deleted), its shared events lose its data, and those not delivered yet fail: whether
    or not the webhook is on now."""
    if not after:
        _withdraw_shared(assessment)
    if before == after or assessment.cluster_id is None:
        return
    endpoint = db.session.scalar(
        select(WebhookEndpoint).where(
            WebhookEndpoint.cluster_id == assessment.cluster_id,
            WebhookEndpoint.is_enabled.is_(True),
        )
    )
    if endpoint is None:
        return
    if after:
        if result is None:
            from assessor.services.assessments import result_of  # which calls this module

            result = result_of(assessment)
        details = shared_assessment(assessment, result)
    else:
        details = {"public_id": assessment.public_id}
    _record(
        endpoint,
        SHARED if after else WITHDRAWN,
        {"assessment": details},
        assessment_id=assessment.id if after else None,
    )


def _withdraw_shared(assessment: Assessment) -> None:
    """Every shared event of the assessment keeps only what a withdrawn one says; the
    ones still to be delivered fail (a retry must not arrive after the withdrawal)."""
    rows = db.session.scalars(
        select(WebhookDelivery)
        .where(WebhookDelivery.assessment_id == assessment.id, WebhookDelivery.event == SHARED)
        .with_for_update()
    )
    for delivery in rows:
        minimal = _minimal_payload(delivery.payload, assessment.public_id)
        if delivery.payload != minimal:
            delivery.payload = minimal
        if delivery.state == PENDING:
            delivery.state, delivery.last_error = FAILED, WITHDRAWN_ERROR
            log.info("webhook delivery %s failed: %s", delivery.id, WITHDRAWN_ERROR)


def _minimal_payload(payload: str, public_id: str) -> str:
    """The event's id, type, time and cluster, and the assessment's public id only."""
    try:
        event = json.loads(payload)
    except ValueError:
        event = {}
    if not isinstance(event, dict):
        event = {}
    kept = {key: event[key] for key in ("id", "type", "created", "cluster") if key in event}
    return _json({**kept, "assessment": {"public_id": public_id}})


def _json(payload: dict[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def _still_shared(delivery: WebhookDelivery) -> bool:
    """Whether a shared event may be sent: its assessment is one the delivery's cluster
    sees, and the event still holds its data (an assessment withdrawn, then shared again,
    has a newer event of its own)."""
    if delivery.event != SHARED:
        return True
    assessment = (
        db.session.get(Assessment, delivery.assessment_id)
        if delivery.assessment_id is not None
        else None
    )
    if (
        assessment is None
        or assessment.cluster_id != delivery.cluster_id
        or not cluster_sees(assessment)
    ):
        return False
    return delivery.payload != _minimal_payload(delivery.payload, assessment.public_id)


def shared_assessment(assessment: Assessment, result: Result) -> dict[str, Any]:
    """What a shared event says of the assessment: what the cluster's advisers see of it
    on their pages (scores with one decimal, as the exports give them; level ids)."""

    def score(value: float | None) -> float | None:
        return rounded(value, 1) if value is not None else None

    return {
        "public_id": assessment.public_id,
        "questionnaire": {
            "id": assessment.questionnaire_id,
            "version": assessment.questionnaire_version,
        },
        "submitted_at": _iso(assessment.submitted_at),
        "company_name": assessment.company_name,
        "overall": {
            "score": score(result.score),
            "level": result.level.id if result.level else None,
        },
        "dimensions": [
            {
                "id": dimension.dimension.id,
                "score": score(dimension.score),
                "level": dimension.level.id if dimension.level else None,
            }
            for dimension in result.dimensions
        ],
    }


def _iso(moment: datetime | None) -> str | None:
    """UTC (the database keeps naive UTC times), to the second, with its Z."""
    return moment.isoformat(timespec="seconds") + "Z" if moment is not None else None


def _record(
    endpoint: WebhookEndpoint,
    event: str,
    details: dict[str, Any],
    assessment_id: int | None = None,
) -> WebhookDelivery:
    event_id = str(uuid.uuid4())
    created = utcnow()
    payload = {
        "id": event_id,
        "type": event,
        "created": _iso(created),
        "cluster": endpoint.cluster.slug,
        **details,
    }
    delivery = WebhookDelivery(
        cluster_id=endpoint.cluster_id,
        event_id=event_id,
        event=event,
        payload=_json(payload),
        assessment_id=assessment_id,
        url=endpoint.url,
        state=PENDING,
        attempts=0,
        created_at=created,
    )
    db.session.add(delivery)
    db.session.flush()  # its id, for the queue once the transaction commits
    _queue_after_commit(delivery)
    return delivery


def _queue_after_commit(delivery: WebhookDelivery) -> None:
    db.session.info.setdefault(_TO_QUEUE, []).append((delivery.id, delivery.attempts))


def take_committed(session: Session) -> list[tuple[int, int]]:
    """For assessor.jobs.webhooks, once ``session`` committed: (delivery id, attempts
    before this round) of every delivery it recorded or sent again."""
    taken: list[tuple[int, int]] = session.info.pop(_TO_QUEUE, [])
    return taken


def forget_rolled_back(session: Session) -> None:
    """The transaction was rolled back: its deliveries are gone, nothing to queue."""
    session.info.pop(_TO_QUEUE, None)


def not_queued(delivery_id: int, reason: str) -> None:
    """The queue could not take the delivery: failed, so that its page offers "send
    again". On a connection of its own: called once the session's transaction is over."""
    with db.engine.begin() as connection:
        connection.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id == delivery_id, WebhookDelivery.state == PENDING)
            .values(state=FAILED, last_error=f"not queued: {reason}"[: sending.ERROR_LENGTH])
        )


def waiting(before: datetime) -> list[tuple[int, int]]:
    """Deliveries recorded before ``before`` and still pending (what an embedded queue
    lost in a restart), oldest first, with their attempts so far."""
    rows = db.session.execute(
        select(WebhookDelivery.id, WebhookDelivery.attempts)
        .where(WebhookDelivery.state == PENDING, WebhookDelivery.created_at < before)
        .order_by(WebhookDelivery.id)
    )
    return [(row[0], row[1]) for row in rows]


# --- delivery -----------------------------------------------------------------------


def attempt(delivery_id: int, attempts_before: int, settings: WebhookSettings) -> str | None:
    """One attempt at a pending delivery, by a worker: its state afterwards (PENDING when
    it should be tried again), None when there is nothing to try (delivered already,
    or gone with its cluster)."""
    delivery = db.session.scalar(
        select(WebhookDelivery).where(WebhookDelivery.id == delivery_id).with_for_update()
    )
    if delivery is None or delivery.state != PENDING:
        db.session.rollback()
        return None
    endpoint = db.session.scalar(
        select(WebhookEndpoint).where(WebhookEndpoint.cluster_id == delivery.cluster_id)
    )
    if endpoint is None or not endpoint.is_enabled:
        delivery.state, delivery.last_error = FAILED, "the webhook is turned off"
        db.session.commit()
        return FAILED
    if not _still_shared(delivery):
        delivery.state, delivery.last_error = FAILED, WITHDRAWN_ERROR
        log.info("webhook delivery %s not sent: %s", delivery_id, WITHDRAWN_ERROR)
        db.session.commit()
        return FAILED
    # The URL and secret as they are now: an administrator who mends the URL and sends
    # again reaches the new one.
    delivery.url = url = endpoint.url
    secret = endpoint.secret
    delivery.attempts += 1
    delivery.last_attempt_at = utcnow()
    body, event, event_id = delivery.payload.encode("utf-8"), delivery.event, delivery.event_id
    db.session.commit()  # the attempt is counted even if the worker dies during the POST

    outcome = sending.post(
        url,
        body,
        {"X-Assessor-Event": event, "X-Assessor-Delivery": event_id},
        secret,
        settings.allowed_networks,
        settings.timeout_s,
    )
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None:  # its cluster was deleted meanwhile
        return None
    delivery.last_status, delivery.last_error = outcome.status, outcome.error
    if outcome.delivered:
        delivery.state, delivery.delivered_at = DELIVERED, utcnow()
    elif delivery.state != PENDING:  # withdrawn during the POST: failed, not tried again
        delivery.last_error = WITHDRAWN_ERROR
    elif outcome.final or delivery.attempts - attempts_before >= settings.attempts:
        delivery.state = FAILED
    db.session.commit()
    return delivery.state


# --- the cluster administrator's page -----------------------------------------------


def endpoint_of(cluster: Cluster) -> WebhookEndpoint | None:
    return db.session.scalar(
        select(WebhookEndpoint).where(WebhookEndpoint.cluster_id == cluster.id)
    )


def url_refused(url: str, settings: WebhookSettings | None = None) -> AddressRefused | None:
    """Why ``url`` may not be a webhook's (None when it may): not http(s), or its host is
    not a public address (nor in an allowed network), or resolves to none within
    ``WEBHOOK_TIMEOUT``."""
    settings = settings or current_settings().webhooks
    try:
        # The lookup is bounded: a slow resolver must not hold the page's web worker.
        check(url, settings.allowed_networks, settings.timeout_s)
    except AddressRefused as exc:
        return exc
    return None


def new_secret_text() -> str:
    return secrets.token_hex(32)  # 256 bits, the column's 64 characters


def save_endpoint(cluster: Cluster, url: str, enabled: bool) -> WebhookEndpoint:
    """Set the cluster's URL and whether events are sent; the first time, with a secret."""
    endpoint = endpoint_of(cluster)
    if endpoint is None:
        endpoint = WebhookEndpoint(cluster_id=cluster.id, secret=new_secret_text(), url=url)
        db.session.add(endpoint)
    endpoint.url, endpoint.is_enabled = url, enabled
    db.session.commit()
    return endpoint


def replace_secret(cluster: Cluster) -> WebhookEndpoint | None:
    """A new secret: deliveries signed from now on use it (the receiver needs it too)."""
    endpoint = endpoint_of(cluster)
    if endpoint is not None:
        endpoint.secret = new_secret_text()
        db.session.commit()
    return endpoint


def send_test(cluster: Cluster) -> WebhookDelivery | None:
    """A test event through the queue like any other (None without an enabled webhook)."""
    endpoint = endpoint_of(cluster)
    if endpoint is None or not endpoint.is_enabled:
        return None
    delivery = _record(endpoint, TEST, {})
    db.session.commit()
    return delivery


def send_again(cluster: Cluster, event_id: str) -> WebhookDelivery | None:
    """The same event (same id and JSON, signed anew) for another round of attempts; None
    when the cluster has no such delivery, its webhook is off, or it is still pending.
    Raises EventWithdrawn for a shared event whose assessment the cluster no longer sees."""
    endpoint = endpoint_of(cluster)
    if endpoint is None or not endpoint.is_enabled:
        return None
    delivery = db.session.scalar(
        select(WebhookDelivery)
        .where(WebhookDelivery.cluster_id == cluster.id, WebhookDelivery.event_id == event_id)
        .with_for_update()
    )
    if delivery is None or delivery.state == PENDING:
        db.session.rollback()
        return None
    if not _still_shared(delivery):
        log.info("webhook delivery %s not sent again: %s", delivery.id, WITHDRAWN_ERROR)
        db.session.rollback()
        raise EventWithdrawn(event_id)
    delivery.state, delivery.delivered_at = PENDING, None
    _queue_after_commit(delivery)
    db.session.commit()
    return delivery


@dataclass(frozen=True)
class DeliveryRow:
    """A line of the delivery log, as the page shows it."""

    event_id: str
    event: str
    created_at: datetime
    state: str
    attempts: int
    last_status: int | None
    last_error: str | None
    last_attempt_at: datetime | None
    url: str


def delivery_log(cluster: Cluster, page: int, size: int) -> list[DeliveryRow]:
    """The cluster's deliveries, newest first: page ``page`` (from 0) of ``size``."""
    rows = db.session.scalars(
        select(WebhookDelivery)
        .where(WebhookDelivery.cluster_id == cluster.id)
        .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc())
        .offset(page * size)
        .limit(size)
    )
    return [
        DeliveryRow(
            row.event_id,
            row.event,
            row.created_at,
            row.state,
            row.attempts,
            row.last_status,
            row.last_error,
            row.last_attempt_at,
            row.url,
        )
        for row in rows
    ]


def delivery_exists(cluster: Cluster, event_id: str) -> bool:
    """Whether ``cluster`` has a delivery of this event (another cluster's is not found)."""
    found = db.session.scalar(
        select(WebhookDelivery.id).where(
            WebhookDelivery.cluster_id == cluster.id, WebhookDelivery.event_id == event_id
        )
    )
    return found is not None
