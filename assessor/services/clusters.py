"""Cluster profiles: import from YAML files, look up."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import select

from assessor.domain.clusters import ClusterProfile
from assessor.storage.db import db
from assessor.storage.models import Cluster


def import_cluster(profile: ClusterProfile) -> Cluster:
    """Create or update the cluster with this slug."""
    cluster = db.session.scalar(select(Cluster).where(Cluster.slug == profile.slug))
    if cluster is None:
        cluster = Cluster(slug=profile.slug)
        db.session.add(cluster)
    cluster.name = profile.name
    cluster.country = profile.country
    cluster.languages = list(profile.languages)
    cluster.default_language = profile.default_language
    cluster.description = profile.description
    cluster.contact_name = profile.contact_name
    cluster.contact_email = profile.contact_email
    cluster.website = profile.website
    cluster.is_example = profile.is_example
    return cluster


def import_clusters(profiles: Iterable[ClusterProfile]) -> list[Cluster]:
    clusters = [import_cluster(p) for p in profiles]
    db.session.commit()
    return clusters


def cluster_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.yaml") if p.is_file())


def all_clusters() -> list[Cluster]:
    return list(db.session.scalars(select(Cluster).order_by(Cluster.name)))


def cluster_by_slug(slug: str) -> Cluster | None:
    return db.session.scalar(select(Cluster).where(Cluster.slug == slug))
