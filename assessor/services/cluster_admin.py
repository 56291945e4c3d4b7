"""What a cluster's administrators change on its pages: its services and its profile.
Every change moves the catalogue version on, so that cached plans are built again."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError

from assessor.domain.offerings import Service
from assessor.services.clusters import service_columns
from assessor.storage.db import db
from assessor.storage.models import Cluster, ClusterService


def save_service(cluster: Cluster, service: Service, replacing: str | None = None) -> None:
    """Add the service, or replace the one with key ``replacing``; plans' caches move on."""
    rows = {row.key: row for row in cluster.services}
    if service.id != replacing and service.id in rows:
        raise ValueError(f"the cluster has a service {service.id!r} already")
    row = rows.get(replacing) if replacing else None
    if row is None:
        row = ClusterService(cluster=cluster, position=len(cluster.services))
        db.session.add(row)
    for column, value in service_columns(service).items():
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
