"""How answers read as text, on the review page and in the PDF's appendix, and months, in the
current locale."""

from __future__ import annotations

from babel.dates import format_date, format_skeleton
from flask_babel import format_decimal, get_locale, pgettext

from assessor.domain.answers import AnswerValue
from assessor.domain.model import Month, Question, QuestionType

# Where CLDR's pattern for a month and its year is wrong: Babel 2.19's Latvian one,
# "y. 'gada'. MMMM", writes "2026. gada. decembris" for "2026. gada decembris".
MONTH_PATTERNS = {"lv": "y. 'gada' LLLL"}


def month_text(month: Month) -> str:
    """A month and its year as the current locale writes them on their own: "December 2026",
    "décembre 2026", "grudzień 2026" (the stand-alone form), "diciembre de 2026"."""
    locale = get_locale()
    pattern = MONTH_PATTERNS.get(str(locale.language)) if locale is not None else None
    if pattern is not None:
        return format_date(month.first_day(), pattern, locale=locale)
    return format_skeleton("yMMMM", month.first_day(), locale=locale)


def answer_text(question: Question, value: AnswerValue | None) -> str:
    if value is None:
        return ""
    match question.type:
        # The value is a checked answer (answers.check_answer), of the question's type.
        case QuestionType.CHOICE:
            assert isinstance(value, str)
            return question.options_by_id[value].label
        case QuestionType.MULTI:
            assert isinstance(value, tuple)
            # The language's own separator: "; " reads as a question mark in Greek.
            separator: str = pgettext("separator of list items", "; ")
            return separator.join(question.options_by_id[v].label for v in value)
        case QuestionType.SCALE:
            assert isinstance(value, int)
            label = question.labels.get(value)
            return f"{value} ({label})" if label else str(value)
        case QuestionType.NUMBER:
            number = format_decimal(value)
            return f"{number} {question.unit}" if question.unit else number
    return str(value)
