"""Questionnaire texts a cluster translates in the browser or by uploading a .po file.

They live in the database (``QuestionnaireTranslation``), so that every app server and
worker shows them without a restart, and win over the gettext catalogs in translations/.
Each process keeps them all in memory and asks the database whether they changed at most
every ``QUESTIONNAIRE_TRANSLATIONS_REFRESH`` seconds: one small query every few seconds, not
one per page.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po, write_po
from flask import current_app
from flask_babel import force_locale, get_translations, ngettext
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from assessor.domain.model import Questionnaire
from assessor.domain.texts import QuestionnaireText, questionnaire_texts
from assessor.storage.db import db
from assessor.storage.models import QuestionnaireTranslation, User, utcnow

# What a text may hold that a translation must keep as it is: printf and brace placeholders.
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
TRANSLATION_MAX_LENGTH = 5000  # characters: four times the longest advice we ship

Lookup = Callable[[str, str], str | None]
"""``lookup(context, source_text)``: the translation, or None when there is none."""

_Texts = Mapping[tuple[str, str], str]  # (context, source text) -> translation


@dataclass(frozen=True)
class _Snapshot:
    stamp: tuple[int, datetime | None]  # row count and last change: what changes on a save
    texts: Mapping[tuple[str, str], _Texts]  # (questionnaire id, language) -> its texts
    generation: int
    # (questionnaire id, language) -> its number of texts and last change, for cache keys.
    stamps: Mapping[tuple[str, str], str]


# Unique in the process, not per app: the questionnaire objects the caches are keyed by are
# shared by every app of the process that serves the same content (tests build many).
_GENERATIONS = itertools.count(1)


class _DatabaseTexts:
    """One process's copy of the table, read again when it changed, at most so often."""

    def __init__(self, refresh_seconds: float) -> None:
        self.refresh_seconds = refresh_seconds
        self._snapshot = _Snapshot(
            (-1, None), MappingProxyType({}), next(_GENERATIONS), MappingProxyType({})
        )
        self._next_check = 0.0
        self._lock = threading.Lock()

    def snapshot(self) -> _Snapshot:
        now = time.monotonic()
        if now < self._next_check:
            return self._snapshot
        count, last = db.session.execute(
            select(func.count(), func.max(QuestionnaireTranslation.updated_at))
        ).one()
        with self._lock:
            self._next_check = now + self.refresh_seconds
            if (count, last) == self._snapshot.stamp:
                return self._snapshot
        texts: dict[tuple[str, str], dict[tuple[str, str], str]] = {}
        latest: dict[tuple[str, str], datetime] = {}
        for row in db.session.execute(
            select(
                QuestionnaireTranslation.questionnaire_id,
                QuestionnaireTranslation.language,
                QuestionnaireTranslation.context,
                QuestionnaireTranslation.source_text,
                QuestionnaireTranslation.text,
                QuestionnaireTranslation.updated_at,
            )
        ):
            key = (row[0], row[1])
            texts.setdefault(key, {})[(row[2], row[3])] = row[4]
            latest[key] = max(latest.get(key, row[5]), row[5])
        with self._lock:
            self._snapshot = _Snapshot(
                (count, last),
                MappingProxyType({k: MappingProxyType(v) for k, v in texts.items()}),
                next(_GENERATIONS),
                MappingProxyType({k: f"{len(texts[k])}@{latest[k].isoformat()}" for k in texts}),
            )
            return self._snapshot

    def forget(self) -> None:
        """Read again on the next look (this process just saved a translation)."""
        self._next_check = 0.0


def _database_texts() -> _DatabaseTexts:
    extensions = current_app.extensions
    texts: _DatabaseTexts | None = extensions.get("assessor.questionnaire_translations")
    if texts is None:
        refresh = float(current_app.config.get("QUESTIONNAIRE_TRANSLATIONS_REFRESH", 5))
        texts = extensions.setdefault(
            "assessor.questionnaire_translations", _DatabaseTexts(refresh)
        )
    return texts


def generation() -> int:
    """Changes whenever the database translations changed (read at most every few seconds)."""
    return _database_texts().snapshot().generation


def fingerprint(questionnaire_id: str, language: str) -> str:
    """Changes when the database translations of the questionnaire in the language change
    (for the keys of cached documents that quote its texts)."""
    return _database_texts().snapshot().stamps.get((questionnaire_id, language), "none")


def _catalog_texts(language: str) -> Mapping[str, str]:
    """The compiled gettext catalog of the language: ``"context\\x04text" -> translation``
    (compiling leaves out fuzzy and empty entries)."""
    with force_locale(language):
        translations = get_translations()
    catalog: Mapping[str, str] = getattr(translations, "_catalog", {})
    return catalog


