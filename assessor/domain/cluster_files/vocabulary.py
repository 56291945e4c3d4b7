"""What a cluster's services may name: the topics the questionnaires' actions use and
their maturity level ids. A service naming anything else could never be matched to an
action, so ``clusters validate`` (given the questionnaires) and the service form refuse it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from assessor.domain.loading.yaml_checks import YamlChecker
from assessor.domain.loading.yaml_source import YamlList, YamlMap
from assessor.domain.model import Questionnaire


@dataclass(frozen=True)
class Vocabulary:
    """The topics the questionnaires' actions use and their level ids: what a service can match."""

    topics: frozenset[str]
    levels: frozenset[str]

    @classmethod
    def of(cls, questionnaires: Iterable[Questionnaire]) -> Vocabulary:
        questionnaires = list(questionnaires)
        return cls(
            frozenset(t for q in questionnaires for a in q.actions for t in a.topics),
            frozenset(level.id for q in questionnaires for level in q.levels),
        )


def check_vocabulary(checker: YamlChecker, root: YamlMap, vocabulary: Vocabulary) -> None:
    services = root.get("services")
    if not isinstance(services, YamlList):
        return
    for service in services:
        if not isinstance(service, YamlMap):
            continue
        where = f"service {service.get('id', '?')!s}"
        for key, known, kind in (
            ("topics", vocabulary.topics, "topic no questionnaire action uses"),
            ("levels", vocabulary.levels, "level no questionnaire defines"),
        ):
            items = service.get(key)
            if not isinstance(items, YamlList):
                continue
            for index, value in enumerate(items):
                if isinstance(value, str) and value not in known:
                    close = difflib.get_close_matches(value, sorted(known), n=1)
                    hint = f"; did you mean {close[0]!r}?" if close else ""
                    checker.error(
                        items.line_of_item(index), f"{where}: {value!r} is a {kind}{hint}"
                    )
