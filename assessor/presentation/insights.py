"""Plain view data for the insights pages: a cluster's (or every cluster's) report labelled in
the reader's language, with the stacked bars its tables draw.

The insights service hands over codes and counts (``assessor.services.insights.figures``);
this module names them with the questionnaire as the reader reads it and the cluster's
services, and says in words why a cell or a whole report is hidden. It sits below the
services, so it reads the report through the protocols below, never importing it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from flask_babel import format_percent
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from assessor.domain.model import DmaDimension, Question, Questionnaire
from assessor.domain.offerings import Service

# The colours of the levels, first to last: the workshop charts' (templates/advisers/
# _charts.html), dark enough to tell apart with a text beside each bar.
LEVEL_COLOURS = ("#b8442c", "#d9891a", "#4f8a76", "#0b5d4b", "#1d3f8f", "#5b3d8f")
HIDDEN_COLOUR = "#c9d1d9"  # the part of a bar made of hidden cells

# Readiness for a rule, in the report's order, with the words and colours the page uses.
READINESS = (
    ("ready", _l("Ready"), "#0b5d4b"),
    ("preparing", _l("Preparing"), "#d9891a"),
    ("unaware", _l("Unaware"), "#b8442c"),
    ("unknown", _l("Don't know"), "#6b7680"),
)

PROFILE_TITLES = {
    "activity": _l("Activity"),
    "size": _l("Size"),
    "country": _l("Country"),
}

# What each filter is called in a sentence ("without the filter on size").
FILTER_NAMES = {
    "since": _l("period from"),
    "until": _l("period to"),
    "version": _l("version"),
    "activity": _l("activity"),
    "size": _l("size"),
    "country": _l("country"),
}

# The six dimensions of the EU Digital Maturity Assessment, as its questionnaire names them.
DMA_NAMES = {
    DmaDimension.DIGITAL_BUSINESS_STRATEGY.value: _l("Digital business strategy"),
    DmaDimension.DIGITAL_READINESS.value: _l("Digital readiness"),
    DmaDimension.HUMAN_CENTRIC_DIGITALISATION.value: _l("Human-centric digitalisation"),
    DmaDimension.DATA_MANAGEMENT.value: _l("Data management"),
    DmaDimension.AUTOMATION_AI.value: _l("Automation and artificial intelligence"),
    DmaDimension.GREEN_DIGITALISATION.value: _l("Green digitalisation"),
}


# What this module reads of a report (assessor.services.insights.figures, whose frozen
# dataclasses fit these protocols).
class CountFigure(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def count(self) -> int | None: ...
    @property
    def share(self) -> float | None: ...


class BreakdownFigure(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def rows(self) -> Sequence[CountFigure]: ...
    @property
    def answered(self) -> int | None: ...


class DistributionFigure(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def scored(self) -> int | None: ...
    @property
    def levels(self) -> Sequence[CountFigure]: ...
    @property
    def median(self) -> float | None: ...
    @property
    def lower_quartile(self) -> float | None: ...
    @property
    def upper_quartile(self) -> float | None: ...


class ActionFigure(Protocol):
    @property
    def action_id(self) -> str: ...
    @property
    def count(self) -> int | None: ...
    @property
    def share(self) -> float | None: ...


class ServiceFigure(Protocol):
    @property
    def service_key(self) -> str: ...
    @property
    def count(self) -> int | None: ...
    @property
    def share(self) -> float | None: ...


class UnservedFigure(ActionFigure, Protocol):
    @property
    def source(self) -> str: ...  # "network" or "none"


class ReadinessFigure(Protocol):
    @property
    def reference_id(self) -> str: ...
    @property
    def question_id(self) -> str: ...
    @property
    def answered(self) -> int | None: ...
    @property
    def states(self) -> Sequence[CountFigure]: ...


class ProgressFigure(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def companies(self) -> int | None: ...
    @property
    def first_median(self) -> float | None: ...
    @property
    def latest_median(self) -> float | None: ...
    @property
    def median_change(self) -> float | None: ...
    @property
    def improved(self) -> int | None: ...
    @property
    def declined(self) -> int | None: ...


class DmaFigureLike(Protocol):
    @property
    def dimension(self) -> str: ...
    @property
    def questions(self) -> int: ...
    @property
    def scored(self) -> int | None: ...
    @property
    def median(self) -> float | None: ...
    @property
    def lower_quartile(self) -> float | None: ...
    @property
    def upper_quartile(self) -> float | None: ...


class ReportFilters(Protocol):
    @property
    def narrowing(self) -> tuple[str, ...]: ...  # the names of the filters that narrow


class ReportFigures(Protocol):
    @property
    def filters(self) -> ReportFilters: ...
    @property
    def questionnaire_id(self) -> str | None: ...
    @property
    def versions(self) -> tuple[int, ...]: ...
    @property
    def minimum(self) -> int: ...
    @property
    def companies(self) -> int | None: ...
    @property
    def suppressed(self) -> str | None: ...  # "too-few" or "differencing"
    @property
    def suppressed_by(self) -> str | None: ...
    @property
    def breakdowns(self) -> Sequence[BreakdownFigure]: ...
    @property
    def distributions(self) -> Sequence[DistributionFigure]: ...
    @property
    def gaps(self) -> Sequence[CountFigure]: ...
    @property
    def focus_actions(self) -> Sequence[ActionFigure]: ...
    @property
    def triggered_actions(self) -> Sequence[ActionFigure]: ...
    @property
    def service_demand(self) -> Sequence[ServiceFigure]: ...
    @property
    def unserved(self) -> Sequence[UnservedFigure]: ...
    @property
    def readiness(self) -> Sequence[ReadinessFigure]: ...
    @property
    def progress(self) -> Sequence[ProgressFigure]: ...
    @property
    def follow_ups(self) -> int | None: ...
    @property
    def dma(self) -> Sequence[DmaFigureLike]: ...


# The view data.
@dataclass(frozen=True)
class Segment:
    """A part of a stacked bar, in a viewBox 100 units wide."""

    x: float
    width: float
    colour: str


@dataclass(frozen=True)
class Bar:
    segments: tuple[Segment, ...]  # the cells shown, then one grey part for the hidden ones


@dataclass(frozen=True)
class Cell:
    """A count with its share; ``count`` None: hidden (the page reads "fewer than N")."""

    code: str
    label: str
    count: int | None
    share: str | None = None  # the share as the locale writes a percentage
    colour: str | None = None
    link: str | None = None
    note: str | None = None

    @property
    def hidden(self) -> bool:
        return self.count is None


@dataclass(frozen=True)
class BreakdownView:
    """Companies by one profile key. Answers no company gave are not rows but one line
    (``nobody``): a country list of thirty zeros hides the few countries there are."""

    key: str
    title: str
    answered: int | None
    cells: tuple[Cell, ...]
    nobody: tuple[str, ...] = ()  # the labels of the answers no company gave


@dataclass(frozen=True)
class LevelRow:
    """One score's levels: the overall score (depth 0), a dimension (1) or a theme (2)."""

    code: str
    label: str
    depth: int
    scored: int | None
    cells: tuple[Cell, ...]  # one per level, in order
    bar: Bar | None  # None: nothing to draw (no company counted, or their number hidden)
    median: float | None
    lower_quartile: float | None
    upper_quartile: float | None


