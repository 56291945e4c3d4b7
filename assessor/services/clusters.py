"""Clusters and their service catalogues as pages, plans and commands read them, and the
one mapping between a domain Service and its ClusterService row.

Writing them: ``cluster_catalogues`` (catalogue files in and out), ``cluster_admin`` (what
a cluster's administrators change on its pages).
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import select

from assessor.domain.logos import clean_logo
from assessor.domain.offerings import LocalisedText, Service, ServiceCategory
from assessor.services.settings import current_settings
from assessor.storage.db import db
from assessor.storage.models import Cluster, ClusterService


# The nine fields of a service, listed here only: a domain Service as its ClusterService row
# and back. Imports, the service form, plans and exports all go through these two.
def service_columns(service: Service) -> dict[str, Any]:
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


def service_language_fallback(reads: Sequence[str] = ()) -> tuple[str, ...]:
    """The languages a service text falls back to after the page's own and before the
    cluster's default language: those the reader reads (``reads``, best first), then the
    app's ``SERVICE_LANGUAGE_FALLBACK`` (English outside an app)."""
    configured = current_settings().service_language_fallback if has_app_context() else ("en",)
    return tuple(dict.fromkeys((*reads, *configured)))


def service_of(
    row: ClusterService, cluster: Cluster, fallback: tuple[str, ...] | None = None
) -> Service:
    """``fallback``: the language chain, read once by a caller making many."""
    fallback = service_language_fallback() if fallback is None else fallback
    return Service(
        id=row.key,
        category=ServiceCategory(row.category),
        title=LocalisedText(row.title, cluster.default_language, fallback),
        description=LocalisedText(row.description, cluster.default_language, fallback),
        topics=tuple(row.topics),
        levels=tuple(row.levels or ()),
        contact_name=row.contact_name,
        contact_email=row.contact_email,
        url=row.url,
        provider=cluster.name,
    )


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


def services_of(cluster: Cluster | None, reads: Sequence[str] = ()) -> list[Service]:
    """The cluster's catalogue as domain objects, in catalogue order; ``reads``: the
    languages the reader reads, for texts missing in the page's language."""
    if cluster is None:
        return []
    fallback = service_language_fallback(reads)
    return [service_of(row, cluster, fallback) for row in cluster.services]


def network_catalogue() -> Cluster | None:
    """The network-wide catalogue (the first, when there are several)."""
    return db.session.scalar(
        select(Cluster).where(Cluster.is_network.is_(True)).order_by(Cluster.id).limit(1)
    )


def network_services(reads: Sequence[str] = ()) -> list[Service]:
    """Services of every network-wide catalogue (normally one)."""
    networks = db.session.scalars(
        select(Cluster).where(Cluster.is_network.is_(True)).order_by(Cluster.id)
    )
    return [service for network in networks for service in services_of(network, reads)]


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
