"""The cluster administrator's service catalogue: list, add, edit, delete, export."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from assessor.domain import text_limits
from assessor.domain.clusters import Vocabulary, check_service
from assessor.domain.services import ServiceCategory
from assessor.services.assessments import catalogue
from assessor.services.clusters import (
    delete_service,
    export_archive,
    save_service,
)
from assessor.services.language import LANGUAGES
from assessor.storage.models import ClusterService, Role
from assessor.web.advisers.access import signed_in
from assessor.web.advisers.views import blueprint
from assessor.web.downloads import download
from assessor.web.field_checks import column_limit, email_error, length_errors
from assessor.web.forms import CsrfForm

CATEGORY_NAMES = {
    ServiceCategory.INNOVATION: _l("Innovation services"),
    ServiceCategory.FINANCE: _l("Access to finance"),
    ServiceCategory.REGULATION: _l("Regulatory advice"),
    ServiceCategory.INTERNATIONALISATION: _l("Internationalisation and matchmaking"),
    ServiceCategory.TRAINING: _l("Training"),
    ServiceCategory.PROCESS: _l("Process advice"),
}

_LIMITS = {
    "id": column_limit(ClusterService.key),
    "url": column_limit(ClusterService.url),
    "contact_name": column_limit(ClusterService.contact_name),
    "contact_email": column_limit(ClusterService.contact_email),
    "title": text_limits.SERVICE_TITLE,
    "description": text_limits.DESCRIPTION,
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
        form=CsrfForm(),
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
    contact = data.get("contact", {})
    email = contact.get("email")
    if email and (problem := email_error(email, _LIMITS["contact_email"])):
        errors["contact_email"] = problem
    if data.get("url") and not data["url"].startswith("https://"):
        errors["url"] = _("Enter an address that starts with https://")
    fields = {"id": data["id"], "url": data.get("url"), "contact_name": contact.get("name")}
    limits = {field: _LIMITS[field] for field in fields}
    for key in ("title", "description"):
        for code, text in data[key].items():
            fields[f"{key}_{code}"], limits[f"{key}_{code}"] = text, _LIMITS[key]
    for field, message in length_errors(fields, limits).items():
        errors.setdefault(field, message)
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
    form = CsrfForm()
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
        limits=_LIMITS,
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
