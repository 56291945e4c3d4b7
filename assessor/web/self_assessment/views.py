"""Routes of the self-assessment. Views validate, call one service, render or redirect."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    after_this_request,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from assessor.domain.answers import AnswerValue
from assessor.domain.email_addresses import is_email_address
from assessor.domain.model import Question, Questionnaire, QuestionType, Section
from assessor.domain.progress import progress
from assessor.domain.scoring import sections_showing, visible_sections
from assessor.domain.visibility import visibility
from assessor.jobs.documents import queue_plan
from assessor.jobs.mail import queue_mail
from assessor.jobs.queue import QueueUnavailable
from assessor.services import assessments as service
from assessor.services.clusters import all_clusters, cluster_by_slug, logo_data_url
from assessor.services.mail import mail_enabled
from assessor.services.questionnaires.catalogue import default_questionnaire
from assessor.services.questionnaires.translated import current_language
from assessor.services.workshops import admit_to_figures
from assessor.storage.db import read_without_transaction
from assessor.storage.models import Assessment, Cluster
from assessor.web.extensions import limiter
from assessor.web.forms import CsrfForm
from assessor.web.links import absolute_url
from assessor.web.lookup import assessment_or_404, deleted_meanwhile
from assessor.web.page_language import reader_languages, use_language_of
from assessor.web.self_assessment.forms import read_section, section_form
from assessor.web.self_assessment.markup import glossary_of

# A short-lived cookie of its own says which page was just saved, so that the next page
# can say so: writing the signed session on every "Next" and every page after it cost more
# than the rest of the feature. It holds a digest of the token, not the token; a forged
# one can only make the respondent's own page say "saved".
SAVED_COOKIE = "assessment_saved"


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:16]


blueprint = Blueprint("assessment", __name__)
blueprint.register_error_handler(service.AssessmentGone, deleted_meanwhile)


def _start_limit() -> str:
    limit: str = current_app.config["START_RATE_LIMIT"]
    return limit


@blueprint.route("/start", methods=["GET", "POST"])
@limiter.limit(_start_limit, methods=["POST"])
def start() -> Response | tuple[str, int]:
    return _start_page(request.values.get("cluster"))


@blueprint.get("/c/<slug>")
def cluster_entry(slug: str) -> Response | tuple[str, int]:
    read_without_transaction()
    cluster = cluster_by_slug(slug)
    if cluster is None:
        abort(404)
    use_language_of(None, cluster.default_language)  # unless the visitor's choice says otherwise
    return _start_page(slug, entry=cluster)


def _start_page(
    preselected: str | None, entry: Cluster | None = None
) -> Response | tuple[str, int]:
    """The start form; ``entry``: the cluster whose own link (``/c/<slug>``) was followed,
    welcoming with its name and logo."""
    if request.method == "GET":
        read_without_transaction()
    clusters = all_clusters()
    form = CsrfForm()
    errors: dict[str, str] = {}
    chosen = {
        "cluster": request.form.get("cluster", preselected or ""),
        "questionnaire": request.form.get("questionnaire", request.args.get("questionnaire", "")),
        "company": request.form.get("company", ""),
    }
    cluster = cluster_by_slug(chosen["cluster"]) if chosen["cluster"] else None
    # A cluster's own questionnaires are offered only with it, and it chooses which of the
    # platform's it offers.
    questionnaires = service.questionnaires_offered(cluster)
    if (
        not chosen["questionnaire"]
        or request.method == "GET"
        and not any(q.id == chosen["questionnaire"] for q in questionnaires)
    ):
        chosen["questionnaire"] = default_questionnaire(cluster, questionnaires) or ""
    if request.method == "POST" and form.validate_on_submit():
        questionnaire = next((q for q in questionnaires if q.id == chosen["questionnaire"]), None)
        if chosen["cluster"] and cluster is None:
            errors["cluster"] = _("Choose a cluster from the list, or none.")
        elif questionnaire is None and cluster is not None and chosen["questionnaire"]:
            errors["questionnaire"] = _(
                "%(cluster)s does not offer this questionnaire. Choose one of those listed.",
                cluster=cluster.name,
            )
        if questionnaire is None and "questionnaire" not in errors:
            errors["questionnaire"] = _("Choose a questionnaire.")
        if len(chosen["company"]) > 200:
            errors["company"] = _("Please keep the company name under 200 characters.")
        if questionnaire is not None and not errors:  # no questionnaire is an error too
            assessment = service.start_assessment(
                questionnaire,
                cluster,
                current_language(),
                chosen["company"],
                reads=reader_languages(),
            )
            return redirect(url_for("assessment.resume", token=assessment.token, started=1))
    status = 400 if errors else 200
    return render_template(
        "assessment/start.html",
        form=form,
        clusters=clusters,
        questionnaires=questionnaires,
        chosen=chosen,
        errors=errors,
        entry=entry,
        entry_logo=logo_data_url(entry) if entry is not None else None,
    ), status


@blueprint.get("/a/<token>")
def resume(token: str) -> Response:
    """The resume link: go on where the respondent left off."""
    read_without_transaction()
    assessment = assessment_or_404(token)
    if assessment.is_submitted:
        return redirect(url_for("results.show", token=token))
    questionnaire = service.questionnaire_of(assessment)
    answers = service.stored_answers(assessment)
    result = service.result_of(assessment, answers)
    # A just-started assessment keeps its "started" marker so its first page says to keep the link.
    started = 1 if request.args.get("started") else None
    sections = visible_sections(questionnaire, answers)
    if started and assessment.previous_id is not None and sections:
        # A follow-up starts filled in with the answers of last time: from its first page,
        # so that the respondent sees them and changes what moved.
        return redirect(
            url_for("assessment.section", token=token, section_id=sections[0].id, started=1)
        )
    target = next((s for s in sections if any(q.id in result.missing for q in s.questions)), None)
    if not started and answers and not _from_this_site():
        _welcome_back(assessment, questionnaire, answers, target)
    if target is not None:
        return redirect(
            url_for("assessment.section", token=token, section_id=target.id, started=started)
        )
    return redirect(url_for("assessment.review", token=token))


def _from_this_site() -> bool:
    """Whether the request comes from one of the site's own pages (a form that sends back to
    the resume link), rather than from a bookmark, an e-mail or another site: only a return
    from outside is greeted."""
    referrer = urlsplit(request.referrer or "")
    return bool(referrer.netloc) and referrer.netloc == request.host


def _welcome_back(
    assessment: Assessment,
    questionnaire: Questionnaire,
    answers: Mapping[str, AnswerValue],
    target: Section | None,
) -> None:
    """Greet a respondent coming back through the resume link, with how far they are."""
    total = len(questionnaire.sections)
    done = progress(questionnaire, answers, target).done if target is not None else total
    if assessment.company_name:
        message = _(
            "Welcome back, %(company)s. %(done)s of %(total)s sections done: "
            "you go on where you left off.",
            company=assessment.company_name,
            done=done,
            total=total,
        )
    else:
        message = _(
            "Welcome back. %(done)s of %(total)s sections done: you go on where you left off.",
            done=done,
            total=total,
        )
    flash(message, "welcome")


@blueprint.route("/a/<token>/section/<section_id>", methods=["GET", "POST"])
def section(token: str, section_id: str) -> Response | tuple[str, int]:
    if request.method == "GET":
        read_without_transaction()
    assessment = assessment_or_404(token)
    if assessment.is_submitted:
        flash(_("This assessment is already submitted; its answers can no longer change."), "info")
        return redirect(url_for("results.show", token=token))
    questionnaire = service.questionnaire_of(assessment)
    current = questionnaire.sections_by_id.get(section_id)
    if current is None:
        abort(404)
    stored = service.stored_answers(assessment)
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = section_form(current, stored, formdata=request.form)
        going_back = request.form.get("navigate") == "back"
        changes, errors = read_section(questionnaire, current, form, stored, require=not going_back)
        # A page is saved whole or not at all: with any error, stored answers stay as they were
        # and the form shows what was typed. Going back skips only the required-answer check.
        if not errors:
            try:
                service.save_answers(assessment, changes)
            except service.AssessmentClosed:  # submitted from another tab meanwhile
                flash(
                    _("This assessment is already submitted; its answers can no longer change."),
                    "info",
                )
                return redirect(url_for("results.show", token=token))
            saved = {k: v for k, v in {**stored, **changes}.items() if v is not None}
            response = redirect(_next_url(assessment, questionnaire, current, saved, going_back))
            response.set_cookie(
                SAVED_COOKIE,
                f"{_token_digest(token)}:{current.id}",
                max_age=300,
                secure=request.is_secure,
                httponly=True,
                samesite="Lax",
            )
            return response
    seen = visibility(questionnaire, stored)
    if request.method == "GET":
        # A kept answer naming an option that an earlier change has hidden is shown without it.
        suggested = _suggested_answers(current, seen.answers, assessment)
        form = section_form(current, {**suggested, **seen.answers})
    sections = sections_showing(questionnaire, seen.questions)
    if current not in sections:
        # Not asked given the answers so far (e.g. a fleet page without a fleet).
        return redirect(url_for("assessment.resume", token=token))
    visible = seen.questions
    return render_template(
        "assessment/section.html",
        assessment=assessment,
        questionnaire=questionnaire,
        section=current,
        form=form,
        errors=errors,
        error_lines=[
            (qid, _error_line(questionnaire.questions_by_id[qid], message))
            for qid, message in errors.items()
        ],
        progress=progress(questionnaire, seen.answers, current, seen),
        just_saved=_just_saved(token, questionnaire) if request.method == "GET" else None,
        visible=visible,
        hidden_options=seen.hidden_options,
        glossary={q.id: glossary_of(q, questionnaire) for q in current.questions},
        known_answers=_answers_the_script_needs(current, seen.answers, visible),
        is_first=current is sections[0],
        is_last=current is sections[-1],  # "Review my answers" instead of "Next"
    ), (400 if errors else 200)


def _just_saved(token: str, questionnaire: Questionnaire) -> Section | None:
    """The page whose answers the last "Next" or "Back" saved, once (for "saved")."""
    saved = request.cookies.get(SAVED_COOKIE)
    if saved is None:
        return None

    @after_this_request
    def forget(response: Response) -> Response:
        response.delete_cookie(
            SAVED_COOKIE, secure=request.is_secure, httponly=True, samesite="Lax"
        )
        return response

    digest, _, section_id = saved.partition(":")
    if digest != _token_digest(token):
        return None
    return questionnaire.sections_by_id.get(section_id)


def _error_line(question: Question, message: str) -> str:
    """A line of the error summary: the question, then what is wrong, without doubling a
    question's own punctuation ("...provide?: Choose" reads "...provide? Choose")."""
    text = question.text.rstrip()
    if text[-1:] in "?!.:;":
        return f"{text} {message}"
    line: str = _("%(question)s: %(message)s", question=text, message=message)
    return line


