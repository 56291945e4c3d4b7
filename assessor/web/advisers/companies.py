"""Following companies: shared and adviser-assisted assessments, one-to-one meetings."""

from __future__ import annotations

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from assessor.services import assessments
from assessor.services.follow_up import companies_of
from assessor.services.language import LANGUAGES
from assessor.services.privacy import log_adviser_action
from assessor.web.advisers.access import ADVISERS, own_assessment, signed_in
from assessor.web.advisers.views import blueprint
from assessor.web.downloads import plan_download
from assessor.web.extensions import limiter
from assessor.web.form_pages import form_page
from assessor.web.forms import CsrfForm
from assessor.web.i18n import url_in_language


@blueprint.get("/companies")
@signed_in(*ADVISERS)
def companies() -> str:
    labels = {
        q.id: {
            "levels": {level.id: level.label for level in q.levels},
            "dimensions": {d.id: d.label for d in q.dimensions},
        }
        for q in assessments.questionnaires_shortest_first()
    }
    return render_template(
        "advisers/companies.html", companies=companies_of(current_user.cluster), labels=labels
    )


@blueprint.get("/assessments/<public_id>")
@signed_in(*ADVISERS)
def assessment(public_id: str) -> str:
    from assessor.services.plans import plan_view

    shown = own_assessment(public_id)
    log_adviser_action(current_user, "view-assessment", shown.public_id)
    if not shown.is_submitted:
        return render_template("advisers/assessment_open.html", assessment=shown)
    doc = plan_view(shown)
    return render_template("advisers/assessment.html", assessment=shown, view=doc.view, doc=doc)


def _pdf_limit() -> str:
    return current_app.config["PLAN_PDF_RATE_LIMIT"]


@blueprint.get("/assessments/<public_id>/plan.pdf")
@signed_in(*ADVISERS)
@limiter.limit(_pdf_limit)
def assessment_pdf(public_id: str) -> Response:
    shown = own_assessment(public_id)
    if not shown.is_submitted:
        return redirect(url_for("advisers.assessment", public_id=public_id))
    log_adviser_action(current_user, "download-plan", shown.public_id)
    return plan_download(shown)


@blueprint.route("/one-to-one", methods=["GET", "POST"])
@signed_in(*ADVISERS)
def one_to_one() -> Response | tuple[str, int] | str:
    """Fill in an assessment with a company in a meeting; it belongs to the cluster."""
    form = CsrfForm()
    questionnaires = assessments.questionnaires_shortest_first()
    values = {
        "company": request.form.get("company", "").strip(),
        "questionnaire": request.form.get("questionnaire", questionnaires[-1].id),
        "language": request.form.get("language", current_user.cluster.default_language),
    }
    errors: dict[str, str] = {}
    if request.method == "POST" and form.validate_on_submit():
        if not values["company"]:
            errors["company"] = _("Give the company's name: the assessment is filed under it.")
        elif len(values["company"]) > 200:
            errors["company"] = _("Please keep the company name under 200 characters.")
        questionnaire = assessments.catalogue().get(values["questionnaire"])
        if questionnaire is None:
            errors["questionnaire"] = _("Choose a questionnaire.")
        if values["language"] not in LANGUAGES:
            errors["language"] = _("Choose a language.")
        if not errors:
            started = assessments.start_assessment(
                questionnaire,
                current_user.cluster,
                values["language"],
                values["company"],
                assisted_by=current_user,
            )
            flash(
                _("Fill in the pages together. The company can keep the resume link below."), "info"
            )
            return redirect(
                url_in_language(
                    values["language"], "assessment.resume", token=started.token, started=1
                )
            )
    return form_page(
        "advisers/one_to_one.html",
        form=form,
        values=values,
        errors=errors,
        questionnaires=questionnaires,
        languages=LANGUAGES,
    )
