"""The application factory: it only wires things together, in this order."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from assessor.paths import STATIC_DIR, TEMPLATES_DIR


def build_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(
        "assessor",
        template_folder=str(TEMPLATES_DIR),
        static_folder=str(STATIC_DIR),
        instance_relative_config=True,
    )
    from assessor.web.config import configure

    configure(app, dict(config) if config is not None else None)
    _load_questionnaires(app)
    _register_extensions(app)
    _register_template_helpers(app)
    _register_blueprints(app)
    _register_commands(app)
    _setup_database(app)
    return app


def _load_questionnaires(app: Flask) -> None:
    """Load and validate every questionnaire once; refuse to start on any error."""
    from assessor.domain.catalogue import load_catalogue

    catalogue = load_catalogue(app.config["QUESTIONNAIRES_DIR"])
    if catalogue.errors:
        lines = "\n".join(str(error) for error in catalogue.errors)
        raise SystemExit(f"{lines}\nassessor: refusing to start with invalid questionnaires")
    app.extensions["assessor.questionnaires"] = catalogue


def _register_extensions(app: Flask) -> None:
    from assessor.jobs import init_jobs
    from assessor.storage.db import db
    from assessor.web.advisers.access import init_accounts
    from assessor.web.extensions import csrf, limiter
    from assessor.web.operations import init_operations
    from assessor.web.page_language import init_i18n
    from assessor.web.security import init_security

    init_i18n(app)
    init_security(app)
    init_operations(app)
    db.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    init_accounts(app)
    init_jobs(app)


def _register_template_helpers(app: Flask) -> None:
    from assessor.domain.rounding import whole
    from assessor.services.mail import mail_enabled
    from assessor.web.links import absolute_url
    from assessor.web.self_assessment.markup import question_markup

    app.jinja_env.globals["absolute_url"] = absolute_url
    app.jinja_env.globals["mail_enabled"] = mail_enabled
    app.jinja_env.globals["question_markup"] = question_markup
    # Scores shown as whole numbers, halves up (12.5 -> 13), never Jinja's round (to even).
    app.jinja_env.filters["whole"] = whole


def _register_blueprints(app: Flask) -> None:
    """Every page of the site. A package's ``__init__`` lists the modules of its routes."""
    from assessor.web import advisers, api, errors, public, results, self_assessment

    for blueprint in (
        public.blueprint,  # the home page, privacy notice
        advisers.blueprint,  # /advisers/...: accounts, workshops, companies, the cluster's pages
        self_assessment.blueprint,  # starting, answering and joining an assessment
        results.blueprint,  # /a/<token>/results, the plan's PDF, the data as JSON
        api.blueprint,  # /api/v1/...: the read-only JSON API for a cluster's own systems
    ):
        app.register_blueprint(blueprint)
    errors.register(app)


def _register_commands(app: Flask) -> None:
    from assessor.cli.clusters import clusters_cli
    from assessor.cli.data import export_command, import_command, purge_command
    from assessor.cli.facets import facets_cli
    from assessor.cli.jobs import jobs_cli
    from assessor.cli.migrations import migrations_cli
    from assessor.cli.questionnaires import questionnaires_cli
    from assessor.cli.translations import translations_cli
    from assessor.cli.users import users_cli

    app.cli.add_command(questionnaires_cli)
    app.cli.add_command(clusters_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(purge_command)
    app.cli.add_command(export_command)
    app.cli.add_command(import_command)
    app.cli.add_command(migrations_cli)
    app.cli.add_command(facets_cli)
    app.cli.add_command(translations_cli)


def _setup_database(app: Flask) -> None:
    """On the embedded default, create the schema and example clusters on first start;
    then publish the questionnaire files. A file that cannot be published as it is (a changed
    content under a used version number) is reported, and the last good content served: one
    file must not take the whole site down."""
    from assessor.services.questionnaires.versions import import_files
    from assessor.services.setup import ensure_database

    with app.app_context():
        if app.config["AUTO_SETUP_DATABASE"]:
            ensure_database()
        problems = import_files(app.extensions["assessor.questionnaires"])
    for problem in problems:
        app.logger.error("%s", problem)
    app.extensions["assessor.questionnaire_problems"] = tuple(problems)
