"""Insights tests: a small questionnaire (data/insights.yaml) and companies written as rows
with the facets a submission writes (and those the facets work adds: focus, dma,
readiness, the level an action is about), so that each figure can be computed by hand."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path

import pytest
from flask import Flask

from assessor.domain.model import Questionnaire
from assessor.services.questionnaires.catalogue import served
from assessor.storage.db import db
from assessor.storage.models import Assessment, Cluster, ClusterService, ResultFacet

DATA = Path(__file__).parent / "data"
MINIMUM = 3  # the group minimum of these tests: small enough to compute by hand


@pytest.fixture(params=["sqlite", "postgresql"])
def insights_app(request: pytest.FixtureRequest, make_app: Callable[..., Flask]) -> Iterator[Flask]:
    """An app on each database serving data/insights.yaml, inside its app context."""
    app = make_app(database=request.param, questionnaires=DATA, PEER_GROUP_MINIMUM=MINIMUM)
    with app.app_context():
        yield app


def questionnaire() -> Questionnaire:
    return served().entries["insights"].questionnaire


def make_cluster(slug: str, services: Sequence[tuple[str, list[str], list[str]]] = ()) -> Cluster:
    """A cluster with services given as (id, topics, levels)."""
    cluster = Cluster(slug=slug, name=f"Cluster {slug}", country="FI")
    cluster.services = [
        ClusterService(
            key=key,
            position=index,
            category="process",
            title={"en": key},
            description={"en": key},
            topics=topics,
            levels=levels,
        )
        for index, (key, topics, levels) in enumerate(services)
    ]
    db.session.add(cluster)
    db.session.flush()
    return cluster


def set_network_services(services: Sequence[tuple[str, list[str], list[str]]]) -> None:
    """The network catalogue's services replaced by these."""
    network = db.session.query(Cluster).filter_by(is_network=True).one()
    network.services = [
        ClusterService(
            key=key,
            position=index,
            category="process",
            title={"en": key},
            description={"en": key},
            topics=topics,
            levels=levels,
        )
        for index, (key, topics, levels) in enumerate(services)
    ]
    db.session.flush()


def company(
    cluster: Cluster | None,
    submitted: str = "2026-06-01",
    *,
    profile: Mapping[str, str | Sequence[str]] = {},
    scores: Mapping[str, tuple[float | None, str | None]] = {},
    actions: Sequence[tuple[str, str | None]] = (),
    focus: Sequence[str] = (),
    dma: Mapping[str, float] = {},
    readiness: Mapping[str, str] = {},
    shared: bool = True,
    previous: Assessment | None = None,
    sha256: str | None = None,
    version: int | None = None,
    preview: bool = False,
    done: bool = True,
) -> Assessment:
    """One assessment with its facets as a submission writes them."""
    content = questionnaire()
    facets: list[ResultFacet] = []
    for key, values in profile.items():
        for value in [values] if isinstance(values, str) else values:
            facets.append(ResultFacet(kind="profile", key=key, value=value))
    for key, (score, level) in scores.items():
        facets.append(ResultFacet(kind="score", key=key, score=score, value=level))
    for rank, (action_id, level) in enumerate(actions, start=1):
        facets.append(ResultFacet(kind="action", key=action_id, value=level, score=rank))
    for rank, action_id in enumerate(focus, start=1):
        facets.append(ResultFacet(kind="focus", key=action_id, score=rank))
    for key, score in dma.items():
        facets.append(ResultFacet(kind="dma", key=key, score=score))
    for key, state in readiness.items():
        facets.append(ResultFacet(kind="readiness", key=key, value=state))
    row = Assessment(
        questionnaire_id="insights",
        questionnaire_version=version or content.version,
        questionnaire_sha256=sha256 or content.source_sha256,
        cluster=cluster,
        share_with_cluster=shared,
        submitted_at=datetime.fromisoformat(submitted) if done else None,
        previous_id=previous.id if previous is not None else None,
        is_preview=preview,
        facets=facets if done else [],
    )
    db.session.add(row)
    db.session.flush()
    return row


def overall(score: float) -> dict[str, tuple[float | None, str | None]]:
    content = questionnaire()
    level = content.level_for(score)
    return {"overall": (score, level.id if level else None)}
