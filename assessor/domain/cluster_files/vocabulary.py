"""What a cluster's services may name: the topics the questionnaires' actions use and
their maturity level ids. A service naming anything else could never be matched to an
action, so ``clusters validate`` (given the questionnaires) and the service form refuse it.
Likewise the questionnaires a cluster offers must exist.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from assessor.domain.loading.yaml_checks import YamlChecker
from assessor.domain.loading.yaml_source import YamlList, YamlMap
from assessor.domain.model import Questionnaire


@dataclass(frozen=True)
class Vocabulary:
    """The topics the questionnaires' actions use and their level ids: what a service can match."""

    topics: frozenset[str]
    levels: frozenset[str]
    # The platform-wide questionnaires a cluster may offer, and each cluster's own (by
    # slug; None where they are not known, as for ``clusters validate`` without a
    # database: a default that is no platform questionnaire is then not checked).
    questionnaires: frozenset[str] = frozenset()
    own_questionnaires: Mapping[str, frozenset[str]] | None = None

    @classmethod
    def of(cls, questionnaires: Iterable[Questionnaire]) -> Vocabulary:
        questionnaires = list(questionnaires)
        return cls(
            frozenset(t for q in questionnaires for a in q.actions for t in a.topics),
            frozenset(level.id for q in questionnaires for level in q.levels),
            frozenset(q.id for q in questionnaires),
        )


def check_vocabulary(checker: YamlChecker, root: YamlMap, vocabulary: Vocabulary) -> None:
    _check_questionnaires(checker, root, vocabulary)
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


def _check_questionnaires(checker: YamlChecker, root: YamlMap, vocabulary: Vocabulary) -> None:
    """The questionnaires a file offers are platform questionnaires; its default is one it
    offers (a platform one it lists, or one of its own); it offers at least one."""
    slug = root.get("slug")
    own: frozenset[str] | None = None  # None: not known here
    if vocabulary.own_questionnaires is not None and isinstance(slug, str):
        own = vocabulary.own_questionnaires.get(slug, frozenset())
    listed = root.get("questionnaires")
    offered: set[str] | None = None  # None: every platform questionnaire
    if isinstance(listed, YamlList):
        offered = set()
        for index, value in enumerate(listed):
            if not isinstance(value, str):
                continue
            if value in vocabulary.questionnaires:
                offered.add(value)
                continue
            close = difflib.get_close_matches(value, sorted(vocabulary.questionnaires), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            mine = " (a cluster's own questionnaire is always offered: leave it out)"
            checker.error(
                listed.line_of_item(index),
                f"cluster: {value!r} is not a platform questionnaire"
                + (mine if own is not None and value in own else hint),
            )
        if not listed and own is not None and not own:
            checker.error(
                root.line_of_value("questionnaires"),
                "cluster: it would offer no questionnaire; list at least one",
            )
    default = root.get("default_questionnaire")
    if not isinstance(default, str) or default == "none" or "default_questionnaire" not in root:
        return
    line = root.line_of_value("default_questionnaire")
    if default in vocabulary.questionnaires:
        if offered is not None and default not in offered:
            checker.error(
                line,
                f"cluster: default_questionnaire {default!r} is not offered; add it to "
                "'questionnaires'",
            )
    elif own is not None and default not in own:
        checker.error(
            line,
            f"cluster: default_questionnaire {default!r} is neither a platform questionnaire "
            "nor one of the cluster's own",
        )
