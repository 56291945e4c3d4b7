"""The application factory: it only wires things together."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from assessor.paths import TEMPLATES_DIR, questionnaires_dir


def build_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask("assessor", template_folder=str(TEMPLATES_DIR), instance_relative_config=True)
    _configure(app, config)
    _load_questionnaires(app)
    _register_blueprints(app)
    _register_commands(app)
    return app


def _configure(app: Flask, config: Mapping[str, Any] | None) -> None:
    app.config.from_mapping(
        SECRET_KEY="dev-only-change-me",
        QUESTIONNAIRES_DIR=str(questionnaires_dir()),
    )
    if config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env()
    else:
        app.config.from_mapping(config)


def _load_questionnaires(app: Flask) -> None:
    """Load and validate every questionnaire once; refuse to start on any error."""
    from assessor.domain.catalogue import load_catalogue

    catalogue = load_catalogue(app.config["QUESTIONNAIRES_DIR"])
    if catalogue.errors:
        lines = "\n".join(str(error) for error in catalogue.errors)
        raise SystemExit(f"{lines}\nassessor: refusing to start with invalid questionnaires")
    app.extensions["assessor.questionnaires"] = catalogue


def _register_blueprints(app: Flask) -> None:
    from assessor.web.public import blueprint as public

    app.register_blueprint(public)


def _register_commands(app: Flask) -> None:
    from assessor.cli.questionnaires import questionnaires_cli

    app.cli.add_command(questionnaires_cli)
