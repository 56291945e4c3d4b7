"""The platform administrator's figures come from a service, without a request: counts per
cluster, workshops, and a mean only from the minimum number of scores on."""

from __future__ import annotations

from datetime import date

from flask import Flask

from assessor.services.platform import platform_figures
from assessor.services.settings import Settings, current_settings
from assessor.storage.db import db
from assessor.storage.models import Assessment, Cluster, ResultFacet, Workshop, utcnow


def cluster(slug: str, *, network: bool = False) -> Cluster:
    found = Cluster(slug=slug, name=f"Cluster {slug}", country="FI", is_network=network)
    db.session.add(found)
    return found


def assessment(of: Cluster | None, overall: float | None = None, shared: bool = False) -> None:
    """Started; submitted with that overall score when one is given."""
    row = Assessment(
        questionnaire_id="every-type",
        questionnaire_version=1,
        questionnaire_sha256="x" * 64,
        cluster=of,
        share_with_cluster=shared,
        submitted_at=utcnow() if overall is not None else None,
    )
    if overall is not None:
        row.facets = [ResultFacet(kind="score", key="overall", score=overall)]
    db.session.add(row)


def test_figures_per_cluster_and_a_mean_only_from_the_minimum(any_app: Flask) -> None:
    with any_app.app_context():
        north, south = cluster("a-north"), cluster("a-south")
        cluster("a-network", network=True)
        for score in (40.0, 60.0, 80.0):
            assessment(north, score, shared=score > 50)
        assessment(north)  # started, not finished
        assessment(south, 10.0)
        assessment(None, 99.0)  # no cluster: in no cluster's figures
        db.session.add(
            Workshop(
                cluster=north,
                title="Turku",
                held_on=date(2026, 12, 1),
                questionnaire_id="every-type",
                language="en",
                join_code="ABCDEF",
            )
        )
        db.session.commit()

        figures = platform_figures(Settings.from_config(any_app.config | {"PEER_GROUP_MINIMUM": 3}))
        by_slug = {f.slug: f for f in figures.clusters}
        assert figures.minimum == 3
        assert "a-network" not in by_slug
        assert [f.name for f in figures.clusters] == sorted(f.name for f in figures.clusters)
        north_figures = by_slug["a-north"]
        assert (north_figures.started, north_figures.finished, north_figures.shared) == (4, 3, 2)
        assert north_figures.workshops == 1
        assert north_figures.mean_overall == 60.0
        assert by_slug["a-south"].mean_overall is None  # one score, fewer than three
        assert (by_slug["a-south"].started, by_slug["a-south"].workshops) == (1, 0)

        # The settings passed decide, not the app's: with the app's minimum (5) no mean.
        assert current_settings().peer_group_minimum == 5
        assert {f.slug: f.mean_overall for f in platform_figures().clusters}["a-north"] is None
