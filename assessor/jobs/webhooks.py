"""Webhook deliveries through the queue: each delivery a service records (an assessment
shared or withdrawn, a test, "send again") is queued once its transaction has committed,
and a worker POSTs it; a failed attempt is tried again after a pause that doubles
(``WEBHOOK_RETRY_BACKOFF`` up to ``WEBHOOK_RETRY_MAX_BACKOFF``), ``WEBHOOK_ATTEMPTS``
times in all, then the delivery is ``failed`` and its page offers "send again"."""

from __future__ import annotations

import logging
from datetime import datetime

import dramatiq
from flask import has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from assessor.jobs.queue import WEBHOOK_QUEUE, JobQueue, QueueUnavailable, job_queue
from assessor.services import webhooks
from assessor.services.settings import WebhookSettings, current_settings
from assessor.storage.db import db

log = logging.getLogger(__name__)

DELIVER = "deliver-webhook"


def deliver_job(delivery_id: int, attempts_before: int) -> None:
    state = webhooks.attempt(delivery_id, attempts_before, current_settings().webhooks)
    if state == webhooks.PENDING:
        # Expected while a receiver is down: Dramatiq tries again after the back-off,
        # without the traceback it logs for a job that broke.
        raise dramatiq.Retry(f"webhook delivery {delivery_id} not delivered yet")
    if state == webhooks.FAILED:
        log.warning("webhook delivery %s failed", delivery_id)


def _queue_committed(session: Session) -> None:
    deliveries = webhooks.take_committed(session)
    if not deliveries:
        return
    if not has_app_context():  # a session used outside the app (none records deliveries)
        log.error("webhook deliveries %s committed outside an app: not queued", deliveries)
        return
    queue = job_queue()
    for delivery_id, attempts_before in deliveries:
        try:
            queue.send(DELIVER, delivery_id, attempts_before)
        except QueueUnavailable as exc:
            log.error("webhook delivery %s not queued: %s", delivery_id, exc)
            webhooks.not_queued(delivery_id, str(exc))


def _forget_rolled_back(session: Session, *_: object) -> None:
    webhooks.forget_rolled_back(session)


def _recover_waiting(before: datetime) -> None:
    queue = job_queue()
    for delivery_id, attempts in webhooks.waiting(before):
        queue.send(DELIVER, delivery_id, attempts)


def _listen_to_commits() -> None:
    """Once per process: every app's sessions come from the one ``db``'s session class."""
    if not event.contains(db.session, "after_commit", _queue_committed):
        event.listen(db.session, "after_commit", _queue_committed)
        event.listen(db.session, "after_rollback", _forget_rolled_back)


def register(queue: JobQueue) -> None:
    settings = WebhookSettings.from_config(queue.app.config)
    queue.actor(
        DELIVER,
        WEBHOOK_QUEUE,
        deliver_job,
        # Timeouts bound each step (WEBHOOK_TIMEOUT); this bounds a receiver that trickles
        # its answer a byte at a time.
        time_limit=int(max(30.0, 6 * settings.timeout_s) * 1000),
        max_retries=settings.attempts,
        min_backoff=int(settings.retry_backoff_s * 1000),
        max_backoff=int(settings.retry_max_backoff_s * 1000),
    )
    _listen_to_commits()
    if queue.settings.embedded:
        queue.on_embedded_start(_recover_waiting)
