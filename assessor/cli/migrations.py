"""``flask --app assessor db ...``: Flask-Migrate's commands (alembic), loaded when run.

Flask-Migrate imports alembic, Mako and Pygments, about 11 MiB that a web worker never
uses: the app registers a stand-in ``db`` command, and Flask-Migrate is set up on the
app only when a migration runs (this command, or the first start on the embedded
SQLite database, assessor.services.setup).
"""

from __future__ import annotations

from typing import Any

import click
from flask import Flask, current_app

from assessor.paths import PROJECT_ROOT
from assessor.storage.db import db

MIGRATIONS_DIR = PROJECT_ROOT / "migrations"


def migrations_of(app: Flask) -> Any:  # flask_migrate's _MigrateConfig: untyped
    """Flask-Migrate on the app (set up on first use); its ``directory`` holds the scripts."""
    if "migrate" not in app.extensions:
        from flask_migrate import Migrate

        Migrate(app, db, directory=str(MIGRATIONS_DIR))
    return app.extensions["migrate"]


class MigrationCommands(click.Command):
    """``db``: every argument goes to Flask-Migrate's own ``db`` group, loaded now."""

    def __init__(self) -> None:
        super().__init__(
            "db",
            help="Perform database migrations (Flask-Migrate: flask db upgrade, ...).",
            add_help_option=False,  # --help goes to Flask-Migrate's group too
            context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
        )

    def invoke(self, ctx: click.Context) -> Any:
        migrations_of(current_app)  # the app is loaded: flask's CLI pushed its context
        from flask_migrate.cli import db as commands  # type: ignore[import-not-found]  # the stubs cover flask_migrate, not its cli module

        return commands.main(args=ctx.args, prog_name=ctx.command_path, obj=ctx.obj)


migrations_cli = MigrationCommands()
