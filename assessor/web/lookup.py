"""Finding the assessment a URL names, and speaking its language."""

from __future__ import annotations

from flask import abort, current_app, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import NotFound

from assessor.services import assessments as service
from assessor.storage.models import Assessment
from assessor.web.page_language import language_in_url, use_language_of


def assessment_or_404(token: str) -> Assessment:
    """The assessment of this token; its pages are in its language unless the URL says
    otherwise. A language chosen in the URL becomes the assessment's (and its plan's) when
    the respondent sends something in it: a GET changes nothing, so a link unfurler or a
    prefetch that follows ``/de/a/<token>`` leaves the assessment as it was."""
    assessment = service.find_assessment(token)
    if assessment is None:
        abort(404)
    chosen = language_in_url()
    if chosen and chosen != assessment.language and request.method == "POST":
        service.set_language(assessment, chosen)
    cluster_language = assessment.cluster.default_language if assessment.cluster else None
    use_language_of(assessment.language, cluster_language)
    return assessment


def deleted_meanwhile(_error: service.AssessmentGone) -> ResponseReturnValue:
    """An assessment deleted from another tab while this request used it: the page is gone,
    as it is for the next request."""
    return current_app.handle_http_exception(NotFound())
