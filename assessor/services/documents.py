"""Cached PDFs and the state of their renders, for plans and workshop summaries alike.

A PDF is rendered by a background worker (assessor.jobs), never in a web request. Its row
(one per subject and language) holds the last PDF rendered, under the key of the state it
shows, and the render under way: queued, rendering or failed. Every write is one
INSERT ... ON CONFLICT statement, so that two app servers or two workers working on the
same document never collide; the worst a race does is render the same PDF twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute

from assessor.storage.db import db
from assessor.storage.models import PlanDocument, RenderJob, WorkshopDocument, utcnow

DocumentModel = type[PlanDocument] | type[WorkshopDocument]


class Found(StrEnum):
    READY = "ready"  # the PDF of the state asked for is stored
    PREPARING = "preparing"  # a render of it is queued or under way
    FAILED = "failed"  # every attempt failed: offer "try again"
    ABSENT = "absent"  # nothing is under way: queue a render


@dataclass(frozen=True)
class Lookup:
    found: Found
    key: str | None = None  # of the state asked for; not computed while PREPARING
    pdf: bytes | None = None
    queued_at: datetime | None = None


@dataclass(frozen=True)
class Deadlines:
    """When a render under way is taken for lost (a worker killed, an embedded queue gone
    with its process): queued and untouched for ``queued``, or rendering for ``rendering``
    (longer than any attempt may take)."""

    queued: timedelta
    rendering: timedelta


def _subject(model: DocumentModel) -> InstrumentedAttribute[int]:
    if issubclass(model, PlanDocument):
        return PlanDocument.assessment_id
    return WorkshopDocument.workshop_id


def _row_of(model: DocumentModel, subject_id: int, language: str):  # type: ignore[no-untyped-def]  # a Select over the model's own columns
    return select(model).where(_subject(model) == subject_id, model.language == language)


def lookup(
    model: DocumentModel,
    subject_id: int,
    language: str,
    key_of: Callable[[], str],
    deadlines: Deadlines,
    now: datetime | None = None,
) -> Lookup:
    """Where the document stands, from its row; ``key_of`` gives the key of the state it
    should show, asked only when a render is not under way. While one is, the answer needs
    no key, and computing it (answers, catalogues) is most of what a poll of the results
    page's script costs: the worker renders the state of the moment it takes the job, and
    the first poll after it is done compares keys."""
    now = now or utcnow()
    row = db.session.execute(
        select(
            model.cache_key,
            model.pdf,
            model.job_state,
            model.job_key,
            model.job_queued_at,
            model.job_started_at,
        ).where(_subject(model) == subject_id, model.language == language)
    ).one_or_none()
    if row is not None and _in_time(
        row.job_state, row.job_queued_at, row.job_started_at, deadlines, now
    ):
        return Lookup(Found.PREPARING, queued_at=row.job_queued_at)
    key = key_of()
    if row is None:
        return Lookup(Found.ABSENT, key=key)
    if row.cache_key == key and row.pdf is not None:
        return Lookup(Found.READY, key=key, pdf=row.pdf)
    if row.job_state == RenderJob.FAILED and row.job_key in (None, key):
        return Lookup(Found.FAILED, key=key)
    # Nothing stored for this state, or a render lost (its worker died, or its queue with
    # its process): to be queued.
    return Lookup(Found.ABSENT, key=key)


def _in_time(
    state: str | None,
    queued_at: datetime | None,
    started_at: datetime | None,
    deadlines: Deadlines,
    now: datetime,
) -> bool:
    """A render queued or under way, not yet taken for lost."""
    if state == RenderJob.QUEUED:
        return queued_at is not None and queued_at > now - deadlines.queued
    if state == RenderJob.RENDERING:
        return started_at is not None and started_at > now - deadlines.rendering
    return False


def _upsert(model: DocumentModel, subject_id: int, language: str, values: dict[str, object]):  # type: ignore[no-untyped-def]  # the dialect's Insert
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    subject = _subject(model)
    insert = dialect.insert(model).values(
        {subject.key: subject_id, "language": language, "created_at": utcnow(), **values}
    )
    return insert.on_conflict_do_update(
        index_elements=[subject, model.language], set_={k: insert.excluded[k] for k in values}
    )


def _commit(statement: object) -> bool:
    """Run and commit; False when the subject was deleted meanwhile (nothing to keep)."""
    try:
        db.session.execute(statement)  # type: ignore[call-overload]  # an Insert or Update
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def mark_queued(model: DocumentModel, subject_id: int, language: str, key: str | None) -> bool:
    """A render of state ``key`` (None: whatever the state is when a worker takes it) is
    being put on the queue; a failed render asked again starts its attempts anew."""
    return _commit(
        _upsert(
            model,
            subject_id,
            language,
            {
                "job_state": RenderJob.QUEUED.value,
                "job_key": key,
                "job_attempts": 0,
                "job_queued_at": utcnow(),
                "job_started_at": None,
                "job_error": None,
            },
        )
    )


def start_render(model: DocumentModel, subject_id: int, language: str, key: str) -> int | None:
    """A worker takes the render of state ``key``: the number of this attempt, or None when
    that PDF is stored already (a duplicate message, a render that finished elsewhere)."""
    stored = db.session.execute(
        select(model.cache_key, model.job_key, model.job_attempts).where(
            _subject(model) == subject_id, model.language == language
        )
    ).one_or_none()
    if stored is not None and stored.cache_key == key:
        db.session.execute(_finished(model, subject_id, language, key))
        db.session.commit()
        return None
    attempts = 1
    if stored is not None and stored.job_key in (None, key):
        attempts = stored.job_attempts + 1
    kept = _commit(
        _upsert(
            model,
            subject_id,
            language,
            {
                "job_state": RenderJob.RENDERING.value,
                "job_key": key,
                "job_attempts": attempts,
                "job_started_at": utcnow(),
            },
        )
    )
    return attempts if kept else None


def _finished(model: DocumentModel, subject_id: int, language: str, key: str):  # type: ignore[no-untyped-def]  # an Update
    """Clears the job of state ``key``; a job queued since for another state stays."""
    return (
        update(model)
        .where(
            _subject(model) == subject_id,
            model.language == language,
            or_(model.job_key.is_(None), model.job_key == key),
            model.job_state != RenderJob.FAILED.value,
        )
        .values(job_state=None, job_key=None, job_attempts=0, job_error=None)
    )


def store_pdf(model: DocumentModel, subject_id: int, language: str, key: str, pdf: bytes) -> None:
    """Keep the PDF of state ``key``: two workers storing the same document overwrite each
    other with the same bytes, never fail."""
    if _commit(_upsert(model, subject_id, language, {"cache_key": key, "pdf": pdf})):
        _commit(_finished(model, subject_id, language, key))


def mark_failed(
    model: DocumentModel, subject_id: int, language: str, key: str | None, error: str
) -> None:
    """The last attempt at state ``key`` failed (or it could not be queued): the page offers
    to try again."""
    same_job = model.job_key.is_(None) if key is None else model.job_key == key
    _commit(
        update(model)
        .where(_subject(model) == subject_id, model.language == language, same_job)
        .values(job_state=RenderJob.FAILED.value, job_error=error[:200])
    )


def abandon(model: DocumentModel, subject_id: int, language: str) -> None:
    """Nothing left to render (a workshop whose questionnaire is no longer served): the
    job is dropped, not left to be taken for lost and queued again for ever."""
    _commit(
        update(model)
        .where(_subject(model) == subject_id, model.language == language)
        .values(job_state=None, job_key=None, job_attempts=0)
    )


def unfinished(model: DocumentModel, before: datetime) -> list[tuple[int, str]]:
    """Every (subject, language) queued before ``before`` and not finished: what an embedded
    queue lost when its process stopped."""
    subject = _subject(model)
    rows = db.session.execute(
        select(subject, model.language).where(
            model.job_state.in_([RenderJob.QUEUED.value, RenderJob.RENDERING.value]),
            model.job_queued_at < before,
        )
    )
    return [(row[0], row[1]) for row in rows]
