"""Flask-Migrate on the app, set up when a migration runs (``flask db``, or the first start
on the embedded SQLite database): it imports alembic, Mako and Pygments, about 11 MiB
that a web worker never uses (assessor.cli.migrations)."""

from __future__ import annotations

from typing import Any

from flask import Flask

from assessor.paths import PROJECT_ROOT
from assessor.storage.db import db

MIGRATIONS_DIR = PROJECT_ROOT / "migrations"


def migrations_of(app: Flask) -> Any:  # flask_migrate's _MigrateConfig: untyped
    """Flask-Migrate on the app (set up on first use); its ``directory`` holds the scripts."""
    if "migrate" not in app.extensions:
        from flask_migrate import Migrate

        Migrate(app, db, directory=str(MIGRATIONS_DIR))
    return app.extensions["migrate"]
