"""STUB (the API helper's, dropped by the lead at merge for the insights helper's module):
the public functions of the insights service with their signatures, answering an empty
report, so that the API can be built and its tests run before the real service lands."""

from __future__ import annotations

from assessor.services.insights.figures import InsightsReport, PlatformInsights
from assessor.services.insights.filters import InsightFilters
from assessor.services.settings import current_settings
from assessor.storage.models import Cluster


def cluster_report(cluster: Cluster, filters: InsightFilters) -> InsightsReport:
    return InsightsReport(
        cluster_id=cluster.id,
        filters=filters,
        questionnaire_id=filters.questionnaire_id,
        versions=(),
        minimum=current_settings().peer_group_minimum,
        companies=None,
    )


def platform_insights(filters: InsightFilters) -> PlatformInsights:
    raise NotImplementedError("stub: the insights helper's module replaces this one")


def questionnaires_answered(cluster: Cluster | None) -> list[tuple[str, tuple[int, ...]]]:
    return []
