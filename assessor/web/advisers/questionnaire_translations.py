"""Translating a questionnaire in the browser: every text beside its English, a .po file
to upload or download (for Poedit or Weblate), and how many texts each language lacks."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from assessor.domain.languages import LANGUAGES
from assessor.domain.model import Questionnaire
from assessor.services.assessments import catalogue
from assessor.services.questionnaires import translations as translations
from assessor.services.questionnaires.scope import may_translate
from assessor.services.questionnaires.translated import offered_languages
from assessor.storage.models import Role
from assessor.web.advisers.access import signed_in
from assessor.web.downloads import download
from assessor.web.form_pages import form_page
from assessor.web.forms import CsrfForm
from assessor.web.routes import Routes

routes = Routes()
TRANSLATORS = (Role.CLUSTER_ADMIN, Role.PLATFORM_ADMIN)


def _translatable(questionnaire_id: str) -> Questionnaire:
    """The questionnaire as served now, if the signed-in account may translate it."""
    questionnaire = catalogue().get(questionnaire_id)
    if questionnaire is None or not may_translate(current_user, questionnaire_id):
        abort(404)
    return questionnaire


def _in_language(questionnaire_id: str, language: str) -> Questionnaire:
    questionnaire = _translatable(questionnaire_id)
    if not translations.may_offer(questionnaire, language):
        abort(404)
    return questionnaire


@routes.get("/cluster/questionnaires/translations")
@signed_in(*TRANSLATORS)
def translation_overview() -> str | tuple[str, int]:
    mine = [q for q in catalogue() if may_translate(current_user, q.id)]
    return form_page(
        "advisers/questionnaire_translation_overview.html",
        questionnaires=[(q, translations.untranslated_counts(q)) for q in mine],
        languages=LANGUAGES,
        refused=False,
    )


@routes.route(
    "/cluster/questionnaires/<questionnaire_id>/translations/<language>", methods=["GET", "POST"]
)
@signed_in(*TRANSLATORS)
def translation(questionnaire_id: str, language: str) -> Response | str | tuple[str, int]:
    questionnaire = _in_language(questionnaire_id, language)
    form = CsrfForm()
    rows = translations.rows(questionnaire, language)
    posted: dict[str, str] = {}
    errors: dict[str, str] = {}
    problems: list[str] = []
    if request.method == "POST":
        if not form.validate_on_submit():
            problems.append(_("The page had expired: please save again."))
        elif request.form.get("content") != questionnaire.source_sha256:
            problems.append(
                _(
                    "The questionnaire changed while you were translating: nothing was saved. "
                    "Its texts are shown again; please check your translations and save again."
                )
            )
        else:
            known = {row.context for row in rows}
            posted = {k: v for k, v in request.form.items() if k in known}
            try:
                changed = translations.save_translations(
                    questionnaire, language, posted, current_user
                )
            except translations.TranslationProblem as problem:
                problems.append(str(problem))
                errors = problem.problems
            else:
                flash(
                    ngettext(
                        "Saved: %(num)d translation changed.",
                        "Saved: %(num)d translations changed.",
                        changed,
                    ),
                    "info",
                )
                return redirect(
                    url_for(
                        "advisers.translation", questionnaire_id=questionnaire.id, language=language
                    )
                )
    return _page(questionnaire, language, rows, posted, errors, problems)


@routes.post("/cluster/questionnaires/<questionnaire_id>/translations/<language>/upload")
@signed_in(*TRANSLATORS)
def upload_translation(questionnaire_id: str, language: str) -> Response | str | tuple[str, int]:
    questionnaire = _in_language(questionnaire_id, language)
    form = CsrfForm()
    upload = request.files.get("po_file")
    problem: str | None = None
    if not form.validate_on_submit():
        problem = _("The page had expired: please upload the file again.")
    elif upload is None or not upload.filename:
        problem = _("Choose a .po file to upload.")
    else:
        try:
            changed = translations.import_po(
                questionnaire,
                language,
                upload.read(translations.PO_MAX_BYTES + 1),
                current_user,
            )
        except translations.TranslationProblem as error:
            problem = str(error)
        else:
            flash(
                ngettext(
                    "The file is read: %(num)d translation changed.",
                    "The file is read: %(num)d translations changed.",
                    changed,
                ),
                "info",
            )
            return redirect(
                url_for(
                    "advisers.translation", questionnaire_id=questionnaire.id, language=language
                )
            )
    rows = translations.rows(questionnaire, language)
    return _page(questionnaire, language, rows, {}, {}, [], upload_error=problem)


@routes.get("/cluster/questionnaires/<questionnaire_id>/translations/<language>/download")
@signed_in(*TRANSLATORS)
def download_translation(questionnaire_id: str, language: str) -> Response:
    questionnaire = _in_language(questionnaire_id, language)
    return download(
        translations.export_po(questionnaire, language), f"{questionnaire.id}-{language}.po"
    )


@routes.get("/cluster/questionnaires/<questionnaire_id>/translations/template")
@signed_in(*TRANSLATORS)
def download_translation_template(questionnaire_id: str) -> Response:
    questionnaire = _translatable(questionnaire_id)
    return download(translations.export_po(questionnaire, None), f"{questionnaire.id}.pot")


def _page(
    questionnaire: Questionnaire,
    language: str,
    rows: list[translations.TextRow],
    posted: dict[str, str],
    errors: dict[str, str],
    problems: list[str],
    upload_error: str | None = None,
) -> str | tuple[str, int]:
    field_ids = {row.context: f"text-{index}" for index, row in enumerate(rows)}
    untranslated = sum(1 for row in rows if not row.translation)
    context: dict[str, Any] = {
        "questionnaire": questionnaire,
        "language": language,
        "language_own_name": LANGUAGES.get(language, language),
        "rows": rows,
        "values": {row.context: posted.get(row.context, row.translation) for row in rows},
        "field_ids": field_ids,
        "errors": errors,
        "summary": {field_ids[c]: m for c, m in errors.items() if c in field_ids},
        "problems": problems,
        "upload_error": upload_error,
        "untranslated": untranslated,
        "offered": language in offered_languages(questionnaire),
        "form": CsrfForm(),
    }
    return form_page(
        "advisers/questionnaire_translation.html",
        refused=bool(errors or problems or upload_error),
        **context,
    )
