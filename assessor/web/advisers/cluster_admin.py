"""The cluster administrator's pages: the service catalogue and the cluster's advisers."""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from assessor.domain.clusters import COLOUR, EMAIL, Vocabulary, check_service
from assessor.domain.logos import LOGO_MAX_BYTES, logo_problem, logo_type_of
from assessor.domain.services import ServiceCategory
from assessor.services import accounts
from assessor.services.assessments import catalogue
from assessor.services.clusters import (
    delete_service,
    export_archive,
    logo_data_url,
    save_service,
    update_profile,
)
from assessor.services.language import LANGUAGES
from assessor.services.mail import MailNotSent, mail_enabled, send_mail
from assessor.storage.models import Invitation, Role
from assessor.web.advisers.access import signed_in
from assessor.web.advisers.views import blueprint
from assessor.web.downloads import download
from assessor.web.self_assessment.forms import StartForm

CATEGORY_NAMES = {
    ServiceCategory.INNOVATION: _l("Innovation services"),
    ServiceCategory.FINANCE: _l("Access to finance"),
    ServiceCategory.REGULATION: _l("Regulatory advice"),
    ServiceCategory.INTERNATIONALISATION: _l("Internationalisation and matchmaking"),
    ServiceCategory.TRAINING: _l("Training"),
    ServiceCategory.PROCESS: _l("Process advice"),
}


def _category_labels() -> dict[str, str]:
    return {category.value: str(name) for category, name in CATEGORY_NAMES.items()}


def _vocabulary() -> Vocabulary:
    return Vocabulary.of(catalogue())


def _languages() -> list[str]:
    cluster = current_user.cluster
    ordered = [cluster.default_language, *cluster.languages, "en"]
    return [code for code in dict.fromkeys(ordered) if code]


@blueprint.get("/cluster/services")
@signed_in(Role.CLUSTER_ADMIN)
def services() -> str:
    return render_template(
        "advisers/cluster_services.html",
        cluster=current_user.cluster,
        categories=_category_labels(),
        form=StartForm(),
    )


def _service_data(form: dict, languages: list[str]) -> dict:
    """The form as a catalogue entry; empty fields are left out, as a file would."""
    data: dict = {
        "id": form.get("id", "").strip(),
        "category": form.get("category", ""),
        "title": {code: form.get(f"title_{code}", "").strip() for code in languages},
        "description": {code: form.get(f"description_{code}", "").strip() for code in languages},
        "topics": form.getlist("topics"),
        "levels": form.getlist("levels"),
    }
    for key in ("title", "description"):
        data[key] = {code: text for code, text in data[key].items() if text}
    contact = {
        k: v
        for k, v in (
            ("name", form.get("contact_name", "").strip()),
            ("email", form.get("contact_email", "").strip()),
        )
        if v
    }
    if contact:
        data["contact"] = contact
    if form.get("url", "").strip():
        data["url"] = form.get("url", "").strip()
    if not data["levels"]:
        del data["levels"]
    return data


def _form_errors(data: dict, languages: list[str]) -> dict[str, str]:
    """Messages next to the fields, in the user's language, before the catalogue check."""
    errors: dict[str, str] = {}
    default = current_user.cluster.default_language
    if not data["id"]:
        errors["id"] = _("Give the service a short id, such as carbon-clinic.")
    if data["category"] not in _category_labels():
        errors["category"] = _("Choose a category.")
    for key in ("title", "description"):
        if default not in data[key] and "en" not in data[key]:
            errors[f"{key}_{languages[0]}"] = _(
                "Write this at least in %(language)s, the cluster's default language, or in English.",
                language=LANGUAGES.get(default, default),
            )
    if not data["topics"]:
        errors["topics"] = _("Choose at least one topic: actions are matched to services by topic.")
    email = data.get("contact", {}).get("email")
    if email and not EMAIL.match(email):
        errors["contact_email"] = _("Enter an e-mail address such as name@example.org.")
    if data.get("url") and not data["url"].startswith("https://"):
        errors["url"] = _("Enter an address that starts with https://")
    return errors


