"""The actions of a questionnaire: when each applies, its horizon, topics, references,
deadline, and the practices it addresses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assessor.domain.loading.conditions import ConditionReader
from assessor.domain.loading.yaml_checks import NodeKeys, describe
from assessor.domain.loading.yaml_source import YamlList, YamlMap
from assessor.domain.model import (
    Action,
    Addressed,
    Deadline,
    Dimension,
    Horizon,
    Month,
    Question,
    QuestionType,
    Reference,
    Theme,
)

ACTION_KEYS = NodeKeys(
    ("id", "title", "when"),
    ("text", "horizon", "topics", "references", "deadline", "addresses"),
)
DEADLINE_KEYS = NodeKeys(("month",), ("applies_if",))
ADDRESSED_OPTIONS_KEYS = NodeKeys(("question", "options"))


class ActionReader(ConditionReader):
    """Reads the actions, whose conditions may name questions, themes and dimensions."""

    def actions(
        self,
        root: YamlMap,
        questions: Mapping[str, Question],
        themes: Mapping[str, Theme],
        dimensions: Mapping[str, Dimension],
        references: Mapping[str, Reference],
    ) -> tuple[Action, ...]:
        actions: list[Action] = []
        seen: dict[str, int] = {}
        items = self.sequence(root, "actions", "questionnaire", non_empty=False)
        all_ids = set(questions)
        for index, line, node in self.entries(items, "action"):
            action_id = self.identifier(node, "id", f"action {index + 1}")
            where = f"action {action_id or index + 1}"
            self.check_keys(node, where, *ACTION_KEYS)
            self.unique(seen, action_id, line, "action")
            title = self.text(node, "title", where)
            text = self.text(node, "text", where)
            when = self.condition_at(
                node, "when", where, questions, all_ids, themes=themes, dimensions=dimensions
            )
            horizon = Horizon.MEDIUM
            if "horizon" in node:
                try:
                    horizon = Horizon(node["horizon"])
                except ValueError:
                    self.error(
                        node.line_of_value("horizon"),
                        f"{where}: 'horizon' must be short, medium or long, found {describe(node['horizon'])}",
                    )
            topics = self.id_list(node, "topics", where)
            refs = self.id_list(node, "references", where)
            for ref in refs:
                if ref not in references:
                    self.error(
                        node.line_of_value("references"), f"{where}: unknown reference {ref!r}"
                    )
            deadline = self.deadline(node, where, questions, all_ids)
            addresses = self.addresses(node, where, questions)
            if action_id and title and when is not None:
                actions.append(
                    Action(
                        action_id,
                        title,
                        when,
                        horizon,
                        text,
                        topics,
                        refs,
                        deadline,
                        addresses=addresses,
                        line=line,
                        topic_lines=_item_lines(node, "topics", len(topics)),
                    )
                )
        return tuple(actions)

    def deadline(
        self,
        action: YamlMap,
        where: str,
        questions: Mapping[str, Question],
        all_ids: set[str],
    ) -> Deadline | None:
        """``deadline: {month: YYYY-MM, applies_if: COND}``: any month (a duty may lie
        ahead or already apply); ``applies_if`` a question condition on any question of the
        file, as in ``when`` (scores say how far behind a company is, not whom a rule binds)."""
        if "deadline" not in action:
            return None
        where = f"{where}, deadline"
        node = self.mapping(action["deadline"], action.line_of_value("deadline"), where)
        if node is None:
            return None
        self.check_keys(node, where, *DEADLINE_KEYS)
        if "month" not in node:
            return None  # check_keys said it is missing
        value = node["month"]
        month = Month.parse(value) if isinstance(value, str) else None
        if month is None:
            self.error(
                node.line_of_value("month"),
                f"{where}: 'month' must be a month written YYYY-MM (for example 2027-07), "
                f"found {describe(value)}",
            )
        applies_if = self.condition_at(node, "applies_if", where, questions, all_ids)
        if month is None or ("applies_if" in node and applies_if is None):
            return None
        return Deadline(month, applies_if)

    def addresses(
        self, node: YamlMap, where: str, questions: Mapping[str, Question]
    ) -> tuple[Addressed, ...]:
        """``addresses``: question ids (not profile questions), or ``{question, options}`` of a
        multi question."""
        items = self.sequence(node, "addresses", where)
        addressed: list[Addressed] = []
        seen: dict[tuple[str, str | None], int] = {}
        for index, item in enumerate(items):
            line = items.line_of_item(index)
            item_where = f"{where}, addresses item {index + 1}"
            read = self.addressed(item, line, item_where, questions)
            if read is None:
                continue
            keys: list[tuple[str, str | None]] = (
                [(read.question, option) for option in read.options]
                if read.options
                else [(read.question, None)]
            )
            fresh = True
            for key in keys:
                if key in seen:
                    what = f"option {key[1]!r} of {key[0]!r}" if key[1] else f"{key[0]!r}"
                    self.error(
                        line, f"{item_where}: {what} is already addressed (on line {seen[key]})"
                    )
                    fresh = False
                else:
                    seen[key] = line
            if fresh:
                addressed.append(read)
        return tuple(addressed)

    def addressed(
        self, item: Any, line: int, where: str, questions: Mapping[str, Question]
    ) -> Addressed | None:
        if isinstance(item, str):
            return Addressed(item) if self.addressable(item, line, where, questions) else None
        if not isinstance(item, YamlMap):
            self.error(
                line,
                f"{where}: expected a question id or {{question: Q, options: [...]}}, found {describe(item)}",
            )
            return None
        node = item
        self.check_keys(node, where, *ADDRESSED_OPTIONS_KEYS)
        question_id = node.get("question")
        if "question" not in node:
            return None
        if not isinstance(question_id, str):
            self.error(
                node.line_of_value("question"),
                f"{where}: 'question' must be a question id, found {describe(question_id)}",
            )
            return None
        if not self.addressable(question_id, node.line_of_value("question"), where, questions):
            return None
        question = questions[question_id]
        if question.type is not QuestionType.MULTI:
            self.error(
                node.line_of_key("options"),
                f"{where}: 'options' needs a multi question; {question_id!r} is {question.type.value}",
            )
            return None
        options = self.id_list(node, "options", where, required=True)
        unknown = [o for o in options if o not in question.options_by_id]
        for option in unknown:
            self.error(
                node.line_of_value("options"),
                f"{where}: question {question_id!r} has no option {option!r}",
            )
        doubled = sorted({o for o in options if options.count(o) > 1})
        for option in doubled:
            self.error(node.line_of_value("options"), f"{where}: option {option!r} is listed twice")
        if unknown or doubled or not options:
            return None
        return Addressed(question_id, options)

    def addressable(
        self, question_id: str, line: int, where: str, questions: Mapping[str, Question]
    ) -> bool:
        question = questions.get(question_id)
        if question is None:
            self.error(line, f"{where}: unknown question {question_id!r}")
            return False
        if question.profile is not None:
            self.error(
                line,
                f"{where}: question {question_id!r} describes the company (profile "
                f"{question.profile!r}); an action addresses practices",
            )
            return False
        return True


def _item_lines(node: YamlMap, key: str, count: int) -> tuple[int, ...]:
    """The line of each of the ``count`` items of the list under ``key`` (all valid: the
    action is only built then)."""
    items = node.get(key)
    if not isinstance(items, YamlList):
        return (node.line_of_value(key),) * count
    return tuple(items.line_of_item(index) for index in range(count))
