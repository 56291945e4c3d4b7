"""Questionnaire versions: every file content in use is kept in the database by its hash.

At start the app records the content of each questionnaire file. A file whose content
changed but whose ``version`` did not is refused, since assessments store the version
they were answered on. An assessment answered on an older content is scored, shown and
planned with that content, recomputed from the stored source.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import current_app
from sqlalchemy import inspect, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError

from assessor.domain.catalogue import Catalogue
from assessor.domain.loading import parse_questionnaire
from assessor.domain.model import Questionnaire
from assessor.storage.db import db
from assessor.storage.models import QuestionnaireSource, utcnow


def record_versions(catalogue: Catalogue) -> list[str]:
    """Keep the source of each loaded questionnaire; the problems that forbid starting."""
    try:
        migrated = inspect(db.engine).has_table(QuestionnaireSource.__tablename__)
    except OperationalError:
        # The database is down: start anyway, so that /health can say so; the versions
        # are recorded at the next start.
        current_app.logger.warning("questionnaire versions not recorded: no database")
        return []
    if not migrated:
        return []  # the schema is not migrated yet (flask db upgrade runs through here)
    problems = []
    for questionnaire in catalogue:
        known = db.session.scalars(
            select(QuestionnaireSource).where(
                QuestionnaireSource.questionnaire_id == questionnaire.id,
                QuestionnaireSource.version == questionnaire.version,
            )
        ).all()
        if any(row.sha256 == questionnaire.source_sha256 for row in known):
            continue
        if known:
            newest = db.session.scalar(
                select(QuestionnaireSource.version)
                .where(QuestionnaireSource.questionnaire_id == questionnaire.id)
                .order_by(QuestionnaireSource.version.desc())
            )
            assert newest is not None  # the rows in known have a version
            problems.append(
                f"{questionnaire.source_path}:1: version {questionnaire.version} of "
                f"{questionnaire.id!r} was already used with other content; set `version` "
                f"to {newest + 1} (assessments keep the version they were answered on)"
            )
            continue
        # Workers that start together (gunicorn boots them at once) all find this content
        # new: the first insert wins and the others' do nothing, instead of failing on the
        # unique hash and taking the whole server down ("Worker failed to boot").
        dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
        db.session.execute(
            dialect.insert(QuestionnaireSource)
            .values(
                questionnaire_id=questionnaire.id,
                version=questionnaire.version,
                sha256=questionnaire.source_sha256,
                path=questionnaire.source_path[:300],
                source=Path(questionnaire.source_path).read_text(encoding="utf-8-sig"),
                created_at=utcnow(),
            )
            .on_conflict_do_nothing(index_elements=[QuestionnaireSource.sha256])
        )
    db.session.commit()
    return problems


def questionnaire_by_hash(sha256: str) -> Questionnaire | None:
    """An earlier content of a questionnaire, parsed from the stored source."""
    source = db.session.scalar(
        select(QuestionnaireSource.source).where(QuestionnaireSource.sha256 == sha256)
    )
    return _parsed(sha256, source) if source is not None else None


@lru_cache(maxsize=64)
def _parsed(sha256: str, source: str) -> Questionnaire | None:
    return parse_questionnaire(source, f"<stored {sha256[:12]}>", sha256=sha256).questionnaire
