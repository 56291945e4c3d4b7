"""Results: the page, the same result as JSON, and follow-up assessments."""

from __future__ import annotations

import json

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from assessor.domain.actions import triggered_actions
from assessor.domain.summary import result_summary
from assessor.services import assessments as service
from assessor.services.translated_questionnaires import current_language
from assessor.storage.db import read_without_transaction
from assessor.web.downloads import download, plan_download
from assessor.web.extensions import limiter
from assessor.web.forms import CsrfForm
from assessor.web.lookup import assessment_or_404, deleted_meanwhile

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
    follow = service.start_follow_up(assessment)
    return redirect(url_for("assessment.resume", token=follow.token, started=1))


def _pdf_limit() -> str:
    limit: str = current_app.config["PLAN_PDF_RATE_LIMIT"]
    return limit


@blueprint.get("/a/<token>/plan.pdf")
@limiter.limit(_pdf_limit)
def plan_pdf(token: str) -> Response:
    """The plan in the page's language: the URL's, else the assessment's. Each language's
    PDF is cached on its own, and the limit per address bounds what renders can cost."""
    assessment = assessment_or_404(token)
    if not assessment.is_submitted:
        return redirect(url_for("assessment.review", token=token))
    return plan_download(assessment, current_language())


@blueprint.get("/a/<token>/data.json")
def my_data(token: str) -> Response:
    """Everything stored about this assessment, for the respondent to keep."""
    from assessor.services.privacy import assessment_data

    assessment = assessment_or_404(token)
    data = json.dumps(assessment_data(assessment), ensure_ascii=False, indent=2)
    return download(data, "assessment-data.json")