@dataclass(frozen=True)
class ReadinessRow:
    code: str
    title: str
    question: str
    answered: int | None
    cells: tuple[Cell, ...]  # ready, preparing, unaware, don't know
    bar: Bar | None


@dataclass(frozen=True)
class ProgressRow:
    code: str
    label: str
    companies: int | None
    first_median: float | None
    latest_median: float | None
    median_change: float | None
    improved: int | None
    declined: int | None


@dataclass(frozen=True)
class DmaRow:
    code: str
    label: str
    questions: tuple[str, ...]  # the texts of the questions tagged with it
    scored: int | None
    median: float | None
    lower_quartile: float | None
    upper_quartile: float | None


@dataclass(frozen=True)
class LevelKey:
    code: str
    label: str
    colour: str


@dataclass(frozen=True)
class InsightsView:
    minimum: int
    companies: int | None
    suppression: str | None  # why no figure is shown, in words; None: figures shown
    questionnaire_title: str | None
    versions: tuple[int, ...]
    levels: tuple[LevelKey, ...]
    breakdowns: tuple[BreakdownView, ...]
    distributions: tuple[LevelRow, ...]
    gaps: tuple[Cell, ...]
    focus_actions: tuple[Cell, ...]
    triggered_actions: tuple[Cell, ...]
    service_demand: tuple[Cell, ...]
    unserved: tuple[Cell, ...]
    readiness: tuple[ReadinessRow, ...]
    readiness_states: tuple[LevelKey, ...]
    progress: tuple[ProgressRow, ...]
    follow_ups: int | None
    dma: tuple[DmaRow, ...]

    @property
    def shown(self) -> bool:
        return self.suppression is None and self.companies is not None

    @property
    def any_hidden(self) -> bool:
        """Whether some cell reads "fewer than N" (the page then says why, once)."""
        cells = [
            *(c for b in self.breakdowns for c in b.cells),
            *(c for row in self.distributions for c in row.cells),
            *self.gaps,
            *self.focus_actions,
            *self.triggered_actions,
            *self.service_demand,
            *self.unserved,
            *(c for row in self.readiness for c in row.cells),
        ]
        counts = [
            *(row.scored for row in self.distributions),
            *(b.answered for b in self.breakdowns),
            *(row.companies for row in self.progress),
            *(row.scored for row in self.dma),
            self.follow_ups,
        ]
        return any(c.hidden for c in cells) or None in counts


