"""Signing in and out, and accepting an invitation."""

from __future__ import annotations

import unicodedata
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from assessor.domain.email_addresses import could_name_an_account
from assessor.services import accounts
from assessor.services.mail import mail_enabled, send_mail_in_background
from assessor.storage.db import db
from assessor.storage.models import Role, User
from assessor.web.advisers.access import signed_in
from assessor.web.advisers.views import blueprint
from assessor.web.extensions import limiter
from assessor.web.form_pages import form_page
from assessor.web.forms import CsrfForm
from assessor.web.links import absolute_url


def _sign_in_limit() -> str:
    return current_app.config["SIGN_IN_RATE_LIMIT"]


def _account_limit() -> str:
    return current_app.config["SIGN_IN_ACCOUNT_RATE_LIMIT"]


def _typed_email() -> str:
    return "sign-in:" + accounts.normalise_email(request.form.get("email", ""))[:254]


def _sign_in_attempt_key() -> str:
    """The account typed in *and* the address it comes from: a stranger's wrong guesses
    from elsewhere never hold up the right password from the adviser's own address."""
    return _typed_email() + "|" + get_remote_address()


def _safe_next(target: str | None) -> str | None:
    """Only a path of this site: never an open redirect.

    Browsers drop tabs and newlines anywhere in a Location, strip leading controls and
    spaces, and read a backslash as a slash, so ``/%09/evil.example`` would arrive as
    ``//evil.example`` (and a CR or LF cannot go into a header at all). Any such character
    refuses the value outright (nothing is stripped), and what is left must parse as a
    bare path: no scheme, no host.
    """
    if not target or len(target) > 2000:
        return None
    if any(c.isspace() or c == "\\" or unicodedata.category(c) == "Cc" for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path.startswith("/") or parts.path.startswith("//"):
        return None
    return target


def home_of(role: Role) -> str:
    return url_for("advisers.platform") if role is Role.PLATFORM_ADMIN else url_for("advisers.home")


@blueprint.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
@limiter.limit(_account_limit, methods=["POST"], key_func=_sign_in_attempt_key)
def sign_in() -> Response | tuple[str, int] | str:
    if current_user.is_authenticated:
        return redirect(home_of(current_user.role_enum))
    form = CsrfForm()
    error = None
    email = request.form.get("email", "")
    if request.method == "POST":
        user = accounts.authenticate(email, request.form.get("password", ""))
        if user is not None:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")) or home_of(user.role_enum))
        error = _("The e-mail address or the password is not right.")
    page = render_template("advisers/sign_in.html", form=form, error=error, email=email)
    return (page, 400) if error else page


@blueprint.post("/sign-out")
@signed_in()
def sign_out() -> Response:
    """End this session and every other one of the account: the session cookie is signed,
    not stored, so a copy of it would otherwise stay valid for its whole lifetime."""
    user = current_user._get_current_object()
    logout_user()
    user.session_version += 1  # as a new password does; outstanding reset links end too
    db.session.commit()
    flash(_("You have signed out."), "info")
    return redirect(url_for("advisers.sign_in"))


@blueprint.route("/invitation/<token>", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
def accept_invitation(token: str) -> Response | tuple[str, int] | str:
    invitation = accounts.open_invitation(token)
    if invitation is None:
        return render_template("advisers/invitation_gone.html"), 404
    form = CsrfForm()
    errors: dict[str, str] = {}
    name = request.form.get("name", "").strip()
    if request.method == "POST":
        if not name:
            errors["name"] = _("Please give your name.")
        elif len(name) > 200:
            errors["name"] = _("Please keep the name under 200 characters.")
        errors.update(_new_password_errors())
        if not errors:
            try:
                user = accounts.accept_invitation(invitation, name, request.form["password"])
            except accounts.InvitationGone:  # used a moment ago: a double click
                return render_template("advisers/invitation_gone.html"), 404
            except accounts.AccountExists:  # another invitation to this address made it
                flash(
                    _(
                        "An account for %(email)s exists already: sign in with it.",
                        email=invitation.email,
                    ),
                    "info",
                )
                return redirect(url_for("advisers.sign_in"))
            except accounts.AccountError as refused:  # checked above; never a 500 all the same
                current_app.logger.warning("invitation %s not accepted: %s", invitation.id, refused)
                return render_template("advisers/invitation_gone.html"), 400
            login_user(user)
            flash(_("Welcome! Your account is ready."), "info")
            return redirect(home_of(user.role_enum))
    return form_page(
        "advisers/invitation.html", form=form, invitation=invitation, errors=errors, name=name
    )


def _new_password_errors() -> dict[str, str]:
    """Checks of a new password typed twice (invitation, reset), by field."""
    password = request.form.get("password", "")
    if len(password) > accounts.PASSWORD_MAX_LENGTH:
        return {"password": _("Please keep the password under 200 characters.")}
    if accounts.password_problem(password):
        return {
            "password": _(
                "Choose a password of at least %(count)s characters, with at least 5 different characters.",
                count=accounts.PASSWORD_MIN_LENGTH,
            )
        }
    if password != request.form.get("password_again", ""):
        return {"password_again": _("The two passwords differ.")}
    return {}


@blueprint.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
@limiter.limit(_account_limit, methods=["POST"], key_func=_typed_email)
def forgot_password() -> str | tuple[str, int]:
    """Send a link for choosing a new password. The answer is the same whether or not the
    address has an account, so the page tells nobody who has one."""
    form = CsrfForm()
    email = request.form.get("email", "").strip()
    error = None
    sent = False
    if request.method == "POST" and form.validate_on_submit() and mail_enabled():
        if not could_name_an_account(email):
            error = _("Enter an e-mail address such as name@example.org.")
        else:
            user = accounts.user_by_email(email)
            if user is not None and user.is_active and user.password_hash:
                _send_reset_link(user)
            sent = True
    page = render_template(
        "advisers/forgot_password.html",
        form=form,
        email=email,
        error=error,
        sent=sent,
        can_send=mail_enabled(),
        minutes=current_app.config["PASSWORD_RESET_MINUTES"],
    )
    return (page, 400) if error else page


def _send_reset_link(user: User) -> None:
    token = accounts.password_reset_token(user, current_app.config["SECRET_KEY"])
    link = absolute_url("advisers.reset_password", token=token)
    body = render_template(
        "mail/password_reset.txt",
        user=user,
        link=link,
        minutes=current_app.config["PASSWORD_RESET_MINUTES"],
    )
    send_mail_in_background(
        user.email,
        _("Choose a new password for assessor"),
        body,
        f"password reset mail for user {user.id}",
    )


@blueprint.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
def reset_password(token: str) -> Response | tuple[str, int] | str:
    lifetime = timedelta(minutes=current_app.config["PASSWORD_RESET_MINUTES"])
    user = accounts.user_of_reset_token(token, current_app.config["SECRET_KEY"], lifetime)
    if user is None:
        return render_template("advisers/reset_gone.html"), 404
    form = CsrfForm()
    errors: dict[str, str] = {}
    if request.method == "POST" and form.validate_on_submit():
        errors = _new_password_errors()
        if not errors:
            accounts.set_password(user, request.form["password"])
            login_user(user)
            flash(_("Your new password is saved."), "info")
            return redirect(home_of(user.role_enum))
    return form_page("advisers/reset_password.html", form=form, user=user, errors=errors)


@blueprint.route("/password", methods=["GET", "POST"])
@signed_in()
@limiter.limit(_sign_in_limit, methods=["POST"])
def change_password() -> Response | tuple[str, int] | str:
    """A new password for the signed-in account; every other session of it ends."""
    form = CsrfForm()
    errors: dict[str, str] = {}
    if request.method == "POST" and form.validate_on_submit():
        if not accounts.password_matches(current_user, request.form.get("current_password", "")):
            errors["current_password"] = _("This is not your current password.")
        errors.update(_new_password_errors())
        if not errors:
            user = current_user._get_current_object()
            accounts.set_password(user, request.form["password"])
            login_user(user)  # this session goes on; the others end with the old version
            flash(_("Your new password is saved."), "info")
            return redirect(home_of(user.role_enum))
    return form_page("advisers/change_password.html", form=form, errors=errors)
