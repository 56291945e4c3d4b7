"""``flask --app assessor clusters import|list``."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from assessor.domain.clusters import load_cluster_file
from assessor.services.clusters import all_clusters, import_clusters


@click.group("clusters")
def clusters_cli() -> None:
    """Manage cluster profiles."""


@clusters_cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@with_appcontext
def import_command(paths: tuple[Path, ...]) -> None:
    """Create or update clusters from YAML files; nothing is imported if any file is invalid."""
    loads = [load_cluster_file(path, str(path)) for path in paths]
    errors = [str(error) for load in loads for error in load.errors]
    if errors:
        for line in errors:
            click.echo(line, err=True)
        sys.exit(1)
    for cluster in import_clusters(load.cluster for load in loads if load.cluster):
        click.echo(f"{cluster.slug}: imported")


@clusters_cli.command("list")
@with_appcontext
def list_command() -> None:
    """List the clusters."""
    for cluster in all_clusters():
        marker = " (example)" if cluster.is_example and "example" not in cluster.name else ""
        click.echo(f"{cluster.slug}\t{cluster.country}\t{cluster.name}{marker}")
