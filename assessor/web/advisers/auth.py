"""Signing in and out, accepting an invitation, forgotten and changed passwords: each
page's form, then the views."""

from __future__ import annotations

import unicodedata
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response
from wtforms import Field, ValidationError
from wtforms.validators import DataRequired

from assessor.domain.email_addresses import EMAIL_MAX_LENGTH, normalise_email
from assessor.jobs.mail import queue_mail
from assessor.services import accounts
from assessor.services.mail import mail_enabled
from assessor.storage.models import Role, User
from assessor.web.advisers.access import signed_in
from assessor.web.extensions import limiter
from assessor.web.field_checks import (
    AccountAddress,
    MaxLength,
    Password,
    Text,
    column_limit,
    field_errors,
    too_long_message,
)
from assessor.web.form_pages import form_page
from assessor.web.forms import CsrfForm
from assessor.web.links import absolute_url
from assessor.web.routes import Routes

routes = Routes()

NAME_LIMIT = column_limit(User.name)


class SignInForm(CsrfForm):
    """Checked by ``accounts.authenticate`` alone: one message, whichever part is wrong."""

    email = Text(strip=False)
    password = Password()


class ForgotPasswordForm(CsrfForm):
    email = Text(validators=[AccountAddress()])


class _NewPassword:
    """The rules of a new password; the message names the configured lengths."""

    def __call__(self, form: CsrfForm, field: Field) -> None:
        password = field.data or ""
        if len(password) > accounts.PASSWORD_MAX_LENGTH:
            raise ValidationError(too_long_message(accounts.PASSWORD_MAX_LENGTH))
        if accounts.password_problem(password):
            raise ValidationError(
                _(
                    "Choose a password of at least %(count)s characters, with at least 5 different characters.",
                    count=accounts.PASSWORD_MIN_LENGTH,
                )
            )


def _new_password() -> Password:
    return Password(validators=[_NewPassword()])


class _TypedTwice(CsrfForm):
    """A new password typed twice (invitation, reset, change): the second field is only
    compared once the first one is acceptable, so a page shows one password message.
    Each form declares the two fields itself, where they stand on its page: WTForms
    orders fields (and so the error summary) by when they were created."""

    password_min_length = accounts.PASSWORD_MIN_LENGTH

    def validate_password_again(self, field: Field) -> None:
        password: Field = self["password"]
        if not password.errors and field.data != password.data:
            raise ValidationError(_("The two passwords differ."))


class InvitationForm(_TypedTwice):
    name = Text(
        validators=[
            DataRequired(message=_l("Please give your name.")),
            MaxLength(NAME_LIMIT, _l("Please keep the name under 200 characters.")),
        ],
    )
    password = _new_password()
    password_again = Password()


class ResetPasswordForm(_TypedTwice):
    password = _new_password()
    password_again = Password()


class ChangePasswordForm(_TypedTwice):
    current_password = Password()
    password = _new_password()
    password_again = Password()

    def validate_current_password(self, field: Field) -> None:
        if not accounts.password_matches(current_user, field.data or ""):
            raise ValidationError(_("This is not your current password."))


def _sign_in_limit() -> str:
    limit: str = current_app.config["SIGN_IN_RATE_LIMIT"]
    return limit


def _account_limit() -> str:
    limit: str = current_app.config["SIGN_IN_ACCOUNT_RATE_LIMIT"]
    return limit


def _typed_email() -> str:
    """The rate limit's key: the limiter asks for it before the view builds its form."""
    return "sign-in:" + normalise_email(request.form.get("email", ""))[:EMAIL_MAX_LENGTH]


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


@routes.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
@limiter.limit(_account_limit, methods=["POST"], key_func=_sign_in_attempt_key)
def sign_in() -> Response | tuple[str, int] | str:
    if current_user.is_authenticated:
        return redirect(home_of(current_user.role_enum))
    form = SignInForm()
    error = None
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")) or home_of(user.role_enum))
        error = _("The e-mail address or the password is not right.")
    return form_page(
        "advisers/sign_in.html", form=form, error=error, email=form.email.data, refused=bool(error)
    )


