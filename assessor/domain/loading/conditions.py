"""The condition grammar of a questionnaire: ``visible_if`` and an action's ``when``.

Question conditions may only name earlier questions, with an operator that suits the
question's type; theme and dimension conditions are allowed in actions only. An option's
``visible_if`` may not look at its own question (``itself``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assessor.domain.conditions import (
    AllOf,
    AnyOf,
    Condition,
    Not,
    QuestionCondition,
    QuestionOperator,
    ScoreCondition,
    ScoreOperator,
    ScoreTarget,
)
from assessor.domain.loading.yaml_checks import YamlChecker, describe
from assessor.domain.loading.yaml_source import YamlMap
from assessor.domain.model import Dimension, Question, QuestionType, Theme
from assessor.domain.numbers import is_number

QUESTION_OPERATORS: Mapping[str, frozenset[QuestionType]] = {
    "equals": frozenset({QuestionType.CHOICE}),
    "in": frozenset({QuestionType.CHOICE}),
    "includes": frozenset({QuestionType.MULTI}),
    "at_least": frozenset({QuestionType.NUMBER, QuestionType.SCALE}),
    "at_most": frozenset({QuestionType.NUMBER, QuestionType.SCALE}),
}
SCORE_OPERATORS = ("below", "at_least")


class ConditionReader(YamlChecker):
    """Reads conditions, checking what they refer to."""

    def condition_at(
        self,
        node: YamlMap,
        key: str,
        where: str,
        earlier: Mapping[str, Question],
        all_question_ids: set[str],
        *,
        themes: Mapping[str, Theme] | None = None,
        dimensions: Mapping[str, Dimension] | None = None,
        itself: str | None = None,
    ) -> Condition | None:
        if key not in node:
            return None
        return self.condition(
            node[key],
            node.line_of_value(key),
            f"{where}, {key}",
            earlier,
            all_question_ids,
            themes,
            dimensions,
            itself,
        )

    def condition(
        self,
        value: Any,
        line: int,
        where: str,
        earlier: Mapping[str, Question],
        all_question_ids: set[str],
        themes: Mapping[str, Theme] | None,
        dimensions: Mapping[str, Dimension] | None,
        itself: str | None = None,
    ) -> Condition | None:
        node = self.mapping(value, line, where)
        if node is None:
            return None
        line = node.line

        def nested(child: Any, child_line: int) -> Condition | None:
            return self.condition(
                child, child_line, where, earlier, all_question_ids, themes, dimensions, itself
            )

        if "all" in node or "any" in node:
            key = "all" if "all" in node else "any"
            self.check_keys(node, where, (key,))
            items = self.sequence(node, key, where)
            children = [nested(child, items.line_of_item(i)) for i, child in enumerate(items)]
            read = tuple(child for child in children if child is not None)
            if not items or len(read) != len(children):
                return None
            return (AllOf if key == "all" else AnyOf)(read)
        if "not" in node:
            self.check_keys(node, where, ("not",))
            child = nested(node["not"], node.line_of_value("not"))
            return Not(child) if child is not None else None
        if "question" in node:
            return self.question_condition(node, where, earlier, all_question_ids, itself)
        if "theme" in node or "dimension" in node:
            if themes is None or dimensions is None:
                self.error(
                    line,
                    f"{where}: theme and dimension conditions are only allowed in an action's 'when'",
                )
                return None
            return self.score_condition(node, where, themes, dimensions)
        self.error(
            line,
            f"{where}: unknown condition; expected question, theme, dimension, all, any or not",
        )
        return None

    def question_condition(
        self,
        node: YamlMap,
        where: str,
        earlier: Mapping[str, Question],
        all_question_ids: set[str],
        itself: str | None = None,
    ) -> Condition | None:
        operators = [key for key in node if key in QUESTION_OPERATORS]
        self.check_keys(node, where, ("question",), QUESTION_OPERATORS)
        if len(operators) != 1:
            names = ", ".join(QUESTION_OPERATORS)
            self.error(node.line, f"{where}: a question condition needs exactly one of {names}")
            return None
        operator = operators[0]
        ref = node["question"]
        ref_line = node.line_of_value("question")
        if not isinstance(ref, str):
            self.error(
                ref_line, f"{where}: 'question' must be a question id, found {describe(ref)}"
            )
            return None
        question = earlier.get(ref)
        if question is None:
            if ref == itself:
                self.error(
                    ref_line,
                    f"{where}: an option's condition may not look at its own question {ref!r} (only at earlier questions)",
                )
            elif ref in all_question_ids:
                self.error(
                    ref_line,
                    f"{where}: question {ref!r} comes later in the file (conditions may only refer to earlier questions)",
                )
            else:
                self.error(ref_line, f"{where}: unknown question {ref!r}")
            return None
        if question.type not in QUESTION_OPERATORS[operator]:
            kinds = " or ".join(sorted(t.value for t in QUESTION_OPERATORS[operator]))
            self.error(
                node.line_of_key(operator),
                f"{where}: {operator!r} needs a {kinds} question; {ref!r} is {question.type.value}",
            )
            return None
        value = node[operator]
        value_line = node.line_of_value(operator)
        if operator in ("at_least", "at_most"):
            if not is_number(value):
                self.error(
                    value_line, f"{where}: {operator!r} must be a number, found {describe(value)}"
                )
                return None
            return QuestionCondition(ref, QuestionOperator(operator), value)
        wanted = list(value) if operator == "in" and isinstance(value, list) else [value]
        if operator == "in" and (not isinstance(value, list) or not value):
            self.error(value_line, f"{where}: 'in' must be a non-empty list of option ids")
            return None
        unknown = [v for v in wanted if not isinstance(v, str) or v not in question.options_by_id]
        for option in unknown:
            self.error(value_line, f"{where}: question {ref!r} has no option {describe(option)}")
        if unknown:
            return None
        stored: str | tuple[str, ...] = tuple(wanted) if operator == "in" else wanted[0]
        return QuestionCondition(ref, QuestionOperator(operator), stored)

    def score_condition(
        self,
        node: YamlMap,
        where: str,
        themes: Mapping[str, Theme],
        dimensions: Mapping[str, Dimension],
    ) -> Condition | None:
        target = ScoreTarget.THEME if "theme" in node else ScoreTarget.DIMENSION
        self.check_keys(node, where, (target.value,), SCORE_OPERATORS)
        operators = [key for key in node if key in SCORE_OPERATORS]
        if len(operators) != 1:
            self.error(
                node.line,
                f"{where}: a {target.value} condition needs exactly one of below, at_least",
            )
            return None
        target_id = node[target.value]
        known = themes if target is ScoreTarget.THEME else dimensions
        if not isinstance(target_id, str) or target_id not in known:
            self.error(
                node.line_of_value(target.value),
                f"{where}: unknown {target.value} {describe(target_id)}",
            )
            return None
        threshold = self.number(node, operators[0], where, low=0, high=100)
        if threshold is None:
            return None
        return ScoreCondition(target, target_id, ScoreOperator(operators[0]), float(threshold))
