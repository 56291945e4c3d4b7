"""Data protection: everything stored about an assessment, retention, and the advisers' log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from assessor.domain.actions import triggered_actions
from assessor.domain.summary import result_summary
from assessor.presentation.formatting import answer_text
from assessor.services.assessments import (
    delete_assessment,
    plan_date,
    questionnaire_of,
    result_of,
)
from assessor.storage.db import db
from assessor.storage.models import (
    Answer,
    Assessment,
    AuditEvent,
    Cluster,
    User,
    Workshop,
    utcnow,
)


def assessment_data(assessment: Assessment) -> dict[str, Any]:
    """What assessor stores about one assessment, and what it derives from it."""
    questionnaire = questionnaire_of(assessment)
    result = result_of(assessment)
    rows = db.session.scalars(
        select(Answer).where(Answer.assessment_id == assessment.id).order_by(Answer.question_id)
    )
    answers = []
    for row in rows:
        question = questionnaire.questions_by_id.get(row.question_id)
        value = tuple(row.value) if isinstance(row.value, list) else row.value
        answers.append(
            {
                "question": row.question_id,
                "text": question.text if question else None,
                "value": row.value,
                "answer": answer_text(question, value) if question else None,
                "saved": row.updated_at.isoformat(timespec="seconds"),
            }
        )
    return {
        "assessment": {
            "questionnaire": assessment.questionnaire_id,
            "version": assessment.questionnaire_version,
            "questionnaire_sha256": assessment.questionnaire_sha256,
            "cluster": assessment.cluster.slug if assessment.cluster else None,
            "workshop": assessment.workshop.title if assessment.workshop else None,
            "with_an_adviser": assessment.is_adviser_assisted,
            "language": assessment.language,
            "languages_your_browser_lists": assessment.reader_languages or [],
            "company": assessment.company_name,
            "shared_with_cluster": assessment.share_with_cluster,
            "started": assessment.created_at.isoformat(timespec="seconds"),
            "last_change": assessment.updated_at.isoformat(timespec="seconds"),
            "submitted": assessment.submitted_at.isoformat(timespec="seconds")
            if assessment.submitted_at
            else None,
        },
        "answers": answers,
        "result": result_summary(result, triggered_actions(result, plan_date(assessment))),
        "adviser_access": [
            {"at": e.at.isoformat(timespec="seconds"), "action": e.action}
            for e in db.session.scalars(
                select(AuditEvent)
                .where(AuditEvent.object_id == assessment.public_id)
                .order_by(AuditEvent.at)
            )
        ],
    }


def purge_unfinished(days: int) -> int:
    """Delete assessments never submitted and unchanged for ``days`` days; how many."""
    cutoff = utcnow() - timedelta(days=days)
    stale = db.session.scalars(
        select(Assessment).where(Assessment.submitted_at.is_(None), Assessment.updated_at < cutoff)
    ).all()
    for assessment in stale:
        delete_assessment(assessment)
    return len(stale)


# A preview is answered to try a questionnaire before publishing it: kept a day, so that
# its results and plan can be looked at, then deleted by the purge.
PREVIEW_RETENTION = timedelta(days=1)


def purge_previews(retention: timedelta = PREVIEW_RETENTION) -> int:
    """Delete previews started more than ``retention`` ago, finished or not; how many."""
    cutoff = utcnow() - retention
    stale = db.session.scalars(
        select(Assessment).where(Assessment.is_preview.is_(True), Assessment.created_at < cutoff)
    ).all()
    for assessment in stale:
        delete_assessment(assessment)
    return len(stale)


def log_adviser_action(user: User, action: str, object_id: str) -> None:
    """Record that an adviser looked at or took out data a company shared."""
    db.session.add(
        AuditEvent(user_id=user.id, cluster_id=user.cluster_id, action=action, object_id=object_id)
    )
    db.session.commit()


@dataclass(frozen=True)
class LoggedAction:
    """One line of a cluster's access log, with what it was about."""

    at: datetime
    adviser: str | None  # None once the account is deleted
    action: str
    object_id: str
    assessment: Assessment | None  # still stored, and still visible to the cluster
    workshop: Workshop | None


def cluster_access_log(cluster: Cluster, page: int, per_page: int = 50) -> list[LoggedAction]:
    """The cluster's advisers' actions on shared data, newest first, a page at a time."""
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.cluster_id == cluster.id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .offset(page * per_page)
        .limit(per_page)
    ).all()
    ids = {event.object_id for event in events}
    assessments = {
        a.public_id: a
        for a in db.session.scalars(select(Assessment).where(Assessment.public_id.in_(ids)))
        if a.cluster_id == cluster.id and a.visible_to_cluster
    }
    workshops = {
        w.public_id: w
        for w in db.session.scalars(
            select(Workshop).where(Workshop.public_id.in_(ids), Workshop.cluster_id == cluster.id)
        )
    }
    return [
        LoggedAction(
            at=event.at,
            adviser=event.user.name if event.user else None,
            action=event.action,
            object_id=event.object_id,
            assessment=assessments.get(event.object_id),
            workshop=workshops.get(event.object_id),
        )
        for event in events
    ]
