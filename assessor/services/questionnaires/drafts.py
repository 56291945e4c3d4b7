"""The questionnaire pages' data: a cluster's (or the platform's) questionnaires with every
published version, and the drafts being edited before publishing.

A draft keeps the text being edited, so that checking it, trying it as a respondent and
publishing it work on the very same text, and nothing typed is lost between requests.
There is one draft per cluster and questionnaire: opening "edit" again finds the draft left
there, whoever of the cluster's administrators wrote it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import InstrumentedAttribute

from assessor.domain.loading import parse_questionnaire
from assessor.services.questionnaires.publishing import served_source
from assessor.services.questionnaires.versions import parsed_source
from assessor.storage.db import db
from assessor.storage.models import (
    Cluster,
    QuestionnaireDraft,
    QuestionnaireEntry,
    QuestionnaireSource,
    User,
    utcnow,
)


@dataclass(frozen=True)
class PublishedVersion:
    version: int
    published_at: datetime
    served: bool  # the version new assessments start on (unless withdrawn)


@dataclass(frozen=True)
class QuestionnaireRow:
    """One line of the questionnaires page."""

    entry: QuestionnaireEntry
    title: str
    languages: tuple[str, ...]
    versions: tuple[PublishedVersion, ...]  # newest first
    draft: QuestionnaireDraft | None


def _owner(cluster: Cluster | None) -> int | None:
    return cluster.id if cluster is not None else None


def _of_owner(
    column: InstrumentedAttribute[int | None], cluster: Cluster | None
) -> ColumnElement[bool]:
    """Rows of this cluster, or the platform's (``cluster_id`` NULL: ``==`` would not match)."""
    owner = _owner(cluster)
    return column.is_(None) if owner is None else column == owner


def entries_of(cluster: Cluster | None) -> list[QuestionnaireEntry]:
    """The cluster's own questionnaires (None: the platform-wide ones), withdrawn ones too."""
    return list(
        db.session.scalars(
            select(QuestionnaireEntry)
            .where(_of_owner(QuestionnaireEntry.cluster_id, cluster))
            .order_by(QuestionnaireEntry.questionnaire_id)
        )
    )


def entry_of(cluster: Cluster | None, questionnaire_id: str) -> QuestionnaireEntry | None:
    """The cluster's own questionnaire ``questionnaire_id``; None when it is anyone else's."""
    return db.session.scalar(
        select(QuestionnaireEntry).where(
            QuestionnaireEntry.questionnaire_id == questionnaire_id,
            _of_owner(QuestionnaireEntry.cluster_id, cluster),
        )
    )


def published_versions(entry: QuestionnaireEntry) -> tuple[PublishedVersion, ...]:
    """Every version of the questionnaire ever published, newest first. A content kept only
    for a preview was never published and is not listed."""
    rows = db.session.execute(
        select(
            QuestionnaireSource.version, QuestionnaireSource.created_at, QuestionnaireSource.sha256
        )
        .where(
            QuestionnaireSource.questionnaire_id == entry.questionnaire_id,
            QuestionnaireSource.published.is_(True),
        )
        .order_by(QuestionnaireSource.version.desc(), QuestionnaireSource.created_at.desc())
    ).all()
    # A content tried in a preview before it was published was stored then: the served
    # version's date is the entry's.
    return tuple(
        PublishedVersion(
            version,
            entry.published_at if sha256 == entry.sha256 else created_at,
            sha256 == entry.sha256,
        )
        for version, created_at, sha256 in rows
    )


def published_text(entry: QuestionnaireEntry, version: int) -> str | None:
    """The text of a published version, as it was published (for download)."""
    if version == entry.version:
        return served_source(entry)
    return db.session.scalar(
        select(QuestionnaireSource.source)
        .where(
            QuestionnaireSource.questionnaire_id == entry.questionnaire_id,
            QuestionnaireSource.version == version,
            QuestionnaireSource.published.is_(True),
        )
        .order_by(QuestionnaireSource.created_at.desc())
        .limit(1)
    )


