"""The cluster administrator's service catalogue: list, add, edit, delete, export."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import Field, SelectMultipleField
from wtforms.validators import DataRequired, StopValidation

from assessor.domain import text_limits
from assessor.domain.cluster_files import Vocabulary, check_service
from assessor.domain.languages import LANGUAGES
from assessor.domain.offerings import ServiceCategory
from assessor.services.cluster_admin import delete_service, save_service
from assessor.services.cluster_catalogues import export_archive
from assessor.services.questionnaires.catalogue import visible_to
from assessor.storage.models import ClusterService, Role
from assessor.web.advisers.access import signed_in
from assessor.web.downloads import download
from assessor.web.field_checks import (
    EmailAddress,
    HttpsAddress,
    MaxLength,
    OneOf,
    Text,
    column_limit,
    field_errors,
)
from assessor.web.form_pages import form_page
from assessor.web.forms import CsrfForm
from assessor.web.routes import Routes

routes = Routes()

CATEGORY_NAMES = {
    ServiceCategory.INNOVATION: _l("Innovation services"),
    ServiceCategory.FINANCE: _l("Access to finance"),
    ServiceCategory.REGULATION: _l("Regulatory advice"),
    ServiceCategory.INTERNATIONALISATION: _l("Internationalisation and matchmaking"),
    ServiceCategory.TRAINING: _l("Training"),
    ServiceCategory.PROCESS: _l("Process advice"),
}

LIMITS = {
    "id": column_limit(ClusterService.key),
    "url": column_limit(ClusterService.url),
    "contact_name": column_limit(ClusterService.contact_name),
    "contact_email": column_limit(ClusterService.contact_email),
    "title": text_limits.SERVICE_TITLE,
    "description": text_limits.DESCRIPTION,
}


class ServiceForm(CsrfForm):
    """A service of the cluster's catalogue, checked here field by field in the user's
    language, then as a whole by the catalogue's own check (``check_service``). Its title
    and description fields, one per language of the cluster, are added by
    :func:`service_form`."""

    id = Text(
        validators=[
            DataRequired(message=_l("Give the service a short id, such as carbon-clinic.")),
            MaxLength(LIMITS["id"]),
        ],
    )
    category = Text(
        strip=False,
        validators=[OneOf({c.value for c in CATEGORY_NAMES}, _l("Choose a category."))],
    )
    topics = SelectMultipleField(
        validate_choice=False,  # the catalogue check names an unknown topic
        validators=[
            DataRequired(
                message=_l("Choose at least one topic: actions are matched to services by topic.")
            )
        ],
    )
    levels = SelectMultipleField(validate_choice=False)
    contact_name = Text(validators=[MaxLength(LIMITS["contact_name"])])
    contact_email = Text(validators=[EmailAddress(LIMITS["contact_email"])])
    url = Text(validators=[HttpsAddress(), MaxLength(LIMITS["url"])])

    languages: tuple[str, ...] = ()  # set by service_form, the cluster's default first

    def texts(self, key: str) -> dict[str, str]:
        """The title or description (``key``) in each language it was written in."""
        return {code: text for code in self.languages if (text := self[f"{key}_{code}"].data)}

    def catalogue_entry(self) -> dict[str, Any]:
        """The form as a catalogue entry; empty fields are left out, as a file would."""
        data: dict[str, Any] = {
            "id": self.id.data,
            "category": self.category.data,
            "title": self.texts("title"),
            "description": self.texts("description"),
            "topics": self.topics.data,
            "levels": self.levels.data,
        }
        contact = {
            key: value
            for key, value in (("name", self.contact_name.data), ("email", self.contact_email.data))
            if value
        }
        if contact:
            data["contact"] = contact
        if self.url.data:
            data["url"] = self.url.data
        if not data["levels"]:
            del data["levels"]
        return data


class _InDefaultLanguageOrEnglish:
    """On the first language's field of ``key``: the text is written at least in the
    cluster's default language or in English (the catalogue's own rule, said here in
    the user's language and next to the field)."""

    def __init__(self, key: str, default_language: str) -> None:
        self.key = key
        self.default_language = default_language

    def __call__(self, form: ServiceForm, field: Field) -> None:
        if self.default_language in form.texts(self.key) or "en" in form.texts(self.key):
            return
        raise StopValidation(
            _(
                "Write this at least in %(language)s, the cluster's default language, or in English.",
                language=LANGUAGES.get(self.default_language, self.default_language),
            )
        )


def service_form(languages: list[str], default_language: str) -> ServiceForm:
    """The service form with a title and a description field per language."""

    class ServiceFormInLanguages(ServiceForm):
        pass

    ServiceFormInLanguages.languages = tuple(languages)
    for position, code in enumerate(languages):
        for key in ("title", "description"):
            first = [_InDefaultLanguageOrEnglish(key, default_language)] if position == 0 else []
            field = Text(validators=[*first, MaxLength(LIMITS[key])])
            setattr(ServiceFormInLanguages, f"{key}_{code}", field)
    return ServiceFormInLanguages()


def _category_labels() -> dict[str, str]:
    return {category.value: str(name) for category, name in CATEGORY_NAMES.items()}


def _vocabulary() -> Vocabulary:
    """The topics and levels of the questionnaires the cluster's companies may answer."""
    return Vocabulary.of(visible_to(current_user.cluster))


def _languages() -> list[str]:
    cluster = current_user.cluster
    ordered = [cluster.default_language, *cluster.languages, "en"]
    return [code for code in dict.fromkeys(ordered) if code]


@routes.get("/cluster/services")
@signed_in(Role.CLUSTER_ADMIN)
def services() -> str:
    return render_template(
        "advisers/cluster_services.html",
        cluster=current_user.cluster,
        categories=_category_labels(),
        form=CsrfForm(),
    )


@routes.route("/cluster/services/new", methods=["GET", "POST"])
@routes.route("/cluster/services/<key>", methods=["GET", "POST"])
@signed_in(Role.CLUSTER_ADMIN)
def service(key: str | None = None) -> Response | tuple[str, int] | str:
    cluster = current_user.cluster
    existing = next((row for row in cluster.services if row.key == key), None) if key else None
    if key and existing is None:
        abort(404)
    languages = _languages()
    form = service_form(languages, cluster.default_language)
    errors: dict[str, str] = {}
    problems: tuple[str, ...] = ()
    values: dict[str, Any]
    if form.is_submitted():
        data = form.catalogue_entry()
        errors = {} if form.validate() else field_errors(form)
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
    visible = visible_to(current_user.cluster)
    levels = visible[0].levels if visible else ()
    return form_page(
        "advisers/service_form.html",
        form=form,
        key=key,
        values=values,
        errors=errors,
        limits=LIMITS,
        problems=problems,
        languages=[(code, LANGUAGES.get(code, code)) for code in languages],
        categories=_category_labels(),
        topics=sorted(vocabulary.topics),
        levels=[level for level in levels if level.id in vocabulary.levels],
        refused=bool(errors or problems),
    )


@routes.post("/cluster/services/<key>/delete")
@signed_in(Role.CLUSTER_ADMIN)
def remove_service(key: str) -> Response:
    if not delete_service(current_user.cluster, key):
        abort(404)
    flash(_("The service is deleted."), "info")
    return redirect(url_for("advisers.services"))


@routes.get("/cluster/catalogue.zip")
@signed_in(Role.CLUSTER_ADMIN)
def export_catalogue() -> Response:
    cluster = current_user.cluster
    return download(export_archive(cluster), f"{cluster.slug}-catalogue.zip")
