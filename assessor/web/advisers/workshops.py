"""An adviser's home, workshops and their live dashboard, projector view and exports."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import Field, ValidationError
from wtforms.validators import DataRequired

from assessor.domain.languages import LANGUAGES
from assessor.jobs.documents import DocumentStatus, queue_summary, summary_status
from assessor.services import workshops as service
from assessor.services.assessments import questionnaires_offered
from assessor.services.exports import Table
from assessor.services.privacy import log_adviser_action
from assessor.services.questionnaires.translated import current_language, localise_for
from assessor.storage.models import Workshop
from assessor.web.advisers.access import ADVISERS, own_workshop, signed_in
from assessor.web.advisers.companies import questionnaire_names
from assessor.web.documents import pdf_limit, pdf_or_status_page, status_limit, status_page
from assessor.web.downloads import download
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
from assessor.web.links import absolute_url
from assessor.web.page_language import SCRIPT_ROOT
from assessor.web.routes import Routes

routes = Routes()

TITLE_LIMIT = column_limit(Workshop.title)


def _iso_date(form: CsrfForm, field: Field) -> None:
    try:
        date.fromisoformat(field.data)
    except ValueError:
        raise ValidationError(_("Enter a date such as 2026-03-31.")) from None


class NewWorkshopForm(CsrfForm):
    title = Text(
        validators=[
            DataRequired(message=_l("Give the workshop a title.")),
            MaxLength(TITLE_LIMIT, _l("Please keep the title under 200 characters.")),
        ],
    )
    held_on = Text(strip=False, validators=[_iso_date])  # as the browser's date field sends it
    questionnaire = Text(strip=False, validators=[questionnaire_choice()])
    language = Text(strip=False, validators=[language_choice()])


class ResultsShownForm(CsrfForm):
    shown = Text(strip=False)  # "yes" shows the room's results; anything else hides them
    back = Text(strip=False)  # "projector" when posted from the projector view


class CloseForm(CsrfForm):
    reopen = Text(strip=False)  # "yes" opens a closed workshop again
    back = Text(strip=False)  # "projector" when posted from the projector view


@routes.get("/")
@signed_in(*ADVISERS)
def home() -> str:
    """What is on: the workshops to come or still open, the results shared lately, and
    the workshops held before."""
    from assessor.services.recent_results import recently_shared

    current, past = service.current_and_past(
        service.workshops_of(current_user.cluster_id), date.today()
    )
    return render_template(
        "advisers/home.html",
        current=current,
        past=past,
        today=date.today(),
        shared=recently_shared(current_user.cluster_id),
        questionnaires=questionnaire_names(),
        form=CsrfForm(),
    )


@routes.route("/workshops/new", methods=["GET", "POST"])
@signed_in(*ADVISERS)
def new_workshop() -> Response | tuple[str, int] | str:
    questionnaires = questionnaires_offered(current_user.cluster)
    # Also what a post that leaves a field out stands for, as it always has.
    defaults = {
        "held_on": date.today().isoformat(),
        # The shortest: workshops usually take the quick check.
        "questionnaire": questionnaires[0].id if questionnaires else "",
        "language": current_user.cluster.default_language,
    }
    form = NewWorkshopForm(data=defaults)
    errors: dict[str, str] = {}
    if form.is_submitted():
        errors = {} if form.validate() else field_errors(form)
        if not errors:
            workshop = service.create_workshop(
                current_user.cluster,
                current_user,
                form.title.data,
                date.fromisoformat(form.held_on.data),
                form.questionnaire.data,
                form.language.data,
            )
            return redirect(url_for("advisers.workshop", public_id=workshop.public_id))
    return form_page(
        "advisers/workshop_new.html",
        form=form,
        values=form.data,
        errors=errors,
        questionnaires=questionnaires,
        languages=LANGUAGES,
        title_limit=TITLE_LIMIT,
    )


def _view_data(public_id: str) -> dict[str, Any]:
    workshop = own_workshop(public_id)
    questionnaire = service.questionnaire_of(workshop)
    if questionnaire is None:
        abort(404)
    questionnaire = localise_for(questionnaire, workshop.cluster)
    join_url = absolute_url("assessment.join_link", code=workshop.join_code)
    return {
        "workshop": workshop,
        "questionnaire": questionnaire,
        "board": service.dashboard(workshop, questionnaire),
        "join_url": join_url,
        "code": service.spaced(workshop.join_code),
        "form": CsrfForm(),
    }


@routes.get("/workshops/<public_id>")
@signed_in(*ADVISERS)
def workshop(public_id: str) -> str:
    data = _view_data(public_id)
    return render_template("advisers/workshop.html", qr=_qr_svg(data["join_url"]), **data)


@routes.get("/workshops/<public_id>/live")
@signed_in(*ADVISERS)
def workshop_live(public_id: str) -> str:
    """The part of the dashboard that changes, for the page's script to swap in."""
    return render_template("advisers/_workshop_live.html", **_view_data(public_id))


def _room_url(endpoint: str, **values: Any) -> str:
    """The full address of a page for the participants in the room: without the language
    prefix of the adviser's own pages, so that they join in the workshop's language."""
    path = url_for(endpoint, **values)[len(request.script_root) :]
    root = request.environ.get(SCRIPT_ROOT, "")
    public_url: str | None = current_app.config.get("PUBLIC_URL")
    base = public_url.rstrip("/") if public_url else request.host_url.rstrip("/")
    return f"{base}{root}{path}"


def _shown_without_scheme(url: str) -> str:
    """An address as a room reads and types it: "assess.example.org/join", no "https://"."""
    return url.split("://", 1)[-1].rstrip("/")


