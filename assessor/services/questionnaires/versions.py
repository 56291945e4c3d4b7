"""Questionnaire versions: every content published is kept in the database by its hash.

At start the app imports the files of ``questionnaires/`` as platform-wide questionnaires.
A file whose content changed while its ``version`` did not is reported and left out: the
app goes on serving the last good content, since assessments store the version they were
answered on. What counts as a change is what a file says, not how it is written (see
``assessor.domain.loading.content_sha256``): a comment is not a new version.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import inspect, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError

from assessor.domain.catalogue import Catalogue
from assessor.domain.loading import LoadError, parse_questionnaire
from assessor.domain.model import Questionnaire
from assessor.storage.db import db
from assessor.storage.models import Cluster, QuestionnaireEntry, QuestionnaireSource, utcnow

# A file the app does not serve as it is: a validator line, ``PATH:LINE: message``.
VersionProblem = LoadError


def database_ready() -> bool:
    """Whether the questionnaire tables exist (False before ``flask db upgrade``, or with the
    database down: the app starts anyway, so that /health can say so)."""
    try:
        return inspect(db.engine).has_table(QuestionnaireEntry.__tablename__)
    except OperationalError:
        current_app.logger.warning("questionnaire versions not recorded: no database")
        return False


def import_files(catalogue: Catalogue) -> list[VersionProblem]:
    """Publish the files of ``questionnaires/`` as platform-wide questionnaires; the files
    that could not be, each with its reason and fix (the app serves the last good content)."""
    if not database_ready():
        return []
    problems: list[VersionProblem] = []
    entries = {e.questionnaire_id: e for e in db.session.scalars(select(QuestionnaireEntry))}
    for questionnaire in catalogue:
        problem = _import_file(questionnaire, entries.get(questionnaire.id))
        if problem is not None:
            problems.append(problem)
    for entry in entries.values():
        # A file taken away withdraws its questionnaire; earlier assessments keep their content.
        if (
            entry.origin == "file"
            and not entry.is_retired
            and catalogue.get(entry.questionnaire_id) is None
        ):
            entry.is_retired = True
            entry.retired_with_file = True  # it comes back with its file
            entry.revision += 1
            current_app.logger.warning(
                "questionnaire %r withdrawn: its file is no longer in the questionnaires folder",
                entry.questionnaire_id,
            )
    db.session.commit()
    return problems


def _import_file(
    questionnaire: Questionnaire, entry: QuestionnaireEntry | None
) -> VersionProblem | None:
    if entry is not None and entry.cluster_id is not None:
        owner = db.session.get(Cluster, entry.cluster_id)
        return VersionProblem(
            questionnaire.source_path,
            1,
            f"the id {questionnaire.id!r} belongs to a questionnaire of the cluster "
            f"{owner.slug if owner else entry.cluster_id!r}; give this file another `id`",
        )
    conflict = reused_version(questionnaire)
    if conflict is not None:
        return VersionProblem(questionnaire.source_path, _version_line(questionnaire), conflict)
    text = Path(questionnaire.source_path).read_text(encoding="utf-8-sig")
    rewritten = _keep_text(questionnaire, text)
    if entry is None:
        now = utcnow()
        db.session.execute(
            _dialect()
            .insert(QuestionnaireEntry)
            .values(
                questionnaire_id=questionnaire.id,
                cluster_id=None,
                sha256=questionnaire.source_sha256,
                version=questionnaire.version,
                origin="file",
                is_retired=False,
                retired_with_file=False,
                revision=0,
                published_at=now,
                updated_at=now,
            )
            # Workers that start together all find it new: the first wins.
            .on_conflict_do_nothing(index_elements=[QuestionnaireEntry.questionnaire_id])
        )
    elif questionnaire.version > entry.version or (
        entry.sha256 == questionnaire.source_sha256 and entry.retired_with_file
    ):
        entry.sha256 = questionnaire.source_sha256
        entry.version = questionnaire.version
        entry.origin = "file"
        # Back with its file; one an administrator withdrew stays withdrawn, new version or not.
        if entry.retired_with_file:
            entry.is_retired = entry.retired_with_file = False
        entry.published_at = utcnow()
        entry.published_by_id = None
        entry.revision += 1
    elif rewritten and entry.sha256 == questionnaire.source_sha256:
        # The same content written otherwise: its comments, or the languages it is offered in.
        entry.revision += 1  # other servers read the new text too
        entry.updated_at = utcnow()
    elif entry.sha256 != questionnaire.source_sha256:
        current_app.logger.warning(
            "%s: version %s is older than version %s, published from the browser; serving %s",
            questionnaire.source_path,
            questionnaire.version,
            entry.version,
            entry.version,
        )
    return None


def _keep_text(questionnaire: Questionnaire, text: str) -> bool:
    """Store the file's text under its content hash; True when a text of that content was
    stored before in other words (it is replaced: what it says is the same, and the newer
    text may offer more languages, which are not part of the content)."""
    stored = db.session.scalar(
        select(QuestionnaireSource.source).where(
            QuestionnaireSource.sha256 == questionnaire.source_sha256
        )
    )
    if stored is None:
        store_source(questionnaire, text)
        return False
    store_source(questionnaire, text)  # marks a content only previewed so far as published
    if stored == text:
        return False
    replace_source_text(questionnaire.source_sha256, text, questionnaire.source_path)
    return True


def replace_source_text(sha256: str, text: str, path: str | None = None) -> None:
    """Keep ``text`` for a content already stored: it says the same, written otherwise (its
    comments, or the languages it is offered in, which are not part of the content)."""
    values: dict[str, str] = {"source": text}
    if path is not None:
        values["path"] = path[:300]
    db.session.execute(
        QuestionnaireSource.__table__.update()
        .where(QuestionnaireSource.sha256 == sha256)
        .values(**values)
    )


def reused_version(questionnaire: Questionnaire) -> str | None:
    """Why ``questionnaire`` cannot be published under its version number, with the fix;
    None when it can (its content is new, or is that version's own)."""
    known = db.session.execute(
        select(QuestionnaireSource.sha256, QuestionnaireSource.version).where(
            QuestionnaireSource.questionnaire_id == questionnaire.id,
            QuestionnaireSource.published.is_(True),
        )
    ).all()
    if any(row.sha256 == questionnaire.source_sha256 for row in known):
        return None
    if not any(row.version == questionnaire.version for row in known):
        return None
    newest = max(row.version for row in known)
    return (
        f"version {questionnaire.version} of {questionnaire.id!r} was already published with "
        f"other content; set `version` to {newest + 1} (assessments keep the version they "
        "were answered on, so a changed text, score or condition needs a new number; "
        "comments and layout do not). The app goes on serving the published content"
    )


def store_source(questionnaire: Questionnaire, source: str, *, published: bool = True) -> None:
    """Keep ``source`` under its content hash (once: servers that start together all find it
    new, and the first insert wins instead of failing on the unique hash)."""
    db.session.execute(
        _dialect()
        .insert(QuestionnaireSource)
        .values(
            questionnaire_id=questionnaire.id,
            version=questionnaire.version,
            sha256=questionnaire.source_sha256,
            path=questionnaire.source_path[:300],
            source=source,
            created_at=utcnow(),
            published=published,
        )
        .on_conflict_do_nothing(index_elements=[QuestionnaireSource.sha256])
    )
    if published:  # a content previewed first is published now
        db.session.execute(
            QuestionnaireSource.__table__.update()
            .where(
                QuestionnaireSource.sha256 == questionnaire.source_sha256,
                QuestionnaireSource.published.is_(False),
            )
            .values(published=True)
        )


def _dialect() -> Any:
    """The dialect module whose ``insert`` has ``on_conflict_do_nothing``."""
    return postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite


def version_problems_of(questionnaires: Sequence[Questionnaire]) -> list[VersionProblem]:
    """For ``validate``: the files the app would not serve as they are."""
    if not database_ready():
        return []
    problems = []
    for questionnaire in questionnaires:
        owner = db.session.scalar(
            select(QuestionnaireEntry.cluster_id).where(
                QuestionnaireEntry.questionnaire_id == questionnaire.id
            )
        )
        if owner is not None:
            problems.append(
                VersionProblem(
                    questionnaire.source_path,
                    1,
                    f"the id {questionnaire.id!r} belongs to a cluster's own questionnaire; "
                    "give this file another `id`",
                )
            )
            continue
        conflict = reused_version(questionnaire)
        if conflict is not None:
            problems.append(
                VersionProblem(questionnaire.source_path, _version_line(questionnaire), conflict)
            )
    return problems


def _version_line(questionnaire: Questionnaire) -> int:
    """The line of the file's top-level ``version:`` (1 when it cannot be read)."""
    try:
        lines = Path(questionnaire.source_path).read_text(encoding="utf-8-sig").splitlines()
    except OSError:
        return 1
    return next((n for n, line in enumerate(lines, 1) if line.startswith("version:")), 1)


# Contents found by hash (an older version, a preview), kept in the process: every page of an
# assessment answered on one needs it, and what a hash says never changes.
_FOUND_BY_HASH: OrderedDict[str, Questionnaire] = OrderedDict()
_FOUND_BY_HASH_SIZE = 256
_FOUND_BY_HASH_LOCK = threading.Lock()


def questionnaire_by_hash(sha256: str) -> Questionnaire | None:
    """A content of a questionnaire, parsed from the stored source (once per process)."""
    with _FOUND_BY_HASH_LOCK:
        found = _FOUND_BY_HASH.get(sha256)
        if found is not None:
            _FOUND_BY_HASH.move_to_end(sha256)
            return found
    source = db.session.scalar(
        select(QuestionnaireSource.source).where(QuestionnaireSource.sha256 == sha256)
    )
    questionnaire = parsed_source(sha256, source) if source is not None else None
    if questionnaire is not None:
        with _FOUND_BY_HASH_LOCK:
            _FOUND_BY_HASH[sha256] = questionnaire
            while len(_FOUND_BY_HASH) > _FOUND_BY_HASH_SIZE:
                _FOUND_BY_HASH.popitem(last=False)
    return questionnaire


@lru_cache(maxsize=128)
def parsed_source(sha256: str, source: str) -> Questionnaire | None:
    """One object per stored content (the translations built from it are kept per object)."""
    return parse_questionnaire(source, f"<stored {sha256[:12]}>", sha256=sha256).questionnaire
