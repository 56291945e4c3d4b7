"""What is asked, given some answers: the visible questions and, of those, the visible options.

Conditions only look back, so one pass in file order decides everything: a section's,
a question's and each option's ``visible_if`` see the answers of earlier questions as
they apply. An answer naming an option hidden for these answers does not apply: a
``choice`` answer on a hidden option counts as unanswered, a ``multi`` answer loses its
hidden options (and with none left counts as unanswered). Conditions of later questions
see only what applies.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from assessor.domain.conditions import AnswerValue, ScoreTarget
from assessor.domain.model import Question, Questionnaire, QuestionType

NO_OPTIONS: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Visibility:
    """The outcome of one pass over a questionnaire for one set of answers."""

    questions: frozenset[str]  # ids of the visible questions
    hidden_options: Mapping[str, frozenset[str]]  # visible question id -> its hidden option ids
    answers: Mapping[str, AnswerValue]  # the answers as they apply (hidden options left out)

    def hidden_options_of(self, question_id: str) -> frozenset[str]:
        return self.hidden_options.get(question_id, NO_OPTIONS)


class _AnswersSoFar:
    """Facts for visibility: answers of the questions found visible so far."""

    def __init__(self) -> None:
        self.answers: dict[str, AnswerValue] = {}

    def visible_answer(self, question_id: str) -> AnswerValue | None:
        return self.answers.get(question_id)

    def score_of(self, kind: ScoreTarget, target_id: str) -> float | None:
        return None  # visibility never depends on scores (the loader forbids it)


def visibility(questionnaire: Questionnaire, answers: Mapping[str, AnswerValue]) -> Visibility:
    """Which questions and options are asked, and the answers as they apply."""
    facts = _AnswersSoFar()
    visible: set[str] = set()
    hidden_options: dict[str, frozenset[str]] = {}
    applying = dict(answers)
    for section in questionnaire.sections:
        if section.visible_if is not None and not section.visible_if.holds(facts):
            continue
        for question in section.questions:
            if question.visible_if is not None and not question.visible_if.holds(facts):
                continue
            visible.add(question.id)
            value = answers.get(question.id)
            if question.has_conditional_options:
                hidden = frozenset(
                    o.id
                    for o in question.options
                    if o.visible_if is not None and not o.visible_if.holds(facts)
                )
                if hidden:
                    hidden_options[question.id] = hidden
                    value = applicable_value(question, value, hidden)
                    if value is None:
                        applying.pop(question.id, None)
                    else:
                        applying[question.id] = value
            if value is not None:
                facts.answers[question.id] = value
    return Visibility(
        frozenset(visible), MappingProxyType(hidden_options), MappingProxyType(applying)
    )


def applicable_value(
    question: Question, value: AnswerValue | None, hidden: frozenset[str]
) -> AnswerValue | None:
    """A checked answer without the options hidden for it; None when nothing is left."""
    if value is None or not hidden:
        return value
    if question.type is QuestionType.CHOICE:
        return None if value in hidden else value
    if question.type is QuestionType.MULTI and isinstance(value, tuple):
        kept = tuple(option for option in value if option not in hidden)
        return kept or None
    return value


def hidden_chosen(
    question: Question, value: AnswerValue | None, hidden: frozenset[str]
) -> list[str]:
    """The options of a checked answer that are hidden, in the answer's order."""
    if value is None or not hidden:
        return []
    chosen = [value] if isinstance(value, str) else list(value) if isinstance(value, tuple) else []
    return [option for option in chosen if option in hidden]
