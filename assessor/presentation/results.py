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
from functools import cached_property
from typing import Protocol

from flask_babel import format_date, get_locale
from flask_babel import gettext as _

from assessor.domain.actions import TriggeredAction, triggered_actions
from assessor.domain.comparability import OVERALL, Comparison, dimension_key, theme_key
from assessor.domain.model import Level, Questionnaire
from assessor.domain.scoring import DimensionResult, Result
from assessor.presentation.charts import Radar, RadarGroup, RadarItem, radar, soft_hyphenated

# A theme scoring at least this is a strength, below it a gap; the page lists a few of each.
STRENGTH_THRESHOLD = 50
LISTED = 3
# Where no theme reaches the threshold, the themes furthest along are still worth naming
# ("your strongest themes so far"): at most this many of a dimension, never more than half
# of its scored themes, and only those above its weakest.
STRONGEST_OF_A_DIMENSION = 2


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
    @property
    def quartiles(self) -> dict[str, tuple[float, float]]: ...  # first and third, per key
    @property
    def scored(self) -> dict[str, int]: ...  # how many of the sample have a score, per key
    @property
    def below(self) -> dict[str, int]: ...  # how many of those score below this company


@dataclass(frozen=True)
class ScoreView:
    id: str
    label: str
    score: float | None
    level_id: str | None
    level_label: str | None
    change: float | None = None  # since the previous assessment
    peer_median: float | None = None
    # The label with soft hyphens in its long words: where a narrow column must break one,
    # it breaks between syllables, with a hyphen.
    breakable_label: str = ""
    # The previous assessment has this score, but the questionnaire changed how it is
    # computed: no change is shown, the page says why.
    not_comparable: bool = False


@dataclass(frozen=True)
class DimensionView(ScoreView):
    themes: tuple[ScoreView, ...] = ()
    # Its themes at the strength threshold or above, best first, and those below, weakest
    # first; when none reaches it, its strongest so far and only its weakest few as gaps.
    strengths: tuple[ScoreView, ...] = ()
    gaps: tuple[ScoreView, ...] = ()
    strongest_so_far: tuple[ScoreView, ...] = ()


@dataclass(frozen=True)
class Highlights:
    """Strengths and gaps among some themes (a dimension's, or every theme)."""

    strengths: tuple[ScoreView, ...]  # at the threshold or above, best first
    gaps: tuple[ScoreView, ...]  # below it, weakest first
    # Only when no theme is a strength: the themes furthest along, best first.
    strongest_so_far: tuple[ScoreView, ...] = ()


