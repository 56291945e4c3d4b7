"""``flask --app assessor clusters validate|import|export|list``."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from assessor.domain.clusters import ClusterLoad, load_cluster_file
from assessor.services.clusters import (
    all_clusters,
    cluster_by_slug,
    export_cluster,
    import_clusters,
)


@click.group("clusters")
def clusters_cli() -> None:
    """Manage cluster profiles and service catalogues."""


def _load(paths: tuple[Path, ...]) -> list[ClusterLoad]:
    files = [f for p in paths for f in (sorted(p.glob("*.yaml")) if p.is_dir() else [p])]
    return [load_cluster_file(f, str(f)) for f in files]


@clusters_cli.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate_command(paths: tuple[Path, ...]) -> None:
    """Check catalogue files: ``PATH: ok`` or ``PATH:LINE: message`` lines; exit 1 on errors."""
    invalid = False
    for load in _load(paths):
        for error in load.errors:
            click.echo(str(error))
        if load.errors:
            invalid = True
        else:
            click.echo(f"{load.path}: ok")
    sys.exit(1 if invalid else 0)


@clusters_cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@with_appcontext
def import_command(paths: tuple[Path, ...]) -> None:
    """Create or update clusters from catalogue files; nothing is imported if any is invalid."""
    loads = _load(paths)
    errors = [str(error) for load in loads for error in load.errors]
    if errors:
        for line in errors:
            click.echo(line, err=True)
        sys.exit(1)
    for cluster in import_clusters(load.cluster for load in loads if load.cluster):
        click.echo(
            f"{cluster.slug}: imported ({len(cluster.services)} services, catalogue version {cluster.catalogue_version})"
        )


@clusters_cli.command("export")
@click.argument("slugs", nargs=-1)
@click.option(
    "--output", type=click.Path(path_type=Path), default=Path("clusters-export"), show_default=True
)
@with_appcontext
def export_command(slugs: tuple[str, ...], output: Path) -> None:
    """Write catalogue files (all clusters when no SLUG is given) into OUTPUT."""
    clusters = all_clusters(include_network=True)
    if slugs:
        clusters = []
        for slug in slugs:
            cluster = cluster_by_slug(slug, include_network=True)
            if cluster is None:
                click.echo(f"no cluster {slug!r}", err=True)
                sys.exit(1)
            clusters.append(cluster)
    for cluster in clusters:
        click.echo(str(export_cluster(cluster, output)))


@clusters_cli.command("list")
@with_appcontext
def list_command() -> None:
    """List the clusters and their catalogue sizes."""
    for cluster in all_clusters(include_network=True):
        kind = "network" if cluster.is_network else cluster.country
        click.echo(f"{cluster.slug}\t{kind}\t{len(cluster.services)} services\t{cluster.name}")
