"""Following companies: shared and adviser-assisted assessments, one-to-one meetings."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms.validators import DataRequired

from assessor.domain.languages import LANGUAGES
from assessor.jobs.documents import DocumentStatus, plan_status, queue_plan
from assessor.services import assessments
from assessor.services.documents import Found
from assessor.services.follow_up import CompanyRecord, companies_of
from assessor.services.privacy import log_adviser_action
from assessor.services.questionnaires.catalogue import default_questionnaire
from assessor.storage.models import Assessment
from assessor.web.advisers.access import ADVISERS, own_assessment, signed_in
from assessor.web.documents import pdf_limit, pdf_or_status_page, status_limit, status_page
from assessor.web.downloads import plan_filename
from assessor.web.extensions import limiter
from assessor.web.field_checks import (
    MaxLength,
    Text,
    column_limit,
    field_errors,
    language_choice,
    questionnaire_choice,
)
from assessor.web.form_pages import form_page
from assessor.web.forms import CsrfForm
from assessor.web.page_language import url_in_language
from assessor.web.routes import Routes

routes = Routes()

COMPANY_LIMIT = column_limit(Assessment.company_name)


class OneToOneForm(CsrfForm):
    company = Text(
        validators=[
            DataRequired(message=_l("Give the company's name: the assessment is filed under it.")),
            MaxLength(COMPANY_LIMIT, _l("Please keep the company name under 200 characters.")),
        ],
    )
    questionnaire = Text(strip=False, validators=[questionnaire_choice()])
    language = Text(strip=False, validators=[language_choice()])


@dataclass(frozen=True)
class QuestionnaireNames:
    """What the adviser's pages call a questionnaire's parts, in the adviser's language."""

    title: str
    levels: dict[str, str]  # level id -> label
    dimensions: list[tuple[str, str]]  # (id, label), in the questionnaire's order


def questionnaire_names() -> dict[str, QuestionnaireNames]:
    """The questionnaires the adviser's cluster may have assessments of, by id: its own and
    the platform's, withdrawn ones too, shortest first."""
    return {
        q.id: QuestionnaireNames(
            q.title,
            {level.id: level.label for level in q.levels},
            [(d.id, d.label) for d in q.dimensions],
        )
        for q in assessments.questionnaires_visible(current_user.cluster)
    }


@routes.get("/companies")
@signed_in(*ADVISERS)
def companies() -> str:
    """The companies one table per questionnaire of their latest assessment: a quick
    check's scores are not comparable with a full assessment's."""
    names = questionnaire_names()
    by_questionnaire: dict[str, list[CompanyRecord]] = {}
    for record in companies_of(current_user.cluster):
        by_questionnaire.setdefault(record.latest_questionnaire, []).append(record)
    order = list(names)
    groups = sorted(
        by_questionnaire.items(),
        key=lambda item: order.index(item[0]) if item[0] in order else len(order),
    )
    return render_template("advisers/companies.html", groups=groups, questionnaires=names)


@routes.get("/assessments/<public_id>")
@signed_in(*ADVISERS)
def assessment(public_id: str) -> str:
    from assessor.services.plans import plan_view_of

    shown = own_assessment(public_id)
    log_adviser_action(current_user, "view-assessment", shown.public_id)
    if not shown.is_submitted:
        return render_template("advisers/assessment_open.html", assessment=shown)
    doc = plan_view_of(shown, reads=())  # service texts for the adviser, not the respondent
    return render_template(
        "advisers/assessment.html", assessment=shown, view=doc.view, doc=doc, viewer="adviser"
    )


def _plan_status(assessment: Assessment) -> DocumentStatus:
    with force_locale(assessment.language):
        return plan_status(assessment, assessment.language)


@routes.get("/assessments/<public_id>/plan.pdf")
@signed_in(*ADVISERS)
@limiter.limit(pdf_limit)
def assessment_pdf(public_id: str) -> Response:
    """The company's plan in its own language, when a worker has rendered it."""
    shown = own_assessment(public_id)
    if not shown.is_submitted:
        return redirect(url_for("advisers.assessment", public_id=public_id))
    status = _plan_status(shown)
    if status.found is Found.READY:
        log_adviser_action(current_user, "download-plan", shown.public_id)
    return pdf_or_status_page(
        status, plan_filename(shown), url_for("advisers.assessment_plan", public_id=public_id)
    )


@routes.get("/assessments/<public_id>/plan")
@signed_in(*ADVISERS)
@limiter.shared_limit(status_limit, scope="pdf-status")
def assessment_plan(public_id: str) -> tuple[str, int]:
    shown = own_assessment(public_id)
    if not shown.is_submitted:
        abort(404)
    return status_page(
        _plan_status(shown),
        title=_("The company's action plan (PDF)"),
        download_url=url_for("advisers.assessment_pdf", public_id=public_id),
        retry_url=url_for("advisers.assessment_plan_retry", public_id=public_id),
        back_url=url_for("advisers.assessment", public_id=public_id),
        back_label=_("Back to the company's results"),
    )


@routes.post("/assessments/<public_id>/plan/retry")
@signed_in(*ADVISERS)
@limiter.limit(pdf_limit)
def assessment_plan_retry(public_id: str) -> Response:
    shown = own_assessment(public_id)
    if not shown.is_submitted:
        abort(404)
    queue_plan(shown, shown.language)
    return redirect(url_for("advisers.assessment_plan", public_id=public_id), code=303)


@routes.route("/one-to-one", methods=["GET", "POST"])
@signed_in(*ADVISERS)
def one_to_one() -> Response | tuple[str, int] | str:
    """Fill in an assessment with a company in a meeting; it belongs to the cluster."""
    questionnaires = assessments.questionnaires_offered(current_user.cluster)
    # Also what a post that leaves a field out stands for, as it always has.
    defaults = {
        "questionnaire": default_questionnaire(current_user.cluster, questionnaires) or "",
        "language": current_user.cluster.default_language,
    }
    form = OneToOneForm(data=defaults)
    errors: dict[str, str] = {}
    if form.is_submitted():
        errors = {} if form.validate() else field_errors(form)
        questionnaire = assessments.catalogue().get(form.questionnaire.data)
        if not errors and questionnaire is not None:
            started = assessments.start_assessment(
                questionnaire,
                current_user.cluster,
                form.language.data,
                form.company.data,
                assisted_by=current_user,
            )
            flash(
                _("Fill in the pages together. The company can keep the resume link below."), "info"
            )
            return redirect(
                url_in_language(
                    form.language.data, "assessment.resume", token=started.token, started=1
                )
            )
    return form_page(
        "advisers/one_to_one.html",
        form=form,
        values=form.data,
        errors=errors,
        questionnaires=questionnaires,
        languages=LANGUAGES,
        company_limit=COMPANY_LIMIT,
    )
