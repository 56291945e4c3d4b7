"""A cluster's catalogue file into the database and back: ``clusters import`` and the
first start read files in; ``clusters export`` and the administrators' download write
them out (a zip with the logo)."""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import replace
from io import BytesIO
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from assessor.domain.cluster_files import COMPANY_CHOOSES, ClusterProfile, Vocabulary, service_entry
from assessor.services.clusters import service_columns, services_of
from assessor.services.questionnaires.catalogue import served
from assessor.storage.db import db
from assessor.storage.models import Cluster, ClusterService


def import_cluster(profile: ClusterProfile) -> Cluster:
    """Create or update the cluster with this slug; its services are replaced in order."""
    cluster = db.session.scalar(select(Cluster).where(Cluster.slug == profile.slug))
    before = None
    if cluster is None:
        cluster = Cluster(slug=profile.slug, catalogue_version=1)
        db.session.add(cluster)
    else:
        before = _content_of(cluster)
    for column, value in _profile_columns(profile).items():
        setattr(cluster, column, value)
    # What it offers: not part of its content (no plan shows it), so no new catalogue version.
    cluster.offered_questionnaires = (
        list(profile.questionnaires) if profile.questionnaires is not None else None
    )
    cluster.default_questionnaire = profile.default_questionnaire
    cluster.services.clear()
    db.session.flush()  # the unique (cluster, key) rows must go before the new ones arrive
    for position, service in enumerate(profile.services):
        cluster.services.append(ClusterService(position=position, **service_columns(service)))
    # Cached plans name the catalogue version: re-importing an unchanged file must not void them.
    if before is not None and _content_of(cluster) != before:
        cluster.catalogue_version = (cluster.catalogue_version or 1) + 1
    return cluster


# The profile fields a Cluster row stores, under the names ClusterProfile gives them too.
_PROFILE_COLUMNS = (
    "name",
    "country",
    "languages",
    "default_language",
    "description",
    "contact_name",
    "contact_email",
    "website",
    "is_example",
    "is_network",
    "colour",
    "logo",
    "logo_type",
)


def _profile_columns(profile: ClusterProfile) -> dict[str, Any]:
    """A catalogue file's profile as the columns of its Cluster row."""
    columns = {column: getattr(profile, column) for column in _PROFILE_COLUMNS}
    columns["languages"] = list(profile.languages)
    return columns


def _content_of(cluster: Cluster) -> tuple[object, ...]:
    """Everything a plan or an export shows of a cluster, to tell whether an import changed it."""
    own = tuple(getattr(cluster, column) for column in _PROFILE_COLUMNS)
    return own + tuple(service_columns(service) for service in services_of(cluster))


def with_served_questionnaires(vocabulary: Vocabulary) -> Vocabulary:
    """``vocabulary`` (from the questionnaire files) with the questionnaires served now:
    the platform-wide ones published from the browser too, and every cluster's own."""
    platform = {e.id for e in served() if e.cluster_id is None}
    slugs: dict[int, str] = {
        cluster_id: slug
        for cluster_id, slug in db.session.execute(select(Cluster.id, Cluster.slug))
    }
    own: dict[str, set[str]] = {}
    for entry in served():
        if entry.cluster_id is not None and entry.cluster_id in slugs:
            own.setdefault(slugs[entry.cluster_id], set()).add(entry.id)
    return replace(
        vocabulary,
        questionnaires=vocabulary.questionnaires | platform,
        own_questionnaires={slug: frozenset(ids) for slug, ids in own.items()},
    )


def import_clusters(profiles: Iterable[ClusterProfile]) -> list[Cluster]:
    clusters = [import_cluster(p) for p in profiles]
    db.session.commit()
    return clusters


def cluster_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.yaml") if p.is_file())


LOGO_SUFFIXES = {"image/svg+xml": ".svg", "image/png": ".png"}


def export_cluster(cluster: Cluster, folder: Path) -> Path:
    """Write the cluster as a catalogue file that ``clusters import`` reads back."""
    document: dict[str, Any] = {
        "slug": cluster.slug,
        "name": cluster.name,
        "example": cluster.is_example,
        "network": cluster.is_network,
        "country": cluster.country,
        "languages": list(cluster.languages),
        "default_language": cluster.default_language,
        "colour": cluster.colour,
    }
    if cluster.description:
        document["description"] = cluster.description
    if cluster.contact_name or cluster.contact_email:
        document["contact"] = {
            k: v for k, v in (("name", cluster.contact_name), ("email", cluster.contact_email)) if v
        }
    if cluster.website:
        document["website"] = cluster.website
    if cluster.offered_questionnaires is not None:
        document["questionnaires"] = list(cluster.offered_questionnaires)
    if cluster.default_questionnaire is not None:
        default = cluster.default_questionnaire
        document["default_questionnaire"] = "none" if default == COMPANY_CHOOSES else default
    folder.mkdir(parents=True, exist_ok=True)
    if cluster.logo and cluster.logo_type in LOGO_SUFFIXES:
        logo = Path("logos") / f"{cluster.slug}{LOGO_SUFFIXES[cluster.logo_type]}"
        (folder / "logos").mkdir(exist_ok=True)
        (folder / logo).write_bytes(cluster.logo)
        document["logo"] = logo.as_posix()
    document["services"] = [service_entry(service) for service in services_of(cluster)]
    path = folder / f"{cluster.slug}.yaml"
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(
        f"# Exported by assessor: flask --app assessor clusters import {path.name}\n{text}",
        encoding="utf-8",
    )
    return path


def export_archive(cluster: Cluster) -> bytes:
    """The catalogue file and its logo as a zip that ``clusters import`` reads once unpacked."""
    buffer = BytesIO()
    with tempfile.TemporaryDirectory() as folder:
        export_cluster(cluster, Path(folder))
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(Path(folder).rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()
