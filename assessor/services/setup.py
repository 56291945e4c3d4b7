"""First start of the embedded default: schema up to date, example clusters loaded."""

from __future__ import annotations

import os
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from assessor.domain.cluster_files import load_cluster_file
from assessor.services.cluster_catalogues import cluster_files, import_clusters
from assessor.services.settings import current_settings
from assessor.storage.db import db
from assessor.storage.models import Cluster


def ensure_database() -> None:
    """Upgrade the schema to the newest migration and load clusters into an empty table."""
    _create_private_sqlite_file()
    _upgrade_schema()
    if db.session.scalar(select(func.count()).select_from(Cluster)) == 0:
        load_example_clusters(current_settings().clusters_dir)


def _create_private_sqlite_file() -> None:
    """An SQLite file holds password hashes and every answer: create it readable by the
    app's own account only (SQLite would make it 0644, and its journals follow the file's
    mode). An existing file of the app's own account is made private too."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return
    if url.database.startswith("file:"):  # a URI filename: SQLite's own options, left alone
        return
    try:
        os.close(os.open(url.database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        # Made readable by everyone by an earlier version: close it, if it is ours to close.
        status = os.stat(url.database)
        if status.st_uid == os.getuid() and status.st_mode & 0o077:
            os.chmod(url.database, 0o600)
            current_app.logger.warning("%s was readable by others; now 0600", url.database)


def _upgrade_schema() -> None:
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from flask_migrate import upgrade

    from assessor.storage.migrations import migrations_of

    migrate = migrations_of(current_app)
    heads = set(ScriptDirectory(migrate.directory).get_heads())
    with db.engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    if current != heads:
        upgrade(directory=migrate.directory)


def load_example_clusters(folder: Path) -> None:
    loads = [load_cluster_file(path) for path in cluster_files(folder)]
    errors = [str(e) for load in loads for e in load.errors]
    if errors:
        raise SystemExit("\n".join(errors) + "\nassessor: invalid cluster files")
    import_clusters(load.cluster for load in loads if load.cluster is not None)