def lookup(questionnaire_id: str, language: str) -> Lookup:
    """The translation of a text: the database's first, then the catalog's, else None."""
    stored = _database_texts().snapshot().texts.get((questionnaire_id, language), {})
    catalog = _catalog_texts(language)

    def find(context: str, text: str) -> str | None:
        return stored.get((context, text)) or catalog.get(f"{context}\x04{text}") or None

    return find


def untranslated(questionnaire: Questionnaire, language: str) -> list[QuestionnaireText]:
    """The texts without a translation in the language (none in the file's own)."""
    if language == questionnaire.language:
        return []
    find = lookup(questionnaire.id, language)
    return [t for t in questionnaire_texts(questionnaire) if find(t.context, t.text) is None]


def untranslated_counts(questionnaire: Questionnaire) -> dict[str, int]:
    """Declared language -> how many texts it lacks."""
    declared = questionnaire.languages or (questionnaire.language,)
    return {language: len(untranslated(questionnaire, language)) for language in declared}


# --- Editing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TextRow:
    """One text on the translation page."""

    context: str
    source: str
    comment: str  # where it appears
    translation: str


def rows(questionnaire: Questionnaire, language: str) -> list[TextRow]:
    """Every text with its translation ("" for none), the untranslated ones first."""
    find = lookup(questionnaire.id, language)
    found = [
        TextRow(t.context, t.text, t.comment, find(t.context, t.text) or "")
        for t in questionnaire_texts(questionnaire)
    ]
    return sorted(found, key=lambda row: bool(row.translation))  # stable: file order kept


class TranslationProblem(ValueError):
    """Translations that cannot be saved: ``problems`` maps a text's context to what is
    wrong with its translation; the message says what is wrong with the whole."""

    def __init__(self, message: str, problems: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.problems = dict(problems or {})


def translation_problem(source: str, text: str) -> str | None:
    """What keeps ``text`` from translating ``source`` (None: nothing)."""
    if len(text) > TRANSLATION_MAX_LENGTH:
        return str(
            _(
                "Please keep the translation under %(limit)s characters (it has %(count)s).",
                limit=TRANSLATION_MAX_LENGTH,
                count=len(text),
            )
        )
    wanted, found = sorted(_PLACEHOLDER.findall(source)), sorted(_PLACEHOLDER.findall(text))
    if wanted != found and not wanted:
        return str(
            _(
                "The English text has no placeholder: remove %(placeholders)s.",
                placeholders=", ".join(found),
            )
        )
    if wanted != found:
        return str(
            _(
                "Keep the placeholders of the English text exactly as they are: %(placeholders)s.",
                placeholders=", ".join(wanted),
            )
        )
    return None


def may_offer(questionnaire: Questionnaire, language: str) -> bool:
    """Whether the questionnaire can be translated into the language: one it declares,
    other than its own."""
    return language != questionnaire.language and language in questionnaire.languages


def save_translations(
    questionnaire: Questionnaire,
    language: str,
    texts: Mapping[str, str],
    user: User | None,
) -> int:
    """Store ``context -> translation`` for the questionnaire's current texts, all or none.
    An empty translation removes the entry (the catalog's or the English text shows again);
    a translation equal to the catalog's is not copied. Returns how many entries changed."""
    if not may_offer(questionnaire, language):
        raise TranslationProblem(
            _("This questionnaire is not offered in this language: add it to its languages.")
        )
    sources = {t.context: t.text for t in questionnaire_texts(questionnaire)}
    # A browser posts a textarea's line breaks as CRLF; the catalogs and files have LF.
    cleaned = {context: text.replace("\r\n", "\n").strip() for context, text in texts.items()}
    problems = {
        context: _("This is not a text of this questionnaire.")
        for context in cleaned
        if context not in sources
    }
    for context, text in cleaned.items():
        problem = translation_problem(sources[context], text) if context in sources else None
        if problem is not None:
            problems[context] = problem
    if problems:
        raise TranslationProblem(
            _("Nothing was saved: please correct the translations marked below."), problems
        )
    catalog = _catalog_texts(language)
    existing = {
        (row.context, row.source_text): row
        for row in db.session.scalars(
            select(QuestionnaireTranslation).where(
                QuestionnaireTranslation.questionnaire_id == questionnaire.id,
                QuestionnaireTranslation.language == language,
                QuestionnaireTranslation.context.in_(list(cleaned)),
            )
        )
    }
    changed = 0
    user_id = user.id if user is not None else None
    for context, text in cleaned.items():
        source = sources[context]
        row = existing.get((context, source))
        if row is None:
            if text and text != catalog.get(f"{context}\x04{source}"):
                db.session.add(
                    QuestionnaireTranslation(
                        questionnaire_id=questionnaire.id,
                        language=language,
                        context=context,
                        source_text=source,
                        source_sha256=hashlib.sha256(source.encode()).hexdigest(),
                        text=text,
                        updated_at=utcnow(),
                        updated_by_id=user_id,
                    )
                )
                changed += 1
        elif not text:
            db.session.delete(row)
            changed += 1
        elif row.text != text:
            row.text = text
            row.updated_at = utcnow()
            row.updated_by_id = user_id
            changed += 1
    try:
        db.session.commit()
    except IntegrityError as error:  # another administrator saved the same text meanwhile
        db.session.rollback()
        raise TranslationProblem(
            _(
                "Someone saved these translations at the same time: nothing was saved, please save again."
            )
        ) from error
    _database_texts().forget()
    return changed


# --- .po files ---------------------------------------------------------------------------

PO_MAX_BYTES = 2 * 1024 * 1024


def export_po(questionnaire: Questionnaire, language: str | None) -> bytes:
    """The questionnaire's texts as a .po file for the language (with the translations it
    has), or as a .pot template when ``language`` is None: what Poedit or Weblate open."""
    catalog = Catalog(
        locale=language,
        project=f"assessor questionnaire {questionnaire.id}",
        version=str(questionnaire.version),
        fuzzy=False,
    )
    find = lookup(questionnaire.id, language) if language else None
    for text in questionnaire_texts(questionnaire):
        translation = (find(text.context, text.text) if find else None) or ""
        catalog.add(text.text, translation, context=text.context, auto_comments=[text.comment])
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=76)
    return buffer.getvalue()


