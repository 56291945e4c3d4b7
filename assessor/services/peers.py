"""Peer comparison: medians of companies like this one, never of fewer than the minimum."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from assessor.storage.db import db
from assessor.storage.models import Assessment, ResultFacet

PEER_KEYS = ("activity", "size", "country")


@dataclass(frozen=True)
class PeerGroup:
    key: str  # activity, size or country
    values: tuple[str, ...]  # this company's option ids for that key
    size: int  # number of other submitted assessments in the group
    medians: dict[str, float]  # "overall", "dimension:<id>", "theme:<id>" -> median score

    @property
    def large_enough(self) -> bool:
        return self.size >= current_app.config["PEER_GROUP_MINIMUM"]


def peer_groups(assessment: Assessment) -> list[PeerGroup]:
    """One group per profile key this assessment has an answer for."""
    own = db.session.execute(
        select(ResultFacet.key, ResultFacet.value).where(
            ResultFacet.assessment_id == assessment.id, ResultFacet.kind == "profile"
        )
    ).all()
    groups: list[PeerGroup] = []
    for key in PEER_KEYS:
        values = tuple(sorted({value for k, value in own if k == key and value}))
        if values:
            groups.append(_group(assessment, key, values))
    return groups


def _group(assessment: Assessment, key: str, values: tuple[str, ...]) -> PeerGroup:
    peers = (
        select(ResultFacet.assessment_id)
        .join(Assessment, Assessment.id == ResultFacet.assessment_id)
        .where(
            ResultFacet.kind == "profile",
            ResultFacet.key == key,
            ResultFacet.value.in_(values),
            Assessment.questionnaire_id == assessment.questionnaire_id,
            Assessment.submitted_at.is_not(None),
            Assessment.id != assessment.id,
        )
        .distinct()
    )
    peer_ids = list(db.session.scalars(peers))
    minimum = current_app.config["PEER_GROUP_MINIMUM"]
    medians: dict[str, float] = {}
    if len(peer_ids) >= minimum:
        scores: dict[str, list[float]] = {}
        rows = db.session.execute(
            select(ResultFacet.key, ResultFacet.score).where(
                ResultFacet.kind == "score",
                ResultFacet.assessment_id.in_(peer_ids),
                ResultFacet.score.is_not(None),
            )
        )
        for score_key, score in rows:
            scores.setdefault(score_key, []).append(score)
        # a median of fewer scores than the minimum could single out a company
        medians = {k: statistics.median(v) for k, v in scores.items() if len(v) >= minimum}
    return PeerGroup(key, values, len(peer_ids), medians)
