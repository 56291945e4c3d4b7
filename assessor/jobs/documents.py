"""PDF plans and workshop summaries: asked for by the web, rendered by the queue's workers.

A web request only ever reads a stored PDF or puts a render on the queue: ``plan_status``
and ``summary_status`` say ready (with the PDF), preparing or failed. A worker renders the
state current when it takes the job, with a time limit per attempt; an attempt that fails
is tried again after a back-off, and after the last the document is marked failed, for the
page to offer "try again". A render lost with its worker (killed, or an embedded queue gone
with its process) is noticed by its age and queued again by the next request asking for it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from dramatiq.middleware.time_limit import TimeLimitExceeded
from flask_babel import force_locale

from assessor.jobs.queue import PDF_QUEUE, JobQueue, JobSettings, QueueUnavailable, job_queue
from assessor.services import documents
from assessor.services.documents import Deadlines, DocumentModel, Found
from assessor.services.plans import plan_state, render_plan
from assessor.services.workshop_summary import render_summary, summary_state
from assessor.storage.db import db
from assessor.storage.models import Assessment, PlanDocument, Workshop, WorkshopDocument

log = logging.getLogger(__name__)

RENDER_PLAN = "render-plan"
RENDER_SUMMARY = "render-workshop-summary"


@dataclass(frozen=True)
class DocumentStatus:
    found: Found  # READY, PREPARING or FAILED (never ABSENT: that is queued at once)
    pdf: bytes | None = None


def _deadlines(settings: JobSettings) -> Deadlines:
    return Deadlines(
        queued=timedelta(seconds=settings.pdf_lost_after_s),
        # An attempt is stopped at the time limit: one rendering much longer lost its worker.
        rendering=timedelta(seconds=settings.pdf_time_limit_s + 30),
    )


def _status(
    model: DocumentModel, subject_id: int, language: str, key_of: Callable[[], str], job: str
) -> DocumentStatus:
    queue = job_queue()
    found = documents.lookup(model, subject_id, language, key_of, _deadlines(queue.settings))
    if found.found is Found.ABSENT:
        return DocumentStatus(_queue(queue, model, subject_id, language, found.key, job))
    return DocumentStatus(found.found, found.pdf)


def _queue(
    queue: JobQueue, model: DocumentModel, subject_id: int, language: str, key: str | None, job: str
) -> Found:
    """PREPARING once queued; FAILED when the broker cannot take it (the page then offers
    to try again, as after a failed render)."""
    if not documents.mark_queued(model, subject_id, language, key):
        return Found.FAILED  # its subject is gone
    try:
        queue.send(job, subject_id, language)
    except QueueUnavailable as exc:
        log.error("%s %s (%s) not queued: %s", model.__tablename__, subject_id, language, exc)
        documents.mark_failed(model, subject_id, language, key, "the queue is unavailable")
        return Found.FAILED
    return Found.PREPARING


def plan_status(assessment: Assessment, language: str) -> DocumentStatus:
    """The submitted assessment's PDF plan in ``language``: queued when missing or out of
    date. The caller sets the locale to ``language``."""
    return _status(
        PlanDocument,
        assessment.id,
        language,
        lambda: plan_state(assessment, language).key,
        RENDER_PLAN,
    )


def queue_plan(assessment: Assessment, language: str) -> None:
    """Render the plan now, before anyone asks (at submission; "try again" after a
    failure): the state is taken when a worker gets to it."""
    _queue(job_queue(), PlanDocument, assessment.id, language, None, RENDER_PLAN)


def summary_status(workshop: Workshop, language: str) -> DocumentStatus | None:
    """The workshop's summary PDF in ``language`` (the current locale); None when its
    questionnaire is no longer served."""

    def key_of() -> str:
        state = summary_state(workshop)
        if state is None:
            raise _QuestionnaireGone
        return state.key

    try:
        return _status(WorkshopDocument, workshop.id, language, key_of, RENDER_SUMMARY)
    except _QuestionnaireGone:
        return None


class _QuestionnaireGone(Exception):
    """The workshop's questionnaire is no longer served: it has no summary to show."""


def queue_summary(workshop: Workshop, language: str) -> None:
    _queue(job_queue(), WorkshopDocument, workshop.id, language, None, RENDER_SUMMARY)


def _render(
    model: DocumentModel,
    subject_id: int,
    language: str,
    key: str,
    render: Callable[[], bytes],
) -> None:
    """One attempt at the document of state ``key``: the Retries middleware runs the next
    one after a back-off, until the last, which marks it failed instead of raising."""
    attempt = documents.start_render(model, subject_id, language, key)
    if attempt is None:
        return  # stored already, or its subject is gone
    settings = job_queue().settings
    try:
        started = time.monotonic()
        pdf = render()
        if time.monotonic() - started > settings.pdf_time_limit_s:
            # The watchdog interrupts a thread once; when the interrupt lands in a
            # finalizer (WeasyPrint's FontConfiguration.__del__), Python ignores it and
            # the render goes on. An attempt past its limit fails all the same.
            raise TimeLimitExceeded
    except BaseException as exc:  # TimeLimitExceeded is an interrupt, not an Exception
        db.session.rollback()
        if attempt < settings.pdf_attempts:
            log.warning(
                "%s %s (%s): attempt %s failed: %r",
                model.__tablename__,
                subject_id,
                language,
                attempt,
                exc,
            )
            raise
        log.error(
            "%s %s (%s): failed after %s attempts: %r",
            model.__tablename__,
            subject_id,
            language,
            attempt,
            exc,
        )
        documents.mark_failed(model, subject_id, language, key, repr(exc))
        return
    documents.store_pdf(model, subject_id, language, key, pdf)


def render_plan_job(assessment_id: int, language: str) -> None:
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None or not assessment.is_submitted:
        return  # deleted, or reopened for a follow-up edit: nothing to render
    with force_locale(language):
        state = plan_state(assessment, language)
        _render(
            PlanDocument,
            assessment_id,
            language,
            state.key,
            lambda: render_plan(assessment, language, state),
        )


def render_summary_job(workshop_id: int, language: str) -> None:
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None:
        return
    with force_locale(language):
        state = summary_state(workshop)
        if state is None:
            documents.abandon(WorkshopDocument, workshop_id, language)
            return
        _render(
            WorkshopDocument,
            workshop_id,
            language,
            state.key,
            lambda: render_summary(workshop, state),
        )


def _recover_lost(before: datetime) -> None:
    """What an embedded queue lost when its process stopped goes on the queue again."""
    queue = job_queue()
    for model, job in ((PlanDocument, RENDER_PLAN), (WorkshopDocument, RENDER_SUMMARY)):
        for subject_id, language in documents.unfinished(model, before):
            queue.send(job, subject_id, language)


def register(queue: JobQueue) -> None:
    settings = queue.settings
    options = {
        "time_limit": int(settings.pdf_time_limit_s * 1000),
        # Attempts are counted in the document's row (a killed worker's attempt counts
        # too); Dramatiq's own count only needs to let the last of them run.
        "max_retries": settings.pdf_attempts,
        "min_backoff": int(settings.pdf_retry_backoff_s * 1000),
        "max_backoff": int(settings.pdf_retry_backoff_s * 1000 * 8),
    }
    queue.actor(RENDER_PLAN, PDF_QUEUE, render_plan_job, **options)
    queue.actor(RENDER_SUMMARY, PDF_QUEUE, render_summary_job, **options)
    if settings.embedded:
        queue.on_embedded_start(_recover_lost)
