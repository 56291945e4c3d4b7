"""The cluster administrator's profile page: name, contact, logo, colour, languages."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileField
from werkzeug.wrappers import Response
from wtforms import Field, SelectMultipleField, ValidationError
from wtforms.validators import DataRequired, Regexp

from assessor.domain import text_limits
from assessor.domain.cluster_files import COLOUR
from assessor.domain.languages import LANGUAGES
from assessor.domain.logos import LOGO_MAX_BYTES, clean_logo, logo_type_of
from assessor.services.cluster_admin import update_profile
from assessor.services.clusters import logo_data_url
from assessor.storage.models import Cluster, Role
from assessor.web.advisers.access import signed_in
from assessor.web.field_checks import (
    EmailAddress,
    HttpsAddress,
    MaxLength,
    Text,
    column_limit,
    field_errors,
    language_codes,
)
from assessor.web.form_pages import form_page
from assessor.web.forms import CsrfForm
from assessor.web.page_language import language_name
from assessor.web.routes import Routes

routes = Routes()

LIMITS = {
    "name": column_limit(Cluster.name),
    "description": text_limits.DESCRIPTION,
    "contact_name": column_limit(Cluster.contact_name),
    "contact_email": column_limit(Cluster.contact_email),
    "website": column_limit(Cluster.website),
}


class ProfileForm(CsrfForm):
    name = Text(
        validators=[
            DataRequired(message=_l("Give the cluster's name.")),
            MaxLength(LIMITS["name"]),
        ],
    )
    description = Text(validators=[MaxLength(LIMITS["description"])])
    contact_name = Text(validators=[MaxLength(LIMITS["contact_name"])])
    contact_email = Text(validators=[EmailAddress(LIMITS["contact_email"])])
    website = Text(validators=[MaxLength(LIMITS["website"]), HttpsAddress()])
    colour = Text(
        then=str.lower,
        validators=[Regexp(COLOUR, message=_l("Enter a colour such as #0b5d4b."))],
    )
    languages = SelectMultipleField(
        validate_choice=False,  # unknown codes are dropped, not refused (choosable_languages)
        filters=[language_codes],
        validators=[DataRequired(message=_l("Choose at least one language."))],
    )
    default_language = Text(strip=False)
    logo = FileField()
    remove_logo = Text(strip=False)  # "yes" from its check box

    # The uploaded logo as checked and cleaned by validate_logo: (data, media type).
    cleaned_logo: tuple[bytes, str] | None = None

    def validate_default_language(self, field: Field) -> None:
        if self.languages.data and field.data not in self.languages.data:
            raise ValidationError(_("The default language must be one of the chosen ones."))

    def validate_logo(self, field: Field) -> None:
        """Checked and cleaned like a catalogue's logo; an SVG is stored as rebuilt by
        the checks, never as uploaded."""
        upload = field.data
        if upload is None or not upload.filename:
            return
        data = upload.read(LOGO_MAX_BYTES + 1)
        kind = logo_type_of(data)
        clean = clean_logo(data, kind) if kind else None
        if kind and isinstance(clean, bytes):
            self.cleaned_logo = (clean, kind)
            return
        error = _(
            "Choose a PNG or SVG image of at most %(size)s KB, without scripts or links "
            "to other files.",
            size=LOGO_MAX_BYTES // 1000,
        )
        if isinstance(clean, str) and clean:  # the checks' own words, in English
            details = "the file " + clean + "."
            error += " " + _("Details (in English): %(details)s", details=details)
        raise ValidationError(error)

    def profile(self) -> dict[str, Any]:
        """The checked values, as ``update_profile`` takes them."""
        values: dict[str, Any] = {
            name: self[name].data
            for name in (
                "name",
                "description",
                "contact_name",
                "contact_email",
                "website",
                "colour",
                "languages",
                "default_language",
            )
        }
        if self.cleaned_logo is not None:
            values["logo"] = self.cleaned_logo
        elif self.remove_logo.data == "yes":
            values["logo"] = (None, None)
        return values


def _stored(cluster: Cluster) -> dict[str, Any]:
    return {
        "name": cluster.name,
        "description": cluster.description or "",
        "contact_name": cluster.contact_name or "",
        "contact_email": cluster.contact_email or "",
        "website": cluster.website or "",
        "colour": cluster.colour,
        "languages": list(cluster.languages),
        "default_language": cluster.default_language,
    }


def choosable_languages(cluster: Cluster) -> dict[str, str]:
    """The site's languages, and those the cluster's catalogue file names beyond them (a
    Ukrainian or ``pt-BR`` text for its services): saving the profile keeps what it lists."""
    own = {code: language_name(code) for code in cluster.languages if code not in LANGUAGES}
    return {**LANGUAGES, **own}


@routes.route("/cluster/profile", methods=["GET", "POST"])
@signed_in(Role.CLUSTER_ADMIN)
def profile() -> Response | tuple[str, int] | str:
    """Name, description, contact, web site, logo, brand colour and languages of the cluster."""
    cluster = current_user.cluster
    form = ProfileForm() if request.method == "POST" else ProfileForm(data=_stored(cluster))
    errors: dict[str, str] = {}
    choosable = choosable_languages(cluster)
    if form.is_submitted():
        form.languages.data = [code for code in form.languages.data or [] if code in choosable]
        if form.validate():
            update_profile(cluster, form.profile())
            flash(_("The cluster's profile is saved."), "info")
            return redirect(url_for("advisers.profile"))
        errors = field_errors(form)
    return form_page(
        "advisers/cluster_profile.html",
        form=form,
        values=form.data,
        errors=errors,
        languages=choosable,
        limits=LIMITS,
        logo=logo_data_url(cluster),
        logo_max_kb=LOGO_MAX_BYTES // 1000,
    )
