"""Action topics checked against the topics a cluster's services use (pure)."""

from __future__ import annotations

from assessor.domain.action_topics import TopicWarning, unknown_topic_warnings
from tests.domain.test_loader import BASE, Load

ACTIONS = """\
actions:
  - id: share-data
    title: Share data
    when: {theme: t1, below: 50}
    topics: [data-shareing, process-kpi, refrigerants]
  - id: known
    title: Known
    when: {theme: t1, below: 50}
    topics:
      - energy
      - traning-green
"""
KNOWN = {"data-sharing", "process-kpi", "energy", "training-green", "training-digital"}


def test_unknown_topics_are_warned_about_on_their_line_with_the_closest_known_one(
    load_text: Load,
) -> None:
    result = load_text(BASE + ACTIONS)
    assert result.questionnaire is not None, result.errors
    warnings = unknown_topic_warnings(result.questionnaire, KNOWN, "Rhine or the network")
    assert [str(w) for w in warnings] == [
        "q.yaml:29: warning: action share-data: no service of Rhine or the network has the "
        "topic 'data-shareing': it is the action's main topic (the first), so the action gets "
        "no service; did you mean 'data-sharing'?",
        "q.yaml:29: warning: action share-data: no service of Rhine or the network has the "
        "topic 'refrigerants': it adds nothing to the action's services",
        "q.yaml:35: warning: action known: no service of Rhine or the network has the topic "
        "'traning-green': it adds nothing to the action's services; did you mean "
        "'training-green'?",
    ]
    assert warnings[0] == TopicWarning(
        "q.yaml",
        29,
        "share-data",
        "data-shareing",
        True,
        "data-sharing",
        warnings[0].message,
    )


def test_known_topics_give_no_warning(load_text: Load) -> None:
    result = load_text(BASE + ACTIONS)
    assert result.questionnaire is not None
    every = KNOWN | {"data-shareing", "refrigerants", "traning-green"}
    assert unknown_topic_warnings(result.questionnaire, every, "Rhine") == ()