def _projector_data(public_id: str) -> dict[str, Any]:
    """What the projector shows: the dashboard's figures, both ways to join (the join page
    and its code, or the short link) as the room reads them, and the QR code."""
    data = _view_data(public_id)
    join_link = _room_url("assessment.join_link", code=data["workshop"].join_code)
    return {
        **data,
        "join_page_shown": _shown_without_scheme(_room_url("assessment.join")),
        "join_link_shown": _shown_without_scheme(join_link),
        "qr": _qr_svg(join_link),
    }


@routes.get("/workshops/<public_id>/projector")
@signed_in(*ADVISERS)
def projector(public_id: str) -> str:
    return render_template("advisers/projector.html", **_projector_data(public_id))


@routes.get("/workshops/<public_id>/projector/live")
@signed_in(*ADVISERS)
def projector_live(public_id: str) -> str:
    """What the room sees (join box, counts, results), for the projector's script to swap in."""
    return render_template("advisers/_projector_live.html", **_projector_data(public_id))


@routes.post("/workshops/<public_id>/results-shown")
@signed_in(*ADVISERS)
def results_shown(public_id: str) -> Response:
    workshop = own_workshop(public_id)
    form = ResultsShownForm()  # CSRFProtect has checked its token before any view runs
    shown = form.shown.data == "yes"
    service.set_results_shown(workshop, shown)
    if form.back.data == "projector":  # the room sees its new state; no message for it
        return redirect(url_for("advisers.projector", public_id=public_id))
    if shown:
        flash(_("The results are shown on the projector."), "info")
    else:
        flash(_("The results are hidden on the projector."), "info")
    return redirect(url_for("advisers.workshop", public_id=public_id))


@routes.post("/workshops/<public_id>/close")
@signed_in(*ADVISERS)
def close(public_id: str) -> Response:
    workshop = own_workshop(public_id)
    form = CloseForm()  # its token checked by CSRFProtect
    if form.reopen.data == "yes":
        service.reopen(workshop)
        flash(_("The workshop takes participants again."), "info")
    else:
        service.close(workshop)
        flash(_("The workshop is closed: nobody can join any more."), "info")
    target = "advisers.projector" if form.back.data == "projector" else "advisers.workshop"
    return redirect(url_for(target, public_id=public_id))


def _qr_svg(url: str) -> str:
    import segno

    qr = segno.make(url, error="m")
    title = _("QR code of the join link")
    return qr.svg_inline(
        scale=6, border=2, title=title, svgclass="qr", lineclass=None, omitsize=True
    )


@routes.get("/workshops/<public_id>/qr.svg")
@signed_in(*ADVISERS)
def qr_code(public_id: str) -> Response:
    data = _view_data(public_id)
    return download(_qr_svg(data["join_url"]), f"join-{data['workshop'].join_code}.svg", False)


def _export_name(workshop: Workshop, extension: str) -> str:
    return f"workshop-{workshop.held_on.isoformat()}-{workshop.join_code}.{extension}"


def _table(public_id: str) -> tuple[Workshop, Table]:
    from assessor.services.exports import workshop_table

    data = _view_data(public_id)
    return data["workshop"], workshop_table(data["workshop"], data["questionnaire"])


@routes.get("/workshops/<public_id>/export.csv")
@signed_in(*ADVISERS)
def export_csv(public_id: str) -> Response:
    from assessor.services.exports import as_csv

    workshop, table = _table(public_id)
    log_adviser_action(current_user, "export-csv", workshop.public_id)
    return download(as_csv(table), _export_name(workshop, "csv"))


@routes.get("/workshops/<public_id>/export.xlsx")
@signed_in(*ADVISERS)
def export_xlsx(public_id: str) -> Response:
    from assessor.services.exports import as_xlsx

    workshop, table = _table(public_id)
    log_adviser_action(current_user, "export-xlsx", workshop.public_id)
    return download(as_xlsx(table, workshop.title), _export_name(workshop, "xlsx"))


def _summary_status(public_id: str) -> tuple[Workshop, DocumentStatus]:
    workshop = own_workshop(public_id)
    status = summary_status(workshop, current_language())
    if status is None:
        abort(404)
    return workshop, status


@routes.get("/workshops/<public_id>/summary.pdf")
@signed_in(*ADVISERS)
@limiter.limit(pdf_limit)
def summary_pdf(public_id: str) -> Response:
    """Rendered by a worker once per state of the workshop and language (the room downloads
    it at once at the end of a workshop), then served from the cache."""
    workshop, status = _summary_status(public_id)
    return pdf_or_status_page(
        status,
        _export_name(workshop, "pdf"),
        url_for("advisers.summary_page", public_id=public_id),
    )


@routes.get("/workshops/<public_id>/summary")
@signed_in(*ADVISERS)
@limiter.shared_limit(status_limit, scope="pdf-status")
def summary_page(public_id: str) -> tuple[str, int]:
    workshop, status = _summary_status(public_id)
    return status_page(
        status,
        title=_("Workshop summary (PDF)"),
        download_url=url_for("advisers.summary_pdf", public_id=public_id),
        retry_url=url_for("advisers.summary_retry", public_id=public_id),
        back_url=url_for("advisers.workshop", public_id=public_id),
        back_label=_("Back to the workshop"),
    )


@routes.post("/workshops/<public_id>/summary/retry")
@signed_in(*ADVISERS)
@limiter.limit(pdf_limit)
def summary_retry(public_id: str) -> Response:
    queue_summary(own_workshop(public_id), current_language())
    return redirect(url_for("advisers.summary_page", public_id=public_id), code=303)
