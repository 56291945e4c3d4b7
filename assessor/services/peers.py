"""Peer comparison: medians and quartiles of companies like this one, and how many of them
score below this one; never of fewer than the minimum."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, func, literal_column, select
from sqlalchemy.orm import aliased

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
    # Per key, as medians: the first and third quartiles (the middle half lies between),
    # how many of the sample have a score, and how many of those score below this company.
    quartiles: dict[str, tuple[float, float]] = field(default_factory=dict, kw_only=True)
    scored: dict[str, int] = field(default_factory=dict, kw_only=True)
    below: dict[str, int] = field(default_factory=dict, kw_only=True)

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
            Assessment.is_preview.is_(False),
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
    ids = [row.id for row in recent]
    figures = _quantiles(ids, minimum)
    return PeerGroup(
        key,
        values,
        size,
        {k: f.median for k, f in figures.items()},
        len(recent),
        minimum=minimum,
        quartiles={k: (f.lower, f.upper) for k, f in figures.items()},
        scored={k: f.count for k, f in figures.items()},
        below=_below(assessment, ids, set(figures)),
    )


@dataclass(frozen=True)
class _Quantiles:
    count: int
    lower: float  # first quartile
    median: float
    upper: float  # third quartile


# The quantiles as fractions of (count - 1) in quarters: the same definition as a
# spreadsheet's QUARTILE.INC (and numpy's default), interpolating between neighbours.
_QUARTERS = {"lower": 1, "median": 2, "upper": 3}


def _quantiles(assessment_ids: list[int], minimum: int) -> dict[str, _Quantiles]:
    """Quartiles and median per key over these assessments. Each key's scores are numbered
    in order (window functions, the same on SQLite and PostgreSQL) and only the two
    neighbours of each quartile's position come back: at most six rows per key, whatever
    the sample. Quantiles of fewer scores than the minimum could single out a company, so
    such keys are left out."""
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
    # 1-based positions floor(q (n - 1) / 4) + 1 and the next one, for q = 1, 2, 3.
    # The constants are written into the statement: it stays the same (compiled once) and
    # its parameters are the sample's ids and little else.
    wanted = [
        (ranked.c.scores - 1) * literal_column(str(q)) // literal_column("4")
        + literal_column(str(offset))
        for q in _QUARTERS.values()
        for offset in (1, 2)
    ]
    rows = db.session.execute(
        select(ranked.c.key, ranked.c.position, ranked.c.scores, ranked.c.score).where(
            ranked.c.scores >= minimum, ranked.c.position.in_(wanted)
        )
    ).all()
    by_key: dict[str, dict[int, float]] = {}
    counts: dict[str, int] = {}
    for key, position, scores, score in rows:
        by_key.setdefault(key, {})[int(position)] = float(score)
        counts[key] = int(scores)

    def quantile(values: dict[int, float], count: int, quarters: int) -> float:
        low = (count - 1) * quarters // 4 + 1
        fraction = ((count - 1) * quarters % 4) / 4
        below_value = values[low]
        above_value = values.get(low + 1, below_value)
        return below_value + fraction * (above_value - below_value)

    return {
        key: _Quantiles(
            counts[key],
            *(quantile(values, counts[key], q) for q in _QUARTERS.values()),
        )
        for key, values in by_key.items()
    }


def _below(assessment: Assessment, assessment_ids: list[int], keys: set[str]) -> dict[str, int]:
    """Per key, how many of these assessments score lower than this one: its own scores
    are facets too, so the database compares them without handing any over."""
    if not keys:
        return {}
    own = aliased(ResultFacet)
    rows = db.session.execute(
        select(ResultFacet.key, func.count())
        .join(
            own,
            and_(
                own.assessment_id == assessment.id,
                own.kind == "score",
                own.key == ResultFacet.key,
                own.score.is_not(None),
            ),
        )
        .where(
            ResultFacet.kind == "score",
            ResultFacet.assessment_id.in_(assessment_ids),
            ResultFacet.score < own.score,
        )
        .group_by(ResultFacet.key)
    ).all()
    return {key: int(count) for key, count in rows if key in keys} | {
        key: 0 for key in keys if key not in {row[0] for row in rows}
    }
