"""Questionnaires in the current page language (translated once per language and kept).

The list of languages itself is the domain's (``assessor.domain.languages``).
"""

from __future__ import annotations

from flask_babel import get_locale, pgettext

from assessor.domain.languages import DEFAULT_LANGUAGE
from assessor.domain.model import Questionnaire
from assessor.domain.texts import translate_questionnaire
from assessor.identity_cache import IdentityCache

# A loaded questionnaire and a language -> its translation. Reloaded questionnaires leave
# old entries behind: the bound keeps them from adding up.
_TRANSLATED: IdentityCache[Questionnaire] = IdentityCache(size=200)


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_LANGUAGE


def localise(questionnaire: Questionnaire) -> Questionnaire:
    """The questionnaire with its texts in the current language (built once per language)."""
    language = current_language()
    if language == questionnaire.language:
        return questionnaire
    return _TRANSLATED.get_or_build(
        questionnaire, language, lambda: translate_questionnaire(questionnaire, pgettext)
    )
