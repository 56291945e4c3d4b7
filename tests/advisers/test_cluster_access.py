"""What a cluster may open one by one, asked of the service without a request: its own
workshops, and assessments shared with it or filled in with its advisers; nothing of
another cluster, and nothing for an account of no cluster."""

from __future__ import annotations

from datetime import date

from flask import Flask

from assessor.services.access import cluster_assessment, cluster_workshop
from assessor.storage.db import db
from assessor.storage.models import Assessment, Cluster, User, Workshop, utcnow


def test_a_cluster_finds_its_own_workshops_only(any_app: Flask) -> None:
    with any_app.app_context():
        north = Cluster(slug="a-north", name="North", country="FI")
        south = Cluster(slug="a-south", name="South", country="FI")
        workshop = Workshop(
            cluster=north,
            title="Turku",
            held_on=date(2026, 12, 1),
            questionnaire_id="every-type",
            language="en",
            join_code="ABCDEF",
        )
        db.session.add_all([north, south, workshop])
        db.session.commit()

        assert cluster_workshop(north.id, workshop.public_id) == workshop
        assert cluster_workshop(south.id, workshop.public_id) is None
        assert cluster_workshop(None, workshop.public_id) is None
        assert cluster_workshop(north.id, "no-such-workshop") is None


def test_a_cluster_sees_shared_and_assisted_assessments_only(any_app: Flask) -> None:
    with any_app.app_context():
        north = Cluster(slug="a-north", name="North", country="FI")
        south = Cluster(slug="a-south", name="South", country="FI")
        adviser = User(email="ada@example.org", name="Ada", cluster=north)

        def started(of: Cluster | None, **fields: object) -> Assessment:
            row = Assessment(
                questionnaire_id="every-type",
                questionnaire_version=1,
                questionnaire_sha256="x" * 64,
                cluster=of,
                submitted_at=utcnow(),
                **fields,
            )
            db.session.add(row)
            return row

        shared = started(north, share_with_cluster=True)
        assisted = started(north, assisted_by=adviser)
        private = started(north)
        unclustered = started(None, share_with_cluster=True)
        db.session.add_all([south, adviser])
        db.session.commit()

        assert cluster_assessment(north.id, shared.public_id) == shared
        assert cluster_assessment(north.id, assisted.public_id) == assisted
        assert cluster_assessment(north.id, private.public_id) is None
        assert cluster_assessment(south.id, shared.public_id) is None
        assert cluster_assessment(None, unclustered.public_id) is None
        assert cluster_assessment(north.id, unclustered.public_id) is None
