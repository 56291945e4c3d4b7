"""Whether an action still has something to improve for a company (its ``addresses``).

An action aimed at practices is recommended only while one of them is *open*: never to a
company already at the top of everything it addresses, and never when nothing it addresses
is asked (no fleet action for a warehouse). docs/questionnaire-format.md §8 states the rule.
"""

from __future__ import annotations

from assessor.domain.model import Action, Addressed
from assessor.domain.numbers import SCORE_TOLERANCE
from assessor.domain.scoring import Result, top_score

# The gap counted for an addressed question that is asked but has no score ("I don't
# know", or not answered yet): the whole scale. Not knowing a basic is as far from the top
# as not doing it, and "I don't know" must not push the finding-out steps down the plan.
UNKNOWN_GAP = 100.0


def open_addressed(action: Action, result: Result) -> bool:
    """Whether at least one item the action addresses is open for this result; true for an
    action without ``addresses`` (only its ``when`` decides)."""
    if not action.addresses:
        return True
    return any(is_open(item, result) for item in action.addresses)


def is_open(item: Addressed, result: Result) -> bool:
    """An addressed question is open when it is asked and its score is missing (unanswered,
    "I don't know") or below the best it can give this company, or when it is asked and
    unscored (such as "before today, had you heard of…"); addressed options are open when
    one of them is offered and not ticked."""
    if item.question not in result.visible:
        return False
    hidden = result.hidden_options_of(item.question)
    if item.options:
        answer = result.visible_answer(item.question)
        ticked = answer if isinstance(answer, tuple) else ()
        return any(option not in hidden and option not in ticked for option in item.options)
    question = result.questionnaire.questions_by_id[item.question]
    if not question.is_scored:
        return True  # an unscored question has no top: the action's `when` names the answers
    score = result.question_scores.get(item.question)
    if score is None:
        return True
    best = top_score(question, hidden)
    return best is not None and score < best - SCORE_TOLERANCE


def addressed_urgency(action: Action, result: Result) -> float:
    """The largest weighted gap among the open items an action addresses: (the best the
    question can give this company - its score) x its theme's weight x the dimension's
    weight, ``UNKNOWN_GAP`` for a scored question without a score; 0 for unscored
    questions and for an action without ``addresses``."""
    questionnaire = result.questionnaire
    largest = 0.0
    for item in action.addresses:
        if not is_open(item, result):
            continue
        question = questionnaire.questions_by_id[item.question]
        if not question.is_scored or question.theme is None:
            continue
        score = result.question_scores.get(item.question)
        best = top_score(question, result.hidden_options_of(item.question))
        if score is None:
            gap = UNKNOWN_GAP
        elif best is None:
            continue
        else:
            gap = max(0.0, best - score)
        theme = questionnaire.themes_by_id[question.theme]
        weight = theme.weight * questionnaire.dimensions_by_id[theme.dimension_id].weight
        largest = max(largest, gap * weight)
    return largest