@blueprint.route("/cluster/services/new", methods=["GET", "POST"])
@blueprint.route("/cluster/services/<key>", methods=["GET", "POST"])
@signed_in(Role.CLUSTER_ADMIN)
def service(key: str | None = None) -> Response | tuple[str, int] | str:
    cluster = current_user.cluster
    existing = next((row for row in cluster.services if row.key == key), None) if key else None
    if key and existing is None:
        abort(404)
    languages = _languages()
    form = StartForm()
    errors: dict[str, str] = {}
    problems: tuple[str, ...] = ()
    if request.method == "POST" and form.validate_on_submit():
        data = _service_data(request.form, languages)
        errors = _form_errors(data, languages)
        if not errors:
            checked, problems = check_service(
                data, cluster.default_language, cluster.name, _vocabulary()
            )
            if checked is not None:
                try:
                    save_service(cluster, checked, replacing=key)
                except ValueError:
                    errors["id"] = _("Another service of the cluster has this id.")
                else:
                    flash(_("The service is saved."), "info")
                    return redirect(url_for("advisers.services"))
        values = data
    elif existing is not None:
        values = {
            "id": existing.key,
            "category": existing.category,
            "title": existing.title,
            "description": existing.description,
            "topics": existing.topics,
            "levels": existing.levels,
            "contact": {"name": existing.contact_name, "email": existing.contact_email},
            "url": existing.url,
        }
    else:
        values = {"title": {}, "description": {}, "topics": [], "levels": [], "contact": {}}
    vocabulary = _vocabulary()
    levels = next(iter(catalogue())).levels if list(catalogue()) else ()
    page = render_template(
        "advisers/service_form.html",
        form=form,
        key=key,
        values=values,
        errors=errors,
        problems=problems,
        languages=[(code, LANGUAGES.get(code, code)) for code in languages],
        categories=_category_labels(),
        topics=sorted(vocabulary.topics),
        levels=[level for level in levels if level.id in vocabulary.levels],
    )
    return (page, 400) if errors or problems else page


@blueprint.post("/cluster/services/<key>/delete")
@signed_in(Role.CLUSTER_ADMIN)
def remove_service(key: str) -> Response:
    if not delete_service(current_user.cluster, key):
        abort(404)
    flash(_("The service is deleted."), "info")
    return redirect(url_for("advisers.services"))


@blueprint.get("/cluster/catalogue.zip")
@signed_in(Role.CLUSTER_ADMIN)
def export_catalogue() -> Response:
    cluster = current_user.cluster
    return download(export_archive(cluster), f"{cluster.slug}-catalogue.zip")


@blueprint.route("/cluster/advisers", methods=["GET", "POST"])
@signed_in(Role.CLUSTER_ADMIN)
def cluster_advisers() -> tuple[str, int] | str:
    cluster = current_user.cluster
    form = StartForm()
    link = None
    mailed: bool | None = None  # None: this site sends no e-mail
    error = None
    email = request.form.get("email", "").strip()
    if request.method == "POST" and form.validate_on_submit():
        role = Role.CLUSTER_ADMIN if request.form.get("role") == "cluster-admin" else Role.ADVISER
        try:
            invitation = accounts.invite(cluster, email, role, current_user)
        except accounts.AccountError:
            error = (
                _("Enter an e-mail address such as name@example.org.")
                if not accounts.EMAIL.match(accounts.normalise_email(email))
                else _("This person has an account already.")
            )
        else:
            link = url_for("advisers.accept_invitation", token=invitation.token, _external=True)
            mailed = _mail_invitation(invitation.invitation, link) if mail_enabled() else None
            email = ""
    page = render_template(
        "advisers/cluster_advisers.html",
        cluster=cluster,
        form=form,
        advisers=accounts.advisers_of(cluster),
        invitations=accounts.pending_invitations(cluster),
        link=link,
        mailed=mailed,
        error=error,
        email=email,
    )
    return (page, 400) if error else page


