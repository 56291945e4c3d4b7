"""Visibility and scores: question, theme, dimension and overall, with levels.

The rules are those of docs/questionnaire-format.md. Scores are kept
unrounded; only presentation rounds them. Which questions and options are asked is
decided by :mod:`assessor.domain.visibility`; scoring only sees the answers as they apply.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from assessor.domain.answers import InvalidAnswers, check_answers
from assessor.domain.conditions import AnswerValue, ScoreTarget
from assessor.domain.model import (
    Dimension,
    Level,
    MultiScoring,
    Question,
    Questionnaire,
    QuestionType,
    Section,
    Theme,
)
from assessor.domain.visibility import NO_OPTIONS, visibility


@dataclass(frozen=True)
class ThemeResult:
    theme: Theme
    score: float | None
    level: Level | None


@dataclass(frozen=True)
class DimensionResult:
    dimension: Dimension
    score: float | None
    level: Level | None
    themes: tuple[ThemeResult, ...]


@dataclass(frozen=True)
class Result:
    """Everything scoring knows about one set of answers; also the facts for actions."""

    questionnaire: Questionnaire
    answers: Mapping[str, AnswerValue]
    visible: frozenset[str]
    question_scores: Mapping[str, float]
    dimensions: tuple[DimensionResult, ...]
    score: float | None
    level: Level | None
    missing: tuple[str, ...]
    # Visible questions' options hidden for these answers (only questions that have some).
    hidden_options: Mapping[str, frozenset[str]] = field(
        default_factory=lambda: MappingProxyType({})
    )

    def hidden_options_of(self, question_id: str) -> frozenset[str]:
        return self.hidden_options.get(question_id, NO_OPTIONS)

    def visible_answer(self, question_id: str) -> AnswerValue | None:
        return self.answers.get(question_id) if question_id in self.visible else None

    def theme(self, theme_id: str) -> ThemeResult:
        return next(t for d in self.dimensions for t in d.themes if t.theme.id == theme_id)

    def dimension(self, dimension_id: str) -> DimensionResult:
        return next(d for d in self.dimensions if d.dimension.id == dimension_id)

    def score_of(self, kind: ScoreTarget, target_id: str) -> float | None:
        if kind is ScoreTarget.THEME:
            return self.theme(target_id).score
        return self.dimension(target_id).score


def visible_questions(
    questionnaire: Questionnaire, answers: Mapping[str, AnswerValue]
) -> frozenset[str]:
    """Ids of the questions that are asked, given these answers."""
    return visibility(questionnaire, answers).questions


def visible_sections(
    questionnaire: Questionnaire, answers: Mapping[str, AnswerValue]
) -> tuple[Section, ...]:
    """The sections (pages) with at least one visible question, in order."""
    return sections_showing(questionnaire, visible_questions(questionnaire, answers))


def sections_showing(questionnaire: Questionnaire, visible: frozenset[str]) -> tuple[Section, ...]:
    """The sections with at least one of the ``visible`` questions, in order."""
    return tuple(s for s in questionnaire.sections if any(q.id in visible for q in s.questions))


def question_score(
    question: Question, value: AnswerValue | None, hidden: frozenset[str] = NO_OPTIONS
) -> float | None:
    """The 0..100 score of one answer, or None when it gives no score.

    ``hidden``: the question's options hidden for this company; the answer must not name
    them (see :func:`assessor.domain.visibility.applicable_value`). They leave the
    denominator of ``share`` scoring.
    """
    if value is None or not question.is_scored:
        return None
    match question.type:
        # The value is a checked answer (answers.check_answer), of the question's type.
        case QuestionType.CHOICE:
            assert isinstance(value, str)
            return question.options_by_id[value].score
        case QuestionType.MULTI:
            assert isinstance(value, tuple)
            return _multi_score(question, value, hidden)
        case QuestionType.SCALE:
            low, high = question.min, question.max
            assert isinstance(value, (int, float))
            assert low is not None  # the loader requires both bounds of a scale
            assert high is not None
            return 100.0 * (value - low) / (high - low)
        case QuestionType.NUMBER:
            assert isinstance(value, (int, float))
            for band in question.bands:
                if band.up_to is None or value <= band.up_to:
                    return band.score
            return None  # pragma: no cover - the loader requires an open last band
    return None


def _multi_score(
    question: Question, chosen: tuple[str, ...], hidden: frozenset[str]
) -> float | None:
    if not chosen:
        return None
    options = [question.options_by_id[o] for o in chosen]
    if question.scoring is MultiScoring.SHARE:
        scored = [
            o
            for o in question.options
            if not o.exclusive and o.score is not None and o.id not in hidden
        ]
        if not scored:
            return None
        hits = sum(1 for o in options if not o.exclusive and o.score is not None)
        return 100.0 * hits / len(scored)
    scores = [o.score for o in options if o.score is not None]
    if not scores:
        return None
    if question.scoring is MultiScoring.MAX:
        return max(scores)
    return min(100.0, math.fsum(scores))


def top_score(question: Question, hidden: frozenset[str] = NO_OPTIONS) -> float | None:
    """The highest score the question can give a company for which ``hidden`` options are
    not offered: 100 for a scale and ``share`` scoring, the best band of a number, the best
    visible option of a choice or ``max`` multi, the visible options' sum (at most 100) for
    ``sum``; None when it can give no score at all."""
    if not question.is_scored:
        return None
    match question.type:
        case QuestionType.SCALE:
            return 100.0
        case QuestionType.NUMBER:
            return max((b.score for b in question.bands if b.score is not None), default=None)
    scores = [o.score for o in question.options if o.id not in hidden and o.score is not None]
    if not scores:
        return None
    if question.type is QuestionType.MULTI:
        if question.scoring is MultiScoring.SHARE:
            combinable = [
                o
                for o in question.options
                if not o.exclusive and o.id not in hidden and o.score is not None
            ]
            return 100.0 if combinable else None
        if question.scoring is MultiScoring.SUM:
            together = math.fsum(
                o.score
                for o in question.options
                if not o.exclusive and o.id not in hidden and o.score is not None
            )
            return min(100.0, max(together, max(scores)))
    return max(scores)


def weighted_mean(pairs: Iterable[tuple[float | None, float]]) -> float | None:
    """Mean of the scores that exist, weighted; None when none exists."""
    present = [(score, weight) for score, weight in pairs if score is not None]
    if not present:
        return None
    total = math.fsum(weight for _, weight in present)
    mean = math.fsum(score * weight for score, weight in present) / total
    # Dividing can land a hair outside the scores' range (100.00000000000001): stay inside.
    low = min(score for score, _ in present)
    high = max(score for score, _ in present)
    return min(high, max(low, mean))


def evaluate(questionnaire: Questionnaire, answers: Mapping[str, AnswerValue]) -> Result:
    """Score answers that :func:`check_answers` has already normalised.

    An answer naming an option hidden for these answers is scored as it applies (see
    :mod:`assessor.domain.visibility`): stored answers may predate a changed earlier answer.
    """
    seen = visibility(questionnaire, answers)
    visible = seen.questions
    answers = seen.answers
    question_scores: dict[str, float] = {}
    for question in questionnaire.questions:
        if question.id in visible:
            score = question_score(
                question, answers.get(question.id), seen.hidden_options_of(question.id)
            )
            if score is not None:
                question_scores[question.id] = score

    dimensions: list[DimensionResult] = []
    for dimension in questionnaire.dimensions:
        themes: list[ThemeResult] = []
        for theme in dimension.themes:
            score = weighted_mean(
                (question_scores.get(q.id), q.weight)
                for q in questionnaire.questions_by_theme[theme.id]
            )
            themes.append(ThemeResult(theme, score, questionnaire.level_for(score)))
        score = weighted_mean((t.score, t.theme.weight) for t in themes)
        dimensions.append(
            DimensionResult(dimension, score, questionnaire.level_for(score), tuple(themes))
        )
    overall = weighted_mean((d.score, d.dimension.weight) for d in dimensions)
    missing = tuple(
        q.id
        for q in questionnaire.questions
        if q.required and q.id in visible and q.id not in answers
    )
    return Result(
        questionnaire=questionnaire,
        answers=MappingProxyType(dict(answers)),
        visible=visible,
        question_scores=MappingProxyType(question_scores),
        dimensions=tuple(dimensions),
        score=overall,
        level=questionnaire.level_for(overall),
        missing=missing,
        hidden_options=seen.hidden_options,
    )


def score_answers(questionnaire: Questionnaire, raw_answers: Mapping[str, object]) -> Result:
    """Check raw answers, then score them; raises :class:`InvalidAnswers`."""
    answers, problems = check_answers(questionnaire, raw_answers)
    if problems:
        raise InvalidAnswers(problems)
    return evaluate(questionnaire, answers)
