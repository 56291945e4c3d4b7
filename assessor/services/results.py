"""What a result page shows, gathered from the database: the result, the previous
assessment's, the peer groups; presentation.results arranges them into view data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from assessor.domain.answers import AnswerValue
from assessor.presentation.results import ResultView, result_view
from assessor.services.assessments import previous_of, result_of
from assessor.services.follow_up import comparison_of
from assessor.services.peers import PeerGroup, peer_groups
from assessor.services.settings import Settings, current_settings
from assessor.storage.models import Assessment


def result_view_of(
    assessment: Assessment,
    settings: Settings | None = None,
    *,
    answers: Mapping[str, AnswerValue] | None = None,
    groups: Sequence[PeerGroup] | None = None,
) -> ResultView:
    """The view of the assessment's result (settings: by default the app's). A caller that
    already read the answers or computed the peer groups passes them in."""
    settings = settings or current_settings()
    result = result_of(assessment, answers)
    previous = previous_of(assessment)
    if groups is None:
        groups = peer_groups(assessment, settings) if assessment.is_submitted else []
    before = result_of(previous) if previous is not None else None
    return result_view(
        result,
        before=before,
        comparison=comparison_of(before.questionnaire, result.questionnaire)
        if before is not None
        else None,
        previous_submitted=previous.submitted_at.date()
        if previous is not None and previous.submitted_at
        else None,
        peers=groups if assessment.is_submitted else (),
        peer_minimum=settings.peer_group_minimum,
    )