def _share(share: float | None) -> str | None:
    return format_percent(share) if share is not None else None


def _cell(
    code: str,
    label: str,
    figure: CountFigure | ActionFigure | ServiceFigure,
    colour: str | None = None,
    *,
    link: str | None = None,
    note: str | None = None,
) -> Cell:
    return Cell(code, label, figure.count, _share(figure.share), colour, link, note)


def stacked_bar(
    counts: Sequence[int | None], colours: Sequence[str], base: int | None
) -> Bar | None:
    """Parts of ``base`` side by side, each as wide as its count; what hidden cells add up
    to (the base less the counts shown) drawn as one grey part, so that the bar says no more
    than the cells beside it. No bar without a base."""
    if not base:
        return None
    segments = []
    x = 0.0
    for count, colour in zip(counts, colours, strict=False):
        if count:
            width = 100 * count / base
            segments.append(Segment(round(x, 2), round(width, 2), colour))
            x += width
    if any(count is None for count in counts) and x < 99.99:
        segments.append(Segment(round(x, 2), round(100 - x, 2), HIDDEN_COLOUR))
    return Bar(tuple(segments))


def _profile_question(questionnaire: Questionnaire | None, key: str) -> Question | None:
    if questionnaire is None:
        return None
    return next((q for q in questionnaire.questions if q.profile == key), None)


def profile_options(questionnaire: Questionnaire | None, key: str) -> list[tuple[str, str]]:
    """(option id, label) of the question that asks for ``key`` (activity, size or country);
    empty when the questionnaire asks none."""
    question = _profile_question(questionnaire, key)
    return [(o.id, o.label) for o in question.options] if question else []


def score_label(questionnaire: Questionnaire | None, key: str) -> tuple[str, int]:
    """The name of a score key (overall, dimension:<id>, theme:<id>) and its depth."""
    kind, _sep, code = key.partition(":")
    if kind == "dimension":
        dimension = questionnaire.dimensions_by_id.get(code) if questionnaire else None
        return (dimension.label if dimension else code), 1
    if kind == "theme":
        theme = questionnaire.themes_by_id.get(code) if questionnaire else None
        return (theme.label if theme else code), 2
    return str(_("Overall")), 0


def suppression_text(report: ReportFigures) -> str | None:
    """Why the whole report shows no figure, in words; None when it shows them."""
    if report.suppressed == "differencing":
        name = FILTER_NAMES.get(report.suppressed_by or "")
        if name is not None:
            return str(
                _(
                    "This filter would single out fewer than %(minimum)s companies: widen it. "
                    "Compared with the figures without the filter on %(filter)s, it would show "
                    "a group of fewer than %(minimum)s companies.",
                    minimum=report.minimum,
                    filter=name,
                )
            )
        return str(
            _(
                "This filter would single out fewer than %(minimum)s companies: widen it.",
                minimum=report.minimum,
            )
        )
    if report.suppressed is None and report.companies is not None:
        return None
    if not report.filters.narrowing:
        return str(
            _(
                "Fewer than %(minimum)s companies have shared their results on this "
                "questionnaire so far, so no figure is shown: that few companies could be "
                "recognised. The figures appear from %(minimum)s companies on.",
                minimum=report.minimum,
            )
        )
    return str(
        _(
            "Fewer than %(minimum)s companies match these filters, so no figure is shown: "
            "that few companies could be recognised. Widen the filters.",
            minimum=report.minimum,
        )
    )