def import_po(questionnaire: Questionnaire, language: str, data: bytes, user: User | None) -> int:
    """Store the translations of an uploaded .po file: only this questionnaire's current
    texts, placeholders checked, all or nothing. Fuzzy and empty entries are left out, as
    gettext does. Returns how many entries changed."""
    if len(data) > PO_MAX_BYTES:
        raise TranslationProblem(_("The file is too large for a questionnaire's translation."))
    if b"\x00" in data:  # a binary file; PostgreSQL stores no NUL in text either
        raise TranslationProblem(
            _("This is not a readable .po file: %(error)s", error="NUL character")
        )
    try:
        catalog = read_po(io.BytesIO(data), abort_invalid=True)
    # LookupError: a header naming a character set Python does not know.
    except (PoFileError, UnicodeDecodeError, ValueError, LookupError) as error:
        raise TranslationProblem(
            _("This is not a readable .po file: %(error)s", error=str(error)[:200])
        ) from error
    file_language = (catalog.locale_identifier or "").split("_")[0]
    if file_language and file_language != language:
        raise TranslationProblem(
            _(
                "The file is a translation into %(file)s, not into %(language)s.",
                file=file_language,
                language=language,
            )
        )
    sources = {t.context: t.text for t in questionnaire_texts(questionnaire)}
    texts: dict[str, str] = {}
    foreign: list[str] = []
    for message in catalog:
        if not message.id:
            continue
        if not isinstance(message.id, str) or message.context not in sources:
            foreign.append(message.context or str(message.id))
        elif message.id == sources[message.context] and isinstance(message.string, str):
            # An entry in older English words would mislead: the translator sees it again.
            if message.string and not message.fuzzy:
                texts[message.context] = message.string
    if foreign:
        raise TranslationProblem(
            ngettext(
                "Nothing was saved: %(num)d message of the file is not a text of this "
                "questionnaire (%(first)s). Download this questionnaire's own .po file and "
                "translate that one.",
                "Nothing was saved: %(num)d messages of the file are not texts of this "
                "questionnaire (%(first)s). Download this questionnaire's own .po file and "
                "translate that one.",
                len(foreign),
                first=foreign[0][:120],
            )
        )
    if not texts:
        raise TranslationProblem(_("The file holds no translated text of this questionnaire."))
    try:
        return save_translations(questionnaire, language, texts, user)
    except TranslationProblem as problem:
        if not problem.problems:
            raise
        context, first_problem = next(iter(problem.problems.items()))
        raise TranslationProblem(
            ngettext(
                "Nothing was saved: %(num)d translation of the file needs a correction, "
                "%(context)s: %(problem)s",
                "Nothing was saved: %(num)d translations of the file need a correction; "
                "the first, %(context)s: %(problem)s",
                len(problem.problems),
                context=context,
                problem=first_problem,
            ),
            problem.problems,
        ) from problem
