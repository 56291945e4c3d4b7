"""Which scores of two versions of a questionnaire can be compared.

A follow-up is often answered on a newer version than the assessment before it. A change
of score between the two means progress only where the score is computed the same way in
both: a theme whose scored questions, their options and scores, their conditions and
weights are all unchanged (texts never matter); a dimension whose themes are all
comparable and weighted the same; the overall score when every dimension is. Everything
else changed with the questionnaire, and a "+9 since last time" there would be the
author's change, not the company's.

Score keys are those of the rest of the code: ``"overall"``, ``"dimension:<id>"``,
``"theme:<id>"``.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from assessor.domain.conditions import Condition
from assessor.domain.model import Question, Questionnaire

OVERALL = "overall"


def theme_key(theme_id: str) -> str:
    return f"theme:{theme_id}"


def dimension_key(dimension_id: str) -> str:
    return f"dimension:{dimension_id}"


@dataclass(frozen=True)
class Comparison:
    """What a later assessment can be compared on with an earlier one."""

    earlier_version: int
    later_version: int
    comparable: frozenset[str]  # score keys of the later questionnaire
    # The later questionnaire's dimensions and themes that cannot be compared, in its order.
    changed_dimensions: tuple[str, ...] = ()
    changed_themes: tuple[str, ...] = ()

    def allows(self, key: str) -> bool:
        return key in self.comparable

    @property
    def everything(self) -> bool:
        """Whether every score can be compared (the overall one needs all the others)."""
        return OVERALL in self.comparable

    @property
    def differs(self) -> bool:
        """Whether a reader should be told that the questionnaire changed in between: it
        has another version, or (a version reused) scores that cannot be compared."""
        return self.earlier_version != self.later_version or not self.everything


def compare(earlier: Questionnaire, later: Questionnaire) -> Comparison:
    """Which scores of ``later`` can be compared with the same scores of ``earlier``."""
    every_key = _keys(later)
    if (
        earlier.id == later.id
        and earlier.source_sha256
        and (earlier.source_sha256 == later.source_sha256)
    ):
        return Comparison(earlier.version, later.version, every_key)
    if earlier.id != later.id:
        # Another questionnaire altogether: nothing is the same score.
        return Comparison(
            earlier.version,
            later.version,
            frozenset(),
            tuple(d.id for d in later.dimensions),
            tuple(t.id for t in later.themes),
        )
    comparable: set[str] = set()
    for theme in later.themes:
        if theme.id in earlier.themes_by_id and _theme_feed(earlier, theme.id) == _theme_feed(
            later, theme.id
        ):
            comparable.add(theme_key(theme.id))
    for dimension in later.dimensions:
        before = earlier.dimensions_by_id.get(dimension.id)
        if before is None:
            continue
        weights_then = {t.id: t.weight for t in before.themes}
        weights_now = {t.id: t.weight for t in dimension.themes}
        if weights_then == weights_now and all(theme_key(t) in comparable for t in weights_now):
            comparable.add(dimension_key(dimension.id))
    same_dimensions = {d.id: d.weight for d in earlier.dimensions} == {
        d.id: d.weight for d in later.dimensions
    }
    if same_dimensions and all(dimension_key(d.id) in comparable for d in later.dimensions):
        comparable.add(OVERALL)
    return Comparison(
        earlier.version,
        later.version,
        frozenset(comparable),
        tuple(d.id for d in later.dimensions if dimension_key(d.id) not in comparable),
        tuple(t.id for t in later.themes if theme_key(t.id) not in comparable),
    )


def _keys(questionnaire: Questionnaire) -> frozenset[str]:
    return frozenset(
        [OVERALL]
        + [dimension_key(d.id) for d in questionnaire.dimensions]
        + [theme_key(t.id) for t in questionnaire.themes]
    )


def _theme_feed(questionnaire: Questionnaire, theme_id: str) -> frozenset[Hashable]:
    """Everything a theme's score is computed from, without texts: its scored questions
    with what scores them and what decides whether they are asked. A question's order or
    section does not matter, only the conditions it is asked under."""
    return frozenset(
        _question_feed(questionnaire, question)
        for question in questionnaire.questions_by_theme.get(theme_id, ())
    )


def _question_feed(questionnaire: Questionnaire, question: Question) -> Hashable:
    section = questionnaire.sections_by_id.get(question.section_id)
    conditions = (
        question.visible_if,
        section.visible_if if section is not None else None,
        *(o.visible_if for o in question.options),
    )
    return (
        question.id,
        question.type,
        question.weight,
        question.required,
        question.scoring,
        question.min,
        question.max,
        question.bands,
        tuple((o.id, o.score, o.exclusive, o.visible_if) for o in question.options),
        conditions,
        _asked_on(questionnaire, conditions),
    )


def _asked_on(
    questionnaire: Questionnaire, conditions: tuple[Condition | None, ...]
) -> frozenset[Hashable]:
    """The questions the conditions look at, as far as their answers can differ: their
    type, options and bounds, and the conditions they are asked under in turn. A condition
    on an option that has since been split, or on a question now asked of fewer
    companies, would decide differently with the same text."""
    seen: set[str] = set()
    found: set[Hashable] = set()
    waiting = [c for c in conditions if c is not None]
    while waiting:
        condition = waiting.pop()
        for question_id in condition.question_ids():
            if question_id in seen:
                continue
            seen.add(question_id)
            asked = questionnaire.questions_by_id.get(question_id)
            if asked is None:
                found.add((question_id, None))
                continue
            section = questionnaire.sections_by_id.get(asked.section_id)
            own = (asked.visible_if, section.visible_if if section is not None else None)
            found.add(
                (
                    asked.id,
                    asked.type,
                    asked.min,
                    asked.max,
                    tuple((o.id, o.exclusive, o.visible_if) for o in asked.options),
                    own,
                )
            )
            waiting.extend(c for c in own if c is not None)
    return frozenset(found)
