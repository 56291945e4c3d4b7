"""Cluster profiles and service catalogues: import, export, look up."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from assessor.domain.cluster_files import ClusterProfile, service_entry
from assessor.domain.logos import clean_logo
from assessor.domain.offerings import LocalisedText, Service, ServiceCategory
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
    cluster.services.clear()
    db.session.flush()  # the unique (cluster, key) rows must go before the new ones arrive
    for position, service in enumerate(profile.services):
        cluster.services.append(ClusterService(position=position, **_service_columns(service)))
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


# The nine fields of a service, listed here only: a domain Service as its ClusterService row
# and back. Imports, the service form, plans and exports all go through these two.
def _service_columns(service: Service) -> dict[str, Any]:
    return {
        "key": service.id,
        "category": service.category.value,
        "title": dict(service.title.texts),
        "description": dict(service.description.texts),
        "topics": list(service.topics),
        "levels": list(service.levels),
        "contact_name": service.contact_name,
        "contact_email": service.contact_email,
        "url": service.url,
    }


def _service_of(row: ClusterService, cluster: Cluster) -> Service:
    return Service(
        id=row.key,
        category=ServiceCategory(row.category),
        title=LocalisedText(row.title, cluster.default_language),
        description=LocalisedText(row.description, cluster.default_language),
        topics=tuple(row.topics),
        levels=tuple(row.levels or ()),
        contact_name=row.contact_name,
        contact_email=row.contact_email,
        url=row.url,
        provider=cluster.name,
    )


def _content_of(cluster: Cluster) -> tuple[object, ...]:
    """Everything a plan or an export shows of a cluster, to tell whether an import changed it."""
    own = tuple(getattr(cluster, column) for column in _PROFILE_COLUMNS)
    return own + tuple(_service_columns(service) for service in services_of(cluster))


def import_clusters(profiles: Iterable[ClusterProfile]) -> list[Cluster]:
    clusters = [import_cluster(p) for p in profiles]
    db.session.commit()
    return clusters


def cluster_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.yaml") if p.is_file())


def all_clusters(include_network: bool = False) -> list[Cluster]:
    query = select(Cluster).order_by(Cluster.name)
    if not include_network:
        query = query.where(Cluster.is_network.is_(False))
    return list(db.session.scalars(query))


def cluster_by_slug(slug: str, include_network: bool = False) -> Cluster | None:
    cluster = db.session.scalar(select(Cluster).where(Cluster.slug == slug))
    if cluster is not None and cluster.is_network and not include_network:
        return None
    return cluster


def services_of(cluster: Cluster | None) -> list[Service]:
    """The cluster's catalogue as domain objects, in catalogue order."""
    if cluster is None:
        return []
    return [_service_of(row, cluster) for row in cluster.services]


def network_services() -> list[Service]:
    """Services of every network-wide catalogue (normally one)."""
    networks = db.session.scalars(
        select(Cluster).where(Cluster.is_network.is_(True)).order_by(Cluster.id)
    )
    return [service for network in networks for service in services_of(network)]


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


def save_service(cluster: Cluster, service: Service, replacing: str | None = None) -> None:
    """Add the service, or replace the one with key ``replacing``; plans' caches move on."""
    rows = {row.key: row for row in cluster.services}
    if service.id != replacing and service.id in rows:
        raise ValueError(f"the cluster has a service {service.id!r} already")
    row = rows.get(replacing) if replacing else None
    if row is None:
        row = ClusterService(cluster=cluster, position=len(cluster.services))
        db.session.add(row)
    for column, value in _service_columns(service).items():
        setattr(row, column, value)
    cluster.catalogue_version = (cluster.catalogue_version or 1) + 1
    try:
        db.session.commit()
    except IntegrityError:
        # The same new id saved by a parallel request (a double click) a moment ago: the
        # unique (cluster, key) refuses this one, as the check above does afterwards.
        db.session.rollback()
        raise ValueError(f"the cluster has a service {service.id!r} already") from None


def delete_service(cluster: Cluster, key: str) -> bool:
    row = next((r for r in cluster.services if r.key == key), None)
    if row is None:
        return False
    cluster.services.remove(row)
    cluster.catalogue_version = (cluster.catalogue_version or 1) + 1
    db.session.commit()
    return True


def export_archive(cluster: Cluster) -> bytes:
    """The catalogue file and its logo as a zip that ``clusters import`` reads once unpacked."""
    import tempfile
    import zipfile
    from io import BytesIO

    buffer = BytesIO()
    with tempfile.TemporaryDirectory() as folder:
        export_cluster(cluster, Path(folder))
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(Path(folder).rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


def update_profile(cluster: Cluster, values: dict[str, Any]) -> None:
    """The editable part of a cluster's profile (checked by the caller); plans follow."""
    cluster.name = values["name"]
    cluster.description = values["description"] or None
    cluster.contact_name = values["contact_name"] or None
    cluster.contact_email = values["contact_email"] or None
    cluster.website = values["website"] or None
    cluster.colour = values["colour"]
    cluster.languages = list(values["languages"])
    cluster.default_language = values["default_language"]
    if "logo" in values:  # (bytes, type) for a new, checked logo; (None, None) removes it
        cluster.logo, cluster.logo_type = values["logo"]
    cluster.catalogue_version = (cluster.catalogue_version or 1) + 1
    db.session.commit()


def logo_data_url(cluster: Cluster) -> str | None:
    """The cluster's logo inline (plans and pages never fetch it from elsewhere).

    Checked and cleaned again on the way out: a logo stored before the checks were
    strict (or restored from a backup) might otherwise keep every plan of the cluster
    rendering for minutes. A refused logo is left out of the page or plan.
    """
    if not (cluster.logo and cluster.logo_type):
        return None
    clean = _clean_stored_logo(cluster.logo, cluster.logo_type)
    if isinstance(clean, str):
        current_app.logger.warning("cluster %s: stored logo left out: it %s", cluster.slug, clean)
        return None
    return f"data:{cluster.logo_type};base64,{base64.b64encode(clean).decode()}"


@lru_cache(maxsize=16)
def _clean_stored_logo(data: bytes, kind: str) -> bytes | str:
    # Keyed by content; results pages show the logo on every view and a large SVG
    # takes tens of milliseconds to check.
    return clean_logo(data, kind)
