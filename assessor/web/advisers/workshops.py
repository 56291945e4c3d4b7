"""An adviser's home, workshops and their live dashboard, projector view and exports."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from assessor.services import workshops as service
from assessor.services.assessments import catalogue, questionnaires_shortest_first
from assessor.services.language import LANGUAGES, current_language, localise
from assessor.services.privacy import log_adviser_action
from assessor.web.advisers.access import ADVISERS, own_workshop, signed_in
from assessor.web.advisers.views import blueprint
from assessor.web.downloads import download
from assessor.web.extensions import limiter
from assessor.web.form_pages import form_page
from assessor.web.forms import CsrfForm
from assessor.web.links import absolute_url


@blueprint.get("/")
@signed_in(*ADVISERS)
def home() -> str:
    return render_template(
        "advisers/home.html",
        workshops=service.workshops_of(current_user.cluster_id),
        form=CsrfForm(),
    )


@blueprint.route("/workshops/new", methods=["GET", "POST"])
@signed_in(*ADVISERS)
def new_workshop() -> Response | tuple[str, int] | str:
    form = CsrfForm()
    questionnaires = questionnaires_shortest_first()
    values = {
        "title": request.form.get("title", "").strip(),
        "held_on": request.form.get("held_on", date.today().isoformat()),
        "questionnaire": request.form.get("questionnaire", questionnaires[0].id),
        "language": request.form.get("language", current_user.cluster.default_language),
    }
    errors: dict[str, str] = {}
    if request.method == "POST" and form.validate_on_submit():
        if not values["title"]:
            errors["title"] = _("Give the workshop a title.")
        elif len(values["title"]) > 200:
            errors["title"] = _("Please keep the title under 200 characters.")
        try:
            held_on = date.fromisoformat(values["held_on"])
        except ValueError:
            errors["held_on"] = _("Enter a date such as 2026-03-31.")
        if catalogue().get(values["questionnaire"]) is None:
            errors["questionnaire"] = _("Choose a questionnaire.")
        if values["language"] not in LANGUAGES:
            errors["language"] = _("Choose a language.")
        if not errors:
            workshop = service.create_workshop(
                current_user.cluster,
                current_user,
                values["title"],
                held_on,
                values["questionnaire"],
                values["language"],
            )
            return redirect(url_for("advisers.workshop", public_id=workshop.public_id))
    return form_page(
        "advisers/workshop_new.html",
        form=form,
        values=values,
        errors=errors,
        questionnaires=questionnaires,
        languages=LANGUAGES,
    )


def _view_data(public_id: str) -> dict:
    workshop = own_workshop(public_id)
    questionnaire = service.questionnaire_of(workshop)
    if questionnaire is None:
        abort(404)
    questionnaire = localise(questionnaire)
    join_url = absolute_url("assessment.join_link", code=workshop.join_code)
    return {
        "workshop": workshop,
        "questionnaire": questionnaire,
        "board": service.dashboard(workshop, questionnaire),
        "join_url": join_url,
        "code": service.spaced(workshop.join_code),
        "form": CsrfForm(),
    }


@blueprint.get("/workshops/<public_id>")
@signed_in(*ADVISERS)
def workshop(public_id: str) -> str:
    data = _view_data(public_id)
    return render_template("advisers/workshop.html", qr=_qr_svg(data["join_url"]), **data)


@blueprint.get("/workshops/<public_id>/live")
@signed_in(*ADVISERS)
def workshop_live(public_id: str) -> str:
    """The part of the dashboard that changes, for the page's script to swap in."""
    return render_template("advisers/_workshop_live.html", **_view_data(public_id))


@blueprint.get("/workshops/<public_id>/projector")
@signed_in(*ADVISERS)
def projector(public_id: str) -> str:
    data = _view_data(public_id)
    return render_template("advisers/projector.html", qr=_qr_svg(data["join_url"]), **data)


@blueprint.get("/workshops/<public_id>/projector/live")
@signed_in(*ADVISERS)
def projector_live(public_id: str) -> str:
    return render_template("advisers/_projector_live.html", **_view_data(public_id))


@blueprint.post("/workshops/<public_id>/results-shown")
@signed_in(*ADVISERS)
def results_shown(public_id: str) -> Response:
    workshop = own_workshop(public_id)
    service.set_results_shown(workshop, request.form.get("shown") == "yes")
    target = (
        "advisers.projector" if request.form.get("back") == "projector" else "advisers.workshop"
    )
    return redirect(url_for(target, public_id=public_id))


@blueprint.post("/workshops/<public_id>/close")
@signed_in(*ADVISERS)
def close(public_id: str) -> Response:
    workshop = own_workshop(public_id)
    if request.form.get("reopen") == "yes":
        service.reopen(workshop)
        flash(_("The workshop takes participants again."), "info")
    else:
        service.close(workshop)
        flash(_("The workshop is closed: nobody can join any more."), "info")
    return redirect(url_for("advisers.workshop", public_id=public_id))


def _qr_svg(url: str) -> str:
    import segno

    qr = segno.make(url, error="m")
    title = _("QR code of the join link")
    return qr.svg_inline(
        scale=6, border=2, title=title, svgclass="qr", lineclass=None, omitsize=True
    )


@blueprint.get("/workshops/<public_id>/qr.svg")
@signed_in(*ADVISERS)
def qr_code(public_id: str) -> Response:
    data = _view_data(public_id)
    return download(_qr_svg(data["join_url"]), f"join-{data['workshop'].join_code}.svg", False)


def _export_name(workshop, extension: str) -> str:  # noqa: ANN001
    return f"workshop-{workshop.held_on.isoformat()}-{workshop.join_code}.{extension}"


def _table(public_id: str):  # noqa: ANN202
    from assessor.services.exports import workshop_table

    data = _view_data(public_id)
    return data["workshop"], workshop_table(data["workshop"], data["questionnaire"])


@blueprint.get("/workshops/<public_id>/export.csv")
@signed_in(*ADVISERS)
def export_csv(public_id: str) -> Response:
    from assessor.services.exports import as_csv

    workshop, table = _table(public_id)
    log_adviser_action(current_user, "export-csv", workshop.public_id)
    return download(as_csv(table), _export_name(workshop, "csv"))


@blueprint.get("/workshops/<public_id>/export.xlsx")
@signed_in(*ADVISERS)
def export_xlsx(public_id: str) -> Response:
    from assessor.services.exports import as_xlsx

    workshop, table = _table(public_id)
    log_adviser_action(current_user, "export-xlsx", workshop.public_id)
    return download(as_xlsx(table, workshop.title), _export_name(workshop, "xlsx"))


def _pdf_limit() -> str:
    return current_app.config["PLAN_PDF_RATE_LIMIT"]


@blueprint.get("/workshops/<public_id>/summary.pdf")
@signed_in(*ADVISERS)
@limiter.limit(_pdf_limit)
def summary_pdf(public_id: str) -> Response:
    """Rendered once per state of the workshop and language (the room downloads it at once
    at the end of a workshop), then served from the cache."""
    from assessor.services.exports import workshop_table
    from assessor.services.workshop_summary import summary_pdf

    data = _view_data(public_id)
    table = workshop_table(data["workshop"], data["questionnaire"])
    html = render_template(
        "pdf/workshop.html", left_out=table.left_out, shared=len(table.rows), **data
    )
    document = summary_pdf(data["workshop"], current_language(), html)
    return download(document, _export_name(data["workshop"], "pdf"))
