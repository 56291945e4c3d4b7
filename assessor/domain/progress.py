"""How far a respondent is: a position that never moves backwards when a condition adds a
page, and an estimate of the time left.

Pages are counted over the whole questionnaire, in file order, whether or not their
conditions hold: a page that does not apply is passed over (the count jumps ahead), and a
page that comes to apply was counted all along, so "Section 2 of 9" never becomes
"Section 3 of 10" under the respondent.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from assessor.domain.conditions import AnswerValue
from assessor.domain.model import Questionnaire, Section
from assessor.domain.visibility import Visibility, visibility


@dataclass(frozen=True)
class Progress:
    position: int  # the page's place among all pages, from 1
    total: int  # every page of the questionnaire: conditions never change it
    answered: int  # questions answered, of those that apply
    applicable: int  # questions that apply given the answers so far
    minutes_left: int | None  # rounded up; None when the questionnaire gives no duration

    @property
    def done(self) -> int:
        """Pages passed: those before this one."""
        return self.position - 1


def progress(
    questionnaire: Questionnaire,
    answers: Mapping[str, AnswerValue],
    current: Section,
    seen: Visibility | None = None,
) -> Progress:
    """Where ``current`` stands, for these answers; ``seen``: their visibility, when the
    caller has it already (it is most of the cost)."""
    seen = seen or visibility(questionnaire, answers)
    applicable = [q.id for q in questionnaire.questions if q.id in seen.questions]
    answered = sum(1 for qid in applicable if seen.answers.get(qid) is not None)
    minutes_left = None
    if questionnaire.minutes and applicable:
        # The stated duration is for the questions that usually apply; each open one
        # takes its share of it.
        share = (len(applicable) - answered) / len(applicable)
        minutes_left = math.ceil(questionnaire.minutes * share)
    return Progress(
        position=questionnaire.sections.index(current) + 1,
        total=len(questionnaire.sections),
        answered=answered,
        applicable=len(applicable),
        minutes_left=minutes_left,
    )