def _mail_invitation(invitation: Invitation, link: str) -> bool:
    """E-mail the link in the cluster's language; whether it left (the page shows the link
    either way, so that the administrator can pass it on if the e-mail went astray)."""
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
    try:
        send_mail(invitation.email, subject, body)
    except MailNotSent as exc:
        current_app.logger.error("invitation %s not mailed: %s", invitation.id, exc)
        return False
    return True


@blueprint.post("/cluster/advisers/<public_id>/active")
@signed_in(Role.CLUSTER_ADMIN)
def adviser_active(public_id: str) -> Response:
    user = accounts.user_by_public_id(public_id)
    if user is None or user.cluster_id != current_user.cluster_id or user.id == current_user.id:
        abort(404)
    accounts.set_active(user, request.form.get("active") == "yes")
    return redirect(url_for("advisers.cluster_advisers"))


@blueprint.route("/cluster/profile", methods=["GET", "POST"])
@signed_in(Role.CLUSTER_ADMIN)
def profile() -> Response | tuple[str, int] | str:
    """Name, description, contact, web site, logo, brand colour and languages of the cluster."""
    cluster = current_user.cluster
    form = StartForm()
    errors: dict[str, str] = {}
    if request.method == "POST" and form.validate_on_submit():
        values = {
            "name": request.form.get("name", "").strip(),
            "description": request.form.get("description", "").strip(),
            "contact_name": request.form.get("contact_name", "").strip(),
            "contact_email": request.form.get("contact_email", "").strip(),
            "website": request.form.get("website", "").strip(),
            "colour": request.form.get("colour", "").strip().lower(),
            "languages": [code for code in request.form.getlist("languages") if code in LANGUAGES],
            "default_language": request.form.get("default_language", ""),
        }
        if not values["name"] or len(values["name"]) > 200:
            errors["name"] = _("Give the cluster's name (at most 200 characters).")
        if values["contact_email"] and not EMAIL.match(values["contact_email"]):
            errors["contact_email"] = _("Enter an e-mail address such as name@example.org.")
        if values["website"] and not values["website"].startswith("https://"):
            errors["website"] = _("Enter an address that starts with https://")
        if not COLOUR.match(values["colour"]):
            errors["colour"] = _("Enter a colour such as #0b5d4b.")
        if not values["languages"]:
            errors["languages"] = _("Choose at least one language.")
        elif values["default_language"] not in values["languages"]:
            errors["default_language"] = _("The default language must be one of the chosen ones.")
        logo, logo_error = _uploaded_logo()
        if logo_error:
            errors["logo"] = logo_error
        elif logo is not None:
            values["logo"] = logo
        elif request.form.get("remove_logo") == "yes":
            values["logo"] = (None, None)
        if not errors:
            update_profile(cluster, values)
            flash(_("The cluster's profile is saved."), "info")
            return redirect(url_for("advisers.profile"))
    else:
        values = {
            "name": cluster.name,
            "description": cluster.description or "",
            "contact_name": cluster.contact_name or "",
            "contact_email": cluster.contact_email or "",
            "website": cluster.website or "",
            "colour": cluster.colour,
            "languages": list(cluster.languages),
            "default_language": cluster.default_language,
        }
    page = render_template(
        "advisers/cluster_profile.html",
        form=form,
        values=values,
        errors=errors,
        languages=LANGUAGES,
        logo=logo_data_url(cluster),
        logo_max_kb=LOGO_MAX_BYTES // 1000,
    )
    return (page, 400) if errors else page


def _uploaded_logo() -> tuple[tuple[bytes, str] | None, str | None]:
    """The logo file sent with the profile, checked like a catalogue's: (logo, error)."""
    upload = request.files.get("logo")
    if upload is None or not upload.filename:
        return None, None
    data = upload.read(LOGO_MAX_BYTES + 1)
    kind = logo_type_of(data)
    if kind is None or logo_problem(data, kind):
        return None, _(
            "Choose a PNG or SVG image of at most %(size)s KB, without scripts or links "
            "to other files.",
            size=LOGO_MAX_BYTES // 1000,
        )
    return (data, kind), None
