"""``flask --app assessor db ...``: Flask-Migrate's commands (alembic), loaded when run.

Flask-Migrate imports alembic, Mako and Pygments, about 11 MiB that a web worker never
uses: the app registers this stand-in ``db`` command, and Flask-Migrate is set up on the
app only when a migration runs (assessor.storage.migrations).
"""

from __future__ import annotations

from typing import Any

import click
from flask import current_app

from assessor.storage.migrations import migrations_of


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
