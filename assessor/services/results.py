"""Plain view data for a result page (and later the PDF): no ORM objects leave here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import format_date

from assessor.domain.actions import TriggeredAction, triggered_actions
from assessor.domain.model import Questionnaire
from assessor.domain.scoring import Result
from assessor.presentation.charts import Radar, radar
from assessor.services.assessments import previous_of, result_of
from assessor.services.peers import PeerGroup, peer_groups
from assessor.storage.models import Assessment


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
    previous_date: str | None
    result: Result


def result_view(assessment: Assessment) -> ResultView:
    result = result_of(assessment)
    questionnaire = result.questionnaire
    previous = previous_of(assessment)
    before = result_of(previous) if previous is not None else None
    groups = peer_groups(assessment) if assessment.is_submitted else []
    first_group = next((g for g in groups if g.large_enough), None)

    def change(key: str, score: float | None) -> float | None:
        if before is None or score is None:
            return None
        earlier = _score_by_key(before).get(key)
        return None if earlier is None else score - earlier

    def view(key: str, item_id: str, label: str, score: float | None, level: Any) -> ScoreView:
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
    themes = [t for d in dimensions for t in d.themes if t.score is not None]
    ranked = sorted(themes, key=lambda t: t.score)  # type: ignore[arg-type, return-value]
    strengths = tuple(t for t in reversed(ranked) if t.score >= 50)[:3]  # type: ignore[operator]
    gaps = tuple(t for t in ranked if t.score < 50)[:3]  # type: ignore[operator]
    return ResultView(
        questionnaire_title=questionnaire.title,
        questionnaire_version=questionnaire.version,
        overall=view("overall", "overall", "", result.score, result.level),
        dimensions=dimensions,
        radar=radar([(t.label, t.score) for d in dimensions for t in d.themes]),
        strengths=strengths,
        gaps=gaps,
        actions=triggered_actions(result),
        peers=tuple(_peer_view(questionnaire, g) for g in groups),
        previous_date=format_date(previous.submitted_at.date(), format="long")
        if previous and previous.submitted_at
        else None,
        result=result,
    )


def _score_by_key(result: Result) -> dict[str, float | None]:
    scores: dict[str, float | None] = {"overall": result.score}
    for d in result.dimensions:
        scores[f"dimension:{d.dimension.id}"] = d.score
        for t in d.themes:
            scores[f"theme:{t.theme.id}"] = t.score
    return scores


def _peer_view(questionnaire: Questionnaire, group: PeerGroup) -> PeerView:
    question = next((q for q in questionnaire.questions if q.profile == group.key), None)
    labels = tuple(
        question.options_by_id[v].label if question and v in question.options_by_id else v
        for v in group.values
    )
    if not group.large_enough:
        return PeerView(group.key, labels, group.size, shown=False)
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
    )
