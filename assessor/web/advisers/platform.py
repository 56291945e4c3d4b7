"""The platform administrator's view: every cluster, aggregates only."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, render_template
from sqlalchemy import func, select

from assessor.storage.db import db
from assessor.storage.models import Assessment, Cluster, ResultFacet, Role, Workshop
from assessor.web.advisers.access import signed_in
from assessor.web.routes import Routes

routes = Routes()


@dataclass(frozen=True)
class ClusterFigures:
    cluster: Cluster
    started: int
    finished: int
    shared: int
    workshops: int
    mean_overall: float | None  # only from the peer group minimum on


@routes.get("/platform")
@signed_in(Role.PLATFORM_ADMIN)
def platform() -> str:
    minimum = current_app.config["PEER_GROUP_MINIMUM"]
    counts = {
        cluster_id: (started, finished, shared)
        for cluster_id, started, finished, shared in db.session.execute(
            select(
                Assessment.cluster_id,
                func.count(Assessment.id),
                func.count(Assessment.submitted_at),
                func.count(Assessment.id).filter(Assessment.share_with_cluster.is_(True)),
            ).group_by(Assessment.cluster_id)
        )
    }
    workshops = dict(
        db.session.execute(
            select(Workshop.cluster_id, func.count()).group_by(Workshop.cluster_id)
        ).all()
    )
    means = dict(
        db.session.execute(
            select(Assessment.cluster_id, func.avg(ResultFacet.score))
            .join(ResultFacet, ResultFacet.assessment_id == Assessment.id)
            .where(ResultFacet.kind == "score", ResultFacet.key == "overall")
            .group_by(Assessment.cluster_id)
            .having(func.count(ResultFacet.score) >= minimum)
        ).all()
    )
    clusters = db.session.scalars(
        select(Cluster).where(Cluster.is_network.is_(False)).order_by(Cluster.name)
    )
    figures = [
        ClusterFigures(
            c,
            *counts.get(c.id, (0, 0, 0)),
            workshops.get(c.id, 0),
            float(means[c.id]) if c.id in means else None,
        )
        for c in clusters
    ]
    return render_template("advisers/platform.html", figures=figures, minimum=minimum)
