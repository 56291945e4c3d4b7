"""Results: the page, the same result as JSON, and follow-up assessments."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    abort,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from assessor.domain.actions import triggered_actions
from assessor.domain.summary import result_summary
from assessor.jobs.documents import DocumentStatus, plan_status, queue_plan
from assessor.services import assessments as service
from assessor.services.questionnaires.translated import current_language
from assessor.storage.db import read_without_transaction
from assessor.storage.models import Assessment
from assessor.web.documents import (
    pdf_limit,
    pdf_or_status_page,
    status_json,
    status_limit,
    status_page,
)
from assessor.web.downloads import download, plan_filename
from assessor.web.extensions import limiter
from assessor.web.forms import CsrfForm
from assessor.web.lookup import assessment_or_404, deleted_meanwhile
from assessor.web.page_language import reader_languages

blueprint = Blueprint("results", __name__)
blueprint.register_error_handler(service.AssessmentGone, deleted_meanwhile)


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


@blueprint.get("/a/<token>/results")
def show(token: str) -> Response | str:
    read_without_transaction()
    assessment = assessment_or_404(token)
    if _wants_json():
        from assessor.services.plans import plan_of

        result = service.result_of(assessment)
        plan = plan_of(assessment, result)
        actions = triggered_actions(result, service.plan_date(assessment))
        response = jsonify(result_summary(result, actions, plan, with_services=True))
        response.headers["Vary"] = "Accept"
        return response
    if not assessment.is_submitted:
        return redirect(url_for("assessment.review", token=token))
    from assessor.services.plans import plan_view_of

    doc = plan_view_of(assessment, current_language())  # the page's language, maybe the URL's
    return render_template(
        "results/results.html", assessment=assessment, view=doc.view, doc=doc, form=CsrfForm()
    )


@blueprint.post("/a/<token>/follow-up")
def follow_up(token: str) -> Response:
    assessment = assessment_or_404(token)
    if not assessment.is_submitted:
        return redirect(url_for("assessment.resume", token=token))
    follow = service.start_follow_up(assessment, reads=reader_languages())
    return redirect(url_for("assessment.resume", token=follow.token, started=1))


def _submitted_or_404(token: str) -> Assessment:
    assessment = assessment_or_404(token)
    if not assessment.is_submitted:
        abort(404)
    return assessment


def _plan_status(assessment: Assessment) -> DocumentStatus:
    """The plan in the page's language (the URL's, else the assessment's); each language's
    PDF is rendered and cached on its own."""
    language = current_language()
    with force_locale(language):
        return plan_status(assessment, language)


@blueprint.get("/a/<token>/plan.pdf")
@limiter.limit(pdf_limit)
def plan_pdf(token: str) -> Response:
    """The PDF when it is ready, else the page that follows its render (a background
    worker's work, never this request's); the limit per address bounds what it costs."""
    assessment = assessment_or_404(token)
    if not assessment.is_submitted:
        return redirect(url_for("assessment.review", token=token))
    return pdf_or_status_page(
        _plan_status(assessment),
        plan_filename(assessment),
        url_for("results.plan_page", token=token),
    )


@blueprint.get("/a/<token>/plan")
@limiter.shared_limit(status_limit, scope="pdf-status")
def plan_page(token: str) -> tuple[str, int]:
    assessment = _submitted_or_404(token)
    return status_page(
        _plan_status(assessment),
        title=_("Your action plan (PDF)"),
        download_url=url_for("results.plan_pdf", token=token),
        retry_url=url_for("results.plan_retry", token=token),
        back_url=url_for("results.show", token=token),
        back_label=_("Back to your results"),
    )


@blueprint.get("/a/<token>/plan/status")
@limiter.shared_limit(status_limit, scope="pdf-status")
def plan_state(token: str) -> Response:
    """For the results page's script: ready, preparing or failed."""
    assessment = _submitted_or_404(token)
    return status_json(_plan_status(assessment), url_for("results.plan_pdf", token=token))


@blueprint.post("/a/<token>/plan/retry")
@limiter.limit(pdf_limit)
def plan_retry(token: str) -> Response:
    assessment = _submitted_or_404(token)
    queue_plan(assessment, current_language())
    return redirect(url_for("results.plan_page", token=token), code=303)


@blueprint.get("/a/<token>/data.json")
def my_data(token: str) -> Response:
    """Everything stored about this assessment, for the respondent to keep."""
    from assessor.services.privacy import assessment_data

    assessment = assessment_or_404(token)
    data = json.dumps(assessment_data(assessment), ensure_ascii=False, indent=2)
    return download(data, "assessment-data.json")
