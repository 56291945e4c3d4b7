"""Action topics that no service of a cluster uses: the warnings an author gets before a
misspelt topic leaves an action without services.

An action finds services by its topics (planning.match_services): a service must cover the
action's **main topic** (the first), and every other topic it shares ranks it higher. A
topic that no service of the cluster (nor of the network catalogue) uses is therefore
either a typo or a topic the catalogue does not offer yet; the check cannot tell which, so
it warns and does not fail, and names the closest known topic.

Pure: the known topics are a parameter (services.action_services.known_topics reads them
from a cluster's catalogue and the network's).
"""

from __future__ import annotations

import difflib
from collections.abc import Collection
from dataclasses import dataclass

from assessor.domain.model import Questionnaire

# How alike a known topic must be to be offered (difflib's ratio): "data-shareing" is 0.96
# like "data-sharing", "training" 0.73 like "training-green"; "refrigerants" is like none.
SUGGESTION_CUTOFF = 0.7


@dataclass(frozen=True, order=True)
class TopicWarning:
    """An action topic no service uses; printed ``PATH:LINE: warning: message``."""

    path: str
    line: int
    action_id: str
    topic: str
    is_main_topic: bool
    suggestion: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: warning: {self.message}"


def unknown_topic_warnings(
    questionnaire: Questionnaire, known_topics: Collection[str], catalogues: str
) -> tuple[TopicWarning, ...]:
    """One warning per action topic outside ``known_topics``, in file order.

    ``catalogues`` names where the known topics come from, for the message ("the services
    of Rhine-Scheldt Logistics or the network catalogue")."""
    known = sorted(set(known_topics))
    warnings: list[TopicWarning] = []
    for action in questionnaire.actions:
        for index, topic in enumerate(action.topics):
            if topic in known:
                continue
            line = action.topic_lines[index] if index < len(action.topic_lines) else action.line
            close = difflib.get_close_matches(topic, known, n=1, cutoff=SUGGESTION_CUTOFF)
            suggestion = close[0] if close else None
            effect = (
                "it is the action's main topic (the first), so the action gets no service"
                if index == 0
                else "it adds nothing to the action's services"
            )
            hint = f"; did you mean {suggestion!r}?" if suggestion else ""
            warnings.append(
                TopicWarning(
                    questionnaire.source_path,
                    max(line, 1),
                    action.id,
                    topic,
                    index == 0,
                    suggestion,
                    f"action {action.id}: no service of {catalogues} has the topic "
                    f"{topic!r}: {effect}{hint}",
                )
            )
    return tuple(warnings)
