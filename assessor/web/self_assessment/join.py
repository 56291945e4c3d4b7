"""Joining a workshop: a short code typed in, or the short link / QR code, then the usual flow."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter import RouteLimit
from werkzeug.wrappers import Response

from assessor.services import workshops
from assessor.services.questionnaires.translated import current_language, localise_for
from assessor.web.extensions import limiter
from assessor.web.form_pages import form_page
from assessor.web.forms import CsrfForm
from assessor.web.page_language import language_in_url, reader_languages, use_language_of
from assessor.web.routes import Routes

routes = Routes()  # added to the self-assessment's blueprint in __init__.py


def _join_limit() -> str:
    limit: str = current_app.config["JOIN_RATE_LIMIT"]
    return limit


def _guess_limit() -> str:
    limit: str = current_app.config["JOIN_GUESS_RATE_LIMIT"]
    return limit


def _failed_guess(response: Response) -> bool:
    """A code no workshop has (typed: 400, short link: 404); opening a real one is free,
    so a room behind one address is never held up by its own success."""
    return response.status_code in (400, 404)


def _guesses(methods: list[str] | None = None) -> RouteLimit:
    """Codes are short enough to read aloud, so they could be guessed at speed: failed
    guesses of both ways in share one count per address. Once it is used up the address
    waits whatever it asks for, since answering a right code then would tell a guesser."""
    return limiter.shared_limit(
        _guess_limit, scope="join-code-guesses", methods=methods, deduct_when=_failed_guess
    )


@routes.route("/join", methods=["GET", "POST"])
@limiter.limit(_join_limit, methods=["POST"])
@_guesses(methods=["POST"])
def join() -> Response | tuple[str, int] | str:
    """Type the code the adviser shows."""
    form = CsrfForm()
    typed = request.values.get("code", "")
    error = None
    if request.method == "POST" and form.validate_on_submit():
        code = workshops.normalise_code(typed)
        workshop = workshops.workshop_by_code(code) if code else None
        if code is None:
            error = _(
                "A code has 6 letters and digits, such as ABC 234. Codes never contain 0, O, 1 or I."
            )
        elif workshop is None:
            error = _("No workshop has this code. Check it with your adviser.")
        else:
            return redirect(url_for("assessment.join_link", code=code))
    page = render_template("assessment/join.html", form=form, typed=typed, error=error)
    return (page, 400) if error else page


@routes.route("/j/<code>", methods=["GET", "POST"])
@limiter.limit(_join_limit, methods=["POST"])
@_guesses()
def join_link(code: str) -> Response | tuple[str, int] | str:
    """The short link of the QR code: confirm, then start one's own assessment."""
    normalised = workshops.normalise_code(code)
    workshop = workshops.workshop_by_code(normalised) if normalised else None
    questionnaire = workshops.questionnaire_of(workshop) if workshop else None
    if workshop is None or questionnaire is None:
        return render_template(
            "assessment/join.html",
            form=CsrfForm(),
            typed=code,
            error=_("No workshop has this code. Check it with your adviser."),
        ), 404
    use_language_of(workshop.language, workshop.cluster.default_language)
    questionnaire = localise_for(questionnaire, workshop.cluster)
    form = CsrfForm()
    company = request.form.get("company", "").strip()
    errors: dict[str, str] = {}
    if request.method == "POST" and workshop.is_open and form.validate_on_submit():
        if len(company) > 200:
            errors["company"] = _("Please keep the company name under 200 characters.")
        else:
            language = language_in_url() or current_language()
            assessment = workshops.join(workshop, language, company, reader_languages())
            return redirect(url_for("assessment.resume", token=assessment.token, started=1))
    return form_page(
        "assessment/join_workshop.html",
        form=form,
        workshop=workshop,
        questionnaire=questionnaire,
        company=company,
        errors=errors,
    )
