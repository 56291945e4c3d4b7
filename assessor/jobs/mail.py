"""E-mail through the queue: a page stores the message and queues its id; a worker sends
it, and while the relay is down tries again after a pause that doubles each time (from
``MAIL_RETRY_BACKOFF`` up to ``MAIL_RETRY_MAX_BACKOFF``), ``MAIL_ATTEMPTS`` times in all.
Pages tell the user the message was queued, or that it could not be (a broker down)."""

from __future__ import annotations

import logging
from datetime import datetime

import dramatiq

from assessor.jobs.queue import MAIL_QUEUE, JobQueue, QueueUnavailable, job_queue
from assessor.services import mail
from assessor.services.mail import MailNotSent

log = logging.getLogger(__name__)

SEND_MAIL = "send-mail"


def queue_mail(to: str, subject: str, body: str, purpose: str) -> bool:
    """Whether the message was queued. ``purpose`` names it in the logs ("password reset
    mail for user 12"): never an address, which the logs must not keep."""
    mail_id = mail.store_outgoing(to, subject, body, purpose)
    try:
        job_queue().send(SEND_MAIL, mail_id)
    except QueueUnavailable as exc:
        log.error("%s not queued: %s", purpose, exc)
        mail.forget_outgoing(mail_id)
        return False
    return True


def send_mail_job(mail_id: int) -> None:
    queue = job_queue()
    try:
        sent = mail.send_outgoing(mail_id)
    except MailNotSent as exc:
        if exc.permanent:
            log.error("refused by the relay for good, not tried again: %s", exc)
            mail.forget_outgoing(mail_id)
            return
        attempts = queue.settings.mail_attempts
        if mail.attempts_of(mail_id) < attempts:
            log.warning("not sent yet, will try again: %s", exc)
            # Expected while the relay is down: Dramatiq retries it after the back-off
            # without logging the traceback and error it logs for a job that broke.
            raise dramatiq.Retry(str(exc)) from None
        log.error("given up after %s attempts: %s", attempts, exc)
        mail.forget_outgoing(mail_id)
        return
    if sent is not None:
        log.info("%s sent", sent.purpose)


def _recover_unsent(before: datetime) -> None:
    queue = job_queue()
    for mail_id in mail.unsent(before):
        queue.send(SEND_MAIL, mail_id)


def register(queue: JobQueue) -> None:
    settings = queue.settings
    queue.actor(
        SEND_MAIL,
        MAIL_QUEUE,
        send_mail_job,
        time_limit=120_000,
        max_retries=settings.mail_attempts,
        min_backoff=int(settings.mail_retry_backoff_s * 1000),
        max_backoff=int(settings.mail_retry_max_backoff_s * 1000),
    )
    if settings.embedded:
        queue.on_embedded_start(_recover_unsent)
