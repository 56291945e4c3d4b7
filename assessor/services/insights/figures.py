"""What the insights service computes: codes and counts, no text. Pages, exports and the API
label the codes with the questionnaire and the cluster's services in the reader's language.

A count or figure that is ``None`` is **hidden**: it is about fewer companies than the group
minimum, or showing it would let a reader work out a hidden one (see ``suppression``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

# The states of a RuleReadiness row are the domain's, those the ``readiness`` facets store
# (assessor.domain.readiness): ready, preparing, unaware, unknown.
from assessor.domain.model import ReadinessState as ReadinessState
from assessor.services.insights.filters import InsightFilters


class Suppressed(StrEnum):
    """Why a whole report shows no figure."""

    TOO_FEW = "too-few"  # fewer companies than the minimum match the filters
    DIFFERENCING = "differencing"  # with one filter unset, fewer than the minimum drop out


@dataclass(frozen=True)
class CountRow:
    """One cell: ``key`` is a code (an option, level, action, service or reference id)."""

    key: str
    count: int | None  # companies (or plans); None: hidden
    share: float | None = None  # of the row's base, 0 to 1; None when hidden or no base


@dataclass(frozen=True)
class Breakdown:
    """Companies by one profile key (activity, size or country): one row per option id,
    in the questionnaire's option order; a company with several activities counts in each."""

    key: str
    rows: tuple[CountRow, ...]
    answered: int | None  # companies with an answer to this key


@dataclass(frozen=True)
class Distribution:
    """The levels of one score (``overall``, ``dimension:<id>`` or ``theme:<id>``): one row
    per level id in the questionnaire's order, and the median and middle half of the
    scores."""

    key: str
    scored: int | None  # companies with a score (an unanswered theme has none)
    levels: tuple[CountRow, ...]
    median: float | None
    lower_quartile: float | None
    upper_quartile: float | None


@dataclass(frozen=True)
class ActionCount:
    """How many plans have an action (triggered, or in the opening focus)."""

    action_id: str
    count: int | None
    share: float | None


class ServiceSource(StrEnum):
    CLUSTER = "cluster"  # one of the cluster's own services
    NETWORK = "network"  # the cluster has none: the network's catalogue has one
    NONE = "none"  # nobody offers one


@dataclass(frozen=True)
class ServiceDemand:
    """How many plans recommend one of the cluster's services (with the services as they are
    today: the plan's actions matched against the current catalogue)."""

    service_key: str
    count: int | None
    share: float | None


@dataclass(frozen=True)
class UnservedAction:
    """An action the cluster has no service for, and how many plans have it."""

    action_id: str
    source: ServiceSource  # NETWORK or NONE
    count: int | None
    share: float | None


@dataclass(frozen=True)
class RuleReadiness:
    """Where companies stand with one EU rule the questionnaire asks about (a question with
    a ``rule:`` reference); "not applicable" answers are not counted."""

    reference_id: str
    question_id: str
    answered: int | None
    states: tuple[CountRow, ...]  # one per ReadinessState, in that order


@dataclass(frozen=True)
class Progress:
    """For companies with a follow-up, their first and latest assessments on this
    questionnaire compared for one score, where the two versions are comparable."""

    key: str  # overall or dimension:<id>
    companies: int | None
    first_median: float | None
    latest_median: float | None
    median_change: float | None  # the median of each company's change
    improved: int | None  # companies whose score went up
    declined: int | None


@dataclass(frozen=True)
class DmaFigure:
    """One of the six dimensions of the EU Digital Maturity Assessment: a correspondence from
    the questions tagged ``dma:``, never an official DMA score."""

    dimension: str  # a DmaDimension value
    questions: int  # tagged questions in this questionnaire
    scored: int | None  # companies with a score for them
    median: float | None  # of each company's mean score over the tagged questions, 0 to 100
    lower_quartile: float | None
    upper_quartile: float | None


@dataclass(frozen=True)
class InsightsReport:
    cluster_id: int | None  # None: every cluster (the platform administrator's view)
    filters: InsightFilters  # questionnaire_id always set once computed
    questionnaire_id: str | None  # None: no assessment at all
    versions: tuple[int, ...]  # the versions in the population
    minimum: int  # the group minimum applied
    companies: int | None  # companies in the population; None: hidden
    suppressed: Suppressed | None = None
    suppressed_by: str | None = None  # with DIFFERENCING: the filter that would reveal
    breakdowns: tuple[Breakdown, ...] = ()
    distributions: tuple[Distribution, ...] = ()  # overall, then each dimension, its themes
    gaps: tuple[CountRow, ...] = ()  # themes by companies at the first level, most first
    focus_actions: tuple[ActionCount, ...] = ()  # most first
    triggered_actions: tuple[ActionCount, ...] = ()  # most first
    service_demand: tuple[ServiceDemand, ...] = ()  # the cluster's services, most first
    unserved: tuple[UnservedAction, ...] = ()  # most first
    readiness: tuple[RuleReadiness, ...] = ()
    progress: tuple[Progress, ...] = ()
    follow_ups: int | None = None  # companies with a follow-up in the population
    dma: tuple[DmaFigure, ...] = ()  # the six in the DMA's order (empty: no tag)
    # The questionnaire content the codes belong to (the newest in the population): see
    # report.report_questionnaire.
    questionnaire_sha256: str | None = None

    @property
    def shown(self) -> bool:
        return self.suppressed is None and self.companies is not None


@dataclass(frozen=True)
class ClusterRow:
    """One cluster in the platform administrator's table (aggregates only)."""

    slug: str
    name: str
    companies: int | None
    follow_ups: int | None
    medians: dict[str, float | None] = field(default_factory=dict)  # overall, dimension:<id>


@dataclass(frozen=True)
class PlatformInsights:
    total: InsightsReport  # every cluster together
    clusters: tuple[ClusterRow, ...]  # by name