def highlights(themes: Sequence[ScoreView], *, listed: int | None, strongest: int) -> Highlights:
    """The strengths and gaps of ``themes``, at most ``listed`` of each (None: all). When
    none is a strength, up to ``strongest`` themes (never more than half of the scored
    ones, and only those ahead of the weakest) are the strongest so far, and the gaps are
    the ``LISTED`` weakest of the others rather than every theme (a list of every theme
    as a gap tells the reader nothing)."""
    weakest_first = sorted((t for t in themes if t.score is not None), key=_score_of)
    best_first = sorted(weakest_first, key=lambda t: -_score_of(t))
    strengths = tuple(t for t in best_first if _score_of(t) >= STRENGTH_THRESHOLD)
    gaps = tuple(t for t in weakest_first if _score_of(t) < STRENGTH_THRESHOLD)
    if strengths or not weakest_first:
        return Highlights(strengths[:listed], gaps[:listed])
    lowest = _score_of(weakest_first[0])
    ahead = [t for t in best_first if _score_of(t) > lowest]
    so_far = tuple(ahead[: min(strongest, len(weakest_first) // 2)])
    rest = tuple(t for t in weakest_first if t not in so_far)
    return Highlights((), rest[:LISTED], so_far)


def _score_of(theme: ScoreView) -> float:
    return theme.score if theme.score is not None else 0.0


@dataclass(frozen=True)
class PeerRow:
    """This company against a group on one score: the overall one or a dimension's."""

    id: str  # "overall" or the dimension's id
    label: str
    score: float | None  # this company's
    median: float
    lower: float  # first quartile: the middle half of the group lies from here…
    upper: float  # …to the third quartile
    below: int  # how many of the group score lower than this company
    scored: int  # how many of the group have this score


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
    rows: tuple[PeerRow, ...] = ()  # the overall score, then each dimension's


@dataclass(frozen=True)
class LevelView:
    """A maturity level explained: its range, what it means, what it takes to go further."""

    id: str
    label: str
    low: float
    high: float | None  # where the next level starts (None: the last level)
    meaning: str
    next_step: str


@dataclass(frozen=True)
class ResultView:
    questionnaire_title: str
    questionnaire_version: int
    overall: ScoreView
    dimensions: tuple[DimensionView, ...]
    strengths: tuple[ScoreView, ...]
    gaps: tuple[ScoreView, ...]
    actions: tuple[TriggeredAction, ...]
    peers: tuple[PeerView, ...]
    peer_minimum: int  # a group is compared with from this many assessments on
    previous_date: str | None
    result: Result
    # When the previous assessment was answered on another content of the questionnaire:
    # its version, and what cannot be compared (empty: everything can).
    previous_version: int | None = None
    not_compared: tuple[str, ...] = ()
    strength_threshold: int = STRENGTH_THRESHOLD
    # When no theme at all is a strength (``strengths`` is empty): the themes furthest along.
    strongest_so_far: tuple[ScoreView, ...] = ()
    levels: tuple[LevelView, ...] = ()
    # The radars are laid out when a page or the PDF draws them: each does only its own.
    radar_groups: tuple[RadarGroup, ...] = ()
    radar_language: str = "en"
    radar_legend: tuple[str, ...] = ()
    # The language the questionnaire's texts are in (not the page's when it is not offered
    # in that one).
    questionnaire_language: str = "en"

    @cached_property
    def radar(self) -> Radar:
        """The PDF's, in its square on the summary page (print.css): labels in a few long
        lines, so that the columns of 28 labels stay no taller than the chart is wide."""
        return radar(
            list(self.radar_groups),
            language=self.radar_language,
            font_size=15,
            width=720,
            label_width=190,
            max_radius=200,
            legend=list(self.radar_legend),
        )

    @cached_property
    def radar_wide(self) -> Radar:
        """The page's, drawn about 900 px wide on a laptop or larger screen."""
        return radar(
            list(self.radar_groups),
            language=self.radar_language,
            font_size=15,
            width=900,
            label_width=200,
            max_radius=240,
            legend=list(self.radar_legend),
        )

    @cached_property
    def radar_compact(self) -> Radar:
        """About 343 px wide on a 375 px phone, numbers for labels: text 12 px or more."""
        return radar(
            list(self.radar_groups),
            language=self.radar_language,
            font_size=13,
            width=343,
            max_radius=140,
            numbered=True,
            legend=list(self.radar_legend),
        )


def result_view(
    result: Result,
    *,
    before: Result | None = None,
    previous_submitted: date | None = None,
    peers: Sequence[PeerFigures] = (),
    peer_minimum: int,
    comparison: Comparison | None = None,
) -> ResultView:
    """The view of ``result``; ``before`` is the previous assessment's result (submitted on
    ``previous_submitted``), ``comparison`` which of its scores this one can be compared
    with (by default all), ``peers`` the groups it is compared with."""
    questionnaire = result.questionnaire
    earlier = _score_by_key(before) if before is not None else None
    if earlier is not None and comparison is not None:
        earlier = {k: v for k, v in earlier.items() if comparison.allows(k)}
    language = str(get_locale() or "en")
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
            soft_hyphenated(label, language),
            not_comparable=before is not None
            and comparison is not None
            and not comparison.allows(key),
        )

    def dimension_view(d: DimensionResult) -> DimensionView:
        themes = tuple(
            view(f"theme:{t.theme.id}", t.theme.id, t.theme.label, t.score, t.level)
            for t in d.themes
        )
        found = highlights(themes, listed=None, strongest=STRONGEST_OF_A_DIMENSION)
        return DimensionView(
            **view(
                f"dimension:{d.dimension.id}", d.dimension.id, d.dimension.label, d.score, d.level
            ).__dict__,
            themes=themes,
            strengths=found.strengths,
            gaps=found.gaps,
            strongest_so_far=found.strongest_so_far,
        )

    dimensions = tuple(dimension_view(d) for d in result.dimensions)
    overall = highlights([t for d in dimensions for t in d.themes], listed=LISTED, strongest=LISTED)
    earlier_scores = earlier or {}
    radar_groups = [
        RadarGroup(
            d.label,
            [RadarItem(t.label, t.score, earlier_scores.get(f"theme:{t.id}")) for t in d.themes],
        )
        for d in dimensions
    ]
    legend = [_("This assessment")]
    # The earlier outline only where there is something to compare.
    if previous_submitted is not None and any(
        item.previous is not None for group in radar_groups for item in group.items
    ):
        legend.append(
            _(
                "Previous assessment (%(date)s)",
                date=format_date(previous_submitted, format="medium"),
            )
        )
    return ResultView(
        questionnaire_title=questionnaire.title,
        questionnaire_version=questionnaire.version,
        questionnaire_language=questionnaire.language,
        overall=view("overall", "overall", "", result.score, result.level),
        dimensions=dimensions,
        radar_groups=tuple(radar_groups),
        radar_language=language,
        radar_legend=tuple(legend),
        strengths=overall.strengths,
        gaps=overall.gaps,
        strongest_so_far=overall.strongest_so_far,
        actions=triggered_actions(result),
        peers=tuple(_peer_view(questionnaire, g, result.score, dimensions) for g in peers),
        peer_minimum=peer_minimum,
        previous_date=format_date(previous_submitted, format="long")
        if previous_submitted is not None
        else None,
        result=result,
        levels=level_views(questionnaire.levels),
        previous_version=comparison.earlier_version
        if before is not None and comparison is not None and comparison.differs
        else None,
        not_compared=not_compared_parts(questionnaire, comparison)
        if before is not None and comparison is not None
        else (),
    )


def not_compared_parts(questionnaire: Questionnaire, comparison: Comparison) -> tuple[str, ...]:
    """The scores that cannot be compared, as a reader names them: the overall score, and
    each dimension with its changed themes in brackets (a dimension alone when only the
    weights of its themes changed)."""
    parts = []
    if not comparison.allows(OVERALL):
        parts.append(_("the overall score"))
    for dimension in questionnaire.dimensions:
        if comparison.allows(dimension_key(dimension.id)):
            continue
        themes = [t.label for t in dimension.themes if not comparison.allows(theme_key(t.id))]
        parts.append(
            # Translators: a dimension whose score is not compared with last time, with
            # those of its themes that are not, as in "Skills (Training, Digital skills)".
            _("%(dimension)s (%(themes)s)", dimension=dimension.label, themes=", ".join(themes))
            if themes
            else dimension.label
        )
    return tuple(parts)


# What each level of the shipped questionnaires means and what it takes to reach the next
# one, by level id; a questionnaire with other levels gets its ranges only.
def _level_texts(level_id: str) -> tuple[str, str]:
    match level_id:
        case "beginner":
            return (
                _(
                    "First steps: little is measured or planned yet, and most work depends on habits and paper."
                ),
                _(
                    "To move on: measure the basics (fuel, energy, kilometres), name one person responsible and start one concrete project."
                ),
            )
        case "developing":
            return (
                _(
                    "Work has started: some data and tools are in place, but in parts of the company and not yet as a plan."
                ),
                _(
                    "To move on: turn the separate efforts into a written plan with targets, owners and a budget, and follow it every quarter."
                ),
            )
        case "established":
            return (
                _(
                    "A solid base: the company measures, plans and uses its systems and skills in daily work."
                ),
                _(
                    "To move on: share data with customers and partners, set targets in line with EU rules and train people continuously."
                ),
            )
        case "advanced":
            return (
                _(
                    "A leader: practices are measured, improved and shared with customers and partners."
                ),
                _(
                    "To stay here: keep improving, renew your targets and help your partners and subcontractors follow."
                ),
            )
    return ("", "")


def level_views(levels: Sequence[Level]) -> tuple[LevelView, ...]:
    """The questionnaire's levels in order, each with the score where the next one starts."""
    ordered = sorted(levels, key=lambda level: level.min)
    views = []
    for index, level in enumerate(ordered):
        high = ordered[index + 1].min if index + 1 < len(ordered) else None
        meaning, next_step = _level_texts(level.id)
        views.append(LevelView(level.id, level.label, level.min, high, meaning, next_step))
    return tuple(views)


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


def _peer_view(
    questionnaire: Questionnaire,
    group: PeerFigures,
    overall: float | None,
    dimensions: Sequence[DimensionView],
) -> PeerView:
    question = next((q for q in questionnaire.questions if q.profile == group.key), None)
    labels = tuple(
        question.options_by_id[v].label if question and v in question.options_by_id else v
        for v in group.values
    )
    text = peer_group_text(group.key, ", ".join(labels))
    if not group.large_enough:
        return PeerView(group.key, labels, group.size, shown=False, text=text)
    medians = {
        k.split(":", 1)[1]: v for k, v in group.medians.items() if k.startswith("dimension:")
    }
    scores = [("overall", "overall", _("Overall"), overall)] + [
        (f"dimension:{d.id}", d.id, d.label, d.score) for d in dimensions
    ]
    rows = tuple(
        PeerRow(
            row_id,
            label,
            score,
            group.medians[key],
            *group.quartiles[key],
            group.below.get(key, 0),
            group.scored.get(key, 0),
        )
        for key, row_id, label, score in scores
        if key in group.medians and key in group.quartiles
    )
    return PeerView(
        group.key,
        labels,
        group.size,
        True,
        group.medians.get("overall"),
        medians,
        group.sample,
        text,
        rows,
    )
