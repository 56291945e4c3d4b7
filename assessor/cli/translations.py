"""``flask --app assessor translations status|export|import``: a questionnaire's
translations from the command line, as the translation page offers them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click
from flask.cli import with_appcontext

from assessor.domain.model import Questionnaire
from assessor.services.assessments import catalogue
from assessor.services.questionnaires import translations as translations
from assessor.services.questionnaires.translated import offered_languages


@click.group("translations")
def translations_cli() -> None:
    """Questionnaire translations: what is missing, .po files out and in."""


def _fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


def _questionnaire(questionnaire_id: str) -> Questionnaire:
    questionnaire = catalogue().get(questionnaire_id)
    if questionnaire is None:
        _fail(f"no questionnaire {questionnaire_id!r} is installed")
    return questionnaire


@translations_cli.command("status")
@click.argument("questionnaire_id", required=False)
@with_appcontext
def status(questionnaire_id: str | None) -> None:
    """Untranslated texts per declared language, and whether each is offered."""
    chosen = [_questionnaire(questionnaire_id)] if questionnaire_id else list(catalogue())
    for questionnaire in chosen:
        offered = offered_languages(questionnaire)
        counts = translations.untranslated_counts(questionnaire)
        shown = ", ".join(
            f"{code} {'offered' if code in offered else f'{missing} untranslated'}"
            for code, missing in counts.items()
        )
        click.echo(f"{questionnaire.id} version {questionnaire.version}: {shown}")


@translations_cli.command("export")
@click.argument("questionnaire_id")
@click.argument("language", required=False)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def export(questionnaire_id: str, language: str | None, output: Path | None) -> None:
    """The questionnaire's texts as a .po file for LANGUAGE, or a .pot template without."""
    questionnaire = _questionnaire(questionnaire_id)
    if language is not None and not translations.may_offer(questionnaire, language):
        _fail(f"{questionnaire.id!r} does not declare {language!r} among its other languages")
    data = translations.export_po(questionnaire, language)
    if output is None:
        click.echo(data.decode("utf-8"), nl=False)
    else:
        output.write_bytes(data)


@translations_cli.command("import")
@click.argument("questionnaire_id")
@click.argument("language")
@click.argument("po_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_(questionnaire_id: str, language: str, po_file: Path) -> None:
    """Store the translations of a .po file (all or nothing), as the upload does."""
    questionnaire = _questionnaire(questionnaire_id)
    try:
        changed = translations.import_po(questionnaire, language, po_file.read_bytes(), None)
    except translations.TranslationProblem as problem:
        for context, message in problem.problems.items():
            click.echo(f"{po_file}: {context}: {message}", err=True)
        _fail(str(problem))
    click.echo(f"{po_file}: {changed} translations changed")