def _suggested_answers(
    section: Section, answers: Mapping[str, AnswerValue], assessment: Assessment
) -> dict[str, AnswerValue]:
    """Answers offered before the respondent gives one, never saved until they go on: the
    country of the chosen cluster for a country question still unanswered."""
    suggested: dict[str, AnswerValue] = {}
    cluster = assessment.cluster
    if cluster is None:
        return suggested
    for question in section.questions:
        if (
            question.profile == "country"
            and question.type is QuestionType.CHOICE
            and answers.get(question.id) is None
            and cluster.country.lower() in question.options_by_id
        ):
            suggested[question.id] = cluster.country.lower()
    return suggested


def _answers_the_script_needs(
    section: Section, stored: Mapping[str, AnswerValue], visible: frozenset[str]
) -> dict[str, object]:
    """The answers of other pages that this page's conditions look at, and only while
    their questions are asked: an answer kept for a question that is now hidden must not
    make the script show a question that the server will not keep. ``stored``: the answers
    as they apply (without options hidden since), for the same reason."""
    on_page = {question.id for question in section.questions}
    conditions = [
        condition
        for question in section.questions
        for condition in (question.visible_if, *(o.visible_if for o in question.options))
        if condition is not None
    ]
    looked_at = {question_id for c in conditions for question_id in c.question_ids()}
    return {
        question_id: list(value) if isinstance(value, tuple) else value
        for question_id, value in stored.items()
        if question_id in looked_at and question_id in visible and question_id not in on_page
    }


