"""The cluster administrator's profile page: name, contact, logo, colour, languages."""

from __future__ import annotations

from flask import Response, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from assessor.domain import text_limits
from assessor.domain.clusters import COLOUR
from assessor.domain.logos import LOGO_MAX_BYTES, clean_logo, logo_type_of
from assessor.services.clusters import (
    logo_data_url,
    update_profile,
)
from assessor.services.language import LANGUAGES
from assessor.storage.models import Cluster, Role
from assessor.web.advisers.access import signed_in
from assessor.web.advisers.views import blueprint
from assessor.web.field_checks import column_limit, email_error, length_errors
from assessor.web.form_pages import form_page
from assessor.web.forms import CsrfForm

_LIMITS = {
    "name": column_limit(Cluster.name),
    "description": text_limits.DESCRIPTION,
    "contact_name": column_limit(Cluster.contact_name),
    "contact_email": column_limit(Cluster.contact_email),
    "website": column_limit(Cluster.website),
}


@blueprint.route("/cluster/profile", methods=["GET", "POST"])
@signed_in(Role.CLUSTER_ADMIN)
def profile() -> Response | tuple[str, int] | str:
    """Name, description, contact, web site, logo, brand colour and languages of the cluster."""
    cluster = current_user.cluster
    form = CsrfForm()
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
        errors.update(length_errors(values, _LIMITS))
        if not values["name"]:
            errors["name"] = _("Give the cluster's name.")
        if values["contact_email"] and (
            problem := email_error(values["contact_email"], _LIMITS["contact_email"])
        ):
            errors["contact_email"] = problem
        if values["website"] and not values["website"].startswith("https://"):
            errors.setdefault("website", _("Enter an address that starts with https://"))
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
    return form_page(
        "advisers/cluster_profile.html",
        form=form,
        values=values,
        errors=errors,
        languages=LANGUAGES,
        limits=_LIMITS,
        logo=logo_data_url(cluster),
        logo_max_kb=LOGO_MAX_BYTES // 1000,
    )


def _uploaded_logo() -> tuple[tuple[bytes, str] | None, str | None]:
    """The logo file sent with the profile, checked and cleaned like a catalogue's.

    (logo, error); an SVG is stored as rebuilt by the checks, never as uploaded.
    """
    upload = request.files.get("logo")
    if upload is None or not upload.filename:
        return None, None
    data = upload.read(LOGO_MAX_BYTES + 1)
    kind = logo_type_of(data)
    clean = clean_logo(data, kind) if kind else None
    if not isinstance(clean, bytes):
        error = _(
            "Choose a PNG or SVG image of at most %(size)s KB, without scripts or links "
            "to other files.",
            size=LOGO_MAX_BYTES // 1000,
        )
        if clean:  # the checks' own words, in English as in the catalogue validator
            details = "the file " + clean + "."
            error += " " + _("Details (in English): %(details)s", details=details)
        return None, error
    return (clean, kind), None
