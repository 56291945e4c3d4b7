"""What an adviser's cluster may open one by one: its own workshops, and the assessments
shared with it or filled in with its advisers. Anything else is not found, whatever its id
(the views answer 404, so an id of another cluster reveals nothing)."""

from __future__ import annotations

from sqlalchemy import select

from assessor.storage.db import db
from assessor.storage.models import Assessment, Workshop


def cluster_workshop(cluster_id: int | None, public_id: str) -> Workshop | None:
    """The workshop ``public_id`` if it is the cluster's (an account of no cluster has none)."""
    if cluster_id is None:
        return None
    return db.session.scalar(
        select(Workshop).where(Workshop.public_id == public_id, Workshop.cluster_id == cluster_id)
    )


def cluster_assessment(cluster_id: int | None, public_id: str) -> Assessment | None:
    """The assessment ``public_id`` if the cluster may see it one by one (shared with it,
    or filled in with its advisers)."""
    if cluster_id is None:
        return None
    assessment = db.session.scalar(
        select(Assessment).where(
            Assessment.public_id == public_id,
            Assessment.cluster_id == cluster_id,
            Assessment.is_preview.is_(False),
        )
    )
    return assessment if assessment is not None and assessment.visible_to_cluster else None
