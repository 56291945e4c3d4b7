"""Questionnaires in the language a respondent reads them in (translated once and kept).

A questionnaire is offered in the languages it declares whose texts are all there (in the
database translations a cluster made, or the compiled catalogs); a respondent whose page
language is not among them reads it in one that is, never in a mix of two. The list of
languages itself is the domain's (``assessor.domain.languages``).
"""

from __future__ import annotations

import threading
from dataclasses import replace

from flask import current_app
from flask_babel import get_locale
from sqlalchemy.exc import SQLAlchemyError

from assessor.domain.languages import DEFAULT_LANGUAGE
from assessor.domain.model import Questionnaire
from assessor.domain.texts import translate_questionnaire
from assessor.identity_cache import IdentityCache
from assessor.services.questionnaires import translations as translations
from assessor.services.questionnaires.catalogue import current_catalogue, served
from assessor.storage.db import db
from assessor.storage.models import Cluster

# A loaded questionnaire and a language -> its translation. Reloaded questionnaires leave
# old entries behind: the bound keeps them from adding up.
_TRANSLATED: IdentityCache[Questionnaire] = IdentityCache(size=200)
_OFFERED: IdentityCache[tuple[str, ...]] = IdentityCache(size=200)
# (questionnaire, page language, cluster's default language) -> the copy shown.
_SHOWN: IdentityCache[Questionnaire] = IdentityCache(size=400)
_WARNED_LOCK = threading.Lock()


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_LANGUAGE


def offered_languages(questionnaire: Questionnaire) -> tuple[str, ...]:
    """The declared languages whose every text is translated, the file's own always."""
    return _OFFERED.get_or_build(
        questionnaire, translations.generation(), lambda: _complete_languages(questionnaire)
    )


def learn_offered_languages() -> None:
    """Find out, and keep, the languages every served questionnaire is offered in (the
    server's master does, before forking its workers). With the database down, nothing is
    kept: each process finds out later, on its first page."""
    try:
        for questionnaire in served().by_hash.values():
            offered_languages(questionnaire)
    except SQLAlchemyError:
        db.session.rollback()


def _complete_languages(questionnaire: Questionnaire) -> tuple[str, ...]:
    offered = []
    for language in _declared(questionnaire):
        missing = len(translations.untranslated(questionnaire, language))
        if not missing:
            offered.append(language)
            continue
        # Logged once per app process: (questionnaire content, language, count).
        warned: set[tuple[str, str, int]] = current_app.extensions.setdefault(
            "assessor.incomplete_languages_logged", set()
        )
        key = (questionnaire.source_sha256, language, missing)
        with _WARNED_LOCK:
            if key in warned:
                continue
            warned.add(key)
        current_app.logger.warning(
            "questionnaire %r version %s declares %r but %d of its texts have no translation "
            "in it: not offered in that language",
            questionnaire.id,
            questionnaire.version,
            language,
            missing,
        )
    return tuple(offered)


def _declared(questionnaire: Questionnaire) -> tuple[str, ...]:
    """The languages it may be offered in: its own declared ones, and for an older version
    (one stored before its file declared languages) those its current version declares;
    each still only once every text of that very version is translated."""
    declared = list(questionnaire.languages or (questionnaire.language,))
    current = current_catalogue().get(questionnaire.id)
    if current is not None and current is not questionnaire:
        declared += [code for code in current.languages if code not in declared]
    return tuple(declared)


def questionnaire_language(
    questionnaire: Questionnaire, interface_language: str, cluster: Cluster | None
) -> str:
    """The language the questionnaire is shown in: the page's if it is offered in it, else
    the cluster's default language if offered, else the questionnaire's own."""
    offered = offered_languages(questionnaire)
    if interface_language in offered:
        return interface_language
    if cluster is not None and cluster.default_language in offered:
        return cluster.default_language
    return questionnaire.language


def localise(questionnaire: Questionnaire, language: str) -> Questionnaire:
    """The questionnaire with its texts in ``language`` (built once per language and set of
    database translations). The copy's ``language`` names the language its texts are in and
    its ``languages`` those it can be shown in (the declared ones that are complete)."""
    offered = offered_languages(questionnaire)
    if language == questionnaire.language and offered == questionnaire.languages:
        return questionnaire
    return _TRANSLATED.get_or_build(
        questionnaire,
        (language, translations.generation()),
        lambda: _translated(questionnaire, language, offered),
    )


def _translated(
    questionnaire: Questionnaire, language: str, offered: tuple[str, ...]
) -> Questionnaire:
    if language == questionnaire.language:
        return replace(questionnaire, languages=offered)
    find = translations.lookup(questionnaire.id, language)
    translated = translate_questionnaire(questionnaire, lambda c, t: find(c, t) or t)
    return replace(translated, language=language, languages=offered)


def localise_for(questionnaire: Questionnaire, cluster: Cluster | None = None) -> Questionnaire:
    """The questionnaire as a respondent on this page reads it (see questionnaire_language);
    one cache look-up a page once built."""
    interface = current_language()
    default = cluster.default_language if cluster is not None else None
    return _SHOWN.get_or_build(
        questionnaire,
        (interface, default, translations.generation()),
        lambda: localise(questionnaire, questionnaire_language(questionnaire, interface, cluster)),
    )