def _next_url(
    assessment: Assessment,
    questionnaire: Questionnaire,
    current: Section,
    answers: Mapping[str, AnswerValue],
    back: bool,
) -> str:
    sections = visible_sections(questionnaire, answers)
    order = [s.id for s in questionnaire.sections]
    index = order.index(current.id)
    if back:
        earlier = [s for s in sections if order.index(s.id) < index]
        if earlier:
            return url_for("assessment.section", token=assessment.token, section_id=earlier[-1].id)
        return url_for("assessment.section", token=assessment.token, section_id=current.id)
    later = [s for s in sections if order.index(s.id) > index]
    if later:
        return url_for("assessment.section", token=assessment.token, section_id=later[0].id)
    return url_for("assessment.review", token=assessment.token)


@blueprint.get("/a/<token>/review")
def review(token: str) -> Response | str:
    read_without_transaction()
    assessment = assessment_or_404(token)
    if assessment.is_submitted:
        return redirect(url_for("results.show", token=token))
    questionnaire = service.questionnaire_of(assessment)
    answers = service.stored_answers(assessment)
    result = service.result_of(assessment, answers)
    return render_template(
        "assessment/review.html",
        assessment=assessment,
        questionnaire=questionnaire,
        sections=visible_sections(questionnaire, answers),
        answers=result.answers,  # as they apply: options hidden since are left out
        visible=result.visible,
        missing=set(result.missing),
        changed=service.changes_since_previous(assessment, result.answers),
        just_saved=_just_saved(token, questionnaire),
        form=CsrfForm(),
    )


