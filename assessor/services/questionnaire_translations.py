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
from flask_babel import force_locale, get_translations
from sqlalchemy import func, select

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


class _DatabaseTexts:
    """One process's copy of the table, read again when it changed, at most so often."""

    def __init__(self, refresh_seconds: float) -> None:
        self.refresh_seconds = refresh_seconds
        self._snapshot = _Snapshot((-1, None), MappingProxyType({}), 0)
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
        for row in db.session.execute(
            select(
                QuestionnaireTranslation.questionnaire_id,
                QuestionnaireTranslation.language,
                QuestionnaireTranslation.context,
                QuestionnaireTranslation.source_text,
                QuestionnaireTranslation.text,
            )
        ):
            texts.setdefault((row[0], row[1]), {})[(row[2], row[3])] = row[4]
        with self._lock:
            self._snapshot = _Snapshot(
                (count, last),
                MappingProxyType({k: MappingProxyType(v) for k, v in texts.items()}),
                self._snapshot.generation + 1,
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
    """A translation that cannot be saved; ``context`` names the text (None: the file)."""

    def __init__(self, message: str, context: str | None = None) -> None:
        super().__init__(message)
        self.context = context


def check_translation(source: str, text: str, context: str) -> None:
    """Raise TranslationProblem unless ``text`` may translate ``source``."""
    if len(text) > TRANSLATION_MAX_LENGTH:
        raise TranslationProblem(
            f"at most {TRANSLATION_MAX_LENGTH} characters, found {len(text)}", context
        )
    wanted, found = _PLACEHOLDER.findall(source), _PLACEHOLDER.findall(text)
    if sorted(wanted) != sorted(found):
        missing = sorted(set(wanted) - set(found))
        extra = sorted(set(found) - set(wanted))
        detail = f"keep {', '.join(missing)}" if missing else f"remove {', '.join(extra)}"
        raise TranslationProblem(f"placeholders differ from the English text: {detail}", context)


def save_translations(
    questionnaire: Questionnaire,
    language: str,
    texts: Mapping[str, str],
    user: User | None,
) -> int:
    """Store ``context -> translation`` for the questionnaire's current texts, all or none
    (an empty translation removes the entry: the catalog's or the English text shows
    again). Returns how many entries changed."""
    if language == questionnaire.language or language not in (questionnaire.languages or ()):
        raise TranslationProblem(f"the questionnaire is not offered in {language!r}")
    sources = {t.context: t.text for t in questionnaire_texts(questionnaire)}
    for context, text in texts.items():
        if context not in sources:
            raise TranslationProblem("not a text of this questionnaire", context)
        check_translation(sources[context], text.strip(), context)
    existing = {
        (row.context, row.source_text): row
        for row in db.session.scalars(
            select(QuestionnaireTranslation).where(
                QuestionnaireTranslation.questionnaire_id == questionnaire.id,
                QuestionnaireTranslation.language == language,
                QuestionnaireTranslation.context.in_(list(texts)),
            )
        )
    }
    changed = 0
    for context, raw in texts.items():
        text = raw.strip()
        source = sources[context]
        row = existing.get((context, source))
        if row is None:
            if text:
                db.session.add(
                    QuestionnaireTranslation(
                        questionnaire_id=questionnaire.id,
                        language=language,
                        context=context,
                        source_text=source,
                        source_sha256=hashlib.sha256(source.encode()).hexdigest(),
                        text=text,
                        updated_at=utcnow(),
                        updated_by_id=user.id if user is not None else None,
                    )
                )
                changed += 1
        elif not text:
            db.session.delete(row)
            changed += 1
        elif row.text != text:
            row.text = text
            row.updated_at = utcnow()
            row.updated_by_id = user.id if user is not None else None
            changed += 1
    db.session.commit()
    _database_texts().forget()
    return changed


# --- .po files ---------------------------------------------------------------------------


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
        catalog.add(
            text.text,
            translation,
            context=text.context,
            auto_comments=[text.comment],
        )
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=76)
    return buffer.getvalue()


def import_po(questionnaire: Questionnaire, language: str, data: bytes, user: User | None) -> int:
    """Store the translations of an uploaded .po file: only this questionnaire's current
    texts, placeholders checked, all or nothing. Returns how many entries changed."""
    try:
        catalog = read_po(io.BytesIO(data), locale=language, abort_invalid=True)
    except (PoFileError, UnicodeDecodeError, ValueError) as error:
        raise TranslationProblem(f"not a readable .po file ({error})") from error
    if catalog.locale is not None and catalog.locale_identifier not in (language, None):
        # A file for another language would put its texts under this one.
        header_language = catalog.locale_identifier
        if header_language and header_language.split("_")[0] != language:
            raise TranslationProblem(
                f"the file is for the language {header_language!r}, not {language!r}"
            )
    sources = {t.context: t.text for t in questionnaire_texts(questionnaire)}
    texts: dict[str, str] = {}
    foreign: list[str] = []
    for message in catalog:
        if not message.id:
            continue
        if not isinstance(message.id, str) or message.context not in sources:
            foreign.append(message.context or str(message.id))
            continue
        if message.id != sources[message.context]:
            continue  # a text the file has in older words: translating it would mislead
        if message.fuzzy or not isinstance(message.string, str) or not message.string:
            continue
        texts[message.context] = message.string
    if foreign:
        shown = ", ".join(foreign[:3]) + (" …" if len(foreign) > 3 else "")
        raise TranslationProblem(
            f"{len(foreign)} messages are not texts of the questionnaire "
            f"{questionnaire.id!r}: {shown}"
        )
    if not texts:
        raise TranslationProblem("the file has no translated text of this questionnaire")
    return save_translations(questionnaire, language, texts, user)
