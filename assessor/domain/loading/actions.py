"""The actions of a questionnaire: when each applies, its horizon, topics, references and
deadline."""

from __future__ import annotations

from collections.abc import Mapping

from assessor.domain.loading.conditions import ConditionReader
from assessor.domain.loading.yaml_checks import NodeKeys, describe
from assessor.domain.loading.yaml_source import YamlMap
from assessor.domain.model import (
    Action,
    Deadline,
    Dimension,
    Horizon,
    Month,
    Question,
    Reference,
    Theme,
)

ACTION_KEYS = NodeKeys(
    ("id", "title", "when"), ("text", "horizon", "topics", "references", "deadline")
)
DEADLINE_KEYS = NodeKeys(("month",), ("applies_if",))


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
            if action_id and title and when is not None:
                actions.append(
                    Action(action_id, title, when, horizon, text, topics, refs, deadline)
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
