"""Check raw answers against a questionnaire and normalise them.

Raw answers come from JSON, forms or storage as ``{question_id: value}``.
Every answer is checked against its question whether or not the question ends
up visible; hidden answers are only ignored later, by scoring. An answer to a visible
question that names an option hidden for these answers (an option's ``visible_if``) is
refused too, except in answers stored before an earlier answer changed, which scoring
reads as they apply.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from assessor.domain.conditions import AnswerValue
from assessor.domain.model import Question, Questionnaire, QuestionType
from assessor.domain.numbers import is_number
from assessor.domain.visibility import hidden_chosen, visibility

__all__ = [
    "AnswerProblem",
    "AnswerValue",
    "InvalidAnswers",
    "check_answer",
    "check_answers",
    "hidden_option_problems",
]


@dataclass(frozen=True)
class AnswerProblem:
    question_id: str
    message: str

    def __str__(self) -> str:
        return f"question {self.question_id}: {self.message}"


class InvalidAnswers(ValueError):
    """Raised by callers that were handed answers with problems."""

    def __init__(self, problems: list[AnswerProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def check_answers(
    questionnaire: Questionnaire,
    answers: Mapping[str, object],
    *,
    allow_hidden_options: bool = False,
) -> tuple[dict[str, AnswerValue], list[AnswerProblem]]:
    """Normalised answers (unanswered ones dropped) and one problem per bad answer.

    ``allow_hidden_options``: keep answers naming options hidden for these answers (stored
    answers, which scoring reads as they apply) instead of refusing them.
    """
    normalised: dict[str, AnswerValue] = {}
    problems: list[AnswerProblem] = []
    questions = questionnaire.questions_by_id
    for question_id, raw in answers.items():
        question = questions.get(question_id)
        if question is None:
            problems.append(
                AnswerProblem(str(question_id), "no such question in this questionnaire")
            )
            continue
        value, message = check_answer(question, raw)
        if message is not None:
            problems.append(AnswerProblem(question_id, message))
        elif value is not None:
            normalised[question_id] = value
    if not allow_hidden_options and not problems:
        problems.extend(hidden_option_problems(questionnaire, normalised))
    return normalised, problems


def hidden_option_problems(
    questionnaire: Questionnaire, answers: Mapping[str, AnswerValue]
) -> list[AnswerProblem]:
    """One problem per answer of a visible question naming an option hidden for these
    answers (a hidden question's answer is ignored, not refused)."""
    seen = visibility(questionnaire, answers)
    problems: list[AnswerProblem] = []
    for question_id, hidden in seen.hidden_options.items():
        question = questionnaire.questions_by_id[question_id]
        for option in hidden_chosen(question, answers.get(question_id), hidden):
            problems.append(
                AnswerProblem(question_id, f"option {option!r} does not apply to these answers")
            )
    return problems


def check_answer(question: Question, raw: object) -> tuple[AnswerValue | None, str | None]:
    """(normalised value or None when unanswered, problem message or None)."""
    if raw is None:
        return None, None
    match question.type:
        case QuestionType.CHOICE:
            return _choice(question, raw)
        case QuestionType.MULTI:
            return _multi(question, raw)
        case QuestionType.SCALE:
            return _scale(question, raw)
        case QuestionType.NUMBER:
            return _number(question, raw)
        case QuestionType.TEXT:
            return _text(question, raw)
    return None, "unsupported question type"  # pragma: no cover


def _option_list(question: Question) -> str:
    return ", ".join(option.id for option in question.options)


def _choice(question: Question, raw: object) -> tuple[AnswerValue | None, str | None]:
    if isinstance(raw, (list, tuple)):
        if len(raw) > 1:
            return None, f"only one option may be chosen, got {len(raw)}"
        return None, "expects one option id, not a list"
    if not isinstance(raw, str):
        return None, f"expects an option id (one of: {_option_list(question)}), got {_kind(raw)}"
    if raw not in question.options_by_id:
        return None, f"{raw!r} is not an option (expected one of: {_option_list(question)})"
    return raw, None


def _multi(question: Question, raw: object) -> tuple[AnswerValue | None, str | None]:
    if not isinstance(raw, (list, tuple)):
        return None, f"expects a list of option ids, got {_kind(raw)}"
    if not raw:
        return None, None
    chosen: list[str] = []
    for item in raw:
        if not isinstance(item, str):
            return None, f"expects option ids, got {_kind(item)} in the list"
        if item not in question.options_by_id:
            return None, f"{item!r} is not an option (expected some of: {_option_list(question)})"
        if item in chosen:
            return None, f"option {item!r} is chosen twice"
        chosen.append(item)
    exclusive = [o for o in chosen if question.options_by_id[o].exclusive]
    if exclusive and len(chosen) > 1:
        return None, f"option {exclusive[0]!r} excludes every other option"
    # Keep the questionnaire's option order so equal selections compare equal.
    order = {option.id: index for index, option in enumerate(question.options)}
    return tuple(sorted(chosen, key=order.__getitem__)), None


def _scale(question: Question, raw: object) -> tuple[AnswerValue | None, str | None]:
    if not is_number(raw) or (isinstance(raw, float) and not raw.is_integer()):
        return (
            None,
            f"expects a whole number from {question.min:g} to {question.max:g}, got {_kind(raw)}",
        )
    value = int(raw)
    if (
        question.min is not None
        and question.max is not None
        and not question.min <= value <= question.max
    ):
        return None, f"{value} is outside the scale {question.min:g} to {question.max:g}"
    return value, None


def _number(question: Question, raw: object) -> tuple[AnswerValue | None, str | None]:
    if not is_number(raw):
        return None, f"expects a number, got {_kind(raw)}"
    value = raw  # an int stays an int: 12 is shown as 12, not 12.0
    if question.min is not None and value < question.min:
        return None, f"{value} is below the minimum {question.min:g}"
    if question.max is not None and value > question.max:
        return None, f"{value} is above the maximum {question.max:g}"
    return value, None


def _text(question: Question, raw: object) -> tuple[AnswerValue | None, str | None]:
    if not isinstance(raw, str):
        return None, f"expects text, got {_kind(raw)}"
    if len(raw) > question.max_length:
        return None, f"text is {len(raw)} characters long; at most {question.max_length} allowed"
    if not raw.strip():
        return None, None
    return raw, None


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return f"text {value!r}"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
