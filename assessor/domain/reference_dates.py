"""How current a questionnaire's references are: the warnings ``flask questionnaires
validate`` prints for references not checked for a year, and the month a plan's rules were
checked as a whole.

Pure: the date of today is a parameter, so the same file and the same day always give the
same warnings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from assessor.domain.model import Month, Questionnaire, Reference

# A reference is stale once this many whole months have passed after the month it was
# checked in: checked in 2025-12 (at the latest on 31 December 2025), it is stale from
# 1 January 2027, the first day more than 12 months after any day of its month.
STALE_AFTER_MONTHS = 12


@dataclass(frozen=True, order=True)
class ReferenceWarning:
    """A problem that does not make the file invalid; printed ``PATH:LINE: warning: ...``."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: warning: {self.message}"


def is_stale(checked: Month, today: date) -> bool:
    """Whether more than STALE_AFTER_MONTHS months have surely passed since ``checked``."""
    return Month.of(today).index - checked.index > STALE_AFTER_MONTHS


def reference_warnings(questionnaire: Questionnaire, today: date) -> tuple[ReferenceWarning, ...]:
    """One warning per reference without a source, without a checked month, or last checked
    more than 12 months before ``today``; in file order."""
    warnings: list[ReferenceWarning] = []
    path = questionnaire.source_path
    for reference in questionnaire.references:
        line = max(reference.line, 1)
        if reference.source is None:
            warnings.append(
                ReferenceWarning(
                    path,
                    line,
                    f"reference {reference.id!r} has no 'source': name what its facts "
                    "were checked against",
                )
            )
        if reference.checked is None:
            warnings.append(
                ReferenceWarning(
                    path,
                    line,
                    f"reference {reference.id!r} has no 'checked' month: say when its "
                    "facts were last checked (YYYY-MM)",
                )
            )
        elif is_stale(reference.checked, today):
            warnings.append(
                ReferenceWarning(
                    path,
                    line,
                    f"reference {reference.id!r} was last checked in {reference.checked}, "
                    f"more than {STALE_AFTER_MONTHS} months ago",
                )
            )
    return tuple(warnings)


def oldest_check(references: Iterable[Reference]) -> Month | None:
    """The earliest month among the references' checked months: every one of them was
    checked in that month or later. None when none has a month."""
    return min((r.checked for r in references if r.checked is not None), default=None)
