"""Insights reports built by hand, for the pages' tests: what the insights service would
return for 23 companies of a cluster on the shipped flagship (its ids), with hidden cells,
and the two kinds of suppressed report. The pages are tested against these; the figures
themselves are the insights service's tests'."""

from __future__ import annotations

from assessor.domain.model import DmaDimension
from assessor.services.insights.figures import (
    ActionCount,
    Breakdown,
    ClusterRow,
    CountRow,
    Distribution,
    DmaFigure,
    InsightsReport,
    PlatformInsights,
    Progress,
    RuleReadiness,
    ServiceDemand,
    ServiceSource,
    Suppressed,
    UnservedAction,
)
from assessor.services.insights.filters import InsightFilters

FLAGSHIP = "logistics-maturity"
MINIMUM = 5
ANSWERED = [(FLAGSHIP, (3, 2)), ("quick-check", (3,))]


def _levels(*counts: int | None) -> tuple[CountRow, ...]:
    ids = ("beginner", "developing", "established", "advanced")
    return tuple(CountRow(level, count) for level, count in zip(ids, counts, strict=True))


def _distribution(
    key: str, scored: int | None, *counts: int | None, median=None, quartiles=(None, None)
):
    return Distribution(key, scored, _levels(*counts), median, *quartiles)


def sample_report(cluster_id: int | None, filters: InsightFilters) -> InsightsReport:
    """23 companies; the cells about fewer than five are hidden (None)."""
    return InsightsReport(
        cluster_id=cluster_id,
        filters=filters,
        questionnaire_id=FLAGSHIP,
        versions=(2, 3),
        minimum=MINIMUM,
        companies=23,
        breakdowns=(
            Breakdown(
                "activity",
                (
                    CountRow("own-fleet", 12, 12 / 23),
                    CountRow("forwarding", 7, 7 / 23),
                    CountRow("warehousing", None),
                ),
                23,
            ),
            Breakdown(
                "size",
                (
                    CountRow("micro", None),
                    CountRow("small", 9, 9 / 23),
                    CountRow("medium", 10, 10 / 23),
                    CountRow("large", None),
                ),
                23,
            ),
            Breakdown("country", (CountRow("fi", 15, 15 / 23), CountRow("ee", 8, 8 / 23)), 23),
        ),
        distributions=(
            _distribution("overall", 23, 6, 9, None, None, median=41.5, quartiles=(30.0, 58.0)),
            _distribution(
                "dimension:decarbonisation",
                23,
                8,
                None,
                7,
                None,
                median=37.0,
                quartiles=(25.0, 52.5),
            ),
            _distribution(
                "theme:energy-data", 23, 10, None, 7, None, median=33.0, quartiles=(20.0, 50.0)
            ),
            _distribution(
                "theme:emissions-accounting",
                23,
                11,
                7,
                None,
                None,
                median=28.0,
                quartiles=(12.0, 44.0),
            ),
            _distribution(
                "dimension:digitalisation",
                23,
                5,
                10,
                None,
                None,
                median=46.0,
                quartiles=(34.0, 61.0),
            ),
            _distribution(
                "theme:digital-strategy", 22, 8, 9, None, None, median=40.0, quartiles=(28.0, 55.0)
            ),
            _distribution("theme:e-documents", None, None, None, None, None),
        ),
        gaps=(
            CountRow("emissions-accounting", 11, 11 / 23),
            CountRow("digital-strategy", 8, 8 / 22),
        ),
        focus_actions=(
            ActionCount("measure-energy", 9, 9 / 23),
            ActionCount("first-footprint", 7, 7 / 23),
            ActionCount("set-target", None, None),
        ),
        triggered_actions=(
            ActionCount("measure-energy", 14, 14 / 23),
            ActionCount("first-footprint", 12, 12 / 23),
            ActionCount("set-target", 6, 6 / 23),
        ),
        service_demand=(
            ServiceDemand("efti-ecmr-readiness", 8, 8 / 23),
            ServiceDemand("telematics-co2-baseline", 6, 6 / 23),
            ServiceDemand("cyber-health-check", None, None),
        ),
        unserved=(
            UnservedAction("join-programme", ServiceSource.NETWORK, 7, 7 / 23),
            UnservedAction("zero-emission-pilot", ServiceSource.NONE, 5, 5 / 23),
        ),
        readiness=(
            RuleReadiness(
                "countemissions",
                "d-reg-countemissions",
                20,
                (
                    CountRow("ready", 5, 5 / 20),
                    CountRow("preparing", 8, 8 / 20),
                    CountRow("unaware", None),
                    CountRow("unknown", None),
                ),
            ),
            RuleReadiness(
                "efti",
                "g-efti",
                21,
                (
                    CountRow("ready", 6, 6 / 21),
                    CountRow("preparing", 9, 9 / 21),
                    CountRow("unaware", None),
                    CountRow("unknown", None),
                ),
            ),
        ),
        progress=(
            Progress("overall", 6, 38.0, 47.0, 8.0, 5, None),
            Progress("dimension:decarbonisation", 6, 31.0, 44.5, 12.0, 6, None),
            Progress("dimension:digitalisation", 6, 45.0, 43.0, -2.0, None, None),
        ),
        follow_ups=6,
        dma=tuple(
            DmaFigure(dimension.value, 4, 23, 50.0 + index, 35.0, 66.0)
            if dimension is not DmaDimension.AUTOMATION_AI
            else DmaFigure(dimension.value, 3, None, None, None, None)
            for index, dimension in enumerate(DmaDimension)
        ),
    )


def too_few_report(cluster_id: int | None, filters: InsightFilters) -> InsightsReport:
    return InsightsReport(
        cluster_id, filters, FLAGSHIP, (3,), MINIMUM, None, suppressed=Suppressed.TOO_FEW
    )


def differencing_report(cluster_id: int | None, filters: InsightFilters) -> InsightsReport:
    return InsightsReport(
        cluster_id,
        filters,
        FLAGSHIP,
        (3,),
        MINIMUM,
        23,
        suppressed=Suppressed.DIFFERENCING,
        suppressed_by="size",
    )


def sample_platform(filters: InsightFilters) -> PlatformInsights:
    return PlatformInsights(
        total=sample_report(None, filters),
        clusters=(
            ClusterRow(
                "example-baltic-freight",
                "Baltic Freight Cluster",
                17,
                6,
                {
                    "overall": 43.0,
                    "dimension:decarbonisation": 39.5,
                    "dimension:digitalisation": 48.0,
                },
            ),
            ClusterRow(
                "example-iberian-green", "Iberian Green Logistics", None, None, {"overall": None}
            ),
        ),
    )
