"""Questionnaires in the current page language (translated once per language and kept).

The list of languages itself is the domain's (``assessor.domain.languages``).
"""

from __future__ import annotations

from flask_babel import get_locale, pgettext

from assessor.domain.languages import DEFAULT_LANGUAGE
from assessor.domain.model import Questionnaire
from assessor.domain.texts import translate_questionnaire

# (id of the loaded questionnaire, language) -> (that questionnaire, its translation).
# Holding the original keeps its id() from being reused by another object.
_TRANSLATED: dict[tuple[int, str], tuple[Questionnaire, Questionnaire]] = {}


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_LANGUAGE


def localise(questionnaire: Questionnaire) -> Questionnaire:
    """The questionnaire with its texts in the current language (built once per language)."""
    language = current_language()
    if language == questionnaire.language:
        return questionnaire
    key = (id(questionnaire), language)
    cached = _TRANSLATED.get(key)
    if cached is not None and cached[0] is questionnaire:
        return cached[1]
    translated = translate_questionnaire(questionnaire, pgettext)
    if len(_TRANSLATED) > 200:  # reloaded questionnaires leave old entries behind
        _TRANSLATED.clear()
    _TRANSLATED[key] = (questionnaire, translated)
    return translated