@blueprint.post("/a/<token>/submit")
def submit(token: str) -> Response:
    assessment = assessment_or_404(token)
    try:
        # With an adviser (one-to-one) the cluster sees the result whatever is posted.
        if (
            not assessment.is_submitted
            and "share" in request.form
            and not assessment.is_adviser_assisted
        ):
            service.set_sharing(assessment, request.form["share"] == "yes")
        service.submit(assessment)
        if assessment.workshop_id is not None:
            admit_to_figures(assessment.workshop_id)
    except service.IncompleteAssessment:
        flash(_("Some required questions are still unanswered; they are marked below."), "error")
        return redirect(url_for("assessment.review", token=token))
    _prepare_plan(assessment)
    return redirect(url_for("results.show", token=token))


def _prepare_plan(assessment: Assessment) -> None:
    """The plan in the assessment's language, queued before anyone asks for it; a queue
    that cannot take it now changes nothing for the respondent (the results page asks)."""
    if not current_app.config["PLAN_PREPARE_ON_SUBMIT"]:
        return
    try:
        queue_plan(assessment, assessment.language)
    except QueueUnavailable as exc:
        current_app.logger.warning("plan of assessment %s not queued: %s", assessment.id, exc)


@blueprint.post("/a/<token>/sharing")
def sharing(token: str) -> Response:
    assessment = assessment_or_404(token)
    if assessment.is_adviser_assisted:
        # Made with an adviser: the cluster sees it whatever is posted (the page says so and
        # offers no choice); only deleting it withdraws it.
        flash(
            _(
                "You can delete the assessment at any time with the link below; the cluster "
                "then no longer sees it."
            ),
            "info",
        )
    else:
        service.set_sharing(assessment, request.form.get("share") == "yes")
        if assessment.workshop_id is not None and assessment.is_submitted:
            admit_to_figures(assessment.workshop_id)
        flash(
            _("Your results are now shared with your cluster.")
            if assessment.share_with_cluster
            else _("Your results are not shared with anyone."),
            "info",
        )
    return redirect(
        request.form.get("next_page") == "results"
        and url_for("results.show", token=token)
        or url_for("assessment.resume", token=token)
    )


def _email_link_limit() -> str:
    limit: str = current_app.config["EMAIL_LINK_RATE_LIMIT"]
    return limit


@blueprint.post("/a/<token>/email-link")
@limiter.limit(_email_link_limit)
def email_link(token: str) -> Response:
    """Send the resume link to an address the respondent types; the address is kept only
    until the e-mail has left (assessor.jobs.mail deletes the message then)."""
    assessment = assessment_or_404(token)
    email = request.form.get("email", "").strip()
    if not mail_enabled():
        abort(404)
    if not is_email_address(email):
        flash(_("Enter an e-mail address such as name@example.org."), "error")
        return redirect(url_for("assessment.resume", token=token))
    questionnaire = service.questionnaire_of(assessment)
    body = render_template(
        "mail/resume_link.txt",
        title=questionnaire.title,
        link=absolute_url("assessment.resume", token=token),
    )
    queued = queue_mail(
        email,
        _("Your link to continue the assessment"),
        body,
        f"resume link of assessment {assessment.id}",
    )
    if queued:
        flash(
            _(
                "The link is on its way to %(email)s. The address is kept only until the "
                "e-mail has left.",
                email=email,
            ),
            "info",
        )
    else:
        flash(_("The e-mail could not be sent. Please copy the link instead."), "error")
    return redirect(url_for("assessment.resume", token=token))


@blueprint.route("/a/<token>/delete", methods=["GET", "POST"])
def delete(token: str) -> Response | str:
    assessment = assessment_or_404(token)
    if request.method == "POST":
        service.delete_assessment(assessment)
        return redirect(url_for("public.deleted"))
    return render_template("assessment/delete.html", assessment=assessment, form=CsrfForm())
