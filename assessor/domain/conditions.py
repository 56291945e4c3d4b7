"""Structured conditions (``visible_if`` and actions' ``when``), never code.

A condition on a question is false when that question is hidden or has no
answer; ``all``, ``any`` and ``not`` then combine truth values as usual, so
``{not: {question: q, equals: x}}`` holds while ``q`` is unanswered.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from assessor.domain.numbers import SCORE_TOLERANCE, is_number

# What a validated answer can be: an option id, option ids, a number or text.
AnswerValue = str | int | float | tuple[str, ...]


class Facts(Protocol):
    """What a condition may look at."""

    def visible_answer(self, question_id: str) -> AnswerValue | None:
        """The answer if the question is visible and answered, else None."""
        ...

    def score_of(self, kind: ScoreTarget, target_id: str) -> float | None: ...


class QuestionOperator(StrEnum):
    EQUALS = "equals"
    IN = "in"
    INCLUDES = "includes"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"


class ScoreTarget(StrEnum):
    THEME = "theme"
    DIMENSION = "dimension"


class ScoreOperator(StrEnum):
    BELOW = "below"
    AT_LEAST = "at_least"


@dataclass(frozen=True)
class QuestionCondition:
    question: str
    operator: QuestionOperator
    value: str | float | tuple[str, ...]

    def holds(self, facts: Facts) -> bool:
        answer = facts.visible_answer(self.question)
        if answer is None:
            return False
        match self.operator:
            case QuestionOperator.EQUALS:
                return answer == self.value
            case QuestionOperator.IN:
                assert isinstance(self.value, tuple)
                return answer in self.value
            case QuestionOperator.INCLUDES:
                return isinstance(answer, (list, tuple)) and self.value in answer
            case QuestionOperator.AT_LEAST:
                assert isinstance(self.value, (int, float))
                return is_number(answer) and answer >= self.value
            case QuestionOperator.AT_MOST:
                assert isinstance(self.value, (int, float))
                return is_number(answer) and answer <= self.value
        return False  # pragma: no cover - every operator is matched above

    def question_ids(self) -> Iterator[str]:
        yield self.question


@dataclass(frozen=True)
class ScoreCondition:
    """``{theme: T, below: N}`` and friends: only allowed in actions."""

    target: ScoreTarget
    target_id: str
    operator: ScoreOperator
    threshold: float

    def holds(self, facts: Facts) -> bool:
        score = facts.score_of(self.target, self.target_id)
        if score is None:
            return False
        if self.operator is ScoreOperator.BELOW:
            return score < self.threshold - SCORE_TOLERANCE
        return score >= self.threshold - SCORE_TOLERANCE

    def question_ids(self) -> Iterator[str]:
        yield from ()


@dataclass(frozen=True)
class AllOf:
    conditions: tuple[Condition, ...]

    def holds(self, facts: Facts) -> bool:
        return all(c.holds(facts) for c in self.conditions)

    def question_ids(self) -> Iterator[str]:
        for condition in self.conditions:
            yield from condition.question_ids()


@dataclass(frozen=True)
class AnyOf:
    conditions: tuple[Condition, ...]

    def holds(self, facts: Facts) -> bool:
        return any(c.holds(facts) for c in self.conditions)

    def question_ids(self) -> Iterator[str]:
        for condition in self.conditions:
            yield from condition.question_ids()


@dataclass(frozen=True)
class Not:
    condition: Condition

    def holds(self, facts: Facts) -> bool:
        return not self.condition.holds(facts)

    def question_ids(self) -> Iterator[str]:
        yield from self.condition.question_ids()


Condition = QuestionCondition | ScoreCondition | AllOf | AnyOf | Not


def to_mapping(condition: Condition | None) -> dict[str, object] | None:
    """The condition in its YAML form, e.g. for the browser to evaluate it too."""
    if condition is None:
        return None
    if isinstance(condition, QuestionCondition):
        value = list(condition.value) if isinstance(condition.value, tuple) else condition.value
        return {"question": condition.question, condition.operator.value: value}
    if isinstance(condition, ScoreCondition):
        return {
            condition.target.value: condition.target_id,
            condition.operator.value: condition.threshold,
        }
    if isinstance(condition, AllOf):
        return {"all": [to_mapping(c) for c in condition.conditions]}
    if isinstance(condition, AnyOf):
        return {"any": [to_mapping(c) for c in condition.conditions]}
    return {"not": to_mapping(condition.condition)}
