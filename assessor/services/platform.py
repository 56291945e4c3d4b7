"""What the platform administrator sees of every cluster: counts and means, never a company.

Four grouped queries whatever the number of clusters and assessments; a cluster's mean
overall score is given only from the peer group minimum on, as a peer median is.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from assessor.services.settings import Settings, current_settings
from assessor.storage.db import db
from assessor.storage.models import Assessment, Cluster, ResultFacet, Workshop


@dataclass(frozen=True)
class ClusterFigures:
    name: str
    slug: str
    started: int
    finished: int
    shared: int
    workshops: int
    mean_overall: float | None  # only from the peer group minimum on


@dataclass(frozen=True)
class PlatformFigures:
    clusters: tuple[ClusterFigures, ...]  # every cluster but the networks, by name
    minimum: int  # finished assessments a mean needs


def platform_figures(settings: Settings | None = None) -> PlatformFigures:
    """The figures of every cluster (settings: by default the app's)."""
    minimum = (settings or current_settings()).peer_group_minimum
    counts: dict[int | None, tuple[int, int, int]] = {
        cluster_id: (started, finished, shared)
        for cluster_id, started, finished, shared in db.session.execute(
            select(
                Assessment.cluster_id,
                func.count(Assessment.id),
                func.count(Assessment.submitted_at),
                func.count(Assessment.id).filter(Assessment.share_with_cluster.is_(True)),
            )
            .where(Assessment.is_preview.is_(False))  # answered to try a questionnaire
            .group_by(Assessment.cluster_id)
        )
    }
    workshops: dict[int, int] = {
        cluster_id: count
        for cluster_id, count in db.session.execute(
            select(Workshop.cluster_id, func.count()).group_by(Workshop.cluster_id)
        )
    }
    means: dict[int | None, float] = {
        cluster_id: float(mean)
        for cluster_id, mean in db.session.execute(
            select(Assessment.cluster_id, func.avg(ResultFacet.score))
            .join(ResultFacet, ResultFacet.assessment_id == Assessment.id)
            .where(
                ResultFacet.kind == "score",
                ResultFacet.key == "overall",
                Assessment.is_preview.is_(False),
            )
            .group_by(Assessment.cluster_id)
            .having(func.count(ResultFacet.score) >= minimum)
        )
    }
    clusters = db.session.execute(
        select(Cluster.id, Cluster.name, Cluster.slug)
        .where(Cluster.is_network.is_(False))
        .order_by(Cluster.name)
    )
    figures = tuple(
        ClusterFigures(
            name,
            slug,
            *counts.get(cluster_id, (0, 0, 0)),
            workshops.get(cluster_id, 0),
            means.get(cluster_id),
        )
        for cluster_id, name, slug in clusters
    )
    return PlatformFigures(figures, minimum)
