"""Where a company stands with an EU rule: the readiness an answer to a question with a
``rule`` tells (docs/questionnaire-format.md, "Readiness for EU rules").

An option's ``readiness`` says it; without one, its score does: among the question's options
that have a score, the highest scoring is ``ready``, the lowest ``unaware``, those in between
``preparing``. An option without a score and without ``readiness`` (a "not applicable") is
not counted, nor is one whose ``readiness`` is ``none``.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

from assessor.domain.model import Option, OptionReadiness, Question, Questionnaire, ReadinessState

# The states that say how far a company is (an "I don't know" says it does not know).
COUNTED_STATES = frozenset({ReadinessState.READY, ReadinessState.PREPARING, ReadinessState.UNAWARE})


def readiness_of(question: Question, option_id: str) -> ReadinessState | None:
    """The state a company choosing ``option_id`` is in with the question's rule; None when
    the question has no rule, the option is not one of its own, or the answer is not
    counted."""
    if question.rule is None:
        return None
    return option_states(question.options).get(option_id)


def option_states(options: Sequence[Option]) -> Mapping[str, ReadinessState | None]:
    """Each option's state by the rule of this module's docstring (None: not counted)."""
    scores = [o.score for o in options if o.score is not None]
    highest = max(scores, default=None)
    lowest = min(scores, default=None)
    states: dict[str, ReadinessState | None] = {}
    for option in options:
        if option.readiness is not None:
            states[option.id] = (
                None
                if option.readiness is OptionReadiness.NONE
                else ReadinessState(option.readiness.value)
            )
        elif option.score is None:
            states[option.id] = None
        elif option.score == highest:
            states[option.id] = ReadinessState.READY
        elif option.score == lowest:
            states[option.id] = ReadinessState.UNAWARE
        else:
            states[option.id] = ReadinessState.PREPARING
    return states


def readiness_tags(questionnaire: Questionnaire) -> tuple[Hashable, ...]:
    """Every ``rule`` and ``readiness`` of a questionnaire: not part of its content (see
    assessor.domain.loading.content_sha256), so two texts of one version may differ in them
    and a text that only adds them is kept for the version served."""
    return tuple(
        (q.id, q.rule, tuple(o.readiness for o in q.options))
        for q in questionnaire.questions
        if q.rule is not None or any(o.readiness is not None for o in q.options)
    )
