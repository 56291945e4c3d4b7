"""The cluster administrator's questionnaire pages beside the editor: which platform
questionnaires the cluster offers and which one its start form selects, and the preview
(answering a questionnaire text before publishing it, never counted)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from assessor.domain.cluster_files import COMPANY_CHOOSES
from assessor.services.assessments import questionnaires_visible
from assessor.services.questionnaires.catalogue import default_questionnaire, offered_to
from assessor.services.questionnaires.offer import (
    OfferProblems,
    check_offer,
    own_ids,
    platform_ids,
    set_offer,
    start_preview,
)
from assessor.services.questionnaires.publishing import MAX_QUESTIONNAIRE_BYTES, check_text
from assessor.services.questionnaires.translated import current_language
from assessor.storage.models import Cluster, Role
from assessor.web.advisers.access import signed_in
from assessor.web.form_pages import form_page
from assessor.web.forms import CsrfForm
from assessor.web.routes import Routes

routes = Routes()


@routes.route("/cluster/questionnaires/offer", methods=["GET", "POST"])
@signed_in(Role.CLUSTER_ADMIN)
def questionnaire_offer() -> Response | tuple[str, int] | str:
    """Which platform questionnaires the cluster offers, and its start form's default."""
    cluster: Cluster = current_user.cluster
    form = CsrfForm()
    errors: dict[str, str] = {}
    if request.method == "POST" and form.validate_on_submit():
        chosen = request.form.getlist("questionnaires")
        automatic = request.form.get("automatic") == "yes"
        default = request.form.get("default_questionnaire", COMPANY_CHOOSES)
        offer, problems = check_offer(cluster, chosen, automatic, default)
        if offer is not None:
            set_offer(cluster, offer)
            flash(_("The questionnaires the cluster offers are saved."), "info")
            return redirect(url_for("advisers.questionnaire_offer"))
        errors = _messages(problems)
        values = {"chosen": chosen, "automatic": automatic, "default": default}
    else:
        offered = cluster.offered_questionnaires
        values = {
            "chosen": platform_ids() if offered is None else list(offered),
            "automatic": offered is None,
            # Never chosen: what the start form selects now (the platform's default).
            "default": cluster.default_questionnaire
            if cluster.default_questionnaire is not None
            else default_questionnaire(cluster, offered_to(cluster)) or COMPANY_CHOOSES,
        }
    visible = {q.id: q for q in questionnaires_visible(cluster)}
    return form_page(
        "advisers/questionnaire_offer.html",
        form=form,
        errors=errors,
        values=values,
        own=[visible[i] for i in own_ids(cluster) if i in visible],
        platform=[visible[i] for i in platform_ids() if i in visible],
        cluster=cluster,
    )


def _messages(problems: OfferProblems) -> dict[str, str]:
    errors: dict[str, str] = {}
    if problems.questionnaires == "unknown":
        errors["questionnaires"] = _("Choose among the questionnaires listed.")
    elif problems.questionnaires == "none":
        errors["questionnaires"] = _(
            "Offer at least one questionnaire: companies need one to start."
        )
    if problems.automatic:
        errors["automatic"] = _(
            "New questionnaires can be offered automatically only while every platform "
            "questionnaire is offered: tick them all, or untick this."
        )
    if problems.default:
        errors["default_questionnaire"] = _(
            "The questionnaire selected on the start form must be one the cluster offers."
        )
    return errors


@routes.post("/cluster/questionnaires/preview")
@signed_in(Role.CLUSTER_ADMIN, Role.PLATFORM_ADMIN)
def preview_questionnaire() -> Response | tuple[str, int] | str:
    """Answer a questionnaire text as a test respondent before publishing it: its results
    and plan as a company would get them, never counted in any figure."""
    # (CSRFProtect checked the token before.) A platform administrator previews
    # platform-wide questionnaires, a cluster administrator the cluster's own.
    cluster: Cluster | None = (
        current_user.cluster if current_user.role_enum is Role.CLUSTER_ADMIN else None
    )
    source = request.form.get("source", "")
    return_to = _local_path(request.form.get("return_to", ""))
    if not source.strip():
        problems = [(1, _("Paste or upload a questionnaire to preview."))]
        return _refused(source, problems, return_to)
    if len(source.encode()) > MAX_QUESTIONNAIRE_BYTES:
        problems = [(1, _("The text is over %(size)s KB.", size=MAX_QUESTIONNAIRE_BYTES // 1024))]
        return _refused("", problems, return_to)
    check = check_text(source, cluster)
    if not check.ok:
        # The validator's own words (English, like the command line's), each with its line.
        return _refused(source, [(e.line, e.message) for e in check.errors], return_to)
    assessment = start_preview(check, cluster, current_language())
    return redirect(url_for("assessment.resume", token=assessment.token))


def _refused(
    source: str, problems: list[tuple[int, str]], return_to: str | None
) -> tuple[str, int] | str:
    lines = source.replace("\r\n", "\n").split("\n") if source else []
    return form_page(
        "advisers/questionnaire_preview_refused.html",
        refused=True,
        form=CsrfForm(),
        source=source,
        problems=sorted(problems),
        wrong_lines={line for line, _message in problems},
        lines=lines,
        return_to=return_to,
    )


def _local_path(value: str) -> str | None:
    """``value`` if it is a path on this site ("/advisers/..."), else None: a form must not
    send the administrator to another site."""
    parts = urlsplit(value)
    if (
        not value.startswith("/")
        or value.startswith("//")
        or "\\" in value
        or parts.scheme
        or parts.netloc
    ):
        return None
    return value
