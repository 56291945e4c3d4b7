"""The translatable texts of a questionnaire, and a translated copy of it.

Every text a respondent reads (titles, labels, question texts, help, intros,
actions, references) is a gettext message whose context names the
questionnaire and the node it belongs to, by ids rather than positions so that
reordering a file does not orphan its translations::

    logistics-maturity:questions/d-fuel-data/options/invoices/label

The Babel extractor (``assessor.babel_extractor``) lists these messages for the
catalogs; the web layer asks ``translate_questionnaire`` for a copy in the
respondent's language. The two walks below write the same paths; that they agree is
checked by tests/i18n/test_questionnaire_messages.py, which fails when the app asks for a
context the extractor did not list.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import overload

from assessor.domain.model import (
    Action,
    Dimension,
    Level,
    Option,
    Question,
    Questionnaire,
    Reference,
    Section,
    Theme,
)

# A text without a letter ("%", "CO2" aside) has nothing to translate.
_HAS_LETTER = re.compile(r"[^\W\d_]")

Translate = Callable[[str, str], str]
"""``translate(context, text)``: the text in the wanted language, or the text itself."""

_Item = Callable[[str, str | None, str], Iterator["QuestionnaireText"]]
"""``item(path, text, comment)``: the text's message, if it has one."""


@dataclass(frozen=True)
class QuestionnaireText:
    context: str
    text: str
    comment: str  # for translators: where the text appears


def questionnaire_texts(questionnaire: Questionnaire) -> Iterator[QuestionnaireText]:
    """Every translatable text of the questionnaire, in file order."""
    q = questionnaire.id

    def item(path: str, text: str | None, comment: str) -> Iterator[QuestionnaireText]:
        if text and _HAS_LETTER.search(text):
            yield QuestionnaireText(f"{q}:{path}", text, comment)

    yield from item("title", questionnaire.title, "Title of the questionnaire")
    yield from item("intro", questionnaire.intro, "Introduction on the start page")
    for level in questionnaire.levels:
        yield from item(f"levels/{level.id}/label", level.label, "Name of a maturity level")
    for dimension in questionnaire.dimensions:
        yield from item(f"dimensions/{dimension.id}/label", dimension.label, "Name of a dimension")
        for theme in dimension.themes:
            yield from item(
                f"themes/{theme.id}/label",
                theme.label,
                f"Name of a theme of the dimension {dimension.label!r}",
            )
    for section in questionnaire.sections:
        yield from item(f"sections/{section.id}/title", section.title, "Title of a page")
        yield from item(f"sections/{section.id}/intro", section.intro, "Introduction of a page")
        for question in section.questions:
            yield from _question_texts(question, item)
    for reference in questionnaire.references:
        path = f"references/{reference.id}"
        yield from item(f"{path}/title", reference.title, "Name of an EU rule or standard")
        yield from item(f"{path}/text", reference.text, "What the rule or standard means")
    for action in questionnaire.actions:
        yield from item(f"actions/{action.id}/title", action.title, "Title of a recommended action")
        yield from item(
            f"actions/{action.id}/text",
            action.text,
            f"Advice of a few sentences for the action {action.title!r}",
        )


def _question_texts(question: Question, item: _Item) -> Iterator[QuestionnaireText]:
    path = f"questions/{question.id}"
    kind = f"{question.type.value} question {question.id}"
    yield from item(f"{path}/text", question.text, f"Text of a {kind}")
    yield from item(f"{path}/help", question.help, f"Help text of the {kind}")
    yield from item(f"{path}/unit", question.unit, f"Unit of the answer to: {question.text}")
    for option in question.options:
        yield from item(
            f"{path}/options/{option.id}/label", option.label, f"Answer to: {question.text}"
        )
        yield from item(
            f"{path}/options/{option.id}/help", option.help, f"Help for the answer {option.label!r}"
        )
    for value, label in question.labels.items():
        yield from item(
            f"{path}/labels/{value}",
            label,
            f"Label of the value {value} on the scale of: {question.text}",
        )


def translate_questionnaire(questionnaire: Questionnaire, translate: Translate) -> Questionnaire:
    """A copy whose texts are ``translate(context, text)``; ids, scores and rules unchanged."""
    q = questionnaire.id

    # A text stays there or absent: a label is translated into a label, no help into none.
    @overload
    def tr(path: str, text: str) -> str: ...
    @overload
    def tr(path: str, text: str | None) -> str | None: ...
    def tr(path: str, text: str | None) -> str | None:
        if not text or not _HAS_LETTER.search(text):
            return text
        return translate(f"{q}:{path}", text)

    def level(x: Level) -> Level:
        return replace(x, label=tr(f"levels/{x.id}/label", x.label))

    def theme(x: Theme) -> Theme:
        return replace(x, label=tr(f"themes/{x.id}/label", x.label))

    def dimension(x: Dimension) -> Dimension:
        return replace(
            x,
            label=tr(f"dimensions/{x.id}/label", x.label),
            themes=tuple(theme(t) for t in x.themes),
        )

    def option(path: str, x: Option) -> Option:
        return replace(
            x,
            label=tr(f"{path}/options/{x.id}/label", x.label),
            help=tr(f"{path}/options/{x.id}/help", x.help),
        )

    def question(x: Question) -> Question:
        path = f"questions/{x.id}"
        return replace(
            x,
            text=tr(f"{path}/text", x.text),
            help=tr(f"{path}/help", x.help),
            unit=tr(f"{path}/unit", x.unit),
            options=tuple(option(path, o) for o in x.options),
            labels=MappingProxyType(
                {v: tr(f"{path}/labels/{v}", label) for v, label in x.labels.items()}
            ),
        )

    def section(x: Section) -> Section:
        return replace(
            x,
            title=tr(f"sections/{x.id}/title", x.title),
            intro=tr(f"sections/{x.id}/intro", x.intro),
            questions=tuple(question(qu) for qu in x.questions),
        )

    def reference(x: Reference) -> Reference:
        return replace(
            x,
            title=tr(f"references/{x.id}/title", x.title),
            text=tr(f"references/{x.id}/text", x.text),
        )

    def action(x: Action) -> Action:
        return replace(
            x,
            title=tr(f"actions/{x.id}/title", x.title),
            text=tr(f"actions/{x.id}/text", x.text),
        )

    return replace(
        questionnaire,
        title=tr("title", questionnaire.title),
        intro=tr("intro", questionnaire.intro),
        levels=tuple(level(x) for x in questionnaire.levels),
        dimensions=tuple(dimension(x) for x in questionnaire.dimensions),
        sections=tuple(section(x) for x in questionnaire.sections),
        references=tuple(reference(x) for x in questionnaire.references),
        actions=tuple(action(x) for x in questionnaire.actions),
    )
