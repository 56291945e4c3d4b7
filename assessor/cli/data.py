"""``flask --app assessor purge``: data protection chores for operators."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from assessor.services.privacy import purge_unfinished


@click.command("purge")
@click.option(
    "--days",
    type=click.IntRange(min=1),
    default=None,
    help="Age of unfinished assessments to delete (default: UNFINISHED_RETENTION_DAYS).",
)
@with_appcontext
def purge_command(days: int | None) -> None:
    """Delete assessments that were never submitted and have not changed for DAYS days."""
    days = days or int(current_app.config["UNFINISHED_RETENTION_DAYS"])
    count = purge_unfinished(days)
    click.echo(f"deleted {count} unfinished assessments unchanged for {days} days")
