"""``flask --app assessor questionnaires validate|score|describe``."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import click
from flask import current_app
from flask.cli import ScriptInfo, with_appcontext

from assessor.domain.action_topics import TopicWarning
from assessor.domain.actions import triggered_actions
from assessor.domain.answers import check_answers
from assessor.domain.catalogue import display_path, load_catalogue, questionnaire_files
from assessor.domain.languages import LANGUAGES
from assessor.domain.loading import LoadResult, load_questionnaire
from assessor.domain.model import Questionnaire
from assessor.domain.planning import build_plan
from assessor.domain.questionnaire_size import describe_questionnaire
from assessor.domain.reference_dates import ReferenceWarning, reference_warnings
from assessor.domain.scoring import evaluate
from assessor.domain.summary import result_summary
from assessor.paths import questionnaires_dir
from assessor.services.action_services import UnknownLevel, action_services, topic_warnings
from assessor.services.clusters import all_clusters, cluster_by_slug
from assessor.services.questionnaires.versions import VersionProblem, version_problems_of
from assessor.storage.models import Cluster

EXIT_INVALID_QUESTIONNAIRE = 1
EXIT_INVALID_ANSWERS = 2


@click.group("questionnaires")
def questionnaires_cli() -> None:
    """Validate questionnaires and score answers from the command line."""


def today() -> date:
    """The date references' checked months are measured against (tests fix it)."""
    return date.today()


def _default_folder() -> Path:
    if current_app:
        return Path(current_app.config["QUESTIONNAIRES_DIR"])
    return questionnaires_dir()


def _files_to_check(paths: tuple[Path, ...]) -> list[tuple[Path, str]]:
    """(file, how to show it): as the user typed it, or relative to the working folder."""
    if not paths:
        folder = _default_folder()
        files = questionnaire_files(folder) if folder.is_dir() else [folder]
        return [(f, display_path(f)) for f in files]
    found: list[tuple[Path, str]] = []
    for path in paths:
        if path.is_dir():
            found.extend((f, str(path / f.name)) for f in questionnaire_files(path))
        else:
            found.append((path, str(path)))
    return found


def _cluster(slug: str | None) -> Cluster | None:
    """The cluster named by ``--cluster`` (the network catalogue too), or a usage error."""
    if slug is None:
        return None
    if not current_app:
        # Only now: loading the app refuses invalid questionnaires, which plain
        # ``validate`` must report itself.
        context = click.get_current_context()
        context.with_resource(context.ensure_object(ScriptInfo).load_app().app_context())
    cluster = cluster_by_slug(slug, include_network=True)
    if cluster is None:
        known = ", ".join(c.slug for c in all_clusters(include_network=True)) or "none"
        raise click.BadParameter(f"no cluster {slug!r} (known: {known})", param_hint="--cluster")
    return cluster


CLUSTER_OPTION = click.option(
    "--cluster",
    "cluster_slug",
    metavar="SLUG",
    default=None,
    help="Also check action topics against the services of this cluster and of the network "
    "catalogue (warnings).",
)


@questionnaires_cli.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@CLUSTER_OPTION
def validate_command(paths: tuple[Path, ...], cluster_slug: str | None) -> None:
    """Check questionnaire files (all of questionnaires/ when no PATH is given).

    Prints ``PATH: ok`` per valid file, or one ``PATH:LINE: message`` line per
    problem; exits with status 1 when any file is invalid. A valid file's references
    without a source or a checked month, or last checked more than 12 months ago, get a
    ``PATH:LINE: warning: message`` line before its ``PATH: ok``; so do, with
    ``--cluster SLUG``, action topics that no service of that cluster nor of the network
    catalogue uses; and so does a file the app would not serve as it is (its content
    changed under a version number already published, or its id is a cluster's own), with
    the fix. Warnings alone do not change the exit status.
    """
    cluster = _cluster(cluster_slug)
    invalid = False
    seen_ids: dict[str, str] = {}
    day = today()
    for path, shown in _files_to_check(paths):
        result = load_questionnaire(path, shown, today=day)
        lines = [str(error) for error in result.errors] + _duplicate_id(result, seen_ids)
        if lines:
            invalid = True
            for line in lines:
                click.echo(line)
        else:
            assert result.questionnaire is not None  # no errors: it loaded
            warnings: list[ReferenceWarning | TopicWarning] = list(
                reference_warnings(result.questionnaire, day)
            )
            if cluster is not None:
                warnings += topic_warnings(result.questionnaire, cluster)
            notes = [(w.line, str(w)) for w in warnings] + [
                (p.line, f"{p.path}:{p.line}: warning: {p.message}")
                for p in _version_problems(result.questionnaire)
            ]
            for _line, note in sorted(notes, key=lambda pair: pair[0]):
                click.echo(note)
            click.echo(f"{shown}: ok")
    sys.exit(EXIT_INVALID_QUESTIONNAIRE if invalid else 0)


def _version_problems(questionnaire: Questionnaire) -> list[VersionProblem]:
    """What the app's database says of this file's version: nothing when the command runs
    without the app, or when the app does not start (an invalid file in its folder, which
    this command reports itself)."""
    if current_app:
        return version_problems_of([questionnaire])
    info = click.get_current_context().find_object(ScriptInfo)
    if info is None:
        return []
    try:
        app = info.load_app()
    except SystemExit:
        return []
    with app.app_context():
        return version_problems_of([questionnaire])


