"""The actions of a questionnaire: when each applies, its horizon, topics and references."""

from __future__ import annotations

from collections.abc import Mapping

from assessor.domain.loading.conditions import ConditionReader
from assessor.domain.loading.yaml_checks import NodeKeys, describe
from assessor.domain.loading.yaml_source import YamlMap
from assessor.domain.model import Action, Dimension, Horizon, Question, Reference, Theme

ACTION_KEYS = NodeKeys(("id", "title", "when"), ("text", "horizon", "topics", "references"))


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
            if action_id and title and when is not None:
                actions.append(Action(action_id, title, when, horizon, text, topics, refs))
        return tuple(actions)
