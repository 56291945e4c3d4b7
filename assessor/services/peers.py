"""Peer comparison: medians of companies like this one, never of fewer than the minimum."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from assessor.services.settings import Settings, current_settings
from assessor.storage.db import db
from assessor.storage.models import Assessment, ResultFacet

# The profile keys (a question's ``profile:`` in the questionnaire) companies are compared
# by; how each group reads is presentation.results.peer_group_text, which knows these keys.
PEER_KEYS = ("activity", "size", "country")


@dataclass(frozen=True)
class PeerGroup:
    key: str  # activity, size or country
    values: tuple[str, ...]  # this company's option ids for that key
    size: int  # number of other submitted assessments in the group
    medians: dict[str, float]  # "overall", "dimension:<id>", "theme:<id>" -> median score
    sample: int = 0  # how many of them (the most recent) the medians are taken from
    minimum: int = field(kw_only=True)  # the smallest group compared with, as computed

    @property
    def large_enough(self) -> bool:
        return self.size >= self.minimum


def peer_groups(assessment: Assessment, settings: Settings | None = None) -> list[PeerGroup]:
    """One group per profile key this assessment has an answer for (settings: by default
    the app's)."""
    settings = settings or current_settings()
    own = db.session.execute(
        select(ResultFacet.key, ResultFacet.value).where(
            ResultFacet.assessment_id == assessment.id, ResultFacet.kind == "profile"
        )
    ).all()
    groups: list[PeerGroup] = []
    for key in PEER_KEYS:
        values = tuple(sorted({value for k, value in own if k == key and value}))
        if values:
            groups.append(_group(assessment, key, values, settings))
    return groups


def _group(
    assessment: Assessment, key: str, values: tuple[str, ...], settings: Settings
) -> PeerGroup:
    """The group's size and medians. A group may hold tens of thousands of companies: the
    database counts them and hands over only the most recent ``PEER_MEDIAN_SAMPLE``, whose
    medians it then computes, so neither statements nor results grow with the group."""
    peers = (
        select(ResultFacet.assessment_id.label("id"), Assessment.submitted_at)
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
        .subquery()
    )
    # A statement takes at most 32,766 parameters on SQLite and 65,535 on PostgreSQL.
    sample = max(1, min(settings.peer_median_sample, 10_000))
    recent = db.session.execute(
        # The window counts the whole group before LIMIT keeps the most recent.
        select(peers.c.id, func.count().over().label("size"))
        .order_by(peers.c.submitted_at.desc(), peers.c.id.desc())
        .limit(sample)
    ).all()
    size = recent[0].size if recent else 0
    minimum = settings.peer_group_minimum
    if size < minimum:
        return PeerGroup(key, values, size, {}, minimum=minimum)
    medians = _medians([row.id for row in recent], minimum)
    return PeerGroup(key, values, size, medians, len(recent), minimum=minimum)


def _medians(assessment_ids: list[int], minimum: int) -> dict[str, float]:
    """Median score per key over these assessments: the middle value, or the mean of the
    two middle values, found by numbering each key's scores in order (window functions,
    the same on SQLite and PostgreSQL). A median of fewer scores than the minimum could
    single out a company, so such keys are left out."""
    ranked = (
        select(
            ResultFacet.key,
            ResultFacet.score,
            func.row_number()
            .over(partition_by=ResultFacet.key, order_by=ResultFacet.score)
            .label("position"),
            func.count().over(partition_by=ResultFacet.key).label("scores"),
        )
        .where(
            ResultFacet.kind == "score",
            ResultFacet.score.is_not(None),
            ResultFacet.assessment_id.in_(assessment_ids),
        )
        .subquery()
    )
    middle = (
        select(ranked.c.key, func.avg(ranked.c.score))
        .where(
            ranked.c.scores >= minimum,
            ranked.c.position.in_([(ranked.c.scores + 1) // 2, (ranked.c.scores + 2) // 2]),
        )
        .group_by(ranked.c.key)
    )
    return {key: float(median) for key, median in db.session.execute(middle)}