def questionnaire_rows(cluster: Cluster | None) -> list[QuestionnaireRow]:
    """The questionnaires page: each own questionnaire, its versions and its draft."""
    drafts = {d.questionnaire_id: d for d in drafts_of(cluster) if d.questionnaire_id}
    rows = []
    for entry in entries_of(cluster):
        questionnaire = parsed_source(entry.sha256, served_source(entry))  # parsed once a hash
        title = questionnaire.title if questionnaire is not None else entry.questionnaire_id
        languages: tuple[str, ...] = ()
        if questionnaire is not None:
            # Declared languages, where the questionnaire format has them.
            languages = tuple(getattr(questionnaire, "languages", (questionnaire.language,)))
        rows.append(
            QuestionnaireRow(
                entry,
                title,
                languages,
                published_versions(entry),
                drafts.get(entry.questionnaire_id),
            )
        )
    return rows


def drafts_of(cluster: Cluster | None) -> list[QuestionnaireDraft]:
    """The drafts of a cluster (None: of the platform), the last edited first."""
    return list(
        db.session.scalars(
            select(QuestionnaireDraft)
            .where(_of_owner(QuestionnaireDraft.cluster_id, cluster))
            .order_by(QuestionnaireDraft.updated_at.desc())
        )
    )


def new_drafts_of(cluster: Cluster | None) -> list[QuestionnaireDraft]:
    """Drafts of questionnaires not published yet (the page lists them apart)."""
    published = {e.questionnaire_id for e in entries_of(cluster)}
    return [d for d in drafts_of(cluster) if d.questionnaire_id not in published]


def draft_by_public_id(cluster: Cluster | None, public_id: str) -> QuestionnaireDraft | None:
    """A draft of this cluster (None: of the platform); another cluster's is not found."""
    return db.session.scalar(
        select(QuestionnaireDraft).where(
            QuestionnaireDraft.public_id == public_id,
            _of_owner(QuestionnaireDraft.cluster_id, cluster),
        )
    )


def draft_for(cluster: Cluster | None, questionnaire_id: str) -> QuestionnaireDraft | None:
    """The draft of a questionnaire of this cluster, if one is being edited."""
    return db.session.scalar(
        select(QuestionnaireDraft)
        .where(
            QuestionnaireDraft.questionnaire_id == questionnaire_id,
            _of_owner(QuestionnaireDraft.cluster_id, cluster),
        )
        .order_by(QuestionnaireDraft.updated_at.desc())
        .limit(1)
    )


def other_drafts(draft: QuestionnaireDraft) -> list[QuestionnaireDraft]:
    """Other drafts of the same questionnaire of the same cluster (a new draft whose text
    names a questionnaire already being edited): the editor points to them."""
    if draft.questionnaire_id is None:
        return []
    return list(
        db.session.scalars(
            select(QuestionnaireDraft).where(
                QuestionnaireDraft.questionnaire_id == draft.questionnaire_id,
                QuestionnaireDraft.id != draft.id,
                QuestionnaireDraft.cluster_id.is_(None)
                if draft.cluster_id is None
                else QuestionnaireDraft.cluster_id == draft.cluster_id,
            )
        )
    )


def save_draft(
    cluster: Cluster | None,
    draft: QuestionnaireDraft | None,
    text: str,
    user: User | None,
    questionnaire_id: str | None = None,
) -> QuestionnaireDraft:
    """Keep ``text`` as the draft (a new one when ``draft`` is None). Once the text names its
    questionnaire, the draft is that questionnaire's ("edit" opens it). Another draft of the
    same questionnaire is kept (nothing typed is lost); the editor points to it."""
    text = text.replace("\r\n", "\n")
    if draft is None:
        draft = QuestionnaireDraft(cluster_id=_owner(cluster), questionnaire_id=questionnaire_id)
        db.session.add(draft)
    draft.source = text
    draft.updated_by = user
    draft.updated_at = utcnow()
    draft.questionnaire_id = questionnaire_id or _id_named_in(text) or draft.questionnaire_id
    db.session.commit()
    return draft


def discard_draft(draft: QuestionnaireDraft) -> None:
    db.session.delete(draft)
    db.session.commit()


# A top-level ``id:`` line, read even when the rest of the text has mistakes.
_ID_LINE = re.compile(
    r"""^id:[ \t]*["']?([A-Za-z0-9_.-]{1,100})["']?[ \t]*(?:#.*)?$""", re.MULTILINE
)


def _id_named_in(text: str) -> str | None:
    """The questionnaire id a text names: the parsed one, else its top-level ``id:`` line
    (a text with mistakes is still a draft of that questionnaire)."""
    result = parse_questionnaire(text, "draft.yaml")
    if result.questionnaire is not None:
        return result.questionnaire.id
    match = _ID_LINE.search(text)
    return match.group(1) if match else None
