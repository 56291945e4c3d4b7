"""``flask --app assessor purge|export|import``: data chores for operators."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from assessor.services.privacy import purge_previews, purge_unfinished


@click.command("purge")
@click.option(
    "--days",
    type=click.IntRange(min=1),
    default=None,
    help="Age of unfinished assessments to delete (default: UNFINISHED_RETENTION_DAYS).",
)
@with_appcontext
def purge_command(days: int | None) -> None:
    """Delete assessments that were never submitted and have not changed for DAYS days, and
    previews of questionnaires older than a day."""
    days = days or int(current_app.config["UNFINISHED_RETENTION_DAYS"])
    count = purge_unfinished(days)
    click.echo(f"deleted {count} unfinished assessments unchanged for {days} days")
    click.echo(f"deleted {purge_previews()} questionnaire previews older than a day")


@click.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def export_command(path: Path) -> None:
    """Write all data (clusters, assessments, accounts, workshops...) to a JSON file."""
    from assessor.services.backup import export_all

    # Password hashes, tokens and every answer: readable by this account only, from the
    # first byte (an older backup being overwritten is made private before it is written).
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        counts = export_all(out)
    click.echo(f"{path}: {sum(counts.values())} rows from {len(counts)} tables")


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_command(path: Path) -> None:
    """Restore a file written by `export` into a database without assessments or accounts."""
    from assessor.services.backup import BackupError, import_all

    try:
        with path.open(encoding="utf-8") as source:
            counts = import_all(source)
    except BackupError as error:
        click.echo(f"{path}: {error}; nothing was changed", err=True)
        sys.exit(1)
    click.echo(f"{path}: {sum(counts.values())} rows restored into {len(counts)} tables")
