"""Whether an action still has something to improve for a company (its ``addresses``).

An action aimed at practices is recommended only while one of them is *open*: never to a
company already at the top of everything it addresses, and never when nothing it addresses
is asked (no fleet action for a warehouse). docs/questionnaire-format.md §8 states the rule.
"""

from __future__ import annotations

from assessor.domain.model import Action, Addressed
from assessor.domain.numbers import SCORE_TOLERANCE
from assessor.domain.scoring import Result, top_score


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
