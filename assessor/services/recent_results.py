"""The results a cluster's advisers have not seen on their home page yet: the latest
assessments shared with the cluster or filled in with one of its advisers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select

from assessor.storage.db import db
from assessor.storage.models import Assessment, ResultFacet, Workshop

RECENT_RESULTS = 5


@dataclass(frozen=True)
class SharedResult:
    public_id: str
    company: str | None
    questionnaire_id: str
    submitted_at: datetime
    adviser_assisted: bool
    workshop_title: str | None  # the workshop it was filled in at, if any
    overall_score: float | None
    overall_level: str | None  # a level id of its questionnaire


def recently_shared(cluster_id: int, limit: int = RECENT_RESULTS) -> list[SharedResult]:
    """The cluster's latest finished assessments it may see one by one, newest first
    (one query: the overall score is read from the rows written at submission)."""

    def overall(column: Any) -> Any:
        return (
            select(column)
            .where(
                ResultFacet.assessment_id == Assessment.id,
                ResultFacet.kind == "score",
                ResultFacet.key == "overall",
            )
            .limit(1)
            .scalar_subquery()
        )

    rows = db.session.execute(
        select(
            Assessment.public_id,
            Assessment.company_name,
            Assessment.questionnaire_id,
            Assessment.submitted_at,
            Assessment.assisted_by_id,
            Workshop.title,
            overall(ResultFacet.score),
            overall(ResultFacet.value),
        )
        .outerjoin(Workshop, Workshop.id == Assessment.workshop_id)
        .where(
            Assessment.cluster_id == cluster_id,
            Assessment.submitted_at.is_not(None),
            Assessment.is_preview.is_(False),
            or_(Assessment.share_with_cluster.is_(True), Assessment.assisted_by_id.is_not(None)),
        )
        .order_by(Assessment.submitted_at.desc(), Assessment.id.desc())
        .limit(limit)
    ).all()
    return [
        SharedResult(
            public_id,
            company,
            questionnaire_id,
            submitted,
            assisted is not None,
            title,
            score,
            level,
        )
        for public_id, company, questionnaire_id, submitted, assisted, title, score, level in rows
    ]
