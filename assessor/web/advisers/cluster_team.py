"""The cluster administrator's advisers: invitations (by e-mail when the site can send
it), disabling or enabling an account, and the log of what advisers did with shared data."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms.validators import DataRequired

from assessor.jobs.mail import queue_mail
from assessor.services import accounts
from assessor.services.mail import mail_enabled
from assessor.services.privacy import cluster_access_log
from assessor.storage.models import Invitation, Role
from assessor.web.advisers.access import signed_in
from assessor.web.field_checks import EmailAddress, Text, field_errors
from assessor.web.form_pages import form_page
from assessor.web.forms import CsrfForm
from assessor.web.links import absolute_url
from assessor.web.routes import Routes

routes = Routes()


class InviteForm(CsrfForm):
    email = Text(
        validators=[
            DataRequired(message=_l("Enter an e-mail address such as name@example.org.")),
            EmailAddress(),
        ],
    )
    role = Text(strip=False)  # "cluster-admin"; anything else invites an adviser


class AdviserActiveForm(CsrfForm):
    active = Text(strip=False)  # "yes" enables the account; anything else disables it


@routes.route("/cluster/advisers", methods=["GET", "POST"])
@signed_in(Role.CLUSTER_ADMIN)
def cluster_advisers() -> tuple[str, int] | str:
    cluster = current_user.cluster
    form = InviteForm()
    link = None
    mailed: bool | None = None  # None: this site sends no e-mail
    error = None
    email = form.email.data
    if form.is_submitted():
        role = Role.CLUSTER_ADMIN if form.role.data == "cluster-admin" else Role.ADVISER
        if not form.validate():
            error = field_errors(form).get("email")
            invitation = None
        else:
            try:
                invitation = accounts.invite(cluster, email, role, current_user)
            except accounts.AccountError:
                error = _("This person has an account already.")
                invitation = None
        if invitation is not None:
            link = absolute_url("advisers.accept_invitation", token=invitation.token)
            if mail_enabled():
                mailed = _mail_invitation(invitation.invitation, link)
            email = ""
    return form_page(
        "advisers/cluster_advisers.html",
        cluster=cluster,
        form=form,
        advisers=accounts.advisers_of(cluster),
        invitations=accounts.pending_invitations(cluster),
        link=link,
        mailed=mailed,
        error=error,
        email=email,
        refused=bool(error),
    )


def _mail_invitation(invitation: Invitation, link: str) -> bool:
    """E-mail the link in the cluster's language; whether it was queued (the page shows the
    link either way, so that the administrator can pass it on if the e-mail goes astray)."""
    cluster = invitation.cluster
    with force_locale(cluster.default_language):
        role = _("cluster administrator") if invitation.role == "cluster-admin" else _("adviser")
        subject = _("Your invitation to %(cluster)s on assessor", cluster=cluster.name)
        body = render_template(
            "mail/invitation.txt",
            inviter=current_user.name,
            cluster=cluster.name,
            role=role,
            link=link,
        )
    return queue_mail(invitation.email, subject, body, f"invitation {invitation.id}")


@routes.post("/cluster/advisers/<public_id>/active")
@signed_in(Role.CLUSTER_ADMIN)
def adviser_active(public_id: str) -> Response:
    user = accounts.user_by_public_id(public_id)
    if user is None or user.cluster_id != current_user.cluster_id or user.id == current_user.id:
        abort(404)
    # CSRFProtect has checked the token before any view runs; the form only reads the field.
    accounts.set_active(user, AdviserActiveForm().active.data == "yes")
    return redirect(url_for("advisers.cluster_advisers"))


ACTION_LABELS = {
    "view-assessment": _l("viewed the results"),
    "download-plan": _l("downloaded the action plan"),
    "export-csv": _l("exported the workshop (CSV)"),
    "export-xlsx": _l("exported the workshop (XLSX)"),
    "create-api-token": _l("created an API token"),
    "revoke-api-token": _l("revoked an API token"),
}
LOG_PAGE_SIZE = 50


@routes.get("/cluster/log")
@signed_in(Role.CLUSTER_ADMIN)
def access_log() -> str:
    """Who looked at or took out which company's shared data, and when."""
    page = request.args.get("page", "0")
    # isdecimal, not isdigit: "²" is a digit that int() refuses.
    number = int(page) if page.isascii() and page.isdecimal() and len(page) < 7 else 0
    entries = cluster_access_log(current_user.cluster, number, LOG_PAGE_SIZE)
    return render_template(
        "advisers/cluster_log.html",
        entries=entries,
        labels={action: str(label) for action, label in ACTION_LABELS.items()},
        page=number,
        more=len(entries) == LOG_PAGE_SIZE,
    )