def _duplicate_id(result: LoadResult, seen_ids: dict[str, str]) -> list[str]:
    questionnaire = result.questionnaire
    if questionnaire is None:
        return []
    if questionnaire.id in seen_ids:
        return [
            f"{result.path}:1: questionnaire id {questionnaire.id!r} is already used by "
            f"{seen_ids[questionnaire.id]}"
        ]
    seen_ids[questionnaire.id] = result.path
    return []


@questionnaires_cli.command("score")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--answers",
    "answers_path",
    required=True,
    type=click.Path(path_type=Path, allow_dash=True),
    help="JSON object {question_id: value}; '-' reads standard input.",
)
def score_command(path: Path, answers_path: Path) -> None:
    """Score the answers in ANSWERS against the questionnaire at PATH; print JSON."""
    result = load_questionnaire(path, str(path))
    if result.questionnaire is None:
        for error in result.errors:
            click.echo(str(error), err=True)
        sys.exit(EXIT_INVALID_QUESTIONNAIRE)
    raw_answers = _read_answers(answers_path)
    answers, problems = check_answers(result.questionnaire, raw_answers)
    if problems:
        for problem in problems:
            click.echo(f"{answers_path}: {problem}", err=True)
        sys.exit(EXIT_INVALID_ANSWERS)
    scored = evaluate(result.questionnaire, answers)
    today = date.today()  # the plan's date: deadlines are measured from it
    summary = result_summary(
        scored, triggered_actions(scored, today), build_plan(scored, as_of=today)
    )
    click.echo(json.dumps(summary, indent=2, ensure_ascii=False))


def _read_answers(answers_path: Path) -> dict[str, Any]:
    def fail(line: int, message: str) -> NoReturn:
        click.echo(f"{answers_path}:{line}: {message}", err=True)
        sys.exit(EXIT_INVALID_ANSWERS)

    try:
        if str(answers_path) == "-":
            text = sys.stdin.read()
        else:
            text = answers_path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        fail(1, f"cannot read the answers: {exc.strerror or exc}")
    except UnicodeDecodeError:
        fail(1, "the answers are not UTF-8 text")
    try:
        data = json.loads(text, parse_constant=lambda name: fail(1, f"{name} is not a number"))
    except json.JSONDecodeError as exc:
        fail(exc.lineno, f"invalid JSON: {exc.msg}")
    if not isinstance(data, dict):
        fail(1, "the answers must be a JSON object {question_id: value}")
    return data


@questionnaires_cli.command("describe")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def describe_command(paths: tuple[Path, ...]) -> None:
    """Print the size of questionnaires: questions per dimension, themes, actions."""
    if not paths:
        catalogue = load_catalogue(_default_folder())
        questionnaires = list(catalogue)
        errors = catalogue.errors
    else:
        files = _files_to_check(paths)
        loaded = [load_questionnaire(f, shown) for f, shown in files]
        questionnaires = [r.questionnaire for r in loaded if r.questionnaire is not None]
        errors = tuple(e for r in loaded for e in r.errors)
    for error in errors:
        click.echo(str(error), err=True)
    for questionnaire in questionnaires:
        click.echo(describe_questionnaire(questionnaire))
    sys.exit(EXIT_INVALID_QUESTIONNAIRE if errors else 0)


@questionnaires_cli.command("services")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--cluster", "cluster_slug", metavar="SLUG", required=True, help="The cluster.")
@click.option(
    "--level",
    "level_id",
    default=None,
    metavar="LEVEL",
    help="The maturity level of what the actions are about (a level id of the "
    "questionnaire); by default services of every level are shown.",
)
@click.option(
    "--language",
    default=None,
    metavar="LANG",
    help="Language of the texts (default: the cluster's default language).",
)
@with_appcontext
def services_command(
    path: Path, cluster_slug: str, level_id: str | None, language: str | None
) -> None:
    """Print, for every action of the questionnaire at PATH, the services a plan of the
    cluster would list for it: the cluster's, else the network catalogue's, else none."""
    cluster = _cluster(cluster_slug)
    assert cluster is not None  # the option is required
    result = load_questionnaire(path, str(path))
    if result.questionnaire is None:
        for error in result.errors:
            click.echo(str(error), err=True)
        sys.exit(EXIT_INVALID_QUESTIONNAIRE)
    if language is not None and language not in LANGUAGES:
        raise click.BadParameter(
            f"unknown language {language!r} (one of: {', '.join(LANGUAGES)})",
            param_hint="--language",
        )
    try:
        view = action_services(result.questionnaire, cluster, level_id, language)
    except UnknownLevel as exc:
        raise click.BadParameter(str(exc), param_hint="--level") from None
    level = f"level {view.level_id}" if view.level_id else "any level"
    click.echo(
        f"{view.questionnaire_id} v{view.version} in {view.cluster_name} ({view.cluster_slug}), "
        f"{level}, texts in {view.language}:"
    )
    for action in view.actions:
        click.echo(f"{action.action_id}: {action.title}")
        topics = [f"{t} (main)" if i == 0 else t for i, t in enumerate(action.topics)]
        click.echo(f"  topics: {', '.join(topics) or 'none'}")
        if action.source == "network":
            click.echo("  services of the network catalogue (the cluster has none for it):")
        elif action.source == "cluster":
            click.echo("  services of the cluster:")
        else:
            click.echo("  no service: the plan asks the company to contact the cluster")
        for service in action.services:
            click.echo(f"    - {service.title} ({service.provider})")
