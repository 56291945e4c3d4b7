"""Publishing a questionnaire from the browser: check a text for a cluster (or the whole
platform), then publish it as the next version. Pages and commands call these.

Publishing changed content numbers the new version by itself: the text's ``version:`` line
is rewritten to the next free number, so the stored source says what it is. Publishing
the content already served changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from assessor.domain.loading import LoadError, parse_questionnaire
from assessor.domain.model import Questionnaire
from assessor.domain.readiness import readiness_tags
from assessor.services.questionnaires.catalogue import reload_catalogue
from assessor.services.questionnaires.versions import (
    parsed_source,
    replace_source_text,
    store_source,
)
from assessor.storage.db import db
from assessor.storage.models import (
    Cluster,
    QuestionnaireEntry,
    QuestionnaireSource,
    User,
    utcnow,
)

# A questionnaire of 200 questions with help texts is about 100 KB.
MAX_QUESTIONNAIRE_BYTES = 512 * 1024

_VERSION_LINE = re.compile(r"^version:[ \t]*(\S.*)?$", re.MULTILINE)


@dataclass(frozen=True)
class TextCheck:
    """What publishing ``text`` would do. ``errors`` forbid it; ``questionnaire`` is the
    content as it would be published (its ``version`` already the one it would get)."""

    text: str  # the text that would be stored (its version line renumbered if needed)
    questionnaire: Questionnaire | None
    errors: tuple[LoadError, ...]
    served_version: int | None = None  # the version served now, None for a new questionnaire
    unchanged: bool = False  # the content served now: publishing changes no version
    # Unchanged content offered in other languages (not part of the content): publishing
    # keeps this text for the version served. (Comments and layout alone change nothing.)
    rewritten: bool = False
    notes: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.questionnaire is not None and not self.errors


def check_text(text: str, cluster: Cluster | None, path: str = "questionnaire.yaml") -> TextCheck:
    """Validate ``text`` as a questionnaire of ``cluster`` (None: platform-wide)."""
    text = text.replace("\r\n", "\n")
    if len(text.encode()) > MAX_QUESTIONNAIRE_BYTES:
        return TextCheck(
            text,
            None,
            (LoadError(path, 1, f"the file is over {MAX_QUESTIONNAIRE_BYTES // 1024} KB"),),
        )
    result = parse_questionnaire(text, path)
    if result.questionnaire is None:
        return TextCheck(text, None, result.errors)
    questionnaire = result.questionnaire
    entry = db.session.scalar(
        select(QuestionnaireEntry).where(QuestionnaireEntry.questionnaire_id == questionnaire.id)
    )
    owner = cluster.id if cluster is not None else None
    if entry is not None and entry.cluster_id != owner:
        return TextCheck(
            text,
            None,
            (LoadError(path, _line_of(text, "id"), _taken_message(questionnaire.id)),),
        )
    if entry is not None and _says_what_is_served(text, entry, path):
        served = parsed_source(entry.sha256, served_source(entry))
        # Offered in other languages, or tagged otherwise for insights: the same content.
        if served is not None and (
            served.languages != questionnaire.languages
            or readiness_tags(served) != readiness_tags(questionnaire)
        ):
            as_served = _renumbered(text, entry.version)
            shown = parse_questionnaire(as_served, path, sha256=entry.sha256).questionnaire
            return TextCheck(as_served, shown, (), entry.version, unchanged=True, rewritten=True)
        return TextCheck(text, served, (), entry.version, unchanged=True)
    newest = db.session.scalar(
        select(func.max(QuestionnaireSource.version)).where(
            QuestionnaireSource.questionnaire_id == questionnaire.id,
            QuestionnaireSource.published.is_(True),
        )
    )
    notes: list[str] = []
    if newest is not None and questionnaire.version <= newest:
        text = _renumbered(text, newest + 1)
        renumbered = parse_questionnaire(text, path).questionnaire
        if renumbered is None or renumbered.version != newest + 1:
            return TextCheck(
                text,
                None,
                (
                    LoadError(
                        path,
                        _line_of(text, "version"),
                        f"write the version on one line at the top level, as `version: "
                        f"{newest + 1}`: publishing numbers a changed questionnaire itself",
                    ),
                ),
            )
        notes.append(
            f"published as version {newest + 1} (version {newest} is published; "
            "assessments keep the version they were answered on)"
        )
        questionnaire = renumbered
    return TextCheck(
        text,
        questionnaire,
        (),
        entry.version if entry is not None else None,
        notes=tuple(notes),
    )


def publish(check: TextCheck, cluster: Cluster | None, user: User | None) -> QuestionnaireEntry:
    """Publish a checked text: every server serves it within seconds, no restart."""
    if not check.ok or check.questionnaire is None:
        raise ValueError("only a text without errors can be published")
    questionnaire = check.questionnaire
    # Locked until the commit: of two publications at once, the second waits and then finds
    # the version taken.
    entry = db.session.scalar(
        select(QuestionnaireEntry)
        .where(QuestionnaireEntry.questionnaire_id == questionnaire.id)
        .with_for_update()
    )
    owner = cluster.id if cluster is not None else None
    if entry is not None and entry.cluster_id != owner:
        db.session.rollback()  # another cluster took the id since the check
        raise PublishedMeanwhile(questionnaire.id)
    if check.unchanged and entry is not None:
        if check.rewritten and entry.sha256 == questionnaire.source_sha256:
            replace_source_text(entry.sha256, check.text)
            _changed(entry)
            db.session.commit()
            reload_catalogue()
        else:
            db.session.rollback()
        return entry
    if entry is not None and questionnaire.version <= entry.version:
        db.session.rollback()
        raise PublishedMeanwhile(questionnaire.id)
    store_source(questionnaire, check.text)
    if entry is None:
        entry = QuestionnaireEntry(
            questionnaire_id=questionnaire.id,
            cluster_id=cluster.id if cluster is not None else None,
            origin="web",
        )
        db.session.add(entry)
    entry.sha256 = questionnaire.source_sha256
    entry.version = questionnaire.version
    entry.origin = "web"
    entry.is_retired = False
    entry.published_at = utcnow()
    entry.published_by = user
    _changed(entry)
    try:
        db.session.commit()
    except IntegrityError as clash:
        # Someone published the same new id, or the same version, at the same moment.
        db.session.rollback()
        raise PublishedMeanwhile(questionnaire.id) from clash
    reload_catalogue()
    return entry


class PublishedMeanwhile(Exception):
    """Another publication of this questionnaire came first: check the text again."""

    def __init__(self, questionnaire_id: str) -> None:
        super().__init__(f"{questionnaire_id} was published meanwhile")
        self.questionnaire_id = questionnaire_id


def set_retired(entry: QuestionnaireEntry, retired: bool) -> None:
    """Withdraw a questionnaire (no new assessments; earlier ones keep it) or offer it again."""
    entry.is_retired = retired
    entry.retired_with_file = False  # a person's choice: a restart does not undo it
    _changed(entry)
    db.session.commit()
    reload_catalogue()


def _changed(entry: QuestionnaireEntry) -> None:
    """Every server reads its catalogue again on this (whatever their clocks say)."""
    entry.revision = (entry.revision or 0) + 1
    entry.updated_at = utcnow()


def served_source(entry: QuestionnaireEntry) -> str:
    """The text served now, as it was published (for editing and downloading)."""
    source = db.session.scalar(
        select(QuestionnaireSource.source).where(QuestionnaireSource.sha256 == entry.sha256)
    )
    return source or ""


def _says_what_is_served(text: str, entry: QuestionnaireEntry, path: str) -> bool:
    """Whether ``text`` says what the served version says, whatever number it bears."""
    as_served = parse_questionnaire(_renumbered(text, entry.version), path).questionnaire
    return as_served is not None and as_served.source_sha256 == entry.sha256


def _renumbered(text: str, version: int) -> str:
    """``text`` with its top-level ``version:`` set to ``version``."""
    return _VERSION_LINE.sub(f"version: {version}", text, count=1)


def _line_of(text: str, key: str) -> int:
    match = re.search(rf"^{re.escape(key)}\s*:", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def _taken_message(questionnaire_id: str) -> str:
    return (
        f"the id {questionnaire_id!r} is already used by another questionnaire on this "
        "platform; choose another `id` (ids are shared by every cluster)"
    )
