"""Plain view data for a result page and the PDF plan: scores with their changes and peer
medians, strengths and gaps, peer groups as sentences, the radar.

Built from the domain's ``Result`` and the figures a service hands over (the previous
result, the peer groups and the settings they were computed with); no query and no ORM
object here, so the same result always reads the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from flask_babel import format_date
from flask_babel import gettext as _

from assessor.domain.actions import TriggeredAction, triggered_actions
from assessor.domain.model import Level, Questionnaire
from assessor.domain.scoring import Result
from assessor.presentation.charts import Radar, radar

# A theme scoring at least this is a strength, below it a gap; the page lists a few of each.
STRENGTH_THRESHOLD = 50
LISTED = 3


class PeerFigures(Protocol):
    """A peer group as a service computed it (services.peers.PeerGroup)."""

    @property
    def key(self) -> str: ...  # the profile key shared: activity, size or country
    @property
    def values(self) -> tuple[str, ...]: ...  # this company's option ids for the key
    @property
    def size(self) -> int: ...
    @property
    def medians(self) -> dict[str, float]: ...  # "overall", "dimension:<id>", "theme:<id>"
    @property
    def sample(self) -> int: ...
    @property
    def large_enough(self) -> bool: ...


@dataclass(frozen=True)
class ScoreView:
    id: str
    label: str
    score: float | None
    level_id: str | None
    level_label: str | None
    change: float | None = None  # since the previous assessment
    peer_median: float | None = None


@dataclass(frozen=True)
class DimensionView(ScoreView):
    themes: tuple[ScoreView, ...] = ()


@dataclass(frozen=True)
class PeerView:
    key: str
    values: tuple[str, ...]  # labels of this company's answers
    size: int
    shown: bool
    overall: float | None = None
    dimensions: dict[str, float] = field(default_factory=dict)
    sample: int = 0  # the medians are of the most recent this many (all when sample == size)
    text: str = ""  # who the group is, for instance "Companies in the same country (Finland)"


@dataclass(frozen=True)
class ResultView:
    questionnaire_title: str
    questionnaire_version: int
    overall: ScoreView
    dimensions: tuple[DimensionView, ...]
    radar: Radar
    strengths: tuple[ScoreView, ...]
    gaps: tuple[ScoreView, ...]
    actions: tuple[TriggeredAction, ...]
    peers: tuple[PeerView, ...]
    peer_minimum: int  # a group is compared with from this many assessments on
    previous_date: str | None
    result: Result
    strength_threshold: int = STRENGTH_THRESHOLD


def result_view(
    result: Result,
    *,
    before: Result | None = None,
    previous_submitted: date | None = None,
    peers: Sequence[PeerFigures] = (),
    peer_minimum: int,
) -> ResultView:
    """The view of ``result``; ``before`` is the previous assessment's result (submitted on
    ``previous_submitted``), ``peers`` the groups it is compared with."""
    questionnaire = result.questionnaire
    earlier = _score_by_key(before) if before is not None else None
    first_group = next((g for g in peers if g.large_enough), None)

    def change(key: str, score: float | None) -> float | None:
        if earlier is None or score is None:
            return None
        was = earlier.get(key)
        return None if was is None else score - was

    def view(
        key: str, item_id: str, label: str, score: float | None, level: Level | None
    ) -> ScoreView:
        return ScoreView(
            item_id,
            label,
            score,
            level.id if level else None,
            level.label if level else None,
            change(key, score),
            first_group.medians.get(key) if first_group is not None else None,
        )

    dimensions = tuple(
        DimensionView(
            **view(
                f"dimension:{d.dimension.id}", d.dimension.id, d.dimension.label, d.score, d.level
            ).__dict__,
            themes=tuple(
                view(f"theme:{t.theme.id}", t.theme.id, t.theme.label, t.score, t.level)
                for t in d.themes
            ),
        )
        for d in result.dimensions
    )
    scored = sorted(
        ((t.score, t) for d in dimensions for t in d.themes if t.score is not None),
        key=lambda pair: pair[0],
    )
    strengths = tuple(t for score, t in reversed(scored) if score >= STRENGTH_THRESHOLD)
    gaps = tuple(t for score, t in scored if score < STRENGTH_THRESHOLD)
    return ResultView(
        questionnaire_title=questionnaire.title,
        questionnaire_version=questionnaire.version,
        overall=view("overall", "overall", "", result.score, result.level),
        dimensions=dimensions,
        radar=radar([(t.label, t.score) for d in dimensions for t in d.themes]),
        strengths=strengths[:LISTED],
        gaps=gaps[:LISTED],
        actions=triggered_actions(result),
        peers=tuple(_peer_view(questionnaire, g) for g in peers),
        peer_minimum=peer_minimum,
        previous_date=format_date(previous_submitted, format="long")
        if previous_submitted is not None
        else None,
        result=result,
    )


def peer_group_text(key: str, values: str) -> str:
    """Who a peer group is, in the current language; ``values`` are this company's answers.
    Every key of services.peers.PEER_KEYS has its sentence (a test checks it)."""
    text: str
    match key:
        case "activity":
            text = _("Companies with the same activity (%(values)s)", values=values)
        case "size":
            text = _("Companies of the same size (%(values)s)", values=values)
        case "country":
            text = _("Companies in the same country (%(values)s)", values=values)
        case _:
            raise ValueError(f"no text for the peer group {key!r}")
    return text


def _score_by_key(result: Result) -> dict[str, float | None]:
    scores: dict[str, float | None] = {"overall": result.score}
    for d in result.dimensions:
        scores[f"dimension:{d.dimension.id}"] = d.score
        for t in d.themes:
            scores[f"theme:{t.theme.id}"] = t.score
    return scores


def _peer_view(questionnaire: Questionnaire, group: PeerFigures) -> PeerView:
    question = next((q for q in questionnaire.questions if q.profile == group.key), None)
    labels = tuple(
        question.options_by_id[v].label if question and v in question.options_by_id else v
        for v in group.values
    )
    text = peer_group_text(group.key, ", ".join(labels))
    if not group.large_enough:
        return PeerView(group.key, labels, group.size, shown=False, text=text)
    dimensions = {
        k.split(":", 1)[1]: v for k, v in group.medians.items() if k.startswith("dimension:")
    }
    return PeerView(
        group.key,
        labels,
        group.size,
        True,
        group.medians.get("overall"),
        dimensions,
        group.sample,
        text,
    )
