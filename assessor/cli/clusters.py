"""``flask --app assessor clusters validate|import|export|list``."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from assessor.domain.catalogue import load_catalogue
from assessor.domain.cluster_files import ClusterLoad, Vocabulary, load_cluster_file
from assessor.paths import questionnaires_dir
from assessor.services.cluster_catalogues import (
    export_cluster,
    import_clusters,
    with_served_questionnaires,
)
from assessor.services.clusters import all_clusters, cluster_by_slug


@click.group("clusters")
def clusters_cli() -> None:
    """Manage cluster profiles and service catalogues."""


def _vocabulary(folder: Path) -> Vocabulary | None:
    """What services may name, from the questionnaires; None (no check) if they do not load."""
    catalogue = load_catalogue(folder)
    if catalogue.errors or not catalogue.questionnaires:
        click.echo(
            f"{folder}: the questionnaires do not load, so service topics and levels are not checked",
            err=True,
        )
        return None
    return Vocabulary.of(catalogue)


def _load(paths: tuple[Path, ...], questionnaires: Path, served: bool = False) -> list[ClusterLoad]:
    """``served``: also know the questionnaires the database serves (with an app)."""
    files = [f for p in paths for f in (sorted(p.glob("*.yaml")) if p.is_dir() else [p])]
    vocabulary = _vocabulary(questionnaires)
    if vocabulary is not None and served:
        vocabulary = with_served_questionnaires(vocabulary)
    return [load_cluster_file(f, str(f), vocabulary) for f in files]


QUESTIONNAIRES_OPTION = click.option(
    "--questionnaires",
    "questionnaires",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder of the questionnaires whose action topics and levels services must use "
    "(default: the app's questionnaires).",
)


@clusters_cli.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@QUESTIONNAIRES_OPTION
def validate_command(paths: tuple[Path, ...], questionnaires: Path | None) -> None:
    """Check catalogue files: ``PATH: ok`` or ``PATH:LINE: message`` lines; exit 1 on errors."""
    invalid = False
    for load in _load(paths, questionnaires or questionnaires_dir()):
        for error in load.errors:
            click.echo(str(error))
        if load.errors:
            invalid = True
        else:
            click.echo(f"{load.path}: ok")
    sys.exit(1 if invalid else 0)


@clusters_cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@QUESTIONNAIRES_OPTION
@with_appcontext
def import_command(paths: tuple[Path, ...], questionnaires: Path | None) -> None:
    """Create or update clusters from catalogue files; nothing is imported if any is invalid."""
    loads = _load(
        paths, questionnaires or Path(current_app.config["QUESTIONNAIRES_DIR"]), served=True
    )
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
