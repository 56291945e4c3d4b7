"""A section page's questions, each rendered once per state and then reused.

Writing out a question (fieldset, legend, help, an input and a label per option) is the
largest part of a section page's cost, and its markup depends on little: the question
(one object per questionnaire version and language), the language's formats, the field's
value, its error, whether the question is shown and which of its options are. Most page views show questions in
one of a few states (unanswered above all), so a bounded cache of rendered questions,
keyed by exactly those inputs, answers most of them. The template macro stays the one
place where the markup is written.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

from flask import get_template_attribute
from flask_babel import get_locale
from markupsafe import Markup
from wtforms import Field

from assessor.domain.conditions import to_mapping
from assessor.domain.glossary import GlossaryEntry, question_glossary
from assessor.domain.model import Question, Questionnaire, QuestionType
from assessor.domain.visibility import NO_OPTIONS
from assessor.identity_cache import IdentityCache

# A few KB each: a bound of some megabytes per worker, and room for every question of
# several questionnaires in every language in its unanswered state.
CACHE_SIZE = 4096
# Questions whose value is typed by the respondent rather than chosen from options.
TYPED = frozenset({QuestionType.TEXT, QuestionType.NUMBER})


class RenderedQuestions(IdentityCache[Markup]):
    """Least-recently-used cache of question markup, keyed by the question object and
    everything else the macro reads."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        super().__init__(size)

    def markup(
        self,
        question: Question,
        field: Field,
        error: str | None,
        shown: bool,
        hidden_options: frozenset[str] = NO_OPTIONS,
        glossary: tuple[GlossaryEntry, ...] = (),
    ) -> Markup:
        if question.type in TYPED and field.data not in (None, ""):
            # What a respondent typed stays out of memory that outlives the request: a
            # deleted assessment must leave nothing behind. Option ids are not personal.
            return _render(question, field, error, shown, hidden_options, glossary)
        details = (
            str(get_locale()),
            _state(field.data),
            error,
            shown,
            hidden_options,
            tuple(entry.reference.id for entry in glossary),
        )
        return self.get_or_build(
            question,
            details,
            lambda: _render(question, field, error, shown, hidden_options, glossary),
        )


def _render(
    question: Question,
    field: Field,
    error: str | None,
    shown: bool,
    hidden_options: frozenset[str],
    glossary: tuple[GlossaryEntry, ...] = (),
) -> Markup:
    macro = get_template_attribute("assessment/_macros.html", "question_block")
    # The script shows and hides options as earlier answers on the page change.
    option_conditions: Mapping[str, object] = {
        o.id: to_mapping(o.visible_if) for o in question.options if o.visible_if is not None
    }
    return Markup(
        macro(
            question,
            field,
            error,
            shown,
            to_mapping(question.visible_if),
            hidden_options,
            option_conditions,
            glossary,
        )
    )


def _state(data: object) -> Hashable:
    """A field's value as a key: lists (checkbox groups) become tuples."""
    return tuple(data) if isinstance(data, list) else data


rendered_questions = RenderedQuestions()


def question_markup(
    question: Question,
    field: Field,
    error: str | None,
    shown: bool,
    hidden_options: frozenset[str] | None = None,
    glossary: tuple[GlossaryEntry, ...] = (),
) -> Markup:
    """The question's markup on a section page (template global); ``hidden_options``: those
    not offered for the answers so far; ``glossary``: the EU rules it mentions."""
    return rendered_questions.markup(
        question, field, error, shown, hidden_options or NO_OPTIONS, glossary
    )


# The references a question mentions depend on the question object alone (one per
# questionnaire version and language): found once, by its identity.
_GLOSSARIES: IdentityCache[tuple[GlossaryEntry, ...]] = IdentityCache(size=CACHE_SIZE)


def glossary_of(question: Question, questionnaire: Questionnaire) -> tuple[GlossaryEntry, ...]:
    """The EU rules and standards ``question`` mentions, from the questionnaire's list."""
    return _GLOSSARIES.get_or_build(
        question, None, lambda: question_glossary(question, questionnaire)
    )