def insights_view(
    report: ReportFigures,
    questionnaire: Questionnaire | None,
    services: Sequence[Service] = (),
    language: str = "en",
) -> InsightsView:
    """The report labelled with ``questionnaire`` (localised for the reader; None when it is
    not installed: codes stand for their labels) and the cluster's ``services``."""
    q = questionnaire
    levels = tuple(
        LevelKey(level.id, level.label, LEVEL_COLOURS[i % len(LEVEL_COLOURS)])
        for i, level in enumerate(q.levels if q else ())
    )
    level_names = {level.code: level for level in levels}
    states = tuple(LevelKey(code, str(label), colour) for code, label, colour in READINESS)
    state_names = {state.code: state for state in states}

    def level_cell(row: CountFigure) -> Cell:
        found = level_names.get(row.key)
        return _cell(
            row.key, found.label if found else row.key, row, found.colour if found else None
        )

    breakdowns = []
    for breakdown in report.breakdowns:
        labels = dict(profile_options(q, breakdown.key))
        breakdowns.append(
            BreakdownView(
                breakdown.key,
                str(PROFILE_TITLES.get(breakdown.key, breakdown.key)),
                breakdown.answered,
                tuple(
                    _cell(r.key, labels.get(r.key, r.key), r)
                    for r in breakdown.rows
                    if r.count != 0
                ),
                tuple(labels.get(r.key, r.key) for r in breakdown.rows if r.count == 0),
            )
        )

    distributions = []
    for distribution in report.distributions:
        label, depth = score_label(q, distribution.key)
        cells = tuple(level_cell(row) for row in distribution.levels)
        distributions.append(
            LevelRow(
                distribution.key,
                label,
                depth,
                distribution.scored,
                cells,
                stacked_bar(
                    [c.count for c in cells],
                    [c.colour or HIDDEN_COLOUR for c in cells],
                    distribution.scored,
                ),
                distribution.median,
                distribution.lower_quartile,
                distribution.upper_quartile,
            )
        )

    def theme_cell(row: CountFigure) -> Cell:
        theme = q.themes_by_id.get(row.key) if q else None
        dimension = q.dimensions_by_id.get(theme.dimension_id) if q and theme else None
        return _cell(
            row.key,
            theme.label if theme else row.key,
            row,
            note=dimension.label if dimension else None,
        )

    def action_title(action_id: str) -> str:
        action = q.actions_by_id.get(action_id) if q else None
        return action.title if action else action_id

    by_key = {service.id: service for service in services}
    demand = []
    for wanted in report.service_demand:
        service = by_key.get(wanted.service_key)
        title = service.title.get(language) if service else wanted.service_key
        demand.append(
            _cell(wanted.service_key, title, wanted, link=service.url if service else None)
        )

    unserved_notes = {
        "network": _("Only the network's catalogue has a service"),
        "none": _("Nobody offers a service"),
    }
    unserved = tuple(
        _cell(a.action_id, action_title(a.action_id), a, note=unserved_notes.get(a.source))
        for a in report.unserved
    )

    readiness = []
    for rule in report.readiness:
        reference = q.references_by_id.get(rule.reference_id) if q else None
        question = q.questions_by_id.get(rule.question_id) if q else None
        state_cells = []
        for row in rule.states:
            state = state_names.get(row.key)
            state_cells.append(
                _cell(
                    row.key, state.label if state else row.key, row, state.colour if state else None
                )
            )
        readiness.append(
            ReadinessRow(
                rule.reference_id,
                reference.title if reference else rule.reference_id,
                question.text if question else rule.question_id,
                rule.answered,
                tuple(state_cells),
                stacked_bar(
                    [c.count for c in state_cells],
                    [c.colour or HIDDEN_COLOUR for c in state_cells],
                    rule.answered,
                ),
            )
        )

    progress = tuple(
        ProgressRow(
            p.key,
            score_label(q, p.key)[0],
            p.companies,
            p.first_median,
            p.latest_median,
            p.median_change,
            p.improved,
            p.declined,
        )
        for p in report.progress
    )

    dma = []
    for figure in report.dma:
        tagged = tuple(
            question.text
            for question in (q.questions if q else ())
            if question.dma == figure.dimension
        )
        name = DMA_NAMES.get(figure.dimension, figure.dimension)
        dma.append(
            DmaRow(
                figure.dimension,
                str(name),
                tagged,
                figure.scored,
                figure.median,
                figure.lower_quartile,
                figure.upper_quartile,
            )
        )

    return InsightsView(
        minimum=report.minimum,
        companies=report.companies,
        suppression=suppression_text(report),
        questionnaire_title=q.title if q else report.questionnaire_id,
        versions=tuple(report.versions),
        levels=levels,
        breakdowns=tuple(breakdowns),
        distributions=tuple(distributions),
        gaps=tuple(theme_cell(row) for row in report.gaps),
        focus_actions=tuple(
            _cell(a.action_id, action_title(a.action_id), a) for a in report.focus_actions
        ),
        triggered_actions=tuple(
            _cell(a.action_id, action_title(a.action_id), a) for a in report.triggered_actions
        ),
        service_demand=tuple(demand),
        unserved=unserved,
        readiness=tuple(readiness),
        readiness_states=states,
        progress=progress,
        follow_ups=report.follow_ups,
        dma=tuple(dma),
    )