@routes.post("/sign-out")
@signed_in()
def sign_out() -> Response:
    """End this session and every other one of the account: the session cookie is signed,
    not stored, so a copy of it would otherwise stay valid for its whole lifetime."""
    user = current_user._get_current_object()
    logout_user()
    accounts.end_sessions(user)  # as a new password does
    flash(_("You have signed out."), "info")
    return redirect(url_for("advisers.sign_in"))


@routes.route("/invitation/<token>", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
def accept_invitation(token: str) -> Response | tuple[str, int] | str:
    invitation = accounts.open_invitation(token)
    if invitation is None:
        return render_template("advisers/invitation_gone.html"), 404
    form = InvitationForm()
    errors: dict[str, str] = {}
    if form.is_submitted():
        errors = {} if form.validate() else field_errors(form)
        if not errors:
            try:
                user = accounts.accept_invitation(invitation, form.name.data, form.password.data)
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
        "advisers/invitation.html",
        form=form,
        invitation=invitation,
        errors=errors,
        name=form.name.data,
        name_limit=NAME_LIMIT,
    )


@routes.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
@limiter.limit(_account_limit, methods=["POST"], key_func=_typed_email)
def forgot_password() -> str | tuple[str, int]:
    """Send a link for choosing a new password. The answer is the same whether or not the
    address has an account, so the page tells nobody who has one."""
    form = ForgotPasswordForm()
    email = form.email.data
    error = None
    sent = False
    if form.is_submitted() and mail_enabled():
        if not form.validate():
            error = field_errors(form).get("email")
        else:
            user = accounts.user_by_email(email)
            if user is not None and user.is_active and user.password_hash:
                _send_reset_link(user)
            sent = True
    return form_page(
        "advisers/forgot_password.html",
        form=form,
        email=email,
        error=error,
        sent=sent,
        can_send=mail_enabled(),
        minutes=current_app.config["PASSWORD_RESET_MINUTES"],
        refused=bool(error),
    )


def _send_reset_link(user: User) -> None:
    token = accounts.password_reset_token(user, current_app.config["SECRET_KEY"])
    link = absolute_url("advisers.reset_password", token=token)
    body = render_template(
        "mail/password_reset.txt",
        user=user,
        link=link,
        minutes=current_app.config["PASSWORD_RESET_MINUTES"],
    )
    queue_mail(
        user.email,
        _("Choose a new password for assessor"),
        body,
        f"password reset mail for user {user.id}",
    )


@routes.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
def reset_password(token: str) -> Response | tuple[str, int] | str:
    lifetime = timedelta(minutes=current_app.config["PASSWORD_RESET_MINUTES"])
    user = accounts.user_of_reset_token(token, current_app.config["SECRET_KEY"], lifetime)
    if user is None:
        return render_template("advisers/reset_gone.html"), 404
    form = ResetPasswordForm()
    errors: dict[str, str] = {}
    if form.is_submitted():
        errors = {} if form.validate() else field_errors(form)
        if not errors:
            accounts.set_password(user, form.password.data)
            login_user(user)
            flash(_("Your new password is saved."), "info")
            return redirect(home_of(user.role_enum))
    return form_page("advisers/reset_password.html", form=form, user=user, errors=errors)


@routes.route("/password", methods=["GET", "POST"])
@signed_in()
@limiter.limit(_sign_in_limit, methods=["POST"])
def change_password() -> Response | tuple[str, int] | str:
    """A new password for the signed-in account; every other session of it ends."""
    form = ChangePasswordForm()
    errors: dict[str, str] = {}
    if form.is_submitted():
        errors = {} if form.validate() else field_errors(form)
        if not errors:
            user = current_user._get_current_object()
            accounts.set_password(user, form.password.data)
            login_user(user)  # this session goes on; the others end with the old version
            flash(_("Your new password is saved."), "info")
            return redirect(home_of(user.role_enum))
    return form_page("advisers/change_password.html", form=form, errors=errors)
